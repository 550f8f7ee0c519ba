"""Labelled examples for retraining: moderators' decisions and imported labels.

Every human decision is a labelled example from this site: a reject whose
reason is a category is positive for that category (and says nothing about the
others); an approve is negative for every category.  Only the latest effective
human decision on a comment counts: one that was undone does not, an undone
undo restores what it had undone.  Rejects for reasons outside the categories
(``off_topic``...) and decisions that leave a comment pending teach nothing.

A fixed slice of the labels (by a hash of the text, so a text always lands in
the same slice) is held out of training: the promotion gate measures the
candidate and the active model on it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import or_, select

from service.clock import as_utc, utcnow
from service.extensions import db
from service.moderation.bundle import ENGLISH
from service.moderation.language import (
    UNDETERMINED,
    detect_language,
    routing_language,
)
from service.moderation.types import CATEGORIES
from service.tables import Comment, Decision, SiteLabel, User

SITE_SOURCE = "site"
HOLDOUT_PERCENT = 20


@dataclass(frozen=True)
class Label:
    """One labelled text. ``labels`` maps a category to 1 or 0; absent means unknown."""

    text: str
    labels: dict[str, int]
    labelled_by: str
    labelled_at: datetime
    source: str = SITE_SOURCE
    comment_id: int | None = None
    # the comment's routed language (what judged it); None when a file did not say
    language: str | None = None


def label_language(label: Label) -> str:
    """The language whose model a label trains and tests: its comment's routed language,
    else (none, or ``und`` from before short Arabic-script texts were routed by their
    best guess) the one routing gives its text; ``und`` is English's, as when the
    service judges it."""
    language = label.language
    if language in (None, UNDETERMINED):
        language = routing_language(detect_language(label.text), None)
    return ENGLISH if language == UNDETERMINED else language


def is_holdout(text: str) -> bool:
    """Whether ``text`` belongs to the held-out slice (``HOLDOUT_PERCENT`` of texts)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < HOLDOUT_PERCENT


def decision_labels(status: str, reason_code: str | None) -> dict[str, int] | None:
    """The categories a human verdict teaches, or None when it teaches none."""
    if status == "approved":
        return dict.fromkeys(CATEGORIES, 0)
    if status == "rejected" and reason_code in CATEGORIES:
        return {reason_code: 1}
    return None


def effective_decision(rows: list) -> object | None:
    """The latest human decision still in force among one comment's rows (oldest first).

    Each row has ``id``, ``undoes_id`` and ``decided_by``.  Walking newest to
    oldest, an undo that is itself undone is skipped; otherwise it cancels its target.
    """
    undone: set[int] = set()
    for row in reversed(rows):
        if row.id in undone:
            continue
        if row.undoes_id is not None:
            undone.add(row.undoes_id)
            continue
        if row.decided_by == "moderator":
            return row
    return None


def _human_rows(since: datetime | None, comment_ids: list[int] | None = None):
    human = or_(Decision.decided_by == "moderator", Decision.undoes_id.is_not(None))
    query = (
        select(
            Decision.id,
            Decision.comment_id,
            Decision.status,
            Decision.reason_code,
            Decision.decided_by,
            Decision.undoes_id,
            Decision.created_at,
            User.username,
            Comment.text,
            Comment.language,
        )
        .join(Comment, Comment.id == Decision.comment_id)
        .outerjoin(User, User.id == Decision.moderator_id)
        .where(human)
        .order_by(Decision.comment_id, Decision.id)
    )
    if since is not None:
        touched = select(Decision.comment_id).where(human, Decision.created_at >= since)
        query = query.where(Decision.comment_id.in_(touched))
    if comment_ids is not None:
        query = query.where(Decision.comment_id.in_(comment_ids))
    return db.session.execute(query.execution_options(yield_per=1000))


def moderator_labels(
    since: datetime | None = None, comment_ids: list[int] | None = None
) -> Iterator[Label]:
    """Labels from this site's moderators, at most one per comment, decided since ``since``
    (of the comments ``comment_ids`` only, when given)."""
    since = as_utc(since) if since else None
    group: list = []
    for row in _human_rows(since, comment_ids):
        if group and group[0].comment_id != row.comment_id:
            yield from _label_of(group, since)
            group = []
        group.append(row)
    if group:
        yield from _label_of(group, since)


def _label_of(group: list, since: datetime | None) -> Iterator[Label]:
    row = effective_decision(group)
    if row is None:
        return
    labels = decision_labels(row.status, row.reason_code)
    when = row.created_at
    if labels is None or (since is not None and when < since):
        return
    yield Label(
        text=row.text,
        labels=labels,
        labelled_by=row.username or row.decided_by,
        labelled_at=when,
        source=SITE_SOURCE,
        comment_id=row.comment_id,
        language=row.language,
    )


def imported_labels(since: datetime | None = None) -> Iterator[Label]:
    """Labels brought in with ``flask labels import``, labelled at or after ``since``."""
    query = select(SiteLabel).order_by(SiteLabel.id)
    if since is not None:
        query = query.where(SiteLabel.labelled_at >= since)
    for row in db.session.scalars(query.execution_options(yield_per=1000)):
        yield Label(
            text=row.text,
            labels={c: int(v) for c, v in row.labels.items()},
            labelled_by=row.labelled_by,
            labelled_at=row.labelled_at,
            source=row.source,
            language=row.language,
        )


def all_labels(since: datetime | None = None) -> list[Label]:
    """Moderators' and imported labels, oldest first."""
    labels = [*moderator_labels(since), *imported_labels(since)]
    labels.sort(key=lambda label: label.labelled_at)
    return labels


def latest_per_text(labels: Iterable[Label]) -> list[Label]:
    """One label per distinct text, the most recently labelled one (a re-import adds nothing)."""
    latest: dict[str, Label] = {}
    for label in labels:
        kept = latest.get(label.text)
        if kept is None or label.labelled_at >= kept.labelled_at:
            latest[label.text] = label
    return list(latest.values())


def holdout_labels() -> list[Label]:
    """The held-out slice of every label in the database, for the promotion gate."""
    return [label for label in latest_per_text(all_labels()) if is_holdout(label.text)]


def row_hash(label: Label) -> str:
    """Identity of an imported row: importing the same file twice stores it once."""
    canonical = json.dumps(
        [
            label.text,
            sorted(label.labels.items()),
            label.labelled_by,
            as_utc(label.labelled_at).isoformat(),
            label.source,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


IN_BATCH = 500  # values per ``IN (...)`` query


def _batches(values: list) -> Iterator[list]:
    for start in range(0, len(values), IN_BATCH):
        yield values[start : start + IN_BATCH]


def _own_comment_texts(labels: list[Label]) -> dict[int, str]:
    """The stored text of each comment of this service that a ``site`` row names."""
    ids = sorted({label.comment_id for label in labels if _claims_own(label)})
    texts: dict[int, str] = {}
    for chunk in _batches(ids):
        rows = db.session.execute(select(Comment.id, Comment.text).where(Comment.id.in_(chunk)))
        texts.update({row.id: row.text for row in rows})
    return texts


def _claims_own(label: Label) -> bool:
    return label.source == SITE_SOURCE and label.comment_id is not None


def _current_labels(comment_ids: list[int]) -> dict[int, dict[str, int]]:
    """The label each of ``comment_ids`` gives now; absent when no human verdict is in force."""
    current: dict[int, dict[str, int]] = {}
    for chunk in _batches(sorted(set(comment_ids))):
        current.update({label.comment_id: label.labels for label in moderator_labels(None, chunk)})
    return current


class Imported(NamedTuple):
    """What ``store_imported`` did with the rows of a file."""

    added: int
    present: int
    changed: int  # this site's own rows whose comment's label is no longer the exported one


def store_imported(labels: list[Label], imported_from: str) -> Imported:
    """Add ``labels`` in one transaction; returns how many were added, already present,
    and skipped as changed here since the export.

    A ``site`` row whose ``comment_id`` names a comment here with the same text is
    that comment's moderator decision, which the decisions already hold (and keep
    current, undos included): it is never added, so re-importing an export adds
    nothing. It is present when the comment's label now is the row's; otherwise a
    moderator has decided again (or undone the decision) since the export, and the
    newer decision stands: the row is counted as changed, so the caller can say so.
    Any other row is present when a row with its :func:`row_hash` is.
    """
    own = _own_comment_texts(labels)
    own_rows: list[Label] = []
    labels_from_elsewhere: list[Label] = []
    for label in labels:
        mine = _claims_own(label) and own.get(label.comment_id) == label.text
        (own_rows if mine else labels_from_elsewhere).append(label)
    current = _current_labels([label.comment_id for label in own_rows])
    changed = sum(1 for label in own_rows if current.get(label.comment_id) != label.labels)
    by_hash = {row_hash(label): label for label in labels_from_elsewhere}
    present: set[str] = set()
    for chunk in _batches(list(by_hash)):
        present.update(
            db.session.scalars(select(SiteLabel.row_hash).where(SiteLabel.row_hash.in_(chunk)))
        )
    now = utcnow()
    for digest, label in by_hash.items():
        if digest in present:
            continue
        db.session.add(
            SiteLabel(
                text=label.text,
                labels=dict(label.labels),
                labelled_by=label.labelled_by,
                labelled_at=label.labelled_at,
                source=label.source,
                language=label.language,
                row_hash=digest,
                imported_from=imported_from[:255],
                imported_at=now,
            )
        )
    db.session.commit()
    added = len(by_hash) - len(present)
    return Imported(added, len(labels) - added - changed, changed)
