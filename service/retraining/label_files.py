"""The labels file format, CSV or JSONL, shared by ``labels export`` and ``labels import``.

One row per labelled text, UTF-8, with these fields (README "Retraining"):

- ``text``: the comment exactly as stored (1 to 10,000 characters, no U+0000);
- ``profanity``, ``vulgarity``, ``threat``, ``personal_attack``, ``abuse``,
  ``promotion``: ``1`` positive, ``0`` negative, empty (CSV) or null/absent
  (JSONL) unknown; at least one must be known;
- ``labelled_by``: who labelled it (a moderator's username on export);
- ``labelled_at``: when, ISO 8601 (without an offset it is read as UTC);
- ``source``: ``site`` for this site's moderators, else where the label came from
  (optional on import, default ``import``);
- ``comment_id``: this service's comment id on export; on import, a ``site`` row whose
  ``comment_id`` names a comment here with the same text is that comment's decision,
  already here, and is not stored again (if the comment's label has changed since the
  export, the newer one stands and the row is reported as skipped); other rows keep no
  comment id;
- ``language``: the comment's routed language (``en``, ``ckb``, ``kmr``, ``ar``, ``tr``,
  ``fa`` or ``und``), which says which language's model the label trains; optional
  on import (training detects it when absent).

CSV quotes every field, so a text keeps its line breaks, ``\\r`` included.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import IO, Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from service.clock import as_utc
from service.moderation.language import SITE_LANGUAGES, UNDETERMINED
from service.moderation.types import CATEGORIES
from service.retraining.labels import Label
from service.schemas.comments import MAX_TEXT_CHARS

FORMATS = ("csv", "jsonl")
FIELDS = ("text", *CATEGORIES, "labelled_by", "labelled_at", "source", "comment_id", "language")
LANGUAGES = (*SITE_LANGUAGES, UNDETERMINED)
IMPORT_SOURCE = "import"


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row: its line in the file (1-based) and the field."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, field {self.field}: {self.message}"


class CategoryValue(fields.Field):
    """``1`` or ``0`` (number or string); empty or null means unknown."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or value not in (0, 1, "0", "1"):
            raise ValidationError("Must be 1, 0 or empty.")
        return int(value)


def _no_nul(text: str) -> None:
    if "\x00" in text:
        raise ValidationError("Must not contain U+0000.")


class LabelRowSchema(Schema.from_dict({c: CategoryValue(load_default=None) for c in CATEGORIES})):
    """One row of a labels file as read by ``labels import``: a column per category."""

    class Meta:
        unknown = RAISE

    text = fields.String(required=True, validate=[validate.Length(1, MAX_TEXT_CHARS), _no_nul])
    labelled_by = fields.String(required=True, validate=validate.Length(1, 100))
    labelled_at = fields.DateTime(required=True)
    source = fields.String(load_default=IMPORT_SOURCE, validate=validate.Length(1, 100))
    comment_id = fields.Integer(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(LANGUAGES))

    @validates_schema
    def _some_category_known(self, data: dict[str, Any], **kwargs) -> None:
        if all(data.get(c) is None for c in CATEGORIES):
            raise ValidationError(
                f"At least one of {', '.join(CATEGORIES)} must be 1 or 0.", "categories"
            )


def format_of(path: str | Path, given: str | None = None) -> str:
    """``given``, else guessed from the file name (``.csv``, ``.jsonl``/``.ndjson``)."""
    if given:
        return given
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise ValueError(f"cannot tell the format of {Path(path).name}: use --format csv|jsonl")


# --- writing ---------------------------------------------------------------------------


def record(label: Label) -> dict[str, Any]:
    """A label as the row of a file; categories it does not know are None."""
    return {
        "text": label.text,
        **{c: label.labels.get(c) for c in CATEGORIES},
        "labelled_by": label.labelled_by,
        "labelled_at": label.labelled_at.astimezone(UTC).isoformat(),
        "source": label.source,
        "comment_id": label.comment_id,
        "language": label.language,
    }


def write_labels(labels: Iterable[Label], out: IO[str], fmt: str) -> int:
    """Write ``labels`` to ``out`` (opened with ``newline=""``); returns how many."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(FIELDS)
        for label in labels:
            row = record(label)
            writer.writerow(["" if row[f] is None else row[f] for f in FIELDS])
            count += 1
    elif fmt == "jsonl":
        for label in labels:
            out.write(json.dumps(record(label), ensure_ascii=False) + "\n")
            count += 1
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return count


# --- reading ---------------------------------------------------------------------------


def _csv_rows(content: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        yield 1, RowError(1, "header", "The file is empty.")
        return
    except csv.Error as exc:
        yield 1, RowError(1, "header", str(exc))
        return
    missing = [f for f in ("text", "labelled_by", "labelled_at") if f not in header]
    for name in missing:
        yield 1, RowError(1, name, "Missing column.")
    if len(set(header)) != len(header):
        yield 1, RowError(1, "header", "A column name appears twice.")
    if missing:
        return
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, RowError(line, "row", f"Not valid CSV: {exc}.")
            return
        if cells:  # a blank line is no row
            if len(cells) != len(header):
                yield (
                    line,
                    RowError(
                        line, "row", f"Has {len(cells)} fields, the header has {len(header)}."
                    ),
                )
            else:
                yield (
                    line,
                    {  # an empty cell is a value not given (its default), but for the text
                        name: value
                        for name, value in zip(header, cells, strict=True)
                        if value != "" or name == "text"
                    },
                )
        line = reader.line_num + 1


def _jsonl_rows(content: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            yield number, RowError(number, "row", f"Not valid JSON: {exc}.")
            continue
        if not isinstance(value, dict):
            yield number, RowError(number, "row", "Must be a JSON object.")
            continue
        yield number, value


def read_labels(path: str | Path, fmt: str) -> tuple[list[Label], list[RowError]]:
    """Every row of ``path`` as a label, and every problem found (all of them, not the first)."""
    raw = Path(path).read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [RowError(line, "row", "Not valid UTF-8.")]
    rows = _csv_rows(content) if fmt == "csv" else _jsonl_rows(content)
    schema = LabelRowSchema()
    labels: list[Label] = []
    errors: list[RowError] = []
    for line, row in rows:
        if isinstance(row, RowError):
            errors.append(row)
            continue
        try:
            data = schema.load(row)
        except ValidationError as exc:
            for name, messages in sorted(_flatten(exc.messages).items()):
                errors.append(RowError(line, name, " ".join(messages)))
            continue
        moment = data["labelled_at"]
        labels.append(
            Label(
                text=data["text"],
                labels={c: data[c] for c in CATEGORIES if data[c] is not None},
                labelled_by=data["labelled_by"],
                labelled_at=as_utc(moment),
                source=data["source"],
                comment_id=data["comment_id"],
                language=data["language"],
            )
        )
    return labels, errors


def _flatten(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        return {
            str(name): value if isinstance(value, list) else [str(value)]
            for name, value in messages.items()
        }
    return {"row": [str(m) for m in messages]}
