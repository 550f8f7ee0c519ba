"""Floods: the same text again, from one author or from many, counted from the store."""

from __future__ import annotations

import itertools

from queue_helpers import Site
from test_claims_concurrency import run_together

from service.comments.floods import text_digest

OFFER = "Visit the new mall in Erbil this weekend, everyone is talking about it"


def test_the_digest_ignores_case_spacing_digits_and_punctuation_but_not_letters():
    same = text_digest("Visit the NEW mall!!  2026", 10)
    assert same == text_digest("visit the new mall", 10)
    assert same != text_digest("visit the old mall", 10)
    assert text_digest("Great article!", 20) is None  # too short to count


def test_an_author_repeating_a_text_is_held_the_third_time(scored_app):
    site = Site(scored_app)
    first = site.submit(OFFER, article="a-1", author="u-1")
    second = site.submit(OFFER, article="a-2", author="u-1")  # sent again after an error
    third = site.submit(OFFER.upper() + "!!!", article="a-3", author="u-1")
    assert first["status"] == second["status"] == "approved"
    assert third["status"] == "pending" and third["reason"]["code"] == "flood"
    # another author's first copy is no repeat; stock phrases never flood
    assert site.submit(OFFER, author="u-2")["status"] == "approved"
    assert [site.submit("Great article!", author="u-1")["status"] for _ in range(3)] == [
        "approved"
    ] * 3


def test_many_authors_within_minutes_make_a_flood(scored_app):
    site = Site(scored_app)
    statuses = [site.submit(OFFER, author=f"u-{n}")["status"] for n in range(5)]
    assert statuses == ["approved"] * 3 + ["pending"] * 2  # FLOOD_AUTHORS = 3 others before
    other = Site(scored_app, "other-site")  # another website's comments are not counted
    assert other.submit(OFFER, author="u-9")["status"] == "approved"


def test_a_retried_submission_is_replayed_not_counted(scored_app):
    site = Site(scored_app)
    body = {
        "external_id": "same",
        "article_id": "a-1",
        "author": {"id": "u-1"},
        "text": OFFER,
    }
    answers = [
        site.client.post("/api/v1/comments", json=body, headers=site.auth).json for _ in range(3)
    ]
    assert [a["status"] for a in answers] == ["approved"] * 3


def test_concurrent_copies_are_counted_one_after_the_other(scored_app):
    """Eight authors post the same text at the same instant: exactly those after the
    first three (FLOOD_AUTHORS) are held, on SQLite and PostgreSQL alike."""
    numbers = itertools.count()

    def post(author):
        def job():
            body = {
                "external_id": f"c-{next(numbers)}-{author}",
                "article_id": "a-1",
                "author": {"id": author},
                "text": OFFER,
            }
            response = scored_app.test_client().post(
                "/api/v1/comments", json=body, headers=site.auth
            )
            assert response.status_code == 201, response.json
            return response.json

        return job

    site = Site(scored_app)
    results = run_together(*(post(f"u-{n}") for n in range(8)))
    codes = sorted((r["reason"] or {}).get("code") or r["status"] for r in results)
    assert codes == ["approved"] * 3 + ["flood"] * 5
