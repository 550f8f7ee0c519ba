"""The dispatcher: claim due events, POST them signed, retry with backoff, then give up.

At least once: an event is marked delivered only after a 2xx answer, so a crash between
the answer and the mark sends it again (receivers drop repeats by the event ``id``).
Several dispatchers may run at once. Claiming an event is a short transaction that moves
its ``next_attempt_at`` past the time its delivery can take (a lease); on PostgreSQL the
candidate row is taken with ``FOR UPDATE SKIP LOCKED``, so dispatchers pass each other
by, and on every database the claim is a compare-and-swap whose row count is checked,
so no two dispatchers send one event at the same moment. A dispatcher that dies holding
a lease leaves the event due again when the lease ends.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from service.clock import utcnow
from service.extensions import db
from service.tables import ApiClient, WebhookEndpoint, WebhookEvent
from service.webhooks.outbox import DELIVERED, FAILED, PENDING
from service.webhooks.signing import SIGNATURE_HEADER, signature
from service.webhooks.urls import WebhookUrlError, check_url

log = logging.getLogger(__name__)

RETRY_WINDOW = timedelta(hours=24)  # retried at least this long after the decision
FIRST_DELAY_SECONDS = 30.0
MAX_DELAY_SECONDS = 3600.0
LEASE_MARGIN_SECONDS = 30.0
USER_AGENT = "comment-moderation-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What one attempt did: ``status`` is the event's status after it."""

    event_id: str
    client: str
    attempt: int
    status: str
    error: str | None = None
    next_attempt_at: datetime | None = None


@dataclass(frozen=True)
class _Claimed:
    event_id: str
    attempt: int
    created_at: datetime
    body: str
    client: str
    url: str | None
    secret: str | None


def backoff(attempt: int, rng: random.Random | None = None) -> timedelta:
    """The wait after failed attempt number ``attempt`` (1, 2, ...): 30 s doubling up to an
    hour, each drawn between half and all of that (jitter, so retries do not arrive in step).
    """
    ceiling = min(FIRST_DELAY_SECONDS * 2 ** max(attempt - 1, 0), MAX_DELAY_SECONDS)
    return timedelta(seconds=ceiling * (rng or random).uniform(0.5, 1.0))


def _timeout() -> float:
    return float(current_app.config["WEBHOOK_TIMEOUT_SECONDS"])


def _claim_next(now: datetime) -> _Claimed | None:
    """Take the soonest due event for one delivery, or None when nothing is due."""
    lease = timedelta(seconds=2 * _timeout() + LEASE_MARGIN_SECONDS)
    for _ in range(5):  # another dispatcher may win a candidate: try the next one
        query = (
            select(WebhookEvent.id)
            .where(WebhookEvent.status == PENDING, WebhookEvent.next_attempt_at <= now)
            .order_by(WebhookEvent.next_attempt_at)
            .limit(1)
        )
        if db.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        event_id = db.session.scalar(query)
        if event_id is None:
            db.session.rollback()
            return None
        taken = db.session.execute(
            update(WebhookEvent)
            .where(
                WebhookEvent.id == event_id,
                WebhookEvent.status == PENDING,
                WebhookEvent.next_attempt_at <= now,
            )
            .values(next_attempt_at=now + lease, attempts=WebhookEvent.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            db.session.rollback()
            continue
        row = db.session.execute(
            select(
                WebhookEvent.attempts,
                WebhookEvent.created_at,
                WebhookEvent.body,
                ApiClient.name,
                WebhookEndpoint.url,
                WebhookEndpoint.secret,
            )
            .join(ApiClient, ApiClient.id == WebhookEvent.client_id)
            .outerjoin(WebhookEndpoint, WebhookEndpoint.client_id == WebhookEvent.client_id)
            .where(WebhookEvent.id == event_id)
        ).one()
        db.session.commit()
        return _Claimed(event_id, *row)
    return None


def _cause(exc: BaseException) -> str:
    """A short reason for a failed request, without the URL (it may carry a token)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        for arg in getattr(seen, "args", ()):
            if isinstance(arg, OSError) and arg.strerror:
                return arg.strerror
        seen = seen.__cause__ or seen.__context__
    return type(exc).__name__


def post(http: requests.Session, url: str, secret: str, body: bytes, timeout: float) -> str | None:
    """POST one signed body; None when the receiver answered 2xx, else why not."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature(secret, body, int(time.time())),
    }
    try:
        with http.post(
            url, data=body, headers=headers, timeout=timeout, allow_redirects=False, stream=True
        ) as answer:
            if 200 <= answer.status_code < 300:
                return None
            if answer.is_redirect:
                return f"HTTP {answer.status_code}: a redirect, not followed"
            return f"HTTP {answer.status_code}"
    except requests.Timeout:
        return f"no answer within {timeout:g} s"
    except requests.ConnectionError as exc:
        return f"connection failed: {_cause(exc)}"
    except requests.RequestException as exc:
        return f"request failed: {_cause(exc)}"


def _attempt(claimed: _Claimed, http: requests.Session) -> str | None:
    if claimed.url is None or claimed.secret is None:
        return "the client has no webhook set now"
    try:
        check_url(
            claimed.url,
            require_https=current_app.config["WEBHOOK_REQUIRE_HTTPS"],
            allow_private=current_app.config["WEBHOOK_ALLOW_PRIVATE"],
        )
    except WebhookUrlError as exc:
        return str(exc)
    return post(http, claimed.url, claimed.secret, claimed.body.encode("utf-8"), _timeout())


def _record(claimed: _Claimed, error: str | None) -> Outcome:
    now = utcnow()
    mine = (WebhookEvent.id == claimed.event_id, WebhookEvent.attempts == claimed.attempt)
    if error is None:
        values: dict = {"status": DELIVERED, "delivered_at": now, "last_error": None}
        outcome = Outcome(claimed.event_id, claimed.client, claimed.attempt, DELIVERED)
    elif claimed.url is None or now >= claimed.created_at + RETRY_WINDOW:
        values = {"status": FAILED, "last_error": error[:500]}
        outcome = Outcome(claimed.event_id, claimed.client, claimed.attempt, FAILED, error)
    else:
        due = now + backoff(claimed.attempt)
        values = {"next_attempt_at": due, "last_error": error[:500]}
        outcome = Outcome(claimed.event_id, claimed.client, claimed.attempt, PENDING, error, due)
    db.session.execute(
        update(WebhookEvent)
        .where(*mine, WebhookEvent.status == PENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return outcome


def _log(outcome: Outcome) -> None:
    where = f"webhook event {outcome.event_id} for {outcome.client}"
    if outcome.status == DELIVERED:
        log.info("%s delivered (attempt %d)", where, outcome.attempt)
    elif outcome.status == FAILED:
        log.error("%s failed for good after %d attempts: %s", where, outcome.attempt, outcome.error)
    else:
        log.warning(
            "%s not delivered (attempt %d): %s; next attempt at %s",
            where,
            outcome.attempt,
            outcome.error,
            outcome.next_attempt_at.isoformat(timespec="seconds"),
        )


def deliver_next(http: requests.Session) -> Outcome | None:
    """Send the soonest due event once; None when nothing is due."""
    claimed = _claim_next(utcnow())
    if claimed is None:
        return None
    outcome = _record(claimed, _attempt(claimed, http))
    _log(outcome)
    return outcome


def deliver_due(http: requests.Session | None = None) -> list[Outcome]:
    """Send every event that is due now, once each (a failed one is due again later)."""
    http = http or requests.Session()
    outcomes = []
    while (outcome := deliver_next(http)) is not None:
        outcomes.append(outcome)
    return outcomes


def run(stop: threading.Event, interval: float = 1.0) -> None:
    """Deliver until ``stop`` is set, looking for due events every ``interval`` seconds."""
    http = requests.Session()
    while not stop.is_set():
        try:
            outcome = deliver_next(http)
        except DBAPIError:  # the database went away: log, wait, try again with a new session
            db.session.remove()
            log.exception("webhook dispatcher could not reach the database; retrying")
            outcome = None
        if outcome is None:
            stop.wait(interval)
