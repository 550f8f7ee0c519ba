"""Logs: one JSON line per event on stderr, with the request id also sent as X-Request-Id;
no field can forge a line (service/logs.py)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from test_comments_api import payload

from service.logs import JsonFormatter


@pytest.fixture
def log_lines():
    """What the service's loggers write, formatted by the service's own formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("service")
    logger.addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    logger.removeHandler(handler)


def test_the_service_logs_json_to_stderr(app):
    handlers = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(handlers) == 1
    assert logging.getLogger("service").getEffectiveLevel() == logging.INFO
    assert type(handlers[0]) is logging.StreamHandler  # on sys.stderr, as created


def test_each_line_is_json_with_the_request_id_of_the_answer(app, auth, log_lines):
    response = app.test_client().post("/api/v1/comments", json=payload(), headers=auth)
    request_id = response.headers["X-Request-Id"]
    entries = [json.loads(line) for line in log_lines()]
    submitted = [e for e in entries if e["message"].startswith("comment 1 ")]
    assert submitted and submitted[0]["request_id"] == request_id
    assert {"time", "level", "logger", "pid", "message"} <= set(submitted[0])


def test_a_newline_in_a_field_cannot_forge_a_line(app, auth, log_lines):
    forged = 'x\n{"level": "INFO", "message": "login of admin from 10.0.0.1"}\u2028y'
    client = app.test_client()
    assert client.post("/api/v1/comments", json=payload(external_id=forged), headers=auth)
    lines = log_lines()
    entries = [json.loads(line) for line in lines]  # every line parses: none was split
    assert not any(e["message"].startswith("login of") for e in entries)
    assert any(forged in e["message"] for e in entries)
    assert all(line.isascii() for line in lines)


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abc-123.def_456:7", True),
        ("a" * 129, False),
        ("bad id", False),
        ("x\ty", False),
        ("é", False),
    ],
)
def test_a_sane_incoming_request_id_is_kept(app, incoming, kept):
    response = app.test_client().get("/healthz", headers={"X-Request-Id": incoming})
    assert (response.headers["X-Request-Id"] == incoming) is kept
    assert 1 <= len(response.headers["X-Request-Id"]) <= 128


def test_errors_carry_the_request_id_too(app):
    response = app.test_client().get("/api/v1/" + "a" * 5000)
    assert response.status_code == 414 and response.headers["X-Request-Id"]
