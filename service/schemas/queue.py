"""Request and response schemas of the queue API (``/api/v1/queue``)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.moderation.policy import REASON_CODES
from service.moderation.types import CATEGORIES
from service.schemas.comments import (
    MAX_ID,
    AuthorSchema,
    DecisionSchema,
    ReasonSchema,
    SpanSchema,
    scores_field,
    validate_storable_text,
)

MAX_NOTE = 2000
MAX_BULK = 200
MAX_FILTER_VALUES = 20
NO_REASON = "none"  # the ``counts`` key of held comments the model gave no reason


class AnyOf(fields.List):
    """A filter that may be given more than once (``?category=threat&category=abuse``):
    it matches what has any of the values. Each value is checked by ``inner``; an error
    names the parameter, as with a single value, not the value's position."""

    def __init__(self, inner: fields.Field, **kwargs: Any):
        super().__init__(inner, validate=validate.Length(max=MAX_FILTER_VALUES), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as exc:
            if not isinstance(exc.messages, dict):  # not a list at all
                raise
            messages = [m for per_value in exc.messages.values() for m in per_value]
            raise ValidationError(list(dict.fromkeys(messages))) from exc


class QueueQuerySchema(Schema):
    """Filters of the queue; an unknown parameter is refused, and one given twice unless it
    is an ``AnyOf`` filter (see ``errors.Parser``)."""

    category = AnyOf(
        fields.String(validate=validate.OneOf((*REASON_CODES, NO_REASON))),
        metadata={
            "description": "The model's held reason, as in `counts` (`none`: no reason); "
            "repeat it for any of several."
        },
    )
    article = AnyOf(
        fields.String(validate=[validate.Length(max=255), validate_storable_text]),
        metadata={"description": "The article's id; repeat it for any of several."},
    )
    language = AnyOf(
        fields.String(validate=[validate.Length(max=35), validate_storable_text]),
        metadata={
            "description": "The routed language or the website's tag; repeat it for any of several."
        },
    )
    min_age_hours = fields.Integer(validate=validate.Range(min=0, max=24 * 365))
    max_age_hours = fields.Integer(validate=validate.Range(min=0, max=24 * 365))
    order = fields.String(load_default="oldest", validate=validate.OneOf(["oldest", "newest"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ArticleRefSchema(Schema):
    id = fields.String()
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)


class QueueItemSchema(Schema):
    id = fields.Integer()
    external_id = fields.String()
    status = fields.String()
    text = fields.String(metadata={"description": "Exactly as submitted: untrusted, escape it."})
    language = fields.String(allow_none=True)
    created_at = fields.DateTime()
    author = fields.Nested(AuthorSchema)
    article = fields.Nested(ArticleRefSchema)
    scores = scores_field()
    evidence = fields.List(fields.Nested(SpanSchema))
    held_reason = fields.Nested(ReasonSchema, allow_none=True)
    suggested_reason = fields.String(allow_none=True)
    model_version = fields.String(allow_none=True)
    claimed_by = fields.String(allow_none=True)
    claimed_until = fields.DateTime(allow_none=True)


class QueueListSchema(Schema):
    items = fields.List(fields.Nested(QueueItemSchema))
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Held comments per reason, under every filter but category."},
    )


class ActionSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = fields.String(
        allow_none=True,
        validate=validate.OneOf(CATEGORIES),
        metadata={"description": "Required to reject: a guideline category; none to approve."},
    )
    note = fields.String(
        allow_none=True, validate=[validate.Length(max=MAX_NOTE), validate_storable_text]
    )

    @validates_schema
    def _reason_for_reject_only(self, data, **kwargs):
        if data["action"] == "reject" and not data.get("reason"):
            raise ValidationError("Required to reject: a guideline category.", "reason")
        if data["action"] == "approve" and data.get("reason") is not None:
            raise ValidationError("Only a rejection has a reason: send none to approve.", "reason")


class BulkSchema(ActionSchema):
    ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        required=True,
        validate=validate.Length(min=1, max=MAX_BULK),
    )


class ClaimSchema(Schema):
    id = fields.Integer()
    claimed_until = fields.DateTime()


class ActionResultSchema(Schema):
    comment_id = fields.Integer()
    status = fields.String()
    decision = fields.Nested(DecisionSchema)
    undo_until = fields.DateTime(metadata={"description": "Undo is possible until then."})


class BulkErrorSchema(Schema):
    code = fields.String()
    message = fields.String()


class BulkResultItemSchema(Schema):
    id = fields.Integer()
    ok = fields.Boolean()
    decision = fields.Nested(DecisionSchema, allow_none=True)
    error = fields.Nested(BulkErrorSchema, allow_none=True)


class BulkResultSchema(Schema):
    results = fields.List(fields.Nested(BulkResultItemSchema))
    undo_until = fields.DateTime()


class AuthorRecentSchema(Schema):
    id = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()
    status = fields.String()
    article = fields.Nested(ArticleRefSchema)
    reason = fields.Nested(ReasonSchema, allow_none=True)


class CommentPageSchema(QueueItemSchema):
    history = fields.List(fields.Nested(DecisionSchema))
    author_recent = fields.List(fields.Nested(AuthorRecentSchema))


class ContextSchema(Schema):
    article = fields.Nested(ArticleRefSchema)
    comments = fields.List(fields.Nested(QueueItemSchema))


class ReviewQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(["approved", "rejected"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ReviewCommentSchema(Schema):
    id = fields.Integer()
    text = fields.String()
    status = fields.String(metadata={"description": "Current status (differs if overturned)."})
    author = fields.Nested(AuthorSchema)
    article = fields.Nested(ArticleRefSchema)
    created_at = fields.DateTime()


class ReviewItemSchema(Schema):
    decision = fields.Nested(DecisionSchema)
    comment = fields.Nested(ReviewCommentSchema)


class ReviewListSchema(Schema):
    items = fields.List(fields.Nested(ReviewItemSchema))


class ModeratorSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    active = fields.Boolean()
    claims = fields.Integer(metadata={"description": "Comments they hold right now."})
    decisions_24h = fields.Integer()


class ModeratorListSchema(Schema):
    moderators = fields.List(fields.Nested(ModeratorSchema))
