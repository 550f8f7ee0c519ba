"""The evaluation suite (issue 4's table, ``training.evaluate``) as the promotion gate's evaluator.

Used by ``flask models promote`` in the CLI process only: the web process never
imports ``training``.  Each model is scored directly through its verified
``score_batch`` (the same object the service would serve), on the suite's test
rows and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from service.moderation.loader import LoadedModel
from service.retraining.gate import SuiteEvaluator

from .evaluate import evaluate_suite, load_suite, scores_of
from .language_suite import evaluate_language_tasks, load_language_tasks


def suite_evaluator(data_dir: Path) -> SuiteEvaluator:
    """Read the suite once; the returned callable evaluates one model on it: the English
    tasks and each language's test rows (language detected, as the service does)."""
    suite = load_suite(Path(data_dir))
    language_tasks = load_language_tasks(Path(data_dir))

    def evaluate(model: LoadedModel) -> dict:
        report = evaluate_suite(scores_of(model), suite, model.thresholds)
        report["tasks"].update(
            evaluate_language_tasks(model.scorer, language_tasks, model.card.get("languages"))
        )
        return report

    return evaluate
