"""Issue 14's examples ("Concretely, ..."), each through ``POST /api/v1/moderate`` with
the committed default model, one comment per call."""

from __future__ import annotations

import pytest

from conftest import new_api_key

APPROVE, HOLD, REJECT = "approve", "review", "reject"


def case(text, decisions, codes=None):
    return pytest.param(text, set(decisions), codes and set(codes), id=text[:40])


EXAMPLES = [
    # the four threats are rejected as threat
    case("I will break your legs.", {REJECT}, {"threat"}),
    case(
        "If I ever see the mayor on the street I will break his legs. He deserves it.",
        {REJECT},
        {"threat"},
    ),
    case("The mayor deserves a bullet.", {REJECT}, {"threat"}),
    case("Someone should burn down the editor's house.", {REJECT}, {"threat"}),
    # personal attacks, held or rejected as personal_attack
    case("You are an idiot.", {HOLD, REJECT}, {"personal_attack"}),
    case(
        "Congratulations on being the dumbest person to ever comment on this site.",
        {HOLD, REJECT},
        {"personal_attack"},
    ),
    # approved
    case("This is a stupid policy.", {APPROVE}),
    case("What the hell were they thinking?", {APPROVE}),
    case("I live in Scunthorpe and the budget does nothing for us.", {APPROVE}),
    case("He is retired and walks his dog daily.", {APPROVE}),
    case("Women should be paid the same as men", {APPROVE}),
    # approved or held, never rejected as profanity
    case("The minister is a liar.", {APPROVE, HOLD}),
    case("Shut up.", {APPROVE, HOLD}),
    # counter-speech: approved or held
    case(
        "My grandfather was told to 'go back to your own country' when he arrived in 1991, "
        "and it still hurts him.",
        {APPROVE, HOLD},
    ),
    case('Calling someone a "faggot" is disgusting. Nobody should hear that.', {APPROVE, HOLD}),
]


@pytest.mark.parametrize("text, decisions, codes", EXAMPLES)
def test_issue_14_example(shipped_app, text, decisions, codes):
    response = shipped_app.test_client().post(
        "/api/v1/moderate",
        json={"comments": [{"text": text, "language": "en"}]},
        headers=new_api_key(shipped_app),
    )
    assert response.status_code == 200
    result = response.json["results"][0]
    assert result["decision"] in decisions, result
    if codes and result["decision"] != APPROVE:
        assert result["reason"]["code"] in codes, result
