"""Our own sentences in the site's languages, through ``POST /api/v1/moderate``.

Sends every row of ``training/suites/languages.csv`` without a language tag (the
service detects it) to the endpoint of an in-process app serving one model version
(the default unless ``--version``), and prints per expected language:

- ``detected``: the share whose ``detected_language`` is the expected language
  (``routed``: the same for ``language``, what routing used);
- ``unread``: the share held unread with reason ``unsupported_language`` (Sorani,
  Kurmanji and Persian under the default ``hold`` policy: their ``approve`` rows
  are held by design);
- ``decision``: of the rows a model read (``read``), the share decided as the row
  expects (``approve`` approved, ``not_approve`` rejected or held for review);
- ``reason``: of the ``not_approve`` rows a model read and decided so, the share
  whose reason code is the row's category;

then every row a model read whose decision or reason missed, with what the service
said.  It is an evaluation set: nothing is fitted, tuned or picked on it.

    .venv/bin/python bench/language_sentences.py [--version v20261202-1] [--suite FILE] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_scoring import api_client  # noqa: E402
from service.moderation.loader import default_version  # noqa: E402

SUITE = ROOT / "training" / "suites" / "languages.csv"
MODELS = ROOT / "models"


def load_rows(path: Path = SUITE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _code(result: dict) -> str | None:
    return (result["reason"] or {}).get("code")


def decision_fits(expected: str, decision: str) -> bool:
    return decision == "approve" if expected == "approve" else decision in ("reject", "review")


def measure(rows: list[dict[str, str]], results: list[dict]) -> dict[str, dict]:
    """Per expected language: rows, detected, routed, decision and reason shares, misses."""
    by = defaultdict(list)
    detected, routed = defaultdict(int), defaultdict(int)
    for row, result in zip(rows, results, strict=True):
        by[row["language"]].append((row, result))
        detected[row["language"]] += result["detected_language"] == row["language"]
        routed[row["language"]] += result["language"] == row["language"]
    report = {}
    for language, pairs in by.items():
        n = len(pairs)
        unread = sum(_code(res) == "unsupported_language" for _, res in pairs)
        pairs = [(r, res) for r, res in pairs if _code(res) != "unsupported_language"]
        fits = [decision_fits(r["expected"], res["decision"]) for r, res in pairs]
        flagged = [
            (r, res)
            for (r, res), fit in zip(pairs, fits, strict=True)
            if fit and r["expected"] != "approve"
        ]
        reason_fits = [_code(res) == r["category"] for r, res in flagged]
        misses = [
            {
                "text": r["text"],
                "expected": r["expected"],
                "category": r["category"],
                "decision": res["decision"],
                "reason": _code(res),
                "detected_language": res["detected_language"],
            }
            for (r, res), fit in zip(pairs, fits, strict=True)
            if not fit or (r["expected"] != "approve" and _code(res) != r["category"])
        ]
        report[language] = {
            "rows": n,
            "detected": detected[language] / n,
            "routed": routed[language] / n,
            "unread": unread / n,
            "read": len(fits),
            "decision": sum(fits) / len(fits) if fits else None,
            "reason": sum(reason_fits) / len(reason_fits) if reason_fits else None,
            "reason_rows": len(reason_fits),
            "misses": misses,
        }
    return report


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", help="model version (default: models/DEFAULT)")
    parser.add_argument("--models-dir", type=Path, default=MODELS)
    parser.add_argument(
        "--suite",
        type=Path,
        default=SUITE,
        help="sentences to send (default training/suites/languages.csv; "
        "languages_heldout_2.csv is a set written blind to the Arabic and Turkish patterns "
        "and training comments, languages_political.csv one of political comments)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a policy setting first, as `flask --app service policy set` takes it "
        "(e.g. language.ckb=approve_unless_terms); repeatable",
    )
    parser.add_argument(
        "--default-terms",
        action="store_true",
        help="import the shipped term lists first (`flask --app service terms import --defaults`)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    rows = load_rows(args.suite)
    version = args.version or default_version(args.models_dir)
    with api_client(args.models_dir, version, args.set, args.default_terms) as moderate:
        results = moderate([{"text": r["text"]} for r in rows])
    report = measure(rows, results)
    if args.json:
        print(json.dumps({"model_version": version, "languages": report}, ensure_ascii=False))
        return 0
    print(f"model {version}, {len(rows)} sentences, policy {' '.join(args.set) or 'default'}")
    print(
        f"{'language':9} {'rows':>4} {'detected':>9} {'routed':>7} {'unread':>7} "
        f"{'read':>4} {'decision':>9} {'reason':>12}"
    )
    for language, entry in report.items():
        reason = f"{_pct(entry['reason'])} of {entry['reason_rows']}"
        print(
            f"{language:9} {entry['rows']:>4} {_pct(entry['detected']):>9} "
            f"{_pct(entry['routed']):>7} {_pct(entry['unread']):>7} "
            f"{entry['read']:>4} {_pct(entry['decision']):>9} {reason:>12}"
        )
    for language, entry in report.items():
        for miss in entry["misses"]:
            print(
                f"  {language} expected {miss['expected']} {miss['category'] or ''}: "
                f"{miss['decision']} {miss['reason'] or ''} "
                f"(detected {miss['detected_language']}) {miss['text']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
