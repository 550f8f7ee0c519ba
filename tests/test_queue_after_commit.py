"""A moderator's action that committed is answered without reading the database again.

A commit expires every row the session holds; reading one afterwards selects it again,
and a database that dies between the commit and the answer would turn a recorded
decision into an error. Here any SELECT after a commit fails as a dead database would.
"""

from __future__ import annotations

import contextlib

import pytest
from queue_helpers import add_user, token_for
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from service.extensions import db


@contextlib.contextmanager
def no_select_after_commit(app):
    """Within the block, a SELECT on a connection after a commit raises OperationalError."""
    committed = []

    def after_commit(session):
        committed.append(True)

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        if committed and statement.lstrip().upper().startswith("SELECT"):
            raise OperationalError(statement[:60], parameters, Exception("database went away"))

    with app.app_context():
        engine = db.engine
    event.listen(Session, "after_commit", after_commit)
    event.listen(engine, "before_cursor_execute", before_execute)
    try:
        yield committed
    finally:
        event.remove(engine, "before_cursor_execute", before_execute)
        event.remove(Session, "after_commit", after_commit)


@pytest.fixture
def mo(qapp):
    headers = token_for(qapp, add_user(qapp, "mo"))
    # the token's first use records it (a commit of its own): done before the checks
    assert qapp.test_client().get("/api/v1/queue", headers=headers).status_code == 200
    return headers


def post(app, path: str, headers: dict, **body):
    with no_select_after_commit(app) as committed:
        response = app.test_client().post(path, headers=headers, json=body or None)
    assert committed, "the action committed nothing"
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.json


def test_decide_overturn_and_undo_answer_from_what_was_read_before_the_commit(qapp, site, mo):
    held = site.submit("you idiot")["id"]
    decided = post(qapp, f"/api/v1/queue/{held}/decision", mo, action="approve", note="ok")
    assert decided["status"] == "approved" and decided["comment_id"] == held
    assert decided["decision"]["moderator"] == "mo" and decided["decision"]["note"] == "ok"
    assert decided["undo_until"] > decided["decision"]["created_at"]

    undone = post(qapp, f"/api/v1/queue/decisions/{decided['decision']['id']}/undo", mo)
    assert undone["status"] == "pending"
    assert undone["decision"]["undoes"] == decided["decision"]["id"]

    approved = site.submit("a fine comment")["id"]
    overturned = post(
        qapp, f"/api/v1/queue/{approved}/overturn", mo, action="reject", reason="promotion"
    )
    assert overturned["status"] == "rejected"
    assert overturned["decision"]["reason"]["code"] == "promotion"


def test_bulk_and_claim_next_answer_from_what_was_read_before_the_commit(qapp, site, mo):
    ids = [site.submit(f"you idiot {n}")["id"] for n in range(3)]
    claimed = post(qapp, "/api/v1/queue/next", mo)
    assert claimed["id"] == ids[0] and claimed["claimed_by"] == "mo"
    assert claimed["text"] == "you idiot 0" and claimed["claimed_until"]

    outcome = post(qapp, "/api/v1/queue/bulk", mo, ids=[ids[2], ids[1]], action="reject",
                   reason="personal_attack")  # fmt: skip
    assert [r["id"] for r in outcome["results"]] == [ids[2], ids[1]]
    assert all(r["ok"] and r["decision"]["status"] == "rejected" for r in outcome["results"])


def test_an_article_put_answers_from_what_was_read_before_the_commit(qapp, site):
    site.client.get("/api/v1/articles/warm-up", headers=site.auth)  # the key's first use
    body = {"title": "Budget passes", "lead": "Salaries from next month."}
    with no_select_after_commit(qapp) as committed:
        response = site.client.put("/api/v1/articles/b-1", json=body, headers=site.auth)
    assert committed
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    assert response.json["id"] == "b-1" and response.json["lead"] == body["lead"]
