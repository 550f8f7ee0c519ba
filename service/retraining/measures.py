"""ROC AUC and precision/recall/F1 at a threshold: shared by training and the promotion gate."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score


def auc(y, scores) -> float | None:
    y = np.asarray(y) >= 0.5
    if y.all() or not y.any():
        return None
    return round(float(roc_auc_score(y, scores)), 4)


def at_threshold(y, scores, threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of ``score > threshold`` (how the policy reads a threshold)."""
    y = np.asarray(y) >= 0.5
    flagged = np.asarray(scores) > threshold
    p, r, f, _ = precision_recall_fscore_support(y, flagged, average="binary", zero_division=0)
    return {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4)}
