"""Promotion figures through ``POST /api/v1/moderate``: sources are not adverts.

Prints, for the default model (or ``--version``), in one run:

- our comments that cite a source (``training/suites/sources.csv``, rows ``approve``, in six
  languages): how many are held or rejected *as promotion* (the false-positive rate), and
  how many of its promotion rows (``not_approve``) are caught;
- SMS spam test rows: ROC AUC of the ``promotion`` score, the model's own (``score_batch``)
  against what the API answers after the intent rules;
- YouTube spam, per video: the same two AUCs. The default model saw these rows in
  training, so they show the rules' effect, not a held-out figure (the card's
  leave-one-video-out AUCs are that).

    python bench/promotion.py [--data ../shared/data] [--version v20261202-1]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_scoring import api_client  # noqa: E402
from service.moderation.loader import default_version, load_model  # noqa: E402
from training.data import sms, youtube  # noqa: E402
from training.metrics import auc  # noqa: E402

SOURCES = ROOT / "training" / "suites" / "sources.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--models", type=Path, default=ROOT / "models")
    parser.add_argument("--version", default=None, help="default: models/DEFAULT")
    args = parser.parse_args()
    version = args.version or default_version(args.models)
    model = load_model(args.models, version)

    def own(texts: list[str]) -> list[float]:
        return [s.scores.get("promotion", 0.0) for s in model.scorer.score_batch(texts)]

    with api_client(args.models, version) as moderate:
        rows = list(csv.DictReader(SOURCES.open(encoding="utf-8")))
        results = moderate([{"text": r["text"], "language": r["language"]} for r in rows])
        as_promotion = [(r.get("reason") or {}).get("code") == "promotion" for r in results]
        cites = [p for p, r in zip(as_promotion, rows, strict=True) if r["expected"] == "approve"]
        adverts = [p for p, r in zip(as_promotion, rows, strict=True) if r["expected"] != "approve"]
        print(
            f"sources ({len(cites)} comments citing a source): held or rejected as promotion "
            f"{sum(cites)} ({sum(cites) / len(cites):.1%}); adverts caught "
            f"{sum(adverts)}/{len(adverts)}"
        )

        def served(texts: list[str]) -> list[float]:
            answers = []
            for start in range(0, len(texts), 500):
                batch = moderate([{"text": t} for t in texts[start : start + 500]])
                answers += [(r["scores"] or {}).get("promotion", 0.0) for r in batch]
            return answers

        spam = sms(args.data, "test")
        labels = spam.labels[:, 5]
        print(
            f"sms-spam test AUC: model {auc(labels, own(spam.texts)):.4f}, "
            f"API {auc(labels, served(spam.texts)):.4f}"
        )
        tube = youtube(args.data)
        for video in sorted(set(tube.groups)):
            pick = [i for i, g in enumerate(tube.groups) if g == video]
            texts = [tube.texts[i] for i in pick]
            y = tube.labels[pick, 5]
            print(
                f"youtube {video} AUC (in training): model {auc(y, own(texts)):.4f}, "
                f"API {auc(y, served(texts)):.4f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
