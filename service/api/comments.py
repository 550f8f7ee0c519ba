"""``/api/v1/comments``: the website submits a comment and reads its fate."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify
from flask_smorest import abort

from service.api.auth import WEBSITE_ONLY, require_client
from service.api.limits import limit_body, max_json_bytes
from service.comments.presenters import comment_detail
from service.comments.submit import SubmitConflict, submit
from service.errors import Blueprint
from service.extensions import db
from service.schemas.comments import (
    CommentCreateSchema,
    CommentDetailSchema,
    CommentResultSchema,
    ErrorSchema,
    IdempotencyHeaderSchema,
)
from service.tables import Comment

blp = Blueprint("comments", __name__, url_prefix="/api/v1/comments", description="Comments")

# the longest valid comment, its article fields included, fits even when \u-escaped
MAX_COMMENT_BODY = max_json_bytes(CommentCreateSchema())
REPLAY_HEADER = {"Idempotent-Replayed": "true"}


@blp.route("", methods=["POST"])
@limit_body(MAX_COMMENT_BODY)
@require_client
@blp.arguments(IdempotencyHeaderSchema, location="headers", as_kwargs=True)
@blp.arguments(CommentCreateSchema)
@blp.response(201, CommentResultSchema)
@blp.alt_response(400, schema=ErrorSchema, description="A field is invalid.")
@blp.alt_response(401, schema=ErrorSchema, description="No or bad API key.")
@blp.alt_response(409, schema=ErrorSchema, description="Idempotency-Key reused with another body.")
@blp.doc(security=WEBSITE_ONLY)
def create_comment(body: dict[str, Any], idempotency_key: str | None):
    """Submit a comment: stored as sent, scored, decided.

    Retrying with the same ``Idempotency-Key`` (or the same ``external_id``)
    answers the first response again with ``Idempotent-Replayed: true``.
    """
    try:
        submitted = submit(g.client, body, idempotency_key)
    except SubmitConflict as exc:
        abort(409, message=exc.message, errors=exc.fields)
    # submit() has serialised the body once (it is stored as the first response): send it as is.
    response = jsonify(submitted.response)
    response.status_code = 201
    if submitted.replayed:
        response.headers.update(REPLAY_HEADER)
    return response


@blp.route("/<int:comment_id>", methods=["GET"])
@require_client
@blp.response(200, CommentDetailSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such comment for this client.")
@blp.doc(security=WEBSITE_ONLY)
def get_comment(comment_id: int):
    """A comment's current status, its text as stored and its whole decision history."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.client_id != g.client.id:
        abort(404, message=f"No comment {comment_id}.")
    return comment_detail(comment)
