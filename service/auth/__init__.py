"""Moderators' login, logout and account page (personal access tokens)."""

from __future__ import annotations

from flask import Flask

from service.auth.throttle import USERNAME_FAILURES, FailureWindow
from service.extensions import limiter


def init_app(app: Flask) -> None:
    """The login throttles: failures per address and per (typed username, address)."""
    app.extensions["login_throttles"] = {
        "address": FailureWindow(
            limiter, f"{app.config['LOGIN_IP_LIMIT']} per 15 minutes", "login-failures-address"
        ),
        "username": FailureWindow(limiter, USERNAME_FAILURES, "login-failures-username"),
    }
