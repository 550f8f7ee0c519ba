"""The vocabulary shared by the scorer, the policy and the API.

A saved model is data: it is unpickled by the web process, so every type it
returns lives here, under ``service``, never under ``training``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES: tuple[str, ...] = (
    "profanity",
    "vulgarity",
    "threat",
    "personal_attack",
    "abuse",
    "promotion",
)
TOXIC_CATEGORIES: tuple[str, ...] = CATEGORIES[:5]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the original text (code points, ``end`` exclusive) that drove a score."""

    start: int
    end: int
    category: str


@dataclass(frozen=True, slots=True)
class Scoring:
    """What a model says of one text: a probability per category and the spans behind it.

    ``evidence`` lists spans of the *original* text, strongest first within each category.
    ``reported`` holds the rule triggers the text quotes, reports or condemns, when it
    uses none itself: they set no floor, and the policy holds such a comment at most.
    ``cue`` is the kind of person cue a model that reads the target itself found (the
    Arabic and Turkish models, :func:`~.address.person_target`), else None.
    """

    scores: dict[str, float]
    evidence: list[Span] = field(default_factory=list)
    reported: tuple[Span, ...] = ()
    cue: str | None = None
