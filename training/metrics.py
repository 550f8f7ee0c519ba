"""Metrics shared by training (validation rows) and evaluation (the suite)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from service.retraining.measures import at_threshold, auc

__all__ = ["auc", "category_report", "macro_f1", "threshold_report"]


def threshold_report(y, scores, threshold: float) -> dict[str, float]:
    """:func:`at_threshold`'s precision, recall and F1, with the counts behind them."""
    y = np.asarray(y) >= 0.5
    flagged = np.asarray(scores) > threshold
    return {
        **at_threshold(y, scores, threshold),
        "flagged": int(flagged.sum()),
        "positives": int(y.sum()),
        "rows": int(len(y)),
    }


def macro_f1(y, scores, threshold: float) -> float:
    y = np.asarray(y) >= 0.5
    return round(float(f1_score(y, np.asarray(scores) > threshold, average="macro")), 4)


def category_report(y, scores, thresholds: dict[str, float]) -> dict:
    """AUC and P/R/F1 at the review and reject thresholds, on rows with a known label."""
    y = np.asarray(y, dtype=float)
    s = np.asarray(scores, dtype=float)
    known = ~np.isnan(y)
    y, s = y[known], s[known]
    return {
        "auc": auc(y, s),
        "review": threshold_report(y, s, thresholds["review"]),
        "reject": threshold_report(y, s, thresholds["reject"]),
    }
