"""gunicorn.conf.py: workers from the cores, threads, timeouts, graceful shutdown, long request
lines, and the production defaults it gives the app (HTTPS, a shared rate-limit store)."""

from __future__ import annotations

import os
import runpy
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
