"""Metrics shared by training (validation rows) and evaluation (the suite)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support, roc_auc_score


def auc(y, scores) -> float | None:
    y = np.asarray(y) >= 0.5
    if y.all() or not y.any():
        return None
    return round(float(roc_auc_score(y, scores)), 4)


def at_threshold(y, scores, threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of ``score > threshold``."""
    y = np.asarray(y) >= 0.5
    flagged = np.asarray(scores) > threshold
    p, r, f, _ = precision_recall_fscore_support(y, flagged, average="binary", zero_division=0)
    return {
        "precision": round(float(p), 4),
        "recall": round(float(r), 4),
        "f1": round(float(f), 4),
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
        "review": at_threshold(y, s, thresholds["review"]),
        "reject": at_threshold(y, s, thresholds["reject"]),
    }
