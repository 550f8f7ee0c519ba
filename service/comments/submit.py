"""Submitting a comment: one transaction from the request to the stored decision.

Idempotency first (the same ``Idempotency-Key``, or the same ``external_id``
from the same client, answers the first response again), then the judgement,
then the comment and the model's decision inserted together, the first
response stored with them, and one commit. A concurrent retry that wins the
race for the unique keys is answered as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.comments.articles import article_for_comment, relevance_context
from service.comments.floods import counted_alone, earlier_copies, text_digest
from service.comments.presenters import model_result, reason_dict, rounded
from service.extensions import db
from service.moderation.policy import with_flood
from service.schemas.comments import IDEMPOTENCY_HEADER, CommentResultSchema
from service.serving.runtime import Judgement, judge
from service.tables import ApiClient, Comment, Decision

log = logging.getLogger(__name__)


class SubmitConflict(Exception):
    """The key or external id was used before with another body: answer 409."""

    def __init__(self, message: str, field: str, problem: str):
        super().__init__(message)
        self.message = message
        self.fields = {field: [problem]}


@dataclass(frozen=True)
class Submitted:
    """The response body (already serialised) and whether it replays an earlier one."""

    response: dict[str, Any]
    replayed: bool


def request_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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


def _replay(earlier: Comment, digest: str, key: str | None, client: ApiClient) -> Submitted:
    if earlier.request_hash != digest:
        if key is not None and earlier.idempotency_key == key:
            raise SubmitConflict(
                "This Idempotency-Key was used with a different body.",
                IDEMPOTENCY_HEADER,
                "Already used with a different request body.",
            )
        raise SubmitConflict(
            "A different comment with this external_id was already submitted; "
            "comments are never edited.",
            "external_id",
            "Already submitted with a different body.",
        )
    log.info("comment %s replayed to client %s", earlier.id, client.name)
    return Submitted(earlier.first_response, replayed=True)


def _model_decision(judgement: Judgement, model_version: str | None) -> Decision:
    reason = reason_dict(judgement.verdict.reason)
    scoring = judgement.scoring
    return Decision(
        status=judgement.verdict.status,
        reason_code=reason and reason["code"],
        reason_message=reason and reason["message"],
        evidence=reason["evidence"] if reason else [],
        scores=rounded(scoring.scores) if scoring else None,
        decided_by="model",
        model_version=model_version,
    )


def submit(client: ApiClient, body: dict[str, Any], key: str | None) -> Submitted:
    """Store ``body`` (as validated by ``CommentCreateSchema``) with the model's decision.

    Raises :class:`SubmitConflict` when the key or external id was used with another body.
    """
    text_key = text_digest(body["text"], current_app.config["FLOOD_MIN_LETTERS"])
    with counted_alone(text_key):
        return _submit(client, body, key, text_key)


def _submit(
    client: ApiClient, body: dict[str, Any], key: str | None, text_key: str | None
) -> Submitted:
    digest = request_hash(body)
    earlier = _earlier(client.id, key, body["external_id"])
    if earlier is not None:
        return _replay(earlier, digest, key, client)

    article = body.get("article") or {}
    stored_article = article_for_comment(client, body["article_id"], article)
    if stored_article is not None and not (article.get("title") or article.get("url")):
        # sent by id only: the comment shows the article the site stored (PUT or inline earlier)
        article = {"title": stored_article.title, "url": stored_article.url}
    context = relevance_context(client.id, stored_article)
    judged = judge([body["text"]], [body.get("language")], [context])
    judgement = judged.judgements[0]
    author = body["author"]
    copies = earlier_copies(client.id, text_key, author["id"])
    config = current_app.config
    flood = copies.flood(config["FLOOD_REPEATS"], config["FLOOD_AUTHORS"])
    judgement = replace(judgement, verdict=with_flood(judgement.verdict, flood))
    decision = _model_decision(judgement, judged.model.version if judged.model else None)
    comment = Comment(
        client_id=client.id,
        external_id=body["external_id"],
        idempotency_key=key,
        request_hash=digest,
        article_id=body["article_id"],
        article_title=article.get("title"),
        article_url=article.get("url"),
        author_id=author["id"],
        author_name=author.get("name"),
        text=body["text"],
        site_language=body.get("language"),
        detected_language=judgement.detected_language,
        language=judgement.language,
        status=decision.status,
        text_digest=text_key,
        first_response={},
    )
    db.session.add(comment)
    try:
        db.session.flush()
    except IntegrityError:
        # A concurrent retry of the same comment won the race: answer as it did.
        db.session.rollback()
        earlier = _earlier(client.id, key, body["external_id"])
        if earlier is None:
            raise
        return _replay(earlier, digest, key, client)
    decision.comment_id = comment.id
    db.session.add(decision)
    response = CommentResultSchema().dump(model_result(comment, decision))
    comment.first_response = response
    # Everything the log line needs is read before the commit expires the rows.
    line = (
        comment.id,
        client.name,
        comment.external_id,
        decision.status,
        decision.reason_code or "no reason",
        decision.model_version or "no model",
    )
    db.session.commit()
    log.info("comment %s (client %s, external %s) %s: %s by %s", *line)
    return Submitted(response, replayed=False)
