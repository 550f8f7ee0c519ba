"""Per-endpoint limits: body size (checked before the body is read), batches at once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from service import ratelimits

# The most bytes one character can take in JSON: a code point beyond the BMP written as two
# \u escapes ("\ud83d\ude00"), as json.dumps writes every non-ASCII one by default.
ESCAPED_CHAR_BYTES = 12
# Room per field for a pretty-printed body: a newline, indentation, a space after the colon.
LAYOUT_BYTES_PER_FIELD = 16
ISO_TIME_CHARS = 32  # 2026-12-01T08:30:00.000000+03:00


def _longest_value(field: fields.Field) -> int:
    if isinstance(field, fields.Nested):
        return max_json_bytes(field.schema)
    if isinstance(field, fields.DateTime):
        return 2 + ESCAPED_CHAR_BYTES * ISO_TIME_CHARS
    if isinstance(field, fields.String):
        lengths = [v.max for v in field.validators if isinstance(v, validate.Length) and v.max]
        if lengths:
            return 2 + ESCAPED_CHAR_BYTES * min(lengths)
    raise TypeError(f"No longest value known for {field!r}: give it a maximum length.")


def max_json_bytes(schema: Schema) -> int:
    """The bytes of the longest JSON body ``schema`` accepts, every character \\u-escaped
    and laid out pretty-printed: a body limit under it would refuse a valid request."""
    total = 2  # {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        total += 2 + ESCAPED_CHAR_BYTES * len(key) + 2 + LAYOUT_BYTES_PER_FIELD  # "key": ,
        total += _longest_value(field)
    return total


def limit_body(max_bytes: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (413) a body larger than ``max_bytes`` for this view only."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            request.max_content_length = max_bytes
            return view(*args, **kwargs)

        return wrapper

    return decorator


def one_slot(extension: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run the view in one of the caller's slots (``app.extensions[extension]``), else 429.

    Checked before the body is parsed, so a refused batch costs almost nothing.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            slots = current_app.extensions[extension]
            with slots.hold(ratelimits.api_caller()) as held:
                if not held:
                    abort(
                        429,
                        message=f"At most {slots.limit} {slots.name} request(s) of one caller "
                        "run at once; retry when one has finished.",
                        headers={"Retry-After": "1"},
                    )
                return view(*args, **kwargs)

        return wrapper

    return decorator
