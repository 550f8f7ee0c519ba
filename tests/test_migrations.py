"""``flask db upgrade`` brings an empty or an older database to the current schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from service.extensions import db

from conftest import ON_POSTGRES, make_app


def test_upgrade_from_empty_and_from_first_revision(fresh_database, models_dir):
    app = make_app(fresh_database, models_dir)
    with app.app_context():
        upgrade(revision="0001")
        db.session.execute(
            text(
                "INSERT INTO api_clients (name, key_prefix, key_hash, created_at) "
                "VALUES ('old', 'p', 'h', '2026-01-01')"
            )
        )
        db.session.commit()
        upgrade()
        columns = {c["name"] for c in inspect(db.engine).get_columns("comments")}
        assert {"claimed_by_id", "claimed_until"} <= columns
        assert db.session.execute(text("SELECT name FROM api_clients")).scalar() == "old"
        # the immutability trigger survives every migration
        db.session.execute(
            text(
                "INSERT INTO comments (client_id, external_id, request_hash, article_id, "
                "author_id, author_name, text, status, created_at, first_response) "
                "VALUES (1, 'e', 'h', 'a', 'u', 'n', 'original', 'pending', '2026-01-01', '{}')"
            )
        )
        db.session.commit()
        with pytest.raises(DBAPIError):
            db.session.execute(text("UPDATE comments SET text = 'changed'"))
        db.session.rollback()
        downgrade(revision="base")
        assert "comments" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_upgrade_logs_json_lines_saying_what_it_ran(fresh_database, models_dir):
    env = os.environ | {"DATABASE_URL": fresh_database, "MODELS_DIR": str(models_dir)}
    command = [sys.executable, "-m", "flask", "--app", "service", "db", "upgrade"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    ran = [line for line in lines if line["logger"] == "alembic.runtime.migration"]
    assert any(line["message"].startswith("Running upgrade") for line in ran), lines


@pytest.mark.skipif(not ON_POSTGRES, reason="replicas share a PostgreSQL database, not a file")
def test_replicas_that_start_together_migrate_one_after_the_other(fresh_database, models_dir):
    """Every container runs ``flask db upgrade`` at start; on PostgreSQL two at once raced
    to create ``alembic_version`` and one died (UniqueViolation)."""
    env = os.environ | {"DATABASE_URL": fresh_database, "MODELS_DIR": str(models_dir)}
    command = [sys.executable, "-m", "flask", "--app", "service", "db", "upgrade"]
    replicas = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(3)
    ]
    for replica in replicas:
        output = replica.communicate(timeout=120)[0].decode()
        assert replica.returncode == 0, output
    app = make_app(fresh_database, models_dir)
    with app.app_context():
        assert "comments" in inspect(db.engine).get_table_names()
        db.engine.dispose()
