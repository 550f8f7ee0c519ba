"""Webhooks: the outbox written with each later decision, the signed dispatcher, its retries,
the CLI and the admin page. Deliveries go to real HTTP receivers on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from queue_helpers import Site, add_user, csrf_from, held_models_dir, logged_in, token_for
from sqlalchemy import select, update
from werkzeug.serving import make_server

from service.clock import utcnow
from service.extensions import db
from service.tables import ApiClient, Decision, WebhookEvent
from service.webhooks import dispatcher
from service.webhooks.dispatcher import FIRST_DELAY_SECONDS, MAX_DELAY_SECONDS, backoff
from service.webhooks.endpoints import set_endpoint
from service.webhooks.signing import SIGNATURE_HEADER, signature
from service.webhooks.urls import WebhookUrlError, check_url

README = Path(__file__).resolve().parent.parent / "README.md"
BODY_FIELDS = {
    "id",
    "type",
    "comment_id",
    "external_id",
    "article_id",
    "status",
    "reason",
    "decided_by",
    "decided_at",
}


class Receiver:
    """A website's webhook endpoint: records each POST, answers from ``answers`` (then 204)."""

    def __init__(self):
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []
        self.delay = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.received.append((dict(self.headers), body))
                    status = receiver.answers.pop(0) if receiver.answers else 204
                time.sleep(receiver.delay)
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", receiver.url + "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def hooked(configured_app, models_dir):
    """The held-comments app with a short delivery timeout."""
    return configured_app(held_models_dir(models_dir), WEBHOOK_TIMEOUT_SECONDS=0.5)


@pytest.fixture
def site(hooked):
    return Site(hooked)


@pytest.fixture
def mo(hooked):
    return token_for(hooked, add_user(hooked, "mo"))


def hook(app, url: str, name: str = "site") -> str:
    """Set ``name``'s webhook to ``url``; the secret."""
    with app.app_context():
        client = db.session.scalars(select(ApiClient).filter_by(name=name)).one()
        return set_endpoint(client, url)[1]


def events(app) -> list[WebhookEvent]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(WebhookEvent).order_by(WebhookEvent.created_at, WebhookEvent.comment_id)
            )
        )
        db.session.expunge_all()
        return found


def deliver(app) -> list[dispatcher.Outcome]:
    with app.app_context():
        return dispatcher.deliver_due()


def decide(app, token, comment_id: int, action: str = "approve", **extra):
    body = {"action": action} | extra
    return app.test_client().post(f"/api/v1/queue/{comment_id}/decision", json=body, headers=token)


def make_due_again(app):
    with app.app_context():
        db.session.execute(update(WebhookEvent).values(next_attempt_at=utcnow()))
        db.session.commit()


# -- the outbox -------------------------------------------------------------------


def test_every_later_decision_writes_one_event_with_the_body_fields(hooked, site, mo, receiver):
    hook(hooked, receiver.url)
    held = [site.submit("you idiot", external_id=f"ext-{n}") for n in range(4)]
    site.submit("a clean remark")  # the model's first answers send nothing
    site.submit("darn it")
    assert events(hooked) == []
    client = hooked.test_client()

    decided = decide(hooked, mo, held[0]["id"], "reject", reason="personal_attack").json
    bulk = client.post(
        "/api/v1/queue/bulk",
        json={"ids": [held[1]["id"], held[2]["id"]], "action": "approve"},
        headers=mo,
    )
    assert bulk.status_code == 200
    overturn = client.post(
        f"/api/v1/queue/{held[1]['id']}/overturn",
        json={"action": "reject", "reason": "personal_attack"},
        headers=mo,
    )
    assert overturn.status_code == 200
    undo = client.post(f"/api/v1/queue/decisions/{decided['decision']['id']}/undo", headers=mo)
    assert undo.status_code == 200

    stored = events(hooked)
    assert len(stored) == 5 and {e.status for e in stored} == {"pending"}
    assert all(e.next_attempt_at <= utcnow() for e in stored)  # due at once
    bodies = [json.loads(e.body) for e in stored]
    assert all(set(b) == BODY_FIELDS for b in bodies)
    assert [(b["comment_id"], b["status"]) for b in bodies] == [
        (held[0]["id"], "rejected"),
        (held[1]["id"], "approved"),
        (held[2]["id"], "approved"),
        (held[1]["id"], "rejected"),
        (held[0]["id"], "pending"),
    ]
    first = bodies[0]
    assert first["id"] == stored[0].id and first["type"] == "comment.decided"
    assert (first["external_id"], first["article_id"]) == ("ext-0", "a-1")
    assert first["reason"]["code"] == "personal_attack"
    assert first["reason"]["evidence"] == [{"start": 4, "end": 9, "category": "personal_attack"}]
    assert first["decided_by"] == "moderator"
    assert first["decided_at"] == decided["decision"]["created_at"]
    assert bodies[1]["reason"] is None
    assert len({b["id"] for b in bodies}) == 5
    with hooked.app_context():
        decision_count = db.session.scalar(
            select(db.func.count()).select_from(Decision).where(Decision.decided_by == "moderator")
        )
    assert decision_count == 5


def test_a_refused_decision_writes_no_event_and_clients_without_webhook_get_none(
    hooked, site, mo, receiver
):
    other = Site(hooked, "other-site")  # no webhook
    quiet = other.submit("idiot")
    assert decide(hooked, mo, quiet["id"]).status_code == 200
    assert events(hooked) == []
    hook(hooked, receiver.url)
    held = site.submit("idiot")
    assert decide(hooked, mo, held["id"]).status_code == 200
    assert decide(hooked, mo, held["id"], "reject", reason="abuse").status_code == 409
    assert decide(hooked, mo, held["id"], "reject").status_code == 400
    assert [e.comment_id for e in events(hooked)] == [held["id"]]


def test_the_event_and_the_decision_commit_together(hooked, site, mo, receiver, monkeypatch):
    hook(hooked, receiver.url)
    held = site.submit("idiot")

    def broken_outbox(decisions):
        raise RuntimeError("the outbox write failed")

    monkeypatch.setattr("service.comments.actions.record_decisions", broken_outbox)
    with pytest.raises(RuntimeError):
        decide(hooked, mo, held["id"])
    assert site.read(held["id"])["status"] == "pending"
    assert events(hooked) == []


# -- delivery -----------------------------------------------------------------------


def readme_receiver():
    """The receiver block of the README's Webhooks section, as a module namespace."""
    section = README.read_text(encoding="utf-8").split("## Webhooks", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {"__name__": "readme_receiver"}
    exec(compile(code, "README.md", "exec"), namespace)
    return namespace


def test_deliveries_verify_with_the_readme_receiver(hooked, site, mo):
    namespace = readme_receiver()
    app = namespace["app"]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        secret = hook(hooked, f"http://127.0.0.1:{server.server_port}/hooks/moderation")
        namespace["SECRET"] = secret.encode("utf-8")
        held = site.submit("idiot")
        decide(hooked, mo, held["id"])
        [outcome] = deliver(hooked)
        assert outcome.status == "delivered", outcome.error
        [event] = events(hooked)
        assert event.status == "delivered" and event.attempts == 1 and event.delivered_at
    finally:
        server.shutdown()

    body = event.body.encode("utf-8")
    receiver = app.test_client()
    now = int(time.time())

    def answer(header: str, data: bytes = body) -> int:
        return receiver.post(
            "/hooks/moderation",
            data=data,
            headers={SIGNATURE_HEADER: header},
            content_type="application/json",
        ).status_code

    assert answer(signature(secret, body, now)) == 204
    assert answer(signature(secret, body, now - 301)) == 400  # older than 5 minutes
    assert answer(signature(secret, body, now), body.replace(b"approved", b"rejected")) == 400
    assert answer(signature("whsec_other", body, now)) == 400
    assert answer(signature(secret, body, now).replace("t=", "t=1")) == 400
    assert answer("") == 400 and answer("t=x,v1=é") == 400


def test_signature_header_is_stripe_style(hooked, site, mo, receiver):
    import hashlib
    import hmac

    secret = hook(hooked, receiver.url)
    held = site.submit("idiot")
    decide(hooked, mo, held["id"])
    deliver(hooked)
    [(headers, body)] = receiver.received
    assert headers["Content-Type"] == "application/json"
    match = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", headers[SIGNATURE_HEADER])
    assert match and abs(int(match.group(1)) - time.time()) < 60
    signed = match.group(1).encode() + b"." + body
    assert match.group(2) == hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def test_backoff_doubles_from_30_seconds_up_to_an_hour_with_jitter():
    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (8, 3600), (30, 3600)]:
        waits = [backoff(attempt).total_seconds() for _ in range(200)]
        assert ceiling / 2 <= min(waits) and max(waits) <= ceiling
        assert len(set(waits)) > 1  # jitter
    assert FIRST_DELAY_SECONDS == 30 and MAX_DELAY_SECONDS == 3600


def test_failures_are_retried_with_backoff_then_failed_after_24_hours(hooked, site, mo, receiver):
    hook(hooked, receiver.url)
    held = site.submit("idiot")
    decide(hooked, mo, held["id"])
    receiver.answers = [500, 503]
    before = utcnow()
    [outcome] = deliver(hooked)
    assert outcome.status == "pending" and outcome.error == "HTTP 500"
    [event] = events(hooked)
    assert event.attempts == 1 and event.last_error == "HTTP 500"
    wait = event.next_attempt_at - before
    assert timedelta(seconds=15) <= wait <= timedelta(seconds=31)
    assert deliver(hooked) == []  # not due yet

    make_due_again(hooked)
    [outcome] = deliver(hooked)
    assert outcome.status == "pending" and outcome.attempt == 2
    [event] = events(hooked)
    assert timedelta(seconds=29) <= event.next_attempt_at - before <= timedelta(seconds=61)

    with hooked.app_context():  # a day later, still failing
        db.session.execute(
            update(WebhookEvent).values(
                created_at=utcnow() - timedelta(hours=24, seconds=1), next_attempt_at=utcnow()
            )
        )
        db.session.commit()
    receiver.answers = [500]
    [outcome] = deliver(hooked)
    assert outcome.status == "failed" and outcome.attempt == 3
    [event] = events(hooked)
    assert event.status == "failed" and event.last_error == "HTTP 500"
    make_due_again(hooked)
    assert deliver(hooked) == []  # failed is final until an admin resends it
    assert len(receiver.received) == 3


def test_redirects_are_not_followed_and_timeouts_are_short(hooked, site, mo, receiver):
    hook(hooked, receiver.url)
    held = site.submit("idiot")
    decide(hooked, mo, held["id"])
    receiver.answers = [302]
    [outcome] = deliver(hooked)
    assert outcome.status == "pending" and "redirect, not followed" in outcome.error
    assert len(receiver.received) == 1  # /elsewhere was never asked for

    make_due_again(hooked)
    receiver.delay = 3.0
    started = time.monotonic()
    [outcome] = deliver(hooked)
    assert outcome.status == "pending" and outcome.error == "no answer within 0.5 s"
    assert time.monotonic() - started < 2.5  # it did not wait for the answer


def test_an_unreachable_receiver_is_retried(hooked, site, mo, receiver):
    hook(hooked, receiver.url)
    receiver.close()  # nothing listens there any more
    held = site.submit("idiot")
    decide(hooked, mo, held["id"])
    [outcome] = deliver(hooked)
    assert outcome.status == "pending" and outcome.error.startswith("connection failed")
    assert "127.0.0.1" not in outcome.error


def test_deliver_once_sends_what_is_due_and_says_so(hooked, site, mo, receiver, caplog):
    hook(hooked, receiver.url)
    for text in ("idiot", "idiot again"):
        decide(hooked, mo, site.submit(text)["id"])
    receiver.answers = [500]
    with caplog.at_level("INFO", logger="service"):
        result = hooked.test_cli_runner().invoke(args=["webhooks", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        "2 sent: 1 delivered, 1 to retry, 0 failed for good."
    )
    messages = [r.getMessage() for r in caplog.records if "webhook event" in r.getMessage()]
    assert any("delivered (attempt 1)" in m for m in messages)
    assert any("not delivered (attempt 1): HTTP 500; next attempt at" in m for m in messages)
    assert len(receiver.received) == 2
    again = hooked.test_cli_runner().invoke(args=["webhooks", "deliver", "--once"])
    assert again.output.strip() == "0 sent: 0 delivered, 0 to retry, 0 failed for good."


def test_the_running_dispatcher_delivers_and_stops(hooked, site, mo, receiver):
    hook(hooked, receiver.url)
    stop = threading.Event()

    def dispatch():
        with hooked.app_context():
            dispatcher.run(stop, interval=0.05)

    thread = threading.Thread(target=dispatch)
    thread.start()
    try:
        decide(hooked, mo, site.submit("idiot")["id"])
        deadline = time.monotonic() + 10
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(receiver.received) == 1


def test_two_dispatchers_never_send_one_event_twice(hooked, site, mo, receiver):
    hook(hooked, receiver.url)
    ids = [site.submit(f"idiot {n}")["id"] for n in range(30)]
    response = hooked.test_client().post(
        "/api/v1/queue/bulk", json={"ids": ids, "action": "approve"}, headers=mo
    )
    assert response.status_code == 200
    receiver.delay = 0.02
    outcomes: list[list] = [[], []]
    start = threading.Barrier(2)

    def dispatch(slot: int):
        with hooked.app_context():
            start.wait()
            outcomes[slot] = dispatcher.deliver_due()

    threads = [threading.Thread(target=dispatch, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    sent = [body["id"] for body in receiver.bodies()]
    assert len(sent) == 30 and len(set(sent)) == 30
    assert all(outcomes), "both dispatchers worked"
    assert len(outcomes[0]) + len(outcomes[1]) == 30
    assert {e.status for e in events(hooked)} == {"delivered"}


# -- configuration, CLI and admin ------------------------------------------------


def test_urls_http_and_private_allowed_by_default_and_narrowed_by_settings():
    def resolver(addresses):
        return lambda host, port: addresses

    loopback, public = resolver(["127.0.0.1"]), resolver(["93.184.215.14"])
    default = {"require_https": False, "allow_private": True}
    assert check_url("http://127.0.0.1:8080/h", **default, resolver=loopback)
    assert check_url("http://10.1.2.3/h", **default)
    for bad in (
        "ftp://x.example/h",
        "https:///nohost",
        "http://u:p@x.example/",
        "javascript:1",
        "http://x.example/\x00",
        "http://x.example/\udc80",
        "http://x.example:99999/",
        "http://x.example/" + "a" * 2000,
    ):
        with pytest.raises(WebhookUrlError):
            check_url(bad, **default)
    with pytest.raises(WebhookUrlError, match="https://"):
        check_url("http://x.example/h", require_https=True, allow_private=True)
    strict = {"require_https": False, "allow_private": False}
    for address in ("127.0.0.1", "10.0.0.8", "192.168.1.1", "169.254.169.254", "::1", "fd00::1"):
        with pytest.raises(WebhookUrlError, match="WEBHOOK_ALLOW_PRIVATE"):
            check_url("http://site.example/h", **strict, resolver=resolver([address]))
    assert check_url("https://site.example/h", **strict, resolver=public)


def test_cli_set_show_list_unset(hooked, site, receiver, caplog):
    runner = hooked.test_cli_runner()
    with caplog.at_level("DEBUG"):
        result = runner.invoke(args=["webhooks", "set", "site", receiver.url])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_") and len(secret) > 40
    assert secret not in caplog.text
    assert f"set to {receiver.url}" in result.output
    shown = runner.invoke(args=["webhooks", "show", "site"])
    assert receiver.url in shown.output and "0 pending" in shown.output
    assert secret not in shown.output
    listed = runner.invoke(args=["webhooks", "list"])
    assert listed.output.startswith(f"site\t{receiver.url}\t")
    again = runner.invoke(args=["webhooks", "set", "site", receiver.url + "/v2"])
    assert again.output.strip().splitlines()[-1] != secret  # a new secret each time
    assert runner.invoke(args=["webhooks", "unset", "site"]).exit_code == 0
    assert runner.invoke(args=["webhooks", "list"]).output.strip() == "No webhooks set."
    assert "no webhook set" in runner.invoke(args=["webhooks", "show", "site"]).output
    assert runner.invoke(args=["webhooks", "unset", "site"]).exit_code == 1
    missing = runner.invoke(args=["webhooks", "set", "nobody", receiver.url])
    assert missing.exit_code == 1 and "no client named 'nobody'" in missing.output
    refused = runner.invoke(args=["webhooks", "set", "site", "ftp://x.example/"])
    assert refused.exit_code == 1 and "http://" in refused.output
    for command in ("set", "show", "unset", "list", "deliver"):
        helped = runner.invoke(args=["webhooks", command, "--help"])
        assert helped.exit_code == 0 and "Usage:" in helped.output


def test_cli_honours_the_https_and_private_settings(configured_app, models_dir):
    app = configured_app(models_dir, WEBHOOK_REQUIRE_HTTPS=True, WEBHOOK_ALLOW_PRIVATE=False)
    Site(app)
    runner = app.test_cli_runner()
    plain = runner.invoke(args=["webhooks", "set", "site", "http://site.example/h"])
    assert plain.exit_code == 1 and "https://" in plain.output
    private = runner.invoke(args=["webhooks", "set", "site", "https://127.0.0.1/h"])
    assert private.exit_code == 1 and "WEBHOOK_ALLOW_PRIVATE" in private.output


def test_a_webhook_unset_before_delivery_marks_its_events_failed(hooked, site, mo, receiver):
    hook(hooked, receiver.url)
    decide(hooked, mo, site.submit("idiot")["id"])
    assert hooked.test_cli_runner().invoke(args=["webhooks", "unset", "site"]).exit_code == 0
    [outcome] = deliver(hooked)
    assert outcome.status == "failed" and outcome.error == "the client has no webhook set now"
    assert receiver.received == []


def test_admin_sets_a_webhook_shows_the_secret_once_and_resends(hooked, site, mo, receiver):
    root = logged_in(hooked, "root", "admin")

    def csrf():
        return csrf_from(root.get("/admin/api-keys").get_data(as_text=True))

    response = root.post(
        "/admin/api-keys/1/webhook", data={"url": receiver.url, "csrf_token": csrf()}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    secret = html.split('id="new-webhook-secret" class="secret">')[1].split("<")[0]
    assert secret.startswith("whsec_")
    page = root.get("/admin/api-keys").get_data(as_text=True)
    assert secret not in page and receiver.url in page
    bad = root.post("/admin/api-keys/1/webhook", data={"url": "ftp://x/", "csrf_token": csrf()})
    assert bad.status_code == 400 and "not set" in bad.get_data(as_text=True)
    no_token = root.post("/admin/api-keys/1/webhook", data={"url": receiver.url})
    assert no_token.status_code == 400

    decide(hooked, mo, site.submit("idiot")["id"])
    with hooked.app_context():  # a day of failures: the event has failed for good
        db.session.execute(
            update(WebhookEvent).values(
                created_at=utcnow() - timedelta(hours=25),
                status="failed",
                attempts=30,
                last_error="HTTP 500",
            )
        )
        db.session.commit()
    [event] = events(hooked)
    page = root.get("/admin/api-keys").get_data(as_text=True)
    assert event.id in page and "HTTP 500" in page and "failed" in page

    moderator = logged_in(hooked, "mo2")
    own_token = csrf_from(moderator.get("/queue").get_data(as_text=True))
    refused = moderator.post(
        f"/admin/webhook-events/{event.id}/resend", data={"csrf_token": own_token}
    )
    assert refused.status_code == 403
    assert root.post(f"/admin/webhook-events/{event.id}/resend").status_code == 400  # no CSRF
    resent = root.post(f"/admin/webhook-events/{event.id}/resend", data={"csrf_token": csrf()})
    assert resent.status_code == 302
    page = root.get("/admin/api-keys").get_data(as_text=True)
    assert "is due again" in page and "pending" in page
    [outcome] = deliver(hooked)
    assert outcome.status == "delivered"
    assert len(receiver.received) == 1
    assert event.id not in root.get("/admin/api-keys").get_data(as_text=True)
    for unknown in ("nope", "00000000-0000-4000-8000-000000000000", "%00"):
        missing = root.post(f"/admin/webhook-events/{unknown}/resend", data={"csrf_token": csrf()})
        assert missing.status_code == 404

    removed = root.post("/admin/api-keys/1/webhook/remove", data={"csrf_token": csrf()})
    assert removed.status_code == 302
    assert receiver.url not in root.get("/admin/api-keys").get_data(as_text=True)
