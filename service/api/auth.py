"""Who is calling the JSON API: a website's API key or a moderator.

Websites send ``Authorization: Bearer cmk_...``; moderators' tools send a
personal access token (``cmt_...``); the queue page's own scripts use the
login session (with CSRF). Views declare what they need with the decorators.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import g, request
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from service.access import credentials
from service.clock import utcnow
from service.extensions import csrf, db
from service.tables import AccessToken, ApiClient, User

BEARER = {"WWW-Authenticate": 'Bearer realm="moderation"'}
TOUCH_EVERY = timedelta(minutes=1)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _client_for(secret: str, prefix: str) -> ApiClient | None:
    client = db.session.scalars(select(ApiClient).filter_by(key_prefix=prefix)).first()
    if client and client.active and credentials.matches(secret, client.key_hash):
        return client
    return None


def _user_for_token(secret: str, prefix: str) -> User | None:
    token = db.session.scalars(select(AccessToken).filter_by(token_prefix=prefix)).first()
    if not token or token.revoked_at or not credentials.matches(secret, token.token_hash):
        return None
    if not token.user.active:
        return None
    _touch(token)
    return token.user


def _touch(token: AccessToken) -> None:
    """Record the token's use, committed now: read-only requests commit nothing else.

    At most once a minute per token, so a busy tool does not write on every request.
    """
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        db.session.commit()


def authenticate() -> None:
    """Set ``g.client`` or ``g.user`` from the request's credentials (or neither)."""
    g.client, g.user = None, None
    secret = _bearer()
    if secret:
        parsed = credentials.split(secret)
        if parsed is None:
            return
        kind, prefix = parsed
        if kind == credentials.CLIENT_KIND:
            g.client = _client_for(secret, prefix)
        else:
            g.user = _user_for_token(secret, prefix)
        return
    if current_user.is_authenticated and current_user.active:
        # The queue page's own scripts: a session cookie is only trusted with a CSRF token.
        csrf.protect()
        g.user = current_user._get_current_object()


def _unauthorized() -> None:
    abort(401, message="A valid API key or access token is required.", headers=BEARER)


def require_client(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only a website's API key."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        authenticate()
        if g.client is None:
            _unauthorized()
        return view(*args, **kwargs)

    return wrapper


def require_client_or_user(view: Callable[..., Any]) -> Callable[..., Any]:
    """A website's key, or any moderator (for their own batch tools)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        authenticate()
        if g.client is None and g.user is None:
            _unauthorized()
        return view(*args, **kwargs)

    return wrapper


def require_role(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A moderator with one of ``roles`` (admins may do what moderators do)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            authenticate()
            if g.user is None:
                _unauthorized()
            if g.user.role not in roles and not g.user.is_admin:
                abort(403, message="Your role does not allow this.")
            return view(*args, **kwargs)

        return wrapper

    return decorator
