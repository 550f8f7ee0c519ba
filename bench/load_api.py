"""Load test of the HTTP API: gunicorn serves, wrk (a second process) loads.

Prints requests per second and p50/p99 latency for ``POST /api/v1/comments``
and for ``POST /api/v1/moderate`` with batches of 100 texts. Needs ``wrk``
(Debian package) on PATH. Runs on a throw-away SQLite database, or, when
DATABASE_URL names a PostgreSQL server, on a throw-away database created there
and dropped at the end.

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
        "wrk", "--latency", f"-t{args.threads}", f"-c{args.connections}",
        f"-d{args.duration}s", "-s", str(BENCH / script), url,
    ]  # fmt: skip
    result = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return parse_wrk(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--batch", type=int, default=100, help="texts per /moderate request")
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    tmp = Path(tempfile.mkdtemp(prefix="load-"))
    env = dict(os.environ)
    server_url = env.get("DATABASE_URL", "")
    scratch = f"load_{os.getpid()}"
    if server_url.startswith("postgres"):
        env["DATABASE_URL"] = postgres_database(server_url, scratch, create=True)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'load.db'}"
    env.update(SECRET_KEY="load-test", LOG_LEVEL="WARNING", ACCESS_LOG="/dev/null")
    # Plain HTTP on loopback, and no API rate limit in the way of the load.
    env.setdefault("FORCE_HTTPS", "false")
    env.setdefault("API_RATE_LIMIT", "10000000/minute")
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
        for _ in range(100):
            try:
                ready = json.load(urllib.request.urlopen(f"{base}/readyz", timeout=2))
                break
            except urllib.error.HTTPError as not_ready:  # 503: up, but no model loaded
                ready = json.load(not_ready)
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not become ready")
        print(f"model {ready['model']}, database {env['DATABASE_URL'].split(':')[0]}, "
              f"{args.workers} gunicorn workers, wrk -t{args.threads} -c{args.connections} "
              f"-d{args.duration}s")  # fmt: skip
        for name, script, path in (
            ("POST /api/v1/comments", "wrk_comments.lua", "/api/v1/comments"),
            (f"POST /api/v1/moderate x{args.batch}", "wrk_moderate.lua", "/api/v1/moderate"),
        ):
            fig = run_wrk(script, base + path, env, args)
            extra = f", {fig['rps'] * args.batch:.0f} texts/s" if "moderate" in path else ""
            print(f"{name:<32} {fig['rps']:8.1f} req/s  p50 {fig['p50_ms']:7.1f} ms  "
                  f"p99 {fig['p99_ms']:7.1f} ms  non-2xx {fig['non_2xx']}{extra}")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
        if server_url.startswith("postgres"):
            postgres_database(server_url, scratch, create=False)


if __name__ == "__main__":
    main()
