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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from service.extensions import db
from service.moderation.bundle import ENGLISH, score_languages, scorers_of
from service.moderation.language import UNDETERMINED, detect_language, routing_language
from service.moderation.loader import LoadedModel, ModelLoadError, load_model, read_card
from service.moderation.policy import (
    APPROVE_UNLESS_TERMS,
    HOLD,
    Policy,
    Verdict,
    approved_unless_switched,
    decide,
    scoring_language,
    unsupported_language,
    with_term_hits,
)
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


class Serving:
    def __init__(self, models_dir: str | Path, pinned_version: str | None, refresh_seconds: float):
        self.models_dir = Path(models_dir)
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

    @property
    def card(self) -> dict[str, Any] | None:
        """The served model's card: where the policy's defaults come from."""
        model = self.model
        return model.card if model else None


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
        app.config["MODELS_DIR"], app.config["MODEL_VERSION"], app.config["MODEL_REFRESH_SECONDS"]
    )
    app.extensions[EXTENSION_KEY] = serving
    return serving


def current() -> Serving:
    """This app's :class:`Serving` (inside an app context)."""
    return current_app.extensions[EXTENSION_KEY]


def judge(texts: list[str], site_languages: list[str | None] | None = None) -> Judged:
    """Detect each text's language, match the term lists, score it with that language's
    model and decide it under the served policy.

    Routing follows the detector when it is confident and the website's tag
    otherwise. Precedence: a blocklist entry that says ``reject`` rejects in any
    language; otherwise a language without a model is held unread
    (``unsupported_language``) unless the policy says to score it with the nearest
    model or to approve it unless a term matches (``approve_unless_terms``); then the
    model's categories, pre-moderation and links; a ``hold`` entry holds what would
    be approved. The model scores the text with allowlisted terms blanked. Unscored
    texts (no model, or scoring failed) are held, never approved.
    """
    serving = current()
    model = serving.model
    policy = serving.policy
    terms = serving.terms
    tags = site_languages or [None] * len(texts)
    detections = [detect_language(text) for text in texts]
    routed = [routing_language(d, tag) for d, tag in zip(detections, tags, strict=True)]
    # blocklist hits, and each text with its allowlisted terms blanked for the model
    scans = [terms.scan(text, language) for text, language in zip(texts, routed, strict=True)]
    hits = [found for found, _ in scans]
    masked = [blanked for _, blanked in scans]
    available = scorers_of(model.scorer).keys() if model else {ENGLISH}
    readers = [scoring_language(language, available, policy) for language in routed]
    _, scorings = serving.score(masked, readers)
    judgements = []
    for i, text in enumerate(texts):
        scoring = scorings[i] if scorings is not None else None
        mode = policy.language_modes.get(routed[i], HOLD)
        if readers[i] is None and mode == APPROVE_UNLESS_TERMS:
            verdict = approved_unless_switched(policy, text)
        elif scorings is not None and readers[i] is None:
            verdict = unsupported_language()
        else:
            verdict = decide(scoring, policy, text, readers[i] or ENGLISH)
        verdict = with_term_hits(verdict, hits[i])
        judgements.append(Judgement(verdict, scoring, routed[i], detections[i].code))
    return Judged(model=model, scored=scorings is not None, judgements=judgements)
