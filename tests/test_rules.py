"""Explicit rules: threats aimed at a person, group abuse, whole-word lexicon floors."""

from __future__ import annotations

import pytest

from service.moderation.normalize import normalize
from service.moderation.rules import find_group_abuse, find_lexicon, find_threats
from training.evaluate import SUITES, read_lines

THREATS = [
    "I will kill you",
    "i'm going to find you and hurt you",
    "I know where you live",
    "you deserve to die",
    "kill yourself",
    "we will come for you",
    "i will beat the hell out of you",
    "you should be shot",
    "I hope you die",
    "i w1ll k i l l you",
]
NOT_THREATS = [
    "this heat will kill the tomatoes",
    "I could die laughing at this",
    "the police will find the driver",
    "kill the engine before refuelling",
    "the film is about a hitman",
]
GROUP_ABUSE = read_lines(SUITES / "group_abuse.txt")
NOT_GROUP_ABUSE = read_lines(SUITES / "group_neutral.txt")


@pytest.mark.parametrize("text", GROUP_ABUSE)
def test_group_abuse_is_found(text):
    hits = find_group_abuse(normalize(text).text)
    assert hits and all(h.category == "abuse" for h in hits)


@pytest.mark.parametrize("text", NOT_GROUP_ABUSE)
def test_negated_reported_and_neutral_group_statements_are_not_abuse(text):
    assert find_group_abuse(normalize(text).text) == []


@pytest.mark.parametrize("text", THREATS)
def test_threats_are_found(text):
    hits = find_threats(normalize(text).text)
    assert hits and all(h.category == "threat" for h in hits)


@pytest.mark.parametrize("text", NOT_THREATS)
def test_ordinary_sentences_are_not_threats(text):
    assert find_threats(normalize(text).text) == []


def test_lexicon_matches_whole_words_only():
    text = normalize("Scunthorpe, Sussex, assassin, cocktail, therapist and Dickens").text
    assert find_lexicon(text) == []
    hits = find_lexicon(normalize("what a f*cking c u n t").text)
    assert {h.category for h in hits} == {"profanity", "vulgarity"}


def test_slurs_floor_abuse():
    hits = find_lexicon(normalize("go away f@ggot").text)
    assert [h.category for h in hits] == ["abuse"]


def test_promotion_needs_a_contact_and_a_call_to_action():
    from service.moderation.rules import find_promotion

    assert find_promotion(normalize("buy cheap followers at www.cheapfollowers.com").text)
    assert find_promotion(normalize("add me on snapchat @hotgirl99 for free nudes").text)
    assert not find_promotion(normalize("the full report is at www.example.org").text)
    assert not find_promotion(normalize("free parking on sundays").text)
