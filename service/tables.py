"""The tables.

A comment's text never changes (a database trigger enforces it); decisions,
policy changes and model activations are append-only history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.clock import as_utc, utcnow
from service.extensions import db


class UtcDateTime(TypeDecorator):
    """A timestamp with time zone that is stored in UTC and always read back aware, in UTC.

    SQLite hands stored times back naive and PostgreSQL in the session's time zone;
    this type makes both answer the same, so no reader has to convert.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value)


class ApiClient(db.Model):
    """A website (or other system) that submits comments with an API key."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class User(UserMixin, db.Model):
    """A moderator or an admin of the queue."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="moderator")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # In every session cookie; logging out raises it, so replayed cookies stop working.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def get_id(self) -> str:  # what flask-login keeps in the session: "<id>:<generation>"
        return f"{self.id}:{self.session_generation or 0}"

    @property
    def is_active(self) -> bool:  # flask-login refuses sessions of disabled accounts
        return self.active


class AccessToken(db.Model):
    """A moderator's personal access token for the queue API; carries the owner's role."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship()


class Article(db.Model):
    """A website's article, as it sent it: what its comments are judged to be about.

    Unlike a comment, an article may be sent again (``PUT``) when the site edits it.
    """

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("client_id", "external_id", name="uq_articles_client_external"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    external_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(1000))
    lead: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Comment(db.Model):
    """A reader's comment, stored exactly as submitted.

    ``status`` mirrors the latest decision so the queue can filter cheaply;
    ``first_response`` is the answer given to the first submission, replayed
    verbatim to a retried one.
    """

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("client_id", "external_id", name="uq_comments_client_external"),
        UniqueConstraint("client_id", "idempotency_key", name="uq_comments_client_idem"),
        Index("ix_comments_status_created", "status", "created_at"),
        Index("ix_comments_client_article", "client_id", "article_id", "created_at"),
        Index("ix_comments_status_routed_language", "status", "routed_language"),
        Index("ix_comments_client_digest_created", "client_id", "text_digest", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    external_id: Mapped[str] = mapped_column(String(255))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[str] = mapped_column(String(255))
    article_title: Mapped[str | None] = mapped_column(String(1000))
    article_url: Mapped[str | None] = mapped_column(String(2000))
    author_id: Mapped[str] = mapped_column(String(255))
    author_name: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    # the website's own tag, as sent; the detector's answer; what routing used (the API's
    # ``language``): see service.moderation.language
    site_language: Mapped[str | None] = mapped_column("language", String(35))
    detected_language: Mapped[str | None] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column("routed_language", String(8))
    status: Mapped[str] = mapped_column(String(20))
    # the letters of the text, folded, hashed: the same text again (service.comments.floods)
    text_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    first_response: Mapped[dict[str, Any]] = mapped_column(JSON)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)

    client: Mapped[ApiClient] = relationship()
    claimed_by: Mapped[User | None] = relationship()
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="comment", order_by="Decision.id", viewonly=True
    )


class Decision(db.Model):
    """One verdict on a comment, by the model or by a moderator. Never updated, never deleted."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason_message: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(String(2000))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    scores: Mapped[dict[str, float] | None] = mapped_column(JSON)
    decided_by: Mapped[str] = mapped_column(String(20))  # "model" or "moderator"
    model_version: Mapped[str | None] = mapped_column(String(64))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)

    comment: Mapped[Comment] = relationship(back_populates="decisions")
    moderator: Mapped[User | None] = relationship()

    def reason(self) -> dict[str, Any] | None:
        """The reason as the API and the webhooks send it (None when approved)."""
        if self.reason_code is None:
            return None
        return {
            "code": self.reason_code,
            "message": self.reason_message,
            "evidence": self.evidence or [],
        }


class PolicySetting(db.Model):
    """An operator's override of one policy value (a threshold or a switch), as JSON."""

    __tablename__ = "policy_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))


class ModelActivation(db.Model):
    """Which model version the service serves, from when, by whose decision. Append-only."""

    __tablename__ = "model_activations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    previous_version: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))  # promote, rollback
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ModelDigest(db.Model):
    """The sha256 of a version's files, recorded when it was promoted (or first served).

    Loading checks the files against the card beside them; this record is the second
    check, out of reach of whoever can write the models directory: a version whose
    card and files were both replaced no longer matches it and is refused.
    """

    __tablename__ = "model_digests"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    artifact_sha256: Mapped[str] = mapped_column(String(64))
    encoder_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SiteLabel(db.Model):
    """A labelled comment imported from elsewhere (``flask labels import``), for retraining.

    ``labels`` maps a category to 1 or 0; a category it leaves out is unknown.
    Labels from this site's moderators are derived from :class:`Decision` instead.
    """

    __tablename__ = "site_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    labels: Mapped[dict[str, int]] = mapped_column(JSON)
    labelled_by: Mapped[str] = mapped_column(String(100))
    labelled_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    source: Mapped[str] = mapped_column(String(100))
    # the comment's routed language when the file said it (NULL: training detects it)
    language: Mapped[str | None] = mapped_column(String(8))
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)
    imported_from: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WebhookEndpoint(db.Model):
    """Where an API client wants to hear of later decisions, and the secret that signs them.

    The secret is kept as printed (it must be recovered to sign each delivery); it is
    shown once, when set, and never logged.
    """

    __tablename__ = "webhook_endpoints"

    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    client: Mapped[ApiClient] = relationship()


class WebhookEvent(db.Model):
    """One event of the transactional outbox: written with the decision, sent by the dispatcher.

    ``body`` is the exact JSON text that is signed and posted, on every attempt.
    The dispatcher's query is "pending and due, soonest first", hence the index.
    """

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_status_due", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    client: Mapped[ApiClient] = relationship()


class BlockedTerm(db.Model):
    """A blocklist entry: a term or phrase, its category, ``reject`` or ``hold``, and the
    language it applies to (NULL: every language). Changed only through
    :mod:`service.terms.store`, which logs each change in :class:`TermChange`."""

    __tablename__ = "blocked_terms"
    __table_args__ = (UniqueConstraint("key", "language", name="uq_blocked_terms_key_language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String(200))
    # the folded term (service.moderation.terms.fold_term): how duplicates are found
    key: Mapped[str] = mapped_column(String(400))
    category: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(10))  # reject, hold
    language: Mapped[str | None] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(String(500))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AllowedTerm(db.Model):
    """An allowlist entry: a term that never counts against a comment (place names, the
    site's own words, reclaimed words), for one language or (NULL) all."""

    __tablename__ = "allowed_terms"
    __table_args__ = (UniqueConstraint("key", "language", name="uq_allowed_terms_key_language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(400))
    language: Mapped[str | None] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(String(500))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TermChange(db.Model):
    """One change to the term lists: who, when, what (added, removed, imported) and the
    entry as it was. Never updated, never deleted (database triggers enforce it)."""

    __tablename__ = "term_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    change: Mapped[str] = mapped_column(String(20))  # added, removed, imported
    list_name: Mapped[str] = mapped_column("list", String(10))  # block, allow
    term: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(8))
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
