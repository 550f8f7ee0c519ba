"""Slow down password guessing, in the rate limiter's store (Redis under gunicorn: shared).

Two windows of failed logins, both counted per client address so that nobody
can lock a moderator out from elsewhere: ``USERNAME_FAILURES`` for one typed
username from one address (known and unknown usernames alike, so the answer
never tells whether an account exists), and ``LOGIN_IP_LIMIT`` for all
usernames from one address. A refused attempt's password is not even checked.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from flask_limiter import Limiter
from limits import parse

log = logging.getLogger(__name__)

USERNAME_FAILURES = "5 per 15 minutes"


def fingerprint(username: str) -> str:
    """What logs and keys carry instead of a typed username: a short hash."""
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class FailureWindow:
    """At most ``limit`` (Flask-Limiter's notation) failures per key before refusing."""

    def __init__(self, limiter: Limiter, limit: str, scope: str):
        self._limiter = limiter
        self.item = parse(limit)
        self.scope = scope

    def remaining(self, *key: str) -> float:
        """Seconds until ``key`` may try again; 0 when under the limit."""
        try:
            strategy = self._limiter.limiter
            if strategy.test(self.item, self.scope, *key):
                return 0.0
            reset_at = strategy.get_window_stats(self.item, self.scope, *key).reset_time
        except Exception as exc:  # the store is down: the request rate limits still hold
            log.warning("login throttle store unavailable: %s", type(exc).__name__)
            return 0.0
        return max(1.0, math.ceil(reset_at - time.time()))

    def failed(self, *key: str) -> None:
        try:
            self._limiter.limiter.hit(self.item, self.scope, *key)
        except Exception as exc:
            log.warning("login throttle store unavailable: %s", type(exc).__name__)

    def clear(self, *key: str) -> None:
        try:
            self._limiter.limiter.clear(self.item, self.scope, *key)
        except Exception as exc:
            log.warning("login throttle store unavailable: %s", type(exc).__name__)
