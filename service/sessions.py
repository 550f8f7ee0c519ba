"""Moderators' login sessions (flask-login): how a session cookie becomes a User."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import update

from service.extensions import db, login_manager
from service.tables import User


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The account of a session, unless it logged out (or was disabled) since."""
        user_id, _, generation = session_id.partition(":")
        if not (user_id.isdigit() and generation.isdigit() and len(user_id) < 12):
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or str(user.session_generation or 0) != generation:
            return None
        return user


def end_sessions(user: User) -> None:
    """Log ``user`` out everywhere: every session cookie issued so far stops working."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
    )
    db.session.commit()
