"""The website's path: submit, replay, read back; nothing lost, nothing altered."""

from __future__ import annotations

import json

import pytest
from queue_helpers import add_user, token_for
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from service.api.comments import MAX_COMMENT_BODY
from service.extensions import db
from service.tables import Comment, Decision

from conftest import new_api_key
from keyword_model import BrokenScorer, write_model

ROUND_TRIP_TEXTS = {
    "emoji": "Great piece 👍🏽🇺🇦 — thanks! 🧑‍🤝‍🧑",
    "arabic": "هذا مقال رائع، شكراً للكاتب",
    "sorani": "ئەمە وتارێکی زۆر باشە، سوپاس بۆ نووسەر",
    "combining": "Cafe\u0301 na\u0308ive Z\u0361a\u0332l\u0337g\u0358o",
    "long": ("abcdefghij" * 1000),
    "spaces": "   leading and trailing   ",
    "crlf": "line one\r\nline two\r\n\r\n",
    "tabs_and_nbsp": "\tindent\u00a0nbsp\u200bzwsp\ufeff",
}


def payload(**overrides):
    body = {
        "external_id": "c-1",
        "article_id": "a-1",
        "article": {"title": "Budget passes", "url": "https://news.example/budget"},
        "author": {"id": "u-1", "name": "Reader"},
        "text": "A thoughtful remark about the budget.",
        "language": "en",
    }
    body.update(overrides)
    return body


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_no_key_is_401_json(client):
    response = client.post("/api/v1/comments", json=payload())
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bad_and_revoked_keys_are_401(app, client, auth, runner):
    bad = {"Authorization": "Bearer cmk_000000000000_nope"}
    assert client.post("/api/v1/comments", json=payload(), headers=bad).status_code == 401
    assert runner.invoke(args=["api-keys", "revoke", "site"]).exit_code == 0
    assert client.post("/api/v1/comments", json=payload(), headers=auth).status_code == 401
    assert count(app, Comment) == 0


def test_a_moderators_token_is_403_naming_the_websites_key(app, client):
    token = token_for(app, add_user(app))
    for response in (
        client.post("/api/v1/comments", json=payload(), headers=token),
        client.get("/api/v1/comments/1", headers=token),
    ):
        assert response.status_code == 403
        assert response.json["error"]["code"] == "forbidden"
        assert "website's API key" in response.json["error"]["message"]
        assert "access token" in response.json["error"]["message"]
    assert count(app, Comment) == 0
    unknown = {"Authorization": "Bearer cmt_000000000000_nope"}
    response = client.get("/api/v1/comments/1", headers=unknown)
    assert response.status_code == 401
    assert response.json["error"]["message"] == "A valid website API key is required."


def test_unscored_comment_is_held_never_approved(app, client, auth):
    response = client.post("/api/v1/comments", json=payload(), headers=auth)
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "pending"
    assert body["reason"]["code"] == "unscored"
    assert body["model_version"] is None
    detail = client.get(f"/api/v1/comments/{body['id']}", headers=auth).json
    assert detail["history"][0]["decided_by"] == "model"
    assert detail["history"][0]["status"] == "pending"


def test_scoring_failure_holds_the_comment(configured_app, models_dir):
    write_model(models_dir, "broken-1", BrokenScorer())
    (models_dir / "DEFAULT").write_text("broken-1")
    app = configured_app(models_dir)
    auth = new_api_key(app)
    response = app.test_client().post("/api/v1/comments", json=payload(), headers=auth)
    assert response.status_code == 201
    assert response.json["status"] == "pending"
    assert response.json["reason"]["code"] == "unscored"
    assert count(app, Comment) == 1


@pytest.mark.parametrize("name", sorted(ROUND_TRIP_TEXTS))
def test_text_round_trips_exactly(app, client, auth, name):
    original = ROUND_TRIP_TEXTS[name]
    created = client.post("/api/v1/comments", json=payload(text=original), headers=auth)
    assert created.status_code == 201, created.json
    detail = client.get(f"/api/v1/comments/{created.json['id']}", headers=auth)
    assert detail.json["text"] == original
    assert detail.json["text"].encode("utf-8") == original.encode("utf-8")
    with app.app_context():
        stored = db.session.get(Comment, created.json["id"]).text
    assert stored.encode("utf-8") == original.encode("utf-8")


def test_same_idempotency_key_replays_first_answer(app, client, auth):
    headers = auth | {"Idempotency-Key": "k-1"}
    first = client.post("/api/v1/comments", json=payload(), headers=headers)
    again = client.post("/api/v1/comments", json=payload(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count(app, Comment) == 1
    assert count(app, Decision) == 1


def test_same_external_id_replays_without_key(app, client, auth):
    first = client.post("/api/v1/comments", json=payload(), headers=auth)
    again = client.post("/api/v1/comments", json=payload(), headers=auth)
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(app, Comment) == 1


def test_idempotency_key_with_other_body_is_409(app, client, auth):
    headers = auth | {"Idempotency-Key": "k-1"}
    client.post("/api/v1/comments", json=payload(), headers=headers)
    other = client.post(
        "/api/v1/comments", json=payload(external_id="c-2", text="else"), headers=headers
    )
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json["error"]["fields"]
    assert count(app, Comment) == 1


def test_same_external_id_with_other_text_is_409(client, auth):
    client.post("/api/v1/comments", json=payload(), headers=auth)
    other = client.post("/api/v1/comments", json=payload(text="edited"), headers=auth)
    assert other.status_code == 409
    assert "external_id" in other.json["error"]["fields"]


def test_clients_are_isolated(app, client, auth):
    other = new_api_key(app, "other-site")
    created = client.post("/api/v1/comments", json=payload(), headers=auth).json
    assert client.get(f"/api/v1/comments/{created['id']}", headers=other).status_code == 404
    # the same external id from another client is another comment
    assert client.post("/api/v1/comments", json=payload(), headers=other).status_code == 201
    assert count(app, Comment) == 2


def test_database_refuses_to_change_text(app, client, auth):
    created = client.post("/api/v1/comments", json=payload(), headers=auth).json
    with app.app_context():
        comment = db.session.get(Comment, created["id"])
        comment.text = "masked ****"
        with pytest.raises(DBAPIError):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(DBAPIError):
            db.session.execute(text("UPDATE comments SET text = 'x'"))
        db.session.rollback()
        assert db.session.get(Comment, created["id"]).text == payload()["text"]


def test_database_refuses_to_rewrite_history(app, client, auth):
    client.post("/api/v1/comments", json=payload(), headers=auth)
    with app.app_context():
        with pytest.raises(DBAPIError):
            db.session.execute(text("UPDATE decisions SET status = 'approved'"))
        db.session.rollback()
        with pytest.raises(DBAPIError):
            db.session.execute(text("DELETE FROM decisions"))
        db.session.rollback()
    assert count(app, Decision) == 1


INVALID = [
    ("external_id", {"external_id": ""}),
    ("external_id", {"external_id": 12}),
    ("article_id", {"article_id": None}),
    ("article.url", {"article": {"title": "t", "url": "javascript:alert(1)"}}),
    ("article.title", {"article": {"title": "x" * 1001}}),
    ("author", {"author": "someone"}),
    ("author.id", {"author": {"name": "no id"}}),
    ("author.name", {"author": {"id": "u", "name": ""}}),
    ("text", {"text": ""}),
    ("text", {"text": "x" * 10_001}),
    ("text", {"text": "nul \x00 inside"}),
    ("text", {"text": "lone \ud800 surrogate"}),
    ("text", {"text": ["not", "a", "string"]}),
    ("language", {"language": "english please"}),
    ("surprise", {"surprise": True}),
]


@pytest.mark.parametrize(
    ("field", "change"), INVALID, ids=[f"{f}-{i}" for i, (f, _) in enumerate(INVALID)]
)
def test_invalid_field_is_400_naming_it(app, client, auth, field, change):
    response = client.post("/api/v1/comments", json=payload(**change), headers=auth)
    assert response.status_code == 400, response.json
    error = response.json["error"]
    assert error["code"] == "invalid_request"
    assert field in error["fields"], error
    assert count(app, Comment) == 0


def test_missing_fields_are_each_named(client, auth):
    response = client.post("/api/v1/comments", json={}, headers=auth)
    assert response.status_code == 400
    assert {"external_id", "article_id", "author", "text"} <= set(response.json["error"]["fields"])


def test_malformed_json_is_400(client, auth):
    response = client.post(
        "/api/v1/comments", data="{not json", content_type="application/json", headers=auth
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_request"


def test_the_longest_valid_comment_fits_however_it_is_escaped(app, client, auth):
    """Every field at its longest, in astral characters that json.dumps writes as two \\u
    escapes each (12 bytes a character), pretty-printed: 201, not 413."""
    body = payload(
        external_id="🗞" * 255,
        article_id="📰" * 255,
        article={"title": "📝" * 1000, "url": "https://news.example/" + "😀" * 1979},
        author={"id": "👤" * 255, "name": "🙂" * 255},
        text="😀" * 10_000,
        language="abc" + "-abcdefgh" * 3 + "-abcd",
    )
    data = json.dumps(body, indent=4).encode()
    assert len(data) > 160_000
    response = client.post(
        "/api/v1/comments", data=data, content_type="application/json", headers=auth
    )
    assert response.status_code == 201, response.json
    stored = client.get(f"/api/v1/comments/{response.json['id']}", headers=auth).json
    assert stored["text"] == body["text"] and stored["article_id"] == body["article_id"]


def test_a_body_over_the_limit_is_413_saying_the_limit(app, client, auth):
    response = client.post(
        "/api/v1/comments", json=payload(article={"title": "x" * 200_000}), headers=auth
    )
    assert response.status_code == 413
    error = response.json["error"]
    assert error["code"] == "payload_too_large"
    assert error["message"] == f"The body may be at most {MAX_COMMENT_BODY} bytes on this route."
    assert count(app, Comment) == 0


def test_overlong_idempotency_key_is_400(client, auth):
    headers = auth | {"Idempotency-Key": "k" * 300}
    response = client.post("/api/v1/comments", json=payload(), headers=headers)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json["error"]["fields"]


def test_unknown_comment_is_404_json(client, auth):
    response = client.get("/api/v1/comments/999", headers=auth)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_times_are_utc_with_offset(client, auth):
    created = client.post("/api/v1/comments", json=payload(), headers=auth).json
    detail = client.get(f"/api/v1/comments/{created['id']}", headers=auth).json
    assert detail["created_at"].endswith("+00:00")
    assert detail["history"][0]["created_at"].endswith("+00:00")
