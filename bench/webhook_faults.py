"""Webhook receiver down for a while, then up; a dispatcher SIGKILLed mid-run: every event
must arrive, and a repeat only ever with the same event id.

    python bench/webhook_faults.py                       # SQLite in a temporary folder
    python bench/webhook_faults.py --events 1000 --down 30 --database-url postgresql://...

Held comments are decided in bulk by a moderator through the queue API (each decision
writes one outbox event), while the receiver's port has nothing listening. Two real
dispatchers (``flask --app service webhooks deliver``) retry with backoff; after
``--down`` seconds the receiver starts, and once deliveries flow one dispatcher is killed
with SIGKILL and started again. Prints one summary line; exits 1 if an event is lost, a
signature is wrong or one decision arrives under two ids. Give ``--database-url`` a
throwaway database (the schema is created there), never a shared one.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from service import create_app
from service.access import credentials
from service.access.accounts import create_user
from service.access.api_clients import create_client
from service.extensions import db
from service.tables import AccessToken, WebhookEvent
from service.webhooks.endpoints import set_endpoint
from service.webhooks.signing import SIGNATURE_HEADER

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """The website's endpoint: verifies each signature, records the bodies, answers 204."""

    def __init__(self, port: int, secret: str):
        self.bodies: list[dict] = []
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                t, _, v1 = self.headers.get(SIGNATURE_HEADER, "").partition(",v1=")
                t = t.removeprefix("t=")
                mac = hmac.new(secret.encode(), f"{t}.".encode() + raw, hashlib.sha256)
                good = t.isdigit() and abs(time.time() - int(t)) <= 300
                good = good and hmac.compare_digest(mac.hexdigest(), v1)
                if good:
                    receiver.bodies.append(json.loads(raw))
                else:
                    receiver.bad_signatures += 1
                self.send_response(204 if good else 400)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def prepare(app, events: int, url: str) -> str:
    """A website with a webhook, ``events`` held comments decided in bulk; the secret."""
    with app.app_context():
        upgrade()
        site_client, key = create_client("bench-site")
        secret = set_endpoint(site_client, url)[1]
        moderator = create_user("bench-mod", "a long bench passphrase", "moderator")
        token = credentials.generate(credentials.TOKEN_KIND)
        db.session.add(
            AccessToken(
                user_id=moderator.id,
                name="bench",
                token_prefix=token.prefix,
                token_hash=token.digest,
            )
        )
        db.session.commit()
    client = app.test_client()
    site, mod = {"Authorization": f"Bearer {key}"}, {"Authorization": f"Bearer {token.secret}"}
    ids = []
    for n in range(events):
        body = {
            "external_id": f"bench-{n}",
            "article_id": f"article-{n % 7}",
            "author": {"id": f"reader-{n % 50}"},
            "text": f"Held for a moderator, comment number {n}.",
        }
        answer = client.post("/api/v1/comments", json=body, headers=site)
        assert answer.status_code == 201 and answer.json["status"] == "pending", answer.json
        ids.append(answer.json["id"])
    for start in range(0, len(ids), 200):
        batch = {"ids": ids[start : start + 200], "action": "approve"}
        answer = client.post("/api/v1/queue/bulk", json=batch, headers=mod)
        assert answer.status_code == 200, answer.json
    return secret


def dispatcher(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "flask", "--app", "service", "webhooks", "deliver"]
    return subprocess.Popen(
        [*command, "--interval", "0.2"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("a"),
    )


def counts(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(WebhookEvent.status, func.count()).group_by(WebhookEvent.status)
        )
        found = dict(rows.all())
        db.session.remove()
        return found


def deliver_through_outage(
    app,
    env: dict[str, str],
    log: Path,
    port: int,
    secret: str,
    events: int,
    down: float,
    deadline: float,
) -> Receiver:
    """Two dispatchers while nothing listens on ``port`` for ``down`` seconds; then the
    receiver starts, and once deliveries flow one dispatcher is SIGKILLed and started
    again. Returns the receiver when all ``events`` arrived or after ``deadline`` seconds."""
    started = time.monotonic()
    workers = [dispatcher(env, log), dispatcher(env, log)]
    time.sleep(down)
    receiver = Receiver(port, secret)
    killed = False
    try:
        while time.monotonic() - started < deadline:
            done = counts(app).get("delivered", 0)
            if not killed and done >= 1:
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait()
                workers[0] = dispatcher(env, log)
                killed = True
            if done == events:
                break
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
        receiver.server.shutdown()
    return receiver  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--down", type=float, default=20.0, help="seconds the receiver is down")
    parser.add_argument("--deadline", type=float, default=300.0, help="give up after (s)")
    parser.add_argument("--database-url", help="a throwaway database (default: SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/webhooks.db"
        (Path(tmp) / "models").mkdir()  # no model: every comment is held for a moderator
        env = os.environ | {
            "DATABASE_URL": url,
            "MODELS_DIR": f"{tmp}/models",
            "SECRET_KEY": "bench",
            "WEBHOOK_TIMEOUT_SECONDS": "2",
            "LOG_LEVEL": "INFO",
        }
        app = create_app(
            {
                "DATABASE_URL": url,
                "MODELS_DIR": env["MODELS_DIR"],
                "SECRET_KEY": "bench",
                "LOG_LEVEL": "WARNING",
            }
        )
        port = free_port()
        secret = prepare(app, args.events, f"http://127.0.0.1:{port}/hooks")
        log = Path(tmp) / "dispatchers.log"
        started = time.monotonic()
        receiver = deliver_through_outage(
            app, env, log, port, secret, args.events, args.down, args.deadline
        )
        elapsed = time.monotonic() - started
        final = counts(app)
        with app.app_context():
            attempts = db.session.scalar(select(func.max(WebhookEvent.attempts)))
            expected = set(db.session.scalars(select(WebhookEvent.id)))
            db.session.remove()
            db.engine.dispose()

    seen = Counter(body["id"] for body in receiver.bodies)
    ids_per_decision = defaultdict(set)
    for body in receiver.bodies:
        ids_per_decision[(body["comment_id"], body["decided_at"])].add(body["id"])
    lost = len(expected - set(seen))
    repeats = sum(n - 1 for n in seen.values())
    split = sum(1 for ids in ids_per_decision.values() if len(ids) > 1)
    failed = final.get("failed", 0)
    print(
        f"webhook receiver down {args.down:g} s then up, 2 dispatchers (one SIGKILLed and "
        f"restarted): {len(set(seen))} of {len(expected)} events arrived in {elapsed:.0f} s, "
        f"{lost} lost, {failed} failed, {repeats} repeats (same event id), {split} decisions "
        f"under two ids, {receiver.bad_signatures} bad signatures, at most {attempts} attempts"
    )
    return 0 if lost == failed == split == receiver.bad_signatures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
