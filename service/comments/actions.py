"""What a moderator can do to a comment: claim, release, decide, bulk, undo, overturn.

The queue pages and the JSON queue API both call these, so the rules live
once. Every change of status is a new ``Decision`` row written in the same
transaction as ``Comment.status`` and the decision's webhook event (the
outbox); the text is never touched. Each status change is a compare-and-swap:
an ``UPDATE ... WHERE status = <expected>`` whose rowcount is checked, so two
moderators racing on one comment record exactly one decision and the other
gets a 409 that says who won.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, or_, select, update

from service.clock import utcnow
from service.extensions import db
from service.moderation.policy import APPROVED, MESSAGES, PENDING, REJECTED
from service.moderation.types import CATEGORIES
from service.tables import Comment, Decision, User
from service.webhooks.outbox import record_decisions

log = logging.getLogger(__name__)
ACTIONS = {"approve": APPROVED, "reject": REJECTED}


class ActionError(Exception):
    """A refused action: ``status`` is the HTTP status to answer, ``message`` says why."""

    def __init__(self, status: int, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


@dataclass(frozen=True)
class Recorded:
    """A moderator's decision as committed, in plain values read before the commit.

    A commit expires every row of the session, so reading a ``Decision`` after it
    selects the row again, and a database that died in between turns a recorded
    decision into an error. The actions return this instead, so the answer needs no
    reload.
    """

    id: int
    comment_id: int
    status: str
    reason: dict[str, Any] | None
    note: str | None
    moderator: str
    undoes: int | None
    created_at: datetime
    undo_until: datetime


@dataclass
class BulkOutcome:
    decisions: list[Recorded] = field(default_factory=list)
    errors: dict[int, ActionError] = field(default_factory=dict)


def claim_seconds() -> int:
    return int(current_app.config["QUEUE_CLAIM_SECONDS"])


def undo_seconds() -> int:
    return int(current_app.config["QUEUE_UNDO_SECONDS"])


def undo_deadline(decision: Decision) -> datetime:
    """Until when the moderator who made ``decision`` may undo it."""
    return decision.created_at + timedelta(seconds=undo_seconds())


def _recorded(decisions: list[Decision], moderator: str) -> list[Recorded]:
    """Flush, then read what the answer needs while the rows are still loaded."""
    db.session.flush()
    return [
        Recorded(
            id=d.id,
            comment_id=d.comment_id,
            status=d.status,
            reason=d.reason(),
            note=d.note,
            moderator=moderator,
            undoes=d.undoes_id,
            created_at=d.created_at,
            undo_until=undo_deadline(d),
        )
        for d in decisions
    ]


def open_to(user_id: int, now: datetime) -> ColumnElement[bool]:
    """Not claimed by anyone else right now."""
    return or_(
        Comment.claimed_by_id.is_(None),
        Comment.claimed_by_id == user_id,
        Comment.claimed_until.is_(None),
        Comment.claimed_until < now,
    )


def _stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "an unknown time"


def _who(decision: Decision) -> str:
    if decision.decided_by == "moderator":
        return decision.moderator.username if decision.moderator else "a moderator"
    return f"model {decision.model_version}" if decision.model_version else "the service"


def latest_decision(
    comment_id: int, *, decided_by: str | None = None, before: int | None = None
) -> Decision | None:
    """The comment's newest decision (by ``decided_by`` only, or older than id ``before``)."""
    query = select(Decision).filter_by(comment_id=comment_id)
    if decided_by is not None:
        query = query.filter_by(decided_by=decided_by)
    if before is not None:
        query = query.where(Decision.id < before)
    return db.session.scalars(query.order_by(Decision.id.desc()).limit(1)).first()


def explain_refusal(comment_id: int) -> ActionError:
    """Why a conditional UPDATE on a pending comment matched no row, read fresh."""
    comment = db.session.get(Comment, comment_id, populate_existing=True)
    if comment is None:
        return ActionError(404, f"No comment {comment_id}.")
    if comment.status != PENDING:
        latest = latest_decision(comment_id)
        by = f" by {_who(latest)} at {_stamp(latest.created_at)}" if latest else ""
        return ActionError(
            409,
            f"Comment {comment_id} was already {comment.status}{by}; nothing was recorded. "
            "Reload to see it, or overturn it from its page.",
        )
    holder = comment.claimed_by.username if comment.claimed_by else "another moderator"
    return ActionError(
        409,
        f"Comment {comment_id} is claimed by {holder} until "
        f"{_stamp(comment.claimed_until)}; nothing was recorded.",
    )


def _validated(action: str, reason: str | None) -> tuple[str, str | None]:
    if action not in ACTIONS:
        raise ActionError(400, "action must be approve or reject", {"action": ["Unknown."]})
    if action == "reject":
        if reason not in CATEGORIES:
            raise ActionError(
                400,
                "A rejection needs a reason: one of " + ", ".join(CATEGORIES) + ".",
                {"reason": ["Required for reject: a guideline category."]},
            )
        return REJECTED, reason
    if reason is not None:  # refused, not dropped: the caller meant something by it
        raise ActionError(
            400,
            "Only a rejection has a reason: send none to approve.",
            {"reason": ["Only a rejection has a reason."]},
        )
    return APPROVED, None


def _moderator_decision(
    comment_id: int, user: User, status: str, reason: str | None, note: str | None
) -> Decision:
    evidence: list = []
    if reason is not None:
        model_decision = latest_decision(comment_id, decided_by="model")
        if model_decision is not None:
            evidence = [s for s in model_decision.evidence or [] if s.get("category") == reason]
    decision = Decision(
        comment_id=comment_id,
        status=status,
        reason_code=reason,
        reason_message=MESSAGES.get(reason) if reason else None,
        note=note or None,
        evidence=evidence,
        scores=None,
        decided_by="moderator",
        moderator_id=user.id,
    )
    db.session.add(decision)
    return decision


def claim(comment_id: int, user: User) -> datetime:
    """Hold a pending comment for ``QUEUE_CLAIM_SECONDS``; returns when the claim ends."""
    now = utcnow()
    until = now + timedelta(seconds=claim_seconds())
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == comment_id, Comment.status == PENDING, open_to(user.id, now))
        .values(claimed_by_id=user.id, claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise explain_refusal(comment_id)
    db.session.commit()
    return until


def release(comment_id: int, user: User) -> None:
    """Give up one's own claim (skip); a no-op when one holds none, 404 when there is
    no such comment (as for :func:`claim`)."""
    if db.session.get(Comment, comment_id) is None:
        raise ActionError(404, f"No comment {comment_id}.")
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment_id, Comment.claimed_by_id == user.id)
        .values(claimed_by_id=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _decide_one(comment_id: int, user: User, status: str, reason: str | None, note: str | None):
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == comment_id, Comment.status == PENDING, open_to(user.id, utcnow()))
        .values(status=status, claimed_by_id=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return _moderator_decision(comment_id, user, status, reason, note)


def decide(
    comment_id: int, user: User, action: str, reason: str | None = None, note: str | None = None
) -> Recorded:
    """Approve or reject a pending comment; 409 if it is decided or someone else holds it."""
    status, reason = _validated(action, reason)
    decision = _decide_one(comment_id, user, status, reason, note)
    if decision is None:
        db.session.rollback()
        raise explain_refusal(comment_id)
    record_decisions([decision])
    moderator = user.username  # read before the commit expires the rows
    [recorded] = _recorded([decision], moderator)
    db.session.commit()
    log.info("comment %s %s by moderator %s", comment_id, status, moderator)
    return recorded


def decide_many(
    comment_ids: Iterable[int],
    user: User,
    action: str,
    reason: str | None = None,
    note: str | None = None,
) -> BulkOutcome:
    """Decide several comments in one transaction; the ones that cannot be are reported.

    Rows are taken in id order, whatever the order sent, so that two moderators
    deciding the same comments at once wait for each other instead of deadlocking.
    """
    status, reason = _validated(action, reason)
    outcome, decisions = BulkOutcome(), []
    for comment_id in sorted(set(comment_ids)):
        decision = _decide_one(comment_id, user, status, reason, note)
        if decision is None:
            outcome.errors[comment_id] = explain_refusal(comment_id)
        else:
            decisions.append(decision)
    record_decisions(decisions)
    moderator = user.username  # read before the commit expires the rows
    outcome.decisions = _recorded(decisions, moderator)
    db.session.commit()
    log.info(
        "bulk %s by moderator %s: %d recorded, %d refused",
        status,
        moderator,
        len(outcome.decisions),
        len(outcome.errors),
    )
    return outcome


def overturn(
    comment_id: int, user: User, action: str, reason: str | None = None, note: str | None = None
) -> Recorded:
    """Change an approved or rejected comment's outcome: a new decision, never an edit."""
    status, reason = _validated(action, reason)
    comment = db.session.get(Comment, comment_id, populate_existing=True)
    if comment is None:
        raise ActionError(404, f"No comment {comment_id}.")
    if comment.status == PENDING:
        raise ActionError(409, f"Comment {comment_id} is pending: decide it from the queue.")
    if comment.status == status:
        raise ActionError(409, f"Comment {comment_id} is already {status}; nothing was recorded.")
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == comment_id, Comment.status == comment.status)
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ActionError(409, f"Comment {comment_id} changed meanwhile; nothing was recorded.")
    decision = _moderator_decision(comment_id, user, status, reason, note)
    record_decisions([decision])
    moderator = user.username  # read before the commit expires the rows
    [recorded] = _recorded([decision], moderator)
    db.session.commit()
    log.info("comment %s overturned to %s by moderator %s", comment_id, status, moderator)
    return recorded


def undo(decision_id: int, user: User) -> Recorded:
    """Reverse one's own latest decision within ``QUEUE_UNDO_SECONDS``.

    The undo is a decision of its own (``undoes_id``) that restores the state
    before the undone one; a comment back in the queue is claimed by the
    moderator who undid it, so it reappears for them and no one else.
    """
    target = db.session.get(Decision, decision_id)
    if target is None:
        raise ActionError(404, f"No decision {decision_id}.")
    if target.decided_by != "moderator" or target.undoes_id is not None:
        raise ActionError(409, "Only a moderator's approve, reject or overturn can be undone.")
    if target.moderator_id != user.id and not user.is_admin:
        raise ActionError(403, "You can only undo your own decisions.")
    now = utcnow()
    if now > undo_deadline(target):
        raise ActionError(409, "Too late to undo this decision: overturn it from its page instead.")
    latest = latest_decision(target.comment_id)
    if latest is None or latest.id != target.id:
        raise ActionError(409, "A later decision exists on this comment; nothing was recorded.")
    previous = latest_decision(target.comment_id, before=target.id)
    if previous is None:
        raise ActionError(409, "Nothing to go back to.")
    claim_values = {"claimed_by_id": None, "claimed_until": None}
    if previous.status == PENDING:
        claim_values = {
            "claimed_by_id": user.id,
            "claimed_until": now + timedelta(seconds=claim_seconds()),
        }
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == target.comment_id, Comment.status == target.status)
        .values(status=previous.status, **claim_values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ActionError(409, "This comment changed meanwhile; nothing was recorded.")
    decision = Decision(
        comment_id=target.comment_id,
        status=previous.status,
        reason_code=previous.reason_code,
        reason_message=previous.reason_message,
        note=f"Undo of decision {target.id}",
        evidence=previous.evidence or [],
        scores=None,
        decided_by="moderator",
        moderator_id=user.id,
        undoes_id=target.id,
    )
    db.session.add(decision)
    record_decisions([decision])
    moderator, undone = user.username, target.id  # read before the commit expires the rows
    [recorded] = _recorded([decision], moderator)
    db.session.commit()
    log.info("decision %s undone by moderator %s", undone, moderator)
    return recorded
