"""A version's digests are recorded in the database; files replaced with their card are refused."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select

from service.extensions import db
from service.tables import ModelDigest

from conftest import new_api_key
from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model


def served(app) -> str | None:
    """The version that scores a comment in ``app`` (None: nothing scored it)."""
    body = {"comments": [{"text": "a fine remark about the budget"}]}
    name = f"site-{uuid.uuid4().hex[:8]}"
    response = app.test_client().post("/api/v1/moderate", json=body, headers=new_api_key(app, name))
    return response.json["model_version"]


def digests(app) -> dict[str, tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(ModelDigest))
        return {r.version: (r.artifact_sha256, r.recorded_by) for r in rows}


def test_the_default_version_is_recorded_at_first_start(scored_app):
    assert served(scored_app) == "kw-1"
    recorded = digests(scored_app)
    assert set(recorded) == {"kw-1"} and recorded["kw-1"][1].startswith("worker:")


def test_an_artifact_replaced_with_its_card_is_refused(configured_app, keyword_models_dir, caplog):
    first = configured_app(keyword_models_dir)
    assert served(first) == "kw-1"
    # whoever can write the models directory swaps in another pickle and its matching card
    write_model(keyword_models_dir, "kw-1", KeywordScorer({"budget": "threat"}))
    second = configured_app(keyword_models_dir)
    with caplog.at_level(logging.ERROR, logger="service.serving.runtime"):
        assert served(second) is None
    assert any(
        "refused model kw-1" in r.getMessage() and "not the ones recorded" in r.getMessage()
        for r in caplog.records
    )


PICKLE_RAN: list[str] = []


def _pickle_ran(what: str) -> None:
    PICKLE_RAN.append(what)


class RunsCode:
    """A pickle that, once unpickled, would have run code in the worker."""

    def __reduce__(self):
        return (_pickle_ran, ("the pickle's code ran",))


def test_a_malicious_pickle_with_its_card_is_refused_before_it_is_unpickled(
    configured_app, keyword_models_dir
):
    import hashlib
    import json
    import pickle

    assert served(configured_app(keyword_models_dir)) == "kw-1"
    folder = keyword_models_dir / "kw-1"
    content = pickle.dumps(RunsCode())
    (folder / "model.joblib").write_bytes(content)
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    card["artifact_sha256"] = hashlib.sha256(content).hexdigest()
    (folder / "card.json").write_text(json.dumps(card), encoding="utf-8")
    PICKLE_RAN.clear()
    assert served(configured_app(keyword_models_dir)) is None
    assert PICKLE_RAN == []


def test_promotion_records_the_candidate(keyword_models_dir, scored_app, monkeypatch):
    from service.commands import versions as models_cli
    from service.retraining.gate import task_evaluator

    monkeypatch.setattr(models_cli, "load_suite", lambda data_dir: task_evaluator([]))
    write_model(keyword_models_dir, "kw-2", KeywordScorer(DEFAULT_WORDS | {"dang": "profanity"}))
    result = scored_app.test_cli_runner().invoke(
        args=["models", "promote", "kw-2", "--actor", "ops"]
    )
    assert result.exit_code == 0, result.output
    assert digests(scored_app)["kw-2"][1] == "ops"
    assert served(scored_app) == "kw-2"
