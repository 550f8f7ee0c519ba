"""A few concurrent slots per caller, shared by every worker when Redis is the store.

``/moderate`` batches are the API's heavy work: ``MODERATE_CONCURRENCY`` bounds
how many of one caller's batches run at once, so one website (or two) cannot
fill every worker while others wait. With ``RATELIMIT_STORAGE_URI`` on Redis
the slots are redis-py locks that every worker sees, released on exit and
expiring on their own if a worker dies; otherwise they are per process.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator

import redis

from service import ratelimits

log = logging.getLogger(__name__)
LEASE_SECONDS = 120  # longer than any request: gunicorn's timeout ends one before
RETRY_SECONDS = 30  # after Redis fails, per process


class Slots:
    def __init__(self, name: str, limit: int, storage_uri: str):
        self.name = name
        self.limit = max(1, limit)
        self._redis = (
            redis.Redis.from_url(
                storage_uri.replace("redis+unix://", "unix://", 1),
                **ratelimits.storage_options(storage_uri),
            )
            if ratelimits.is_shared(storage_uri)
            else None
        )
        self._down_until = 0.0  # time.monotonic() before which Redis is not tried
        self._local: dict[str, int] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, caller: str) -> Iterator[bool]:
        """Yield True while holding one of ``caller``'s slots, False when all are taken."""
        if self._redis is None:
            with self._hold_local(caller) as held:
                yield held
            return
        lock = self._acquire_shared(caller)
        try:
            yield lock is not False
        finally:
            if lock not in (None, False):
                with contextlib.suppress(redis.RedisError):
                    lock.release()

    def _acquire_shared(self, caller: str):
        """A held redis lock, False when every slot is taken, None when Redis fails (allowed).

        After a failure Redis is left alone for ``RETRY_SECONDS``: a hung Redis would
        otherwise cost every batch its socket timeout."""
        if time.monotonic() < self._down_until:
            return None
        try:
            for slot in range(self.limit):
                lock = self._redis.lock(
                    f"slots:{self.name}:{caller}:{slot}", timeout=LEASE_SECONDS, blocking=False
                )
                if lock.acquire():
                    return lock
            return False
        except redis.RedisError as exc:
            self._down_until = time.monotonic() + RETRY_SECONDS
            log.warning(
                "concurrency slots unavailable (%s): not limiting for %d s",
                type(exc).__name__,
                RETRY_SECONDS,
            )
            return None

    @contextlib.contextmanager
    def _hold_local(self, caller: str) -> Iterator[bool]:
        with self._guard:
            held = self._local.get(caller, 0) < self.limit
            if held:
                self._local[caller] = self._local.get(caller, 0) + 1
        try:
            yield held
        finally:
            if held:
                with self._guard:
                    self._local[caller] -= 1
                    if not self._local[caller]:
                        del self._local[caller]
