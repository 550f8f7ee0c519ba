"""The languages' tasks in evaluation and in the gate: routed as the service routes them."""

from __future__ import annotations

import numpy as np

from service.moderation.bundle import LanguageBundle
from service.moderation.loader import LoadedModel
from service.retraining.gate import run_gate
from training.language_suite import LanguageTask, evaluate_language_tasks

from keyword_model import DEFAULT_WORDS, KeywordScorer

TURKISH = [
    "Bu hükümet ekonomiyi tamamen mahvetti, yazık bize.",
    "Sen tam bir aptal mısın, haberi okumadın mı?",
    "Maçı çok güzel oynadık, tebrikler çocuklar.",
    "Bu aptal yorumları kim yazıyor böyle?",
]
TASK = LanguageTask("tr-task", "tr", TURKISH, np.array([0.0, 1.0, 0.0, 1.0]), "offensive")


def bundle(with_turkish: bool) -> LanguageBundle:
    scorers = {"en": KeywordScorer(DEFAULT_WORDS)}
    if with_turkish:
        scorers["tr"] = KeywordScorer({"aptal": "personal_attack"})
    return LanguageBundle(scorers)


def test_rows_are_routed_to_their_language_and_scored():
    report = evaluate_language_tasks(bundle(True), [TASK])["tr-task"]
    assert report["auc"] == 1.0 and report["unscored"] == 0
    assert report["routed_to_its_model"] == 1.0


def test_a_model_without_the_language_reports_no_task():
    assert evaluate_language_tasks(bundle(False), [TASK]) == {}


def test_the_gate_fails_a_candidate_that_drops_a_language():
    def evaluate(loaded: LoadedModel) -> dict:
        return {"tasks": evaluate_language_tasks(loaded.scorer, [TASK])}

    active = LoadedModel("with-tr", {"thresholds": {}}, bundle(True))
    candidate = LoadedModel("without-tr", {"thresholds": {}}, bundle(False))
    report = run_gate(candidate, active, evaluate, [])
    assert not report["passed"]
    assert report["suite"]["tr-task"]["status"] == "fail"
    assert run_gate(active, candidate, evaluate, [])["suite"]["tr-task"]["status"] == "pass"
