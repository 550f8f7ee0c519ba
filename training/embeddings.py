"""Sentence-encoder embeddings of the training rows, for fitting the heads.

The encoder is the shipped, content-addressed ONNX folder (``models/encoders/<sha256>``)
run through the serving code (:class:`service.moderation.encoder.SentenceEncoder`),
so the heads are fitted on exactly the int8 embeddings the service computes. No
torch is needed: this is how ``python -m training train`` refits the heads on a
frozen encoder.

Embedding 90,000 rows takes minutes on 2 cores; :class:`EmbeddingCache` keeps the
window embeddings of every text seen, per encoder digest, so a second run (another
label set, another head setting) only embeds the new texts.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from service.config import PROJECT_ROOT
from service.moderation.encoder import SentenceEncoder, encoder_digest, load_encoder
from service.moderation.loader import default_version, read_card

log = logging.getLogger("training.embeddings")
CHUNK = 512
# In the cache file's name: embeddings from before the encoder ran each window alone
# (they were batched, and int8 batches quantise with a shared scale) are not reused.
CACHE_FORMAT = "alone"


def _named_encoder(models_dir: Path) -> Path | None:
    """The encoder the default version's card names, else the only one in ``encoders/``."""
    version = default_version(models_dir)
    if version:
        spec = read_card(models_dir, version).get("encoder")
        if spec:
            return models_dir / spec["path"]
    found = sorted(p for p in (models_dir / "encoders").glob("*") if p.is_dir())
    return found[0] if len(found) == 1 else None


def resolve_encoder(models_dir: Path, encoder: Path | None = None) -> Path:
    """The encoder folder to fit heads on.

    ``encoder`` if given; else the one ``models_dir``'s default version names (or the
    only folder under ``models_dir/encoders``); else the same in the project's own
    ``models/``, the shipped encoder.
    """
    if encoder is not None:
        return Path(encoder)
    for folder in dict.fromkeys([Path(models_dir), PROJECT_ROOT / "models"]):
        found = _named_encoder(folder)
        if found is not None:
            return found
    raise FileNotFoundError(
        f"no encoder: pass --encoder, or keep exactly one folder in {models_dir}/encoders"
    )


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


class EmbeddingCache:
    """Window embeddings of normalised texts, by encoder digest, in ``folder`` (optional)."""

    def __init__(self, folder: Path | None, digest: str):
        self.path = Path(folder) / f"{digest}-{CACHE_FORMAT}.npz" if folder else None
        self.vectors: dict[int, np.ndarray] = {}
        if self.path and self.path.exists():
            data = np.load(self.path)
            keys, starts, vectors = data["keys"], data["starts"], data["vectors"]
            ends = np.r_[starts[1:], len(vectors)]
            self.vectors = {
                int(k): vectors[a:b] for k, a, b in zip(keys, starts, ends, strict=True)
            }
            log.info("%d cached texts from %s", len(self.vectors), self.path)

    def save(self) -> None:
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self.vectors), dtype=np.uint64)
        blocks = list(self.vectors.values())
        starts = np.cumsum([0] + [len(b) for b in blocks[:-1]]).astype(np.int64)
        np.savez(self.path, keys=keys, starts=starts, vectors=np.vstack(blocks))

    def embed_windows(
        self, encoder: SentenceEncoder, texts: list[str], progress: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """Window embeddings and owners of ``texts`` (normalised), embedding only new ones."""
        keys = [_key(t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}.items()
        )
        bar = tqdm(total=len(missing), desc="embed", disable=not progress, mininterval=10)
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            vectors, owner = encoder.embed_windows([t for _, t in chunk])
            for i, (k, _) in enumerate(chunk):
                self.vectors[k] = vectors[owner == i]
            bar.update(len(chunk))
        bar.close()
        if missing:
            self.save()
        blocks = [self.vectors[k] for k in keys]
        owner = np.repeat(np.arange(len(texts)), [len(b) for b in blocks])
        return np.vstack(blocks), owner


def text_vectors(vectors: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """One unit vector per text: its windows' normalised mean (what the heads are fitted on)."""
    if len(owner) == n:
        return vectors
    summed = np.zeros((n, vectors.shape[1]), dtype=np.float32)
    np.add.at(summed, owner, vectors)
    norms = np.linalg.norm(summed, axis=1, keepdims=True)
    return summed / np.where(norms > 0, norms, 1.0)


def open_encoder(folder: Path, threads: int = 2) -> tuple[SentenceEncoder, str]:
    """Load (and verify against its folder name, when that is a digest) an encoder."""
    folder = Path(folder)
    digest = encoder_digest(folder)
    if len(folder.name) == 64 and folder.name != digest:
        raise ValueError(f"{folder}: its digest is {digest}, not its name")
    return load_encoder(folder, digest, threads=threads), digest
