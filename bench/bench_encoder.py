"""Figures of an encoder model version (issue 14): the AUC table, speed, load time, memory.

AUCs are computed on TEST rows only, scored by the version's ``score_batch`` (``--api``:
through ``POST /api/v1/moderate`` of an in-process app): the five suite tasks of
``training.evaluate`` plus TOXICSPANS test (threat, insult, identity attack), Fox
News test and, with ``--api``, the Arabic and Turkish test rows (language detected,
not sent; in process ``python -m training evaluate`` routes them). With
``--parts`` the learned scores of the encoder heads alone, the n-gram model alone and
their blend (no rules) are printed beside them, for the blend decision.

Speed runs in a fresh process of its own (so that load time and peak memory are the
model's): load, then one comment per call with scores and evidence (p50), then
batches of ``--batch`` comments; ``--naive`` adds the same encoder the naive way
(sentence-transformers on torch, fp32, one comment at a time; needs the train extra), and
alt-profanity-check on the same texts when ``--apc-python`` exists (its own virtualenv,
``bench/build_apc_venv.sh``), with the ratios.

    python bench/bench_encoder.py --version v20261202-enc [--api] [--parts] [--naive]
    python bench/bench_encoder.py --version v20261202-enc --api --policy allow_mild_profanity=false
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_model import peak_mb  # noqa: E402


def extra_tasks(data_dir: Path):
    """TOXICSPANS and Fox News test rows as (name, texts, y, score) tasks."""
    from service.moderation.types import CATEGORIES
    from training.data import fox_news
    from training.toxicspans import read_rows

    rows = read_rows(data_dir, "test")
    texts = [r["text"] for r in rows]
    threat = np.array([int(r["n_threat"]) / max(int(r["n_raters"]), 1) >= 0.5 for r in rows])
    kind = np.array([r["majority_span_type"] for r in rows])
    tasks = [
        ("toxicspans-threat", texts, threat.astype(float), "threat"),
        ("toxicspans-insult", texts, (kind == "insult").astype(float), "personal_attack"),
        ("toxicspans-identity", texts, (kind == "identity_attack").astype(float), "abuse"),
    ]
    fox = fox_news(data_dir, "test")
    tasks.append(("fox-news-hate", fox.texts, fox.labels[:, CATEGORIES.index("abuse")], "toxic"))
    return tasks


def language_tasks(data_dir: Path):
    """The Arabic and Turkish test rows, sent untagged (the service detects their language);
    OFF scored by the highest toxicity category, HS by ``abuse``. A row the service holds
    unread (routed to a language with no model) scores 0 here."""
    from training.language_suite import load_language_tasks

    return [
        (t.name, t.texts, t.y, "abuse" if t.label == "hate" else "toxic")
        for t in load_language_tasks(data_dir)
    ]


def english_tasks(data_dir: Path):
    from training.evaluate import load_suite

    suite = load_suite(data_dir)
    tasks = [(t.name, [suite.texts[i] for i in t.rows], t.y, t.score) for t in suite.tasks]
    return tasks + extra_tasks(data_dir)


def task_score(scores: np.ndarray, score: str) -> np.ndarray:
    from service.moderation.types import CATEGORIES, TOXIC_CATEGORIES

    if score == "toxic":
        return scores[:, [CATEGORIES.index(c) for c in TOXIC_CATEGORIES]].max(axis=1)
    return scores[:, CATEGORIES.index(score)]


def learned_parts(scorer, texts: list[str]) -> dict[str, np.ndarray]:
    """Encoder heads alone, n-grams alone, blend: learned probabilities, no rules."""
    from service.moderation.normalize import normalize

    out = {"encoder": [], "ngram": [], "blend": []}
    for start in range(0, len(texts), 500):
        normalized = [normalize(t) for t in texts[start : start + 500]]
        ngram = scorer.ngram.learned(normalized)[0]
        enc = scorer.encoder_proba_normalized([n.text for n in normalized])
        out["encoder"].append(enc)
        out["ngram"].append(ngram)
        out["blend"].append(scorer.blend(enc, ngram))
    return {k: np.vstack(v) for k, v in out.items()}


def auc_table(
    models_dir: Path,
    version: str,
    data_dir: Path,
    api: bool,
    parts: bool,
    settings: tuple[str, ...] = (),
) -> dict:
    from bench.api_scoring import api_score_fn
    from training.evaluate import direct_score_fn, score_matrix
    from training.metrics import auc

    english = english_tasks(data_dir)
    # in process, `python -m training evaluate` routes these rows as the service does
    tasks = english + language_tasks(data_dir) if api else english
    if api:
        scoring = api_score_fn(models_dir, version, settings)
    else:
        scoring = direct_score_fn(models_dir, version)
    report = {}
    with scoring as score_fn:
        cache: dict[int, np.ndarray] = {}
        for name, texts, y, score in tasks:
            key = hash(tuple(texts))
            if key not in cache:
                cache[key] = score_matrix(score_fn, texts)
            report[name] = {
                "rows": len(texts),
                "positives": int(y.sum()),
                "auc": auc(y, task_score(cache[key], score)),
            }
    if parts:
        from service.moderation.loader import load_model

        scorer = load_model(models_dir, version).scorer
        cache = {}
        for name, texts, y, score in english:
            key = hash(tuple(texts))
            if key not in cache:
                cache[key] = learned_parts(scorer, texts)
            for part, scores in cache[key].items():
                report[name][part] = auc(y, task_score(scores, score))
    return report


# --- speed, in a fresh process ---------------------------------------------------------------
def speed_worker(
    models_dir: Path, version: str, texts: list[str], batch: int, threads: int
) -> dict:
    start = time.perf_counter()
    from service.moderation.loader import load_model

    model = load_model(models_dir, version, encoder_threads=threads)
    load_s = time.perf_counter() - start
    scorer = model.scorer
    scorer.score_batch(texts[:50])  # warm-up
    latencies = []
    for text in texts:
        t = time.perf_counter()
        scorer.score_batch([text])
        latencies.append(time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(0, len(texts), batch):
        scorer.score_batch(texts[i : i + batch])
    batched = len(texts) / (time.perf_counter() - t)
    return {
        "load_s": round(load_s, 2),
        "one_per_call_p50_ms": round(statistics.median(latencies) * 1e3, 2),
        "one_per_call_per_s": round(len(texts) / sum(latencies), 1),
        "batched_per_s": round(batched, 1),
        "peak_rss_mb": round(peak_mb(), 1),
    }


def naive_worker(texts: list[str]) -> dict:
    """The same encoder the naive way: sentence-transformers, torch, fp32, one at a time."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    from training.finetune import base_model_path

    torch.set_num_threads(2)
    model = SentenceTransformer(str(base_model_path()), device="cpu")
    model.encode(texts[:10])
    latencies = []
    for text in texts:
        t = time.perf_counter()
        model.encode([text])
        latencies.append(time.perf_counter() - t)
    return {
        "naive_p50_ms": round(statistics.median(latencies) * 1e3, 2),
        "naive_per_s": round(len(texts) / sum(latencies), 1),
    }


def speed_texts(data_dir: Path, n: int) -> list[str]:
    rng = np.random.default_rng(0)
    texts = [t for _, ts, _, _ in english_tasks(data_dir) for t in ts]
    texts = list(dict.fromkeys(texts))
    return [texts[i] for i in rng.choice(len(texts), size=min(n, len(texts)), replace=False)]


def main() -> None:
    from service.config import DEFAULT_DATA_DIR

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models-dir", type=Path, default=ROOT / "models")
    parser.add_argument("--version", required=True)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--api", action="store_true", help="score through POST /api/v1/moderate")
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="with --api, a policy setting as `flask policy set` takes it (repeatable), e.g. "
        "allow_mild_profanity=false to count mild expletives as OLID and Jigsaw label them",
    )
    parser.add_argument("--parts", action="store_true", help="encoder / n-gram / blend AUCs too")
    parser.add_argument("--no-auc", action="store_true")
    parser.add_argument("--speed-texts", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--naive", action="store_true", help="sentence-transformers fp32 too")
    parser.add_argument(
        "--threads", type=int, default=2, help="encoder threads (one process on 2 cores: 2)"
    )
    parser.add_argument(
        "--apc-python",
        type=Path,
        default=Path("/tmp/apc-venv/bin/python"),
        help="alt-profanity-check's interpreter (bench/build_apc_venv.sh), timed on the same "
        "texts in the same run when it exists",
    )
    parser.add_argument("--worker", choices=["speed", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.policy and not args.api:
        parser.error("--policy needs --api (in process, scores follow the card's policy)")
    if args.worker:
        texts = json.loads(args.texts.read_text())
        if args.worker == "speed":
            result = speed_worker(args.models_dir, args.version, texts, args.batch, args.threads)
        else:
            result = naive_worker(texts)
        print(json.dumps(result))
        return
    out: dict = {"version": args.version}
    if not args.no_auc:
        out["auc"] = auc_table(
            args.models_dir, args.version, args.data_dir, args.api, args.parts, tuple(args.policy)
        )
        for name, row in out["auc"].items():
            extra = "  ".join(
                f"{k} {row[k]:.4f}" for k in ("encoder", "ngram", "blend") if k in row
            )
            print(
                f"{name:22} {row['rows']:>6} {row['positives']:>5} {row['auc']:.4f}  {extra}",
                flush=True,
            )
    if args.speed_texts:
        import tempfile

        texts = speed_texts(args.data_dir, args.speed_texts)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(texts, handle)
        kinds = ["speed"] + (["naive"] if args.naive else [])
        for kind in kinds:
            cmd = [
                sys.executable,
                __file__,
                "--worker",
                kind,
                "--texts",
                handle.name,
                "--models-dir",
                str(args.models_dir),
                "--version",
                args.version,
                "--batch",
                str(args.batch),
                "--threads",
                str(args.threads),
            ]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            out[kind] = json.loads(done.stdout.strip().splitlines()[-1])
            print(kind, out[kind], flush=True)
        if args.apc_python.exists():
            from bench.bench_model import run_worker

            apc = run_worker(str(args.apc_python), "apc", Path(handle.name), 1, [])
            out["apc"] = {
                "load_s": round(apc["load_s"], 2),
                "one_per_call_p50_ms": round(apc["p50_us"] / 1e3, 3),
                "one_per_call_per_s": round(apc["per_call"], 1),
                "batched_per_s": round(apc["batched"], 1),
                "peak_mb": round(apc["peak_mb"]),
            }
            ours = out["speed"]
            out["ratios"] = {
                "one_per_call_p50_ours_over_apc": round(
                    ours["one_per_call_p50_ms"] / out["apc"]["one_per_call_p50_ms"], 1
                ),
                "batched_ours_over_apc": round(
                    ours["batched_per_s"] / out["apc"]["batched_per_s"], 4
                ),
            }
            print("alt-profanity-check", out["apc"], out["ratios"], flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
