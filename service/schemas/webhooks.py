"""The body of a webhook event: what a website receives when a later decision is made."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.schemas.comments import ReasonSchema

EVENT_TYPES = ("comment.decided",)


class DecisionEventSchema(Schema):
    id = fields.String(metadata={"description": "The event's id: drop a repeated one."})
    type = fields.String(validate=validate.OneOf(EVENT_TYPES))
    comment_id = fields.Integer(metadata={"description": "The same integer as the API's id."})
    external_id = fields.String()
    article_id = fields.String()
    status = fields.String(validate=validate.OneOf(["approved", "rejected", "pending"]))
    reason = fields.Nested(ReasonSchema, allow_none=True)
    decided_by = fields.String(metadata={"description": "moderator (as in the API's history)"})
    decided_at = fields.DateTime()
