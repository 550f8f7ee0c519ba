"""The term lists as one worker serves them: read from the store, compiled once per change.

Every change to the lists appends a row to ``term_changes`` (the log is append-only),
so the log's row count and highest id together say whether anything changed since
the last read; a worker recompiles only then (:class:`~service.serving.runtime.Serving`
asks every ``MODEL_REFRESH_SECONDS``).  The count catches a change whose id is lower
than one already seen (PostgreSQL hands out ids before commit).
"""

from __future__ import annotations

from sqlalchemy import func, select

from service.extensions import db
from service.moderation.terms import AllowEntry, BlockEntry, TermLists, compile_terms
from service.tables import AllowedTerm, BlockedTerm, TermChange


def lists_stamp() -> tuple[int, int]:
    """(number of changes, highest change id): equal stamps mean equal lists."""
    count, highest = db.session.execute(
        select(func.count(TermChange.id), func.coalesce(func.max(TermChange.id), 0))
    ).one()
    return int(count), int(highest)


def load_term_lists() -> TermLists:
    """Both lists from the database, compiled for matching."""
    block = [
        BlockEntry(row.term, row.category, row.action, row.language)
        for row in db.session.scalars(select(BlockedTerm).order_by(BlockedTerm.id))
    ]
    allow = [
        AllowEntry(row.term, row.language)
        for row in db.session.scalars(select(AllowedTerm).order_by(AllowedTerm.id))
    ]
    return compile_terms(block, allow)
