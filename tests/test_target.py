"""English personal attacks are held only when aimed at a person (target.py, policy.decide)."""

from __future__ import annotations

import pytest

from service.moderation.policy import BUILT_IN_THRESHOLDS, Policy, Thresholds, decide
from service.moderation.target import person_cue
from service.moderation.types import CATEGORIES, Scoring

POLICY = Policy(thresholds=BUILT_IN_THRESHOLDS)  # review 0.5, reject 0.9


def attack(score: float) -> Scoring:
    return Scoring(scores=dict.fromkeys(CATEGORIES, 0.01) | {"personal_attack": score})


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("You clearly did not read the report.", "you"),
        ("@rebaz read it again", "mention"),
        ("Oh just shut up already.", "imperative"),
        ("He has no idea what a budget is.", "pronoun"),
        ("The columnist has lost the plot.", "person"),
        ("What a bunch of clowns.", "person"),
        ("The prime minister is a spineless worm.", "person"),
        ("What a snake.", "person"),
        ("The judge's ruling was political.", "office"),
        ("The governor lied, and he knows it.", "pronoun"),
    ],
)
def test_cues_of_a_person(text, kind):
    assert person_cue(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "This tax is a disgrace and the parliament knows it.",
        "Worthless promises, broken again.",
        "I think the new border policy is cruel and stupid.",
        "The ceasefire deal is a joke.",
        "What a pathetic response from the UN to the shelling near Duhok.",
        "The new rules are idiotic and will push every young person to leave.",
        "The charity trained a guide dog for every blind veteran in Duhok.",
        "The shepherd lost a goat and two sheep in the flood.",
    ],
)
def test_criticism_of_policies_and_institutions_has_no_cue(text):
    assert person_cue(text) is None


def test_harsh_words_about_a_policy_are_not_held_as_an_attack():
    verdict = decide(attack(0.7), POLICY, "The ceasefire deal is a joke.")
    assert verdict.status == "approved"


def test_the_same_words_aimed_at_a_person_are_held():
    verdict = decide(attack(0.7), POLICY, "You are a joke.")
    assert (verdict.status, verdict.reason.code) == ("pending", "personal_attack")


def test_harsh_words_about_an_official_are_held_only_when_an_attack_is_likelier():
    text = "The finance minister is incompetent; he is hiding where the money went."
    low = Policy(thresholds={c: Thresholds(reject=0.9, review=0.2) for c in CATEGORIES})
    assert decide(attack(0.45), low, text).status == "approved"
    assert decide(attack(0.6), low, text).status == "pending"
    # called something, the same office is a person like any other: the review threshold holds
    assert decide(attack(0.45), low, "The finance minister is a spineless worm.").status == (
        "pending"
    )


def test_over_the_reject_threshold_is_rejected_with_or_without_a_cue():
    verdict = decide(attack(0.95), POLICY, "The ceasefire deal is a joke.")
    assert (verdict.status, verdict.reason.code) == ("rejected", "personal_attack")


def test_other_languages_keep_their_models_word():
    verdict = decide(attack(0.7), POLICY, "الاتفاق مهزلة", "ar")
    assert verdict.status == "pending"


def test_an_animal_that_is_only_there_calls_nobody_anything():
    # a pronoun is a weak cue: held only when an attack is the likelier reading
    low = Policy(thresholds={c: Thresholds(reject=0.9, review=0.2) for c in CATEGORIES})
    assert person_cue("He is blind and uses a guide dog.") == "pronoun"
    assert decide(attack(0.45), low, "He is blind and uses a guide dog.").status == "approved"
