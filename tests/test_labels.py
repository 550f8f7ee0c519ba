"""Labels: from moderators' decisions to a file and back, exactly, and nothing half-imported."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest
from queue_helpers import Site, add_user, token_for
from retrain_helpers import decide
from sqlalchemy import func, select

from service.extensions import db
from service.moderation.types import CATEGORIES
from service.retraining.labels import HOLDOUT_PERCENT, is_holdout
from service.tables import SiteLabel

TRICKY = {
    "crlf": "line one\r\nline two\r\n",
    "bare_cr": "old mac\rline",
    "quotes": "He said \"no\", then, 'yes'",
    "spaces": "  padded  ",
    "rtl": "ئەمە وتارێکی زۆر باشە 👍🏽",
    "separator": "para\u2028graph\u0085next",
    "formula": "=HYPERLINK(1)",
}


@pytest.fixture
def web(app):
    """The website: submits comments through the real API with its own key."""
    return Site(app)


def export(runner, tmp_path, fmt: str, *args: str) -> list[dict]:
    out = tmp_path / f"labels.{fmt}"
    result = runner.invoke(args=["labels", "export", "--format", fmt, "--output", str(out), *args])
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        return [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_decisions_become_labels(app, web, runner, tmp_path):
    ids = {
        name: web.submit(f"comment {name}")["id"]
        for name in ("approve", "reject", "offtopic", "undone", "reundone", "pending", "model")
    }
    decide(app, ids["approve"], "approved")
    decide(app, ids["reject"], "approved")
    decide(app, ids["reject"], "rejected", "personal_attack", username="lead")
    decide(app, ids["offtopic"], "rejected", "off_topic")
    first = decide(app, ids["undone"], "approved")
    second = decide(app, ids["undone"], "rejected", "threat")
    decide(app, ids["undone"], "approved", undoes=second)  # back to the approve
    wrong = decide(app, ids["reundone"], "rejected", "abuse")
    undo = decide(app, ids["reundone"], "pending", undoes=wrong)
    decide(app, ids["reundone"], "rejected", "abuse", undoes=undo)  # undo of the undo
    decide(app, ids["pending"], "approved")
    decide(app, ids["pending"], "pending")  # sent back to the queue: no verdict now
    assert first

    rows = {row["text"]: row for row in export(runner, tmp_path, "jsonl")}

    assert set(rows) == {"comment approve", "comment reject", "comment undone", "comment reundone"}
    assert rows["comment approve"] | {"labelled_at": None} == {
        "text": "comment approve",
        **dict.fromkeys(CATEGORIES, 0),
        "labelled_by": "mod",
        "labelled_at": None,
        "source": "site",
        "comment_id": ids["approve"],
        "language": "en",  # routed language: which model the label trains
    }
    attack = rows["comment reject"]
    assert attack["personal_attack"] == 1 and attack["labelled_by"] == "lead"
    assert all(attack[c] is None for c in CATEGORIES if c != "personal_attack")
    assert all(rows["comment undone"][c] == 0 for c in CATEGORIES)
    assert rows["comment reundone"]["abuse"] == 1


def test_export_keeps_text_exactly_in_both_formats(app, web, runner, tmp_path):
    for text in TRICKY.values():
        comment = web.submit(text)
        decide(app, comment["id"], "rejected", "profanity")
    for fmt in ("csv", "jsonl"):
        rows = export(runner, tmp_path, fmt)
        assert sorted(row["text"] for row in rows) == sorted(TRICKY.values()), fmt
        assert {row["profanity"] for row in rows} == ({"1"} if fmt == "csv" else {1})


def test_export_since_filters_on_the_decision_time(app, web, runner, tmp_path):
    old = web.submit("decided last year")["id"]
    new = web.submit("decided today")["id"]
    decide(app, old, "approved", at=datetime.now(UTC) - timedelta(days=400))
    decide(app, new, "approved")
    since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert [r["text"] for r in export(runner, tmp_path, "csv", "--since", since)] == [
        "decided today"
    ]
    assert len(export(runner, tmp_path, "csv")) == 2
    result = runner.invoke(args=["labels", "export", "--since", "last week"])
    assert result.exit_code == 2 and "ISO 8601" in result.output


def test_reimporting_an_export_adds_nothing(app, web, runner, tmp_path):
    ids = [web.submit(text)["id"] for text in TRICKY.values()]
    for comment_id in ids:
        decide(app, comment_id, "approved")
    decide(app, ids[0], "rejected", "abuse")
    before = {fmt: export(runner, tmp_path, fmt) for fmt in ("csv", "jsonl")}
    for fmt in ("csv", "jsonl"):
        (tmp_path / f"site.{fmt}").write_bytes((tmp_path / f"labels.{fmt}").read_bytes())

    def reimport() -> None:
        for fmt in ("csv", "jsonl"):
            result = runner.invoke(args=["labels", "import", str(tmp_path / f"site.{fmt}")])
            assert result.exit_code == 0, result.output
            assert f"imported 0 labels from site.{fmt} ({len(TRICKY)} already present)" in (
                result.output
            )
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(SiteLabel)) == 0

    reimport()
    assert {fmt: export(runner, tmp_path, fmt) for fmt in ("csv", "jsonl")} == before


def test_reimporting_an_export_after_a_correction_keeps_it_and_says_so(app, web, runner, tmp_path):
    ids = [web.submit(text)["id"] for text in TRICKY.values()]
    approvals = [decide(app, comment_id, "approved") for comment_id in ids]
    for fmt in ("csv", "jsonl"):
        export(runner, tmp_path, fmt)
        (tmp_path / f"site.{fmt}").write_bytes((tmp_path / f"labels.{fmt}").read_bytes())

    # after the export: a moderator corrects one label, undoes another (back to pending:
    # no label), and a third is decided again the same way by someone else (unchanged)
    decide(app, ids[1], "rejected", "threat")
    decide(app, ids[2], "pending", undoes=approvals[2])
    decide(app, ids[3], "approved", username="lead")
    now = {fmt: export(runner, tmp_path, fmt) for fmt in ("csv", "jsonl")}

    for fmt in ("csv", "jsonl"):
        result = runner.invoke(args=["labels", "import", str(tmp_path / f"site.{fmt}")])
        assert result.exit_code == 0, result.output
        assert (
            f"imported 0 labels from site.{fmt} ({len(TRICKY) - 2} already present, "
            "2 skipped: this site's label changed since the export)"
        ) in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SiteLabel)) == 0
    assert {fmt: export(runner, tmp_path, fmt) for fmt in ("csv", "jsonl")} == now
    after = {row["comment_id"]: row for row in now["jsonl"]}
    assert after[ids[1]]["threat"] == 1 and after[ids[1]]["abuse"] is None
    assert ids[2] not in after and after[ids[3]]["labelled_by"] == "lead"


def test_import_of_another_services_export_round_trips_once(app, web, runner, tmp_path):
    ids = [web.submit(text)["id"] for text in TRICKY.values()]
    for comment_id in ids:
        decide(app, comment_id, "approved")
    rows = export(runner, tmp_path, "jsonl")
    # another service's comment ids: none here, or one here with another text
    elsewhere = [row | {"comment_id": row["comment_id"] + 1000} for row in rows]
    elsewhere[0]["comment_id"] = ids[1]
    for fmt in ("csv", "jsonl"):
        path = tmp_path / f"other.{fmt}"
        with path.open("w", encoding="utf-8", newline="") as out:
            if fmt == "jsonl":
                out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in elsewhere)
            else:
                writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
                writer.writeheader()
                writer.writerows(elsewhere)
        result = runner.invoke(args=["labels", "import", str(path)])
        assert result.exit_code == 0, result.output
    with app.app_context():
        stored = db.session.scalars(select(SiteLabel)).all()
        # the CSV and the JSONL file carry the same rows: the second import adds nothing
        assert sorted(s.text for s in stored) == sorted(TRICKY.values())
        assert all(s.labels == dict.fromkeys(CATEGORIES, 0) for s in stored)
        assert {s.source for s in stored} == {"site"}
        assert None not in {s.language for s in stored}  # kept as exported
    assert f"0 labels from other.jsonl ({len(TRICKY)} already present)" in result.output
    exported = export(runner, tmp_path, "jsonl")
    assert len(exported) == 2 * len(TRICKY)  # this site's and the other's, each once
    assert sum(row["comment_id"] is None for row in exported) == len(TRICKY)


def test_import_of_a_hand_written_jsonl(app, runner, tmp_path):
    path = tmp_path / "elsewhere.jsonl"
    path.write_text(
        json.dumps(
            {
                "text": "buy followers",
                "promotion": 1,
                "labelled_by": "ana",
                "labelled_at": "2026-01-02T03:04:05",
            }
        )
        + "\n\n"
        + json.dumps(
            {
                "text": "nice",
                "profanity": "0",
                "threat": None,
                "labelled_by": "ana",
                "labelled_at": "2026-01-02T03:04:05+02:00",
                "source": "forum",
                "language": "tr",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["labels", "import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = {r.text: r for r in db.session.scalars(select(SiteLabel))}
    assert rows["buy followers"].labels == {"promotion": 1}
    assert rows["buy followers"].source == "import"
    assert rows["buy followers"].language is None  # not said: training detects it
    assert rows["nice"].language == "tr"
    assert rows["nice"].labels == {"profanity": 0} and rows["nice"].source == "forum"
    stored = rows["nice"].labelled_at
    assert stored.replace(tzinfo=stored.tzinfo or UTC) == datetime(2026, 1, 2, 1, 4, 5, tzinfo=UTC)


def test_an_empty_optional_cell_of_a_csv_takes_its_default(app, runner, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        "text,promotion,labelled_by,labelled_at,source,comment_id,language\n"
        '"win a phone",1,ana,2026-01-01T00:00:00Z,,,\n'
        '"sunny today",0,ana,2026-01-01T00:00:00Z,forum,,en\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["labels", "import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = {r.text: r for r in db.session.scalars(select(SiteLabel))}
    assert rows["win a phone"].source == "import" and rows["win a phone"].language is None
    assert rows["sunny today"].source == "forum" and rows["sunny today"].language == "en"


def test_bad_csv_reports_every_row_and_imports_nothing(app, runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "text,profanity,threat,labelled_by,labelled_at\n"
        '"good row",1,,ana,2026-01-01T00:00:00Z\n'
        '"a text\non two lines",2,,ana,2026-01-01T00:00:00Z\n'  # lines 3-4: bad profanity
        ",0,,ana,2026-01-01T00:00:00Z\n"  # line 5: empty text
        '"no category",,,ana,2026-01-01T00:00:00Z\n'  # line 6
        '"bad date",0,,ana,yesterday\n'  # line 7
        '"short",0\n',  # line 8
        encoding="utf-8",
    )
    result = runner.invoke(args=["labels", "import", str(path)])
    assert result.exit_code == 1
    for expected in (
        "line 3, field profanity: Must be 1, 0 or empty.",
        "line 5, field text:",
        "line 6, field categories:",
        "line 7, field labelled_at:",
        "line 8, field row: Has 2 fields, the header has 5.",
        "nothing imported: 5 bad row(s)",
    ):
        assert expected in result.output
    assert "line 2" not in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SiteLabel)) == 0


def test_bad_jsonl_reports_every_row_and_imports_nothing(app, runner, tmp_path):
    good = {"text": "fine", "abuse": 0, "labelled_by": "ana", "labelled_at": "2026-01-01"}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps(good | {"colour": "red"}),
        json.dumps(good | {"text": "nul\u0000byte"}),
        json.dumps({k: v for k, v in good.items() if k != "labelled_by"}),
        json.dumps(good | {"threat": True}),
        json.dumps(good | {"language": "ku"}),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(args=["labels", "import", str(path)])
    assert result.exit_code == 1
    for expected in (
        "line 2, field row: Not valid JSON",
        "line 3, field row: Must be a JSON object.",
        "line 4, field colour: Unknown field.",
        "line 5, field text: Must not contain U+0000.",
        "line 6, field labelled_by:",
        "line 7, field threat:",
        "line 8, field language: Must be one of: en, ckb, kmr, ar, tr, fa, und.",
    ):
        assert expected in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SiteLabel)) == 0


def test_import_refuses_unknown_format_and_bad_utf8(runner, tmp_path):
    odd = tmp_path / "labels.txt"
    odd.write_text("text\n", encoding="utf-8")
    assert "use --format" in runner.invoke(args=["labels", "import", str(odd)]).output
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b'text,labelled_by,labelled_at,abuse\n"caf\xe9",a,2026-01-01,0\n')
    result = runner.invoke(args=["labels", "import", str(broken)])
    assert result.exit_code == 1 and "line 2, field row: Not valid UTF-8." in result.output


def test_holdout_slice_is_stable_and_about_its_share():
    texts = [f"comment number {i}" for i in range(2000)]
    share = sum(map(is_holdout, texts)) / len(texts)
    assert abs(share - HOLDOUT_PERCENT / 100) < 0.03
    assert [is_holdout(t) for t in texts[:50]] == [is_holdout(t) for t in texts[:50]]


def test_export_split_train_leaves_out_the_gates_slice(app, web, runner, tmp_path):
    texts = [f"labelled comment {i}" for i in range(40)]
    for text in texts:
        decide(app, web.submit(text)["id"], "approved")
    train = {r["text"] for r in export(runner, tmp_path, "csv", "--split", "train")}
    held = {r["text"] for r in export(runner, tmp_path, "csv", "--split", "holdout")}
    assert train | held == set(texts) and not train & held
    assert held == {t for t in texts if is_holdout(t)} and held


def test_labels_follow_the_queue_apis_decide_overturn_and_undo(app, runner, tmp_path):
    site = Site(app)
    mod = token_for(app, add_user(app, "mo"))
    queue = app.test_client()
    assert runner.invoke(args=["policy", "set", "hold_all=true"]).exit_code == 0
    kept, flipped, undone = (site.submit(f"queue comment {i}")["id"] for i in range(3))

    def post(path: str, body: dict | None = None) -> dict:
        response = queue.post(f"/api/v1/queue/{path}", json=body, headers=mod)
        assert response.status_code == 200, response.json
        return response.json

    post(f"{kept}/decision", {"action": "approve"})
    post(f"{flipped}/decision", {"action": "approve"})
    post(f"{flipped}/overturn", {"action": "reject", "reason": "abuse"})
    slip = post(f"{undone}/decision", {"action": "reject", "reason": "threat"})
    post(f"decisions/{slip['decision']['id']}/undo")

    rows = {row["text"]: row for row in export(runner, tmp_path, "jsonl")}
    assert set(rows) == {"queue comment 0", "queue comment 1"}  # the undone one is pending
    assert rows["queue comment 0"]["abuse"] == 0 and rows["queue comment 0"]["labelled_by"] == "mo"
    assert rows["queue comment 1"]["abuse"] == 1 and rows["queue comment 1"]["threat"] is None
