"""``/api/v1/comments``: the website submits a comment and reads its fate."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from flask import current_app, g, request
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Comment
from ..schemas import CommentCreateSchema, CommentDetailSchema, CommentResultSchema, ErrorSchema
from .auth import require_client
from .errors import Blueprint
from .limits import limit_body
from .presenters import comment_detail, decision_record, model_result

log = logging.getLogger(__name__)
blp = Blueprint("comments", __name__, url_prefix="/api/v1/comments", description="Comments")

MAX_COMMENT_BODY = 64 * 1024
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAY_HEADER = {"Idempotent-Replayed": "true"}


def _request_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _idempotency_key() -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255:
        abort(
            400,
            message="Idempotency-Key must be 1 to 255 characters.",
            errors={IDEMPOTENCY_HEADER: ["Length must be between 1 and 255."]},
        )
    return key


def _earlier(client_id: int, key: str | None, external_id: str) -> Comment | None:
    if key is not None:
        by_key = db.session.scalars(
            select(Comment).filter_by(client_id=client_id, idempotency_key=key)
        ).first()
        if by_key is not None:
            return by_key
    return db.session.scalars(
        select(Comment).filter_by(client_id=client_id, external_id=external_id)
    ).first()


def _replay(earlier: Comment, request_hash: str, key: str | None):
    if earlier.request_hash != request_hash:
        if key is not None and earlier.idempotency_key == key:
            abort(
                409,
                message="This Idempotency-Key was used with a different body.",
                errors={IDEMPOTENCY_HEADER: ["Already used with a different request body."]},
            )
        abort(
            409,
            message="A different comment with this external_id was already submitted; "
            "comments are never edited.",
            errors={"external_id": ["Already submitted with a different body."]},
        )
    log.info("comment %s replayed to client %s", earlier.id, g.client.name)
    return earlier.first_response, 201, REPLAY_HEADER


@blp.route("", methods=["POST"])
@limit_body(MAX_COMMENT_BODY)
@require_client
@blp.arguments(CommentCreateSchema)
@blp.response(201, CommentResultSchema)
@blp.alt_response(400, schema=ErrorSchema, description="A field is invalid.")
@blp.alt_response(401, schema=ErrorSchema, description="No or bad API key.")
@blp.alt_response(409, schema=ErrorSchema, description="Idempotency-Key reused with another body.")
@blp.doc(security=[{"bearerAuth": []}])
def create_comment(body: dict[str, Any]):
    """Submit a comment: stored as sent, scored, decided.

    Retrying with the same ``Idempotency-Key`` (or the same ``external_id``)
    answers the first response again with ``Idempotent-Replayed: true``.
    """
    key = _idempotency_key()
    request_hash = _request_hash(body)
    earlier = _earlier(g.client.id, key, body["external_id"])
    if earlier is not None:
        return _replay(earlier, request_hash, key)

    runtime = current_app.extensions["moderation"]
    model, scorings = runtime.score([body["text"]])
    scoring = scorings[0] if scorings else None
    decision = decision_record(scoring, runtime.policy, body["text"], model)

    article = body.get("article") or {}
    comment = Comment(
        client_id=g.client.id,
        external_id=body["external_id"],
        idempotency_key=key,
        request_hash=request_hash,
        article_id=body["article_id"],
        article_title=article.get("title"),
        article_url=article.get("url"),
        author_id=body["author"]["id"],
        author_name=body["author"]["name"],
        text=body["text"],
        language=body.get("language"),
        status=decision.status,
        first_response={},
    )
    db.session.add(comment)
    try:
        db.session.flush()
    except IntegrityError:
        # A concurrent retry of the same comment won the race: answer as it did.
        db.session.rollback()
        earlier = _earlier(g.client.id, key, body["external_id"])
        if earlier is None:
            raise
        return _replay(earlier, request_hash, key)
    decision.comment_id = comment.id
    db.session.add(decision)
    response = CommentResultSchema().dump(model_result(comment, decision))
    comment.first_response = response
    db.session.commit()
    log.info(
        "comment %s (client %s, external %s) %s: %s by %s",
        comment.id,
        g.client.name,
        comment.external_id,
        decision.status,
        decision.reason_code or "no reason",
        decision.model_version or "no model",
    )
    return response


@blp.route("/<int:comment_id>", methods=["GET"])
@require_client
@blp.response(200, CommentDetailSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such comment for this client.")
@blp.doc(security=[{"bearerAuth": []}])
def get_comment(comment_id: int):
    """A comment's current status, its text as stored and its whole decision history."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.client_id != g.client.id:
        abort(404, message=f"No comment {comment_id}.")
    return comment_detail(comment)
