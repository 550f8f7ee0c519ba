"""The evaluation suite (issue 4's table, ``training.evaluate``) as the promotion gate's evaluator.

Used by ``flask models promote`` in the CLI process only: the web process never
imports ``training``.  Each model is scored directly through its verified
``score_batch`` (the same object the service would serve), on the suite's test
rows and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from service.gate import SuiteEvaluator
from service.moderation.loader import LoadedModel

from .evaluate import evaluate_suite, load_suite


def suite_evaluator(data_dir: Path) -> SuiteEvaluator:
    """Read the suite once; the returned callable evaluates one model on it."""
    suite = load_suite(Path(data_dir))

    def evaluate(model: LoadedModel) -> dict:
        def score_fn(texts: list[str]) -> list[dict[str, float]]:
            return [scoring.scores for scoring in model.scorer.score_batch(texts)]

        return evaluate_suite(score_fn, suite, model.thresholds)

    return evaluate
