"""What one worker process serves: the active model, the effective policy, and the judgement.

Each worker re-reads the active version and the policy overrides from the
database at most every ``refresh_seconds``, so a promotion or a policy change
reaches every gunicorn worker within seconds, without a restart. Requests in
flight keep the model object they started with.

The app factory installs one :class:`Serving` per app (:func:`init_app`); code
reaches it through :func:`current`, and the API's endpoints judge texts through
:func:`judge`, the one place where scoring meets the policy.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from service.extensions import db
from service.moderation.bundle import ENGLISH, score_languages, scorers_of
from service.moderation.language import (
    UNDETERMINED,
    detect_language,
    routing_language,
)
from service.moderation.loader import LoadedModel, ModelLoadError, load_model, read_card
from service.moderation.policy import (
    APPROVE_UNLESS_TERMS,
    HOLD,
    OFF_TOPIC,
    Policy,
    Verdict,
    approved_unless_switched,
    decide,
    scoring_language,
    scoring_text,
    second_opinion,
    unsupported_language,
    with_term_hits,
)
from service.moderation.promotion import PROMOTION
from service.moderation.promotion import adjusted as promotion_adjusted
from service.moderation.promotion import scoring_copy as promotion_copy
from service.moderation.promotion import signals as promotion_signals
from service.moderation.readings import Reading, second_readings
from service.moderation.relevance import judged as relevance_applies
from service.moderation.relevance import off_topic_batch
from service.moderation.terms import EMPTY as NO_TERMS
from service.moderation.terms import TermLists
from service.moderation.types import Scoring
from service.serving.policy_store import build_policy, load_overrides
from service.serving.registry import RegistryError, active_version, check_digests
from service.serving.term_lists import lists_stamp, load_term_lists

log = logging.getLogger(__name__)
_UNSET = object()
# A refused version is tried again this often: a fixed file is served without a restart,
# and a still-tampered one logs its refusal again.
REFUSED_RETRY_SECONDS = 60.0


EXTENSION_KEY = "moderation"
VECTOR_CACHE = 2048


class Serving:
    def __init__(
        self,
        models_dir: str | Path,
        pinned_version: str | None,
        refresh_seconds: float,
        site_domains: tuple[str, ...] = (),
    ):
        self.models_dir = Path(models_dir)
        self.site_domains = frozenset(site_domains)
        self.pinned_version = pinned_version
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._next_refresh = 0.0
        self._model: LoadedModel | None = None
        self._wanted: object = _UNSET
        self._refused: dict[str, float] = {}  # version -> when it was refused
        self._policy: Policy = build_policy(None, {})
        self._terms: TermLists = NO_TERMS
        self._terms_stamp: tuple[int, int] | None = None
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()

    def wanted_version(self) -> str | None:
        """The version this process should serve: pinned, else the database's, else DEFAULT."""
        if self.pinned_version:
            return self.pinned_version
        return active_version(self.models_dir)

    def refresh(self, force: bool = False) -> None:
        """Pick up a promotion, a policy change or a term-list change; call inside an app
        context. The lists are recompiled only when their change log has moved."""
        now = time.monotonic()
        if not force and now < self._next_refresh:
            return
        with self._lock:
            if not force and now < self._next_refresh:
                return
            self._next_refresh = now + self.refresh_seconds
            try:
                wanted = self.wanted_version()
                overrides = load_overrides()
            except SQLAlchemyError as exc:
                db.session.rollback()
                log.warning("could not read the active model and policy (%s); keeping them", exc)
                return
            if wanted != self._wanted or self._retry_due(wanted):
                self._switch_to(wanted)
            self._policy = build_policy(self._model.card if self._model else None, overrides)
            self._refresh_terms()

    def _refresh_terms(self) -> None:
        """Recompile the term lists when their change log has moved; on a database error
        keep the lists compiled last (the model and policy are refreshed regardless)."""
        try:
            stamp = lists_stamp()
            if stamp == self._terms_stamp:
                return
            terms = load_term_lists()
        except SQLAlchemyError as exc:
            db.session.rollback()
            log.warning("could not read the term lists (%s); keeping them", exc)
            return
        self._terms, self._terms_stamp = terms, stamp
        log.info("term lists loaded: %d blocklist entries", len(terms))

    def _retry_due(self, version: str | None) -> bool:
        refused_at = self._refused.get(version) if version else None
        return refused_at is not None and time.monotonic() - refused_at >= REFUSED_RETRY_SECONDS

    def _switch_to(self, version: str | None) -> None:
        previous = self._model.version if self._model else None
        self._wanted = version
        if version is None:
            log.warning("no model version is active and models/DEFAULT names none: holding all")
            return
        if version in self._refused and not self._retry_due(version):
            return
        started = time.perf_counter()
        try:
            # the card against the database's record first: a replaced pickle and card are
            # refused before anything is unpickled (load_model checks the file against the card)
            check_digests(version, read_card(self.models_dir, version), f"worker:{os.getpid()}")
            model = load_model(self.models_dir, version)
        except (ModelLoadError, RegistryError) as exc:
            self._refused[version] = time.monotonic()
            log.error("refused model %s: %s; still serving %s", version, exc, previous or "none")
            return
        self._refused.pop(version, None)
        self._model = model
        log.info(
            "serving model %s (was %s), loaded in %.2fs",
            model.version,
            previous or "none",
            time.perf_counter() - started,
        )

    @property
    def model(self) -> LoadedModel | None:
        self.refresh()
        return self._model

    @property
    def policy(self) -> Policy:
        self.refresh()
        return self._policy

    @property
    def terms(self) -> TermLists:
        """The blocklist and allowlist, compiled (empty until the first refresh reads them)."""
        self.refresh()
        return self._terms

    def score(
        self, texts: list[str], languages: list[str | None] | None = None
    ) -> tuple[LoadedModel | None, list[Scoring | None] | None]:
        """Each text scored by its language's model (all English when ``languages`` is None).

        Returns ``(model, None)`` when the model cannot score: a failure is logged and
        turned into "no scores", which the policy holds for a human; a comment is never
        approved because scoring broke. A text whose language has no model gets None.
        """
        model = self.model
        if model is None:
            return None, None
        languages = languages if languages is not None else [ENGLISH] * len(texts)
        try:
            return model, score_languages(model.scorer, texts, languages)
        except Exception:
            log.exception(
                "model %s failed to score %d text(s); holding them", model.version, len(texts)
            )
            return model, None

    def relevance(self) -> tuple[Any, float] | None:
        """``(embed, floor)`` for ``off_topic``, of the model served now (None: it has no
        encoder). ``embed(texts)`` gives the unit-norm vectors relevance compares (the
        model's relevance space) and ``floor`` their cosine of unrelated texts.

        Articles and their recent comments are embedded again and again, so the last
        :data:`VECTOR_CACHE` texts' vectors are kept, per model version.
        """
        model = self.model  # read once: the vectors are keyed by the version they came from
        english = _english_of(model)
        if getattr(english, "encoder", None) is None:
            return None

        def embed(texts: list[str]) -> np.ndarray:
            keys = [(model.version, text) for text in texts]
            missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
            if missing:
                fresh = english.relevance_vectors([text for _, text in missing])
                with self._lock:
                    for key, vector in zip(missing, fresh, strict=True):
                        self._vectors[key] = vector
                    while len(self._vectors) > VECTOR_CACHE:
                        self._vectors.popitem(last=False)
            with self._lock:
                found = [self._vectors.get(k) for k in keys]
            if any(v is None for v in found):  # evicted meanwhile by another thread
                return english.relevance_vectors(texts)
            return np.stack(found)

        return embed, english.relevance_floor

    @property
    def card(self) -> dict[str, Any] | None:
        """The served model's card: where the policy's defaults come from."""
        model = self.model
        return model.card if model else None


def _english_of(model: LoadedModel | None) -> Any:
    return scorers_of(model.scorer).get(ENGLISH) if model else None


@dataclass(frozen=True, slots=True)
class Context:
    """What a comment is about: its article's text and the article's recently approved
    comments, for the ``off_topic`` score."""

    article: str
    recent: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Judgement:
    """The policy's verdict on one text, the scoring it read (None: unscored) and its
    languages: ``language`` is what routing used, ``detected_language`` the detector's."""

    verdict: Verdict
    scoring: Scoring | None
    language: str = UNDETERMINED
    detected_language: str = UNDETERMINED


@dataclass(frozen=True, slots=True)
class Judged:
    """A batch's judgements, in the order of the texts, and the model that was asked."""

    model: LoadedModel | None
    scored: bool
    judgements: list[Judgement]

    @property
    def model_version(self) -> str | None:
        """The version that scored the batch; None when nothing was scored."""
        return self.model.version if self.model and self.scored else None


def init_app(app: Flask) -> Serving:
    serving = Serving(
        app.config["MODELS_DIR"],
        app.config["MODEL_VERSION"],
        app.config["MODEL_REFRESH_SECONDS"],
        tuple(app.config.get("SITE_DOMAINS", ())),
    )
    app.extensions[EXTENSION_KEY] = serving
    return serving


def current() -> Serving:
    """This app's :class:`Serving` (inside an app context)."""
    return current_app.extensions[EXTENSION_KEY]


def judge(
    texts: list[str],
    site_languages: list[str | None] | None = None,
    contexts: list[Context | None] | None = None,
) -> Judged:
    """Detect each text's language, match the term lists, score it with that language's
    model and decide it under the served policy.

    Routing follows the detector when it is confident and the website's tag
    otherwise. Precedence: a blocklist entry that says ``reject`` rejects in any
    language; otherwise a language without a model is held unread
    (``unsupported_language``) unless the policy says to score it with the nearest
    model or to approve it unless a term matches (``approve_unless_terms``); then the
    model's categories, pre-moderation and links; a ``hold`` entry holds what would
    be approved. The model scores the text with allowlisted terms blanked (and mild
    expletives, while the policy allows them). Unscored texts (no model, or scoring
    failed) are held, never approved. A text with a ``contexts`` entry gets an
    ``off_topic`` score where relevance applies (:mod:`service.moderation.relevance`).
    """
    serving = current()
    model = serving.model
    policy = serving.policy
    terms = serving.terms
    # the allowed domains: the site's own and the allowlist's (links to sources)
    sources = serving.site_domains | terms.allowed_domains
    tags = site_languages or [None] * len(texts)
    detections = [detect_language(text) for text in texts]
    routed = [routing_language(d, tag) for d, tag in zip(detections, tags, strict=True)]
    available = scorers_of(model.scorer).keys() if model else {ENGLISH}
    readers = [scoring_language(language, available, policy) for language in routed]
    # blocklist hits, and each text with its allowlisted terms and source links blanked
    scans = [terms.scan(text, language) for text, language in zip(texts, routed, strict=True)]
    hits = [found for found, _ in scans]
    promoting = [
        promotion_signals(text, reader or language, sources)
        for text, reader, language in zip(texts, readers, routed, strict=True)
    ]
    masked = [  # and mild expletives, while the policy allows them
        scoring_text(promotion_copy(blanked, found), policy)
        for (_, blanked), found in zip(scans, promoting, strict=True)
    ]
    _, scorings = serving.score(masked, readers)
    if scorings is not None and contexts:
        scorings = _with_relevance(serving, texts, readers, contexts, scorings)
    others = {}
    if scorings is not None:
        seconds = [
            second_readings(copy, detection, reader, available)
            for copy, detection, reader in zip(masked, detections, readers, strict=True)
        ]
        others = _second_verdicts(serving, policy, terms, texts, seconds, sources)
    judgements = []
    for i, text in enumerate(texts):
        reader = readers[i] or ENGLISH
        scoring = scorings[i] if scorings is not None else None
        limits = policy.thresholds_for(reader)[PROMOTION]
        scoring = promotion_adjusted(scoring, promoting[i], limits.review, limits.reject)
        mode = policy.language_modes.get(routed[i], HOLD)
        if readers[i] is None and mode == APPROVE_UNLESS_TERMS:
            verdict = approved_unless_switched(policy, text, sources)
        elif scorings is not None and readers[i] is None:
            verdict = unsupported_language()
        else:
            verdict = decide(scoring, policy, text, reader, sources)
        verdict = with_term_hits(verdict, hits[i])
        for other, other_scoring in others.get(i, ()):
            held = second_opinion(verdict, other)
            if held is not verdict:
                verdict, scoring = held, other_scoring
        judgements.append(Judgement(verdict, scoring, routed[i], detections[i].code))
    return Judged(model=model, scored=scorings is not None, judgements=judgements)


def _second_verdicts(
    serving: Serving,
    policy: Policy,
    terms: TermLists,
    texts: list[str],
    seconds: list[list[Reading]],
    sources: Collection[str],
) -> dict[int, list[tuple[Verdict, Scoring]]]:
    """Each text's second readings (:mod:`service.moderation.readings`) scored and
    decided, by position; none when the model cannot score them (the first stands)."""
    flat = [(i, reading) for i, readings in enumerate(seconds) for reading in readings]
    if not flat:
        return {}
    _, scorings = serving.score([r.text for _, r in flat], [r.language for _, r in flat])
    if scorings is None:
        return {}
    out: dict[int, list[tuple[Verdict, Scoring]]] = {}
    for (i, reading), scoring in zip(flat, scorings, strict=True):
        if scoring is not None:
            found, _ = terms.scan(reading.text, reading.language)
            verdict = decide(scoring, policy, texts[i], reading.language, sources)
            out.setdefault(i, []).append((with_term_hits(verdict, found), scoring))
    return out


def _with_relevance(
    serving: Serving,
    texts: list[str],
    readers: list[str | None],
    contexts: list[Context | None],
    scorings: list[Scoring | None],
) -> list[Scoring | None]:
    """``scorings`` with ``off_topic`` added where it applies; a failure only logs (the
    comment is judged without it, as with no article)."""
    out = list(scorings)
    relevance = serving.relevance()
    if relevance is None:
        return out
    embed, floor = relevance
    for i, (text, context) in enumerate(zip(texts, contexts, strict=True)):
        if context is None or not context.article or out[i] is None or readers[i] is None:
            continue
        if not relevance_applies(text, readers[i]):
            continue
        try:
            score = off_topic_batch(embed, [text], context.article, context.recent, floor)
        except Exception:
            log.exception("relevance failed for one comment; judged without off_topic")
            continue
        out[i] = replace(out[i], scores={**out[i].scores, OFF_TOPIC: round(score[0], 4)})
    return out
