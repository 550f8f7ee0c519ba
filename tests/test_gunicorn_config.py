"""gunicorn.conf.py: workers from the cores, threads, timeouts, graceful shutdown, long request
lines, and the production defaults it gives the app (HTTPS, a shared rate-limit store)."""

from __future__ import annotations

import http.client
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
SET_BY_CONF = ("FORCE_HTTPS", "RATELIMIT_STORAGE_URI", "WEB_CONCURRENCY", "GUNICORN_THREADS")


@pytest.fixture
def clean_environ():
    saved = dict(os.environ)
    for name in SET_BY_CONF:
        os.environ.pop(name, None)
    yield os.environ
    os.environ.clear()
    os.environ.update(saved)


def test_defaults(clean_environ):
    conf = runpy.run_path(str(CONF))
    assert conf["workers"] == len(os.sched_getaffinity(0))
    assert conf["worker_class"] == "gthread" and conf["threads"] == 4
    assert conf["timeout"] == 30 and conf["graceful_timeout"] == 30
    assert conf["limit_request_line"] == 8190
    assert clean_environ["FORCE_HTTPS"] == "true"
    assert clean_environ["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"


def test_the_environment_wins(clean_environ):
    clean_environ.update(WEB_CONCURRENCY="3", FORCE_HTTPS="false")
    conf = runpy.run_path(str(CONF))
    assert conf["workers"] == 3
    assert clean_environ["FORCE_HTTPS"] == "false"


def test_probes_answer_over_plain_http_when_https_is_forced(configured_app, models_dir):
    client = configured_app(models_dir, FORCE_HTTPS=True).test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/comments/1").status_code == 301


def _serve(database_url: str, models_dir, port: int):
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        MODELS_DIR=str(models_dir),
        SECRET_KEY="live",
        FORCE_HTTPS="false",
        RATELIMIT_STORAGE_URI="memory://",
        ACCESS_LOG="-",  # on stderr, with the rest
    )
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONF), "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "service:create_app()"],
        env=env, cwd=CONF.parent, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _get(port: int, target: str) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", target)
    response = conn.getresponse()
    return response.status, response.getheader("Content-Type") or "", response.read().decode()


def test_live_request_lines_and_json_logs(database_url, models_dir):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = _serve(database_url, models_dir, port)
    try:
        for _ in range(150):
            try:
                _get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        status, kind, body = _get(port, "/api/v1/comments/1?q=" + "a" * 7000)
        assert status == 414 and kind == "application/json"
        assert json.loads(body)["error"]["code"] == "uri_too_long"
        status, kind, _ = _get(port, "/api/v1/comments/1?q=" + "a" * 9000)
        assert status == 400 and kind != "application/json"  # gunicorn's own answer
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=60)
    assert server.returncode == 0
    lines = [json.loads(line) for line in errors.splitlines() if line.strip()]
    assert lines and all(line["message"] for line in lines)
    # access lines carry the request id the app sent back, the status and the duration
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert {line["status"] for line in access} >= {200, 414}
    for line in access:
        assert f"request_id={line['request_id']}" in line["message"]
        assert isinstance(line["duration_ms"], int)
