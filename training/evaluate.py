"""The evaluation suite: the test rows of the corpora and our own sets, scored in process.

Reusable pieces (the retraining gate compares two models with them)::

    suite = load_suite(data_dir)                    # 10,932 test texts and their labels
    with direct_score_fn(models_dir, version) as score_fn:
        report = evaluate_suite(score_fn, suite, thresholds=card["thresholds"])
    report["tasks"]["olid-offensive"]["auc"]

``score_fn(texts) -> list[dict[category, float]]`` is the only thing the suite
needs from a model: :func:`scores_of` wraps a loaded model's verified
``score_batch``, the object the service serves. Scoring through the HTTP API,
for benchmarks, is ``bench/api_scoring.py``'s. Our own committed sets live in
``training/suites/`` (:data:`SUITES`), beside the code that reads them.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.moderation.loader import (
    LoadedModel,
    default_version,
    load_model,
    read_card,
    version_dir,
)
from service.moderation.policy import APPROVED
from service.moderation.types import CATEGORIES, TOXIC_CATEGORIES
from service.serving.policy_store import build_policy

from .data import davidson, jigsaw, olid_test, sms
from .guidelines import (
    HELDOUT_SETS,
    Row,
    guideline_report,
    judge_rows,
    load_guidelines,
    print_guideline_report,
)
from .language_suite import evaluate_language_tasks, load_language_tasks
from .metrics import auc, category_report, macro_f1

ScoreFn = Callable[[list[str]], list[dict[str, float]]]
BATCH = 1000
CORES = len(os.sched_getaffinity(0))  # batch scoring runs the encoder on each of them
SUITES = Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True)
class Task:
    """One row of the suite table: which texts, which positives, which score."""

    name: str
    rows: np.ndarray  # indices into Suite.texts
    y: np.ndarray  # 0/1
    score: str  # a category, or "toxic" for the highest of the five toxicity categories


@dataclass(frozen=True)
class Suite:
    texts: list[str]
    labels: np.ndarray  # per text and category: 1, 0 or nan (see training.data)
    sources: np.ndarray  # corpus of each text
    tasks: tuple[Task, ...]
    files: tuple[Path, ...]


def load_suite(data_dir: Path) -> Suite:
    """The suite's rows: OLID level A test, Davidson test, Jigsaw test, SMS test."""
    data_dir = Path(data_dir)
    olid, olid_a = olid_test(data_dir)
    dav = davidson(data_dir, "test")
    jig = jigsaw(data_dir, "test")
    spam = sms(data_dir, "test")
    texts, labels, sources = [], [], []
    offsets = {}
    for corpus in (olid, dav, jig, spam):
        offsets[corpus.name] = len(texts)
        texts += corpus.texts
        labels.append(corpus.labels)
        sources += [corpus.name] * len(corpus)

    def rows(corpus):
        return np.arange(offsets[corpus.name], offsets[corpus.name] + len(corpus))

    # Davidson's test labels are hard: abuse is class 0, profanity class 0 or 1 (training.data)
    profanity, abuse = CATEGORIES.index("profanity"), CATEGORIES.index("abuse")
    tasks = (
        Task("olid-offensive", rows(olid), np.array([a == "OFF" for a in olid_a], float), "toxic"),
        Task("davidson-hate", rows(dav), dav.labels[:, abuse], "abuse"),
        Task("davidson-offensive", rows(dav), dav.labels[:, profanity], "toxic"),
        Task("jigsaw-toxic", rows(jig), jig.labels[:, profanity], "toxic"),
        Task(
            "sms-promotion", rows(spam), spam.labels[:, CATEGORIES.index("promotion")], "promotion"
        ),
    )
    files = tuple(p for c in (olid, dav, jig, spam) for p in c.files)
    return Suite(texts, np.vstack(labels), np.array(sources), tasks, files)


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a test-set file, without '#' comments."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def score_matrix(score_fn: ScoreFn, texts: list[str]) -> np.ndarray:
    """Scores (n, categories); a category the answer leaves out (a text routed to a language
    whose model cannot score it, or held unread) counts 0."""
    out = np.empty((len(texts), len(CATEGORIES)))
    for start in range(0, len(texts), BATCH):
        batch = score_fn(texts[start : start + BATCH])
        for i, scores in enumerate(batch):
            out[start + i] = [scores.get(c, 0.0) for c in CATEGORIES]
    return out


def flagged(scores: np.ndarray, thresholds: dict, level: str = "review") -> np.ndarray:
    """Rows where some category is above its threshold (held or rejected by the policy)."""
    limits = np.array([thresholds[c][level] for c in CATEGORIES])
    return (scores > limits).any(axis=1)


def evaluate_suite(
    score_fn: ScoreFn,
    suite: Suite,
    thresholds: dict[str, dict[str, float]],
    suites_dir: Path = SUITES,
) -> dict:
    """AUC per task, P/R/F1 per category at ``thresholds``, and the committed test sets."""
    scores = score_matrix(score_fn, suite.texts)
    toxic = scores[:, [CATEGORIES.index(c) for c in TOXIC_CATEGORIES]].max(axis=1)
    report: dict = {"tasks": {}, "categories": {}}
    for task in suite.tasks:
        s = (
            toxic[task.rows]
            if task.score == "toxic"
            else scores[task.rows, CATEGORIES.index(task.score)]
        )
        report["tasks"][task.name] = {
            "rows": len(task.rows),
            "positives": int(task.y.sum()),
            "auc": auc(task.y, s),
        }
    for j, category in enumerate(CATEGORIES):
        report["categories"][category] = category_report(
            suite.labels[:, j], scores[:, j], thresholds[category]
        )
    olid = next(t for t in suite.tasks if t.name == "olid-offensive")
    held = flagged(scores[olid.rows], thresholds, "review").astype(float)
    rejected = flagged(scores[olid.rows], thresholds, "reject").astype(float)
    report["olid_macro_f1"] = {
        "not_approved": macro_f1(olid.y, held, 0.5),
        "rejected": macro_f1(olid.y, rejected, 0.5),
        "bert_offenseval_2019_winner": 0.829,
    }
    not_spam = np.isin(suite.sources, ("olid-test", "davidson-test", "jigsaw-test"))
    promo = scores[not_spam, CATEGORIES.index("promotion")]
    report["promotion_false_positives_on_other_corpora"] = {
        "rows": int(not_spam.sum()),
        "review_rate": round(float((promo > thresholds["promotion"]["review"]).mean()), 4),
        "reject_rate": round(float((promo > thresholds["promotion"]["reject"]).mean()), 4),
    }
    report["test_sets"] = evaluate_test_sets(score_fn, thresholds, suites_dir)
    return report


def evaluate_test_sets(score_fn: ScoreFn, thresholds: dict, suites_dir: Path = SUITES) -> dict:
    """Flagged rates on our own sets: evasions and group abuse (should be 1), innocent
    texts with swear-like substrings, neutral group statements, neutral identity
    sentences and plain neutral text (should be low)."""
    out = {}
    names = ("evasions", "group_abuse", "innocent", "group_neutral", "identity_neutral", "neutral")
    for name in names:
        path = Path(suites_dir) / f"{name}.txt"
        if not path.exists():
            continue
        lines = read_lines(path)
        hit = flagged(score_matrix(score_fn, lines), thresholds, "review")
        out[name] = {
            "rows": len(lines),
            "flagged_rate": round(float(hit.mean()), 4),
            "flagged": [t for t, h in zip(lines, hit, strict=True) if h][:10],
        }
    return out


def neutral_fairness(score_batch, policy, suites_dir: Path = SUITES) -> dict:
    """How often neutral sentences about identities are not approved, beside plain neutral
    sentences, by the service's decision (the policy of the card, as the guideline suite is
    judged). The issue's bar: at most 2 percentage points more often."""
    rates = {}
    for name in ("identity_neutral", "neutral"):
        lines = read_lines(Path(suites_dir) / f"{name}.txt")
        rows = [Row(text, "approve", "", name) for text in lines]
        verdicts = judge_rows(score_batch, policy, rows)
        held = [t for t, v in zip(lines, verdicts, strict=True) if v.status != APPROVED]
        rates[name] = {"rows": len(lines), "not_approved": round(len(held) / len(lines), 4)}
        rates[name]["examples"] = held[:5]
    gap = rates["identity_neutral"]["not_approved"] - rates["neutral"]["not_approved"]
    return {**rates, "gap_percentage_points": round(100 * gap, 1)}


# --- score functions --------------------------------------------------------------------
def scores_of(model: LoadedModel) -> ScoreFn:
    """A score function over a loaded model's own ``score_batch`` (no Flask)."""

    def score_fn(texts: list[str]) -> list[dict[str, float]]:
        return [scoring.scores for scoring in model.scorer.score_batch(texts)]

    return score_fn


@contextlib.contextmanager
def direct_score_fn(models_dir: Path, version: str) -> Iterator[ScoreFn]:
    """Score with the model's own ``score_batch`` (no Flask)."""
    yield scores_of(load_model(Path(models_dir), version, encoder_threads=CORES))


def print_report(report: dict, version: str) -> None:
    print(f"model {version}")
    print(f"{'task':22} {'rows':>6} {'pos':>6} {'ROC AUC':>8}")
    for name, t in report["tasks"].items():
        value = f"{t['auc']:>8.4f}" if t["auc"] is not None else "     n/a"
        extra = f"  ({t['unscored']} held unread)" if t.get("unscored") else ""
        if "macro_f1_at_review" in t:
            extra += f"  macro-F1 at review {t['macro_f1_at_review']:.3f}"
        print(f"{name:22} {t['rows']:>6} {t['positives']:>6} {value}{extra}")
    print()
    print(f"{'category':16} {'rows':>6} {'pos':>5} {'AUC':>7}  review P/R/F1       reject P/R/F1")
    for c, r in report["categories"].items():
        rv, rj = r["review"], r["reject"]
        a = f"{r['auc']:.4f}" if r["auc"] is not None else "   n/a"
        print(
            f"{c:16} {rv['rows']:>6} {rv['positives']:>5} {a:>7}  "
            f"{rv['precision']:.3f}/{rv['recall']:.3f}/{rv['f1']:.3f}  "
            f"{rj['precision']:.3f}/{rj['recall']:.3f}/{rj['f1']:.3f}"
        )
    m = report["olid_macro_f1"]
    print(
        f"\nOLID level A macro-F1: {m['not_approved']:.4f} (not approved), {m['rejected']:.4f} "
        f"(rejected); OffensEval 2019 winner (BERT) {m['bert_offenseval_2019_winner']}"
    )
    p = report["promotion_false_positives_on_other_corpora"]
    print(
        f"promotion false positives on {p['rows']} OLID/Davidson/Jigsaw test rows: "
        f"review {p['review_rate']:.2%}, reject {p['reject_rate']:.2%}"
    )
    for name, t in report["test_sets"].items():
        print(
            f"training/suites/{name}.txt: {t['rows']} lines, flagged {t['flagged_rate']:.1%}"
            + (f"  e.g. {t['flagged'][:3]}" if name != "evasions" and t["flagged"] else "")
        )


def main(args) -> int:
    version = args.version or default_version(args.models_dir)
    if not version:
        raise SystemExit(f"no --version given and no {args.models_dir}/DEFAULT")
    card = read_card(args.models_dir, version)
    suite = load_suite(args.data_dir)
    model = load_model(Path(args.models_dir), version, encoder_threads=CORES)
    report = evaluate_suite(scores_of(model), suite, card["thresholds"])
    report["tasks"].update(
        evaluate_language_tasks(
            model.scorer, load_language_tasks(args.data_dir), card.get("languages")
        )
    )
    policy = build_policy(card, {})
    report["guidelines"] = guideline_report(model.scorer.score_batch, policy, load_guidelines())
    for key, path, _ in HELDOUT_SETS:
        report[key] = guideline_report(model.scorer.score_batch, policy, load_guidelines(path))
    report["fairness"] = neutral_fairness(model.scorer.score_batch, policy)
    report["through"] = "score_batch"
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report, version)
        print_guideline_report(report["guidelines"])
        for key, _, title in HELDOUT_SETS:
            print_guideline_report(report[key], title)
        fair = report["fairness"]
        print(
            f"\nnot approved: neutral identity sentences "
            f"{fair['identity_neutral']['not_approved']:.1%}, plain neutral sentences "
            f"{fair['neutral']['not_approved']:.1%} "
            f"(gap {fair['gap_percentage_points']:+.1f} points; at most +2)"
        )
    if args.update_card:
        path = version_dir(Path(args.models_dir), version) / "card.json"
        card.setdefault("metrics", {})["suite"] = {
            k: report[k]
            for k in (
                "tasks",
                "categories",
                "olid_macro_f1",
                "promotion_false_positives_on_other_corpora",
                "test_sets",
                "guidelines",
                *(key for key, _, _ in HELDOUT_SETS),
                "fairness",
            )
        }
        path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return 0
