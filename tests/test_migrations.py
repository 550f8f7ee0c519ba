"""``flask db upgrade`` brings an empty or an older database to the current schema."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from service.extensions import db

from conftest import make_app


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
