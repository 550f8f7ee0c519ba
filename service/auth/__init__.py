"""Moderators' login, logout and account page (personal access tokens)."""

from __future__ import annotations

from flask import Flask

from service.auth.throttle import IpThrottle


def init_app(app: Flask) -> None:
    """The per-process login throttle: ``LOGIN_IP_LIMIT`` failures per 15 min per address."""
    app.extensions["login_throttle"] = IpThrottle(app.config["LOGIN_IP_LIMIT"])
