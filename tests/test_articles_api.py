"""Articles: the website sends them with PUT (or inline with a first comment) and reads them."""

from __future__ import annotations

import json

from queue_helpers import add_user, token_for
from sqlalchemy import func, select

from service.api.articles import MAX_ARTICLE_BODY
from service.extensions import db
from service.tables import Article

from conftest import new_api_key

ARTICLE = {
    "title": "Budget passes after a long night in the Kurdistan parliament",
    "lead": "Salaries for public employees are paid from next month.",
    "body": "The parliament in Erbil passed the budget on Tuesday...",
    "language": "en",
    "url": "https://news.example/budget",
    "published_at": "2026-12-01T08:30:00+03:00",
}


def test_put_creates_then_replaces_and_get_reads_it_back(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    created = client.put("/api/v1/articles/budget-2026", json=ARTICLE, headers=headers)
    assert created.status_code == 201
    assert created.json["id"] == "budget-2026"
    assert created.json["published_at"] == "2026-12-01T05:30:00+00:00"
    changed = client.put(
        "/api/v1/articles/budget-2026", json={"title": "Budget passes"}, headers=headers
    )
    assert changed.status_code == 200 and changed.json["lead"] is None
    read = client.get("/api/v1/articles/budget-2026", headers=headers)
    assert read.status_code == 200 and read.json["title"] == "Budget passes"


def test_bad_fields_are_named_and_nothing_is_written(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    bad = {"lead": "no title", "url": "javascript:alert(1)", "published_at": "yesterday"}
    response = client.put("/api/v1/articles/a-1", json=bad, headers=headers)
    assert response.status_code == 400
    assert {"title", "url", "published_at"} <= set(response.json["error"]["fields"])
    with scored_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_a_publication_time_beyond_utc_is_400_naming_it(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    for moment in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"):
        body = {"title": "T", "published_at": moment}
        response = client.put("/api/v1/articles/art9", json=body, headers=headers)
        assert response.status_code == 400, moment
        assert list(response.json["error"]["fields"]) == ["published_at"]
    with scored_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    edge = {"title": "T", "published_at": "0001-01-01T00:59:59-01:00"}
    response = client.put("/api/v1/articles/art9", json=edge, headers=headers)
    assert response.status_code == 201
    assert response.json["published_at"] == "0001-01-01T01:59:59+00:00"


def test_the_longest_valid_article_fits_however_it_is_escaped(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    longest = ARTICLE | {"title": "📰" * 1000, "lead": "📝" * 10_000, "body": "😀" * 200_000}
    data = json.dumps(longest, indent=4).encode()  # 12 bytes a character
    assert len(data) > 2_500_000
    response = client.put(
        "/api/v1/articles/a-1", data=data, content_type="application/json", headers=headers
    )
    assert response.status_code == 201
    too_long = client.put(
        "/api/v1/articles/a-1", data=data + b" " * 60_000, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert too_long.status_code == 413
    assert too_long.json["error"]["message"] == (
        f"The body may be at most {MAX_ARTICLE_BODY} bytes on this route."
    )


def test_articles_are_each_clients_own(scored_app):
    client = scored_app.test_client()
    mine, theirs = new_api_key(scored_app, "site"), new_api_key(scored_app, "other")
    client.put("/api/v1/articles/a-1", json=ARTICLE, headers=mine)
    assert client.get("/api/v1/articles/a-1", headers=theirs).status_code == 404
    assert client.get("/api/v1/articles/a-1").status_code == 401


def test_a_moderators_token_is_403_and_writes_nothing(scored_app):
    client = scored_app.test_client()
    token = token_for(scored_app, add_user(scored_app))
    for response in (
        client.put("/api/v1/articles/art1", json=ARTICLE, headers=token),
        client.get("/api/v1/articles/art1", headers=token),
    ):
        assert response.status_code == 403
        assert "needs a website's API key" in response.json["error"]["message"]
    with scored_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_an_inline_article_is_stored_with_the_first_comment_only(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    comment = {
        "external_id": "c-1",
        "article_id": "a-9",
        "article": {"title": "Floods in Duhok", "url": "https://news.example/floods"},
        "author": {"id": "u-1"},
        "text": "Thoughts with the families in Duhok.",
    }
    assert client.post("/api/v1/comments", json=comment, headers=headers).status_code == 201
    later = comment | {"external_id": "c-2", "article": {"title": "Renamed inline"}}
    assert client.post("/api/v1/comments", json=later, headers=headers).status_code == 201
    article = client.get("/api/v1/articles/a-9", headers=headers).json
    assert article["title"] == "Floods in Duhok" and article["url"] == "https://news.example/floods"


def test_a_comment_sent_by_article_id_only_shows_the_stored_article(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    client.put("/api/v1/articles/budget-2026", json=ARTICLE, headers=headers)
    comment = {
        "external_id": "c-1",
        "article_id": "budget-2026",
        "author": {"id": "u-1"},
        "text": "Salaries at last.",
    }
    created = client.post("/api/v1/comments", json=comment, headers=headers)
    assert created.status_code == 201
    read = client.get(f"/api/v1/comments/{created.json['id']}", headers=headers).json
    assert read["article"] == {"title": ARTICLE["title"], "url": ARTICLE["url"]}
    unknown = comment | {"external_id": "c-2", "article_id": "never-sent"}
    created = client.post("/api/v1/comments", json=unknown, headers=headers)
    read = client.get(f"/api/v1/comments/{created.json['id']}", headers=headers).json
    assert read["article"] is None


def test_the_article_id_obeys_one_rule_in_the_path_and_in_a_comment(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    comment = {"external_id": "c-1", "author": {"id": "u-1"}, "text": "Salaries at last."}
    for path_id, body_id in [
        ("col%FEx", None),  # not UTF-8: werkzeug would read it as "col\ufffdx"
        ("a%00b", "a\x00b"),
        ("a%09b", "a\tb"),
        ("a%0Ab", "a\nb"),
        ("a%C2%85b", "a\x85b"),  # NEL, a C1 control
        ("a%E2%80%A8b", "a\u2028b"),  # the line and paragraph separators
        ("a%E2%80%A9b", "a\u2029b"),
        (None, "a\ud800b"),  # a lone surrogate: what JSON's "\ud800" reads as
        (None, "\udfff"),
        ("x" * 256, "x" * 256),
        (None, "a/b?c#d"),  # never reachable as /api/v1/articles/<id>
    ]:
        if path_id is not None:
            for method in ("put", "get"):
                response = client.open(
                    f"/api/v1/articles/{path_id}", method=method, json=ARTICLE, headers=headers
                )
                assert response.status_code == 400, (method, path_id, response.json)
                assert list(response.json["error"]["fields"]) == ["article_id"]
        if body_id is not None:
            sent = comment | {"article_id": body_id}
            response = client.post("/api/v1/comments", json=sent, headers=headers)
            assert response.status_code == 400, body_id
            assert list(response.json["error"]["fields"]) == ["article_id"]
    with scored_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 0

    # What a path segment can carry, percent-encoded, is one id in both places.
    for article_id, quoted in [
        ("col\ufffdx", "col%EF%BF%BDx"),
        ("a?b#c d%", "a%3Fb%23c%20d%25"),
        ("👍\u200dx", "%F0%9F%91%8D%E2%80%8Dx"),
        # format characters (Cf) stay: Sorani and Persian words need the zero-width non-joiner
        ("\u0645\u06cc\u200c\u0698\u0648\u0648", "%D9%85%DB%8C%E2%80%8C%DA%98%D9%88%D9%88"),
        ("x" * 255, "x" * 255),
    ]:
        put = client.put(f"/api/v1/articles/{quoted}", json=ARTICLE, headers=headers)
        assert put.status_code == 201 and put.json["id"] == article_id
        sent = comment | {"external_id": quoted, "article_id": article_id}
        assert client.post("/api/v1/comments", json=sent, headers=headers).status_code == 201
        assert client.get(f"/api/v1/articles/{quoted}", headers=headers).json["id"] == article_id


def test_a_bad_article_id_is_only_named_to_a_caller_the_route_accepts(scored_app):
    client = scored_app.test_client()
    token = token_for(scored_app, add_user(scored_app))
    for bad in ("a%09b", "x" * 256, "col%FEx"):
        for method in ("put", "get"):
            path = f"/api/v1/articles/{bad}"
            anonymous = client.open(path, method=method, json=ARTICLE)
            assert anonymous.status_code == 401, (method, bad, anonymous.json)
            assert anonymous.json["error"]["fields"] == {}
            moderator = client.open(path, method=method, json=ARTICLE, headers=token)
            assert moderator.status_code == 403, (method, bad, moderator.json)
            assert moderator.json["error"]["fields"] == {}
