"""Logs as JSON lines on stderr, one per event, each with the request's id.

Every field is JSON-encoded with non-ASCII escaped, so no value (a newline in
an ``external_id``, U+2028, ...) can end a line early or forge another one.
The request id is a sane incoming ``X-Request-Id`` or a new one, and is sent
back in the same header.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
LOGGERS = ("service", "flask-limiter")


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "pid", "request_id", "message"[, "exception"]}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "request_id": g.get("request_id") if has_request_context() else None,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=True)


def configure(level: str) -> None:
    """JSON lines on stderr from the root logger (unless gunicorn's config already put them
    there); the service's own loggers at ``level``. We never log comment text or secrets."""
    for name in LOGGERS:
        logging.getLogger(name).setLevel(level.upper())
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)


def request_id() -> str:
    """This request's id (``X-Request-Id``)."""
    return g.get("request_id") or "-"


def init_app(app: Flask) -> None:
    @app.before_request
    def _assign_request_id() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex

    @app.after_request
    def _send_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response
