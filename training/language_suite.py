"""The languages' test rows, judged as the service judges them: language detected, not sent.

Each row is detected and routed (:mod:`service.moderation.language`), then scored
by the model of the language it was routed to (``und`` by English), as ``judge``
does under the default policy. OFF tasks are scored by the highest toxicity
category the row's scoring has, HS by ``abuse``. Rows routed to a language with no
model are held unread by the service: they are counted (``unscored``) and left
out of the AUC. Used by ``python -m training evaluate`` and the promotion gate,
whose report gains these tasks beside the English ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.moderation.bundle import score_languages, scorers_of
from service.moderation.language import detect_language, routing_language
from service.moderation.policy import BUILT_IN_THRESHOLDS, Policy, scoring_language
from service.moderation.types import TOXIC_CATEGORIES

from .language_models import test_tasks
from .metrics import auc, macro_f1

LANGUAGES = ("tr", "ar")


@dataclass(frozen=True)
class LanguageTask:
    name: str
    language: str
    texts: list[str]
    y: np.ndarray
    label: str  # "offensive" (highest toxicity category) or "hate" (abuse)


def load_language_tasks(data_dir: Path) -> list[LanguageTask]:
    """The test rows of every language that has corpora (none when they are missing)."""
    tasks = []
    for language in LANGUAGES:
        try:
            found = test_tasks(language, Path(data_dir))
        except FileNotFoundError:
            continue
        for name, corpus, label in found:
            tasks.append(LanguageTask(name, language, corpus.texts, corpus.labels[label], label))
    return tasks


def _task_score(scores: dict[str, float], label: str) -> float:
    if label == "hate":
        return scores.get("abuse", 0.0)
    return max((scores[c] for c in TOXIC_CATEGORIES if c in scores), default=0.0)


def evaluate_language_tasks(
    scorer: object, tasks: list[LanguageTask], thresholds: dict | None = None
) -> dict[str, dict]:
    """AUC per task of each language the scorer has a model for (and macro-F1 at the review
    thresholds of the language's card section)."""
    available = scorers_of(scorer).keys()
    policy = Policy(thresholds=BUILT_IN_THRESHOLDS)
    report = {}
    for task in tasks:
        if task.language not in available:
            continue
        routed = [routing_language(detect_language(t), None) for t in task.texts]
        readers = [scoring_language(language, available, policy) for language in routed]
        scorings = score_languages(scorer, task.texts, readers)
        scored = np.array([s is not None for s in scorings])
        score = np.array([_task_score(s.scores, task.label) if s else 0.0 for s in scorings])
        entry = {
            "rows": len(task.texts),
            "positives": int(task.y.sum()),
            "auc": auc(task.y[scored], score[scored]) if scored.any() else None,
            "unscored": int((~scored).sum()),
            "routed_to_its_model": round(float(np.mean([r == task.language for r in readers])), 4),
        }
        limits = ((thresholds or {}).get(task.language) or {}).get("thresholds")
        if limits and scored.any():
            categories = ["abuse"] if task.label == "hate" else TOXIC_CATEGORIES
            flagged = np.array(
                [
                    any(
                        s.scores.get(c, 0.0) > limits[c]["review"]
                        for c in categories
                        if c in limits
                    )
                    for s in scorings
                    if s is not None
                ],
                dtype=float,
            )
            entry["macro_f1_at_review"] = macro_f1(task.y[scored], flagged, 0.5)
        report[task.name] = entry
    return report
