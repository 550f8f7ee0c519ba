"""What the queue reads: held comments for one moderator, counts, context, review lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from service.clock import utcnow
from service.comments.actions import open_to
from service.extensions import db
from service.moderation.policy import APPROVED, PENDING, REJECTED
from service.tables import Comment, Decision, User


@dataclass(frozen=True)
class Filters:
    """The queue's filters; each of ``category``, ``article`` and ``language`` matches any
    of its values (none: no filter)."""

    category: tuple[str, ...] = ()
    article: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    min_age_hours: int | None = None
    max_age_hours: int | None = None
    order: str = "oldest"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Filters:
        known = {k: values[k] for k in cls.__dataclass_fields__ if values.get(k) not in (None, "")}
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in known.items()})


@dataclass(frozen=True)
class Item:
    """A comment and the model's latest verdict on it (None if the model never saw it)."""

    comment: Comment
    model_decision: Decision | None


def _latest_model_ids(comment_ids: Select) -> Any:
    return (
        select(Decision.comment_id, func.max(Decision.id).label("decision_id"))
        .where(Decision.decided_by == "model", Decision.comment_id.in_(comment_ids))
        .group_by(Decision.comment_id)
        .subquery()
    )


def _held(
    user: User, filters: Filters, columns: Sequence[Any], with_category: bool = True
) -> Select:
    """Pending comments this moderator may see, joined to the model's latest decision."""
    now = utcnow()
    pending = select(Comment.id).where(Comment.status == PENDING)
    latest = _latest_model_ids(pending)
    query = (
        select(*columns)
        .select_from(Comment)
        .outerjoin(latest, latest.c.comment_id == Comment.id)
        .outerjoin(Decision, Decision.id == latest.c.decision_id)
        .where(Comment.status == PENDING, open_to(user.id, now))
    )
    if filters.article:
        query = query.where(Comment.article_id.in_(filters.article))
    if filters.language:  # the language routing used, or the website's own tag
        query = query.where(
            or_(Comment.language.in_(filters.language), Comment.site_language.in_(filters.language))
        )
    if filters.min_age_hours is not None:
        query = query.where(Comment.created_at <= now - timedelta(hours=filters.min_age_hours))
    if filters.max_age_hours is not None:
        query = query.where(Comment.created_at >= now - timedelta(hours=filters.max_age_hours))
    if with_category and filters.category:
        codes = [code for code in filters.category if code != "none"]
        matches = [Decision.reason_code.in_(codes)] if codes else []
        if "none" in filters.category:  # held_counts' key for no reason
            matches.append(Decision.reason_code.is_(None))
        query = query.where(or_(*matches))
    return query


def held_items(user: User, filters: Filters, limit: int = 50) -> list[Item]:
    order = Comment.created_at.desc() if filters.order == "newest" else Comment.created_at.asc()
    query = _held(user, filters, (Comment, Decision)).order_by(order, Comment.id).limit(limit)
    return [Item(comment, decision) for comment, decision in db.session.execute(query)]


def held_counts(user: User, filters: Filters) -> dict[str, int]:
    """Held comments per reason (the model's), under every filter except the category."""
    columns = (Decision.reason_code, func.count(Comment.id))
    query = _held(user, filters, columns, with_category=False).group_by(Decision.reason_code)
    rows = db.session.execute(query)
    return {code or "none": count for code, count in rows}


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Articles and languages that have held comments, for the filter menus."""
    articles = db.session.execute(
        select(Comment.article_id, func.max(Comment.article_title), func.count())
        .where(Comment.status == PENDING)
        .group_by(Comment.article_id)
        .order_by(func.count().desc())
        .limit(100)
    )
    languages = db.session.scalars(
        select(Comment.language)
        .where(Comment.status == PENDING, Comment.language.is_not(None))
        .distinct()
        .order_by(Comment.language)
        .limit(100)
    )
    return {
        "articles": [(a, f"{t or a} ({n})") for a, t, n in articles],
        "languages": [(code, code) for code in languages],
    }


def latest_decisions(comment_ids: Sequence[int], model_only: bool = False) -> dict[int, Decision]:
    """The latest decision (or the model's latest) of each comment, by comment id."""
    if not comment_ids:
        return {}
    latest = select(func.max(Decision.id)).where(Decision.comment_id.in_(comment_ids))
    if model_only:
        latest = latest.where(Decision.decided_by == "model")
    latest = latest.group_by(Decision.comment_id)
    decisions = db.session.scalars(select(Decision).where(Decision.id.in_(latest)))
    return {d.comment_id: d for d in decisions}


def _with_model_decisions(comments: Sequence[Comment]) -> list[Item]:
    model = latest_decisions([c.id for c in comments], model_only=True)
    return [Item(c, model.get(c.id)) for c in comments]


def _newest_sharing(
    comment: Comment, column: InstrumentedAttribute[str], limit: int
) -> Sequence[Comment]:
    """The site's newest comments with the same ``column`` value as ``comment``, newest first."""
    return db.session.scalars(
        select(Comment)
        .where(Comment.client_id == comment.client_id, column == getattr(comment, column.key))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()


def article_context(comment: Comment, limit: int = 30) -> list[Item]:
    """The article's most recent comments (the conversation), oldest first."""
    comments = _newest_sharing(comment, Comment.article_id, limit)
    return _with_model_decisions(list(reversed(comments)))


def author_recent(comment: Comment, limit: int = 20) -> list[tuple[Comment, Decision | None]]:
    """The author's latest comments on this site, newest first, with their current outcome."""
    comments = _newest_sharing(comment, Comment.author_id, limit)
    current = latest_decisions([c.id for c in comments])
    return [(c, current.get(c.id)) for c in comments]


def recent_automatic(status: str | None = None, limit: int = 50) -> list[Decision]:
    """The model's latest approvals and rejections, newest first, for quality review."""
    statuses = [status] if status in (APPROVED, REJECTED) else [APPROVED, REJECTED]
    return list(
        db.session.scalars(
            select(Decision)
            .where(Decision.decided_by == "model", Decision.status.in_(statuses))
            .order_by(Decision.id.desc())
            .limit(limit)
        )
    )


def moderator_workload(now: datetime) -> list[dict[str, Any]]:
    """Every account, the claims it holds now and how many decisions it made in 24 hours."""
    claims = dict(
        db.session.execute(
            select(Comment.claimed_by_id, func.count())
            .where(Comment.claimed_by_id.is_not(None), Comment.claimed_until >= now)
            .group_by(Comment.claimed_by_id)
        ).all()
    )
    decided = dict(
        db.session.execute(
            select(Decision.moderator_id, func.count())
            .where(Decision.moderator_id.is_not(None))
            .where(Decision.created_at >= now - timedelta(hours=24))
            .group_by(Decision.moderator_id)
        ).all()
    )
    return [
        {
            "id": u.id,
            "username": u.username,
            "role": u.role,
            "active": u.active,
            "claims": claims.get(u.id, 0),
            "decisions_24h": decided.get(u.id, 0),
        }
        for u in db.session.scalars(select(User).order_by(User.username))
    ]
