"""Relevance: ``off_topic`` from the article and its recent comments; held, never rejected."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from service.moderation.loader import default_version
from service.moderation.policy import BUILT_IN_THRESHOLDS, PENDING, Policy, decide
from service.moderation.relevance import judged, off_topic_batch
from service.moderation.types import Scoring

from conftest import _close, make_app, new_api_key

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = {
    "title": "Erbil votes in the Kurdistan Region's parliamentary election",
    "lead": "Turnout was low as voters in Erbil, Sulaimani and Duhok chose a new parliament.",
}
ON_TOPIC = "Turnout in Erbil was low because voters no longer trust the parliament to deliver."
OFF_TOPIC = "My phone battery drains overnight; does anyone know a decent repair shop?"


def test_short_comments_replies_and_other_languages_are_not_judged():
    assert judged(ON_TOPIC, "en") and judged(ON_TOPIC, "und")
    assert not judged("Great article!", "en")
    assert not judged("I agree with you, the turnout figures were clearly inflated.", "en")
    assert not judged("@Sara the turnout figures were clearly inflated by the parties", "en")
    assert not judged(ON_TOPIC, "ar")


def test_the_score_grows_with_distance_in_meaning_and_in_words():
    vectors = {"article": [1.0, 0.0], "near": [0.9, 0.436], "far": [0.0, 1.0]}

    def embed(texts):
        return np.array([vectors[t.split()[0]] for t in texts])

    near = "near turnout parliament election voters erbil"
    far = "far battery phone repair overnight shop"
    scores = off_topic_batch(embed, [near, far], "article turnout parliament election erbil")
    assert 0.0 <= scores[0] < scores[1] <= 1.0


def test_off_topic_holds_with_its_reason_and_never_rejects():
    policy = Policy(thresholds=BUILT_IN_THRESHOLDS, off_topic_review=0.6)
    held = decide(Scoring({"profanity": 0.01, "off_topic": 0.99}), policy, "text")
    assert held.status == PENDING and held.reason.code == "off_topic"
    assert decide(Scoring({"off_topic": 0.5}), policy, "text").status == "approved"
    off = Policy(thresholds=BUILT_IN_THRESHOLDS, off_topic_review=1.0)
    assert decide(Scoring({"off_topic": 0.99}), off, "text").status == "approved"


@pytest.mark.skipif(default_version(ROOT / "models") is None, reason="no committed model")
def test_through_the_api_with_the_default_model(database_url):
    app = make_app(database_url, ROOT / "models")
    try:
        client, headers = app.test_client(), new_api_key(app)
        assert client.put("/api/v1/articles/e-1", json=ARTICLE, headers=headers).status_code in (
            200,
            201,
        )

        def submit(n, text, article_id="e-1"):
            body = {
                "external_id": f"c-{n}",
                "article_id": article_id,
                "author": {"id": f"u-{n}"},
                "text": text,
            }
            response = client.post("/api/v1/comments", json=body, headers=headers)
            assert response.status_code == 201, response.json
            return response.json

        on = submit(1, ON_TOPIC)
        off = submit(2, OFF_TOPIC)
        assert on["status"] == "approved"
        assert on["scores"]["off_topic"] < off["scores"]["off_topic"]
        assert off["status"] == "pending" and off["reason"]["code"] == "off_topic"
        # no article text: no score, no hold
        alone = submit(3, OFF_TOPIC, article_id="unknown")
        assert "off_topic" not in alone["scores"] and alone["status"] == "approved"
        # the operator's threshold: 1 never holds
        app.test_cli_runner().invoke(args=["policy", "set", "off_topic.review=1"])
        assert submit(4, OFF_TOPIC + " Thanks.")["status"] == "approved"
    finally:
        _close(app)


def test_a_long_article_is_read_from_its_opening():
    from service.moderation.relevance import BODY_CHARS, article_text

    text = article_text("Title", "Lead", "word " * 100_000)
    assert text.startswith("Title. Lead. word") and len(text) <= BODY_CHARS + len("Title. Lead. ")
