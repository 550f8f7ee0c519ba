"""bench/language_sentences.py: the shares it reports per language."""

from __future__ import annotations

import pytest

from bench.language_sentences import measure


def row(text, language, expected="approve", category=""):
    return {"text": text, "language": language, "expected": expected, "category": category}


def result(decision, code=None, detected="ar", routed=None):
    reason = {"code": code} if code else None
    return {
        "decision": decision,
        "reason": reason,
        "detected_language": detected,
        "language": routed or detected,
    }


def test_shares_of_detection_decision_and_reason():
    rows = [
        row("a", "ar"),
        row("b", "ar", "not_approve", "personal_attack"),
        row("c", "ar", "not_approve", "profanity"),
        row("d", "ar", "not_approve", "threat"),
        row("e", "ckb"),
        row("f", "ckb", "not_approve", "abuse"),
    ]
    results = [
        result("approve"),
        result("reject", "personal_attack"),
        result("reject", "personal_attack"),  # right decision, wrong category
        result("approve", detected="und", routed="en"),  # missed, and misdetected
        result("review", "unsupported_language", "ckb"),
        result("review", "unsupported_language", "ckb"),
    ]
    report = measure(rows, results)
    arabic, sorani = report["ar"], report["ckb"]
    assert (arabic["detected"], arabic["routed"], arabic["unread"]) == (0.75, 0.75, 0.0)
    assert (arabic["read"], arabic["decision"]) == (4, 0.75)
    assert (arabic["reason"], arabic["reason_rows"]) == (pytest.approx(1 / 2), 2)
    assert [m["text"] for m in arabic["misses"]] == ["c", "d"]
    # held unread by the policy: counted apart, not as the model's decisions
    assert (sorani["unread"], sorani["read"], sorani["decision"]) == (1.0, 0, None)
    assert sorani["misses"] == []


def default_model_report(suite: str) -> dict[str, dict]:
    """Every sentence of ``training/suites/<suite>`` through the API with the committed
    default model, measured as ``bench/language_sentences.py`` does."""
    from bench.api_scoring import api_client
    from bench.language_sentences import MODELS, SUITE, load_rows
    from service.moderation.loader import default_version

    rows = load_rows(SUITE.parent / suite)
    with api_client(MODELS, default_version(MODELS)) as moderate:
        return measure(rows, moderate([{"text": r["text"]} for r in rows]))


def test_the_default_model_decides_our_sentences_as_the_readme_says():
    """Every sentence of training/suites/languages.csv through the API with the committed
    default model: the figures the README reports, as floors."""
    report = default_model_report("languages.csv")
    assert {language: entry["rows"] for language, entry in report.items()} == dict.fromkeys(
        ("en", "ckb", "kmr", "ar", "tr", "fa"), 38
    )
    for language, entry in report.items():
        assert entry["detected"] >= 37 / 38, language
    assert report["en"]["decision"] == report["ar"]["decision"] == report["tr"]["decision"] == 1.0
    # no model of their own: held unread under the default policy
    for language in ("ckb", "kmr", "fa"):
        assert report[language]["unread"] >= 37 / 38, language


def test_the_default_model_approves_plain_comments_that_name_a_group():
    """training/suites/languages_group_neutral.csv (acceptable comments naming an identity
    group, written blind) through the API: the README's figures as floors."""
    report = default_model_report("languages_group_neutral.csv")
    assert report["ar"]["decision"] >= 38 / 40
    assert report["tr"]["decision"] >= 36 / 40


def test_the_default_model_approves_political_criticism():
    """training/suites/languages_political.csv (harsh criticism of governments, parties
    and officials beside attacks) through the API: the README's figures as floors."""
    report = default_model_report("languages_political.csv")
    assert report["ar"]["decision"] == report["tr"]["decision"] == 1.0
