"""Languages through the API: detected, stored, routed; never judged by another's model."""

from __future__ import annotations

import weakref
from pathlib import Path

import pytest

from service.moderation.bundle import LanguageBundle, score_languages
from service.moderation.loader import default_version
from service.moderation.types import CATEGORIES

from conftest import _close, make_app, new_api_key
from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model

SORANI = "ئەم حکومەتە هیچ کارێکی باشی بۆ خەڵکی هەولێر نەکردووە."
ARABIC = "أنت غبي وكاتب فاشل ولا تفهم شيئا في السياسة."
TURKISH = "Bu hükümet ekonomiyi tamamen mahvetti, yazık."
ROOT = Path(__file__).resolve().parent.parent


def comment(text: str, n: int = 1, **extra):
    return {
        "external_id": f"c-{n}",
        "article_id": "a-1",
        "author": {"id": "u"},
        "text": text,
    } | extra


@pytest.fixture
def bundle_app(configured_app, models_dir):
    """English and Turkish keyword models in one version (Arabic has none)."""
    turkish = KeywordScorer({"aptal": "personal_attack"})
    write_model(
        models_dir, "bundle-1", LanguageBundle({"en": KeywordScorer(DEFAULT_WORDS), "tr": turkish})
    )
    (models_dir / "DEFAULT").write_text("bundle-1\n")
    return configured_app(models_dir)


_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # app -> its website key


def submit(app, body):
    """Submit as the website and read the comment back: (submit answer, detail)."""
    if app not in _KEYS:
        _KEYS[app] = new_api_key(app)
    client, headers = app.test_client(), _KEYS[app]
    created = client.post("/api/v1/comments", json=body, headers=headers)
    assert created.status_code == 201, created.json
    detail = client.get(f"/api/v1/comments/{created.json['id']}", headers=headers).json
    return created.json, detail


def test_a_sorani_comment_tagged_en_is_held_unread(scored_app):
    created, detail = submit(scored_app, comment(SORANI, language="en"))
    assert created["status"] == "pending"
    assert created["reason"]["code"] == "unsupported_language"
    assert created["scores"] == {}
    assert (created["language"], created["detected_language"]) == ("ckb", "ckb")
    assert created["site_language"] == "en"
    assert (detail["language"], detail["detected_language"], detail["site_language"]) == (
        "ckb",
        "ckb",
        "en",
    )
    assert detail["history"][0]["reason"]["code"] == "unsupported_language"


def test_arabic_is_not_judged_by_the_english_model(scored_app):
    created, _ = submit(scored_app, comment(ARABIC))
    assert created["status"] == "pending" and created["reason"]["code"] == "unsupported_language"
    assert created["language"] == "ar" and created["scores"] == {}


@pytest.mark.parametrize("text", ["Great article!", "👍👍🔥", "ok"])
def test_undetermined_text_goes_to_the_english_model(scored_app, text):
    created, _ = submit(scored_app, comment(text))
    assert created["status"] == "approved"
    assert created["language"] == "und" and set(created["scores"]) == set(CATEGORIES)


@pytest.mark.parametrize("tag", ["x-private", "X-Site-ku", "i-klingon", "I-Navajo"])
def test_private_use_and_grandfathered_tags_route_like_an_unknown_tag(scored_app, tag):
    created, detail = submit(scored_app, comment("ok", language=tag))
    unknown, _ = submit(scored_app, comment("ok", 2, language="qaa"))
    assert created["site_language"] == detail["site_language"] == tag
    assert created["language"] == unknown["language"] == "und"
    assert created["status"] == unknown["status"]


# the last one is longer than the 35 characters a tag is stored in
@pytest.mark.parametrize("tag", ["x", "x-", "i-unknown", "x-toolongtag", "abc" + "-abcdefgh" * 4])
def test_what_is_not_a_tag_is_still_refused(scored_app, tag):
    client = scored_app.test_client()
    response = client.post(
        "/api/v1/comments", json=comment("ok", language=tag), headers=new_api_key(scored_app)
    )
    assert response.status_code == 400, tag
    assert list(response.json["error"]["fields"]) == ["language"]


def test_a_language_with_its_own_model_is_judged_by_it(bundle_app):
    created, _ = submit(bundle_app, comment(TURKISH + " Sen bir aptal mısın?"))
    assert created["language"] == "tr"
    assert created["status"] == "rejected" and created["reason"]["code"] == "personal_attack"
    english, _ = submit(bundle_app, comment("What an idiot you are, really.", 2))
    assert english["language"] == "en" and english["reason"]["code"] == "personal_attack"


def test_the_policy_may_score_a_language_with_the_nearest_model(scored_app):
    runner = scored_app.test_cli_runner()
    assert runner.invoke(args=["policy", "set", "language.ckb=sometimes"]).exit_code != 0
    assert runner.invoke(args=["policy", "set", "language.ckb=score"]).exit_code == 0
    assert "language.ckb score *" in runner.invoke(args=["policy", "show"]).output
    created, _ = submit(scored_app, comment(SORANI))
    # no Arabic-script model in this version: English reads it, and approves it
    assert created["status"] == "approved" and created["language"] == "ckb"
    # Persian keeps the default
    persian, _ = submit(scored_app, comment("این دولت هیچ کاری برای مردم نکرده است.", 2))
    assert persian["reason"]["code"] == "unsupported_language"


def test_moderate_answers_the_languages_without_storing(scored_app):
    client, headers = scored_app.test_client(), new_api_key(scored_app)
    body = {"comments": [{"text": SORANI}, {"text": "you idiot, read it again"}, {"text": "ok"}]}
    results = client.post("/api/v1/moderate", json=body, headers=headers).json["results"]
    assert [r["language"] for r in results] == ["ckb", "en", "und"]
    assert results[0]["decision"] == "review" and results[0]["scores"] == {}
    assert results[1]["reason"]["code"] == "personal_attack"


def test_the_queue_filters_by_the_language_routing_used(scored_app):
    from queue_helpers import add_user, token_for

    submit(scored_app, comment(SORANI, language="en"))
    submit(scored_app, comment("you idiot, read the article first", 2))
    headers = token_for(scored_app, add_user(scored_app))
    client = scored_app.test_client()
    items = client.get("/api/v1/queue?language=ckb", headers=headers).json["items"]
    assert [i["language"] for i in items] == ["ckb"]


def test_a_bundle_scores_each_language_once_and_keeps_the_order():
    calls = []

    class Counting(KeywordScorer):
        def score_batch(self, texts):
            calls.append(len(texts))
            return super().score_batch(texts)

    bundle = LanguageBundle({"en": Counting(DEFAULT_WORDS), "tr": Counting({"aptal": "threat"})})
    texts = ["idiot", "aptal", "fine", "aptal adam", "x"]
    out = score_languages(bundle, texts, ["en", "tr", "en", "tr", None])
    assert sorted(calls) == [2, 2]
    assert out[4] is None
    assert out[0].scores["personal_attack"] > 0.9 and out[1].scores["threat"] > 0.9
    assert out[3].scores["threat"] > 0.9 and out[2].scores["threat"] < 0.1
    with pytest.raises(ValueError):
        LanguageBundle({"tr": KeywordScorer({})})


@pytest.mark.skipif(default_version(ROOT / "models") is None, reason="no committed model")
def test_the_default_model_tells_an_insult_at_a_person_from_profanity(database_url):
    """The issue's example, with the committed model: a personal attack, never profanity."""
    app = make_app(database_url, ROOT / "models")
    try:
        texts = ["أنت غبي وكاتب فاشل", "siktir git buradan"]
        response = app.test_client().post(
            "/api/v1/moderate",
            json={"comments": [{"text": t} for t in texts]},
            headers=new_api_key(app),
        )
        insult, swearing = response.json["results"]
        assert (insult["language"], insult["decision"]) == ("ar", "reject")
        assert insult["reason"]["code"] == "personal_attack"
        assert insult["scores"]["profanity"] == 0.0
        assert (swearing["language"], swearing["decision"]) == ("tr", "reject")
        assert swearing["reason"]["code"] == "profanity"
        assert swearing["scores"]["personal_attack"] == 0.0
    finally:
        _close(app)
