"""``flask models list|promote|rollback``: the gate decides, the history remembers."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from service.commands import versions as models_cli
from service.extensions import db
from service.moderation.types import TOXIC_CATEGORIES
from service.retraining.gate import Task, task_evaluator
from service.tables import ModelActivation

from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model

BETTER_WORDS = DEFAULT_WORDS | {"moron": "personal_attack"}
SUITE = [
    Task(
        "toxic",
        ["you idiot", "darn it", "you moron", "nice day", "hello there", "see you"],
        [1, 1, 1, 0, 0, 0],
        TOXIC_CATEGORIES,
    ),
    Task("spam", ["buynow cheap", "hi mum", "call me"], [1, 0, 0], ("promotion",)),
]


@pytest.fixture
def versions(keyword_models_dir, monkeypatch):
    """kw-1 (DEFAULT), kw-2 (knows one more insult: better), kw-blind (knows nothing: worse)."""
    models_dir = keyword_models_dir
    write_model(models_dir, "kw-2", KeywordScorer(BETTER_WORDS))
    write_model(models_dir, "kw-blind", KeywordScorer({}))
    monkeypatch.setattr(models_cli, "load_suite", lambda data_dir: task_evaluator(SUITE))
    return models_dir


def activations(app) -> list[ModelActivation]:
    with app.app_context():
        rows = db.session.scalars(select(ModelActivation).order_by(ModelActivation.id)).all()
        db.session.expunge_all()
        return rows


def served_version(client, auth) -> str:
    response = client.post("/api/v1/moderate", json={"comments": [{"text": "hi"}]}, headers=auth)
    assert response.status_code == 200
    with client.application.app_context():
        return client.application.extensions["moderation"].model.version


def test_list_shows_versions_default_and_active(versions, runner):
    card_path = versions / "kw-2" / "card.json"
    card = json.loads(card_path.read_text())
    card["metrics"] = {"suite": {"tasks": {"olid-offensive": {"rows": 860, "auc": 0.8612}}}}
    card_path.write_text(json.dumps(card))
    result = runner.invoke(args=["models", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("* kw-1") and "active default" in line for line in lines)
    assert any(
        line.startswith("  kw-2") and "AUC (card) olid-offensive=0.8612" in line for line in lines
    )
    assert any(line.startswith("  kw-blind") for line in lines)


def test_promote_a_better_model_switches_the_service(versions, app, runner, client, auth):
    assert served_version(client, auth) == "kw-1"
    result = runner.invoke(args=["models", "promote", "kw-2", "--actor", "ana"])
    assert result.exit_code == 0, result.output
    assert "gate: passed" in result.output and "promoted kw-2 (was kw-1)" in result.output
    [row] = activations(app)
    assert (row.version, row.previous_version, row.action) == ("kw-2", "kw-1", "promote")
    assert (row.forced, row.actor) == (False, "ana")
    assert row.report["suite"]["toxic"]["candidate_auc"] == 1.0
    assert row.report["suite"]["toxic"]["active_auc"] < 1.0
    assert served_version(client, auth) == "kw-2"
    listing = runner.invoke(args=["models", "list", "--history"]).output
    assert any(
        line.startswith("* kw-2") and "AUC (gate) toxic=1.0000" in line
        for line in listing.splitlines()
    )
    assert "promote kw-2 (was kw-1) by ana" in listing


def test_a_worse_model_is_refused_unless_forced_with_a_reason(versions, app, runner):
    result = runner.invoke(args=["models", "promote", "kw-blind"])
    assert result.exit_code == 1
    assert "FAIL suite toxic" in result.output and "gate: refused" in result.output
    assert activations(app) == []

    result = runner.invoke(args=["models", "promote", "kw-blind", "--force"])
    assert result.exit_code == 2 and "--force needs --reason" in result.output
    assert activations(app) == []

    result = runner.invoke(
        args=[
            "models",
            "promote",
            "kw-blind",
            "--force",
            "--reason",
            "legal asked",
            "--actor",
            "bo",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "FORCED" in result.output
    [row] = activations(app)
    assert (row.version, row.forced, row.actor, row.reason) == (
        "kw-blind",
        True,
        "bo",
        "legal asked",
    )
    assert row.report["passed"] is False


def test_tampered_candidate_is_refused_and_nothing_recorded(versions, app, runner):
    artifact = versions / "kw-2" / "model.joblib"
    artifact.write_bytes(artifact.read_bytes() + b"\x00")
    result = runner.invoke(args=["models", "promote", "kw-2", "--force", "--reason", "x"])
    assert result.exit_code == 1
    assert "refused: model kw-2: artifact sha256" in result.output
    assert activations(app) == []


def test_promote_refuses_the_active_version_and_unknown_names(versions, runner):
    result = runner.invoke(args=["models", "promote", "kw-1"])
    assert result.exit_code == 1 and "already the active version" in result.output
    result = runner.invoke(args=["models", "promote", "../etc"])
    assert result.exit_code == 1 and "invalid model version name" in result.output


def test_rollback_pops_promotions_back_to_default(versions, app, runner, client, auth):
    assert runner.invoke(args=["models", "promote", "kw-2"]).exit_code == 0
    forced = ["models", "promote", "kw-blind", "--force", "--reason", "test"]
    assert runner.invoke(args=forced).exit_code == 0
    assert served_version(client, auth) == "kw-blind"

    result = runner.invoke(args=["models", "rollback", "--reason", "too many misses"])
    assert result.exit_code == 0 and "rolled back to kw-2 (was kw-blind)" in result.output
    assert served_version(client, auth) == "kw-2"
    result = runner.invoke(args=["models", "rollback"])
    assert result.exit_code == 0 and "rolled back to kw-1 (was kw-2)" in result.output
    assert served_version(client, auth) == "kw-1"
    result = runner.invoke(args=["models", "rollback"])
    assert result.exit_code == 1 and "no earlier version" in result.output

    rows = activations(app)
    assert [(r.action, r.version) for r in rows] == [
        ("promote", "kw-2"),
        ("promote", "kw-blind"),
        ("rollback", "kw-2"),
        ("rollback", "kw-1"),
    ]
    assert rows[2].reason == "too many misses"


def test_rollback_refuses_a_target_that_no_longer_loads(versions, app, runner):
    assert runner.invoke(args=["models", "promote", "kw-2"]).exit_code == 0
    (versions / "kw-1" / "model.joblib").write_bytes(b"not a pickle")
    result = runner.invoke(args=["models", "rollback"])
    assert result.exit_code == 1 and "refused: model kw-1" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModelActivation)) == 1


def test_workers_refuse_a_tampered_active_artifact_and_keep_serving(
    versions, app, runner, client, auth, caplog
):
    assert served_version(client, auth) == "kw-1"
    assert runner.invoke(args=["models", "promote", "kw-2"]).exit_code == 0
    # the file changes on disk after the promotion, before this worker loads it
    artifact = versions / "kw-2" / "model.joblib"
    artifact.write_bytes(artifact.read_bytes()[:-10])
    with caplog.at_level(logging.ERROR, logger="service.serving.runtime"):
        assert served_version(client, auth) == "kw-1"
    assert any(
        "refused model kw-2" in r.getMessage()
        and "does not match the card" in r.getMessage()
        and "still serving kw-1" in r.getMessage()
        for r in caplog.records
    )
    response = client.post("/api/v1/moderate", json={"comments": [{"text": "darn"}]}, headers=auth)
    assert response.json["results"][0]["decision"] == "reject"


def test_suite_unavailable_refuses_unless_forced(keyword_models_dir, app, runner, tmp_path):
    write_model(keyword_models_dir, "kw-2", KeywordScorer(BETTER_WORDS))
    result = runner.invoke(args=["models", "promote", "kw-2", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "cannot load the evaluation suite" in result.output
    assert "FAIL the evaluation suite could not be loaded" in result.output
