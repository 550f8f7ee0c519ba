"""Turn verdicts and rows into the plain dicts the response schemas dump."""

from __future__ import annotations

from typing import Any

from ..models import Comment, Decision
from ..moderation.loader import LoadedModel
from ..moderation.policy import Policy, Reason, decide
from ..moderation.types import Scoring

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


def decision_record(
    scoring: Scoring | None, policy: Policy, text: str, model: LoadedModel | None
) -> Decision:
    """The model's decision on one text, as an unsaved row."""
    verdict = decide(scoring, policy, text)
    reason = reason_dict(verdict.reason)
    return Decision(
        status=verdict.status,
        reason_code=reason and reason["code"],
        reason_message=reason and reason["message"],
        evidence=reason["evidence"] if reason else [],
        scores=rounded(scoring.scores) if scoring else None,
        decided_by="model",
        model_version=model.version if model else None,
    )


def stored_reason(decision: Decision) -> dict[str, Any] | None:
    if decision.reason_code is None:
        return None
    return {
        "code": decision.reason_code,
        "message": decision.reason_message,
        "evidence": decision.evidence or [],
    }


def model_result(comment: Comment, decision: Decision) -> dict[str, Any]:
    return {
        "id": comment.id,
        "status": decision.status,
        "reason": stored_reason(decision),
        "scores": decision.scores,
        "model_version": decision.model_version,
    }


def decision_history_item(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "status": decision.status,
        "reason": stored_reason(decision),
        "note": decision.note,
        "scores": decision.scores,
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
        "reason": stored_reason(current),
        "scores": scored.scores if scored else None,
        "model_version": scored.model_version if scored else None,
        "external_id": comment.external_id,
        "article_id": comment.article_id,
        "article": article,
        "author": {"id": comment.author_id, "name": comment.author_name},
        "text": comment.text,
        "language": comment.language,
        "created_at": comment.created_at,
        "history": [decision_history_item(d) for d in history],
    }


def moderate_result(scoring: Scoring | None, policy: Policy, text: str) -> dict[str, Any]:
    verdict = decide(scoring, policy, text)
    return {
        "decision": DECISION_WORDS[verdict.status],
        "reason": reason_dict(verdict.reason),
        "scores": rounded(scoring.scores) if scoring else None,
    }
