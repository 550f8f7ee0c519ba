"""Slow down password guessing: per account (in the database) and per client IP (in memory).

An account that failed ``FREE_ATTEMPTS`` times in a row is locked for a delay
that doubles with each further failure (5 s, 10 s, 20 s ... up to 15 minutes);
a locked account's password is not even checked. An IP address with
``LOGIN_IP_LIMIT`` failures within ``IP_WINDOW_SECONDS`` is refused until the
window slides on. The per-IP memory is per worker process: with N workers an
address gets at most N times the limit, still slow enough for a human-chosen
password hashed with argon2.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from datetime import datetime, timedelta

from service.tables import User

FREE_ATTEMPTS = 3
BASE_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 15 * 60
IP_WINDOW_SECONDS = 15 * 60
DEFAULT_IP_LIMIT = 30


def account_lock_remaining(user: User, now: datetime) -> float:
    """Seconds until ``user`` may try again; 0 when not locked."""
    failures = user.failed_logins or 0
    if failures < FREE_ATTEMPTS or user.last_failed_login_at is None:
        return 0.0
    delay = min(BASE_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS)
    unlock = user.last_failed_login_at + timedelta(seconds=delay)
    return max(0.0, (unlock - now).total_seconds())


class IpThrottle:
    """Failed logins per client address in a sliding window, kept in this process."""

    def __init__(self, limit: int = DEFAULT_IP_LIMIT, window: float = IP_WINDOW_SECONDS):
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, address: str, now: float) -> deque[float]:
        failures = self._failures[address]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def remaining(self, address: str) -> float:
        """Seconds until ``address`` may try again; 0 when under the limit."""
        now = time.monotonic()
        with self._lock:
            failures = self._trim(address, now)
            if len(failures) < self.limit:
                if not failures:
                    self._failures.pop(address, None)
                return 0.0
            return failures[len(failures) - self.limit] + self.window - now

    def failed(self, address: str) -> int:
        now = time.monotonic()
        with self._lock:
            failures = self._trim(address, now)
            failures.append(now)
            return len(failures)
