"""Benchmark our default model against alt-profanity-check 1.9.1 on the suite's test texts.

Prints, for both: the suite's ROC AUCs, throughput one comment per call (ours with
scores and evidence) and batched, p50 per-call latency, model size on disk, load
time and peak memory; then the ratios ours/theirs.  Figures are medians of
``--rounds`` runs.

alt-profanity-check pins its own scikit-learn, so it runs in its own virtualenv
(build it with ``bench/build_apc_venv.sh /tmp/apc-venv``).  Each library is
measured in a fresh single-process worker of its own interpreter; this script
only orchestrates and computes the AUCs.

    .venv/bin/python bench/bench_model.py [--version V] [--apc-python /tmp/apc-venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# --- workers (run in their own interpreter; standard library + their model only) ---------
def peak_mb() -> float:
    """This process's peak resident memory (MiB) since its exec: ``VmHWM``, not
    ``ru_maxrss``, which on Linux keeps the parent's peak across fork and exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _time_calls(fn, texts, rounds):
    rates, p50s = [], []
    for _ in range(rounds):
        latencies = []
        start = time.perf_counter()
        for text in texts:
            t = time.perf_counter()
            fn(text)
            latencies.append(time.perf_counter() - t)
        rates.append(len(texts) / (time.perf_counter() - start))
        p50s.append(statistics.median(latencies) * 1e6)
    return statistics.median(rates), statistics.median(p50s)


def _time_batches(fn, texts, rounds, size=1000):
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(0, len(texts), size):
            fn(texts[i : i + size])
        rates.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rates)


def worker_ours(texts, rounds, models_dir, version):
    sys.path.insert(0, str(ROOT))
    from service.moderation.loader import load_model  # the service is running already

    start = time.perf_counter()  # verify sha256, unpickle (imports scikit-learn), build tables
    model = load_model(Path(models_dir), version)
    load_s = time.perf_counter() - start
    scorer = model.scorer
    from service.moderation.types import CATEGORIES

    scorings = scorer.score_batch(texts)  # also warms the per-word cache, as a server would be
    scores = [[s.scores[c] for c in CATEGORIES] for s in scorings]
    with_evidence = sum(1 for s in scorings if s.evidence)
    artifact = Path(models_dir) / version / model.card.get("artifact", "model.joblib")
    return {
        "columns": list(CATEGORIES),
        "scores": scores,
        "load_s": load_s,
        **_speed(scorer.score, scorer.score_batch, texts, rounds),
        "size_mb": artifact.stat().st_size / 2**20,
        "texts_with_evidence": with_evidence,
    }


def _speed(score_one, score_many, texts, rounds) -> dict:
    """Per-call and batched throughput, then the process's peak memory."""
    per_call, p50 = _time_calls(score_one, texts, rounds)
    batched = _time_batches(score_many, texts, rounds)
    return {"per_call": per_call, "p50_us": p50, "batched": batched, "peak_mb": peak_mb()}


def worker_apc(texts, rounds):
    start = time.perf_counter()  # importing it loads its model (and scikit-learn)
    import profanity_check
    from profanity_check import predict_prob

    load_s = time.perf_counter() - start
    scores = [[float(p)] for p in predict_prob(texts)]
    folder = Path(profanity_check.__file__).parent
    size = sum(p.stat().st_size for p in folder.glob("data/*") if p.is_file())
    return {
        "columns": ["offensive"],
        "scores": scores,
        "load_s": load_s,
        **_speed(lambda t: predict_prob([t]), predict_prob, texts, rounds),
        "size_mb": size / 2**20,
    }


# --- orchestration -------------------------------------------------------------------------
def run_worker(python: str, kind: str, texts_file: Path, rounds: int, extra: list[str]):
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    cmd = [
        python,
        __file__,
        "--worker",
        kind,
        "--texts",
        str(texts_file),
        "--out",
        str(out),
        "--rounds",
        str(rounds),
        *extra,
    ]
    subprocess.run(cmd, check=True, cwd=ROOT)
    result = json.loads(out.read_text())
    out.unlink()
    return result


def _aucs(suite, result):
    import numpy as np

    from service.moderation.types import CATEGORIES, TOXIC_CATEGORIES
    from training.metrics import auc

    scores = np.array(result["scores"])
    out = {}
    for task in suite.tasks:
        if scores.shape[1] == 1:
            s = scores[task.rows, 0]
        elif task.score == "toxic":
            cols = [CATEGORIES.index(c) for c in TOXIC_CATEGORIES]
            s = scores[np.ix_(task.rows, cols)].max(axis=1)
        else:
            s = scores[task.rows, CATEGORIES.index(task.score)]
        out[task.name] = auc(task.y, s)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-dir", type=Path, default=(ROOT / ".." / "shared" / "data").resolve()
    )
    parser.add_argument("--models-dir", type=Path, default=ROOT / "models")
    parser.add_argument("--version", default=None, help="default: models/DEFAULT")
    parser.add_argument(
        "--apc-python",
        default="/tmp/apc-venv/bin/python",
        help="interpreter of the alt-profanity-check virtualenv",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", choices=["ours", "apc"], help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        texts = json.loads(args.texts.read_text())
        if args.worker == "ours":
            result = worker_ours(texts, args.rounds, args.models_dir, args.version)
        else:
            result = worker_apc(texts, args.rounds)
        args.out.write_text(json.dumps(result))
        return 0

    sys.path.insert(0, str(ROOT))
    from service.moderation.loader import default_version
    from training.evaluate import load_suite

    version = args.version or default_version(args.models_dir)
    suite = load_suite(args.data_dir)
    texts_file = Path(tempfile.mkstemp(suffix=".json")[1])
    texts_file.write_text(json.dumps(suite.texts))
    mean_chars = sum(map(len, suite.texts)) / len(suite.texts)
    print(
        f"suite: {len(suite.texts)} texts, mean {mean_chars:.0f} characters; "
        f"{args.rounds} rounds, medians; {os.cpu_count()} CPUs"
    )
    ours = run_worker(
        sys.executable,
        "ours",
        texts_file,
        args.rounds,
        ["--models-dir", str(args.models_dir), "--version", version],
    )
    results = {f"ours ({version})": ours}
    if Path(args.apc_python).exists():
        results["alt-profanity-check 1.9.1"] = run_worker(
            args.apc_python, "apc", texts_file, args.rounds, []
        )
    else:
        print(f"(no {args.apc_python}: run bench/build_apc_venv.sh to compare)")
    texts_file.unlink()

    rows = {name: {**r, "aucs": _aucs(suite, r)} for name, r in results.items()}
    names = list(rows)
    print(
        f"\n{'':28}"
        + "".join(f"{n:>28}" for n in names)
        + ("   ours/theirs" if len(names) > 1 else "")
    )

    def line(label, get, fmt, ratio=True):
        values = [get(rows[n]) for n in names]
        cells = "".join(f"{fmt(v):>28}" for v in values)
        extra = ""
        if ratio and len(values) > 1 and values[1]:
            extra = f"   {values[0] / values[1]:.2f}x"
        print(f"{label:28}{cells}{extra}")

    for task in rows[names[0]]["aucs"]:
        line(f"ROC AUC {task}", lambda r, t=task: r["aucs"][t], lambda v: f"{v:.4f}")
    line("per call, texts/s (+evidence)", lambda r: r["per_call"], lambda v: f"{v:,.0f}")
    line("p50 per-call latency, us", lambda r: r["p50_us"], lambda v: f"{v:,.0f}")
    line("batched (1000/call), texts/s", lambda r: r["batched"], lambda v: f"{v:,.0f}")
    line("model size on disk, MB", lambda r: r["size_mb"], lambda v: f"{v:.1f}")
    line("load time, s", lambda r: r["load_s"], lambda v: f"{v:.2f}")
    line("peak memory (RSS), MB", lambda r: r["peak_mb"], lambda v: f"{v:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
