"""The outbox: one event per later decision, written in the decision's own transaction.

A decision and its event commit together or not at all, so the website hears of every
decision that stands and of none that was refused. The dispatcher sends them later.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from service.clock import utcnow
from service.extensions import db
from service.schemas.webhooks import DecisionEventSchema
from service.tables import Comment, Decision, WebhookEndpoint, WebhookEvent

EVENT_TYPE = "comment.decided"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
_SCHEMA = DecisionEventSchema()


def event_body(event_id: str, decision: Decision, external_id: str, article_id: str) -> str:
    """The JSON text that is signed and posted (the same bytes on every attempt)."""
    body = _SCHEMA.dump(
        {
            "id": event_id,
            "type": EVENT_TYPE,
            "comment_id": decision.comment_id,
            "external_id": external_id,
            "article_id": article_id,
            "status": decision.status,
            "reason": decision.reason(),
            "decided_by": decision.decided_by,
            "decided_at": decision.created_at,
        }
    )
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def record_decisions(decisions: Sequence[Decision]) -> list[WebhookEvent]:
    """Add an event, due at once, for each decision whose comment's client has a webhook.

    Call it before the decision's commit; it flushes (for the decisions' ids and times)
    but does not commit.
    """
    if not decisions:
        return []
    db.session.flush()
    rows = db.session.execute(
        select(Comment.id, Comment.client_id, Comment.external_id, Comment.article_id)
        .join(WebhookEndpoint, WebhookEndpoint.client_id == Comment.client_id)
        .where(Comment.id.in_({d.comment_id for d in decisions}))
    )
    comments = {row.id: row for row in rows}
    now = utcnow()
    events = []
    for decision in decisions:
        comment = comments.get(decision.comment_id)
        if comment is None:
            continue
        event_id = str(uuid.uuid4())
        events.append(
            WebhookEvent(
                id=event_id,
                client_id=comment.client_id,
                comment_id=decision.comment_id,
                body=event_body(event_id, decision, comment.external_id, comment.article_id),
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    db.session.add_all(events)
    return events


def open_events(limit: int = 100) -> list[WebhookEvent]:
    """Pending and failed events, newest first, for the admins' page."""
    return list(
        db.session.scalars(
            select(WebhookEvent)
            .options(joinedload(WebhookEvent.client))
            .where(WebhookEvent.status.in_((PENDING, FAILED)))
            .order_by(WebhookEvent.created_at.desc(), WebhookEvent.id)
            .limit(limit)
        )
    )


def resend(event_id: str) -> bool:
    """Make a pending or failed event due now (one more attempt); False if there is none.

    A failed event stays past its retry window, so one failed attempt marks it failed again.
    """
    result = db.session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.id == event_id, WebhookEvent.status.in_((PENDING, FAILED)))
        .values(status=PENDING, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1
