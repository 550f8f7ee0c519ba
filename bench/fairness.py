"""Fairness under heavy batches: one website's submit latency while two others flood /moderate.

gunicorn (``gunicorn.conf.py``, 2 workers) serves a throw-away SQLite database
with the default model. Two "heavy" clients each keep ``--heavy-connections``
requests of ~4 MiB ``/moderate`` batches (1,000 texts) in flight; a third
client submits one comment at a time. Printed per run: the third client's
p50/p99/max latency, how many batches were scored and how many refused (429).
Runs with MODERATE_CONCURRENCY=1 (the default: one batch per key at a time)
and with it raised out of the way, for the given gunicorn thread counts:

    python bench/fairness.py --duration 30 --threads 1 4
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load_api import flask, free_port

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("The council met on Tuesday to discuss the budget and the new bridge. " * 58)[:4000]


def post(port: int, path: str, body: bytes, key: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    try:
        conn.request("POST", path, body, {"Authorization": f"Bearer {key}",
                                          "Content-Type": "application/json"})  # fmt: skip
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def wait_ready(port: int) -> None:
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not become ready")


def run(
    env: dict[str, str], keys: list[str], threads: int, concurrency: int, heavy: int, duration: int
) -> dict:
    port = free_port()
    env = dict(env, GUNICORN_THREADS=str(threads), MODERATE_CONCURRENCY=str(concurrency))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "service:create_app()"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    batch = json.dumps({"comments": [{"text": TEXT} for _ in range(1000)]}).encode()
    stop = threading.Event()
    batches = {"scored": 0, "refused": 0, "other": 0}
    lock = threading.Lock()

    def flood(key: str) -> None:
        while not stop.is_set():
            status, _ = post(port, "/api/v1/moderate", batch, key)
            with lock:
                kind = {200: "scored", 429: "refused"}.get(status, "other")
                batches[kind] += 1
            if status == 429:
                time.sleep(0.05)

    try:
        wait_ready(port)
        flooders = [threading.Thread(target=flood, args=(key,), daemon=True)
                    for key in keys[:2] for _ in range(heavy)]  # fmt: skip
        for thread in flooders:
            thread.start()
        time.sleep(2 if heavy else 0)  # let the flood fill the workers
        latencies, statuses = [], []
        deadline = time.monotonic() + duration
        n = 0
        while time.monotonic() < deadline:
            n += 1
            body = {
                "external_id": f"f-{threads}-{concurrency}-{n}",
                "article_id": "a-1",
                "author": {"id": "u-1"},
                "text": "A thoughtful remark about the budget.",
            }
            status, elapsed = post(port, "/api/v1/comments", json.dumps(body).encode(), keys[2])
            statuses.append(status)
            latencies.append(elapsed * 1000)
            time.sleep(0.05)
        stop.set()
    finally:
        server.terminate()
        server.wait(timeout=60)
    latencies.sort()
    return {
        "threads": threads,
        "concurrency": concurrency,
        "submits": len(latencies),
        "ok": sum(s == 201 for s in statuses),
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max": latencies[-1],
        **batches,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds of submits per run")
    parser.add_argument("--heavy-connections", type=int, default=3, help="per heavy client")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4], help="gunicorn threads")
    parser.add_argument("--baseline", action="store_true", help="first, a run without the flood")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fairness-"))
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp / 'fair.db'}", SECRET_KEY="fairness",
               LOG_LEVEL="WARNING", ACCESS_LOG="/dev/null", FORCE_HTTPS="false",
               API_RATE_LIMIT="10000000/minute",
               RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI",
                                                    "redis://127.0.0.1:6379"))  # fmt: skip
    flask(env, "db", "upgrade")
    keys = [flask(env, "api-keys", "create", f"fair-{i}").strip().splitlines()[-1]
            for i in range(3)]  # fmt: skip
    print(
        "gunicorn 2 workers; 2 heavy clients x",
        args.heavy_connections,
        "connections of 1,000-text (~4 MiB) /moderate batches; 1 client submitting",
    )
    print(f"{'threads':>7} {'MODERATE_CONCURRENCY':>20} {'submits':>7} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8} {'batches':>7} {'429s':>5}")  # fmt: skip
    runs = [(threads, concurrency, flood) for threads in args.threads for concurrency in (1000, 1)
            for flood in [args.heavy_connections]]  # fmt: skip
    if args.baseline:
        runs.insert(0, (args.threads[-1], 1, 0))
    for threads, concurrency, flood in runs:
        r = run(env, keys, threads, concurrency, flood, args.duration)
        label = "1 (default)" if concurrency == 1 else "unbounded"
        label = label if flood else "no flood"
        print(f"{r['threads']:>7} {label:>20} {r['ok']:>3}/{r['submits']:<3} {r['p50']:8.1f} "
              f"{r['p99']:8.1f} {r['max']:8.1f} {r['scored']:>7} {r['refused']:>5}",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
