"""The evaluation suite of issue 4 as promotion-gate tasks (the test rows, nothing else).

=================== ============================================ ========== ================
task                rows                                         positive   score used
=================== ============================================ ========== ================
olid-offensive      olid/testset-levela.tsv + labels-levela.csv  OFF        highest toxic
davidson-hate       davidson-hate-offensive/test.csv             class 0    abuse
davidson-offensive  same rows                                    class 0, 1 highest toxic
jigsaw-toxic        jigsaw-toxic-sample/test.csv                 toxic 1    highest toxic
sms-promotion       sms-spam/test.csv                            spam       promotion
=================== ============================================ ========== ================

"Highest toxic" is the highest of the five categories other than promotion.
Used by ``flask models promote`` in the CLI process only.
"""

from __future__ import annotations

import csv
from pathlib import Path

from service.gate import Task
from service.moderation.types import TOXIC_CATEGORIES


def _csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter, quoting=quoting))


def _olid_levels(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:  # universal newlines: CR-only files exist
        lines = [line.strip() for line in handle if line.strip()]
    return dict(line.split(",", 1) for line in lines[1:])


def load_suite_tasks(data_dir: Path) -> list[Task]:
    """The five tasks, read from ``data_dir``'s test files."""
    data = Path(data_dir)
    olid = _csv(data / "olid" / "testset-levela.tsv", "\t")
    level_a = _olid_levels(data / "olid" / "labels-levela.csv")
    davidson = _csv(data / "davidson-hate-offensive" / "test.csv")
    jigsaw = _csv(data / "jigsaw-toxic-sample" / "test.csv")
    sms = _csv(data / "sms-spam" / "test.csv")
    return [
        Task(
            "olid-offensive",
            [r["tweet"] for r in olid],
            [int(level_a[r["id"]] == "OFF") for r in olid],
            TOXIC_CATEGORIES,
        ),
        Task(
            "davidson-hate",
            [r["tweet"] for r in davidson],
            [int(r["class"] == "0") for r in davidson],
            ("abuse",),
        ),
        Task(
            "davidson-offensive",
            [r["tweet"] for r in davidson],
            [int(r["class"] in ("0", "1")) for r in davidson],
            TOXIC_CATEGORIES,
        ),
        Task(
            "jigsaw-toxic",
            [r["comment_text"] for r in jigsaw],
            [int(r["toxic"] == "1") for r in jigsaw],
            TOXIC_CATEGORIES,
        ),
        Task(
            "sms-promotion",
            [r["text"] for r in sms],
            [int(r["label"] == "spam") for r in sms],
            ("promotion",),
        ),
    ]
