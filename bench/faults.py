"""Faults under load: gunicorn (2 workers, gunicorn.conf.py) on a throwaway PostgreSQL cluster
while a client keeps submitting comments; no acknowledged comment may be lost.

    python bench/faults.py                 # every fault, about 3 minutes
    python bench/faults.py --freeze 35 --webhook-down 20 --events 200

The script starts its own PostgreSQL cluster (initdb and pg_ctl from
/usr/lib/postgresql/*/bin, in a temporary folder, on a free port, as the
``postgres`` user when run as root), never the machine's shared server. A client
thread submits comments with unique ``external_id`` values and records every one
answered 2xx. The faults, in turn, each with one summary line:

- a gunicorn worker SIGKILLed (the master starts another);
- PostgreSQL stopped, then started (503 JSON with Retry-After meanwhile);
- PostgreSQL frozen with SIGSTOP for ``--freeze`` seconds, then SIGCONT: 503 JSON
  with Retry-After, and no worker killed by gunicorn's timeout;
- the webhook receiver down for ``--webhook-down`` seconds, then up, two
  dispatchers (one SIGKILLed and restarted): every event arrives, a repeat only
  under the same event id (bench/webhook_faults.py's pieces);
- a corrupt artifact (one byte flipped in a copy of the model folder) and a
  malicious one (a pickle whose ``__reduce__`` would run code, its sha256 written
  into card.json): gunicorn restarted on each, the model refused, every comment
  held as pending (never approved, never a 500) and the pickle's code never run.

At the end every acknowledged comment is read back from the database: "comments
lost: N". Exits 1 on a lost comment, a 5xx that is not the 503 JSON, a dead worker
during the freeze, a lost webhook event, or a tampered model that was served.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path[:0] = [str(PROJECT), str(BENCH)]

import webhook_faults  # noqa: E402  (bench/webhook_faults.py: receiver, dispatchers)
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from service import create_app  # noqa: E402
from service.access.api_clients import create_client  # noqa: E402
from service.extensions import db  # noqa: E402
from service.tables import Comment  # noqa: E402

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
free_port = webhook_faults.free_port


class Cluster:
    """A PostgreSQL cluster of this run's own: stopping or freezing it harms no one."""

    def __init__(self, folder: Path):
        if PG_BIN is None:
            sys.exit("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
        folder.mkdir()
        folder.parent.chmod(0o755)  # the postgres user must reach its folder
        folder.chmod(0o777)
        self.data, self.port = folder / "data", free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync")  # fmt: skip
        options = f"-p {self.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.ctl = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                    "-l", str(folder / "postgres.log")]  # fmt: skip

    @staticmethod
    def _run(*command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True)

    def start(self) -> None:
        self._run(*self.ctl, "start")

    def stop(self) -> None:
        self._run(*self.ctl, "-m", "fast", "stop")

    def processes(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *children(postmaster)]


def children(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                           text=True).stdout.split()  # fmt: skip
    return [int(p) for p in found]


@dataclass
class Tally:
    """What the client saw: answers by status, acknowledged comments, anything off."""

    statuses: Counter = field(default_factory=Counter)
    decisions: Counter = field(default_factory=Counter)
    acknowledged: dict[str, str] = field(default_factory=dict)
    bad_5xx: int = 0  # a 5xx that is not 503 JSON with Retry-After
    refused: int = 0  # no answer at all (connection refused or reset)
    slowest: list[float] = field(default_factory=list)  # seconds of each answer, in order

    def snapshot(self) -> tuple[Counter, Counter, int, int, int, int]:
        return (Counter(self.statuses), Counter(self.decisions), self.bad_5xx, self.refused,
                len(self.acknowledged), len(self.slowest))  # fmt: skip


class Submitter(threading.Thread):
    """Keeps submitting comments with unique external ids until stopped."""

    def __init__(self, base: str, key: str):
        super().__init__(daemon=True)
        self.base, self.key, self.tally = base, key, Tally()
        self.running, self.count, self.lock = True, 0, threading.Lock()

    def run(self) -> None:
        while self.running:
            self.count += 1
            external_id = f"fault-{self.count}"
            text = f"Comment {self.count}: the council’s budget — «ça va» 👍 {self.count * 7919}"
            body = json.dumps({"external_id": external_id, "article_id": f"a-{self.count % 9}",
                               "author": {"id": f"u-{self.count % 40}"}, "text": text})  # fmt: skip
            request = urllib.request.Request(
                f"{self.base}/api/v1/comments", data=body.encode(), method="POST",
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.key}",
                         "Idempotency-Key": external_id},
            )  # fmt: skip
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    status, payload = answer.status, json.load(answer)
                    headers = answer.headers
            except urllib.error.HTTPError as error:
                status, headers, raw = error.code, error.headers, error.read()
                try:
                    payload = json.loads(raw)
                except ValueError:
                    payload = None
            except OSError:
                with self.lock:
                    self.tally.refused += 1
                time.sleep(0.2)
                continue
            with self.lock:
                self.tally.slowest.append(time.monotonic() - started)
                self.tally.statuses[status] += 1
                if 200 <= status < 300:
                    self.tally.acknowledged[external_id] = text
                    self.tally.decisions[payload["status"]] += 1
                elif status >= 500:
                    good = status == 503 and payload and "error" in payload
                    if not (good and headers.get("Retry-After")):
                        self.tally.bad_5xx += 1
            if status == 503:
                time.sleep(0.2)


class Service:
    """gunicorn with the repository's config, restartable on another models folder."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log, self.port, self.process = env, log, free_port(), None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, models_dir: Path) -> None:
        env = self.env | {"MODELS_DIR": str(models_dir)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(PROJECT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "service:create_app()"],
            cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=self.log.open("a"),
        )  # fmt: skip
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2)
                if len(self.workers()) == 2:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"gunicorn did not start; see {self.log}")

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def line(
    name: str, before: tuple, after: tuple, extra: str = "", tally: Tally | None = None
) -> str:
    statuses = after[0] - before[0]
    answers = tally.slowest[before[5] : after[5]] if tally else []
    if answers:
        extra = f", slowest answer {max(answers):.1f} s{extra}"
    decisions = after[1] - before[1]
    answered = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    held = ", ".join(f"{n} {d}" for d, n in sorted(decisions.items()))
    return (f"{name}: {answered or 'no answers'} ({held or 'none acknowledged'}), "
            f"{after[2] - before[2]} 5xx not 503 JSON, {after[3] - before[3]} refused "
            f"connections{extra}")  # fmt: skip


def tampered_models(models: Path, version: str, how: str, marker: Path) -> Path:
    """A copy of the models folder whose served version is corrupt or malicious."""
    copy = models.parent / f"models-{how}"
    shutil.copytree(models, copy, symlinks=True)
    artifact = copy / version / "model.joblib"
    if how == "corrupt":
        content = bytearray(artifact.read_bytes())
        content[len(content) // 2] ^= 0x01
        artifact.write_bytes(bytes(content))
        return copy

    class Payload:  # unpickling it would create the marker file
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    artifact.write_bytes(pickle.dumps(Payload()))
    card_path = copy / version / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["artifact_sha256"] = hashlib.sha256(artifact.read_bytes()).hexdigest()
    card_path.write_text(json.dumps(card), encoding="utf-8")
    return copy


def webhook_fault(app, env: dict[str, str], args, tmp: Path) -> tuple[str, bool]:
    """bench/webhook_faults.py's receiver-down run, on this cluster, beside the load."""
    port = free_port()
    secret = webhook_faults.prepare(app, args.events, f"http://127.0.0.1:{port}/hooks")
    log = tmp / "dispatchers.log"
    env = env | {"WEBHOOK_TIMEOUT_SECONDS": "2"}
    started = time.monotonic()
    receiver = webhook_faults.deliver_through_outage(
        app, env, log, port, secret, args.events, args.webhook_down, args.webhook_down + 240
    )
    seen = Counter(body["id"] for body in receiver.bodies)
    per_decision: dict[tuple, set] = {}
    for body in receiver.bodies:
        per_decision.setdefault((body["comment_id"], body["decided_at"]), set()).add(body["id"])
    split = sum(1 for ids in per_decision.values() if len(ids) > 1)
    lost = args.events - len(seen)
    repeats = sum(n - 1 for n in seen.values())
    ok = lost == split == receiver.bad_signatures == 0
    return (f"{len(seen)} of {args.events} events arrived in {time.monotonic() - started:.0f} s, "
            f"{lost} lost, {repeats} repeats (same event id), {split} decisions under two ids, "
            f"{receiver.bad_signatures} bad signatures"), ok  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )  # fmt: skip
    parser.add_argument("--settle", type=float, default=5.0, help="seconds of load between faults")
    parser.add_argument("--stopped", type=float, default=8.0, help="seconds PostgreSQL is down")
    parser.add_argument("--freeze", type=float, default=35.0, help="seconds PostgreSQL is frozen")
    parser.add_argument("--webhook-down", type=float, default=15.0, help="seconds receiver is down")
    parser.add_argument("--events", type=int, default=100, help="webhook events to deliver")
    parser.add_argument("--tampered", type=float, default=6.0, help="seconds of load per artifact")
    parser.add_argument("--models-dir", type=Path, default=PROJECT / "models")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="faults-"))
    cluster = Cluster(tmp / "pg")
    cluster.start()
    frozen: list[int] = []
    service = submitter = None
    failures: list[str] = []
    try:
        models = tmp / "models"
        shutil.copytree(args.models_dir, models, symlinks=True)
        version = (models / "DEFAULT").read_text().strip()
        held_models = tmp / "no-models"  # the webhook set-up's in-process app holds everything
        held_models.mkdir()
        app = create_app({"DATABASE_URL": cluster.url, "MODELS_DIR": str(held_models),
                          "SECRET_KEY": "faults", "LOG_LEVEL": "WARNING"})  # fmt: skip
        with app.app_context():
            upgrade()
            key = create_client("faults-site")[1]
            db.session.remove()
        env = os.environ | {
            "DATABASE_URL": cluster.url, "SECRET_KEY": "faults", "FORCE_HTTPS": "false",
            "API_RATE_LIMIT": "10000000/minute", "RATELIMIT_STORAGE_URI": "memory://",
            "DATABASE_CONNECT_TIMEOUT": "2", "ACCESS_LOG": "/dev/null", "LOG_LEVEL": "WARNING",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
        }  # fmt: skip
        service = Service(env, tmp / "gunicorn.log")
        service.start(models)
        print(
            f"gunicorn 2 workers (gunicorn.conf.py), model {version}, PostgreSQL on "
            f"127.0.0.1:{cluster.port} (a cluster of this run's own, in {tmp})",
            flush=True,
        )
        submitter = Submitter(service.base, key)
        submitter.start()
        time.sleep(args.settle)
        print(
            line(
                "steady load", Tally().snapshot(), submitter.tally.snapshot(), tally=submitter.tally
            ),
            flush=True,
        )

        before, workers = submitter.tally.snapshot(), service.workers()
        os.kill(workers[0], signal.SIGKILL)
        time.sleep(args.settle)
        replaced = len(set(service.workers()) - set(workers))
        print(line("worker SIGKILL", before, submitter.tally.snapshot(),
                   f", {replaced} worker replaced", submitter.tally), flush=True)  # fmt: skip

        before = submitter.tally.snapshot()
        cluster.stop()
        time.sleep(args.stopped)
        cluster.start()
        time.sleep(args.settle)
        print(line(f"PostgreSQL stopped {args.stopped:g} s then started", before,
                   submitter.tally.snapshot(), tally=submitter.tally), flush=True)  # fmt: skip

        before, workers = submitter.tally.snapshot(), service.workers()
        frozen = cluster.processes()
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        time.sleep(args.freeze)
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        frozen = []
        time.sleep(args.settle)
        died = len(set(workers) - set(service.workers()))
        if died:
            failures.append(f"{died} worker(s) died while PostgreSQL was frozen")
        print(line(f"PostgreSQL frozen (SIGSTOP) {args.freeze:g} s then SIGCONT", before,
                   submitter.tally.snapshot(), f", {died} workers died", submitter.tally),
              flush=True)  # fmt: skip

        before = submitter.tally.snapshot()
        summary, ok = webhook_fault(app, env, args, tmp)
        if not ok:
            failures.append("webhook events lost or split")
        print(line(f"webhook receiver down {args.webhook_down:g} s then up", before,
                   submitter.tally.snapshot(), f"; {summary}", submitter.tally),
              flush=True)  # fmt: skip

        marker = tmp / "the-pickle-ran"
        for how in ("corrupt", "malicious"):
            tampered = tampered_models(models, version, how, marker)
            service.stop()
            service.start(tampered)
            before = submitter.tally.snapshot()
            time.sleep(args.tampered)
            after = submitter.tally.snapshot()
            decided = after[1] - before[1]
            ran = marker.exists()
            served = decided["approved"] + decided["rejected"]
            if served or ran or not decided["pending"]:
                failures.append(f"{how} artifact: {served} decided by it, code ran: {ran}")
            print(line(f"{how} artifact ({version}, gunicorn restarted on it)", before, after,
                       f", {served} approved or rejected, pickle code ran: {ran}",
                       submitter.tally),
                  flush=True)  # fmt: skip
        service.stop()
        service.start(models)
        time.sleep(args.settle)
    finally:
        for pid in frozen:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGCONT)
        if submitter is not None:
            submitter.running = False
            submitter.join(70)
        if service is not None and service.process.poll() is None:
            service.stop()

    try:
        tally = submitter.tally
        with app.app_context():
            stored = dict(db.session.execute(select(Comment.external_id, Comment.text)).all())
            db.session.remove()
            db.engine.dispose()
        lost = sum(1 for eid, text in tally.acknowledged.items() if stored.get(eid) != text)
        print(f"{len(tally.acknowledged)} comments acknowledged, {tally.bad_5xx} 5xx not 503 "
              f"JSON, answers {dict(sorted(tally.statuses.items()))}")  # fmt: skip
        print(f"comments lost: {lost}")
        if lost or tally.bad_5xx:
            failures.append(f"{lost} comments lost, {tally.bad_5xx} bad 5xx")
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
