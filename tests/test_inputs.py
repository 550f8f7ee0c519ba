"""Requests that used to get a 500 or a wrong answer: ids out of range, NUL and lone
surrogates, odd JSON, missing Content-Type, 405 without Allow, very long URIs
(service/inputs.py, the parser in service/errors.py, the schemas)."""

from __future__ import annotations

import json

import pytest
from queue_helpers import add_user, logged_in, token_for
from test_comments_api import payload

from conftest import new_api_key

TOO_BIG = [2**31, 2**63, 10**30]


def raw_json(client, path, text, headers, content_type="application/json"):
    return client.post(path, data=text.encode("utf-8"), content_type=content_type, headers=headers)


@pytest.mark.parametrize("big", TOO_BIG)
def test_ids_out_of_range_are_404_on_every_route(qapp, big):
    client = qapp.test_client()
    key = new_api_key(qapp)
    mo = token_for(qapp, add_user(qapp, "mo"))
    api_routes = [
        ("get", f"/api/v1/comments/{big}", key),
        ("get", f"/api/v1/queue/{big}", mo),
        ("get", f"/api/v1/queue/{big}/context", mo),
        ("post", f"/api/v1/queue/{big}/claim", mo),
        ("delete", f"/api/v1/queue/{big}/claim", mo),
        ("post", f"/api/v1/queue/{big}/decision", mo),
        ("post", f"/api/v1/queue/{big}/overturn", mo),
        ("post", f"/api/v1/queue/decisions/{big}/undo", mo),
    ]
    for method, path, auth in api_routes:
        response = getattr(client, method)(path, headers=auth, json={"action": "approve"})
        assert response.status_code == 404, path
        assert response.json["error"]["code"] == "not_found"
    pages = logged_in(qapp, "admin", role="admin")
    for method, path in [
        ("get", f"/queue/comments/{big}"),
        ("post", f"/queue/comments/{big}/overturn"),
        ("post", f"/queue/decisions/{big}/undo"),
        ("post", f"/admin/api-keys/{big}/revoke"),
        ("post", f"/admin/users/{big}/disable"),
        ("post", f"/account/tokens/{big}/revoke"),
    ]:
        assert getattr(pages, method)(path).status_code == 404, path


def test_bulk_ids_out_of_range_are_a_400_naming_the_field(qapp):
    mo = token_for(qapp, add_user(qapp, "mo"))
    response = qapp.test_client().post(
        "/api/v1/queue/bulk", headers=mo, json={"ids": [1, 2**31], "action": "approve"}
    )
    assert response.status_code == 400
    assert list(response.json["error"]["fields"]) == ["ids.1"]


@pytest.mark.parametrize("bad", ["\\u0000", "\\ud800", "x\\udfffy"])
def test_nul_and_lone_surrogates_are_400_naming_the_field(qapp, bad):
    client = qapp.test_client()
    key = new_api_key(qapp)
    mo = token_for(qapp, add_user(qapp, "mo"))
    body = json.dumps(payload()).replace(
        "https://news.example/budget", f"https://news.example/{bad}"
    )
    response = raw_json(client, "/api/v1/comments", body, key)
    assert response.status_code == 400 and "article.url" in response.json["error"]["fields"]
    note = '{"action": "approve", "note": "a ' + bad + ' note"}'
    response = raw_json(client, "/api/v1/queue/1/decision", note, mo)
    assert response.status_code == 400 and list(response.json["error"]["fields"]) == ["note"]
    for name in ("category", "article", "language"):
        response = client.get(f"/api/v1/queue?{name}=a%00b", headers=mo)
        assert response.status_code == 400, name
        assert list(response.json["error"]["fields"]) == [name]


def test_json_nested_too_deeply_is_400(app, auth):
    deep = '{"comments": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = raw_json(app.test_client(), "/api/v1/moderate", deep, auth)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_request"


def test_duplicate_keys_are_refused(app, auth):
    body = json.dumps(payload())[:-1] + ', "text": "a second text"}'
    response = raw_json(app.test_client(), "/api/v1/comments", body, auth)
    assert response.status_code == 400
    assert list(response.json["error"]["fields"]) == ["text"]


def test_a_json_route_needs_a_json_content_type(qapp):
    client = qapp.test_client()
    key = new_api_key(qapp)
    body = json.dumps(payload())
    plain = raw_json(client, "/api/v1/comments", body, key, content_type="text/plain")
    assert plain.status_code == 415 and plain.json["error"]["code"] == "unsupported_media_type"
    none = client.post("/api/v1/comments", data=body.encode(), headers=key)
    assert none.status_code == 415
    # Body-less POSTs take no Content-Type at all.
    mo = token_for(qapp, add_user(qapp, "mo"))
    assert client.post("/api/v1/queue/next", headers=mo).status_code == 204
    charset = raw_json(
        client, "/api/v1/comments", body, key, content_type="application/json; charset=utf-8"
    )
    assert charset.status_code == 201


@pytest.mark.parametrize("language", ["en\n", "en\r\n", "en-GB\n", " en"])
def test_language_tags_are_matched_whole(app, auth, language):
    response = app.test_client().post(
        "/api/v1/comments", json=payload(language=language), headers=auth
    )
    assert response.status_code == 400
    assert list(response.json["error"]["fields"]) == ["language"]


def test_405_carries_allow(app, auth):
    response = app.test_client().put("/api/v1/comments", headers=auth)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.json["error"]["code"] == "method_not_allowed"


def test_a_uri_over_4_kib_is_414_json(app, auth):
    client = app.test_client()
    long_query = client.get("/api/v1/comments/1?x=" + "a" * 4100, headers=auth)
    assert long_query.status_code == 414
    assert long_query.json["error"]["code"] == "uri_too_long"
    long_path = client.get("/queue/" + "a" * 4100)
    assert long_path.status_code == 414 and long_path.is_json
    assert client.get("/api/v1/comments/1?x=" + "a" * 4000, headers=auth).status_code == 404


def test_an_integer_of_more_digits_than_python_converts_is_400_on_every_json_route(qapp):
    client = qapp.test_client()
    key = new_api_key(qapp)
    mo = token_for(qapp, add_user(qapp, "mo"))
    huge = "1" * 4301
    routes = [
        ("post", "/api/v1/comments", key, json.dumps(payload())[:-1] + f', "n": {huge}}}'),
        ("post", "/api/v1/moderate", key, f'{{"comments": [{{"text": "x"}}], "n": -{huge}}}'),
        ("put", "/api/v1/articles/a-1", key, f'{{"title": "T", "n": [{huge}]}}'),
        ("post", "/api/v1/queue/1/decision", mo, f'{{"action": "approve", "n": {huge}}}'),
    ]
    for method, path, auth, text in routes:
        response = getattr(client, method)(
            path, data=text.encode(), content_type="application/json", headers=auth
        )
        assert response.status_code == 400, (path, response.json)
        error = response.json["error"]
        assert error["code"] == "invalid_request"
        assert "more than 4300 digits" in error["fields"]["body"][0], path
