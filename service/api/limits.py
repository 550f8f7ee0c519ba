"""Per-endpoint limits: body size (checked before the body is read), batches at once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_smorest import abort

from service import ratelimits


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
