"""The CSV format of the term lists, and the default list that ships with the service.

Columns (a header row is required; see the README, "Term lists"):

``list``      ``block`` or ``allow``
``term``      the word or phrase, as a reader would write it
``category``  blocklist only: profanity, vulgarity, threat, personal_attack, abuse, promotion
``action``    blocklist only: ``reject`` or ``hold``
``language``  ``en ckb kmr ar tr fa``, or empty for every language
``note``      free text for the people who maintain the list (a gloss, a reason)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import IO

COLUMNS = ("list", "term", "category", "action", "language", "note")
REQUIRED = ("list", "term")


class CsvError(ValueError):
    """The file cannot be read as a term list; the message says where and why."""


def defaults_text() -> str:
    """The default list shipped in the package (``service/terms/defaults.csv``)."""
    return resources.files("service.terms").joinpath("defaults.csv").read_text("utf-8")


def read_rows(stream: IO[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each entry of a term-list CSV; a row is a dict of the
    known columns, stripped, a missing one "".

    Blank lines and lines whose first cell starts with ``#`` are comments. Raises
    :class:`CsvError` on a missing or unknown column.
    """
    reader = csv.reader(stream)
    header: list[str] | None = None
    rows = []
    for cells in reader:
        cells = [cell.strip() for cell in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header is None:
            header = cells
            missing = [name for name in REQUIRED if name not in header]
            unknown = [name for name in header if name not in COLUMNS]
            if missing or unknown:
                problem = "missing" if missing else "unknown"
                raise CsvError(
                    f"line {reader.line_num}: {problem} column(s) "
                    f"{', '.join(missing or unknown)}; the columns are {', '.join(COLUMNS)}"
                )
            continue
        if len(cells) > len(header):
            raise CsvError(
                f"line {reader.line_num}: {len(cells)} cells, the header has {len(header)}"
            )
        row = dict.fromkeys(COLUMNS, "") | dict(zip(header, cells, strict=False))
        rows.append((reader.line_num, row))
    if header is None:
        raise CsvError(f"no header row; the columns are {', '.join(COLUMNS)}")
    return rows


def write_rows(rows: Iterable[Mapping[str, str | None]]) -> str:
    """The CSV text of ``rows`` (dicts keyed by :data:`COLUMNS`), header first."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name) or "" for name in COLUMNS})
    return out.getvalue()
