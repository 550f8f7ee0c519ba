"""Training pieces: thresholds, site labels, corpus loading, a small end-to-end run."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest

from service.config import DEFAULT_DATA_DIR
from service.moderation.loader import load_model
from service.moderation.types import CATEGORIES
from service.retraining.label_files import write_labels
from service.retraining.labels import Label, is_holdout
from training import data as corpora
from training.thresholds import pick_thresholds
from training.train import label_language, read_extra_labels, site_rows

from tiny_model import build_tiny_model

needs_data = pytest.mark.skipif(not DEFAULT_DATA_DIR.is_dir(), reason="../shared/data not present")


def test_thresholds_meet_their_targets():
    rng = np.random.default_rng(0)
    y = rng.random(5000) < 0.2
    s = np.clip(rng.normal(0.3 + 0.4 * y, 0.15), 0, 1)
    t = pick_thresholds(y, s)
    assert t["review"] <= t["reject"]
    above = s > t["reject"]
    assert y[above].mean() >= 0.95
    assert y[s > t["review"]].sum() / y.sum() >= 0.9 or y[s > t["review"]].mean() >= 0.4


def test_thresholds_fall_back_when_precision_is_out_of_reach():
    t = pick_thresholds([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])
    assert t["reject"] == 0.95 and t["review"] <= t["reject"]


def _texts_in_slice(holdout: bool, n: int) -> list[str]:
    texts = (f"site comment number {i}" for i in range(10_000))
    return [t for t in texts if is_holdout(t) == holdout][:n]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_site_labels_read_as_exported_without_the_gates_slice(tmp_path, fmt):
    kept, held = _texts_in_slice(False, 2), _texts_in_slice(True, 1)
    moment = datetime(2026, 11, 25, tzinfo=UTC)
    labels = [
        Label(kept[0], {"promotion": 1}, "mo", moment),
        Label(kept[1], dict.fromkeys(CATEGORIES, 0), "mo", moment),
        Label(held[0], {"abuse": 1}, "mo", moment),
    ]
    path = tmp_path / f"labels.{fmt}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_labels(labels, handle, fmt)
    texts, y = site_rows(read_extra_labels(path)["en"])
    assert texts == kept  # the held-out text is the gate's, never trained on
    assert y[0, CATEGORIES.index("promotion")] == 1
    assert np.isnan(y[0, CATEGORIES.index("abuse")])
    assert not np.isnan(y[1]).any() and y[1].sum() == 0


def test_site_labels_train_the_model_of_their_language(tmp_path):
    """A moderator's label trains the model of the language its comment was routed to;
    a label without one goes by the language detected in its text (und: English)."""
    moment = datetime(2026, 11, 25, tzinfo=UTC)
    texts = _texts_in_slice(False, 3)
    labels = [
        Label(texts[0], {"personal_attack": 1}, "mo", moment, language="tr"),
        Label(texts[1], {"abuse": 1}, "mo", moment, language="ckb"),
        Label(texts[2], {"abuse": 1}, "mo", moment, language="und"),
        Label("Bu yazar tam bir cahil, hiçbir şey bilmiyor.", {"personal_attack": 1}, "mo", moment),
        Label("هذا الكاتب غبي ولا يفهم شيئا في السياسة", {"abuse": 0}, "mo", moment),
        Label("خفه شو احمق", {"personal_attack": 1}, "mo", moment, language="und"),
    ]
    # und is English's, but a short Arabic-script text goes by its best guess (Arabic)
    assert [label_language(lab) for lab in labels] == ["tr", "ckb", "en", "tr", "ar", "ar"]
    path = tmp_path / "labels.jsonl"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_labels([lab for lab in labels if not is_holdout(lab.text)], handle, "jsonl")
    by_language = read_extra_labels(path)
    assert {k: len(v) for k, v in by_language.items()} == {
        k: sum(label_language(lab) == k and not is_holdout(lab.text) for lab in labels)
        for k in ("tr", "ckb", "en", "ar")
    }


def test_site_labels_as_a_language_models_labels():
    from training.language_models import site_corpus

    moment = datetime(2026, 11, 25, tzinfo=UTC)
    labels = [
        Label("a", dict.fromkeys(CATEGORIES, 0), "mo", moment),  # approved
        Label("b", {"personal_attack": 1}, "mo", moment),
        Label("c", {"abuse": 1}, "mo", moment),
        Label("d", {"promotion": 1}, "mo", moment),  # says nothing of offence
    ]
    corpus = site_corpus("ar", labels, 3.0)
    assert corpus.labels["offensive"][:3].tolist() == [0.0, 1.0, 1.0]
    assert np.isnan(corpus.labels["offensive"][3])
    assert corpus.labels["hate"][0] == 0.0 and corpus.labels["hate"][2] == 1.0
    assert np.isnan(corpus.labels["hate"][[1, 3]]).all()
    assert corpus.weight == 3.0 and not corpus.sets_thresholds
    assert "hate" not in site_corpus("tr", labels, 3.0).labels


def test_bad_site_label_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("text,promotion,labelled_by,labelled_at\nok,1,mo,2026-11-25\nbad,7,mo,x\n")
    with pytest.raises(ValueError, match="line 3"):
        read_extra_labels(path)


def test_tiny_model_accepts_extra_rows(tmp_path):
    folder = build_tiny_model(tmp_path, "tiny-x", extra=[("cheap pills online", {"promotion": 1})])
    card = json.loads((folder / "card.json").read_text())
    assert card["training_rows"] == 29
    model = load_model(tmp_path, "tiny-x")
    assert model.scorer.score("cheap pills online").scores["promotion"] > 0.5


@needs_data
def test_corpora_load_with_their_quirks():
    olid, level_a = corpora.olid_test(DEFAULT_DATA_DIR)
    assert len(olid) == 860 and set(level_a) == {"OFF", "NOT"}
    # labels-levelb/c use bare CR line ends: every TIN/UNT/IND... row must be read
    assert np.nansum(olid.labels[:, CATEGORIES.index("personal_attack")]) > 50
    yt = corpora.youtube(DEFAULT_DATA_DIR)
    assert len(set(yt.groups)) == 4 and len(yt) == 1586
    assert np.isnan(
        corpora.jigsaw(DEFAULT_DATA_DIR, "test").labels[:, CATEGORIES.index("abuse")]
    ).any()


@needs_data
def test_news_and_stereotype_corpora_feed_abuse_only():
    abuse = CATEGORIES.index("abuse")
    fox, sbic = corpora.fox_news(DEFAULT_DATA_DIR), corpora.sbic(DEFAULT_DATA_DIR)
    assert (len(fox), len(sbic)) == (1216, 4381)
    assert set(np.unique(fox.labels[:, abuse])) == {0.0, 1.0}
    # offensive and aimed at a group, as soft shares of the raters; never unknown
    assert 0 < np.mean(sbic.labels[:, abuse]) < 0.5 and not np.isnan(sbic.labels[:, abuse]).any()
    for corpus in (fox, sbic):
        known = ~np.isnan(corpus.labels).all(axis=0)
        assert [c for c, k in zip(CATEGORIES, known, strict=True) if k] == ["abuse", "promotion"]
    added = corpora.training_corpora(DEFAULT_DATA_DIR, ("fox", "sbic"))
    assert [c.name for c in added[-2:]] == ["fox-train", "sbic"]
    assert all("test" not in f.name for c in added for f in c.files)
    from training.train import assemble

    ds = assemble(DEFAULT_DATA_DIR, sample=40, add_corpora=("fox", "sbic"))
    weight = dict(zip(ds.sources, ds.weights, strict=True))
    assert (weight["fox"], weight["sbic"], weight["jigsaw"]) == (1.0, 0.5, 1.0)


@needs_data
def test_small_training_run_writes_a_loadable_version(tmp_path):
    from training.train import train

    folder = train(DEFAULT_DATA_DIR, tmp_path, "small-1", sample=150, progress=False)
    card = json.loads((folder / "card.json").read_text())
    assert set(card["thresholds"]) == set(CATEGORIES)
    assert "promotion_leave_one_video_out" in card["metrics"]
    model = load_model(tmp_path, "small-1")
    assert len(model.scorer.score_batch(["hi", "you idiot"])) == 2


def test_api_score_fn_scores_through_the_endpoint(tmp_path):
    from bench.api_scoring import api_score_fn

    build_tiny_model(tmp_path, "tiny-1")
    with api_score_fn(tmp_path, "tiny-1") as score_fn:
        clean, abusive = score_fn(["Lovely photos of the harbour.", "you stupid fucking idiot"])
    assert set(clean) == set(CATEGORIES)
    assert abusive["profanity"] > 0.8 > clean["profanity"]


def test_api_score_fn_scores_under_the_policy_it_is_given(tmp_path):
    from bench.api_scoring import api_score_fn

    build_tiny_model(tmp_path, "tiny-1")
    text = ["What the hell is this damn crap"]
    with api_score_fn(tmp_path, "tiny-1") as score_fn:
        (blanked,) = score_fn(text)  # the default policy blanks mild expletives
    with api_score_fn(tmp_path, "tiny-1", ["allow_mild_profanity=false"]) as score_fn:
        (as_written,) = score_fn(text)
    assert as_written["profanity"] > blanked["profanity"]


@needs_data
def test_suite_has_the_issue_rows_and_reports_every_task(tmp_path):
    from training.evaluate import direct_score_fn, evaluate_suite, load_suite

    suite = load_suite(DEFAULT_DATA_DIR)
    assert len(suite.texts) == 10_932
    assert [t.name for t in suite.tasks] == [
        "olid-offensive",
        "davidson-hate",
        "davidson-offensive",
        "jigsaw-toxic",
        "sms-promotion",
    ]
    build_tiny_model(tmp_path, "tiny-1")
    model = load_model(tmp_path, "tiny-1")
    with direct_score_fn(tmp_path, "tiny-1") as score_fn:
        report = evaluate_suite(score_fn, suite, model.thresholds)
    assert all(0.0 <= t["auc"] <= 1.0 for t in report["tasks"].values())
    assert set(report["categories"]) == set(CATEGORIES)


def test_unknown_added_corpus_is_refused_by_name(capsys):
    from training.__main__ import _parser

    with pytest.raises(SystemExit):
        _parser().parse_args(["train", "--add-corpora", "fox,nosuch"])
    assert "unknown corpus nosuch" in capsys.readouterr().err
    assert _parser().parse_args(["train", "--add-corpora", "fox, sbic"]).add_corpora == (
        "fox",
        "sbic",
    )
    # the default model is fitted with both; '' is neither
    assert _parser().parse_args(["train"]).add_corpora == ("fox", "sbic")
    assert _parser().parse_args(["train", "--add-corpora", ""]).add_corpora == ()
