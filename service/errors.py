"""One JSON error shape for every 4xx and 5xx of the API.

``{"error": {"code": ..., "message": ..., "fields": {...}}}``: validation
errors are 400 (not webargs' 422) and name each offending field by its dotted
path, e.g. ``author.id`` or ``comments.3.text``.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import request
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from service.schemas.comments import ErrorSchema

ERROR_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}
JSON_PATH_PREFIXES = ("/api/", "/healthz", "/readyz")


class Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()


def flatten_fields(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """``{"author": {"id": ["..."]}}`` -> ``{"author.id": ["..."]}``."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            if key == "_schema":  # marshmallow's "the whole object" key
                flat.update(flatten_fields(value, prefix))
            else:
                flat.update(flatten_fields(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(messages, list | tuple):
        if all(isinstance(item, str) for item in messages):
            return {prefix or "body": list(messages)}
        flat = {}
        for item in messages:
            flat.update(flatten_fields(item, prefix))
        return flat
    return {prefix or "body": [str(messages)]}


def error_body(
    status: int, message: str, fields: dict[str, list[str]] | None = None, code: str | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code or ERROR_CODES.get(status, "error"),
            "message": message,
            "fields": fields or {},
        }
    }


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        if not request.path.startswith(JSON_PATH_PREFIXES):
            return error.get_response()
        data = getattr(error, "data", None) or {}
        fields: dict[str, list[str]] = {}
        if "messages" in data:
            # webargs nests messages under the location ("json", "headers", ...)
            for location_messages in data["messages"].values():
                fields.update(flatten_fields(location_messages))
        if "errors" in data:
            fields.update(flatten_fields(data["errors"]))
        status = error.code or 500
        if fields and "message" not in data:
            message = "Invalid request: " + ", ".join(sorted(fields)) + "."
        else:
            message = data.get("message") or error.description or error.name
        body = error_body(status, message, fields, data.get("error_code"))
        return body, status, data.get("headers", {})
