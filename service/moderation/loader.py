"""Load a model version from the models directory, safely.

A joblib file can run code when it is unpickled, so a version is loaded only
from inside the models directory and only after its artifact's sha256 matches
the one its card records.

A card may name a sentence encoder, ``"encoder": {"path": "encoders/<sha256>",
"sha256": "<sha256>"}``: a folder inside the models directory, shared by the
versions that use it, never pickled into an artifact. It is verified the same way
(:func:`service.moderation.encoder.load_encoder`) and handed to the scorer
(``attach_encoder``); a tampered encoder refuses the version with
:class:`ModelLoadError`.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import joblib

from .encoder import EncoderLoadError, load_encoder
from .types import Scoring

VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
CARD_NAME = "card.json"
DEFAULT_FILE = "DEFAULT"


class ModelLoadError(Exception):
    """The version cannot be served: missing, outside the models directory, tampered or corrupt."""


class Scorer(Protocol):
    """What a saved model must offer the service."""

    def score_batch(self, texts: list[str]) -> list[Scoring]: ...


@dataclass(frozen=True)
class LoadedModel:
    version: str
    card: dict[str, Any]
    scorer: Scorer

    @property
    def thresholds(self) -> dict[str, dict[str, float]]:
        return self.card.get("thresholds", {})


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def version_dir(models_dir: Path, version: str) -> Path:
    """The folder of ``version``, refusing names that could lead outside ``models_dir``."""
    if not VERSION_PATTERN.match(version):
        raise ModelLoadError(f"invalid model version name {version!r}")
    root = Path(models_dir).resolve()
    folder = (root / version).resolve()
    if folder.parent != root:
        raise ModelLoadError(f"model version {version!r} is outside {root}")
    return folder


def read_card(models_dir: Path, version: str) -> dict[str, Any]:
    card_path = version_dir(models_dir, version) / CARD_NAME
    try:
        return json.loads(card_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelLoadError(f"model {version}: no {CARD_NAME} in {card_path.parent}") from exc
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"model {version}: unreadable card: {exc}") from exc


def _encoder_folder(models_dir: Path, version: str, spec: Any) -> tuple[Path, str]:
    """The encoder folder a card names, refusing one outside ``models_dir``."""
    if not isinstance(spec, dict) or not spec.get("path") or not spec.get("sha256"):
        raise ModelLoadError(f"model {version}: card's encoder needs a path and a sha256")
    root = Path(models_dir).resolve()
    folder = (root / str(spec["path"])).resolve()
    if not folder.is_relative_to(root) or folder == root:
        raise ModelLoadError(f"model {version}: encoder path {spec['path']!r} leaves {root}")
    return folder, str(spec["sha256"])


def load_model(models_dir: Path, version: str, encoder_threads: int = 1) -> LoadedModel:
    """Verify and unpickle one version. Raises :class:`ModelLoadError`, never anything else.

    ``encoder_threads`` is how many windows the version's encoder runs at once, if its
    card names one (1 per web worker: the workers are the parallelism).
    """
    card = read_card(models_dir, version)
    folder = version_dir(models_dir, version)
    artifact_name = card.get("artifact", "model.joblib")
    artifact = (folder / artifact_name).resolve()
    if artifact.parent != folder:
        raise ModelLoadError(f"model {version}: artifact path {artifact_name!r} leaves its folder")
    expected = card.get("artifact_sha256")
    if not expected:
        raise ModelLoadError(f"model {version}: card has no artifact_sha256")
    try:
        # Read once: the bytes unpickled are the bytes hashed, even if the file is swapped now.
        content = artifact.read_bytes()
    except OSError as exc:
        raise ModelLoadError(f"model {version}: cannot read artifact: {exc}") from exc
    actual = hashlib.sha256(content).hexdigest()
    if actual != expected:
        raise ModelLoadError(
            f"model {version}: artifact sha256 {actual[:12]}… does not match the card's "
            f"{expected[:12]}…: refusing to unpickle a tampered or corrupt file"
        )
    try:
        scorer = joblib.load(io.BytesIO(content))
    except Exception as exc:  # a corrupt pickle can raise almost anything
        raise ModelLoadError(f"model {version}: artifact does not load: {exc!r}") from exc
    if not callable(getattr(scorer, "score_batch", None)):
        raise ModelLoadError(f"model {version}: artifact has no score_batch()")
    if card.get("encoder") is not None:
        encoder_dir, digest = _encoder_folder(models_dir, version, card["encoder"])
        if getattr(scorer, "encoder_sha256", digest) != digest:
            raise ModelLoadError(f"model {version}: heads were fitted on another encoder")
        try:
            scorer.attach_encoder(load_encoder(encoder_dir, digest, threads=encoder_threads))
        except (EncoderLoadError, AttributeError, ValueError) as exc:
            raise ModelLoadError(f"model {version}: {exc}") from exc
    # The model's tables live as long as the process serves it: move them (and everything
    # else loaded so far) out of the cyclic collector's sight, so that its full collections
    # stop walking hundreds of thousands of objects while comments are scored (~10% faster).
    gc.freeze()
    return LoadedModel(version=str(card.get("version", version)), card=card, scorer=scorer)


def default_version(models_dir: Path) -> str | None:
    """The version named by ``models/DEFAULT``, or None when there is none."""
    try:
        name = (Path(models_dir) / DEFAULT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def available_versions(models_dir: Path) -> list[str]:
    root = Path(models_dir)
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if (p / CARD_NAME).is_file() and VERSION_PATTERN.match(p.name)
    )
