"""One JSON error shape for every 4xx and 5xx of the API.

``{"error": {"code": ..., "message": ..., "fields": {...}}}``: validation
errors are 400 (not webargs' 422) and name each offending field by its dotted
path, e.g. ``author.id`` or ``comments.3.text``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import flask_smorest
from flask import request
from webargs import core
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from service.schemas.comments import ErrorSchema

ERROR_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}
JSON_PATH_PREFIXES = ("/api/", "/healthz", "/readyz")


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads`` keeps the last of two equal keys; a body that says two things is refused."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise DuplicateKey(key)
        obj[key] = value
    return obj


class NumberTooLong(ValueError):
    """An integer literal longer than Python converts (``sys.get_int_max_str_digits()``)."""


def _parse_int(literal: str) -> int:
    try:
        return int(literal)
    except ValueError as exc:  # int() refuses over 4300 digits unless told otherwise
        raise NumberTooLong(literal) from exc


class Parser(FlaskParser):
    """webargs' parser with our rules for JSON bodies.

    A route that takes a JSON body answers 415 to any other ``Content-Type`` (or
    none) instead of reporting every field missing; a key given twice, nesting
    deeper than the decoder allows, or an integer of more digits than Python
    converts, is a 400, and so is a query parameter given twice unless it takes
    several values.
    """

    DEFAULT_VALIDATION_STATUS = 400
    # webargs ignores unknown query parameters; ours are refused, as unknown JSON fields are
    # (a misspelt filter would otherwise answer an unfiltered list). Headers stay ignored.
    DEFAULT_UNKNOWN_BY_LOCATION = FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION | {
        "query": None,
        "querystring": None,
    }

    def load_querystring(self, req, schema) -> Any:
        """A known parameter given twice is a 400 naming it, unless its field takes several
        values (a ``List``): werkzeug would silently hand over the first one."""
        values = super().load_querystring(req, schema)
        known = {field.data_key or name for name, field in schema.fields.items()}
        repeated = [
            key
            for key in req.args
            if key in known and key not in values.multiple_keys and len(req.args.getlist(key)) > 1
        ]
        if repeated:
            message = ["Given more than once: this parameter takes one value."]
            flask_smorest.abort(400, messages={"query": {key: message for key in repeated}})
        return values

    def _raw_load_json(self, req) -> Any:
        if not core.is_json(req.mimetype):
            flask_smorest.abort(
                415, message="Send the body as JSON (Content-Type: application/json)."
            )
        data = req.get_data(cache=True)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return self._handle_invalid_json_error(exc, req)
        try:
            return json.loads(text, object_pairs_hook=_refuse_duplicates, parse_int=_parse_int)
        except DuplicateKey as exc:
            flask_smorest.abort(
                400, messages={"json": {exc.key: ["Given twice in the JSON body."]}}
            )
        except RecursionError:
            flask_smorest.abort(400, messages={"json": ["JSON nested too deeply."]})
        except NumberTooLong:
            flask_smorest.abort(
                400,
                messages={
                    "json": [
                        "Invalid JSON body: a number has more than "
                        f"{sys.get_int_max_str_digits()} digits."
                    ]
                },
            )


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


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
WWW_AUTHENTICATE = {
    "WWW-Authenticate": {"description": "The scheme to use.", "schema": {"type": "string"}}
}
# The answers any route may give besides its own, in the one error shape: (status, name,
# description, headers, applies to an operation?).
COMMON_ERRORS = (
    (401, "UNAUTHORIZED", "No credentials, or a key or token that is unknown, revoked or of a "
     "disabled account.", WWW_AUTHENTICATE, lambda path, op: bool(op.get("security"))),
    (403, "FORBIDDEN", "Not allowed: valid credentials of the other kind (a moderator's "
     "token or login where a website's API key is needed, a website's key on the queue), or "
     "an action the moderator's role may not take.", {},
     lambda path, op: len(op.get("security") or ()) == 1),
    (404, "NOT_FOUND", "Not there, or not yours (an id beyond 2^31-1 included).", {},
     lambda path, op: "{" in path),
    (413, "PAYLOAD_TOO_LARGE", "The body is over the route's limit; the message gives it in "
     "bytes.", {}, lambda path, op: "requestBody" in op),
    (414, "URI_TOO_LONG", "Path and query over 4 KiB.", {}, lambda path, op: True),
    (415, "UNSUPPORTED_MEDIA_TYPE", "The body is not `application/json`.", {},
     lambda path, op: "requestBody" in op),
    (429, "TOO_MANY_REQUESTS", "Over API_RATE_LIMIT for this key (or, on /moderate, another "
     "batch of the key still running).", RETRY_AFTER,
     lambda path, op: path.startswith("/api/v1/")),
    (503, "SERVICE_UNAVAILABLE", "The database is down, hung or out of connections.",
     RETRY_AFTER, lambda path, op: path != "/healthz"),
)  # fmt: skip


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ErrorSchema

    def document_common_errors(self) -> None:
        """Declare the errors routes may answer whatever they do (401 and 403 where
        credentials are needed, 404 with an id in the path, 413 and 415 with a body, 414,
        429, 503) in the OpenAPI document, and drop the operations marked ``hide`` (the
        docs page and its assets). Call once every blueprint is registered."""
        for _status, name, description, headers, _applies in COMMON_ERRORS:
            response = {"description": description, "content": {"application/json": {
                "schema": ErrorSchema}}}  # fmt: skip
            if headers:
                response["headers"] = headers
            self.spec.components.response(name, response)
        paths = self.spec._paths  # apispec keeps no public way to edit a path once added
        for path, operations in list(paths.items()):
            for method, operation in list(operations.items()):
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                if operation.get("hide"):
                    del operations[method]
                    continue
                for status, name, _, _, applies in COMMON_ERRORS:
                    if applies(path, operation):
                        ref = {"$ref": f"#/components/responses/{name}"}
                        operation["responses"].setdefault(str(status), ref)
            if not any(isinstance(op, dict) and "responses" in op for op in operations.values()):
                del paths[path]

    def handle_http_exception(self, error: HTTPException):
        if not request.path.startswith(JSON_PATH_PREFIXES):
            return error.get_response()
        data = getattr(error, "data", None) or {}
        fields: dict[str, list[str]] = {}
        if "messages" in data:
            # webargs nests messages under the location ("json", "headers", ...)
            for location_messages in data["messages"].values():
                fields.update(flatten_fields(location_messages))
        if data.get("errors"):  # abort(..., errors=None) leaves the key there
            fields.update(flatten_fields(data["errors"]))
        status = error.code or 500
        if fields and "message" not in data:
            message = "Invalid request: " + ", ".join(sorted(fields)) + "."
        elif isinstance(error, RequestEntityTooLarge) and request.max_content_length:
            message = f"The body may be at most {request.max_content_length} bytes on this route."
        else:
            message = data.get("message") or error.description or error.name
        body = error_body(status, message, fields, data.get("error_code"))
        headers = dict(data.get("headers") or {})
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return body, status, headers
