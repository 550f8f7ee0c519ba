"""Pick the policy's reject and review thresholds on validation rows.

Targets (written to the model card):

- ``reject``: the lowest threshold at which the rows scoring above it are at
  least ``REJECT_PRECISION`` precise (so an automatic rejection is rarely wrong);
- ``review``: the highest threshold that still sends ``REVIEW_RECALL`` of the
  positives above it, raised if needed until at least ``REVIEW_MIN_PRECISION``
  of the comments it holds (those between review and reject) are positives, so
  the moderators' queue is not flooded.

The policy rejects when ``score > reject`` and holds when ``score > review``.
"""

from __future__ import annotations

import numpy as np

REJECT_PRECISION = 0.95
REVIEW_RECALL = 0.90
REVIEW_MIN_PRECISION = 0.50
MIN_POSITIVES_ABOVE = 5
FALLBACK_REJECT = 0.95


def _curve(y: np.ndarray, s: np.ndarray):
    """For each candidate threshold t (score > t), precision and recall."""
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    tp = np.cumsum(y_sorted)
    n = np.arange(1, len(y) + 1)
    # distinct cut points: after the last row of each tie group
    last = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    cut_scores = s_sorted[last]
    tp, n = tp[last], n[last]
    precision = tp / n
    recall = tp / max(y.sum(), 1)
    # threshold "score > t" keeping exactly these rows: t is the next lower score
    thresholds = np.r_[cut_scores[1:], 0.0]
    return thresholds, precision, recall, tp, n


def pick_thresholds(y, scores) -> dict[str, float | str]:
    """Reject and review thresholds for one category (reject >= review)."""
    y = np.asarray(y, dtype=float) >= 0.5
    s = np.asarray(scores, dtype=float)
    if y.sum() == 0 or y.sum() == len(y):
        return {"reject": FALLBACK_REJECT, "review": 0.5, "basis": "fallback: one class only"}
    thresholds, precision, recall, tp, n = _curve(y, s)
    ok = np.flatnonzero((precision >= REJECT_PRECISION) & (tp >= MIN_POSITIVES_ABOVE))
    if ok.size:
        i = ok.max()  # the largest set of rows that is still precise enough
        reject, basis = float(thresholds[i]), f"precision {precision[i]:.3f} recall {recall[i]:.3f}"
    else:
        reject, basis = FALLBACK_REJECT, f"fallback: precision {REJECT_PRECISION} not reached"
    # the review queue sees the band (review, reject]: its precision is what the floor guards
    above = s > reject
    band_n = n - above.sum()
    band_tp = tp - y[above].sum()
    band_precision = np.where(band_n > 0, band_tp / np.maximum(band_n, 1), 1.0)
    i = int(np.flatnonzero(recall >= REVIEW_RECALL).min())
    capped = False
    if band_precision[i] < REVIEW_MIN_PRECISION:
        capped = True
        ok = np.flatnonzero(
            (band_precision[: i + 1] >= REVIEW_MIN_PRECISION) & (thresholds[: i + 1] < reject)
        )
        i = int(ok.max()) if ok.size else -1
    if i < 0:
        review, review_basis = reject, "no band below reject reaches the precision floor"
    else:
        review = float(thresholds[i])
        review_basis = (
            f"recall {recall[i]:.3f}, precision of the review band {band_precision[i]:.3f}"
            + (" (raised to meet the precision floor)" if capped else "")
        )
    review = min(review, reject)
    return {
        "reject": round(reject, 6),
        "review": round(review, 6),
        "reject_basis": basis,
        "review_basis": review_basis,
    }
