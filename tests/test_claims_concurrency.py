"""Two moderators at once: one decision per comment, never two (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter

from queue_helpers import Site, add_user, moderator_decisions, token_for
from sqlalchemy import select

from service.extensions import db
from service.tables import Comment


def run_together(*jobs) -> list:
    """Run each job in its own thread, released at the same instant; their results."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


def test_racing_decisions_on_one_comment_record_exactly_one(qapp):
    site = Site(qapp)
    mo, bo = token_for(qapp, add_user(qapp, "mo")), token_for(qapp, add_user(qapp, "bo"))
    ids = [site.submit(f"idiot number {n}")["id"] for n in range(8)]
    for comment_id in ids:
        url = f"/api/v1/queue/{comment_id}/decision"

        def approve(url=url):
            return qapp.test_client().post(url, json={"action": "approve"}, headers=mo)

        def reject(url=url):
            body = {"action": "reject", "reason": "abuse"}
            return qapp.test_client().post(url, json=body, headers=bo)

        first, second = run_together(approve, reject)
        assert sorted([first.status_code, second.status_code]) == [200, 409]
        winner, loser = (first, second) if first.status_code == 200 else (second, first)
        assert "nothing was recorded" in loser.json["error"]["message"]
        assert site.read(comment_id)["status"] == winner.json["status"]
    assert moderator_decisions(qapp) == Counter(dict.fromkeys(ids, 1))


def test_two_moderators_working_the_queue_never_collide(qapp):
    site = Site(qapp)
    tokens = {
        "mo": token_for(qapp, add_user(qapp, "mo")),
        "bo": token_for(qapp, add_user(qapp, "bo")),
    }
    ids = [site.submit(f"buynow deal {n}")["id"] for n in range(16)]

    def work(name: str):
        client, headers = qapp.test_client(), tokens[name]
        decided, conflicts = [], 0
        while True:
            taken = client.post("/api/v1/queue/next", headers=headers)
            if taken.status_code == 204:
                return decided, conflicts
            assert taken.status_code == 200, taken.json
            comment_id = taken.json["id"]
            response = client.post(
                f"/api/v1/queue/{comment_id}/decision", json={"action": "approve"}, headers=headers
            )
            if response.status_code == 409:
                conflicts += 1
            else:
                assert response.status_code == 200, response.json
                decided.append(comment_id)

    (mo_done, mo_conflicts), (bo_done, bo_conflicts) = run_together(
        lambda: work("mo"), lambda: work("bo")
    )
    # Claims kept them apart: no conflicts, each comment decided once, by one of them.
    assert mo_conflicts == bo_conflicts == 0
    assert sorted(mo_done + bo_done) == ids
    assert not set(mo_done) & set(bo_done)
    assert moderator_decisions(qapp) == Counter(dict.fromkeys(ids, 1))
    with qapp.app_context():
        statuses = set(db.session.scalars(select(Comment.status)))
    assert statuses == {"approved"}


def test_racing_bulk_and_single_decisions(qapp):
    site = Site(qapp)
    mo, bo = token_for(qapp, add_user(qapp, "mo")), token_for(qapp, add_user(qapp, "bo"))
    ids = [site.submit(f"buynow wave {n}")["id"] for n in range(10)]

    def bulk():
        client = qapp.test_client()
        body = {"ids": ids, "action": "reject", "reason": "promotion"}
        return client.post("/api/v1/queue/bulk", json=body, headers=mo)

    def singles():
        client = qapp.test_client()
        return [
            client.post(f"/api/v1/queue/{i}/decision", json={"action": "approve"}, headers=bo)
            for i in reversed(ids)
        ]

    bulk_response, single_responses = run_together(bulk, singles)
    bulk_ok = {r["id"] for r in bulk_response.json["results"] if r["ok"]}
    single_ok = {
        i for i, r in zip(reversed(ids), single_responses, strict=True) if r.status_code == 200
    }
    assert all(r.status_code in (200, 409) for r in single_responses)
    assert bulk_ok | single_ok == set(ids) and not bulk_ok & single_ok
    assert moderator_decisions(qapp) == Counter(dict.fromkeys(ids, 1))
