"""A deterministic stand-in model for API tests: a word list per category.

It is pickled with joblib into a temporary models directory with a real card,
so the tests exercise the real loader (sha256 check included).
"""

from __future__ import annotations

import re
from pathlib import Path

from service.moderation.types import CATEGORIES, Scoring, Span
from training import card

DEFAULT_WORDS = {"darn": "profanity", "idiot": "personal_attack", "buynow": "promotion"}


class KeywordScorer:
    def __init__(self, words: dict[str, str], hit: float = 0.99, base: float = 0.01):
        self.words = words
        self.hit = hit
        self.base = base

    def score_batch(self, texts: list[str]) -> list[Scoring]:
        return [self._score(text) for text in texts]

    def _score(self, text: str) -> Scoring:
        scores = dict.fromkeys(CATEGORIES, self.base)
        evidence = []
        for match in re.finditer(r"\w+", text):
            category = self.words.get(match.group().lower())
            if category:
                scores[category] = self.hit
                evidence.append(Span(match.start(), match.end(), category))
        return Scoring(scores=scores, evidence=evidence)


class BrokenScorer:
    def score_batch(self, texts: list[str]) -> list[Scoring]:
        raise RuntimeError("model exploded")


def write_model(models_dir: Path, version: str, scorer: object, thresholds=None) -> Path:
    """Save ``scorer`` with a real card, as training does (the default thresholds: 0.5 / 0.9)."""
    default = {c: {"reject": 0.9, "review": 0.5} for c in CATEGORIES}
    return card.write_model(scorer, models_dir, version, thresholds or default)
