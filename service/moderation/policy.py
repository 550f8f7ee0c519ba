"""The decision: scores and policy in, verdict and reason out. Pure functions only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .normalize import LINK_PATTERN
from .types import CATEGORIES, Scoring, Span

APPROVED, REJECTED, PENDING = "approved", "rejected", "pending"

MESSAGES = {
    "profanity": "Your comment contains profanity, which our community guidelines do not allow.",
    "vulgarity": "Your comment contains vulgar or sexual language, which our guidelines do not "
    "allow.",
    "threat": "Your comment appears to threaten someone. Threats are never allowed.",
    "personal_attack": "Your comment appears to attack another person. Please discuss ideas, "
    "not people.",
    "abuse": "Your comment appears to attack people for who they are (for example their race, "
    "religion, gender, sexuality or origin). This is not allowed.",
    "promotion": "Your comment appears to promote a product, service or channel. Promotion is "
    "not allowed.",
    "off_topic": "Your comment does not seem to be about this article.",
    "unscored": "Your comment is awaiting review by a moderator.",
    "premoderation": "All comments on this site are reviewed by a moderator before they appear.",
    "contains_link": "Comments with links are reviewed by a moderator before they appear.",
}
REVIEW_MESSAGE = "Your comment is awaiting review by a moderator."


@dataclass(frozen=True, slots=True)
class Thresholds:
    reject: float
    review: float


@dataclass(frozen=True)
class Policy:
    thresholds: Mapping[str, Thresholds]
    hold_all: bool = False
    hold_links: bool = False


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    evidence: tuple[Span, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: Reason | None


BUILT_IN_THRESHOLDS = {category: Thresholds(reject=0.9, review=0.5) for category in CATEGORIES}


def link_spans(text: str) -> tuple[Span, ...]:
    return tuple(Span(m.start(), m.end(), "link") for m in LINK_PATTERN.finditer(text))


def _reason(code: str, evidence: tuple[Span, ...] = (), message: str | None = None) -> Reason:
    return Reason(
        code=code, message=message or MESSAGES.get(code, REVIEW_MESSAGE), evidence=evidence
    )


def _strongest(scores: Mapping[str, float], over: Mapping[str, float]) -> str | None:
    hits = [c for c in CATEGORIES if scores.get(c, 0.0) > over[c]]
    return max(hits, key=lambda c: scores[c]) if hits else None


def decide(scoring: Scoring | None, policy: Policy, text: str) -> Verdict:
    """Reject over a reject threshold, hold between the two, approve below all.

    Pre-moderation and the link switch only hold what would otherwise be
    approved: a comment over a reject threshold is rejected either way. With no
    scores (no model, or scoring failed) the comment is held, never approved.
    """
    if scoring is None:
        return Verdict(PENDING, _reason("unscored"))
    scores = scoring.scores
    rejects = {c: policy.thresholds[c].reject for c in CATEGORIES}
    reviews = {c: policy.thresholds[c].review for c in CATEGORIES}

    def evidence_for(category: str) -> tuple[Span, ...]:
        return tuple(span for span in scoring.evidence if span.category == category)

    category = _strongest(scores, rejects)
    if category:
        return Verdict(REJECTED, _reason(category, evidence_for(category)))
    category = _strongest(scores, reviews)
    if category:
        return Verdict(PENDING, _reason(category, evidence_for(category), REVIEW_MESSAGE))
    if policy.hold_all:
        return Verdict(PENDING, _reason("premoderation"))
    if policy.hold_links:
        links = link_spans(text)
        if links:
            return Verdict(PENDING, _reason("contains_link", links))
    return Verdict(APPROVED, None)
