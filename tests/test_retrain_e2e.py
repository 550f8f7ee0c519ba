"""The loop closed: moderators' decisions become a model that decides as they taught.

A small active model of the test's own; comments through the API, held for
moderation; moderators decide them through the queue API; labels exported; a
retrain on a small sample of the base corpus plus those labels; the gate
passes; promotion; a new comment like the labelled ones gets the taught decision.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from queue_helpers import Site, add_user, token_for
from sqlalchemy import select

from service.config import DEFAULT_DATA_DIR
from service.extensions import db
from service.retraining.labels import is_holdout
from service.tables import ModelActivation
from training import gate_suite
from training.evaluate import Suite

from tiny_model import build_tiny_model

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = 1000  # rows per base corpus: enough to beat the tiny model at its thresholds
SUITE_ROWS = 400  # per task of the gate's suite: its 10,932 rows would take minutes here

SERVICES = ["essays", "coursework", "homework", "dissertations", "lab reports"]
NORMAL = [
    "I think the council vote on the {} was {}, thanks for covering it.",
    "My street lost power during the storm too; the {} crews were {}.",
    "The {} story was {}, but I would like more numbers next time.",
]
WORDS = ["bridge", "school", "harbour", "park", "library"]
TONE = ["fair", "rushed", "quick", "sensible", "late"]
PROBE = "Dissertation deadline looming? essaymill writes yours tonight for 30 dollars, DM us"

pytestmark = pytest.mark.skipif(
    not DEFAULT_DATA_DIR.is_dir(), reason="needs the base corpora in ../shared/data"
)


def spam(i: int) -> str:
    service = SERVICES[i % len(SERVICES)]
    return f"Struggling with {service}? essaymill does it in {i + 2} hours for {10 + i} dollars"


def normal(i: int) -> str:
    return NORMAL[i % len(NORMAL)].format(WORDS[i % 5], TONE[(i // 5) % 5])


def sampled(suite: Suite, per_task: int) -> Suite:
    """``suite`` with at most ``per_task`` rows of each task, chosen at random (seeded)."""
    rng = np.random.default_rng(0)
    chosen = {
        task.name: np.sort(rng.permutation(len(task.rows))[:per_task]) for task in suite.tasks
    }
    keep = np.unique(np.concatenate([t.rows[chosen[t.name]] for t in suite.tasks]))
    position = {int(row): i for i, row in enumerate(keep)}
    tasks = tuple(
        replace(
            task,
            rows=np.array([position[int(r)] for r in task.rows[chosen[task.name]]]),
            y=task.y[chosen[task.name]],
        )
        for task in suite.tasks
    )
    texts = [suite.texts[i] for i in keep]
    return Suite(texts, suite.labels[keep], suite.sources[keep], tasks, suite.files)


@pytest.fixture
def quicker_gate(monkeypatch):
    """The gate's real suite and code, on a random sample of each task's test rows."""
    load = gate_suite.load_suite
    monkeypatch.setattr(
        gate_suite, "load_suite", lambda data_dir: sampled(load(data_dir), SUITE_ROWS)
    )


def decide(client, headers, comment_id: int, action: str, reason: str | None = None) -> dict:
    body = {"action": action} | ({"reason": reason} if reason else {})
    response = client.post(f"/api/v1/queue/{comment_id}/decision", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_moderators_decisions_retrain_and_promote(app, runner, models_dir, tmp_path, quicker_gate):
    build_tiny_model(models_dir, "tiny-1")
    (models_dir / "DEFAULT").write_text("tiny-1\n")
    site = Site(app)
    moderator = token_for(app, add_user(app, "mo"))
    queue = app.test_client()

    def moderate(text: str) -> dict:
        body = {"comments": [{"text": text}]}
        response = site.client.post("/api/v1/moderate", json=body, headers=site.auth)
        return response.json["results"][0]

    assert moderate(PROBE)["decision"] != "reject"  # the active model has not learnt it

    # pre-moderation: every comment waits for a moderator
    assert runner.invoke(args=["policy", "set", "hold_all=true"]).exit_code == 0
    spam_ids = [site.submit(spam(i))["id"] for i in range(40)]
    normal_ids = [site.submit(normal(i))["id"] for i in range(40)]
    first = site.read(spam_ids[0])
    assert first["status"] == "pending" and first["model_version"] == "tiny-1"

    for comment_id in spam_ids:
        decide(queue, moderator, comment_id, "reject", "promotion")
    for comment_id in normal_ids[1:]:
        decide(queue, moderator, comment_id, "approve")
    # a slip, undone at once, then the right call: only the approve is a label
    slip = decide(queue, moderator, normal_ids[0], "reject", "promotion")
    undo = queue.post(f"/api/v1/queue/decisions/{slip['decision']['id']}/undo", headers=moderator)
    assert undo.status_code == 200, undo.json
    decide(queue, moderator, normal_ids[0], "approve")
    assert runner.invoke(args=["policy", "set", "--reset", "hold_all"]).exit_code == 0

    labels = tmp_path / "site-train.csv"
    result = runner.invoke(
        args=["labels", "export", "--format", "csv", "--split", "train", "--output", str(labels)]
    )
    assert result.exit_code == 0, result.output
    with labels.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [spam(i) for i in range(40)] + [normal(i) for i in range(40)]
    assert sorted(r["text"] for r in rows) == sorted(t for t in texts if not is_holdout(t))
    assert {r["promotion"] for r in rows if r["text"] == normal(0)} <= {"0"}

    trained = subprocess.run(
        [
            sys.executable, "-m", "training", "train",
            "--models-dir", str(models_dir), "--version", "site-1",
            "--extra-labels", str(labels), "--site-weight", "3",
            "--sample", str(SAMPLE), "--languages", "", "--quiet",
        ],
        cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert trained.returncode == 0, trained.stderr[-3000:]

    result = runner.invoke(args=["models", "promote", "site-1", "--json", "--actor", "ana"])
    assert result.exit_code == 0, result.output
    assert "promoted site-1 (was tiny-1)" in result.output
    with app.app_context():
        report = db.session.scalars(select(ModelActivation)).one().report
    assert report["passed"] and report["active"] == "tiny-1"
    assert all(e["status"] == "pass" for e in report["suite"].values())
    held_out = report["site"]["categories"]["promotion"]
    assert held_out["status"] == "pass" and held_out["candidate"]["auc"] >= 0.9

    answer = site.submit(PROBE)
    assert answer["model_version"] == "site-1"
    assert answer["status"] == "rejected" and answer["reason"]["code"] == "promotion"
    kind = site.submit("The library opening hours changed again, a fair decision I think.")
    assert kind["status"] == "approved" and kind["model_version"] == "site-1"

    # going back is refused by the gate: the tiny model is worse on the suite
    result = runner.invoke(args=["models", "promote", "tiny-1"])
    assert result.exit_code == 1 and "gate: refused" in result.output
