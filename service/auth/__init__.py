"""Moderators' login, logout and account page (personal access tokens)."""

from __future__ import annotations

import os

from flask import Flask

from .throttle import DEFAULT_IP_LIMIT, IpThrottle


def init_app(app: Flask) -> None:
    """The per-process login throttle; ``LOGIN_IP_LIMIT`` failures per 15 min per address."""
    app.config.setdefault("LOGIN_IP_LIMIT", int(os.environ.get("LOGIN_IP_LIMIT", DEFAULT_IP_LIMIT)))
    app.extensions["login_throttle"] = IpThrottle(app.config["LOGIN_IP_LIMIT"])
