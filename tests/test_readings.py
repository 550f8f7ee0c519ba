"""Second readings: planted letters, a website tag or a second script cannot pick a
lenient model (service/moderation/readings.py)."""

from __future__ import annotations

import pytest

from service.moderation.language import detect_language
from service.moderation.readings import second_readings

from conftest import new_api_key

AVAILABLE = {"en", "ar", "tr"}


def test_planted_turkish_letters_leave_an_english_reading():
    text = "İİİ You are an idiot"
    detection = detect_language(text)
    assert (detection.code, detection.library) == ("tr", "en")
    assert [r.language for r in second_readings(text, detection, "tr", AVAILABLE)] == ["en"]


def test_a_mixed_script_comment_is_read_in_each_script_with_offsets_kept():
    text = "I totally agree with the minister on this budget plan, يا حمار"
    (reading,) = second_readings(text, detect_language(text), "en", AVAILABLE)
    assert reading.language == "ar"
    assert len(reading.text) == len(text)
    assert reading.text.split() == ["يا", "حمار"]
    assert reading.text.index("يا") == text.index("يا")


def test_a_turkish_swear_word_in_english_gets_a_turkish_reading():
    text = "Great reporting on the budget vote today, siktir git"
    assert [r.language for r in second_readings(text, detect_language(text), "en", AVAILABLE)] == [
        "tr"
    ]


@pytest.mark.parametrize(
    ("text", "reader", "languages"),
    [
        # an English insult after a Turkish sentence: English words of address
        ("Haber için teşekkürler ama you are a fucking idiot", "tr", ["en"]),
        # a Turkish swear word in Latin letters inside Arabic script
        ("شكرا على المقال الجميل siktir git", "ar", ["tr"]),
        # a Cyrillic look-alike letter in a Turkish swear word
        ("Great reporting today, ѕiktir git", "en", ["tr"]),
        # short Turkish the detector takes for Kurmanji, which has no model
        ("salak herif", "en", ["tr"]),
        # an Arabic insult written into a Persian comment no model reads
        ("این مقاله خیلی خوب است ولی انت حمار يا ابن الكلب", None, ["ar"]),
    ],
)
def test_another_language_inside_a_comment_gets_its_reading(text, reader, languages):
    readings = second_readings(text, detect_language(text), reader, AVAILABLE)
    assert [r.language for r in readings] == languages


@pytest.mark.parametrize(
    "text",
    [
        "مقال رائع عن الانتخابات Kill Bill",  # a title read alone is no comment
        "مقال رائع عن الانتخابات والفيلم الجديد Bad Bunny",
        "The Arabic word كلب means dog, and it was painted on the wall",  # one word: a quote
    ],
)
def test_a_title_or_a_single_word_in_the_other_script_is_not_read_alone(text):
    detection = detect_language(text)
    assert second_readings(text, detection, detection.code, AVAILABLE) == []


@pytest.mark.parametrize(
    "text",
    [
        "Parliament has wasted two years arguing over salaries.",
        "The MK party and SG Holdings lost ground in the Bok Choy Street ward.",
        "Bu hükümet ekonomiyi tamamen mahvetti, yazık.",
        "الانتخابات كانت مزورة من البداية إلى النهاية.",
        "Thanks @rudaw_english, see https://example.org/report for the figures.",
    ],
)
def test_ordinary_comments_have_no_second_reading(text):
    detection = detect_language(text)
    assert second_readings(text, detection, detection.code, AVAILABLE) == []


_KEYS: dict = {}


def _moderate(app, texts, **extra):
    if app not in _KEYS:
        _KEYS.clear()
        _KEYS[app] = new_api_key(app)
    response = app.test_client().post(
        "/api/v1/moderate",
        json={"comments": [{"text": t} | extra for t in texts]},
        headers=_KEYS[app],
    )
    assert response.status_code == 200, response.json
    return response.json["results"]


def test_planted_letters_no_longer_approve_an_insult(shipped_app):
    planted = ["İİİ You are an idiot", "ğğğ you are a retard"]
    idiot, retard = _moderate(shipped_app, planted)
    assert [idiot["language"], retard["language"]] == ["tr", "tr"]
    # held, never rejected on a second reading
    assert [idiot["decision"], retard["decision"]] == ["review", "review"]
    assert idiot["reason"]["code"] == "personal_attack"
    assert idiot["scores"]["personal_attack"] > 0.5  # the English model's scores


def test_a_website_tag_does_not_choose_the_model_for_a_short_foreign_insult(shipped_app):
    texts = ["siktir git", "خفه شو احمق."]
    tagged = _moderate(shipped_app, texts, language="en")
    assert [r["decision"] for r in tagged] == ["review", "review"]
    assert tagged[1]["language"] == "ar"  # an Arabic-script text is never English's
    assert tagged[1] == _moderate(shipped_app, texts[1:])[0]  # judged as if untagged


def test_a_turkish_swear_word_after_an_english_sentence_is_held(shipped_app):
    (result,) = _moderate(shipped_app, ["Great reporting on the budget vote today, siktir git"])
    assert (result["language"], result["decision"]) == ("en", "review")
    assert result["reason"]["code"] == "profanity"


def test_an_insult_in_the_other_script_is_read(shipped_app):
    text = "I totally agree with the minister on this, يا حمار"
    (mixed,) = _moderate(shipped_app, [text])
    assert mixed["language"] == "en" and mixed["decision"] == "review"
    assert all(e["start"] >= text.index("يا") for e in mixed["reason"]["evidence"])


def test_kurdish_letters_do_not_buy_approval_under_approve_unless_terms(shipped_app):
    runner = shipped_app.test_cli_runner()
    for setting in ("language.ckb=approve_unless_terms", "language.kmr=approve_unless_terms"):
        assert runner.invoke(args=["policy", "set", setting]).exit_code == 0
    planted = ["ڕڵۆێ أنت غبي وكاتب فاشل يا حمار", "ê û You are a total idiot"]
    results = _moderate(shipped_app, planted)
    assert [r["language"] for r in results] == ["ckb", "kmr"]
    assert [r["decision"] for r in results] == ["review", "review"]
    # a plain Sorani comment is still approved under that policy
    (plain,) = _moderate(shipped_app, ["سوپاس بۆ ئەم ڕاپۆرتە جوانە، زۆر بەسوود بوو."])
    assert plain["decision"] == "approve"
