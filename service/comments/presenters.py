"""Rows and verdicts as the plain dicts that the response schemas and the templates read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.comments.actions import ActionError, Recorded
from service.comments.queries import Item
from service.moderation.policy import Reason
from service.moderation.types import CATEGORIES
from service.serving.runtime import Judgement
from service.tables import Article, Comment, Decision

DECISION_WORDS = {"approved": "approve", "rejected": "reject", "pending": "review"}


def reason_dict(reason: Reason | None) -> dict[str, Any] | None:
    if reason is None:
        return None
    return {
        "code": reason.code,
        "message": reason.message,
        "evidence": [
            {"start": s.start, "end": s.end, "category": s.category} for s in reason.evidence
        ],
    }


def rounded(scores: dict[str, float] | None) -> dict[str, float] | None:
    return None if scores is None else {k: round(float(v), 6) for k, v in scores.items()}


def languages(comment: Comment) -> dict[str, str | None]:
    """What routing used, what the detector said, and the website's own tag (if sent)."""
    return {
        "language": comment.language,
        "detected_language": comment.detected_language,
        "site_language": comment.site_language,
    }


def model_result(comment: Comment, decision: Decision) -> dict[str, Any]:
    return {
        "id": comment.id,
        "status": decision.status,
        "reason": decision.reason(),
        "scores": decision.scores or {},
        "model_version": decision.model_version,
        **languages(comment),
    }


def decision_history_item(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "status": decision.status,
        "reason": decision.reason(),
        "note": decision.note,
        "scores": decision.scores or {},
        "decided_by": decision.decided_by,
        "model_version": decision.model_version,
        "moderator": decision.moderator.username if decision.moderator else None,
        "undoes": decision.undoes_id,
        "created_at": decision.created_at,
    }


def latest_model_decision(comment: Comment) -> Decision | None:
    return next((d for d in reversed(comment.decisions) if d.decided_by == "model"), None)


def comment_detail(comment: Comment) -> dict[str, Any]:
    """The comment as stored, its current status and its whole history, oldest first."""
    history = comment.decisions
    current = history[-1]
    scored = latest_model_decision(comment)
    article = None
    if comment.article_title is not None or comment.article_url is not None:
        article = {"title": comment.article_title, "url": comment.article_url}
    return {
        "id": comment.id,
        "status": comment.status,
        "reason": current.reason(),
        "scores": (scored.scores if scored else None) or {},
        "model_version": scored.model_version if scored else None,
        "external_id": comment.external_id,
        "article_id": comment.article_id,
        "article": article,
        "author": {"id": comment.author_id, "name": comment.author_name},
        "text": comment.text,
        **languages(comment),
        "created_at": comment.created_at,
        "history": [decision_history_item(d) for d in history],
    }


def moderate_result(judgement: Judgement) -> dict[str, Any]:
    scoring = judgement.scoring
    return {
        "decision": DECISION_WORDS[judgement.verdict.status],
        "reason": reason_dict(judgement.verdict.reason),
        "scores": rounded(scoring.scores) if scoring else {},
        "language": judgement.language,
        "detected_language": judgement.detected_language,
    }


def recorded_item(recorded: Recorded) -> dict[str, Any]:
    """A moderator's just-committed decision as a history item, from values read before
    the commit (``decision_history_item`` would reload the expired row)."""
    return {
        "id": recorded.id,
        "status": recorded.status,
        "reason": recorded.reason,
        "note": recorded.note,
        "scores": {},
        "decided_by": "moderator",
        "model_version": None,
        "moderator": recorded.moderator,
        "undoes": recorded.undoes,
        "created_at": recorded.created_at,
    }


def action_result(recorded: Recorded) -> dict[str, Any]:
    return {
        "comment_id": recorded.comment_id,
        "status": recorded.status,
        "decision": recorded_item(recorded),
        "undo_until": recorded.undo_until,
    }


def bulk_results(
    ids: list[int], decisions: list[Recorded], errors: Mapping[int, ActionError]
) -> list[dict[str, Any]]:
    """One result per distinct id, in the order sent: its decision, or why it was refused."""
    recorded = {d.comment_id: d for d in decisions}
    results = []
    for comment_id in dict.fromkeys(ids):
        if comment_id in recorded:
            results.append(
                {
                    "id": comment_id,
                    "ok": True,
                    "decision": recorded_item(recorded[comment_id]),
                }
            )
        else:
            error = errors[comment_id]
            code = "conflict" if error.status == 409 else "not_found"
            results.append(
                {"id": comment_id, "ok": False, "error": {"code": code, "message": error.message}}
            )
    return results


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
        "scores": (model.scores if model else None) or {},
        "evidence": (model.evidence or []) if model else [],
        "held_reason": model.reason() if model else None,
        "suggested_reason": suggested_reason(model),
        "model_version": model.model_version if model else None,
        "claimed_by": comment.claimed_by.username if comment.claimed_by else None,
        "claimed_until": comment.claimed_until,
    }


def article_details(article: Article | None) -> dict[str, Any] | None:
    """The stored article's lead and body, for the moderator to read (None: only a title)."""
    if article is None or not (article.lead or article.body):
        return None
    return {"lead": article.lead, "body": article.body, "published_at": article.published_at}


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
            "reason": d.reason() if d else None,
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
