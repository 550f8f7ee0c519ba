"""The decision rule and the operator's policy overrides."""

from __future__ import annotations

import pytest

from service.moderation.policy import (
    BUILT_IN_THRESHOLDS,
    Policy,
    Thresholds,
    decide,
)
from service.moderation.types import CATEGORIES, Scoring, Span

from conftest import new_api_key


def scoring(**scores):
    base = dict.fromkeys(CATEGORIES, 0.01)
    return Scoring(scores=base | scores, evidence=[Span(0, 4, "threat"), Span(5, 9, "abuse")])


POLICY = Policy(thresholds=BUILT_IN_THRESHOLDS)


def test_below_all_thresholds_is_approved():
    verdict = decide(scoring(), POLICY, "fine")
    assert verdict.status == "approved"
    assert verdict.reason is None


def test_strongest_rejecting_category_is_the_reason():
    verdict = decide(scoring(threat=0.95, abuse=0.99), POLICY, "text")
    assert verdict.status == "rejected"
    assert verdict.reason.code == "abuse"
    assert verdict.reason.evidence == (Span(5, 9, "abuse"),)


def test_between_thresholds_is_held():
    verdict = decide(scoring(threat=0.6), POLICY, "text")
    assert verdict.status == "pending"
    assert verdict.reason.code == "threat"


def test_no_scores_is_held_never_approved():
    verdict = decide(None, POLICY, "text")
    assert (verdict.status, verdict.reason.code) == ("pending", "unscored")


def test_premoderation_holds_what_would_be_approved_only():
    policy = Policy(thresholds=BUILT_IN_THRESHOLDS, hold_all=True)
    assert decide(scoring(), policy, "fine").reason.code == "premoderation"
    assert decide(scoring(abuse=0.99), policy, "x").status == "rejected"


def test_link_switch_holds_links_with_their_spans():
    policy = Policy(thresholds=BUILT_IN_THRESHOLDS, hold_links=True)
    verdict = decide(scoring(), policy, "see https://example.com/x now")
    assert verdict.status == "pending"
    assert verdict.reason.code == "contains_link"
    assert verdict.reason.evidence == (Span(4, 25, "link"),)
    assert decide(scoring(), policy, "no links, e.g. this.").status == "approved"


def test_exactly_at_threshold_does_not_trigger():
    policy = Policy(thresholds={c: Thresholds(0.9, 0.5) for c in CATEGORIES})
    assert decide(scoring(threat=0.5), policy, "x").status == "approved"
    assert decide(scoring(threat=0.9), policy, "x").status == "pending"


def test_policy_set_applies_without_restart(scored_app):
    client = scored_app.test_client()
    auth = new_api_key(scored_app)
    runner = scored_app.test_cli_runner()
    body = {"comments": [{"text": "plain words"}]}
    assert (
        client.post("/api/v1/moderate", json=body, headers=auth).json["results"][0]["decision"]
        == "approve"
    )
    result = runner.invoke(args=["policy", "set", "hold_all=true", "--actor", "ops"])
    assert result.exit_code == 0, result.output
    answer = client.post("/api/v1/moderate", json=body, headers=auth).json["results"][0]
    assert (answer["decision"], answer["reason"]["code"]) == ("review", "premoderation")

    shown = runner.invoke(args=["policy", "show"])
    assert "hold_all   True *" in shown.output
    assert "model kw-1" in shown.output


def test_policy_thresholds_from_card_and_overrides(scored_app):
    runner = scored_app.test_cli_runner()
    assert runner.invoke(args=["policy", "set", "profanity.reject=0.995"]).exit_code == 0
    client = scored_app.test_client()
    auth = new_api_key(scored_app)
    answer = client.post(
        "/api/v1/moderate", json={"comments": [{"text": "darn"}]}, headers=auth
    ).json["results"][0]
    assert (answer["decision"], answer["reason"]["code"]) == ("review", "profanity")
    assert runner.invoke(args=["policy", "set", "--reset", "profanity.reject"]).exit_code == 0
    answer = client.post(
        "/api/v1/moderate", json={"comments": [{"text": "darn"}]}, headers=auth
    ).json["results"][0]
    assert answer["decision"] == "reject"


@pytest.mark.parametrize(
    "assignment",
    [
        "profanity.reject=1.5",
        "profanity.review=abc",
        "nonsense=1",
        "hold_all=maybe",
        "threat.review=0.95",
        "no-equals-sign",
    ],
)
def test_policy_set_refuses_invalid_values(runner, assignment):
    result = runner.invoke(args=["policy", "set", assignment])
    assert result.exit_code != 0
    shown = runner.invoke(args=["policy", "show"])
    assert "*" not in shown.output.split("(*")[0]


def test_a_short_arabic_script_text_is_read_by_the_arabic_model_not_the_english():
    from service.moderation.language import mostly_arabic_script
    from service.moderation.policy import scoring_language

    policy = Policy(thresholds=BUILT_IN_THRESHOLDS)
    assert mostly_arabic_script("خفه شو احمق.") and not mostly_arabic_script("Great article! 👍")
    assert scoring_language("und", {"en", "ar"}, policy, arabic_script=True) == "ar"
    assert scoring_language("und", {"en", "ar"}, policy, arabic_script=False) == "en"
    assert scoring_language("und", {"en"}, policy, arabic_script=True) == "en"
