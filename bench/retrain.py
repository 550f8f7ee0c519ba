"""Time a retrain on the full base corpora plus site labels, and print the gate's report.

Fills a throw-away SQLite database with synthetic-but-plausible moderated
comments (templated news-site comments: approvals, and rejections for
promotion, profanity, personal attacks, abuse and threats), exports the
training split with ``flask labels export --split train``, trains with
``python -m training train --extra-labels``, and runs ``flask models promote``
against the shipped default model, which prints the gate's report.

    python bench/retrain.py --labels 12500      # about 10,000 to train, 2,500 held out
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPENERS = [
    "Honestly,",
    "I think",
    "As a resident,",
    "Good article, but",
    "Interesting:",
    "Sadly",
    "In my view",
    "Thanks for this;",
    "Not sure, but",
    "Frankly,",
    "My neighbour says",
    "Reading this,",
]
TOPICS = [
    "the new bike lanes",
    "the school budget",
    "the mayor's housing plan",
    "the bridge repair",
    "the tram extension",
    "the harbour project",
    "the library hours",
    "the parking fees",
    "the election debate",
    "the hospital merger",
    "the park cleanup",
    "the water rates",
    "the football club",
    "the festival",
    "the rail strike",
    "the tax rise",
]
OPINIONS = [
    "seems sensible to me",
    "was rushed through",
    "deserves more scrutiny",
    "is long overdue",
    "will cost more than they say",
    "helps families",
    "is a good start",
    "needs a public vote",
    "ignores the north side",
    "was explained well here",
]
TAILS = [
    "",
    " Thanks.",
    " Just my two cents.",
    " What do others think?",
    " We will see.",
    " Good reporting.",
    " More numbers please.",
]
PROMOS = [
    "Earn {n} dollars a week from home, visit {d}",
    "Cheap followers and likes at {d}",
    "Crypto signals that pay {n}% a month, join us at {d}",
    "Best replica watches, {d}",
    "Lose {n} kg in a month, order now at {d}",
    "Need an essay by tomorrow? {d} writes it",
]
DOMAINS = ["quickcash.biz", "bit.ly/x{n}", "www.deal{n}.shop", "t.me/signals{n}", "promo{n}.xyz"]
SWEARS = ["fucking", "bloody", "shit", "damn", "crap"]
INSULTS = ["idiot", "moron", "clown", "fool", "halfwit", "muppet"]
GROUPS = ["immigrants", "foreigners", "those people", "muslims", "gypsies"]
NAMES = ["Mark", "Julie", "Sam", "the author", "the editor", "Tom"]

MIX = [("approve", 0.65), ("promotion", 0.12), ("profanity", 0.08), ("personal_attack", 0.08),
       ("abuse", 0.04), ("threat", 0.03)]  # fmt: skip


def comment(kind: str, rnd: random.Random, i: int) -> str:
    topic = rnd.choice(TOPICS)
    if kind == "approve":
        return f"{rnd.choice(OPENERS)} {topic} {rnd.choice(OPINIONS)}.{rnd.choice(TAILS)}"
    if kind == "promotion":
        domain = rnd.choice(DOMAINS).format(n=i % 97)
        return rnd.choice(PROMOS).format(n=rnd.randint(3, 900), d=domain)
    if kind == "profanity":
        return f"{rnd.choice(OPENERS)} {topic} is a {rnd.choice(SWEARS)} joke.{rnd.choice(TAILS)}"
    if kind == "personal_attack":
        return f"{rnd.choice(NAMES)}, you are a {rnd.choice(INSULTS)} if you think {topic} works."
    if kind == "abuse":
        return f"{rnd.choice(GROUPS).capitalize()} ruin {topic}, send them all back."
    return f"{rnd.choice(NAMES)}, I know where you live and you will pay for {topic}."


def fill(app, count: int, seed: int = 0) -> None:
    """Comments held by the model, then decided by a moderator, straight into the tables."""
    from service.extensions import db
    from service.tables import ApiClient, Comment, Decision, User

    rnd = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    seen: set[str] = set()
    with app.app_context():
        client = ApiClient(name="bench", key_prefix="bench", key_hash="x")
        user = User(username="bench-mod", password_hash="x", role="moderator", active=True)
        db.session.add_all([client, user])
        db.session.commit()
        client_id, user_id = client.id, user.id
        while len(seen) < count:
            batch = []
            while len(seen) < count and len(batch) < 1000:
                kind = rnd.choices(kinds, weights)[0]
                text = comment(kind, rnd, len(seen))
                if text in seen:
                    text = f"{text} ({len(seen)})"
                seen.add(text)
                status = "approved" if kind == "approve" else "rejected"
                row = Comment(
                    client_id=client_id, external_id=str(len(seen)), article_id="a",
                    request_hash=hashlib.sha256(text.encode()).hexdigest(), author_id="u",
                    author_name="Reader", text=text, status=status, first_response={},
                )  # fmt: skip
                batch.append((row, status, None if kind == "approve" else kind))
            db.session.add_all([row for row, _, _ in batch])
            db.session.flush()
            for row, status, reason in batch:
                db.session.add(Decision(comment_id=row.id, status="pending", decided_by="model"))
                db.session.add(
                    Decision(
                        comment_id=row.id, status=status, reason_code=reason,
                        decided_by="moderator", moderator_id=user_id,
                    )
                )  # fmt: skip
            db.session.commit()
            db.session.expunge_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=12_500, help="moderated comments to create")
    parser.add_argument("--site-weight", default="3")
    parser.add_argument("--sample", default=None, help="rows per base corpus (default: all)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from service import create_app
    from service.moderation.loader import default_version

    work = args.keep or Path(tempfile.mkdtemp(prefix="retrain-"))
    work.mkdir(parents=True, exist_ok=True)
    models = work / "models"
    models.mkdir(exist_ok=True)
    active = default_version(ROOT / "models")
    if active and not (models / active).exists():
        shutil.copytree(ROOT / "models" / active, models / active)
        (models / "DEFAULT").write_text(active + "\n")
    env = os.environ | {"DATABASE_URL": f"sqlite:///{work / 'site.db'}", "MODELS_DIR": str(models)}
    app = create_app({"DATABASE_URL": env["DATABASE_URL"], "MODELS_DIR": str(models)})
    with app.app_context():
        upgrade()

    started = time.monotonic()
    fill(app, args.labels)
    print(f"filled {args.labels} moderated comments in {time.monotonic() - started:.1f}s")

    labels = work / "site-train.csv"
    flask = [sys.executable, "-m", "flask", "--app", "service"]
    subprocess.run(
        [*flask, "labels", "export", "--split", "train", "--output", str(labels)],
        env=env, check=True, cwd=ROOT,
    )  # fmt: skip
    rows = sum(1 for _ in labels.open(encoding="utf-8")) - 1
    print(f"exported {rows} training labels to {labels}")

    version = f"retrain-{time.strftime('%Y%m%d-%H%M%S')}"
    train = [sys.executable, "-m", "training", "train", "--models-dir", str(models),
             "--version", version, "--extra-labels", str(labels),
             "--site-weight", args.site_weight, "--quiet"]  # fmt: skip
    if args.sample:
        train += ["--sample", args.sample]
    started = time.monotonic()
    subprocess.run(train, env=env, check=True, cwd=ROOT)
    train_seconds = time.monotonic() - started
    print(f"retrain on the base corpora + {rows} site labels: {train_seconds:.0f}s wall clock")

    started = time.monotonic()
    gate = subprocess.run(
        [*flask, "models", "promote", version, "--json", "--actor", "bench"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    gate_seconds = time.monotonic() - started
    report = json.loads(gate.stdout[gate.stdout.index("{") : gate.stdout.rindex("}") + 1])
    print(f"gate ({gate_seconds:.0f}s, exit {gate.returncode}):")
    from service.retraining.gate import format_report

    for line in format_report(report):
        print(line)
    (work / "gate-report.json").write_text(json.dumps(report, indent=2))
    print(f"full report: {work / 'gate-report.json'}")


if __name__ == "__main__":
    main()
