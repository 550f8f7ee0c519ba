"""Safe loading: what is hashed is what is unpickled; a fixed file is served without a restart."""

from __future__ import annotations

import joblib

from service.extensions import db
from service.moderation import loader
from service.serving import runtime
from service.serving.registry import promote

from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model


def test_the_unpickled_bytes_are_the_hashed_bytes(models_dir, monkeypatch):
    folder = write_model(models_dir, "kw-1", KeywordScorer(DEFAULT_WORDS))
    real_load = joblib.load

    def swap_then_load(source, *args, **kwargs):
        # another process replaces the artifact between the check and the load
        joblib.dump(KeywordScorer({"swapped": "threat"}), folder / "model.joblib")
        return real_load(source, *args, **kwargs)

    monkeypatch.setattr(loader.joblib, "load", swap_then_load)
    model = loader.load_model(models_dir, "kw-1")
    assert model.scorer.words == DEFAULT_WORDS


def test_a_refused_version_is_retried_and_served_once_fixed(app, keyword_models_dir, monkeypatch):
    models_dir = keyword_models_dir
    folder = write_model(models_dir, "kw-2", KeywordScorer({"drat": "profanity"}))
    good = (folder / "model.joblib").read_bytes()
    (folder / "model.joblib").write_bytes(good[:-5])  # still being copied, or damaged
    moderation = app.extensions["moderation"]
    with app.app_context():
        assert moderation.model.version == "kw-1"
        promote(models_dir, "kw-2", "test", None)
        assert moderation.model.version == "kw-1"  # refused, the active model stays
        (folder / "model.joblib").write_bytes(good)
        assert moderation.model.version == "kw-1"  # not retried before the back-off
        monkeypatch.setattr(runtime, "REFUSED_RETRY_SECONDS", 0.0)
        assert moderation.model.version == "kw-2"  # fixed on disk: served, no restart
        db.session.remove()
