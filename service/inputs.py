"""What a request may look like before routing picks a view: bounded ids, a bounded URI.

An id beyond the columns' 32-bit range (PostgreSQL's ``integer``) cannot name a
row: the ``int`` converter of every route refuses it, so the route answers 404
instead of the database raising. An article id in the path obeys the rule of a
comment's ``article_id``, else 400; the view checks it (``valid_article_id``)
once the caller is authenticated, not the converter. A path plus query over
``MAX_URI_BYTES`` answers 414 (gunicorn's ``limit_request_line`` refuses longer
lines itself).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

import flask_smorest
import marshmallow
from flask import Flask, request
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

from service.errors import error_body
from service.schemas.comments import MAX_ARTICLE_ID, MAX_ID, article_id_field

MAX_URI_BYTES = 4096


class IdConverter(IntegerConverter):
    """``<int:...>`` bounded like a stored id (0 to 2**31 - 1) unless a route says otherwise."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        try:
            return super().to_python(value)
        except ValidationError:
            # werkzeug would try the next rule and could answer 405 for another method's
            # route with the same path: an id that cannot exist is simply not found.
            raise NotFound() from None


def _raw_path_is_utf8() -> bool:
    """werkzeug decodes the path with ``errors="replace"``: look at the bytes as sent."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        path = unquote_to_bytes(raw.partition("?")[0])
    else:
        path = environ.get("PATH_INFO", "").encode("latin-1")
    try:
        path.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class ArticleIdConverter(BaseConverter):
    """``<article_id:...>``: any one path segment, checked by ``valid_article_id``.

    Not checked here: routing runs before the view's authentication, and a caller
    without a valid credential gets its 401 (or 403) before learning anything of the id.
    """

    field = article_id_field()


def valid_article_id(view: Callable[..., Any]) -> Callable[..., Any]:
    """Check the path's ``article_id`` by the very field that validates a comment's
    ``article_id``; a 400 naming ``article_id`` otherwise. Put it under the view's
    authentication decorator, so that only an authenticated caller reaches it."""

    @functools.wraps(view)
    def wrapper(*args: Any, article_id: str, **kwargs: Any) -> Any:
        try:
            if "\ufffd" in article_id and not _raw_path_is_utf8():
                raise marshmallow.ValidationError("Not valid UTF-8.")
            article_id = ArticleIdConverter.field.deserialize(article_id)
        except marshmallow.ValidationError as exc:
            flask_smorest.abort(400, messages={"path": {"article_id": exc.messages}})
        return view(*args, article_id=article_id, **kwargs)

    return wrapper


def article_id_parameter(converter: ArticleIdConverter) -> dict[str, Any]:
    """The path parameter's schema in the OpenAPI document (see ``article_id_field``)."""
    return {"type": "string", "minLength": 1, "maxLength": MAX_ARTICLE_ID,
            "pattern": converter.field.metadata["pattern"]}  # fmt: skip


def init_app(app: Flask) -> None:
    """Install the converters (before any route is added) and the URI length check."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["article_id"] = ArticleIdConverter

    @app.before_request
    def _refuse_long_uris():
        raw = request.environ.get("RAW_URI") or request.full_path  # as sent, percent-encoded
        if len(raw) > MAX_URI_BYTES:
            message = f"The path and query may be at most {MAX_URI_BYTES} bytes."
            return error_body(414, message), 414
        return None
