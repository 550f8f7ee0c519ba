"""Accounts: the `users` CLI, argon2 hashes, login, logout, and slowed, logged failures."""

from __future__ import annotations

import logging
import re
import time

import pytest
from queue_helpers import PASSWORD, add_user, csrf_from, logged_in, login, session_headers
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
    for name in ("", " ", "eve\n", "eve\tx", "e\nve", "e" * 81):
        bad_name = runner.invoke(args=["users", "create", name], input=PASSWORD)
        assert bad_name.exit_code == 1 and "username: 1 to 80" in bad_name.output, repr(name)
    assert "eve" not in runner.invoke(args=["users", "list"]).output


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


def test_token_prints_a_queue_api_token_for_scripts(app, runner):
    add_user(app, "dara")
    result = runner.invoke(args=["users", "token", "dara", "--label", "nightly triage"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("cmt_")
    client = app.test_client()
    queue = client.get("/api/v1/queue", headers={"Authorization": f"Bearer {secret}"})
    assert queue.status_code == 200, queue.json
    assert runner.invoke(args=["users", "token", "nobody", "--label", "x"]).exit_code == 1
    assert runner.invoke(args=["users", "token", "dara", "--label", " \t"]).exit_code == 1
    assert runner.invoke(args=["users", "disable", "dara"]).exit_code == 0
    refused = runner.invoke(args=["users", "token", "dara", "--label", "again"])
    assert refused.exit_code == 1 and "disabled" in refused.output


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


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failed_logins_lock_the_username_from_that_address_and_are_logged(app, auth_log):
    add_user(app, "mo")
    client = app.test_client()
    for _ in range(5):
        assert login(client, "mo", "wrong password 1").status_code == 401
    # Locked now from this address: even the right password is refused, without being checked.
    response = login(client, "mo", PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Try again in" in response.get_data(as_text=True)
    assert user(app, "mo").failed_logins == 5
    messages = [r.getMessage() for r in auth_log]
    assert sum("failed login for account mo (id 1)" in m for m in messages) == 5
    assert any("too many failures" in m for m in messages)
    assert not any("wrong password" in m or PASSWORD in m for m in messages)


def test_someone_elses_failures_do_not_lock_the_moderator_out(app):
    add_user(app, "mo")
    attacker = _from(app, "203.0.113.9")
    for _ in range(6):
        login(attacker, "mo", "guess guess guess")
    assert login(attacker, "mo", PASSWORD).status_code == 429
    # The moderator, from their own address, logs in with the right password.
    assert login(_from(app, "198.51.100.7"), "mo", PASSWORD).status_code == 302


def test_success_resets_the_count(app):
    add_user(app, "mo")
    client = app.test_client()
    for _ in range(4):
        login(client, "mo", "wrong password 1")
    assert login(client, "mo").status_code == 302
    assert user(app, "mo").failed_logins == 0
    client = app.test_client()
    for _ in range(4):
        assert login(client, "mo", "wrong password 1").status_code == 401
    assert login(client, "mo").status_code == 302


def test_unknown_usernames_are_answered_like_wrong_passwords(app, monkeypatch):
    from service.access import passwords

    add_user(app, "mo")
    checked = []
    verify = passwords.verify_password
    monkeypatch.setattr(
        "service.auth.views.verify_password",
        lambda stored, password: checked.append(stored) or verify(stored, password),
    )
    answers = {}
    for name in ("mo", "nobody-here"):
        client = _from(app, f"192.0.2.{len(answers) + 1}")
        statuses = [login(client, name, "wrong password 1").status_code for _ in range(6)]
        page = login(client, name, "wrong password 1").get_data(as_text=True)
        answers[name] = (statuses, re.search(r'class="error"[^>]*>([^<]*)<', page).group(1))
    assert answers["mo"] == answers["nobody-here"]
    assert answers["mo"][0] == [401] * 5 + [429]
    # Both paths hash once per checked attempt (a dummy hash for an unknown name).
    assert len(checked) == 10 and None in checked


def test_a_failed_login_never_logs_the_typed_username(app, auth_log):
    typed = "evil\nINFO login of admin from 127.0.0.1"
    assert login(app.test_client(), typed, "whatever 123").status_code == 401
    messages = [r.getMessage() for r in auth_log]
    assert messages and not any("evil" in m or "\n" in m for m in messages)
    assert any("unknown username #" in m for m in messages)


def test_login_rate_limit_per_address(configured_app, models_dir):
    app = configured_app(models_dir, LOGIN_RATE_LIMIT="3/minute")
    add_user(app, "mo")
    client = app.test_client()
    for _ in range(3):
        assert login(client, "nobody", "whatever 123").status_code == 401
    response = login(client, "mo")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert 'name="username"' in response.get_data(as_text=True)  # the login page, not JSON
    assert login(_from(app, "198.51.100.7"), "mo").status_code == 302
    assert client.get("/login").status_code == 200  # only POSTs count


def test_trusted_proxies_give_the_client_address(configured_app, models_dir, auth_log):
    def login_via_proxy(client, forwarded_for: str):
        headers = {"X-Forwarded-For": forwarded_for}
        page = client.get("/login", headers=headers).get_data(as_text=True)
        form = {"username": "nobody", "password": "whatever 123", "csrf_token": csrf_from(page)}
        return client.post("/login", data=form, headers=headers)

    assert (
        login_via_proxy(
            configured_app(models_dir, TRUSTED_PROXIES=1).test_client(), "198.51.100.23"
        ).status_code
        == 401
    )
    assert (
        login_via_proxy(configured_app(models_dir).test_client(), "198.51.100.24").status_code
        == 401
    )
    messages = [r.getMessage() for r in auth_log]
    assert any("from 198.51.100.23" in m for m in messages)
    assert not any("198.51.100.24" in m for m in messages)


def test_logout_ends_the_session_on_the_server(app):
    add_user(app, "mo")
    client = app.test_client()
    assert login(client, "mo").status_code == 302
    cookie = client.get_cookie("session").value
    token = csrf_from(client.get("/queue").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/queue")
    assert response.status_code == 302 and "/login" in response.location


def test_the_session_cookie_is_secure_with_force_https(configured_app, models_dir):
    app = configured_app(models_dir, FORCE_HTTPS=True)
    add_user(app, "mo")
    client = app.test_client()
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    response = client.post(
        "/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
        data={"username": "mo", "password": PASSWORD, "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 302
    session_cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert session_cookie and "Secure" in session_cookie[0]
    plain = configured_app(models_dir).test_client().get("/login").headers.getlist("Set-Cookie")
    plain_session = [c for c in plain if c.startswith("session=")]
    assert plain_session and "Secure" not in plain_session[0]


def test_failures_from_one_address_are_slowed(configured_app, models_dir, auth_log):
    app = configured_app(models_dir, LOGIN_IP_LIMIT=2)
    add_user(app, "mo")
    client = app.test_client()
    assert login(client, "ghost", "whatever 123").status_code == 401
    assert login(client, "other-ghost", "whatever 123").status_code == 401
    assert login(client, "mo").status_code == 429
    assert any("unknown username #" in r.getMessage() for r in auth_log)
    assert not any("ghost" in r.getMessage() for r in auth_log)


def test_the_queue_pages_csrf_token_lives_as_long_as_the_session(app, monkeypatch):
    from itsdangerous import URLSafeTimedSerializer
    from itsdangerous.timed import TimestampSigner

    client = logged_in(app, "mo")
    assert client.post("/api/v1/queue/next", headers=session_headers(client)).status_code == 204
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    # The token the <meta name="csrf-token"> tag carried on a page loaded two hours ago.
    two_hours_ago = int(time.time()) - 2 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_ago)
    old_token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    monkeypatch.undo()
    assert client.post("/api/v1/queue/next", headers={"X-CSRFToken": old_token}).status_code == 204
    assert client.post("/api/v1/queue/next", headers={"X-CSRFToken": "forged"}).status_code == 400
