"""The queue pages: ``/queue`` (held comments), ``/queue/review``, ``/queue/comments/<id>``.

Pages are rendered on the server; ``static/queue.js`` adds the keyboard and
talks to ``/api/v1/queue`` with the session and the CSRF token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import Schema, ValidationError
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from service.clock import utcnow
from service.comments import actions, presenters, queries
from service.comments.articles import find_article
from service.extensions import db
from service.moderation.types import CATEGORIES
from service.queue.forms import OverturnForm, UndoForm
from service.queue.presenters import segments
from service.schemas.queue import QueueQuerySchema, ReviewQuerySchema
from service.security import safe_next
from service.tables import Comment

bp = Blueprint(
    "queue",
    __name__,
    url_prefix="/queue",
    template_folder="templates",
    static_folder="static",
)


@bp.before_request
def _moderators_only():
    if request.endpoint == "queue.static":
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


@bp.app_template_filter("ago")
def ago(moment: datetime | None) -> str:
    """'5 min ago' style age of a stored time."""
    if moment is None:
        return ""
    seconds = max(0, int((utcnow() - moment).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


@bp.app_context_processor
def _vocabulary() -> dict[str, Any]:
    return {"CATEGORIES": CATEGORIES, "segments": segments}


def _query(schema: Schema, args: MultiDict[str, str]) -> dict[str, Any]:
    """The filters read as the API's parser reads them (webargs' ``MultiDictProxy``: a
    filter that takes several values gets every one given), blank ones (a menu's "all")
    left out."""
    given = MultiDict([(key, value) for key, value in args.items(multi=True) if value != ""])
    try:
        return schema.load(MultiDictProxy(given, schema))
    except ValidationError as exc:
        flash("Some filters were invalid and are ignored: " + ", ".join(sorted(exc.messages)))
        return schema.load({})


@bp.route("")
def index():
    """Held comments, oldest first, with filters and counts per reason."""
    args = _query(QueueQuerySchema(), request.args)
    limit = args.pop("limit")
    filters = queries.Filters.from_mapping(args)
    items = queries.held_items(current_user, filters, limit)
    counts = queries.held_counts(current_user, filters)
    return render_template(
        "queue/index.html",
        items=[presenters.queue_item(i) for i in items],
        counts=counts,
        total=sum(counts.values()),
        filters=filters,
        args=args,
        choices=queries.filter_choices(),
        claim_seconds=actions.claim_seconds(),
    )


@bp.route("/review")
def review():
    """The model's recent approvals and rejections, to check and overturn."""
    args = _query(ReviewQuerySchema(), request.args)
    decisions = queries.recent_automatic(args.get("status"), args["limit"])
    return render_template(
        "queue/review.html",
        items=[presenters.review_item(d) for d in decisions],
        status=args.get("status"),
        form=OverturnForm(formdata=None),
    )


@bp.route("/comments/<int:comment_id>")
def comment(comment_id: int):
    """One comment: its text, scores, whole history, its article with the article's
    comments (evidence and term hits highlighted) and the author's recent comments."""
    found = db.session.get(Comment, comment_id)
    if found is None:
        abort(404)
    page = presenters.comment_page(found, queries.author_recent(found))
    article = find_article(found.client_id, found.article_id)
    page["article_text"] = presenters.article_details(article)
    page["conversation"] = [presenters.queue_item(i) for i in queries.article_context(found)]
    latest = page["history"][-1] if page["history"] else None
    undoable = (
        latest is not None
        and latest["decided_by"] == "moderator"
        and latest["undoes"] is None
        and latest["moderator"] == current_user.username
    )
    return render_template(
        "queue/comment.html",
        c=page,
        undoable=undoable,
        form=OverturnForm(formdata=None),
        undo_form=UndoForm(formdata=None),
    )


@bp.route("/comments/<int:comment_id>/overturn", methods=["POST"])
def overturn(comment_id: int):
    form = OverturnForm()
    target = safe_next(form.next.data or url_for("queue.comment", comment_id=comment_id))
    if not form.validate():
        flash("Nothing was recorded: check the " + ", ".join(sorted(form.errors)) + ".")
        return redirect(target)
    try:
        actions.overturn(
            comment_id, current_user, form.action.data, form.reason.data or None, form.note.data
        )
    except actions.ActionError as exc:
        flash(exc.message)
        return redirect(target)
    outcome = "approved" if form.action.data == "approve" else "rejected"
    flash(f"Comment {comment_id} is now {outcome}.")
    return redirect(target)


@bp.route("/decisions/<int:decision_id>/undo", methods=["POST"])
def undo(decision_id: int):
    form = UndoForm()
    try:
        decision = actions.undo(decision_id, current_user)
    except actions.ActionError as exc:
        flash(exc.message)
        return redirect(safe_next(form.next.data))
    flash(f"Undone: comment {decision.comment_id} is {decision.status} again.")
    return redirect(safe_next(form.next.data))
