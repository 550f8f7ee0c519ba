"""The encoder model version: loading the encoder its card names, scoring, refusals."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from encoder_fixture import build_tiny_encoder_model

from service.moderation.blend import EncoderModel, EncoderNotAttached
from service.moderation.encoder import MODEL_FILE
from service.moderation.loader import ModelLoadError, load_model
from service.moderation.types import CATEGORIES

FILLER = "the very long story of the city news and the council read it " * 50


@pytest.fixture
def models(tmp_path):
    build_tiny_encoder_model(tmp_path)
    return tmp_path


def _card(models):
    return json.loads((models / "tiny-enc-1" / "card.json").read_text())


def test_loads_and_scores_through_the_encoder(models):
    loaded = load_model(models, "tiny-enc-1")
    assert isinstance(loaded.scorer, EncoderModel)
    assert loaded.scorer.encoder is not None
    clean, attack = loaded.scorer.score_batch(["Thanks for the article", "you stupid idiot"])
    assert set(clean.scores) == set(CATEGORIES)
    assert attack.scores["personal_attack"] > clean.scores["personal_attack"]


def test_the_encoder_is_not_pickled_into_the_artifact(models):
    loaded = load_model(models, "tiny-enc-1")
    state = pickle.loads(pickle.dumps(loaded.scorer))
    assert state.encoder is None
    with pytest.raises(EncoderNotAttached):
        state.score_batch(["hello"])
    artifact = (models / "tiny-enc-1" / "model.joblib").stat().st_size
    assert artifact < (models / _card(models)["encoder"]["path"] / MODEL_FILE).stat().st_size * 20


def test_a_batch_equals_one_comment_at_a_time(models):
    scorer = load_model(models, "tiny-enc-1").scorer
    texts = ["Thanks", "you stupid idiot", "", "buy now free prize", FILLER + "i will kill you"]
    together = scorer.score_batch(texts)
    for text, result in zip(texts, together, strict=True):
        alone = scorer.score(text)
        assert alone.evidence == result.evidence
        for c in CATEGORIES:
            assert abs(alone.scores[c] - result.scores[c]) < 1e-6


def test_the_end_of_a_long_comment_is_read(models):
    scorer = load_model(models, "tiny-enc-1").scorer
    long_threat = FILLER + "i will kill you and hurt you"
    assert len(long_threat) > 3000
    enc = scorer.encoder_proba_normalized([long_threat, FILLER + "thanks for the story"])
    threat = CATEGORIES.index("threat")
    assert enc[0, threat] > enc[1, threat]


def test_a_tampered_encoder_refuses_the_version(models):
    folder = models / _card(models)["encoder"]["path"]
    data = bytearray((folder / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="refusing a tampered"):
        load_model(models, "tiny-enc-1")


@pytest.mark.parametrize("path", ["../elsewhere", "/etc", ""])
def test_an_encoder_outside_the_models_directory_is_refused(models, path):
    card = _card(models)
    card["encoder"]["path"] = path
    (models / "tiny-enc-1" / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelLoadError):
        load_model(models, "tiny-enc-1")


def test_heads_fitted_on_another_encoder_are_refused(models):
    card = _card(models)
    other = "f" * 64
    (models / "encoders" / card["encoder"]["sha256"]).rename(models / "encoders" / other)
    card["encoder"] = {"path": f"encoders/{other}", "sha256": other}
    (models / "tiny-enc-1" / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelLoadError, match="another encoder"):
        load_model(models, "tiny-enc-1")


def test_blend_weights_mix_the_two_scores(models):
    scorer = load_model(models, "tiny-enc-1").scorer
    a, b = np.full((1, 6), 0.8), np.full((1, 6), 0.2)
    np.testing.assert_allclose(scorer.blend(a, b), 0.5)


def test_training_picks_the_blend_that_measures_better():
    from training.train import pick_blend

    rng = np.random.default_rng(0)
    y = (rng.random((400, 6)) < 0.3).astype(float)
    y[:50, 2] = np.nan  # unknown labels are left out
    good = np.clip(y + rng.normal(0, 0.2, y.shape), 0, 1)
    noise = rng.random(y.shape)
    weights, report = pick_blend(y, np.nan_to_num(good), noise)
    assert all(w == 1.0 for w in weights.values())
    weights, _ = pick_blend(y, noise, np.nan_to_num(good))
    assert all(w <= 0.25 for w in weights.values())
    assert report["threat"]["auc_encoder"] > 0.9 > report["threat"]["auc_ngram"]
