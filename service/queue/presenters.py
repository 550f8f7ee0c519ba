"""Queue rows as plain dicts (for the API schemas and the templates) and highlighted text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..api.presenters import decision_history_item, latest_model_decision, stored_reason
from ..models import Comment, Decision
from ..moderation.types import CATEGORIES
from .queries import Item


def segments(text: str, spans: Iterable[Mapping[str, Any]]) -> list[tuple[str, str | None]]:
    """Cut ``text`` into ``(slice, category or None)`` pieces along the evidence spans.

    The slices join back to exactly ``text``: highlighting wraps pieces, it never
    changes them. Offsets are code points (Python indices); overlapping spans are
    merged into the first; spans outside the text are clipped or dropped.
    """
    pieces: list[tuple[str, str | None]] = []
    cursor = 0
    ordered = sorted(
        (int(s["start"]), int(s["end"]), str(s.get("category") or "")) for s in spans or []
    )
    for start, end, category in ordered:
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], category or "evidence"))
        cursor = end
    if cursor < len(text) or not pieces:
        pieces.append((text[cursor:], None))
    return pieces


SUGGEST_FROM_SCORE = 0.3


def suggested_reason(model_decision: Decision | None) -> str | None:
    """The model's held reason when it is a guideline category, else its top category if
    that scored at least ``SUGGEST_FROM_SCORE`` (a near-zero score suggests nothing)."""
    if model_decision is None:
        return None
    if model_decision.reason_code in CATEGORIES:
        return model_decision.reason_code
    scores = model_decision.scores or {}
    ranked = sorted((v, k) for k, v in scores.items() if k in CATEGORIES)
    if ranked and ranked[-1][0] >= SUGGEST_FROM_SCORE:
        return ranked[-1][1]
    return None


def article_dict(comment: Comment) -> dict[str, Any]:
    return {"id": comment.article_id, "title": comment.article_title, "url": comment.article_url}


def queue_item(item: Item) -> dict[str, Any]:
    comment, model = item.comment, item.model_decision
    return {
        "id": comment.id,
        "external_id": comment.external_id,
        "status": comment.status,
        "text": comment.text,
        "language": comment.language,
        "created_at": comment.created_at,
        "author": {"id": comment.author_id, "name": comment.author_name},
        "article": article_dict(comment),
        "scores": model.scores if model else None,
        "evidence": (model.evidence or []) if model else [],
        "held_reason": stored_reason(model) if model else None,
        "suggested_reason": suggested_reason(model),
        "model_version": model.model_version if model else None,
        "claimed_by": comment.claimed_by.username if comment.claimed_by else None,
        "claimed_until": comment.claimed_until,
    }


def comment_page(
    comment: Comment, author_recent: list[tuple[Comment, Decision | None]]
) -> dict[str, Any]:
    """A comment with its whole history and the author's recent comments' outcomes."""
    body = queue_item(Item(comment, latest_model_decision(comment)))
    body["history"] = [decision_history_item(d) for d in comment.decisions]
    body["author_recent"] = [
        {
            "id": c.id,
            "text": c.text,
            "created_at": c.created_at,
            "status": c.status,
            "article": article_dict(c),
            "reason": stored_reason(d) if d else None,
        }
        for c, d in author_recent
    ]
    return body


def review_item(decision: Decision) -> dict[str, Any]:
    comment = decision.comment
    return {
        "decision": decision_history_item(decision),
        "comment": {
            "id": comment.id,
            "text": comment.text,
            "status": comment.status,
            "author": {"id": comment.author_id, "name": comment.author_name},
            "article": article_dict(comment),
            "created_at": comment.created_at,
        },
    }
