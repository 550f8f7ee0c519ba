"""The articles comments are about: sent by the website, read by relevance and the queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.clock import as_utc, utcnow
from service.extensions import db
from service.moderation.relevance import article_text
from service.serving.runtime import Context
from service.tables import ApiClient, Article, Comment

FIELDS = ("title", "lead", "body", "language", "url", "published_at")
# the article's latest approved comments a new one is also compared with
RECENT_COMMENTS = 10


def find_article(client_id: int, external_id: str) -> Article | None:
    return db.session.scalars(
        select(Article).filter_by(client_id=client_id, external_id=external_id)
    ).first()


def put_article(
    client: ApiClient, external_id: str, fields: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Create or replace the article (fields left out become empty); (stored, created).

    ``stored`` holds the article's values read before the commit: answering from the
    row after it would read it again, and fail if the database went away in between.
    """
    article = find_article(client.id, external_id)
    created = article is None
    if created:
        article = Article(client_id=client.id, external_id=external_id)
        db.session.add(article)
    for name in FIELDS:
        setattr(article, name, fields.get(name))
    article.updated_at = utcnow()
    db.session.flush()
    names = ("external_id", *FIELDS, "created_at", "updated_at")
    stored = {name: getattr(article, name) for name in names}
    stored["published_at"] = as_utc(stored["published_at"])  # as the database gives it back
    db.session.commit()
    return stored, created


def article_for_comment(
    client: ApiClient, external_id: str, inline: dict[str, Any]
) -> Article | None:
    """The stored article a new comment belongs to; an inline article with a title is
    stored the first time it is seen (it never overwrites one the site sent with PUT)."""
    article = find_article(client.id, external_id)
    if article is not None or not inline.get("title"):
        return article
    article = Article(
        client_id=client.id, external_id=external_id, title=inline["title"], url=inline.get("url")
    )
    try:
        with db.session.begin_nested():  # a savepoint: losing a race keeps the comment's work
            db.session.add(article)
    except IntegrityError:
        return find_article(client.id, external_id)  # another comment stored it first
    return article


def relevance_context(client_id: int, article: Article | None) -> Context | None:
    """What a new comment on ``article`` is compared with: the article's text and its
    latest approved comments; None with no article text."""
    if article is None:
        return None
    text = article_text(article.title, article.lead, article.body)
    if not text:
        return None
    recent = db.session.scalars(
        select(Comment.text)
        .where(
            Comment.client_id == client_id,
            Comment.article_id == article.external_id,
            Comment.status == "approved",
        )
        .order_by(Comment.created_at.desc())
        .limit(RECENT_COMMENTS)
    ).all()
    return Context(text, tuple(recent))
