"""One model version for every language it can judge: a scorer per language.

A version's artifact is either a single scorer (English only: every version
before the languages issue) or a :class:`LanguageBundle` of scorers keyed by
language code (``en``, ``ar``, ``tr``). A language's scorer returns scores only
for the categories its data can label (its card section says which).

The bundle is what the loader unpickles; anything it needs (an encoder handed
over by the loader) is passed on to the scorers that want it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .types import Scoring

ENGLISH = "en"


class LanguageBundle:
    """Scorers keyed by language; :meth:`score_batch` alone scores as English."""

    def __init__(self, scorers: Mapping[str, Any]):
        if ENGLISH not in scorers:
            raise ValueError("a bundle needs an English scorer: it also judges 'und'")
        self.scorers = dict(scorers)

    @property
    def encoder_sha256(self) -> str | None:
        digests = {getattr(s, "encoder_sha256", None) for s in self.scorers.values()} - {None}
        if len(digests) > 1:
            raise ValueError("the bundle's scorers were fitted on different encoders")
        return next(iter(digests), None)

    def attach_encoder(self, encoder: Any) -> None:
        for scorer in self.scorers.values():
            if hasattr(scorer, "attach_encoder"):
                scorer.attach_encoder(encoder)

    def score_batch(self, texts: list[str]) -> list[Scoring]:
        return self.scorers[ENGLISH].score_batch(texts)

    def score(self, text: str) -> Scoring:
        return self.score_batch([text])[0]


def scorers_of(artifact: Any) -> Mapping[str, Any]:
    """The scorer of each language an artifact can judge (a lone scorer is English)."""
    return artifact.scorers if isinstance(artifact, LanguageBundle) else {ENGLISH: artifact}


def score_languages(
    artifact: Any, texts: Sequence[str], languages: Sequence[str | None]
) -> list[Scoring | None]:
    """Each text scored by its language's scorer, one call per language, in order.

    A text whose language is ``None`` or has no scorer gets ``None``. Exceptions
    from a scorer propagate: the caller decides what a failure means.
    """
    scorers = scorers_of(artifact)
    out: list[Scoring | None] = [None] * len(texts)
    groups: dict[str, list[int]] = {}
    for i, language in enumerate(languages):
        if language in scorers:
            groups.setdefault(language, []).append(i)
    for language, rows in groups.items():
        scorings = scorers[language].score_batch([texts[i] for i in rows])
        if len(scorings) != len(rows):
            raise ValueError(
                f"the {language} scorer returned {len(scorings)} scorings for {len(rows)} texts"
            )
        for i, scoring in zip(rows, scorings, strict=True):
            out[i] = scoring
    return out
