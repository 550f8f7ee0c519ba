"""Who is calling the JSON API: a website's API key or a moderator.

Websites send ``Authorization: Bearer cmk_...``; moderators' tools send a
personal access token (``cmt_...``); the queue page's own scripts use the
login session (with CSRF). Views declare what they need with the decorators:
no credentials or unknown ones are a 401; valid ones of the other kind (a
moderator on a website's endpoint, a website on the queue's) a 403 that names
what the endpoint needs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any, NoReturn

from flask import g, request
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from service.access import credentials
from service.clock import utcnow
from service.extensions import csrf, db
from service.tables import AccessToken, ApiClient, User

BEARER = {"WWW-Authenticate": 'Bearer realm="moderation"'}

# The OpenAPI document's names for the two kinds of credentials, and each route's requirement.
SECURITY_SCHEMES = {
    "websiteKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "A website's API key (`cmk_...`, `flask api-keys create`): "
        "/comments, /articles and /moderate.",
    },
    "accessToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A moderator's personal access token (`cmt_...`, from /account; the "
        "queue page's scripts use the login session instead): /queue and /moderate.",
    },
}
WEBSITE_ONLY = [{"websiteKey": []}]
MODERATOR_ONLY = [{"accessToken": []}]
WEBSITE_OR_MODERATOR = [{"websiteKey": []}, {"accessToken": []}]
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


def _unauthorized(message: str) -> NoReturn:
    """No credentials, or ones this service does not know (or has revoked)."""
    abort(401, message=message, headers=BEARER)


def _wrong_kind(needed: str, given: str) -> NoReturn:
    """Valid credentials of the other kind: authenticated, not allowed here (403, not 401)."""
    abort(403, message=f"This endpoint needs {needed}; {given} is not accepted here.")


WEBSITE_KEY = "a website's API key (cmk_...)"
MODERATOR = "a moderator's access token (cmt_...) or login"


def require_client(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only a website's API key; a moderator's token or login gets a 403 saying so."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        authenticate()
        if g.client is None:
            if g.user is not None:
                _wrong_kind(WEBSITE_KEY, MODERATOR)
            _unauthorized("A valid website API key is required.")
        return view(*args, **kwargs)

    return wrapper


def require_client_or_user(view: Callable[..., Any]) -> Callable[..., Any]:
    """A website's key, or any moderator (for their own batch tools)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        authenticate()
        if g.client is None and g.user is None:
            _unauthorized("A valid API key or access token is required.")
        return view(*args, **kwargs)

    return wrapper


def require_role(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A moderator with one of ``roles`` (admins may do what moderators do); a website's
    key gets a 403 saying so."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            authenticate()
            if g.user is None:
                if g.client is not None:
                    _wrong_kind(MODERATOR, WEBSITE_KEY)
                _unauthorized("A valid access token or login is required.")
            if g.user.role not in roles and not g.user.is_admin:
                abort(403, message="Your role does not allow this.")
            return view(*args, **kwargs)

        return wrapper

    return decorator
