"""``POST /api/v1/moderate``: stateless batch scoring."""

from __future__ import annotations

from queue_helpers import add_user, token_for
from sqlalchemy import func, select

from service.extensions import db
from service.moderation.types import CATEGORIES
from service.tables import Comment

from conftest import new_api_key


def test_batch_answers_in_order(scored_app):
    client = scored_app.test_client()
    auth = new_api_key(scored_app)
    texts = ["lovely weather", "you idiot", "buynow at my shop", "darn it"]
    response = client.post(
        "/api/v1/moderate", json={"comments": [{"text": t} for t in texts]}, headers=auth
    )
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["decision"] for r in results] == ["approve", "reject", "reject", "reject"]
    assert [r["reason"] and r["reason"]["code"] for r in results] == [
        None,
        "personal_attack",
        "promotion",
        "profanity",
    ]
    assert results[1]["reason"]["evidence"] == [
        {"start": 4, "end": 9, "category": "personal_attack"}
    ]
    assert set(results[0]["scores"]) == set(CATEGORIES)
    assert response.json["model_version"] == "kw-1"
    with scored_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_without_model_everything_is_review_unscored(client, auth):
    response = client.post(
        "/api/v1/moderate", json={"comments": [{"text": "a"}, {"text": "b"}]}, headers=auth
    )
    assert response.status_code == 200
    assert [r["decision"] for r in response.json["results"]] == ["review", "review"]
    assert {r["reason"]["code"] for r in response.json["results"]} == {"unscored"}
    assert response.json["model_version"] is None


def test_batch_limits(client, auth):
    too_many = {"comments": [{"text": "x"}] * 1001}
    response = client.post("/api/v1/moderate", json=too_many, headers=auth)
    assert response.status_code == 400
    assert "comments" in response.json["error"]["fields"]
    empty = client.post("/api/v1/moderate", json={"comments": []}, headers=auth)
    assert empty.status_code == 400


def test_bad_item_named_by_index(client, auth):
    body = {"comments": [{"text": "fine"}, {"text": ""}, {"text": "ok", "id": 3}]}
    response = client.post("/api/v1/moderate", json=body, headers=auth)
    assert response.status_code == 400
    assert {"comments.1.text", "comments.2.id"} <= set(response.json["error"]["fields"])


def test_body_over_4_mib_is_413(client, auth):
    body = {"comments": [{"text": "x" * 9_000}] * 500}
    response = client.post("/api/v1/moderate", json=body, headers=auth)
    assert response.status_code == 413
    assert response.json["error"]["message"] == (
        f"The body may be at most {4 * 1024 * 1024} bytes on this route."
    )


def test_needs_credentials(client):
    assert client.post("/api/v1/moderate", json={"comments": [{"text": "x"}]}).status_code == 401


def test_a_moderators_token_may_try_the_model(scored_app):
    token = token_for(scored_app, add_user(scored_app))
    body = {"comments": [{"text": "you idiot"}]}
    response = scored_app.test_client().post("/api/v1/moderate", json=body, headers=token)
    assert response.status_code == 200
    assert response.json["results"][0]["decision"] == "reject"
