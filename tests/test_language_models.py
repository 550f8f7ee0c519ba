"""The Arabic and Turkish scoring copies and the per-language scorer.

The tiny models here are fitted on a few hand-written sentences (not corpus rows),
so these tests run in well under a second and need no data directory.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from service.moderation.language_model import LanguageModel
from service.moderation.script_normalize import (
    URL_TOKEN,
    USER_TOKEN,
    fold_turkish,
    normalize_arabic,
    normalize_turkish,
)

TURKISH_OFFENSIVE = [
    "sen tam bir yavşaksın",
    "yavşak herif sus artık",
    "bu yazar aptal ve yavşak",
    "salak mısın sen yavşak",
    "tam bir aptal salak",
    "aptal yavşak gazeteci",
]
TURKISH_CLEAN = [
    "belediye yeni köprüyü açtı",
    "maç akşam saat sekizde başlıyor",
    "yazar haberi çok güzel anlatmış",
    "seçim sonuçları yarın açıklanacak",
    "hava bugün çok güzel",
    "haber için teşekkürler",
]
ARABIC_OFFENSIVE = ["انت غبي جدا", "يا غبي اسكت", "كاتب غبي وفاشل", "يا حمار يا غبي"]
ARABIC_HATE = ["كل المهاجرين حثالة", "المهاجرين حثالة ويجب طردهم"]
ARABIC_CLEAN = [
    "شكرا على الخبر المفيد",
    "المباراة اليوم في المساء",
    "الحكومة اعلنت عن ميزانية جديدة",
    "مقال جميل ومفيد",
    "الطقس جميل اليوم",
    "افتتاح مدرسة جديدة في المدينة",
]


def _word_span(normalized, word: str) -> tuple[int, int]:
    start = normalized.text.index(word)
    return normalized.original_span(start, start + len(word))


@pytest.fixture(scope="module")
def turkish_model() -> LanguageModel:
    texts = TURKISH_OFFENSIVE + TURKISH_CLEAN
    y = np.r_[np.ones(len(TURKISH_OFFENSIVE)), np.zeros(len(TURKISH_CLEAN))]
    model = LanguageModel(
        "tr",
        heads={"profanity": "offensive", "personal_attack": "offensive"},
        word_min_df=1,
        char_min_df=1,
        C=10.0,
        fold="turkish",
        evidence_min=0.0,
    )
    return model.fit(texts, {"offensive": y})


@pytest.fixture(scope="module")
def arabic_model() -> LanguageModel:
    texts = ARABIC_OFFENSIVE + ARABIC_HATE + ARABIC_CLEAN
    offensive = np.r_[np.ones(len(ARABIC_OFFENSIVE) + len(ARABIC_HATE)), np.zeros(6)]
    hate = np.r_[np.zeros(len(ARABIC_OFFENSIVE)), np.ones(len(ARABIC_HATE)), np.zeros(6)]
    hate[-1] = np.nan  # a row whose corpus has no hate label: no gradient for that head
    model = LanguageModel(
        "ar",
        heads={"profanity": "offensive", "personal_attack": "offensive", "abuse": "hate"},
        word_min_df=1,
        char_min_df=1,
        C=10.0,
        feature_stop_words=("يا",),
        evidence_min=0.0,
    )
    return model.fit(texts, {"offensive": offensive, "hate": hate})


# --- Arabic scoring copy ----------------------------------------------------------------------
def test_arabic_strips_diacritics_and_tatweel():
    assert normalize_arabic("أَنْتَ غَبِيٌّ").text == "انت غبي"
    assert normalize_arabic("كاتـــــب").text == "كاتب"


def test_arabic_unifies_letter_variants():
    assert normalize_arabic("أحمد إسلام آمال ٱلله").text == "احمد اسلام امال الله"
    assert normalize_arabic("على مستشفى").text == "علي مستشفي"
    assert normalize_arabic("مدرسة").text == "مدرسه"
    assert normalize_arabic("کتاب یوم").text == "كتاب يوم"  # Persian kaf and yeh
    assert normalize_arabic("عام ٢٠٢٦ و۱۲").text == "عام 2026 و12"
    assert normalize_arabic("ﻻ").text == "لا"  # a presentation-form ligature


def test_arabic_drops_invisible_marks_and_shortens_stretched_letters():
    assert normalize_arabic("\u200fانت\u200d \u202bغبي\u202c\ufeff").text == "انت غبي"
    assert normalize_arabic("حلوووووو اللللله").text == "حلوو الله"


def test_arabic_offsets_map_back_to_the_original():
    original = "\u200fيا أَخِي، الكاتـــب غَبِيٌّ"
    normalized = normalize_arabic(original)
    assert normalized.text == "يا اخي, الكاتب غبي"
    start, end = _word_span(normalized, "غبي")
    assert original[start:end] == "غَبِيٌّ"
    start, end = _word_span(normalized, "الكاتب")
    assert original[start:end] == "الكاتـــب"


# --- Turkish scoring copy ---------------------------------------------------------------------
def test_turkish_lowercases_dotted_and_dotless_i():
    assert normalize_turkish("IRMAK").text == "ırmak"
    assert normalize_turkish("İSTANBUL").text == "istanbul"
    assert normalize_turkish("KIZILIRMAK İzmir").text == "kızılırmak izmir"
    assert fold_turkish("ışığı çöz") == "isigi coz"


def test_turkish_case_disguised_swear_word_reads_as_the_word():
    assert normalize_turkish("yavşAK").text == normalize_turkish("yavşak").text == "yavşak"
    assert normalize_turkish("YAVŞAK").text == "yavşak"
    assert normalize_turkish("yavşaaaaak").text == "yavşak"
    assert normalize_turkish("s1kt1r").text == "siktir"


def test_turkish_offsets_map_back_to_the_original():
    original = "Sen tam bir yavşaaaAK!"
    normalized = normalize_turkish(original)
    assert normalized.text == "sen tam bir yavşak!"
    start, end = _word_span(normalized, "yavşak")
    assert original[start:end] == "yavşaaaAK"


# --- platform cues ----------------------------------------------------------------------------
def test_platform_cues_become_placeholders_and_the_original_is_kept():
    original = "RT @someone: @USER @User.IDX شوف https://example.com/a URL<LF>نعم &amp; لا"
    normalized = normalize_arabic(original)
    words = normalized.text.split()
    assert words == [USER_TOKEN, USER_TOKEN, "شوف", URL_TOKEN, URL_TOKEN, "نعم", "&", "لا"]
    assert original.startswith("RT @someone:")  # a copy for scoring, never an edit
    start, end = _word_span(normalized, USER_TOKEN)
    assert original[start:end] == "@USER"


# --- the scorer -------------------------------------------------------------------------------
def test_scores_only_the_trained_categories(turkish_model, arabic_model):
    turkish = turkish_model.score_batch(["sen yavşaksın"])[0]
    assert set(turkish.scores) == {"profanity", "personal_attack"}
    arabic = arabic_model.score_batch(["انت غبي"])[0]
    assert set(arabic.scores) == {"profanity", "personal_attack", "abuse"}
    assert all(0.0 <= v <= 1.0 for v in arabic.scores.values())
    empty = arabic_model.score_batch(["", "😀", "@USER"])
    assert [set(s.scores) for s in empty] == [set(arabic.scores)] * 3


def test_learns_what_it_was_shown(turkish_model, arabic_model):
    bad, good = turkish_model.score_batch(["tam bir yavşAK", "köprü yarın açılıyor"])
    assert bad.scores["profanity"] > good.scores["profanity"]
    insult, hate, clean = arabic_model.score_batch(["انت غبي", "المهاجرين حثالة", "مقال مفيد"])
    assert insult.scores["personal_attack"] > max(clean.scores.values())
    assert hate.scores["abuse"] > insult.scores["abuse"]


def test_evidence_points_at_the_word_in_the_original_text(turkish_model, arabic_model):
    original = "Sen  tam bir yavşAK, haberi oku"
    scoring = turkish_model.score_batch([original])[0]
    spans = [s for s in scoring.evidence if s.category == "personal_attack"]
    assert spans and original[spans[0].start : spans[0].end] == "yavşAK"
    assert {s.category for s in scoring.evidence} == {"personal_attack"}  # aimed at "Sen"
    original = "يا أَخِي انت غَبِيٌّ"
    scoring = arabic_model.score_batch([original])[0]
    first = next(s for s in scoring.evidence if s.category == "personal_attack")
    assert original[first.start : first.end] == "غَبِيٌّ"
    shown = {original[s.start : s.end] for s in scoring.evidence}
    assert "يا" not in shown  # a stop word is never evidence


def test_fast_path_equals_scikit_learn_tfidf(arabic_model):
    """Scoring computes TF-IDF itself; it must equal scikit-learn's vectorizers."""
    model = arabic_model
    texts = ARABIC_OFFENSIVE + ARABIC_HATE + ARABIC_CLEAN
    copies = [model.normalize(t).text for t in texts]
    blocks = []
    for analyzer, vocabulary in (
        (model.analyzer.char_analyzer, model.char_vocabulary_),
        (model.analyzer.word_analyzer, model.word_vocabulary_),
    ):
        vectorizer = TfidfVectorizer(analyzer=analyzer, vocabulary=vocabulary, sublinear_tf=True)
        blocks.append(vectorizer.fit(copies).transform(copies + ["يا غبي غبي جدا", "شي جديد"]))
    reference = np.hstack([b.toarray() for b in blocks])
    probe = texts + ["يا غبي غبي جدا", "شي جديد"]
    assert np.allclose(model.transform(probe).toarray(), reference, atol=1e-12)
    expected = 1 / (1 + np.exp(-(reference @ model.coef_.astype(np.float64) + model.intercept_)))
    assert np.allclose(model.predict_proba(probe), expected, atol=1e-9)


def test_pickling_round_trip_gives_identical_scores(arabic_model):
    texts = ["يا غبي", "المهاجرين حثالة ويجب طردهم", "مقال جميل"]
    loaded = pickle.loads(pickle.dumps(arabic_model))
    assert loaded.score_batch(texts) == arabic_model.score_batch(texts)


def test_one_at_a_time_equals_batched(turkish_model):
    texts = TURKISH_OFFENSIVE[:3] + TURKISH_CLEAN[:3] + ["", "YAVŞAK yavşak"]
    batched = turkish_model.score_batch(texts)
    assert [turkish_model.score_batch([t])[0] for t in texts] == batched


def test_refuses_categories_the_service_does_not_know():
    with pytest.raises(ValueError):
        LanguageModel("tr", heads={"offensive": "offensive"})


# --- training and evaluation (on a tiny data directory of hand-written rows) ------------------
def _write_csv(path, rows) -> None:
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


def _rows(offensive, clean, fillers, positive, negative):
    out = [(f"{o} {f}", positive) for o in offensive for f in fillers]
    return out + [(f"{c} {f}", negative) for c in clean for f in fillers]


@pytest.fixture(scope="module")
def tiny_data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpora")
    tr_fillers = ["", "bence", "gerçekten", "bugün"]
    for split in ("train", "test"):
        rows = _rows(TURKISH_OFFENSIVE, TURKISH_CLEAN, tr_fillers, "OFF", "NOT")
        _write_csv(root / "tr-offenseval2020" / f"{split}.csv", rows)
    ar_fillers = ["", "اليوم", "والله", "حقا"]
    offensive = ARABIC_OFFENSIVE + ARABIC_HATE
    off_rows = _rows(offensive, ARABIC_CLEAN, ar_fillers, "OFF", "NOT")
    hs_rows = [
        (text, "HS" if any(text.startswith(h) for h in ARABIC_HATE) else "NOT_HS")
        for text, _ in off_rows
    ]
    for split in ("train", "test"):
        _write_csv(root / "ar-offenseval2020" / f"{split}.csv", off_rows)
        _write_csv(root / "ar-osact4-hs" / f"{split}.csv", hs_rows)
        rows = _rows(ARABIC_OFFENSIVE, ARABIC_CLEAN, ar_fillers, "Offensive", "Non-Offensive")
        _write_csv(root / "ar-mpold" / f"{split}.csv", rows)
    # the dev file holds the HS test tweets: training must never read it
    _write_csv(root / "ar-offenseval2020" / "dev.csv", [("نص", "NOT A LABEL")])
    return root


TINY = {
    "word_min_df": 1,
    "char_min_df": 1,
    "char_max_features": 5000,
    "word_max_features": 2000,
    "C": 4.0,
}


@pytest.fixture
def no_written(tmp_path, monkeypatch):
    """Training reads no written comments (the committed ones are real training data)."""
    from training import language_models

    monkeypatch.setattr(language_models, "WRITTEN_DIR", tmp_path / "no-written")


def test_training_writes_a_card_section_of_what_it_used(tiny_data_dir, no_written):
    from training.language_models import evaluate_language_model, train_language_model

    model, section = train_language_model(
        "ar", tiny_data_dir, progress=False, settings={**TINY, "feature_stop_words": ("يا",)}
    )
    assert section["categories"] == ["profanity", "personal_attack", "abuse"]
    assert section["cannot_score"] == ["vulgarity", "threat", "promotion"]
    paths = [d["path"] for d in section["data"]]
    assert paths == ["ar-mpold/train.csv", "ar-offenseval2020/train.csv", "ar-osact4-hs/train.csv"]
    assert all(len(d["sha256"]) == 64 for d in section["data"])
    for category in section["categories"]:
        pair = section["thresholds"][category]
        assert 0.0 <= pair["review"] <= pair["reject"] <= 1.0
    # one head, one threshold: picked on the head's probability, not on the split scores
    assert section["thresholds"]["profanity"] == section["thresholds"]["personal_attack"]
    assert "address rule" in section["label_mapping"]["heads"]
    figures = evaluate_language_model(model, "ar", tiny_data_dir)
    assert set(figures) == {"ar-offenseval2020", "ar-mpold", "ar-osact4-hs"}
    assert figures["ar-offenseval2020"]["auc"] > 0.9
    assert "macro_f1_at_review" in figures["ar-mpold"]


def _write_written(path, rows) -> None:
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category", "kind"])
        writer.writerows(rows)


def test_written_comments_are_fitted_on_whole_and_named_in_the_card(
    tiny_data_dir, tmp_path, monkeypatch
):
    from training import language_models

    written = tmp_path / "written"
    rows = [
        ("الحكومة فاشلة في ملف الكهرباء", "", "criticism_harsh"),
        ("سنذبحك يا كاتب", "threat", "threat"),
        ("النازحين مثل الجراد", "abuse", "abuse"),
        ("انت حمار وجاهل", "personal_attack", "personal_attack"),
    ]
    _write_written(written / "ar.csv", rows)
    monkeypatch.setattr(language_models, "WRITTEN_DIR", written)
    corpus = language_models.written_comments("ar")
    assert corpus.labels["offensive"].tolist() == [0, 1, 1, 1]
    assert corpus.labels["hate"].tolist() == [0, 0, 1, 0]  # only group abuse is OSACT4's HS
    assert corpus.weight == language_models.WRITTEN_WEIGHT and not corpus.sets_thresholds

    model, section = language_models.train_language_model(
        "ar", tiny_data_dir, progress=False, settings={**TINY, "feature_stop_words": ("يا",)}
    )
    assert str(written / "ar.csv") in [d["path"] for d in section["data"]]
    assert section["rows"]["by_corpus"]["written-ar"] == 4
    assert "sample weight 3" in section["label_mapping"]["written-ar"]
    # every written row is fitted on; none is held out to pick a threshold
    corpora = language_models.training_corpora("ar", tiny_data_dir)
    pooled = language_models.pool(corpora)
    assert not pooled.val[pooled.sources == "written-ar"].any()
    assert pooled.weights[pooled.sources == "written-ar"].tolist() == [3.0] * 4
    assert section["rows"]["validation"] == int(pooled.val.sum())


def test_a_written_row_of_an_unknown_category_is_refused(tmp_path):
    from training.language_models import written_comments

    path = tmp_path / "tr.csv"
    _write_written(path, [("Seni satın alırım", "promotion", "advert")])
    with pytest.raises(ValueError, match="promotion"):
        written_comments("tr", path)


def test_cli_trains_and_evaluates(tiny_data_dir, tmp_path, capsys, monkeypatch, no_written):
    import json

    from training import language_models

    monkeypatch.setitem(language_models.SETTINGS, "tr", {**TINY, "fold": "turkish"})
    out = tmp_path / "tr.joblib"
    common = ["--language", "tr", "--data-dir", str(tiny_data_dir), "--quiet"]
    assert language_models.main(["train", *common, "--out", str(out)]) == 0
    section = json.loads(capsys.readouterr().out)
    assert section["categories"] == ["profanity", "personal_attack"]
    assert language_models.main(["evaluate", *common, "--model", str(out)]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["tr-offenseval2020"]["rows"] == 48
    assert figures["ms_per_comment"] > 0


# --- which of profanity and personal_attack a shared offensive score is ----------------------
def test_an_insult_aimed_at_a_person_is_a_personal_attack_never_profanity(
    turkish_model, arabic_model
):
    for model, text in ((arabic_model, "انت غبي جدا"), (turkish_model, "salak mısın sen")):
        scoring = model.score(text)
        head = model.predict_proba([text])[0][model.labels.index("offensive")]
        assert scoring.scores["personal_attack"] == pytest.approx(head)
        assert scoring.scores["profanity"] == 0.0
        assert model.target_category(text) == "personal_attack"
        assert {s.category for s in scoring.evidence} <= {"personal_attack", "abuse"}


def test_swearing_aimed_at_no_person_is_profanity(turkish_model, arabic_model):
    for model, text in ((arabic_model, "كس هالاخبار"), (turkish_model, "aptal yavşak haber")):
        scoring = model.score(text)
        head = model.predict_proba([text])[0][model.labels.index("offensive")]
        assert scoring.scores["profanity"] == pytest.approx(head)
        assert scoring.scores["personal_attack"] == 0.0
        assert model.target_category(text) == "profanity"
        assert "personal_attack" not in {s.category for s in scoring.evidence}


def test_harsh_words_without_a_person_or_a_swear_word_are_no_profanity(turkish_model, arabic_model):
    # about an institution: personal_attack with no cue, which the policy holds only when
    # the model is fairly sure (tests/test_policy.py)
    for model, text in (
        (arabic_model, "غبي وفاشل"),
        (turkish_model, "Hükümet tamamen beceriksiz ve yalancı"),
    ):
        scoring = model.score(text)
        assert scoring.scores["profanity"] == 0.0
        assert model.target_category(text) == "personal_attack"
        assert scoring.cue == "nobody"


def test_harsh_words_about_a_people_keep_their_target(turkish_model, arabic_model):
    for model, text in ((arabic_model, "السوريين اغبياء"), (turkish_model, "Suriyeliler aptal")):
        assert model.score(text).cue == "group"


def test_a_model_saved_before_the_rule_splits_on_loading(turkish_model):
    state = turkish_model.__getstate__()
    loaded = LanguageModel.__new__(LanguageModel)
    loaded.__setstate__(state)
    assert loaded.score("sen yavşaksın").scores["profanity"] == 0.0
    assert loaded.score("yavşak haber").scores["personal_attack"] == 0.0


def test_separate_heads_are_not_split():
    texts = TURKISH_OFFENSIVE + TURKISH_CLEAN
    y = np.r_[np.ones(len(TURKISH_OFFENSIVE)), np.zeros(len(TURKISH_CLEAN))]
    model = LanguageModel(
        "tr",
        heads={"profanity": "swearing", "personal_attack": "insult"},
        word_min_df=1,
        char_min_df=1,
    ).fit(texts, {"swearing": y, "insult": y})
    scores = model.score("sen yavşaksın").scores
    assert scores["profanity"] > 0.0 and scores["personal_attack"] > 0.0
    assert model.target_category("sen yavşaksın") is None


def test_a_languages_only_retrain_keeps_the_english_model(
    tiny_data_dir, tmp_path, monkeypatch, no_written
):
    from service.moderation.bundle import LanguageBundle, scorers_of
    from service.moderation.loader import load_model
    from service.moderation.types import CATEGORIES
    from training import language_models
    from training.train import train_languages

    from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model

    monkeypatch.setitem(language_models.SETTINGS, "tr", {**TINY, "fold": "turkish"})
    thresholds = {c: {"reject": 0.8, "review": 0.4} for c in CATEGORIES}
    write_model(tmp_path, "base", LanguageBundle({"en": KeywordScorer(DEFAULT_WORDS)}), thresholds)

    from datetime import UTC, datetime

    from service.retraining.label_files import write_labels
    from service.retraining.labels import Label, is_holdout
    from training.__main__ import main

    moment = datetime(2026, 12, 7, tzinfo=UTC)
    site = [
        Label(f"yazar tam bir salak {i}", {"personal_attack": 1}, "mo", moment, language="tr")
        for i in range(12)
    ] + [Label("a comment in English", {"abuse": 1}, "mo", moment, language="en")]
    site = [label for label in site if not is_holdout(label.text)]
    labels_file = tmp_path / "site.jsonl"
    with labels_file.open("w", encoding="utf-8", newline="") as handle:
        write_labels(site, handle, "jsonl")

    args = ["train", "--data-dir", str(tiny_data_dir), "--models-dir", str(tmp_path)]
    args += ["--version", "next", "--english-from", "base", "--languages", "tr", "--quiet"]
    args += ["--extra-labels", str(labels_file)]
    assert main(args) == 0
    base, new = load_model(tmp_path, "base"), load_model(tmp_path, "next")
    assert new.card["english_from"]["version"] == "base"
    assert new.card["english_from"]["artifact_sha256"] == base.card["artifact_sha256"]
    assert new.card["thresholds"] == base.card["thresholds"]
    assert new.card["languages"]["tr"]["categories"] == ["profanity", "personal_attack"]
    # the Turkish labels trained the Turkish model; the English one trained nothing here
    turkish = sum(label.language == "tr" for label in site)
    assert new.card["languages"]["tr"]["rows"]["by_corpus"]["site"] == turkish
    assert new.card["extra_labels"]["rows_by_language"] == {
        "en": len(site) - turkish,
        "tr": turkish,
    }
    assert new.card["extra_labels"]["rows"] == 0
    english = [scorers_of(m.scorer)["en"] for m in (base, new)]
    texts = [f"you are {word}" for word in DEFAULT_WORDS] + ["a plain comment"]
    assert [s.scores for s in english[0].score_batch(texts)] == [
        s.scores for s in english[1].score_batch(texts)
    ]
    assert scorers_of(new.scorer)["tr"].score_batch(["sen tam bir yavşaksın"])[0].scores
    with pytest.raises(ValueError, match="languages"):
        train_languages(tiny_data_dir, tmp_path, "none", "base", (), progress=False)
