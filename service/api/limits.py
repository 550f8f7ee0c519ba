"""Per-endpoint body size limits, checked before the body is read."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import request


def limit_body(max_bytes: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (413) a body larger than ``max_bytes`` for this view only."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            request.max_content_length = max_bytes
            return view(*args, **kwargs)

        return wrapper

    return decorator
