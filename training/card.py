"""Write a model version: ``models/<version>/model.joblib`` and its ``card.json``.

Every model, the tiny one of the tests included, is written here, so every card
has the fields the service's loader and policy read.
"""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import joblib

from service.config import PROJECT_ROOT
from service.moderation.loader import file_sha256, version_dir
from service.moderation.types import CATEGORIES

ARTIFACT = "model.joblib"


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("scikit-learn", "numpy", "scipy", "joblib"):
        try:
            versions[name] = package_version(name)
        except PackageNotFoundError:
            versions[name] = "missing"
    return versions


def data_path(path: Path, data_dir: Path) -> str:
    """A data file as the card names it: under ``data_dir``, else under the project (else
    its whole path)."""
    for root in (Path(data_dir), PROJECT_ROOT):
        if path.is_relative_to(root):
            return str(path.relative_to(root))
    return str(path)


def write_model(
    model: Any,
    models_dir: Path,
    version: str,
    thresholds: dict[str, dict[str, float]],
    card: dict[str, Any] | None = None,
) -> Path:
    """Save ``model`` and its card under ``models_dir/version``; returns the folder.

    ``thresholds`` maps each category to at least ``{"reject": r, "review": v}``
    with ``r >= v``; extra keys (the basis of the pick) are kept in the card.
    """
    folder = version_dir(Path(models_dir), version)
    folder.mkdir(parents=True, exist_ok=True)
    artifact = folder / ARTIFACT
    joblib.dump(model, artifact)
    for category in CATEGORIES:
        pair = thresholds[category]
        if not 0.0 <= pair["review"] <= pair["reject"] <= 1.0:
            raise ValueError(f"{category}: need 0 <= review <= reject <= 1, got {pair}")
    content = {
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "artifact": ARTIFACT,
        "artifact_sha256": file_sha256(artifact),
        "artifact_bytes": artifact.stat().st_size,
        "categories": list(CATEGORIES),
        "thresholds": {
            c: {"reject": float(thresholds[c]["reject"]), "review": float(thresholds[c]["review"])}
            for c in CATEGORIES
        },
        "threshold_basis": {
            c: {k: v for k, v in thresholds[c].items() if k not in ("reject", "review")}
            for c in CATEGORIES
        },
        "libraries": library_versions(),
    }
    for key, value in (card or {}).items():
        content.setdefault(key, value)
    (folder / "card.json").write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    return folder
