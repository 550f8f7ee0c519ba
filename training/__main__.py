"""``python -m training train|evaluate``: fit a model version, or print the suite for one."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from service.config import DEFAULT_DATA_DIR, PROJECT_ROOT

DEFAULT_MODELS = PROJECT_ROOT / "models"


def _corpus_names(value: str) -> tuple[str, ...]:
    from .data import corpus_names

    return corpus_names(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    corpora = argparse.ArgumentParser(add_help=False)
    corpora.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="the corpora (default: ../shared/data from the project root)",
    )

    t = sub.add_parser(
        "train",
        parents=[corpora],
        help="fit on the training corpora and write models/<version>/",
        description="Fit on every training file of --data-dir (never a test file), pick "
        "thresholds on held-out training rows, write models/<version>/model.joblib and card.json.",
    )
    t.add_argument(
        "--models-dir",
        type=Path,
        default=DEFAULT_MODELS,
        help="where versions are written (default: models/)",
    )
    t.add_argument("--version", default=None, help="version name (default: v<UTC date and time>)")
    t.add_argument(
        "--extra-labels",
        type=Path,
        default=None,
        help="site labels as `flask --app service labels export` writes them (CSV or JSONL)",
    )
    t.add_argument(
        "--site-weight",
        type=float,
        default=3.0,
        help="sample weight of each site label row (default 3)",
    )
    t.add_argument(
        "--sample",
        type=int,
        default=None,
        help="at most this many rows per English corpus (quick experiments); the augmentation "
        "sentences and the --languages models are fitted in full (--languages '' for a quick "
        "English-only run)",
    )
    t.add_argument(
        "--set-default", action="store_true", help="write the new version's name to models/DEFAULT"
    )
    t.add_argument(
        "--no-identity-augment",
        action="store_true",
        help="leave out the neutral identity sentences (for the ablation in the card)",
    )
    t.add_argument(
        "--encoder",
        type=Path,
        default=None,
        help="encoder folder to fit the heads on (default: the one models/DEFAULT's card names, "
        "else the only folder in models/encoders)",
    )
    t.add_argument(
        "--fine-tune",
        action="store_true",
        help="fine-tune the encoder first, export and quantise it (needs `pip install -e "
        "'.[train]'`); without it the shipped encoder stays frozen and only the heads are refit",
    )
    t.add_argument(
        "--fine-tune-minutes",
        type=float,
        default=40.0,
        help="wall-clock budget of the fine-tune (default 40)",
    )
    t.add_argument(
        "--fine-tuned",
        type=Path,
        default=None,
        help="export this folder, written by `python -m training.finetune --out DIR`, "
        "instead of fine-tuning here (the same run in two steps; the train extra)",
    )
    t.add_argument(
        "--embed-cache",
        type=Path,
        default=None,
        help="folder to keep the training rows' embeddings in, per encoder (re-runs are faster)",
    )
    t.add_argument(
        "--languages",
        default="ar,tr",
        help="also fit these languages' models on their corpora, in the same version "
        "(comma-separated; default ar,tr; '' for English only)",
    )
    t.add_argument(
        "--english-from",
        default=None,
        metavar="VERSION",
        help="keep this version's English model (encoder, heads, thresholds, card) as it is "
        "and fit only --languages anew: a quick retrain of Arabic or Turkish (about a minute "
        "per language)",
    )
    t.add_argument(
        "--add-corpora",
        type=_corpus_names,
        default=("fox", "sbic"),
        help="also fine-tune and fit on these corpora (comma-separated: fox = Fox News "
        "comments, sbic = Social Bias Frames' dev split; both feed abuse only and set no "
        "threshold; default fox,sbic; '' for neither)",
    )
    t.add_argument(
        "--fit-relevance",
        action="store_true",
        help="fit the encoder's relevance space against the pretrained encoder (the train "
        "extra; always done with --fine-tune); otherwise a version with the same encoder "
        "lends its own",
    )
    t.add_argument("--quiet", action="store_true", help="no progress bars")

    e = sub.add_parser(
        "evaluate",
        parents=[corpora],
        help="print the evaluation suite for a model version",
        description="Score the suite's test rows and our own sets (training/suites/) with the "
        "verified model, in process, and print ROC AUC per task and P/R/F1 per category at the "
        "card's thresholds. bench/api_scoring.py scores through POST /api/v1/moderate instead.",
    )
    e.add_argument(
        "--models-dir",
        type=Path,
        default=DEFAULT_MODELS,
        help="where versions live (default: models/)",
    )
    e.add_argument("--version", default=None, help="version to evaluate (default: models/DEFAULT)")
    e.add_argument(
        "--direct",
        action="store_true",
        help="kept for scripts that pass it: evaluation always scores in process now",
    )
    e.add_argument(
        "--update-card",
        action="store_true",
        help="also store the suite figures in the version's card.json",
    )
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # The training logger only: the service's loggers have their own stderr handler.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    training_log = logging.getLogger("training")
    training_log.addHandler(handler)
    training_log.setLevel(logging.INFO)
    if args.command == "train":
        from .train import train, train_languages

        version = args.version or datetime.now(UTC).strftime("v%Y%m%d-%H%M")
        languages = tuple(code for code in args.languages.split(",") if code.strip())
        if args.english_from:
            folder = train_languages(
                args.data_dir,
                args.models_dir,
                version,
                args.english_from,
                languages,
                progress=not args.quiet,
                extra_labels_path=args.extra_labels,
                site_weight=args.site_weight,
            )
        else:
            folder = train(
                args.data_dir,
                args.models_dir,
                version,
                extra_labels_path=args.extra_labels,
                site_weight=args.site_weight,
                sample=args.sample,
                progress=not args.quiet,
                identity_augment=not args.no_identity_augment,
                encoder=args.encoder,
                fine_tune=args.fine_tune,
                fine_tune_minutes=args.fine_tune_minutes,
                fine_tuned=args.fine_tuned,
                embed_cache=args.embed_cache,
                languages=languages,
                add_corpora=args.add_corpora,
                fit_relevance=args.fit_relevance,
            )
        if args.set_default:
            (Path(args.models_dir) / "DEFAULT").write_text(version + "\n", encoding="utf-8")
        print(folder)
        return 0
    from .evaluate import main as evaluate_main

    return evaluate_main(args)


if __name__ == "__main__":
    sys.exit(main())
