"""Helpers shared by the retraining tests: submit comments, record moderators' decisions."""

from __future__ import annotations

import os
from datetime import datetime

from sqlalchemy import select

from service.extensions import db
from service.models import Comment, Decision, User

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))


def submit(client, auth, external_id: str, text: str) -> dict:
    body = {
        "external_id": external_id,
        "article_id": "a-1",
        "author": {"id": "u-1", "name": "Reader"},
        "text": text,
    }
    response = client.post("/api/v1/comments", json=body, headers=auth)
    assert response.status_code == 201, response.json
    return response.json


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
