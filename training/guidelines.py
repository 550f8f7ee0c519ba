"""The guideline suite: our own comments with the decision a news moderator expects.

``training/suites/guidelines.csv`` (columns ``text, expected, category,
functionality``) is read by ``python -m training evaluate``, the promotion gate
and the tests. Each row is judged as the service judges an English comment with no
term lists and no article: the model's scoring (of the text with mild expletives
blanked, as the default policy allows them, and cited links hidden), promotion judged
by intent beside a contact (:mod:`service.moderation.promotion`), then the policy
built from the model's card (no operator overrides).

``expected`` is ``approve``, ``hold``, ``reject``, ``not_approve`` (held or
rejected) or ``either`` (approved or held, never rejected). A row is *right*
when the decision fits and, for a comment that is not approved and names a
category, the reason's code is that category.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service.moderation.policy import (
    APPROVED,
    ENGLISH,
    PENDING,
    REJECTED,
    Policy,
    Verdict,
    decide,
    scoring_text,
)
from service.moderation.promotion import PROMOTION, adjusted, scoring_copy, signals
from service.moderation.types import Scoring

GUIDELINES = Path(__file__).resolve().parent / "suites" / "guidelines.csv"
# written blind by a helper who read neither the rules nor the suite: never tuned on
GUIDELINES_HELDOUT = GUIDELINES.with_name("guidelines_heldout.csv")
# the implicit kinds (sarcasm, veiled threats, stereotypes, negated abuse) and their hard
# negatives, written blind by another helper when our own training comments were added
GUIDELINES_IMPLICIT = GUIDELINES.with_name("guidelines_heldout_implicit.csv")
# sexual harassment in ordinary words and its look-alikes, written blind to the English
# harassment patterns (rules.VULGAR_PATTERNS) of 2026-12-07
GUIDELINES_HARASSMENT = GUIDELINES.with_name("guidelines_heldout_harassment.csv")
# veiled threats and their look-alikes, written blind while veiled-threat patterns were
# tried (2026-12-07; reverted: they rejected innocent comments)
GUIDELINES_VEILED = GUIDELINES.with_name("guidelines_heldout_veiled.csv")
# the held-out sets `python -m training evaluate` reports: (report key, file, title)
HELDOUT_SETS = (
    ("guidelines_heldout", GUIDELINES_HELDOUT, "held-out guideline set"),
    ("guidelines_implicit", GUIDELINES_IMPLICIT, "held-out implicit set"),
    ("guidelines_harassment", GUIDELINES_HARASSMENT, "held-out harassment set"),
    ("guidelines_veiled", GUIDELINES_VEILED, "held-out veiled-threat set"),
)
ALLOWED = {
    "approve": {APPROVED},
    "hold": {PENDING},
    "reject": {REJECTED},
    "not_approve": {PENDING, REJECTED},
    "either": {APPROVED, PENDING},
}
BATCH = 256


@dataclass(frozen=True)
class Row:
    text: str
    expected: str
    category: str
    functionality: str


def load_guidelines(path: Path = GUIDELINES) -> list[Row]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = [Row(**{k: v or "" for k, v in r.items()}) for r in csv.DictReader(handle)]
    unknown = {r.expected for r in rows} - ALLOWED.keys()
    if unknown:
        raise ValueError(f"{path}: unknown expected values {sorted(unknown)}")
    return rows


def is_right(row: Row, verdict: Verdict) -> tuple[bool, bool]:
    """(the decision fits, the decision and the reason's category both fit)."""
    decision = verdict.status in ALLOWED[row.expected]
    if not decision or verdict.status == APPROVED or not row.category:
        return decision, decision
    return decision, verdict.reason is not None and verdict.reason.code == row.category


def judge_rows(
    score_batch: Callable[[list[str]], list[Scoring]], policy: Policy, rows: list[Row]
) -> list[Verdict]:
    verdicts: list[Verdict] = []
    for start in range(0, len(rows), BATCH):
        texts = [r.text for r in rows[start : start + BATCH]]
        found = [signals(t, ENGLISH) for t in texts]
        copies = [
            scoring_text(scoring_copy(t, f), policy) for t, f in zip(texts, found, strict=True)
        ]
        limits = policy.thresholds_for(ENGLISH)[PROMOTION]
        verdicts += [
            decide(adjusted(s, f, limits.review, limits.reject), policy, t)
            for s, f, t in zip(score_batch(copies), found, texts, strict=True)
        ]
    return verdicts


def guideline_report(
    score_batch: Callable[[list[str]], list[Scoring]], policy: Policy, rows: list[Row]
) -> dict:
    """Accuracy per functionality (decision only, and decision with its category) and the
    rows that went wrong."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    wrong: dict[str, list[dict]] = defaultdict(list)
    for row, verdict in zip(rows, judge_rows(score_batch, policy, rows), strict=True):
        decision, both = is_right(row, verdict)
        tally = counts[row.functionality]
        tally[0] += 1
        tally[1] += decision
        tally[2] += both
        if not both:
            code = verdict.reason.code if verdict.reason else None
            wrong[row.functionality].append(
                {"text": row.text, "expected": row.expected, "got": verdict.status, "code": code}
            )
    per = {
        name: {
            "rows": n,
            "decision_accuracy": round(d / n, 4),
            "accuracy": round(b / n, 4),
            "wrong": wrong[name],
        }
        for name, (n, d, b) in sorted(counts.items())
    }
    total = sum(v["rows"] for v in per.values())
    right = sum(round(v["accuracy"] * v["rows"]) for v in per.values())
    return {
        "rows": total,
        "accuracy": round(right / total, 4) if total else None,
        "lowest": min((v["accuracy"] for v in per.values()), default=None),
        "functionalities": per,
    }


def print_guideline_report(report: dict, title: str = "guideline suite") -> None:
    print(f"\n{title} ({report['rows']} rows): {report['accuracy']:.1%} right")
    print(f"{'functionality':28} {'rows':>5} {'decision':>9} {'+reason':>8}")
    for name, f in report["functionalities"].items():
        print(
            f"{name:28} {f['rows']:>5} {f['decision_accuracy']:>9.1%} {f['accuracy']:>8.1%}"
            + (f"  e.g. {f['wrong'][0]['text'][:60]!r}" if f["wrong"] else "")
        )
