"""The decision: scores and policy in, verdict and reason out. Pure functions only."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .address import WEAK_CUES as WEAK_ADDRESS_CUES
from .lexicon import PROFANITY, VULGARITY
from .normalize import LINK_PATTERN, normalize
from .promotion import allowed_host, host_of
from .rules import MILD_PATTERN
from .stopwords import is_stop_word
from .target import WEAK_CUES, person_cue
from .terms import REJECT, TermHit
from .types import CATEGORIES, TOXIC_CATEGORIES, Scoring, Span

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
    "flood": "The same text was posted several times; a moderator will review it.",
    "unscored": "Your comment is awaiting review by a moderator.",
    "unsupported_language": "Your comment is awaiting review by a moderator who reads its "
    "language.",
    "premoderation": "All comments on this site are reviewed by a moderator before they appear.",
    "contains_link": "Comments with links are reviewed by a moderator before they appear.",
}
REVIEW_MESSAGE = "Your comment is awaiting review by a moderator."
_SWEAR_WORDS = frozenset(PROFANITY + VULGARITY)
_WORD = re.compile(r"\w+")
# Every reason the policy gives (what the queue's ``category`` filter may name).
REASON_CODES: tuple[str, ...] = tuple(MESSAGES)


@dataclass(frozen=True, slots=True)
class Thresholds:
    reject: float
    review: float


# What happens to a comment in a language the version has no model for: held unread,
# scored by the nearest model, or approved unless a term-list entry matches.
HOLD, SCORE, APPROVE_UNLESS_TERMS = "hold", "score", "approve_unless_terms"
LANGUAGE_MODES = (HOLD, SCORE, APPROVE_UNLESS_TERMS)
# The model a comment in a language without its own is read by under ``score``: the same script.
NEAREST_MODEL = {"ckb": "ar", "fa": "ar", "kmr": "tr"}
ENGLISH, UNDETERMINED = "en", "und"
OFF_TOPIC = "off_topic"
# held above this (never rejected on relevance): picked on the Fox News threads' training
# rows so that 1% of comments under their own article are held (bench/relevance.py)
OFF_TOPIC_REVIEW = 0.96
# a comment whose only cues of a person are a public office or "he"/"she" (Arabic,
# Turkish: an office, or nobody) is held as ``personal_attack`` only above this (or the
# review threshold, if higher): an attack is then the model's likelier reading, not merely
# a possible one; and rejected only above WEAK_CUE_REJECT (or the reject threshold)
WEAK_CUE_REVIEW = 0.5
WEAK_CUE_REJECT = 0.95


@dataclass(frozen=True)
class Policy:
    thresholds: Mapping[str, Thresholds]
    hold_all: bool = False
    hold_links: bool = False
    # mild expletives (lexicon.MILD_PROFANITY) approved; off: a comment with one is held
    allow_mild_profanity: bool = True
    # per language without a model of its own: HOLD (default) or SCORE with the nearest
    language_modes: Mapping[str, str] = field(default_factory=dict)
    # a language model's own thresholds (its card section), where they differ from English
    language_thresholds: Mapping[str, Mapping[str, Thresholds]] = field(default_factory=dict)
    # an ``off_topic`` score above this holds the comment (1 never holds)
    off_topic_review: float = OFF_TOPIC_REVIEW

    def thresholds_for(self, language: str) -> Mapping[str, Thresholds]:
        return self.language_thresholds.get(language, self.thresholds)


def scoring_language(language: str, available: Collection[str], policy: Policy) -> str | None:
    """The language whose model judges a comment in ``language``; None: hold it unread.

    ``und`` (emoji, a few Latin-script words) is judged by the English model. A
    language without a model is held unless the policy says to score it with the
    nearest model of its script (or English when that is missing too).
    """
    if language == UNDETERMINED:
        language = ENGLISH
    if language in available:
        return language
    if policy.language_modes.get(language, HOLD) != SCORE:
        return None
    nearest = NEAREST_MODEL.get(language, ENGLISH)
    return nearest if nearest in available else ENGLISH if ENGLISH in available else None


def unsupported_language() -> Verdict:
    """Held for a moderator who reads the language: no model here reads it."""
    return Verdict(PENDING, _reason("unsupported_language"))


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


def link_spans(text: str, sources: Collection[str] = ()) -> tuple[Span, ...]:
    """The links in ``text``, but those to allowed domains (``sources``)."""
    return tuple(
        Span(m.start(), m.end(), "link")
        for m in LINK_PATTERN.finditer(text)
        if not allowed_host(host_of(m.group(0)), sources)
    )


def _reason(code: str, evidence: tuple[Span, ...] = (), message: str | None = None) -> Reason:
    return Reason(
        code=code, message=message or MESSAGES.get(code, REVIEW_MESSAGE), evidence=evidence
    )


# on a tie (two rules at the same floor), the graver category is the reason: "go back to
# your shithole" is abuse before it is profanity
GRAVITY = ("promotion", "profanity", "personal_attack", "vulgarity", "abuse", "threat")


def _strongest(scores: Mapping[str, float], over: Mapping[str, float]) -> str | None:
    hits = [c for c in CATEGORIES if scores.get(c, 0.0) > over[c]]
    return max(hits, key=lambda c: (scores[c], GRAVITY.index(c))) if hits else None


def swears_in_english(text: str) -> bool:
    """Does ``text`` hold a swear word of the lexicon (mild ones included), read on the
    normalised copy, so that "f*ck" and "sh1t" count?"""
    return any(word in _SWEAR_WORDS for word in _WORD.findall(normalize(text).text))


def mild_expletives(text: str) -> tuple[Span, ...]:
    """The mild expletives of ``text`` (``lexicon.MILD_PROFANITY``), as profanity spans."""
    return tuple(Span(m.start(), m.end(), "profanity") for m in MILD_PATTERN.finditer(text))


def scoring_text(text: str, policy: Policy) -> str:
    """What the model reads of ``text``: with ``allow_mild_profanity`` on, its mild
    expletives blanked (same length, as allowlisted terms are), so "What the hell were
    they thinking?" pushes no category; with it off, ``text`` itself."""
    if not policy.allow_mild_profanity:
        return text
    return MILD_PATTERN.sub(lambda m: " " * len(m.group()), text)


def decide(
    scoring: Scoring | None,
    policy: Policy,
    text: str,
    language: str = ENGLISH,
    sources: Collection[str] = (),
) -> Verdict:
    """Reject over a reject threshold, hold between the two, approve below all; a
    comment far from its article (``off_topic``) is held, never rejected. An English
    comment is held for ``personal_attack`` only when it is aimed at a person
    (:func:`~.target.person_cue`), over :data:`WEAK_CUE_REVIEW` when the only cues are a
    public office or a third-person pronoun; so is an Arabic or Turkish one whose only
    cue is an office or that names no person, no group and swears not (``scoring.cue``
    ``"nobody"``); such a weak cue is rejected only over :data:`WEAK_CUE_REJECT` (or the
    reject threshold), any other over the reject threshold. An English comment that says
    "you" with no swear word in it is an attack, never ``profanity``.

    With ``allow_mild_profanity`` off, a comment holding a mild expletive is held as
    ``profanity`` at least (on, :func:`scoring_text` blanked them before scoring). A
    comment whose rule triggers are all quoted, reported or condemned
    (``scoring.reported``) is held at most, never rejected for a toxic category.
    Pre-moderation and the link switch only hold what would otherwise be
    approved: a comment over a reject threshold is rejected either way. With no
    scores (no model, or scoring failed) the comment is held, never approved.
    """
    if scoring is None:
        return Verdict(PENDING, _reason("unscored"))
    scores = scoring.scores
    thresholds = policy.thresholds_for(language)
    rejects = {c: thresholds[c].reject for c in CATEGORIES}
    reviews = {c: thresholds[c].review for c in CATEGORIES}

    def evidence_for(category: str) -> tuple[Span, ...]:
        """The category's spans, without lone function words ("the", "is"), from any model."""
        return tuple(
            span
            for span in scoring.evidence
            if span.category == category and not is_stop_word(text[span.start : span.end])
        )

    # the Arabic and Turkish models report the cue they read; English is read here
    english = language in (ENGLISH, UNDETERMINED)
    cue = person_cue(text) if english else scoring.cue
    if english and cue is None:
        # harsh words about a policy or an institution: not held as an attack on a person
        reviews["personal_attack"] = float("inf")
    elif cue in (WEAK_CUES if english else WEAK_ADDRESS_CUES):
        # about an official or a "he", or (Arabic, Turkish) about nobody: held only when
        # an attack is the likelier reading, rejected only when it is a near certainty
        # ("الوزير فاشل ولازم يستقيل", "the minister has failed and must resign", is held)
        reviews["personal_attack"] = max(reviews["personal_attack"], WEAK_CUE_REVIEW)
        rejects["personal_attack"] = max(rejects["personal_attack"], WEAK_CUE_REJECT)
    # "Shut up, you PKK terrorist", "shut ur mouth jash": words aimed at the reader with
    # no swear word in them are an attack on a person, whatever the profanity head reads
    # in them ("shut", "mouth"): held or rejected by personal_attack's thresholds
    an_attack = (
        english
        and cue == "you"
        and scores.get("personal_attack", 0.0) > reviews["personal_attack"]
        and not swears_in_english(text)
    )
    if an_attack:
        rejects["profanity"] = float("inf")
    category = _strongest(scores, rejects)
    if category and not (scoring.reported and category in TOXIC_CATEGORIES):
        return Verdict(REJECTED, _reason(category, evidence_for(category)))
    category = category or _strongest(scores, reviews)
    if category == "profanity" and an_attack:
        category = "personal_attack"
    if category:
        return Verdict(PENDING, _reason(category, evidence_for(category), REVIEW_MESSAGE))
    if scores.get(OFF_TOPIC, 0.0) > policy.off_topic_review:
        return Verdict(PENDING, _reason(OFF_TOPIC, message=REVIEW_MESSAGE))
    if not policy.allow_mild_profanity:
        mild = mild_expletives(text)
        if mild:
            return Verdict(PENDING, _reason("profanity", mild, REVIEW_MESSAGE))
    return approved_unless_switched(policy, text, sources)


def approved_unless_switched(policy: Policy, text: str, sources: Collection[str] = ()) -> Verdict:
    """Approved, unless pre-moderation or the link switch holds it (a link to an allowed
    domain in ``sources`` does not).

    What ``decide`` answers below every threshold, and what ``approve_unless_terms``
    answers for a comment no term-list entry matches.
    """
    if policy.hold_all:
        return Verdict(PENDING, _reason("premoderation"))
    if policy.hold_links:
        links = link_spans(text, sources)
        if links:
            return Verdict(PENDING, _reason("contains_link", links))
    return Verdict(APPROVED, None)


def with_term_hits(verdict: Verdict, hits: Sequence[TermHit]) -> Verdict:
    """The term lists' word over a verdict reached without them.

    A ``reject`` hit rejects whatever the verdict was (in any language, before
    ``unsupported_language``): the reason is the first such hit's category, with the
    reader's message. Otherwise a ``hold`` hit holds what would be approved, with its
    category as the reason; it also takes the place of a reason that says nothing
    about the text (``unscored``, ``premoderation``, ``contains_link``), so the
    moderator sees the category. A rejection by the model, a model's hold and
    ``unsupported_language`` keep their reason. Every hit is evidence in the reason,
    as a span with its category.
    """
    if not hits:
        return verdict
    spans = tuple(hit.span() for hit in hits)
    rejects = [hit for hit in hits if hit.action == REJECT]
    if rejects:
        return Verdict(REJECTED, _reason(rejects[0].category, spans))
    if verdict.status == APPROVED or verdict.reason is None:
        return Verdict(PENDING, _reason(hits[0].category, spans, REVIEW_MESSAGE))
    reason = verdict.reason
    if verdict.status == PENDING and reason.code in ("unscored", "premoderation", "contains_link"):
        return Verdict(PENDING, _reason(hits[0].category, spans + reason.evidence, REVIEW_MESSAGE))
    evidence = reason.evidence + tuple(s for s in spans if s not in reason.evidence)
    return Verdict(verdict.status, Reason(reason.code, reason.message, evidence))


def second_opinion(verdict: Verdict, other: Verdict) -> Verdict:
    """``verdict``, unless another reading of the comment (:mod:`.readings`) would not
    approve what it approves: then held, with that reading's reason and evidence. A
    second reading holds, never rejects: it is the reading the evidence argued against."""
    if verdict.status != APPROVED or other.status == APPROVED or other.reason is None:
        return verdict
    return Verdict(PENDING, replace(other.reason, message=REVIEW_MESSAGE))


def with_flood(verdict: Verdict, flood: bool) -> Verdict:
    """A flood (the same text again, see ``service.comments.floods``) holds what would be
    approved; a rejection or another hold keeps its reason."""
    if flood and verdict.status == APPROVED:
        return Verdict(PENDING, _reason("flood"))
    return verdict
