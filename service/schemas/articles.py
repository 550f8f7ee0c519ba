"""Articles: what the website sends (``PUT``) and what it reads back."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.schemas.comments import language_tag_field, short_string, validate_storable_text

MAX_ARTICLE_TEXT = 200_000


def article_text(max_length: int, description: str) -> fields.String:
    return fields.String(
        allow_none=True,
        validate=[validate.Length(max=max_length), validate_storable_text],
        metadata={"description": description},
    )


class ArticlePutSchema(Schema):
    title = short_string(1000, required=True)
    lead = article_text(10_000, "The standfirst or summary.")
    body = article_text(MAX_ARTICLE_TEXT, "The article's text (plain text).")
    language = language_tag_field(allow_none=True)
    url = fields.Url(schemes={"http", "https"}, validate=validate.Length(max=2000), allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True, default_timezone=None)


class StoredArticleSchema(ArticlePutSchema):
    id = fields.String(attribute="external_id", metadata={"description": "The website's id."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
