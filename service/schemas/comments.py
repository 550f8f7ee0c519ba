"""Request and response schemas of the JSON API: validation and OpenAPI from one source."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from service.moderation.types import CATEGORIES

MAX_TEXT_CHARS = 10_000
MAX_BATCH = 1_000
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_ARTICLE_ID = 255
# What an article id may not hold: the Unicode categories Cc (control characters: C0, DEL,
# C1), Zl and Zp (the line and paragraph separators U+2028, U+2029: line breaks to a log or a
# JavaScript string) and Cs (surrogates, which UTF-8 cannot encode), and "/", which no client
# can send inside the one path segment of /api/v1/articles/<id>. Format characters (Cf) stay:
# Sorani and Persian words need the zero-width non-joiner.
ARTICLE_ID_REFUSED = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff/"
_ARTICLE_ID_REFUSED_RE = re.compile(f"[{ARTICLE_ID_REFUSED}]")


def validate_storable_text(value: str) -> None:
    """Refuse what PostgreSQL or UTF-8 cannot store, rather than alter it."""
    if "\x00" in value:
        raise ValidationError("Must not contain U+0000 (NUL).")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("Must not contain unpaired surrogates.") from exc


def validate_article_id_chars(value: str) -> None:
    """An article id is named in a path (``PUT /api/v1/articles/<id>``) as well as in a
    comment's body: what one path segment cannot carry, or would break a line, is refused
    in both."""
    validate_storable_text(value)  # first: it names a lone surrogate as such
    if _ARTICLE_ID_REFUSED_RE.search(value):
        raise ValidationError(
            "Must not contain control characters (U+0000 to U+001F, U+007F to U+009F), "
            "line or paragraph separators (U+2028, U+2029) or '/'."
        )


def article_id_field(**kwargs: Any) -> fields.String:
    """The website's article id, in a body (``article_id``) and in the path alike."""
    return fields.String(
        **kwargs,
        validate=[validate.Length(min=1, max=MAX_ARTICLE_ID), validate_article_id_chars],
        metadata={
            "description": "The website's id for the article: 1 to 255 characters, no "
            "control characters, no line or paragraph separators (U+2028, U+2029) and no '/'.",
            "pattern": f"^[^{ARTICLE_ID_REFUSED}]*$",
            "example": "budget-2026",
        },
    )


def comment_text_field() -> fields.String:
    return fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_TEXT_CHARS), validate_storable_text],
        metadata={"description": "The comment, stored and returned exactly as sent."},
    )


def short_string(max_length: int = 255, **kwargs) -> fields.String:
    return fields.String(
        validate=[validate.Length(min=1, max=max_length), validate_storable_text], **kwargs
    )


MAX_LANGUAGE_TAG = 35  # RFC 5646's minimum to support, and the columns' width
# A BCP 47 tag (RFC 5646), case-insensitive: a language with up to four subtags, a private-use
# tag ("x-..."), or an irregular grandfathered one ("i-klingon"; the regular ones, such as
# "zh-min-nan", and "en-GB-oed" already fit the first form).
LANGUAGE_TAG = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+"
    r"|[Ii]-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu))\Z",
    re.IGNORECASE,
)


def language_tag_field(**kwargs: Any) -> fields.String:
    return fields.String(
        **kwargs,
        validate=[
            validate.Length(max=MAX_LANGUAGE_TAG),
            validate.Regexp(LANGUAGE_TAG, error="Not a BCP 47 language tag."),
        ],
        metadata={
            "example": "en",
            "description": "The website's tag. The detector decides when it is confident; "
            "otherwise this tag routes the comment.",
        },
    )


class ArticleSchema(Schema):
    title = short_string(1000)
    url = fields.Url(
        schemes={"http", "https"},
        validate=[validate.Length(max=2000), validate_storable_text],
        allow_none=True,
    )


class AuthorSchema(Schema):
    id = short_string(required=True)
    name = short_string(
        allow_none=True, metadata={"description": "Optional: sites with anonymous commenters."}
    )


class IdempotencyHeaderSchema(Schema):
    """The optional ``Idempotency-Key`` header of a submission (other headers are ignored)."""

    class Meta:
        unknown = EXCLUDE

    idempotency_key = fields.String(
        data_key=IDEMPOTENCY_HEADER,
        load_default=None,
        validate=validate.Length(min=1, max=255),
        metadata={
            "description": "Retrying with the same key answers the first response again.",
            "example": "7f1c2a9e-comment-991",
        },
    )


class CommentCreateSchema(Schema):
    external_id = short_string(
        required=True, metadata={"description": "The website's own id for the comment."}
    )
    article_id = article_id_field(required=True)
    article = fields.Nested(ArticleSchema)
    author = fields.Nested(AuthorSchema, required=True)
    text = comment_text_field()
    language = language_tag_field()


class SpanSchema(Schema):
    start = fields.Integer(metadata={"description": "Offset in code points of the stored text."})
    end = fields.Integer(metadata={"description": "Exclusive end offset."})
    category = fields.String()


class ReasonSchema(Schema):
    code = fields.String(
        metadata={"description": "Machine code: a guideline category, unscored, ..."}
    )
    message = fields.String(metadata={"description": "Can be shown to the commenter."})
    evidence = fields.List(fields.Nested(SpanSchema))


def scores_field() -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf((*CATEGORIES, "off_topic"))),
        values=fields.Float(),
        metadata={
            "description": "Probability per category that the comment's language model can "
            "score; empty when no model scored the comment. `off_topic` (0-1, higher is "
            "further from the article) when the comment was compared with its article."
        },
    )


SITE_LANGUAGE_CODES = "en, ckb (Sorani), kmr (Kurmanji), ar, tr, fa, or und (undetermined)"


class LanguagesSchema(Schema):
    """The languages of a judged comment (see service.moderation.language)."""

    language = fields.String(
        allow_none=True,
        metadata={"description": f"The language routing used: {SITE_LANGUAGE_CODES}."},
    )
    detected_language = fields.String(
        allow_none=True,
        metadata={"description": f"The detector's answer: {SITE_LANGUAGE_CODES}."},
    )


class CommentResultSchema(LanguagesSchema):
    id = fields.Integer()
    status = fields.String(validate=validate.OneOf(["approved", "rejected", "pending"]))
    reason = fields.Nested(ReasonSchema, allow_none=True)
    scores = scores_field()
    model_version = fields.String(allow_none=True)
    site_language = fields.String(
        allow_none=True, metadata={"description": "The website's own tag, when it sent one."}
    )


class DecisionSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    reason = fields.Nested(ReasonSchema, allow_none=True)
    note = fields.String(allow_none=True)
    scores = scores_field()
    decided_by = fields.String(metadata={"description": "model or moderator"})
    model_version = fields.String(allow_none=True)
    moderator = fields.String(allow_none=True)
    undoes = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class CommentDetailSchema(CommentResultSchema):
    external_id = fields.String()
    article_id = fields.String()
    article = fields.Nested(ArticleSchema, allow_none=True)
    author = fields.Nested(AuthorSchema)
    text = fields.String()
    created_at = fields.DateTime()
    history = fields.List(fields.Nested(DecisionSchema))


class ModerateItemSchema(Schema):
    text = comment_text_field()
    language = language_tag_field()


class ModerateRequestSchema(Schema):
    comments = fields.List(
        fields.Nested(ModerateItemSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH),
    )


class ModerateResultSchema(LanguagesSchema):
    decision = fields.String(validate=validate.OneOf(["approve", "reject", "review"]))
    reason = fields.Nested(ReasonSchema, allow_none=True)
    scores = scores_field()


class ModerateResponseSchema(Schema):
    model_version = fields.String(allow_none=True)
    results = fields.List(fields.Nested(ModerateResultSchema))


class ErrorDetailSchema(Schema):
    code = fields.String()
    message = fields.String()
    fields_ = fields.Dict(
        data_key="fields", keys=fields.String(), values=fields.List(fields.String())
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema)


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()
    model = fields.Dict(allow_none=True)
    rate_limits = fields.String(
        metadata={
            "description": "Where the rate limits count: `shared` (Redis answers), "
            "`per-process` (memory:// configured) or `per-process: shared store "
            "unreachable` (Redis configured but not answering). Not a readiness condition."
        }
    )
    reasons = fields.List(
        fields.String(), metadata={"description": "Why it is not ready; empty when ready."}
    )
