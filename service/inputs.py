"""What a request may look like before routing picks a view: bounded ids, a bounded URI.

An id beyond the columns' 32-bit range (PostgreSQL's ``integer``) cannot name a
row: the ``int`` converter of every route refuses it, so the route answers 404
instead of the database raising. A path plus query over ``MAX_URI_BYTES``
answers 414 (gunicorn's ``limit_request_line`` refuses longer lines itself).
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from service.errors import error_body
from service.schemas.comments import MAX_ID

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


def init_app(app: Flask) -> None:
    """Install the converter (before any route is added) and the URI length check."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def _refuse_long_uris():
        raw = request.environ.get("RAW_URI") or request.full_path  # as sent, percent-encoded
        if len(raw) > MAX_URI_BYTES:
            message = f"The path and query may be at most {MAX_URI_BYTES} bytes."
            return error_body(414, message), 414
        return None
