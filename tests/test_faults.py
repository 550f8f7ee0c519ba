"""The database failing: 503 JSON with Retry-After (never a 500 or HTML), fast timeouts,
no error after a commit, no deadlock between crossed bulk decisions (service/faults.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from queue_helpers import add_user, token_for
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from test_comments_api import payload

from service.extensions import db
from service.tables import Comment

from conftest import ON_POSTGRES, make_app, new_api_key

NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"
API_KEY = {"Authorization": "Bearer cmk_0123456789ab_secret"}


def assert_unavailable(response):
    assert response.status_code == 503
    assert response.is_json, response.get_data(as_text=True)[:200]
    assert response.json["error"]["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) > 0


def test_database_down_answers_503_json_and_readyz_says_why(models_dir):
    app = make_app(NOWHERE, models_dir, DATABASE_CONNECT_TIMEOUT=1)
    client = app.test_client()
    assert_unavailable(client.post("/api/v1/comments", json=payload(), headers=API_KEY))
    assert_unavailable(client.get("/api/v1/comments/1", headers=API_KEY))
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.headers["Retry-After"]
    assert ready.json["database"] == "unreachable"
    assert ready.json["reasons"][0].startswith("database unreachable: OperationalError")
    assert client.post("/login", data={"username": "x"}).status_code in (400, 503)
    with app.app_context():
        db.engine.dispose()


def test_a_database_that_accepts_but_never_answers_times_out(models_dir):
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(16)  # the kernel completes connections; nobody ever answers them
    url = f"postgresql+psycopg://postgres@127.0.0.1:{hung.getsockname()[1]}/x"
    app = make_app(url, models_dir, DATABASE_CONNECT_TIMEOUT=1)
    try:
        started = time.monotonic()
        response = app.test_client().get("/api/v1/comments/1", headers=API_KEY)
        assert_unavailable(response)
        assert time.monotonic() - started < 5
    finally:
        hung.close()
        with app.app_context():
            db.engine.dispose()


def test_timeouts_reach_the_engine(configured_app, models_dir):
    app = configured_app(models_dir, DATABASE_POOL_TIMEOUT=3, DATABASE_STATEMENT_TIMEOUT=0.2)
    with app.app_context():
        assert db.engine.pool.timeout() == 3
        if not ON_POSTGRES:
            return
        with pytest.raises(OperationalError, match="statement timeout"):
            db.session.execute(text("SELECT pg_sleep(2)"))
        db.session.rollback()


def test_a_committed_comment_is_answered_even_if_the_clean_up_fails(app, auth, monkeypatch):
    committed = []
    close = Session.close

    def failing_close(self):
        if committed:
            committed.clear()
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))
        return close(self)

    def after_commit(session):
        committed.append(True)

    monkeypatch.setattr(Session, "close", failing_close)
    event.listen(Session, "after_commit", after_commit)
    try:
        response = app.test_client().post("/api/v1/comments", json=payload(), headers=auth)
    finally:
        event.remove(Session, "after_commit", after_commit)
    assert response.status_code == 201 and response.is_json
    assert response.json["status"] == "pending"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


def crossed_bulk(app, tokens: list[dict], orders: list[list[int]]) -> list:
    """Both moderators send their bulk decision at the same moment."""
    barrier = threading.Barrier(len(tokens))
    answers: list = [None] * len(tokens)

    def decide(which: int):
        client = app.test_client()
        barrier.wait()
        answers[which] = client.post(
            "/api/v1/queue/bulk",
            headers=tokens[which],
            json={"ids": orders[which], "action": "approve"},
        )

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks and deadlocks need PostgreSQL")
def test_crossed_bulk_decisions_do_not_deadlock(qapp, site):
    moderators = [token_for(qapp, add_user(qapp, name)) for name in ("mo", "bo")]
    for round_ in range(5):
        ids = [site.submit(f"you idiot {round_}-{i}")["id"] for i in range(30)]
        orders = [ids, list(reversed(ids))]
        answers = crossed_bulk(qapp, moderators, orders)
        assert [a.status_code for a in answers] == [200, 200], [a.json for a in answers]
        recorded = [r["id"] for a in answers for r in a.json["results"] if r["ok"]]
        assert sorted(recorded) == sorted(ids)  # each comment decided exactly once
        assert [r["id"] for r in answers[1].json["results"]] == orders[1]  # in the order sent


PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)


@pytest.fixture
def throwaway_postgres(tmp_path):
    """A PostgreSQL cluster of this test's own on a free port: stopping it harms no one."""
    if PG_BIN is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("no PostgreSQL server binaries")
    folder = Path(tempfile.mkdtemp(prefix="pgfault-"))
    folder.chmod(0o777)
    data = folder / "data"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                 "--no-sync")  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", f"{folder}/log"]

    class Cluster:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

        def start(self):
            _as_postgres(*ctl, "start")

        def stop(self):
            _as_postgres(*ctl, "-m", "fast", "stop")

        def processes(self) -> list[int]:
            postmaster = int((data / "postmaster.pid").read_text().split()[0])
            children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(postmaster)],
                                      capture_output=True, text=True).stdout.split()  # fmt: skip
            return [postmaster, *map(int, children)]

    cluster = Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            for pid in cluster.processes():
                os.kill(pid, signal.SIGCONT)
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_stopped_then_started(throwaway_postgres, models_dir):
    app = make_app(throwaway_postgres.url, models_dir, DATABASE_CONNECT_TIMEOUT=1)
    with app.app_context():
        upgrade()
    key = new_api_key(app)
    client = app.test_client()
    assert (
        client.post("/api/v1/comments", json=payload(external_id="1"), headers=key).status_code
        == 201
    )
    throwaway_postgres.stop()
    assert_unavailable(client.post("/api/v1/comments", json=payload(external_id="2"), headers=key))
    assert_unavailable(client.get("/api/v1/comments/1", headers=key))
    assert client.get("/readyz").json["reasons"][0].startswith("database unreachable")
    throwaway_postgres.start()
    assert (
        client.post("/api/v1/comments", json=payload(external_id="2"), headers=key).status_code
        == 201
    )
    assert client.get("/readyz").json["database"] == "ok"
    with app.app_context():
        db.engine.dispose()


def test_postgresql_frozen_new_connections_time_out(throwaway_postgres, models_dir):
    app = make_app(throwaway_postgres.url, models_dir, DATABASE_CONNECT_TIMEOUT=1)
    with app.app_context():
        upgrade()
    key = new_api_key(app)
    with app.app_context():
        db.engine.dispose()  # no pooled connection: the next request must connect
    frozen = throwaway_postgres.processes()
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        assert_unavailable(app.test_client().get("/api/v1/comments/1", headers=key))
        assert time.monotonic() - started < 5
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
    assert app.test_client().get("/api/v1/comments/1", headers=key).status_code == 404
    with app.app_context():
        db.engine.dispose()
