"""The promotion gate: is a candidate model at least as good as the active one?

Both models score the same rows: the evaluation suite's test rows (an
acceptance check, nothing is tuned on them) and the held-out slice of this
site's own labels (:func:`service.retraining.labels.holdout_labels`, never trained on when
the labels were exported with ``--split train``).  The gate compares ROC AUC,
which does not depend on either model's thresholds:

- each suite task: the candidate may trail the active model by at most
  ``SUITE_AUC_TOLERANCE``;
- each category of the site's labels: by at most ``SITE_AUC_TOLERANCE`` (the
  slice is small, so its AUC is noisier), and only once the slice holds at least
  ``SITE_MIN_PER_CLASS`` positives and as many negatives for the category; with
  fewer it is reported, not gated.

AUC alone misses a model that ranks well but whose thresholds moved badly (a
category it would no longer hold for review), so the suite's categories are
also compared at each model's own thresholds: F1 at the review threshold and at
the reject threshold may each fall by at most ``SUITE_F1_TOLERANCE``, for the
categories the suite has at least ``SUITE_MIN_POSITIVES`` positives of.
Precision, recall and F1 on the site's slice are reported, not gated (too few rows).

The gate runs in the CLI process (``flask models promote``); the web process
never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from service.moderation.bundle import score_languages
from service.moderation.loader import LoadedModel
from service.moderation.types import CATEGORIES
from service.retraining.labels import Label, label_language
from service.retraining.measures import at_threshold, auc

SUITE_AUC_TOLERANCE = 0.005
SITE_AUC_TOLERANCE = 0.02
SITE_MIN_PER_CLASS = 5
SUITE_F1_TOLERANCE = 0.05
SUITE_MIN_POSITIVES = 50
BATCH = 500


@dataclass(frozen=True)
class Task:
    """One task of the suite: texts, 0/1 truth, and the categories whose highest score is used."""

    name: str
    texts: Sequence[str]
    truth: Sequence[int]
    categories: tuple[str, ...]


def score_texts(
    model: LoadedModel, texts: Sequence[str], languages: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Every category's score for ``texts``, one array per category.

    With ``languages``, each text is scored by its language's model, as the service
    judges it; a text whose language has no model in the version scores NaN (the
    service holds it unread), and a category its model cannot score, 0.
    """
    columns: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    for start in range(0, len(texts), BATCH):
        batch = list(texts[start : start + BATCH])
        if languages is None:
            scorings = model.scorer.score_batch(batch)
        else:
            scorings = score_languages(model.scorer, batch, languages[start : start + BATCH])
        for scoring in scorings:
            for category in CATEGORIES:
                value = np.nan if scoring is None else scoring.scores.get(category, 0.0)
                columns[category].append(float(value))
    return {c: np.asarray(v) for c, v in columns.items()}


def _compare(candidate: float | None, active: float | None, tolerance: float) -> tuple[str, float]:
    if candidate is None:
        return "not gated", 0.0
    if active is None:
        return "pass", 0.0
    delta = round(candidate - active, 4)
    return ("pass" if delta >= -tolerance else "fail"), delta


SuiteEvaluator = Callable[[LoadedModel], dict]


def task_evaluator(tasks: Sequence[Task]) -> SuiteEvaluator:
    """An evaluator over plain tasks, shaped like ``training.evaluate.evaluate_suite``'s report."""
    texts = sorted({text for task in tasks for text in task.texts})
    index = {text: i for i, text in enumerate(texts)}

    def evaluate(model: LoadedModel) -> dict:
        scores = score_texts(model, texts)
        report: dict = {"tasks": {}}
        for task in tasks:
            rows = np.fromiter((index[t] for t in task.texts), np.int64, len(task.texts))
            truth = np.asarray(task.truth, dtype=bool)
            best = np.max([scores[c][rows] for c in task.categories], axis=0)
            report["tasks"][task.name] = {
                "rows": len(task.texts),
                "positives": int(truth.sum()),
                "auc": auc(truth, best),
            }
        return report

    return evaluate


def _suite_section(
    evaluate: SuiteEvaluator,
    candidate: LoadedModel,
    active: LoadedModel | None,
    say: Callable[[str], None],
) -> tuple[dict[str, dict], dict[str, dict]]:
    # each model reads every test row: minutes on two cores, so say which one is at it
    say(f"scoring the evaluation suite with the candidate {candidate.version}")
    reports = {"candidate": evaluate(candidate)}
    if active is not None:
        say(f"scoring the evaluation suite with the active {active.version}")
        reports["active"] = evaluate(active)
    section = {}
    active_tasks = reports["active"]["tasks"] if active is not None else {}
    for name, entry in active_tasks.items():
        if name not in reports["candidate"]["tasks"]:
            # a task (a language) the active model scores and the candidate cannot
            section[name] = {
                "rows": entry["rows"],
                "positives": entry["positives"],
                "candidate_auc": None,
                "active_auc": entry["auc"],
                "delta": -(entry["auc"] or 0.0),
                "status": "fail",
            }
    for name, entry in reports["candidate"]["tasks"].items():
        active_auc = active_tasks.get(name, {}).get("auc")
        status, delta = _compare(entry["auc"], active_auc, SUITE_AUC_TOLERANCE)
        section[name] = {
            "rows": entry["rows"],
            "positives": entry["positives"],
            "candidate_auc": entry["auc"],
            "active_auc": active_auc,
            "delta": delta,
            "status": status,
        }
    return section, reports


def _threshold_section(reports: dict[str, dict]) -> dict[str, dict]:
    """F1 at each model's review and reject thresholds, per suite category, compared."""
    if "active" not in reports or "categories" not in reports["candidate"]:
        return {}
    section = {}
    for category, entry in reports["candidate"]["categories"].items():
        positives = entry["review"].get("positives", 0)
        if positives < SUITE_MIN_POSITIVES:
            continue
        row: dict = {"positives": positives, "status": "pass"}
        for kind in ("review", "reject"):
            ours = entry[kind]["f1"]
            theirs = reports["active"]["categories"][category][kind]["f1"]
            delta = round(ours - theirs, 4)
            row[f"{kind}_f1"] = {"candidate": ours, "active": theirs, "delta": delta}
            if delta < -SUITE_F1_TOLERANCE:
                row["status"] = "fail"
        section[category] = row
    return section


def _site_section(
    labels: Sequence[Label], candidate: LoadedModel, active: LoadedModel | None
) -> dict[str, dict]:
    texts = [label.text for label in labels]
    languages = [label_language(label) for label in labels]
    pairs = (("candidate", candidate), ("active", active))
    models = {who: model for who, model in pairs if model is not None}
    scored = {who: score_texts(model, texts, languages) for who, model in models.items()}
    section = {}
    for category in CATEGORIES:
        known = np.array([category in label.labels for label in labels], dtype=bool)
        # rows a model of either version read (a language without one is held unread)
        for scores in scored.values():
            known &= ~np.isnan(scores[category])
        truth = np.array([label.labels.get(category) == 1 for label in labels], dtype=bool)
        truth = truth[known]
        positives, negatives = int(truth.sum()), int((~truth).sum())
        entry: dict = {"rows": int(known.sum()), "positives": positives}
        for who, model in models.items():
            scores = scored[who][category][known]
            limits = model.thresholds.get(category, {})
            entry[who] = {"auc": auc(truth, scores)}
            for kind in ("reject", "review"):
                if kind in limits and truth.size:
                    entry[who][kind] = at_threshold(truth, scores, float(limits[kind]))
        if min(positives, negatives) < SITE_MIN_PER_CLASS:
            entry["status"], entry["delta"] = "not gated", 0.0
        else:
            entry["status"], entry["delta"] = _compare(
                entry["candidate"]["auc"],
                entry["active"]["auc"] if active is not None else None,
                SITE_AUC_TOLERANCE,
            )
        section[category] = entry
    return section


def run_gate(
    candidate: LoadedModel,
    active: LoadedModel | None,
    evaluate: SuiteEvaluator | None,
    site_labels: Sequence[Label],
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Compare ``candidate`` with ``active`` and return the report (``report["passed"]``).

    ``evaluate`` scores one model on the suite (``training.gate_suite`` wraps
    ``training.evaluate``); None means the suite could not be loaded, and the
    gate then fails, since nothing shows the candidate is not worse.  The full
    suite reports of both models (per-category precision, recall and F1 at their
    thresholds, the committed test sets) are kept under ``suite_reports``.
    """
    say = progress or (lambda _: None)
    report: dict = {
        "candidate": candidate.version,
        "active": active.version if active else None,
        "tolerance": {
            "suite_auc": SUITE_AUC_TOLERANCE,
            "site_auc": SITE_AUC_TOLERANCE,
            "site_min_per_class": SITE_MIN_PER_CLASS,
            "suite_f1": SUITE_F1_TOLERANCE,
            "suite_min_positives": SUITE_MIN_POSITIVES,
        },
        "suite": None,
        "site": {"rows": len(site_labels), "categories": {}},
    }
    failures: list[str] = []
    if evaluate is None:
        failures.append("the evaluation suite could not be loaded")
    else:
        report["suite"], report["suite_reports"] = _suite_section(evaluate, candidate, active, say)
        failures += [
            f"suite {name}: AUC {e['candidate_auc']} vs active {e['active_auc']} "
            f"(delta {e['delta']:+.4f}, tolerance {SUITE_AUC_TOLERANCE})"
            for name, e in report["suite"].items()
            if e["status"] == "fail"
        ]
        report["suite_thresholds"] = _threshold_section(report["suite_reports"])
        failures += [
            f"suite {category}: F1 at the {kind} threshold {e[kind + '_f1']['candidate']} vs "
            f"active {e[kind + '_f1']['active']} (delta {e[kind + '_f1']['delta']:+.4f}, "
            f"tolerance {SUITE_F1_TOLERANCE})"
            for category, e in report["suite_thresholds"].items()
            for kind in ("review", "reject")
            if e[kind + "_f1"]["delta"] < -SUITE_F1_TOLERANCE
        ]
    if site_labels:
        say(f"scoring the site's held-out labels ({len(site_labels)} rows)")
        report["site"]["categories"] = _site_section(site_labels, candidate, active)
        failures += [
            f"site {category}: AUC {e['candidate']['auc']} vs active {e['active']['auc']} "
            f"(delta {e['delta']:+.4f}, tolerance {SITE_AUC_TOLERANCE})"
            for category, e in report["site"]["categories"].items()
            if e["status"] == "fail"
        ]
    report["failures"] = failures
    report["passed"] = not failures
    return report


def format_report(report: dict) -> list[str]:
    """The report as lines for a terminal."""
    lines = [f"gate: candidate {report['candidate']} vs active {report['active'] or 'none'}"]
    if report["suite"] is not None:
        lines.append(f"  {'suite task':<22}{'rows':>6}{'candidate':>11}{'active':>9}{'delta':>9}")
        for name, e in report["suite"].items():
            lines.append(
                f"  {name:<22}{e['rows']:>6}{_num(e['candidate_auc']):>11}"
                f"{_num(e['active_auc']):>9}{e['delta']:>+9.4f}  {e['status']}"
            )
    if report.get("suite_thresholds"):
        lines.append(
            f"  {'suite category':<22}{'pos':>6}{'review F1 cand/act':>21}{'reject F1':>17}"
        )
        for category, e in report["suite_thresholds"].items():
            review, reject = e["review_f1"], e["reject_f1"]
            lines.append(
                f"  {category:<22}{e['positives']:>6}"
                f"{_num(review['candidate']):>12}/{_num(review['active'])}"
                f"{_num(reject['candidate']):>10}/{_num(reject['active'])}  {e['status']}"
            )
    site = report["site"]
    lines.append(f"  site held-out labels: {site['rows']} rows")
    if site["categories"]:
        lines.append(f"  {'category':<22}{'rows':>6}{'pos':>5}{'cand AUC':>10}{'act AUC':>9}")
        for category, e in site["categories"].items():
            active = e.get("active", {}).get("auc")
            lines.append(
                f"  {category:<22}{e['rows']:>6}{e['positives']:>5}"
                f"{_num(e['candidate']['auc']):>10}{_num(active):>9}  {e['status']}"
            )
    for failure in report["failures"]:
        lines.append(f"  FAIL {failure}")
    lines.append("gate: " + ("passed" if report["passed"] else "refused"))
    return lines


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"
