"""Floods: the same text again, from one author, or from many within minutes.

A text's *digest* is the sha256 of its letters, case folded (spacing, digits and
punctuation ignored, so "Buy now!!" and "buy now" are one text). Texts with fewer
than ``FLOOD_MIN_LETTERS`` letters have none: "Great article!" is posted by many
readers and is no flood.

A comment is a flood when its author posted the same text ``FLOOD_REPEATS`` times
before within ``FLOOD_REPEAT_SECONDS`` (a reader who sends a comment again after an
error is not a flood), or when ``FLOOD_AUTHORS`` other authors did
within ``FLOOD_WINDOW_SECONDS``, on any article of the same website. The count
comes from the store, under a lock per digest taken before it is read (a
transaction-scoped advisory lock on PostgreSQL, a lock in the process on SQLite,
the embedded single-process default), so comments submitted at the same instant
are counted one after the other and none slips through.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from service.clock import utcnow
from service.extensions import db
from service.tables import Comment

_STRIPES = [threading.Lock() for _ in range(64)]


@dataclass(frozen=True, slots=True)
class Copies:
    """Earlier copies of a text: by its own author (repeats) and other authors in the window."""

    repeats: int = 0
    authors: int = 0

    def flood(self, repeats_needed: int, authors_needed: int) -> bool:
        return self.repeats >= repeats_needed or self.authors >= authors_needed


def text_digest(text: str, min_letters: int) -> str | None:
    """The digest floods are counted by; None for a text too short to count."""
    letters = "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalpha())
    if len(letters) < min_letters:
        return None
    return hashlib.sha256(letters.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def counted_alone(digest: str | None) -> Iterator[None]:
    """Hold the lock of ``digest`` while its copies are counted and the comment is stored
    (on PostgreSQL until the transaction ends)."""
    if digest is None:
        yield
        return
    if db.engine.dialect.name == "postgresql":
        key = int(digest[:15], 16)  # fits a signed bigint
        db.session.execute(select(func.pg_advisory_xact_lock(key)))
        yield
        return
    with _STRIPES[int(digest[:8], 16) % len(_STRIPES)]:
        yield


def earlier_copies(client_id: int, digest: str | None, author_id: str) -> Copies:
    """How often the text was posted before, by this author and by others (see above)."""
    if digest is None:
        return Copies()
    config = current_app.config
    now = utcnow()
    repeat_since = now - timedelta(seconds=config["FLOOD_REPEAT_SECONDS"])
    flood_since = now - timedelta(seconds=config["FLOOD_WINDOW_SECONDS"])
    rows = db.session.execute(
        select(Comment.author_id, Comment.created_at)
        .where(
            Comment.client_id == client_id,
            Comment.text_digest == digest,
            Comment.created_at >= min(repeat_since, flood_since),
        )
        .order_by(Comment.created_at.desc())
        .limit(500)
    ).all()
    repeats = sum(1 for author, at in rows if author == author_id and at >= repeat_since)
    others = {author for author, at in rows if author != author_id and at >= flood_since}
    return Copies(repeats=repeats, authors=len(others))
