"""Logs as JSON lines on stderr, one per event, each with the request's id.

Every field is JSON-encoded with non-ASCII escaped, so no value (a newline in
an ``external_id``, U+2028, ...) can end a line early or forge another one.
The request id is a sane incoming ``X-Request-Id`` or a new one, and is sent
back in the same header.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
LOGGERS = ("service", "flask-limiter")
ACCESS_LOGGER = "gunicorn.access"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "pid", "request_id", "message"[, "exception"]}``.

    gunicorn's access lines are written after the request's context is gone: their
    request id, status and duration come from the line's atoms (gunicorn.conf.py's
    ``access_log_format``), as fields a log collector can filter on.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "request_id": g.get("request_id") if has_request_context() else None,
            "message": record.getMessage(),
        }
        if record.name == ACCESS_LOGGER and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=True)


def _access_fields(atoms: Mapping) -> dict:
    fields: dict = {}
    request_id = atoms.get("{x-request-id}o")
    if request_id and request_id != "-":
        fields["request_id"] = request_id
    for name, atom in (("status", "s"), ("duration_ms", "M")):
        with contextlib.suppress(TypeError, ValueError):
            fields[name] = int(atoms.get(atom))
    return fields


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
