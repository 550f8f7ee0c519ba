"""The small defects that the layout issue found on the way, each pinned by a test."""

from __future__ import annotations

import pytest
from queue_helpers import add_user, token_for
from sqlalchemy import select

from service.extensions import db
from service.moderation.normalize import normalize_text
from service.moderation.policy import BUILT_IN_THRESHOLDS, Policy, decide
from service.moderation.types import CATEGORIES, Scoring
from service.schemas.comments import CommentResultSchema
from service.tables import AccessToken, Comment

from conftest import new_api_key

QUIET = Scoring(scores=dict.fromkeys(CATEGORIES, 0.0))


def comment(**overrides):
    body = {
        "external_id": "c-1",
        "article_id": "a-1",
        "author": {"id": "u-1"},
        "text": "A thoughtful remark about the budget.",
    }
    return body | overrides


def test_token_use_is_recorded_on_read_only_requests(qapp):
    headers = token_for(qapp, add_user(qapp))
    client = qapp.test_client()
    assert client.get("/api/v1/queue", headers=headers).status_code == 200
    with qapp.app_context():
        token = db.session.scalars(select(AccessToken)).one()
        assert token.last_used_at is not None


def test_idempotency_key_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    parameters = spec["paths"]["/api/v1/comments"]["post"]["parameters"]
    header = next(p for p in parameters if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and not header.get("required", False)
    assert header["schema"]["maxLength"] == 255


def test_submit_serialises_its_answer_once(scored_app, monkeypatch):
    calls = []
    dump = CommentResultSchema.dump

    def counting(self, obj, *args, **kwargs):
        calls.append(obj)
        return dump(self, obj, *args, **kwargs)

    monkeypatch.setattr(CommentResultSchema, "dump", counting)
    client = scored_app.test_client()
    response = client.post("/api/v1/comments", json=comment(), headers=new_api_key(scored_app))
    assert response.status_code == 201 and response.json["status"] == "approved"
    assert len(calls) == 1


@pytest.mark.parametrize(
    "text", ["read goo.gl/abc", "see foo.us today", "x.to/y", "WWW.EXAMPLE.COM"]
)
def test_the_link_switch_holds_what_the_normaliser_calls_a_link(text):
    policy = Policy(thresholds=BUILT_IN_THRESHOLDS, hold_links=True)
    assert decide(QUIET, policy, text).reason.code == "contains_link"
    assert "xurlx" in normalize_text(text)


def test_author_name_is_optional(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    created = client.post("/api/v1/comments", json=comment(), headers=headers)
    assert created.status_code == 201
    detail = client.get(f"/api/v1/comments/{created.json['id']}", headers=headers).json
    assert detail["author"] == {"id": "u-1", "name": None}
    with scored_app.app_context():
        assert db.session.scalars(select(Comment.author_name)).one() is None


@pytest.mark.parametrize(
    "target",
    ["/%09/evil.example/phish", "/\t/evil.example", "/\n/x", "//evil.example", "/\\evil.example"],
)
def test_login_never_redirects_off_site(qapp, target):
    from urllib.parse import unquote

    from service.security import safe_next

    with qapp.test_request_context():
        assert safe_next(unquote(target)) == "/queue"
        assert safe_next("/queue/review?status=rejected") == "/queue/review?status=rejected"
