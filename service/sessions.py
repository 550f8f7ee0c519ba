"""Moderators' login sessions (flask-login): how a session cookie becomes a User."""

from __future__ import annotations

from flask import Flask

from service.extensions import db, login_manager
from service.tables import User


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None
