"""Highlighted text for the queue's templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def segments(text: str, spans: Iterable[Mapping[str, Any]]) -> list[tuple[str, str | None]]:
    """Cut ``text`` into ``(slice, category or None)`` pieces along the evidence spans.

    The slices join back to exactly ``text``: highlighting wraps pieces, it never
    changes them. Offsets are code points (Python indices); overlapping spans are
    merged into the first; spans outside the text are clipped or dropped.
    """
    pieces: list[tuple[str, str | None]] = []
    cursor = 0
    ordered = sorted(
        (int(s["start"]), int(s["end"]), str(s.get("category") or "")) for s in spans or []
    )
    for start, end, category in ordered:
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], category or "evidence"))
        cursor = end
    if cursor < len(text) or not pieces:
        pieces.append((text[cursor:], None))
    return pieces
