"""Evidence against TOXICSPANS's raters: SemEval-2021 Task 5 character F1.

Each post of a TOXICSPANS split (``civil-comments-toxic-spans/``; ``test`` by default)
is judged as the service judges a comment, in process: the policy of the version's card
(no operator overrides; mild expletives blanked for the model, as the default policy
allows them), the version's ``score_batch``, ``decide``. The predicted characters are
those of the verdict's evidence spans; an approved comment predicts none (evidence for
the encoder's part may only be shown for comments that are not approved).

The gold characters of a post are those that at least half of its raters marked
(``spans_json``, any span type; a rater's spans are united first). Per post, the
character F1 of prediction against gold; a post with no gold character scores 1 when
nothing is predicted, else 0 (the task's definition). The figure is the mean over posts.
Issue 14's floor is 0.60 on the test posts; the best SemEval-2021 system reached 0.708
on that task's own test split.

    python bench/evidence_spans.py                   # test rows, the default model
    python bench/evidence_spans.py --split train     # for choosing evidence parameters
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 256


def gold_characters(row: dict[str, str]) -> set[int]:
    """The characters at least half of the post's raters marked."""
    raters: dict[str, set[int]] = {}
    for rater, start, end, _kind in json.loads(row["spans_json"] or "[]"):
        raters.setdefault(str(rater), set()).update(range(int(start), int(end)))
    need = max(int(row["n_raters"]), 1) / 2
    counts: dict[int, int] = {}
    for marked in raters.values():
        for i in marked:
            counts[i] = counts.get(i, 0) + 1
    return {i for i, n in counts.items() if n >= need}


def span_f1(predicted: set[int], gold: set[int]) -> float:
    """SemEval-2021 Task 5 F1 of one post (1.0 when both are empty, 0.0 when one is)."""
    if not gold:
        return 1.0 if not predicted else 0.0
    if not predicted:
        return 0.0
    overlap = len(predicted & gold)
    if not overlap:
        return 0.0
    precision, recall = overlap / len(predicted), overlap / len(gold)
    return 2 * precision * recall / (precision + recall)


def predicted_characters(texts: list[str], models_dir: Path, version: str) -> list[set[int]]:
    """The characters of each verdict's evidence (none for an approved comment)."""
    from service.moderation.loader import load_model
    from service.moderation.policy import APPROVED, decide, scoring_text
    from service.serving.policy_store import build_policy

    model = load_model(models_dir, version)
    policy = build_policy(model.card, {})
    out: list[set[int]] = []
    for start in range(0, len(texts), BATCH):
        chunk = texts[start : start + BATCH]
        scorings = model.scorer.score_batch([scoring_text(t, policy) for t in chunk])
        for text, scoring in zip(chunk, scorings, strict=True):
            verdict = decide(scoring, policy, text)
            chars: set[int] = set()
            if verdict.status != APPROVED and verdict.reason is not None:
                for span in verdict.reason.evidence:
                    chars.update(range(span.start, span.end))
            out.append(chars)
    return out


def report(rows: list[dict[str, str]], predicted: list[set[int]]) -> dict:
    gold = [gold_characters(r) for r in rows]
    scores = [span_f1(p, g) for p, g in zip(predicted, gold, strict=True)]
    with_gold = [s for s, g in zip(scores, gold, strict=True) if g]
    without = [s for s, g in zip(scores, gold, strict=True) if not g]
    return {
        "posts": len(rows),
        "f1": round(sum(scores) / len(scores), 4) if scores else None,
        "posts_with_gold": len(with_gold),
        "f1_posts_with_gold": round(sum(with_gold) / len(with_gold), 4) if with_gold else None,
        "posts_without_gold": len(without),
        "f1_posts_without_gold": round(sum(without) / len(without), 4) if without else None,
        "predicted_nonempty": sum(1 for p in predicted if p),
    }


def main(argv: list[str] | None = None) -> int:
    from service.config import DEFAULT_DATA_DIR
    from service.moderation.loader import default_version
    from training.toxicspans import read_rows

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--models-dir", type=Path, default=ROOT / "models")
    parser.add_argument("--version", default=None, help="model version (default: models/DEFAULT)")
    parser.add_argument("--split", choices=("test", "train"), default="test")
    parser.add_argument("--sample", type=int, default=None, help="only the first N posts")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    version = args.version or default_version(args.models_dir)
    if not version:
        raise SystemExit(f"no --version given and no {args.models_dir}/DEFAULT")
    rows = read_rows(args.data_dir, args.split)[: args.sample]
    started = time.perf_counter()
    predicted = predicted_characters([r["text"] for r in rows], args.models_dir, version)
    result = report(rows, predicted) | {
        "version": version,
        "split": args.split,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"TOXICSPANS {args.split}, model {version}: character F1 {result['f1']:.4f}")
    print(
        f"  {result['posts_with_gold']} posts with gold spans: F1 {result['f1_posts_with_gold']}; "
        f"{result['posts_without_gold']} without: F1 {result['f1_posts_without_gold']}; "
        f"evidence shown for {result['predicted_nonempty']} posts ({result['seconds']} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
