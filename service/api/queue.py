"""``/api/v1/queue``: the moderators' queue for their own tools and for the queue page.

Tools authenticate with a personal access token (``Bearer cmt_...``); the
page's scripts use the login session plus the ``X-CSRFToken`` header. Every
response carries ``Server-Timing: app;dur=<ms>`` so the time a moderator
action costs on the server can be measured from the outside.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Response, g
from flask_smorest import abort

from service.api.auth import MODERATOR_ONLY, require_role
from service.clock import utcnow
from service.comments import actions, presenters, queries
from service.errors import Blueprint
from service.extensions import db
from service.schemas.comments import ErrorSchema
from service.schemas.queue import (
    ActionResultSchema,
    ActionSchema,
    BulkResultSchema,
    BulkSchema,
    ClaimSchema,
    CommentPageSchema,
    ContextSchema,
    ModeratorListSchema,
    QueueItemSchema,
    QueueListSchema,
    QueueQuerySchema,
    ReviewListSchema,
    ReviewQuerySchema,
)
from service.tables import Comment

blp = Blueprint(
    "queue_api", __name__, url_prefix="/api/v1/queue", description="The moderators' queue"
)
moderator = require_role("moderator")
admin = require_role("admin")


@blp.before_request
def _start_timer() -> None:
    g.queue_started = time.perf_counter()


@blp.after_request
def _server_timing(response: Response) -> Response:
    started = g.get("queue_started")
    if started is not None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
    return response


def _run(action, *args: Any, **kwargs: Any) -> Any:
    try:
        return action(*args, **kwargs)
    except actions.ActionError as exc:
        abort(exc.status, message=exc.message, errors=exc.fields)


def _comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404, message=f"No comment {comment_id}.")
    return comment


def _action_result(recorded: actions.Recorded) -> dict[str, Any]:
    return presenters.action_result(recorded)


@blp.route("", methods=["GET"])
@moderator
@blp.arguments(QueueQuerySchema, location="query")
@blp.response(200, QueueListSchema)
@blp.alt_response(401, schema=ErrorSchema, description="No or bad credentials.")
@blp.doc(security=MODERATOR_ONLY)
def list_queue(args: dict[str, Any]):
    """Held comments you may work (not claimed by others), oldest first, and counts per reason."""
    limit = args.pop("limit")
    filters = queries.Filters.from_mapping(args)
    items = queries.held_items(g.user, filters, limit)
    return {
        "items": [presenters.queue_item(item) for item in items],
        "counts": queries.held_counts(g.user, filters),
    }


@blp.route("/next", methods=["POST"])
@moderator
@blp.arguments(QueueQuerySchema, location="query")
@blp.response(200, QueueItemSchema)
@blp.alt_response(204, description="Nothing left for you in the queue.")
@blp.doc(security=MODERATOR_ONLY)
def claim_next(args: dict[str, Any]):
    """Claim the first held comment you may work, and return it."""
    args.pop("limit")
    filters = queries.Filters.from_mapping(args)
    for item in queries.held_items(g.user, filters, limit=20):
        # presented before the claim commits: after it, reading the rows would reload them
        answer, username = presenters.queue_item(item), g.user.username
        try:
            until = actions.claim(answer["id"], g.user)
        except actions.ActionError:
            continue  # someone else claimed or decided it meanwhile: try the next one
        return answer | {"claimed_by": username, "claimed_until": until}
    return Response(status=204)


@blp.route("/<int:comment_id>", methods=["GET"])
@moderator
@blp.response(200, CommentPageSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such comment.")
@blp.doc(security=MODERATOR_ONLY)
def get_item(comment_id: int):
    """A comment with its whole history and its author's recent comments."""
    comment = _comment(comment_id)
    return presenters.comment_page(comment, queries.author_recent(comment))


@blp.route("/<int:comment_id>/context", methods=["GET"])
@moderator
@blp.response(200, ContextSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such comment.")
@blp.doc(security=MODERATOR_ONLY)
def get_context(comment_id: int):
    """The article's recent comments (the conversation), oldest first."""
    comment = _comment(comment_id)
    return {
        "article": presenters.article_dict(comment),
        "comments": [presenters.queue_item(i) for i in queries.article_context(comment)],
    }


@blp.route("/<int:comment_id>/claim", methods=["POST"])
@moderator
@blp.response(200, ClaimSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Decided, or claimed by someone else.")
@blp.doc(security=MODERATOR_ONLY)
def claim(comment_id: int):
    """Hold a pending comment for a few minutes (QUEUE_CLAIM_SECONDS) so no one else sees it."""
    until = _run(actions.claim, comment_id, g.user)
    return {"id": comment_id, "claimed_until": until}


@blp.route("/<int:comment_id>/claim", methods=["DELETE"])
@moderator
@blp.response(204)
@blp.alt_response(404, schema=ErrorSchema, description="No such comment.")
@blp.doc(security=MODERATOR_ONLY)
def release(comment_id: int):
    """Give the comment back to the queue (skip); a no-op if you do not hold it."""
    _run(actions.release, comment_id, g.user)


@blp.route("/<int:comment_id>/decision", methods=["POST"])
@moderator
@blp.arguments(ActionSchema)
@blp.response(200, ActionResultSchema)
@blp.alt_response(
    400, schema=ErrorSchema, description="Bad action, or a reason missing or not due."
)
@blp.alt_response(409, schema=ErrorSchema, description="Already decided, or claimed by another.")
@blp.doc(security=MODERATOR_ONLY)
def decide(body: dict[str, Any], comment_id: int):
    """Approve or reject a held comment. A second decision is refused with 409."""
    decision = _run(
        actions.decide, comment_id, g.user, body["action"], body.get("reason"), body.get("note")
    )
    return _action_result(decision)


@blp.route("/<int:comment_id>/overturn", methods=["POST"])
@moderator
@blp.arguments(ActionSchema)
@blp.response(200, ActionResultSchema)
@blp.alt_response(
    400, schema=ErrorSchema, description="Bad action, or a reason missing or not due."
)
@blp.alt_response(409, schema=ErrorSchema, description="Pending, or already so.")
@blp.doc(security=MODERATOR_ONLY)
def overturn(body: dict[str, Any], comment_id: int):
    """Change an approved or rejected comment's outcome: a new decision in its history."""
    decision = _run(
        actions.overturn, comment_id, g.user, body["action"], body.get("reason"), body.get("note")
    )
    return _action_result(decision)


@blp.route("/bulk", methods=["POST"])
@moderator
@blp.arguments(BulkSchema)
@blp.response(200, BulkResultSchema)
@blp.doc(security=MODERATOR_ONLY)
def bulk(body: dict[str, Any]):
    """Approve or reject several held comments at once; each refusal is reported, not fatal."""
    outcome = _run(
        actions.decide_many,
        body["ids"],
        g.user,
        body["action"],
        body.get("reason"),
        body.get("note"),
    )
    results = presenters.bulk_results(body["ids"], outcome.decisions, outcome.errors)
    undo_until = utcnow() + timedelta(seconds=actions.undo_seconds())
    return {"results": results, "undo_until": undo_until}


@blp.route("/decisions/<int:decision_id>/undo", methods=["POST"])
@moderator
@blp.response(200, ActionResultSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Too late, or a later decision exists.")
@blp.doc(security=MODERATOR_ONLY)
def undo(decision_id: int):
    """Undo your own recent decision: recorded as a decision of its own (``undoes``)."""
    decision = _run(actions.undo, decision_id, g.user)
    return _action_result(decision)


@blp.route("/review", methods=["GET"])
@moderator
@blp.arguments(ReviewQuerySchema, location="query")
@blp.response(200, ReviewListSchema)
@blp.doc(security=MODERATOR_ONLY)
def review(args: dict[str, Any]):
    """Recent automatic approvals and rejections, newest first, to check and overturn."""
    decisions = queries.recent_automatic(args.get("status"), args["limit"])
    return {"items": [presenters.review_item(d) for d in decisions]}


@blp.route("/moderators", methods=["GET"])
@admin
@blp.response(200, ModeratorListSchema)
@blp.alt_response(403, schema=ErrorSchema, description="Not an admin, or a website's API key.")
@blp.doc(security=MODERATOR_ONLY)
def moderators():
    """Admins: every account, what it holds now and how much it decided in 24 hours."""
    return {"moderators": queries.moderator_workload(utcnow())}
