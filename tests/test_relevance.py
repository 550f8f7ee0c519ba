"""Relevance: ``off_topic`` from the article and its recent comments; held, never rejected."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from encoder_fixture import WORDS, build_tiny_encoder_model

from service.config import DEFAULT_DATA_DIR
from service.moderation.loader import default_version, load_model
from service.moderation.policy import BUILT_IN_THRESHOLDS, PENDING, Policy, decide
from service.moderation.relevance import RelevanceSpace, judged, off_topic, off_topic_batch
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


def _space(dim: int, weights: np.ndarray, bias: np.ndarray, floor: float) -> RelevanceSpace:
    return RelevanceSpace(np.zeros(dim, np.float32), weights, bias, floor)


def test_a_relevance_space_projects_to_unit_vectors_and_carries_its_floor(tmp_path):
    rng = np.random.default_rng(0)
    space = _space(8, rng.normal(size=(8, 3)).astype(np.float32), np.ones(3, np.float32), 0.1)
    vectors = space.project(rng.normal(size=(5, 8)))
    assert vectors.shape == (5, 3)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    # the floor is where "unrelated" starts: the same cosine scores further off below it
    args = (np.array([1.0, 0.0]), {"a"}, np.array([0.6, 0.8]), {"b"})
    assert off_topic(*args, floor=0.0) < off_topic(*args, floor=0.5)

    build_tiny_encoder_model(tmp_path, relevance=space)
    english = load_model(tmp_path, "tiny-enc-1").scorer
    assert english.relevance.floor == 0.1
    raw = english.encoder.embed(["the mayor"])
    np.testing.assert_allclose(english.relevance_vectors(["the mayor"]), space.project(raw))
    assert english.relevance_floor == 0.1


def test_the_api_compares_in_the_models_relevance_space(database_url, tmp_path):
    # a space that maps every text to one point: meanings all agree, only words differ
    collapse = _space(8, np.zeros((8, 2), np.float32), np.array([1.0, 0.0], np.float32), 0.0)
    build_tiny_encoder_model(tmp_path, relevance=collapse)
    app = make_app(database_url, tmp_path, MODEL_VERSION="tiny-enc-1")
    try:
        client, headers = app.test_client(), new_api_key(app)
        client.put("/api/v1/articles/e-1", json=ARTICLE, headers=headers)
        body = {"external_id": "c-1", "article_id": "e-1", "author": {"id": "u"}, "text": OFF_TOPIC}
        scores = client.post("/api/v1/comments", json=body, headers=headers).json["scores"]
        # meaning counts fully related, no word is shared: (1 + 0) / 2 related
        assert scores["off_topic"] == pytest.approx(0.5, abs=1e-3)
    finally:
        _close(app)


@pytest.mark.skipif(not DEFAULT_DATA_DIR.is_dir(), reason="../shared/data not present")
def test_a_space_is_fitted_from_one_encoder_to_another_and_carried_over(tmp_path):
    from encoder_fixture import build_tiny_encoder

    from service.moderation.encoder import load_encoder
    from training.relevance_space import carried_space, fit_space

    tuned, base = (load_encoder(*build_tiny_encoder(tmp_path / f"e{s}", seed=s)) for s in (0, 1))
    texts = [" ".join(words) for words in zip(*[iter(WORDS * 7)] * 5, strict=False)]
    space, report = fit_space(tuned, base, texts, DEFAULT_DATA_DIR)
    target = base.embed(texts)
    mapped = np.sum(space.project(tuned.embed(texts)) * target, axis=1).mean()
    assert mapped > np.sum(tuned.embed(texts) * target, axis=1).mean() + 0.2
    assert report["cosine_to_pretrained"] == pytest.approx(mapped, abs=1e-3)
    assert -1.0 < space.floor < 1.0

    folder = build_tiny_encoder_model(tmp_path / "models", relevance=space)
    digest = json.loads((folder / "card.json").read_text())["encoder"]["sha256"]
    carried, _ = carried_space(tmp_path / "models", digest)
    np.testing.assert_array_equal(carried.weights, space.weights)
    assert carried_space(tmp_path / "models", "0" * 64) == (None, {})
