"""Fixtures: an app on a freshly migrated database (SQLite by default, PostgreSQL
when DATABASE_URL says so), its client and CLI runner, and API credentials."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service import create_app
from service.access import passwords
from service.config import normalise_database_url
from service.extensions import db

from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model

SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres", "postgresql"))


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes():
    """argon2id at its lowest cost: the tests check logins, not the hashes' strength."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", cheap)
        patch.setattr(passwords, "_DUMMY_HASH", cheap.hash("not-a-real-password-0"))
        yield


def _migrate(url: str, tmp: Path) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": url, "MODELS_DIR": str(tmp)})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@contextlib.contextmanager
def empty_database(tmp: Path):
    """The URL of a new, empty database: a SQLite file, or a database of its own on the
    PostgreSQL server that DATABASE_URL names (dropped afterwards)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp / f'{uuid.uuid4().hex[:12]}.db'}"
        return
    server = make_url(normalise_database_url(SERVER_URL))
    name = f"modtest_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A database built by running the Alembic migrations, once per session (on SQLite a
    template file that each test copies)."""
    tmp = tmp_path_factory.mktemp("db")
    with empty_database(tmp) as url:
        _migrate(url, tmp)
        yield make_url(url).database if not ON_POSTGRES else url


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database, not migrated: for the migrations' own tests."""
    with empty_database(tmp_path) as url:
        yield url


@pytest.fixture
def database_url(migrated_database, tmp_path):
    """A clean, migrated database for one test."""
    if not ON_POSTGRES:
        path = tmp_path / "test.db"
        shutil.copy(migrated_database, path)
        yield f"sqlite:///{path}"
        return
    yield migrated_database
    engine = create_engine(migrated_database)
    with engine.begin() as conn:
        # TRUNCATE does not fire the append-only row triggers: test clean-up only.
        tables = ", ".join(table.name for table in db.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def models_dir(tmp_path):
    """An empty models directory: no model, every comment unscored."""
    path = tmp_path / "models"
    path.mkdir()
    return path


@pytest.fixture
def keyword_models_dir(models_dir):
    """A models directory whose DEFAULT is a deterministic keyword model."""
    write_model(models_dir, "kw-1", KeywordScorer(DEFAULT_WORDS))
    (models_dir / "DEFAULT").write_text("kw-1\n")
    return models_dir


def make_app(database_url: str, models_dir: Path, **extra):
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "MODELS_DIR": str(models_dir),
        "SECRET_KEY": "test-secret",
        "MODEL_REFRESH_SECONDS": 0.0,
        "WTF_CSRF_ENABLED": True,
    }
    config.update(extra)
    return create_app(config)


def _close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _serving(app):
    yield app
    _close(app)


@pytest.fixture
def configured_app(database_url):
    """``build(models_dir, **settings)``: an app with the test's own settings on the test's
    database, closed after the test whether it passed or not."""
    apps = []

    def build(models_dir: Path, **settings):
        apps.append(make_app(database_url, models_dir, **settings))
        return apps[-1]

    yield build
    for app in apps:
        _close(app)


@pytest.fixture
def app(database_url, models_dir):
    """No model: every comment is held as unscored."""
    yield from _serving(make_app(database_url, models_dir))


@pytest.fixture
def scored_app(database_url, keyword_models_dir):
    """The deterministic keyword model of ``keyword_model.py``."""
    yield from _serving(make_app(database_url, keyword_models_dir))


COMMITTED_MODELS = Path(__file__).resolve().parent.parent / "models"


@pytest.fixture
def shipped_app(database_url):
    """The committed default model (models/DEFAULT) on a fresh database."""
    from service.moderation.loader import default_version

    if default_version(COMMITTED_MODELS) is None:
        pytest.skip("no committed model")
    yield from _serving(make_app(database_url, COMMITTED_MODELS))


@pytest.fixture
def qapp(database_url, models_dir):
    """A keyword model that holds "idiot" and "buynow" for review and rejects "darn"."""
    from queue_helpers import held_models_dir

    yield from _serving(make_app(database_url, held_models_dir(models_dir)))


@pytest.fixture
def site(qapp):
    """The website's side of the queue tests: submits comments with its API key."""
    from queue_helpers import Site

    return Site(qapp)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def new_api_key(app, name: str = "site") -> dict[str, str]:
    from service.access.api_clients import create_client

    with app.app_context():
        _, secret = create_client(name)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def auth(app):
    return new_api_key(app)
