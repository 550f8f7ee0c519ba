"""``/metrics``: Prometheus text on the app's own port (prometheus-client).

Under gunicorn every worker writes its samples to ``PROMETHEUS_MULTIPROC_DIR``
(``gunicorn.conf.py`` sets it up) and a scrape of any worker reads them all;
under ``flask run`` the process's own registry is served. Open unless
``METRICS_TOKEN`` is set; then it needs ``Authorization: Bearer <token>``.

Counted: request latency per endpoint, decisions (by status, reason category,
decider and the comment's language, the one routing used; counted when their
transaction commits), rate-limit refusals. Read
at scrape time: the queue depth, the served model version and the webhook outbox
(pending: the backlog; failed).
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from sqlalchemy import event, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service.extensions import db
from service.serving.runtime import current
from service.tables import Comment, Decision
from service.webhooks.endpoints import event_counts

REQUEST_SECONDS = Histogram(
    "moderation_request_seconds",
    "Time to answer a request, by endpoint.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DECISIONS = Counter(
    "moderation_decisions_total",
    "Decisions recorded, by status, reason code, who decided (model or moderator) and the "
    "comment's language (the one routing used; none if not recorded).",
    ["status", "reason", "decided_by", "language"],
)
RATE_LIMITED = Counter(
    "moderation_rate_limited_total", "Requests refused by a rate limit (429).", ["endpoint"]
)


class StoreCollector:
    """Figures read from the database when Prometheus scrapes."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self) -> Iterator[object]:
        depth = GaugeMetricFamily(
            "moderation_queue_depth", "Comments held for a moderator.", labels=["language"]
        )
        model = InfoMetricFamily("moderation_model", "The model version this worker serves.")
        events = GaugeMetricFamily(
            "moderation_webhook_events",
            "Webhook events by status: pending is the backlog, failed gave up after 24 hours.",
            labels=["status"],
        )
        with self.app.app_context():
            try:
                rows = db.session.execute(
                    select(Comment.language, func.count())
                    .where(Comment.status == "pending")
                    .group_by(Comment.language)
                ).all()
                outbox = event_counts()
            except SQLAlchemyError:
                db.session.rollback()
                rows, outbox = [], {}
            for language, count in rows:
                depth.add_metric([language or "none"], count)
            for status, count in outbox.items():
                events.add_metric([status], count)
            served = current().model
            model.add_metric([], {"version": served.version if served else "none"})
        yield depth
        yield model
        yield events


def _count_decisions(session: Session) -> None:
    for labels in session.info.pop("new_decisions", []):
        DECISIONS.labels(*labels).inc()


def _languages(session: Session, decisions: list[Decision]) -> list[str]:
    """Each decision's comment language: from the comment in the session, else one query."""
    found: dict[int, str | None] = {}
    missing = set()
    for d in decisions:
        comment = d.__dict__.get("comment")  # set when the decision was built with its comment
        if comment is None and d.comment_id is not None:
            comment = session.identity_map.get(session.identity_key(Comment, d.comment_id))
        if comment is not None:
            found[id(d)] = comment.language
        elif d.comment_id is not None:
            missing.add(d.comment_id)
    if missing:
        with session.no_autoflush:
            stored = dict(
                session.execute(
                    select(Comment.id, Comment.language).where(Comment.id.in_(missing))
                ).all()
            )
        for d in decisions:
            if id(d) not in found:
                found[id(d)] = stored.get(d.comment_id)
    return [found.get(id(d)) or "none" for d in decisions]


def _remember_decisions(session: Session, flush_context: object, instances: object) -> None:
    """Note each new decision's labels at flush; they are counted if the commit succeeds."""
    new = [d for d in session.new if isinstance(d, Decision)]
    if new:
        labels = [
            (d.status, d.reason_code or "none", d.decided_by, language)
            for d, language in zip(new, _languages(session, new), strict=True)
        ]
        session.info.setdefault("new_decisions", []).extend(labels)


def _forget_decisions(session: Session) -> None:
    session.info.pop("new_decisions", None)


def _registry(app: Flask) -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUEST_SECONDS, DECISIONS, RATE_LIMITED):
            registry.register(collector)
    registry.register(StoreCollector(app))
    return registry


def init_app(app: Flask) -> None:
    token = app.config.get("METRICS_TOKEN")
    scrape_registry = _registry(app)

    if not event.contains(Session, "before_flush", _remember_decisions):
        event.listen(Session, "before_flush", _remember_decisions)
        event.listen(Session, "after_commit", _count_decisions)
        event.listen(Session, "after_rollback", _forget_decisions)

    @app.before_request
    def _start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
        if started is not None and endpoint != "metrics":
            REQUEST_SECONDS.labels(endpoint, request.method, str(response.status_code)).observe(
                time.perf_counter() - started
            )
        if response.status_code == 429:
            RATE_LIMITED.labels(endpoint).inc()
        return response

    @app.route("/metrics")
    def metrics() -> Response:
        if token:
            sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(sent.encode(), token.encode()):
                return Response(
                    "a metrics token is required\n",
                    401,
                    {"WWW-Authenticate": 'Bearer realm="metrics"'},
                    mimetype="text/plain",
                )
        return Response(generate_latest(scrape_registry), mimetype=CONTENT_TYPE_LATEST)
