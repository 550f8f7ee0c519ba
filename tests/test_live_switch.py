"""A promotion under load: gunicorn with two workers switches model, no request fails."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from service.commands import versions as models_cli
from service.retraining.gate import Task, task_evaluator

from conftest import new_api_key
from tiny_model import build_tiny_model

ROOT = Path(__file__).resolve().parent.parent
REFRESH_SECONDS = 2.0  # the service's default MODEL_REFRESH_SECONDS
BEFORE, AFTER = 1.5, 5.0  # seconds of load before and after the promotion
THREADS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(app, database_url, models_dir, tmp_path):
    build_tiny_model(models_dir, "tiny-1")
    build_tiny_model(models_dir, "tiny-2", extra=[("what a grand day", {"promotion": 0})])
    (models_dir / "DEFAULT").write_text("tiny-1\n")
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "MODELS_DIR": str(models_dir),
        "SECRET_KEY": "live-switch-test",
        "MODEL_REFRESH_SECONDS": str(REFRESH_SECONDS),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "ACCESS_LOG": "/dev/null",
        # plain HTTP on loopback, and no rate limit in the way of the load
        "FORCE_HTTPS": "false",
        "API_RATE_LIMIT": "1000000/minute",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "service:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:  # not listening yet, or busy starting
                pass
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        yield base, log_path
    finally:
        process.terminate()
        process.wait(timeout=30)


def post_comment(base: str, headers: dict, external_id: str) -> tuple[int, str | None]:
    body = {
        "external_id": external_id,
        "article_id": "a-1",
        "author": {"id": "u-1", "name": "Reader"},
        "text": "A fair point about the harbour plans.",
    }
    request = urllib.request.Request(
        f"{base}/api/v1/comments",
        data=json.dumps(body).encode(),
        headers=headers | {"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())["model_version"]
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except OSError as exc:  # refused, reset, timed out: a failed request all the same
        return 0, repr(exc)


def test_promotion_under_load_switches_every_worker_without_a_failure(
    app, runner, server, monkeypatch
):
    base, log_path = server
    suite = [Task("toxic", ["you idiot", "lovely day"], [1, 0], ("personal_attack",))]
    monkeypatch.setattr(models_cli, "load_suite", lambda data_dir: task_evaluator(suite))
    headers = new_api_key(app)
    results: list[tuple[float, int, str | None]] = []
    stop = threading.Event()

    def load(worker: int) -> None:
        n = 0
        while not stop.is_set():
            sent = time.monotonic()
            status, version = post_comment(base, headers, f"w{worker}-{n}")
            results.append((sent, status, version))
            n += 1

    threads = [threading.Thread(target=load, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(BEFORE)
    result = runner.invoke(args=["models", "promote", "tiny-2"])
    promoted = time.monotonic()
    time.sleep(AFTER)
    stop.set()
    for thread in threads:
        thread.join()
    assert result.exit_code == 0, result.output

    failures = [r for r in results if r[1] != 201]
    assert failures == [], failures[:5]
    assert len(results) > 50
    before = {v for sent, _, v in results if sent < promoted - 0.5}
    settled = [v for sent, _, v in results if sent > promoted + REFRESH_SECONDS + 1.0]
    assert before == {"tiny-1"}
    assert settled and set(settled) == {"tiny-2"}
    log = log_path.read_text()
    switched = {
        json.loads(line)["pid"]  # log lines are JSON
        for line in log.splitlines()
        if "serving model tiny-2 (was tiny-1)" in line
    }
    assert len(switched) == 2, log  # both worker processes, no restart
