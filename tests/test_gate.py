"""The promotion gate: per-task and per-category AUC against the active model, with tolerance."""

from __future__ import annotations

from datetime import UTC, datetime

from service.moderation.loader import LoadedModel
from service.moderation.types import CATEGORIES, TOXIC_CATEGORIES, Scoring
from service.retraining.gate import (
    SITE_AUC_TOLERANCE,
    SITE_MIN_PER_CLASS,
    SUITE_AUC_TOLERANCE,
    SUITE_MIN_POSITIVES,
    Task,
    format_report,
    run_gate,
    task_evaluator,
)
from service.retraining.labels import Label

THRESHOLDS = {c: {"reject": 0.9, "review": 0.5} for c in CATEGORIES}


class TableScorer:
    """Scores looked up per text: exact AUCs for the tests."""

    def __init__(self, table: dict[str, dict[str, float]]):
        self.table = table

    def score_batch(self, texts):
        base = dict.fromkeys(CATEGORIES, 0.0)
        return [Scoring(scores=base | self.table.get(t, {})) for t in texts]


def model(version: str, table: dict[str, dict[str, float]]) -> LoadedModel:
    return LoadedModel(version, {"version": version, "thresholds": THRESHOLDS}, TableScorer(table))


def ranked_task(n: int = 100) -> tuple[Task, dict[str, dict[str, float]]]:
    """A task whose texts a model ranks perfectly (AUC 1.0) when scored with this table."""
    texts = [f"text {i}" for i in range(n)]
    truth = [int(i % 2 == 0) for i in range(n)]
    table = {t: {"abuse": 0.9 if y else 0.1} for t, y in zip(texts, truth, strict=True)}
    return Task("ranked", texts, truth, TOXIC_CATEGORIES), table


def demote(table, positives, k):
    """Score ``k`` positives like the negatives: each tie costs N/2 of the P*N pairs."""
    return table | {t: {"abuse": 0.1} for t in positives[:k]}


def test_equal_models_pass_and_report_every_task():
    task, table = ranked_task()
    said: list[str] = []
    report = run_gate(
        model("new", table), model("old", table), task_evaluator([task]), [], said.append
    )
    assert report["passed"] and report["failures"] == []
    assert said == [  # minutes each on the real suite: the operator sees which model is at it
        "scoring the evaluation suite with the candidate new",
        "scoring the evaluation suite with the active old",
    ]
    assert report["suite"]["ranked"] == {
        "rows": 100,
        "positives": 50,
        "candidate_auc": 1.0,
        "active_auc": 1.0,
        "delta": 0.0,
        "status": "pass",
    }
    assert report["tolerance"]["suite_auc"] == SUITE_AUC_TOLERANCE
    assert format_report(report)[-1] == "gate: passed"


def test_a_worse_task_beyond_tolerance_refuses():
    task, table = ranked_task(400)
    positives = [t for t, y in zip(task.texts, task.truth, strict=True) if y]
    slightly = demote(table, positives, 1)  # AUC 1 - 100/40000 = 0.9975: within tolerance
    report = run_gate(model("new", slightly), model("old", table), task_evaluator([task]), [])
    assert report["passed"] and report["suite"]["ranked"]["delta"] == -0.0025
    worse = demote(table, positives, 5)  # AUC 1 - 500/40000 = 0.9875: beyond it
    report = run_gate(model("new", worse), model("old", table), task_evaluator([task]), [])
    assert not report["passed"]
    assert report["suite"]["ranked"]["status"] == "fail"
    assert report["suite"]["ranked"]["candidate_auc"] == 0.9875
    assert report["failures"] == [
        f"suite ranked: AUC 0.9875 vs active 1.0 (delta -0.0125, tolerance {SUITE_AUC_TOLERANCE})"
    ]
    assert "FAIL suite ranked" in "\n".join(format_report(report))


def test_the_highest_toxic_score_is_what_a_toxic_task_uses():
    texts = ["a", "b", "c", "d"]
    task = Task("t", texts, [1, 1, 0, 0], TOXIC_CATEGORIES)
    spread = {"a": {"threat": 0.8}, "b": {"profanity": 0.7}, "c": {"threat": 0.1}}
    promo = {"a": {"promotion": 0.9}, "b": {"promotion": 0.9}}
    report = run_gate(model("spread", spread), model("promo", promo), task_evaluator([task]), [])
    assert report["suite"]["t"]["candidate_auc"] == 1.0
    assert report["suite"]["t"]["active_auc"] == 0.5  # promotion is not a toxic category


def site_labels(n_pos: int, n_neg: int) -> list[Label]:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    return [Label(f"pos {i}", {"threat": 1}, "mod", when) for i in range(n_pos)] + [
        Label(f"neg {i}", dict.fromkeys(CATEGORIES, 0), "mod", when) for i in range(n_neg)
    ]


def test_site_categories_are_gated_once_there_are_enough_labels():
    labels = site_labels(SITE_MIN_PER_CLASS, 20)
    good = {label.text: {"threat": 0.95} for label in labels if label.text.startswith("pos")}
    blind: dict = {}
    report = run_gate(model("blind", blind), model("good", good), task_evaluator([]), labels)
    threat = report["site"]["categories"]["threat"]
    assert threat["status"] == "fail" and threat["rows"] == 25 and threat["positives"] == 5
    assert threat["candidate"]["auc"] == 0.5 and threat["active"]["auc"] == 1.0
    assert threat["active"]["reject"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["failures"][0].startswith("site threat: AUC 0.5 vs active 1.0")
    assert report["tolerance"]["site_auc"] == SITE_AUC_TOLERANCE
    # other categories have negatives only: reported, never gated
    assert report["site"]["categories"]["abuse"]["status"] == "not gated"

    few = site_labels(SITE_MIN_PER_CLASS - 1, 20)
    report = run_gate(model("blind", blind), model("good", good), task_evaluator([]), few)
    assert report["passed"]
    assert report["site"]["categories"]["threat"]["status"] == "not gated"


def test_without_an_active_model_the_candidate_passes_and_without_a_suite_it_fails():
    task, table = ranked_task(10)
    report = run_gate(model("first", table), None, task_evaluator([task]), site_labels(6, 6))
    assert report["passed"] and report["active"] is None
    assert report["suite"]["ranked"]["active_auc"] is None
    report = run_gate(model("first", table), model("old", table), None, [])
    assert not report["passed"]
    assert report["failures"] == ["the evaluation suite could not be loaded"]


def suite_report(auc: float, review_f1: float, reject_f1: float, positives: int = 300) -> dict:
    """What ``training.evaluate.evaluate_suite`` returns, reduced to what the gate reads."""
    level = {"positives": positives}
    return {
        "tasks": {"davidson-hate": {"rows": 5000, "positives": positives, "auc": auc}},
        "categories": {
            "abuse": {
                "auc": auc,
                "review": level | {"f1": review_f1},
                "reject": level | {"f1": reject_f1},
            }
        },
    }


def test_thresholds_that_stop_holding_a_category_are_refused_despite_the_auc():
    reports = {"new": suite_report(0.93, 0.0, 0.0), "old": suite_report(0.92, 0.42, 0.33)}
    report = run_gate(model("new", {}), model("old", {}), lambda m: reports[m.version], [])
    assert report["suite"]["davidson-hate"]["status"] == "pass"  # it ranks better...
    assert report["suite_thresholds"]["abuse"]["status"] == "fail"  # ...but holds nothing
    assert report["failures"] == [
        "suite abuse: F1 at the review threshold 0.0 vs active 0.42 "
        "(delta -0.4200, tolerance 0.05)",
        "suite abuse: F1 at the reject threshold 0.0 vs active 0.33 "
        "(delta -0.3300, tolerance 0.05)",
    ]
    assert "suite category" in "\n".join(format_report(report))

    reports["new"] = suite_report(0.93, 0.40, 0.30)  # within the tolerance
    assert run_gate(model("new", {}), model("old", {}), lambda m: reports[m.version], [])["passed"]
    reports["new"] = suite_report(0.93, 0.0, 0.0, positives=SUITE_MIN_POSITIVES - 1)
    reports["old"] = suite_report(0.92, 0.42, 0.33, positives=SUITE_MIN_POSITIVES - 1)
    report = run_gate(model("new", {}), model("old", {}), lambda m: reports[m.version], [])
    assert report["passed"] and report["suite_thresholds"] == {}  # too few positives to judge


def test_site_labels_are_scored_by_their_languages_model():
    """An Arabic comment's label is judged by the Arabic model, as the service judged the
    comment; one in a language without a model (held unread) is left out."""
    from service.moderation.bundle import LanguageBundle

    when = datetime(2026, 1, 1, tzinfo=UTC)
    labels = [Label(f"ar pos {i}", {"abuse": 1}, "mod", when, language="ar") for i in range(5)] + [
        Label(f"ar neg {i}", {"abuse": 0}, "mod", when, language="ar") for i in range(5)
    ]
    labels += [Label(f"ckb {i}", {"abuse": i % 2}, "mod", when, language="ckb") for i in range(6)]
    arabic = {label.text: {"abuse": 0.9} for label in labels if "pos" in label.text}

    def bundle(version, ar_table):
        scorer = LanguageBundle({"en": TableScorer({}), "ar": TableScorer(ar_table)})
        return LoadedModel(version, {"version": version, "thresholds": THRESHOLDS}, scorer)

    report = run_gate(bundle("new", arabic), bundle("old", {}), task_evaluator([]), labels)
    abuse = report["site"]["categories"]["abuse"]
    assert abuse["rows"] == 10 and abuse["positives"] == 5  # the Sorani rows are left out
    assert abuse["candidate"]["auc"] == 1.0 and abuse["active"]["auc"] == 0.5
