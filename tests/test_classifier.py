"""The saved model: fast path equals scikit-learn, evidence, committed model behaviour."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from service.moderation.bundle import scorers_of
from service.moderation.loader import default_version, load_model
from service.moderation.normalize import normalize
from service.moderation.types import CATEGORIES
from training.evaluate import SUITES, read_lines

from tiny_model import build_tiny_model

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
SAMPLES = [
    "",
    "   ",
    "Thanks for the article!",
    "you are a f*cking idiot",
    "I will find you. I know where you live!!!",
    "FREE entry: call 0800 123 4567 or visit www.win.com",
    "Ѕhіt\u200b happens &amp; <b>we</b> move on, @USER URL",
    "a b c d e f g h i",
    "sooooo gooood",
    "x" * 3000,
    "emoji 😀😀 and accents: café naïve",
    "word " * 400,
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    models = tmp_path_factory.mktemp("models")
    build_tiny_model(models)
    return load_model(models, "tiny-1")


@pytest.fixture(scope="module")
def tiny_sublinear(tmp_path_factory):
    from dataclasses import replace

    from tiny_model import TINY_PARAMS

    models = tmp_path_factory.mktemp("models")
    build_tiny_model(models, "tiny-sub", params=replace(TINY_PARAMS, sublinear_tf=True))
    return load_model(models, "tiny-sub")


@pytest.fixture(scope="module")
def shipped():
    version = default_version(MODELS)
    if version is None:
        pytest.skip("no committed default model")
    return load_model(MODELS, version)


def test_loader_round_trip_of_tiny_model(tiny):
    assert tiny.version == "tiny-1"
    for category in CATEGORIES:
        pair = tiny.thresholds[category]
        assert 0 <= pair["review"] <= pair["reject"] <= 1


def test_tiny_model_separates_clean_from_abusive(tiny):
    clean, abusive, spam = tiny.scorer.score_batch(
        ["Lovely photos of the harbour.", "you stupid fucking idiot", "buy now www.deals.com"]
    )
    assert max(clean.scores.values()) < 0.5
    assert abusive.scores["profanity"] > 0.8
    assert spam.scores["promotion"] > 0.5


def ngram_part(scorer):
    """The n-gram model inside a version: itself, or the English one's behind an encoder."""
    english = scorers_of(scorer)["en"]
    return getattr(english, "ngram", english)


@pytest.mark.parametrize("which", ["tiny", "tiny_sublinear", "shipped"])
def test_fast_path_equals_sklearn(which, request):
    model = ngram_part(request.getfixturevalue(which).scorer)
    texts = SAMPLES + read_lines(SUITES / "evasions.txt") + read_lines(SUITES / "innocent.txt")
    reference = model.sklearn_proba(texts)
    assert np.abs(model.learned_proba(texts) - reference).max() < 1e-6
    normalized = [normalize(t) for t in texts]
    probs, features, stats = model.learned(normalized)
    logits = np.log(probs / (1 - probs))
    parts = model._batch_parts(features, list(range(len(texts))), stats)
    for i, shares in enumerate(parts):  # the evidence shares add up to the logits
        assert np.allclose(model._intercept + shares.sum(axis=0), logits[i], atol=1e-6)


def test_score_batch_shape_and_order(tiny):
    results = tiny.scorer.score_batch(SAMPLES)
    assert len(results) == len(SAMPLES)
    for text, result in zip(SAMPLES, results, strict=True):
        assert set(result.scores) == set(CATEGORIES)
        assert all(0.0 <= v <= 1.0 for v in result.scores.values())
        single = tiny.scorer.score(text)
        assert single.evidence == result.evidence
        assert all(abs(single.scores[c] - result.scores[c]) < 1e-9 for c in CATEGORIES)
        for span in result.evidence:
            assert 0 <= span.start < span.end <= len(text)


def test_committed_model_scores_a_comment_the_same_whatever_arrives_with_it(shipped):
    # the committed encoder is int8 with one activation scale per input: a comment batched
    # beside a long one once scored profanity 0.515 instead of its own 0.587
    text = "Anyway this game sucks :)"
    companions = ["@USER Who the hell does he think he is?", "the council met " * 40]
    alone = shipped.scorer.score_batch([text])[0].scores
    together = shipped.scorer.score_batch([text, *companions])[0].scores
    assert together == pytest.approx(alone, abs=1e-6)  # float sums in another order


def test_evidence_points_at_the_offending_original_words(shipped):
    text = "Honestly, you are a f*cking 1diot and I will find you."
    result = shipped.scorer.score(text)
    words = {
        c: [text[s.start : s.end] for s in result.evidence if s.category == c] for c in CATEGORIES
    }
    assert "f*cking" in words["profanity"]
    assert words["profanity"][0] == "f*cking"
    assert "I will find you" in words["threat"]
    assert len(words["profanity"]) <= 5


def test_unpickling_does_not_import_training():
    version = default_version(MODELS) or pytest.skip("no committed default model")
    code = (
        "import sys; from pathlib import Path; from service.moderation.loader import load_model; "
        f"m = load_model(Path({str(MODELS)!r}), {version!r}); m.scorer.score('hi'); "
        "assert not any(k == 'training' or k.startswith('training.') for k in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_committed_model_card_and_size(shipped):
    folder = MODELS / shipped.version
    card = json.loads((folder / "card.json").read_text())
    for key in (
        "version",
        "created_at",
        "artifact",
        "artifact_sha256",
        "categories",
        "thresholds",
        "data",
        "label_mapping",
        "libraries",
        "threshold_targets",
        "metrics",
    ):
        assert key in card, key
    assert card["libraries"]["scikit-learn"] == "1.9.1"
    assert all(len(d["sha256"]) == 64 for d in card["data"])
    assert (folder / card["artifact"]).stat().st_size <= 25 * 1024 * 1024


def _flagged(model, texts):
    limits = np.array([model.thresholds[c]["review"] for c in CATEGORIES])
    scores = np.array([[s.scores[c] for c in CATEGORIES] for s in model.scorer.score_batch(texts)])
    return (scores > limits).any(axis=1)


def test_committed_model_catches_every_evasion(shipped):
    lines = read_lines(SUITES / "evasions.txt")
    missed = [t for t, f in zip(lines, _flagged(shipped, lines), strict=True) if not f]
    assert missed == []


def test_committed_model_passes_every_innocent_text(shipped):
    lines = read_lines(SUITES / "innocent.txt")
    flagged = [t for t, f in zip(lines, _flagged(shipped, lines), strict=True) if f]
    assert flagged == []


def test_committed_model_rejects_group_abuse_in_plain_words(shipped):
    lines = read_lines(SUITES / "group_abuse.txt")
    reject = shipped.thresholds["abuse"]["reject"]
    missed = [
        t
        for t, r in zip(lines, shipped.scorer.score_batch(lines), strict=True)
        if r.scores["abuse"] < reject
    ]
    assert missed == []
    text = "Immigrants are ruining this country, send them all back"
    spans = [
        text[s.start : s.end] for s in shipped.scorer.score(text).evidence if s.category == "abuse"
    ]
    assert "Immigrants are ruining this country" in spans


def test_identity_terms_are_not_flagged_much_more_than_plain_text(shipped):
    identity = _flagged(shipped, read_lines(SUITES / "identity_neutral.txt")).mean()
    plain = _flagged(shipped, read_lines(SUITES / "neutral.txt")).mean()
    print(f"identity-neutral FP rate {identity:.1%}, plain-neutral {plain:.1%}")
    assert identity <= plain + 0.05
