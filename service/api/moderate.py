"""``/api/v1/moderate``: stateless scoring of a batch, for batch jobs and benchmarks."""

from __future__ import annotations

from typing import Any

from service.api.auth import WEBSITE_OR_MODERATOR, require_client_or_user
from service.api.limits import limit_body, one_slot
from service.comments.presenters import moderate_result
from service.errors import Blueprint
from service.schemas.comments import ErrorSchema, ModerateRequestSchema, ModerateResponseSchema
from service.serving.runtime import judge

blp = Blueprint("moderate", __name__, url_prefix="/api/v1/moderate", description="Batch scoring")

MAX_MODERATE_BODY = 4 * 1024 * 1024


@blp.route("", methods=["POST"])
@limit_body(MAX_MODERATE_BODY)
@require_client_or_user
@one_slot("moderate_slots")
@blp.arguments(ModerateRequestSchema)
@blp.response(200, ModerateResponseSchema)
@blp.alt_response(400, schema=ErrorSchema, description="A field is invalid.")
@blp.alt_response(401, schema=ErrorSchema, description="No or bad credentials.")
@blp.alt_response(429, schema=ErrorSchema, description="Too many requests, or batches at once.")
@blp.doc(security=WEBSITE_OR_MODERATOR)
def moderate(body: dict[str, Any]):
    """Score up to 1,000 texts; nothing is stored.

    Results come in the order of the request. With no model loaded, or if
    scoring fails, every decision is ``review`` with reason ``unscored``.
    """
    comments = body["comments"]
    judged = judge([c["text"] for c in comments], [c.get("language") for c in comments])
    return {
        "model_version": judged.model_version,
        "results": [moderate_result(j) for j in judged.judgements],
    }
