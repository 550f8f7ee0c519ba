"""Who a request counts against, and how much each may send (Flask-Limiter's notation).

The API counts per credential: a website's key or a moderator's token, the
queue page's scripts by the logged-in account, anything else by client
address. Login counts per client address.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, Response, current_app, request, session
from flask_limiter import Limiter

API_PREFIX = "/api/v1"
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://")  # as Flask-Limiter reads them
# A hung Redis must cost a request seconds, not gunicorn's whole timeout: redis-py
# waits forever by default. Flask-Limiter then falls back to per-process counts and
# retries the store with backoff.
REDIS_TIMEOUT_SECONDS = 2.0
UNREACHABLE = "per-process: shared store unreachable"


def is_shared(storage_uri: str) -> bool:
    """Whether ``storage_uri`` is a store every worker sees (Redis), not per process."""
    return storage_uri.startswith(REDIS_SCHEMES)


def storage_options(storage_uri: str) -> dict[str, float]:
    """``RATELIMIT_STORAGE_OPTIONS`` for ``storage_uri``: Redis gets bounded timeouts."""
    if not is_shared(storage_uri):
        return {}
    return {
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    }


def client_address() -> str:
    """The client's address, as ProxyFix (``TRUSTED_PROXIES``) left it."""
    return request.remote_addr or "unknown"


def api_caller() -> str:
    """An API request's bucket: its bearer secret (hashed), else its session's account, else
    its address. A key or token is one bucket across workers; a wrong secret only gets 401s.
    """
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        digest = hashlib.sha256(value.strip().encode("utf-8", "surrogatepass")).hexdigest()
        return f"bearer:{digest[:24]}"
    user_id = session.get("_user_id")
    if user_id:
        return f"user:{str(user_id).partition(':')[0]}"
    return f"addr:{client_address()}"


def not_api() -> bool:
    return not request.path.startswith(API_PREFIX)


def api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def retry_after(limiter: Limiter) -> str:
    """Seconds until the breached limit's window resets (at least 1)."""
    current = limiter.current_limit
    if current is None:
        return "1"
    return str(max(1, math.ceil(current.window.reset_time - time.time())))


def counting(limiter: Limiter) -> str:
    """Where the limits count now, for ``/readyz``: ``shared`` (Redis answers),
    ``per-process`` (memory:// configured) or ``per-process: shared store unreachable``
    (Redis configured but down; the limits still hold, per worker)."""
    if not is_shared(current_app.config["RATELIMIT_STORAGE_URI"]):
        return "per-process"
    if limiter.storage.check():
        return "shared"
    return UNREACHABLE


def init_app(app: Flask, limiter: Limiter) -> None:
    """Bind ``limiter``; every 429 carries ``Retry-After``."""
    app.config.setdefault(
        "RATELIMIT_STORAGE_OPTIONS", storage_options(app.config["RATELIMIT_STORAGE_URI"])
    )
    limiter.init_app(app)

    @app.after_request
    def _retry_after(response: Response) -> Response:
        if response.status_code == 429 and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = retry_after(limiter)
        return response
