"""The guideline suite: its shape as the issue sets it, and how a row is judged right."""

from __future__ import annotations

from collections import Counter

from service.moderation.policy import BUILT_IN_THRESHOLDS, Policy
from service.moderation.types import CATEGORIES, Scoring
from training.guidelines import Row, guideline_report, load_guidelines

from keyword_model import KeywordScorer


def test_the_committed_suite_has_the_shape_the_issue_asks_for():
    rows = load_guidelines()
    assert len(rows) >= 400
    assert len({r.text.casefold() for r in rows}) == len(rows)
    per_functionality = Counter(r.functionality for r in rows)
    assert min(per_functionality.values()) >= 20
    assert Counter(r.expected for r in rows)["either"] <= 0.10 * len(rows)
    assert {r.category for r in rows} <= {"", *CATEGORIES}
    assert all(r.category == "" for r in rows if r.expected in ("approve", "either"))


def test_a_row_is_right_only_with_its_decision_and_its_category():
    rows = [
        Row("you idiot", "not_approve", "personal_attack", "attack"),
        Row("darn it", "reject", "profanity", "swearing"),
        Row("nice piece", "approve", "", "neutral"),
        Row("shut it", "either", "", "rude"),
    ]
    scorer = KeywordScorer({"idiot": "profanity", "darn": "profanity", "shut": "threat"})
    policy = Policy(thresholds=BUILT_IN_THRESHOLDS)
    report = guideline_report(scorer.score_batch, policy, rows)["functionalities"]
    # held or rejected as profanity: the decision is right, the reason is not
    assert report["attack"]["decision_accuracy"] == 1.0 and report["attack"]["accuracy"] == 0.0
    assert report["swearing"]["accuracy"] == 1.0
    assert report["neutral"]["accuracy"] == 1.0
    # "either" is never a rejection
    assert report["rude"]["accuracy"] == 0.0


def test_unscored_rows_are_held():
    def unscored(texts: list[str]) -> list[Scoring]:
        return [Scoring(scores=dict.fromkeys(CATEGORIES, 0.0)) for _ in texts]

    rows = [Row("fine", "approve", "", "a"), Row("held?", "hold", "", "b")]
    report = guideline_report(unscored, Policy(thresholds=BUILT_IN_THRESHOLDS, hold_all=True), rows)
    assert report["functionalities"]["a"]["accuracy"] == 0.0
    assert report["functionalities"]["b"]["accuracy"] == 1.0


def test_fairness_compares_decisions_on_identity_and_plain_neutral_sentences(tmp_path):
    from training.evaluate import neutral_fairness

    (tmp_path / "identity_neutral.txt").write_text("a gay couple\nthe muslim baker\n")
    (tmp_path / "neutral.txt").write_text("a couple\nthe baker\nthe baker's oven\nthe town\n")
    scorer = KeywordScorer({"gay": "abuse", "oven": "threat"})
    report = neutral_fairness(scorer.score_batch, Policy(thresholds=BUILT_IN_THRESHOLDS), tmp_path)
    assert report["identity_neutral"]["not_approved"] == 0.5
    assert report["neutral"]["not_approved"] == 0.25
    assert report["gap_percentage_points"] == 25.0
    assert report["identity_neutral"]["examples"] == ["a gay couple"]
