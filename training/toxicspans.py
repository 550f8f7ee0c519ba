"""TOXICSPANS (civil-comments-toxic-spans): Civil Comments posts with the raters' typed spans.

The only corpus whose labels separate the categories on news-site comments. Each
post was typed by 3-7 raters; a category's label is the *fraction of raters* who
marked at least one span of the matching type (a soft label):

- ``Insult`` -> ``personal_attack``
- ``Threat`` -> ``threat``
- ``Identity based Attack`` -> ``abuse``
- ``Profane/Obscene`` -> ``profanity``; of those raters, the ones whose profane span
  holds a word of the sexual/obscene lexicon (:func:`training.data.is_vulgar`) ->
  ``vulgarity``
- ``promotion`` is 0 (news comments, none of them spam).

``Other Toxicity`` feeds no category. Every post had been judged toxic by Civil
Comments' raters, so ``not_toxic`` rows are borderline: they teach the categories
apart, not the base rate.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from service.moderation.types import CATEGORIES

from .data import Corpus, is_vulgar

FOLDER = "civil-comments-toxic-spans"
SPAN_TYPES = {
    "Insult": "personal_attack",
    "Threat": "threat",
    "Identity based Attack": "abuse",
    "Profane/Obscene": "profanity",
}
LABEL_MAPPING = (
    "TOXICSPANS (Civil Comments news comments, typed spans): the fraction of raters who marked "
    "an Insult span -> personal_attack, Threat -> threat, Identity based Attack -> abuse, "
    "Profane/Obscene -> profanity (and -> vulgarity for the raters whose profane span holds a "
    "word of the sexual/obscene lexicon); promotion 0. Soft labels; Other Toxicity unused."
)


def _labels(row: dict[str, str]) -> list[float]:
    n = max(int(row["n_raters"]), 1)
    spans = json.loads(row["spans_json"] or "[]")
    raters: dict[str, set] = {c: set() for c in CATEGORIES}
    text = row["text"]
    for rater, start, end, kind in spans:
        category = SPAN_TYPES.get(kind)
        if category is None:
            continue
        raters[category].add(rater)
        if category == "profanity" and is_vulgar(text[start:end]):
            raters["vulgarity"].add(rater)
    # the per-type counts in the file are authoritative (a span may lack offsets)
    counts = {
        "personal_attack": int(row["n_insult"]),
        "threat": int(row["n_threat"]),
        "abuse": int(row["n_identity_attack"]),
        "profanity": int(row["n_profane_obscene"]),
    }
    out = []
    for c in CATEGORIES:
        if c == "promotion":
            out.append(0.0)
        elif c == "vulgarity":
            out.append(min(len(raters[c]), counts["profanity"]) / n)
        else:
            out.append(max(counts[c], len(raters[c])) / n)
    return [min(v, 1.0) for v in out]


def read_rows(data_dir: Path, split: str) -> list[dict[str, str]]:
    path = Path(data_dir) / FOLDER / f"{split}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def toxicspans(data_dir: Path, split: str = "train") -> Corpus:
    """The posts of one split with soft category labels (see the module docstring)."""
    path = Path(data_dir) / FOLDER / f"{split}.csv"
    rows = read_rows(data_dir, split)
    texts = [r["text"] for r in rows]
    labels = np.array([_labels(r) for r in rows], dtype=np.float64)
    return Corpus(f"toxicspans-{split}", texts, labels, [path])
