"""Load test of the HTTP API: gunicorn serves, wrk (a second process) loads.

Prints requests per second and p50/p99 latency for ``POST /api/v1/comments``
and for ``POST /api/v1/moderate`` with batches of 100 texts, then, in the same
run and under the same gunicorn worker settings, for a minimal Flask app that
answers one comment per request with alt-profanity-check (``bench/apc_app.py``,
in the virtualenv ``bench/build_apc_venv.sh`` builds), and the ratio of the two.
Needs ``wrk`` (Debian package) on PATH. Runs on a throwaway database created on
the PostgreSQL server of ``--database-url`` (default: DATABASE_URL, else the
local server) and dropped at the end, or on a throwaway SQLite file (``--sqlite``).

    bench/build_apc_venv.sh /tmp/apc-venv
    python bench/load_api.py --duration 20 --connections 8 --workers 2
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> str:
    cmd = [sys.executable, "-m", "flask", "--app", "service", *args]
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout


def postgres_database(server_url: str, name: str, create: bool) -> str:
    """Create (or drop) a scratch database on the server; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from service.config import normalise_database_url

    server = make_url(normalise_database_url(server_url))
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        statement = (
            f'CREATE DATABASE "{name}"' if create else f'DROP DATABASE "{name}" WITH (FORCE)'
        )
        conn.execute(text(statement))
    engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def batch_body(data_dir: Path, size: int) -> str:
    with (data_dir / "jigsaw-toxic-sample" / "test.csv").open(encoding="utf-8") as handle:
        rows = [row["comment_text"][:2000] for row in islice(csv.DictReader(handle), size)]
    return json.dumps({"comments": [{"text": text} for text in rows]})


def parse_wrk(output: str) -> dict[str, float]:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for pct in ("50", "99"):
        figures[f"p{pct}_ms"] = ms(re.search(rf"\s{pct}%\s+(\S+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non_2xx"] = int(errors.group(1)) if errors else 0
    return figures


def run_wrk(script: str, url: str, env: dict[str, str], args: argparse.Namespace) -> dict:
    cmd = [
        "wrk", "--latency", "--timeout", "30s", f"-t{args.threads}", f"-c{args.connections}",
        f"-d{args.duration}s", "-s", str(BENCH / script), url,
    ]  # fmt: skip
    result = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return parse_wrk(result.stdout)


def wait_ready(url: str) -> dict:
    """Poll ``url`` until the server answers; its JSON (an HTTP error's body too)."""
    for _ in range(300):
        try:
            return json.load(urllib.request.urlopen(url, timeout=2))
        except urllib.error.HTTPError as not_ready:  # 503: up, but no model loaded
            return json.load(not_ready)
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def gunicorn_settings(workers: int) -> list[str]:
    """The worker settings of gunicorn.conf.py, for a server that cannot read that file."""
    return ["--workers", str(workers), "--worker-class", "gthread", "--threads", "4",
            "--timeout", "30", "--keep-alive", "5", "--access-logfile", "/dev/null"]  # fmt: skip


def apc_baseline(venv: Path, env: dict[str, str], args: argparse.Namespace) -> dict:
    """alt-profanity-check, one comment per request, served like the service."""
    port = free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "gunicorn"), *gunicorn_settings(args.workers),
         "--bind", f"127.0.0.1:{port}", "--chdir", str(BENCH), "apc_app:create_app()"],
        env={k: v for k, v in env.items() if k != "PYTHONPATH"}, stderr=subprocess.DEVNULL,
        cwd=BENCH,  # not the project root: its gunicorn.conf.py is the service's
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                request = urllib.request.Request(
                    f"{base}/check", data=b'{"text": "ready?"}',
                    headers={"Content-Type": "application/json"},
                )  # fmt: skip
                urllib.request.urlopen(request, timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("the alt-profanity-check server did not answer")
        return run_wrk("wrk_apc.lua", f"{base}/check", env, args)
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--batch", type=int, default=100, help="texts per /moderate request")
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server: a throwaway database is created there and dropped",
    )
    parser.add_argument("--sqlite", action="store_true", help="a throwaway SQLite file instead")
    parser.add_argument("--apc-venv", type=Path, default=Path("/tmp/apc-venv"),
                        help="built by bench/build_apc_venv.sh")  # fmt: skip
    parser.add_argument("--no-apc", action="store_true", help="skip the baseline")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    if not args.no_apc and not (args.apc_venv / "bin" / "gunicorn").exists():
        sys.exit(f"no alt-profanity-check virtualenv: run bench/build_apc_venv.sh {args.apc_venv}")

    tmp = Path(tempfile.mkdtemp(prefix="load-"))
    env = dict(os.environ)
    server_url = "" if args.sqlite else args.database_url
    scratch = f"load_{os.getpid()}"
    if server_url.startswith("postgres"):
        env["DATABASE_URL"] = postgres_database(server_url, scratch, create=True)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'load.db'}"
    env.update(SECRET_KEY="load-test", LOG_LEVEL="WARNING", ACCESS_LOG="/dev/null")
    # Plain HTTP on loopback, and no API rate limit in the way of the load.
    env.setdefault("FORCE_HTTPS", "false")
    env.setdefault("API_RATE_LIMIT", "10000000/minute")
    # every connection's batch runs, instead of the per-key bound answering 429 to the rest
    env.setdefault("MODERATE_CONCURRENCY", str(args.connections))
    flask(env, "db", "upgrade")
    env["KEY"] = flask(env, "api-keys", "create", f"load-{os.getpid()}").strip().splitlines()[-1]
    env["RUN_ID"] = str(int(time.time()))
    body_file = tmp / "batch.json"
    body_file.write_text(batch_body(args.data_dir, args.batch), encoding="utf-8")
    env["BODY_FILE"] = str(body_file)

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "service:create_app()"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        ready = wait_ready(f"{base}/readyz")
        print(f"model {ready['model']}, database {env['DATABASE_URL'].split(':')[0]}, "
              f"{args.workers} gunicorn workers, wrk -t{args.threads} -c{args.connections} "
              f"-d{args.duration}s")  # fmt: skip
        figures = {}
        for name, script, path in (
            ("POST /api/v1/comments", "wrk_comments.lua", "/api/v1/comments"),
            (f"POST /api/v1/moderate x{args.batch}", "wrk_moderate.lua", "/api/v1/moderate"),
        ):
            fig = run_wrk(script, base + path, env, args)
            extra = f", {fig['rps'] * args.batch:.0f} texts/s" if "moderate" in path else ""
            print(f"{name:<32} {fig['rps']:8.1f} req/s  p50 {fig['p50_ms']:7.1f} ms  "
                  f"p99 {fig['p99_ms']:7.1f} ms  non-2xx {fig['non_2xx']}{extra}")  # fmt: skip
            figures[path] = fig
        stop(server)
        if not args.no_apc:
            apc, ours = apc_baseline(args.apc_venv, env, args), figures["/api/v1/comments"]
            print(f"{'alt-profanity-check, 1 per req':<32} {apc['rps']:8.1f} req/s  "
                  f"p50 {apc['p50_ms']:7.1f} ms  p99 {apc['p99_ms']:7.1f} ms  "
                  f"non-2xx {apc['non_2xx']}")  # fmt: skip
            print(f"POST /api/v1/comments vs alt-profanity-check: {ours['rps'] / apc['rps']:.2f}x "
                  f"the requests/s, {ours['p99_ms'] / apc['p99_ms']:.2f}x the p99 "
                  f"(the service also stores each comment and its decision)")  # fmt: skip
    finally:
        if server.poll() is None:
            stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
        if server_url.startswith("postgres"):
            postgres_database(server_url, scratch, create=False)


if __name__ == "__main__":
    main()
