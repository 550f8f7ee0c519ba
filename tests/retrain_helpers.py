"""Helpers shared by the retraining tests: record moderators' decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from service.extensions import db
from service.tables import Comment, Decision, User


def moderator(app, username: str = "mod") -> int:
    with app.app_context():
        user = db.session.scalars(select(User).filter_by(username=username)).first()
        if user is None:
            user = User(username=username, password_hash="x", role="moderator", active=True)
            db.session.add(user)
            db.session.commit()
        return user.id


def decide(
    app,
    comment_id: int,
    status: str,
    reason: str | None = None,
    username: str = "mod",
    undoes: int | None = None,
    at: datetime | None = None,
) -> int:
    """Record a moderator's decision the way the queue does: a new row, the status follows."""
    user_id = moderator(app, username)
    with app.app_context():
        row = Decision(
            comment_id=comment_id,
            status=status,
            reason_code=reason,
            evidence=[],
            decided_by="moderator",
            moderator_id=user_id,
            undoes_id=undoes,
        )
        if at is not None:
            row.created_at = at
        db.session.add(row)
        db.session.get(Comment, comment_id).status = status
        db.session.commit()
        return row.id
