"""Helpers for the queue tests: accounts, logins, held comments, tokens."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from sqlalchemy import func, select

from service.access import credentials
from service.access.accounts import create_user
from service.extensions import db
from service.tables import AccessToken, Decision

from conftest import new_api_key

PASSWORD = "correct horse battery"
CSRF_PATTERN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
META_PATTERN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def add_user(app, username: str = "mo", role: str = "moderator", password: str = PASSWORD) -> int:
    with app.app_context():
        return create_user(username, password, role).id


def moderator_decisions(app) -> Counter:
    """How many decisions moderators recorded, per comment id."""
    with app.app_context():
        rows = db.session.execute(
            select(Decision.comment_id, func.count())
            .where(Decision.decided_by == "moderator")
            .group_by(Decision.comment_id)
        )
        return Counter(dict(rows.all()))


def csrf_from(html: str) -> str:
    match = CSRF_PATTERN.search(html) or META_PATTERN.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class _Forms(HTMLParser):
    """Each form of a page as a browser submits it: its action and its named fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        elif self.forms:
            self._field(tag, attrs, self.forms[-1][1])

    def _field(self, tag: str, attrs: dict, fields: dict[str, str]) -> None:
        name, kind, value = attrs.get("name"), attrs.get("type"), attrs.get("value") or ""
        if tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select is not None:
            if self._select not in fields or "selected" in attrs:  # the first, or the chosen
                fields[self._select] = value
        elif tag == "input" and name and kind not in ("submit", "button", "image"):
            unchecked = kind in ("checkbox", "radio") and "checked" not in attrs
            fields.update({} if unchecked else {name: value})

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(html: str, action: str) -> dict[str, str]:
    """The fields a browser would send from the page's form posting to ``action``."""
    parser = _Forms()
    parser.feed(html)
    found = [fields for target, fields in parser.forms if target == action]
    assert len(found) == 1, f"{len(found)} forms post to {action}"
    return dict(found[0])


def login(client, username: str = "mo", password: str = PASSWORD):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def logged_in(app, username: str = "mo", role: str = "moderator"):
    """A browser session of a new account: its test client, logged in."""
    add_user(app, username, role)
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def session_headers(client) -> dict[str, str]:
    """What the queue page's scripts send: the CSRF token from the page's meta tag."""
    html = client.get("/queue").get_data(as_text=True)
    return {"X-CSRFToken": META_PATTERN.search(html).group(1)}


def token_for(app, user_id: int, name: str = "tool") -> dict[str, str]:
    with app.app_context():
        new = credentials.generate(credentials.TOKEN_KIND)
        db.session.add(
            AccessToken(user_id=user_id, name=name, token_prefix=new.prefix, token_hash=new.digest)
        )
        db.session.commit()
    return {"Authorization": f"Bearer {new.secret}"}


class Site:
    """A website submitting comments through the real comments API."""

    def __init__(self, app, name: str = "site"):
        self.client = app.test_client()
        self.auth = new_api_key(app, name)
        self.count = 0

    def submit(self, text: str, article: str = "a-1", author: str = "u-1", **extra) -> dict:
        self.count += 1
        body = {
            "external_id": f"c-{self.count}",
            "article_id": article,
            "article": {"title": f"Article {article}", "url": f"https://news.example/{article}"},
            "author": {"id": author, "name": f"Reader {author}"},
            "text": text,
            "language": "en",
        }
        body.update(extra)
        response = self.client.post("/api/v1/comments", json=body, headers=self.auth)
        assert response.status_code == 201, response.json
        return response.json

    def read(self, comment_id: int) -> dict:
        response = self.client.get(f"/api/v1/comments/{comment_id}", headers=self.auth)
        assert response.status_code == 200
        return response.json


def held_models_dir(models_dir):
    """A keyword model scoring 0.7 on a hit: 'darn' rejects (profanity reject 0.6),
    'idiot' and 'buynow' are held (personal_attack, promotion), other text approves."""
    from service.moderation.types import CATEGORIES

    from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model

    thresholds = {c: {"reject": 0.9, "review": 0.5} for c in CATEGORIES}
    thresholds["profanity"] = {"reject": 0.6, "review": 0.5}
    write_model(models_dir, "kw-hold", KeywordScorer(DEFAULT_WORDS, hit=0.7), thresholds)
    (models_dir / "DEFAULT").write_text("kw-hold\n")
    return models_dir
