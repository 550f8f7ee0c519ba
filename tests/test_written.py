"""Our own written training comments and how the fine-tune draws and batches its rows."""

from __future__ import annotations

import csv
import re

import numpy as np

from service.moderation.types import CATEGORIES
from training.data import WRITTEN, written
from training.finetune import corpus_targets, length_batches, sample_rows
from training.guidelines import GUIDELINES

IDX = {c: i for i, c in enumerate(CATEGORIES)}
NEAR_COPY = 0.45


def test_written_comments_label_their_category_and_leave_the_ambiguous_unknown():
    corpus = written()
    with WRITTEN.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(corpus) == len(rows) >= 1000
    assert len({r["text"].casefold() for r in rows}) == len(rows)
    for row, labels in zip(rows, corpus.labels, strict=True):
        category = row["category"]
        if not category:
            assert (labels == 0).all(), row
            continue
        assert labels[IDX[category]] == 1.0
        if category == "promotion":
            assert np.nansum(labels) == 1.0
            continue
        # an insult is not swearing, but the corpora's "offensive" label would say so
        assert np.isnan(labels[IDX["profanity"]])
        assert labels[IDX["promotion"]] == 0.0
    threat = next(
        lab for r, lab in zip(rows, corpus.labels, strict=True) if r["category"] == "threat"
    )
    assert np.isnan(threat[IDX["personal_attack"]]) and threat[IDX["abuse"]] == 0.0


def assert_no_near_copies(texts, words) -> None:
    """No text shares most of its words with a row of any suite (word-set Jaccard under
    ``NEAR_COPY``), words read by ``words``."""
    suite_rows = []
    for suite in GUIDELINES.parent.glob("*.csv"):
        with suite.open(encoding="utf-8", newline="") as handle:
            suite_rows += [words(row["text"]) for row in csv.DictReader(handle)]
    for text in texts:
        ours = words(text)
        closest = max(len(ours & theirs) / len(ours | theirs) for theirs in suite_rows)
        assert closest < NEAR_COPY, text


def test_arabic_and_turkish_comments_are_not_near_copies_of_any_evaluation_row():
    """The same check for ``ar.csv`` and ``tr.csv``, words in any script."""
    from training.language_models import WRITTEN_DIR, written_comments

    for language in ("ar", "tr"):
        assert (WRITTEN_DIR / f"{language}.csv").is_file()
        texts = written_comments(language).texts
        assert len({t.casefold() for t in texts}) == len(texts) >= 400
        assert_no_near_copies(texts, lambda text: set(re.findall(r"\w+", text.casefold())))


def test_written_comments_are_not_near_copies_of_any_evaluation_row():
    """No training comment shares most of its words with a suite row (word-set Jaccard
    under 0.45): blind writers converge on stock insults, and a near copy would make the
    suite measure memory instead of judgement."""
    assert_no_near_copies(written().texts, lambda text: set(re.findall(r"[a-z']+", text.lower())))


def test_length_batches_cover_every_row_once_and_group_similar_lengths():
    rng = np.random.default_rng(0)
    lengths = list(rng.integers(3, 128, size=1000))
    batches = length_batches(lengths, batch=32, seed=0, run=10)
    rows = np.concatenate(batches)
    assert len(rows) == len(set(rows.tolist())) == len(batches) * 32
    assert len(rows) >= 1000 - 32 * 10  # at most a remainder of each run is left out
    spread = np.mean([np.ptp([lengths[i] for i in b]) for b in batches])
    assert spread < 0.3 * np.ptp(lengths)  # a random batch spans nearly the whole range
    assert batches[0].tolist() != sorted(batches[0].tolist()) or len(batches) > 1


def test_corpus_targets_put_each_rows_labels_in_its_own_corpus_block():
    labels = np.array([[1.0, 0, np.nan, 0, 0, 0], [0, 1.0, 0, 0, np.nan, 0]])
    out = corpus_targets(labels, np.array([1, 0]), n_corpora=3)
    assert out.shape == (2, 18)
    np.testing.assert_array_equal(out[0, 6:12], labels[0])
    np.testing.assert_array_equal(out[1, 0:6], labels[1])
    assert np.isnan(out[0, :6]).all() and np.isnan(out[0, 12:]).all()


def test_written_rows_are_drawn_without_thin_oversampling():
    from training.data import Corpus

    threat = [0.0] * len(CATEGORIES)
    threat[IDX["threat"]] = 1.0
    clean = [0.0] * len(CATEGORIES)
    rows = np.array([threat, clean] * 50)
    texts = [f"text number {i}" for i in range(100)]
    other = Corpus("other", texts, rows, [])
    ours = Corpus("written", [f"ours {t}" for t in texts], rows, [])
    _, labels, origin = sample_rows([other, ours], 20_000, thin_weight=1.0, seed=0)
    share = {k: labels[origin == k, IDX["threat"]].mean() for k in (0, 1)}
    assert share[0] > 0.8  # threat positives drawn eight times as often
    assert 0.4 < share[1] < 0.6  # ours as written: half and half
