"""Articles: what the website sends (``PUT``) and what it reads back."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, ValidationError, fields, validate

from service.schemas.comments import language_tag_field, short_string, validate_storable_text

MAX_ARTICLE_TEXT = 200_000


def article_text(max_length: int, description: str) -> fields.String:
    return fields.String(
        allow_none=True,
        validate=[validate.Length(max=max_length), validate_storable_text],
        metadata={"description": description},
    )


def validate_utc_range(moment: datetime) -> None:
    """Every stored time is UTC: a time that cannot be said in UTC (0001-01-01T00:00+01:00)
    is refused here rather than overflowing when it is stored."""
    try:
        moment.astimezone(UTC)
    except OverflowError as exc:
        raise ValidationError("Out of range in UTC (0001-01-01 to 9999-12-31).") from exc


class ArticlePutSchema(Schema):
    title = short_string(1000, required=True)
    lead = article_text(10_000, "The standfirst or summary.")
    body = article_text(MAX_ARTICLE_TEXT, "The article's text (plain text).")
    language = language_tag_field(allow_none=True)
    url = fields.Url(schemes={"http", "https"}, validate=validate.Length(max=2000), allow_none=True)
    published_at = fields.AwareDateTime(
        allow_none=True, default_timezone=None, validate=validate_utc_range
    )


class StoredArticleSchema(ArticlePutSchema):
    id = fields.String(attribute="external_id", metadata={"description": "The website's id."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
