"""Accounts: the `users` CLI, argon2 hashes, login, logout, and slowed, logged failures."""

from __future__ import annotations

import logging

import pytest
from queue_helpers import PASSWORD, add_user, csrf_from, login
from sqlalchemy import select

from service.extensions import db
from service.tables import User


@pytest.fixture
def auth_log():
    """Records of the login views' logger, caught on that logger itself."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("service.auth.views")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def user(app, name: str) -> User | None:
    with app.app_context():
        return db.session.scalars(select(User).filter_by(username=name)).first()


def test_create_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["users", "create", "alice", "--role", "admin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    created = user(app, "alice")
    assert created.role == "admin" and created.active
    assert created.password_hash.startswith("$argon2id$")
    assert PASSWORD not in created.password_hash
    assert login(app.test_client(), "alice").status_code == 302


def test_create_refuses_bad_input(app, runner):
    bad_role = runner.invoke(args=["users", "create", "bob", "--role", "root"], input=PASSWORD)
    assert bad_role.exit_code == 2
    short = runner.invoke(args=["users", "create", "bob"], input="short\n")
    assert short.exit_code == 1 and "at least 10" in short.output
    assert runner.invoke(args=["users", "create", "bob"], input=PASSWORD).exit_code == 0
    again = runner.invoke(args=["users", "create", "bob"], input=PASSWORD)
    assert again.exit_code == 1 and "already exists" in again.output
    assert user(app, "bob").role == "moderator"


def test_list_disable_enable(app, runner):
    add_user(app, "carol")
    assert "carol\tmoderator\tactive" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "carol"]).exit_code == 0
    assert "carol\tmoderator\tdisabled" in runner.invoke(args=["users", "list"]).output
    response = login(app.test_client(), "carol")
    assert response.status_code == 403
    assert runner.invoke(args=["users", "enable", "carol"]).exit_code == 0
    assert login(app.test_client(), "carol").status_code == 302
    assert runner.invoke(args=["users", "disable", "nobody"]).exit_code == 1


def test_login_logout_and_the_queue_needs_a_session(app):
    add_user(app, "mo")
    client = app.test_client()
    response = client.get("/queue")
    assert response.status_code == 302 and "/login" in response.location
    response = login(client, "mo")
    assert response.status_code == 302 and response.location.endswith("/queue")
    assert client.get("/queue").status_code == 200
    token = csrf_from(client.get("/queue").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/queue").status_code == 302


def test_login_never_redirects_off_site(app):
    add_user(app, "mo")
    client = app.test_client()
    html = client.get("/login?next=https://evil.example/x").get_data(as_text=True)
    response = client.post(
        "/login",
        data={
            "username": "mo",
            "password": PASSWORD,
            "csrf_token": csrf_from(html),
            "next": "//evil.example/x",
        },
    )
    assert response.location.endswith("/queue")


def test_login_form_without_csrf_token_is_refused(app):
    add_user(app, "mo")
    client = app.test_client()
    response = client.post("/login", data={"username": "mo", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/queue").status_code == 302


def test_failed_logins_lock_the_account_and_are_logged(app, auth_log):
    add_user(app, "mo")
    client = app.test_client()
    for _ in range(3):
        assert login(client, "mo", "wrong password 1").status_code == 401
    # Locked now: even the right password is refused, without being checked.
    response = login(client, "mo", PASSWORD)
    assert response.status_code == 429
    assert "Try again in" in response.get_data(as_text=True)
    assert user(app, "mo").failed_logins == 3
    messages = [r.getMessage() for r in auth_log]
    assert sum("failed login for account 'mo'" in m for m in messages) == 3
    assert any("locked" in m for m in messages)
    assert not any("wrong password" in m or PASSWORD in m for m in messages)


def test_lock_ends_and_success_resets_the_count(app):
    add_user(app, "mo")
    client = app.test_client()
    for _ in range(3):
        login(client, "mo", "wrong password 1")
    with app.app_context():
        mo = db.session.scalars(select(User).filter_by(username="mo")).one()
        mo.last_failed_login_at = mo.last_failed_login_at.replace(year=2000)
        db.session.commit()
    assert login(client, "mo").status_code == 302
    assert user(app, "mo").failed_logins == 0


def test_failures_from_one_address_are_slowed(configured_app, models_dir, auth_log):
    app = configured_app(models_dir, LOGIN_IP_LIMIT=2)
    add_user(app, "mo")
    client = app.test_client()
    assert login(client, "ghost", "whatever 123").status_code == 401
    assert login(client, "other-ghost", "whatever 123").status_code == 401
    assert login(client, "mo").status_code == 429
    assert any("unknown username 'ghost'" in r.getMessage() for r in auth_log)
