"""Term lists: matching in every script, precedence in judge(), the CLI, the admin page,
the append-only change log, and changes reaching a running worker."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from queue_helpers import Site, add_user, csrf_from, logged_in, login
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from service.extensions import db
from service.moderation.policy import (
    APPROVED,
    PENDING,
    REJECTED,
    Reason,
    Verdict,
    with_term_hits,
)
from service.moderation.terms import AllowEntry, BlockEntry, compile_terms, fold, fold_term
from service.moderation.types import CATEGORIES, Scoring, Span
from service.serving.runtime import current, judge
from service.tables import TermChange
from service.terms import store
from service.terms.files import defaults_text, read_rows

from conftest import make_app
from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model

SORANI = "ئەم حکومەتە هیچ کارێکی باشی بۆ خەڵکی هەولێر نەکردووە."
PERSIAN = "این دولت هیچ کاری برای مردم نکرده است."
SCUNTHORPE = "I live in Scunthorpe and the budget does nothing for us."


def hits(lists, text, language="en"):
    return [(text[h.start : h.end], h.category, h.action) for h in lists.find(text, language)]


# -- matching ------------------------------------------------------------------------


def test_turkish_case_disguise_and_spacing_match_with_offsets():
    lists = compile_terms([BlockEntry("yavşak", "personal_attack", "reject", "tr")], [])
    for written in ("yavşAK", "YAVŞAK", "y.a.v.ş.a.k", "yavsak", "Y A V Ş A K", "yavşaaaak"):
        sentence = f"Sen tam bir {written}, değil mi?"
        assert hits(lists, sentence, "tr") == [(written, "personal_attack", "reject")]
    assert hits(lists, "yavşaklar", "tr") == []  # a longer word is another entry
    assert hits(lists, "You yavşak", "en") == []  # a Turkish entry is not applied to English


def test_dotted_and_dotless_i_fold_together():
    lists = compile_terms([BlockEntry("gerizekalı", "personal_attack", "hold", "tr")], [])
    for written in ("GERİZEKALI", "gerizekali", "GERIZEKALI", "Gerizekalı"):
        assert hits(lists, f"Bu yazar {written} mi?", "tr")[0][0] == written


def test_arabic_boundaries_diacritics_tatweel_and_letter_variants():
    lists = compile_terms(
        [
            BlockEntry("كلب", "personal_attack", "hold", "ar"),
            BlockEntry("أحمق", "personal_attack", "hold", "ar"),
        ],
        [],
    )
    assert hits(lists, "أنت كلب حقا", "ar") == [("كلب", "personal_attack", "hold")]
    # inside a longer Arabic word (with the article, a suffix or a conjunction): no hit
    for longer in ("رأيت الكلب في الشارع", "كلبي لطيف", "هذه كلبة", "وكلب"):
        assert hits(lists, longer, "ar") == [], longer
    # diacritics, tatweel, a zero-width mark and alef variants are read through
    for written in ("كَلْب", "كـــلـب", "ك\u200bلب", "احمق", "إحمق", "أحـمـق"):
        sentence = f"يا {written}!"
        found = hits(lists, sentence, "ar")
        assert [h[0] for h in found] == [written], written


def test_persian_and_sorani_forms_match_across_keyboards():
    lists = compile_terms(
        [
            BlockEntry("می‌کشمت", "threat", "reject", "fa"),
            BlockEntry("قەحبە", "vulgarity", "reject", "ckb"),
        ],
        [],
    )
    # ZWNJ or none, Arabic yeh and kaf for the Persian letters
    for written in ("می‌کشمت", "میکشمت", "مي‌كشمت"):
        assert hits(lists, f"من {written} فردا", "fa")[0][:2] == (written, "threat")
    # Sorani ە typed as heh, and with a bidi mark inside
    for written in ("قەحبە", "قهحبه", "قە\u200fحبە"):
        assert hits(lists, f"ئەو {written} یە", "ckb")[0][0] == written
    assert hits(lists, "قەحبەکان", "ckb") == []


def test_kurmanji_accents_and_phrases():
    lists = compile_terms(
        [
            BlockEntry("bêşeref", "personal_attack", "hold", "kmr"),
            BlockEntry("ez ê te bikujim", "threat", "reject", "kmr"),
        ],
        [],
    )
    assert hits(lists, "Tu BÊŞEREF î", "kmr")[0][0] == "BÊŞEREF"
    assert hits(lists, "tu beseref i", "kmr")[0][0] == "beseref"
    assert hits(lists, "Ev bêşerefî ye", "kmr") == []  # the noun is a longer word
    sentence = "Ez ê  te, bikujim!"
    assert hits(lists, sentence, "kmr") == [("Ez ê  te, bikujim", "threat", "reject")]


def test_english_leetspeak_stretching_spacing_and_boundaries():
    lists = compile_terms(
        [
            BlockEntry("idiot", "personal_attack", "hold"),
            BlockEntry("stupid", "personal_attack", "hold"),
            BlockEntry("anal", "vulgarity", "reject"),
            BlockEntry("kill you", "threat", "reject"),
        ],
        [],
    )
    for written in ("1d10t", "IDIOT", "i d i o t", "i.d.i.o.t", "idiiiiot", "ｉｄｉｏｔ"):
        assert hits(lists, f"you {written}!", "en")[0][0] == written, written
    assert hits(lists, "stuuuuupid", "en")[0][0] == "stuuuuupid"
    assert hits(lists, "idiotic and idiots", "en") == []
    assert hits(lists, "an al-Jazeera analyst", "en") == []  # spacing must be throughout
    assert hits(lists, "I will kill - you", "en")[0][0] == "kill - you"


def test_offsets_point_into_the_original_text():
    lists = compile_terms([BlockEntry("idiot", "personal_attack", "reject")], [])
    original = "Straße \u200b\u200b—  İ\u200bd\u200bİ\u200bOT, really"
    (hit,) = lists.find(original, "en")
    assert original[hit.start : hit.end] == "İ\u200bd\u200bİ\u200bOT"
    folded = fold("İstanbul")
    assert folded.text.startswith("istanbul") and folded.original_span(0, 8) == (0, 8)


def test_an_und_comment_meets_every_language_list():
    lists = compile_terms([BlockEntry("siktir", "profanity", "reject", "tr")], [])
    assert hits(lists, "siktir git", "und")
    assert not hits(lists, "siktir git", "kmr")


def test_allowlist_wins_over_a_hit_inside_it_and_is_masked_for_the_model():
    lists = compile_terms(
        [BlockEntry("bloody", "profanity", "hold"), BlockEntry("cunt", "profanity", "reject")],
        [AllowEntry("Bloody Sunday"), AllowEntry("Scunthorpe")],
    )
    sentence = "After Bloody Sunday the bloody talks failed."
    assert hits(lists, sentence) == [("bloody", "profanity", "hold")]
    masked = lists.mask(sentence, "en")
    assert len(masked) == len(sentence) and "Sunday" not in masked and "bloody talks" in masked
    new_sentence = "Scunthorpe's council votes on the budget today."
    assert hits(lists, new_sentence) == []
    assert lists.mask(new_sentence, "en").startswith(" " * 10 + "'s council")


def test_the_default_list_is_large_enough_and_well_formed():
    rows = [row for _, row in read_rows(io.StringIO(defaults_text()))]
    counts = Counter(row["language"] for row in rows if row["list"] == "block")
    for language, at_least in {
        "en": 50,
        "ar": 50,
        "tr": 50,
        "ckb": 20,
        "kmr": 20,
        "fa": 20,
    }.items():
        assert counts[language] >= at_least, language
    keys = [(row["list"], fold_term(row["term"]), row["language"]) for row in rows]
    assert [k for k, n in Counter(keys).items() if n > 1] == []  # no entry twice once folded
    allowed = {row["term"] for row in rows if row["list"] == "allow"}
    assert {"Scunthorpe", "Sussex", "Essex", "Penistone", "assassination", "cocktail"} <= allowed
    assert {"therapist", "Dickens", "Duhok"} <= allowed  # Duhok: the model reads "duh"
    arabic_script = re.compile("[\u0600-\u06ff]")
    for row in rows:
        if row["list"] == "block":
            assert row["category"] in CATEGORIES and row["action"] in ("reject", "hold"), row
            assert bool(arabic_script.search(row["term"])) == (
                row["language"] in ("ar", "ckb", "fa")
            )


def _default_blocklist():
    rows = [row for _, row in read_rows(io.StringIO(defaults_text()))]
    entries = [
        BlockEntry(r["term"], r["category"], r["action"], r["language"] or None)
        for r in rows
        if r["list"] == "block"
    ]
    return compile_terms(entries, [])


def test_the_default_list_knows_the_regions_slurs_in_english():
    lists = _default_blocklist()
    assert hits(lists, "Mountain Turks, that's all you are.") == [
        ("Mountain Turks", "abuse", "hold")
    ]
    assert hits(lists, "You are a jash like your grandfather.") == [
        ("jash", "personal_attack", "hold")
    ]
    assert hits(lists, "Go back to the desert, camel jockey.") == [
        ("camel jockey", "abuse", "hold")  # also the children who rode racing camels
    ]
    assert hits(lists, "The Rafidis run Baghdad now.") == [("Rafidis", "abuse", "hold")]
    assert hits(lists, "The Turkish army entered the mountains near Qandil.") == []


def test_the_default_list_knows_kurmanji_as_typed_without_its_letters():
    lists = _default_blocklist()
    # untagged short Kurmanji is "und", which meets every list
    assert hits(lists, "Barzani kure kehbe ye", "und") == [
        ("kure kehbe", "personal_attack", "reject")
    ]
    assert hits(lists, "Ereb hemu DAESH in, dive ben kustin", "kmr") == [
        ("ben kustin", "threat", "hold")
    ]
    assert hits(lists, "Kobani serkeft, Erdogan qehpe", "kmr") == [("qehpe", "vulgarity", "reject")]
    assert hits(lists, "Gelek kes li Şengalê hatin kuştin.", "kmr") == []  # were killed


# -- precedence (pure) ---------------------------------------------------------------


def test_a_reject_hit_beats_every_verdict_and_a_hold_hit_holds_an_approval():
    lists = compile_terms(
        [
            BlockEntry("vile", "personal_attack", "reject"),
            BlockEntry("silly", "personal_attack", "hold"),
        ],
        [],
    )
    approved = Verdict(APPROVED, None)
    unsupported = Verdict(PENDING, Reason("unsupported_language", "read later"))
    rejected = Verdict(REJECTED, Reason("threat", "no", (Span(0, 4, "threat"),)))
    reject_hits = lists.find("a vile silly thing", "en")
    for verdict in (approved, unsupported, rejected):
        out = with_term_hits(verdict, reject_hits)
        assert out.status == REJECTED and out.reason.code == "personal_attack"
        assert [(s.start, s.end) for s in out.reason.evidence] == [(2, 6), (7, 12)]
    hold_hits = lists.find("a silly thing", "en")
    held = with_term_hits(approved, hold_hits)
    assert held.status == PENDING and held.reason.code == "personal_attack"
    assert with_term_hits(unsupported, hold_hits).reason.code == "unsupported_language"
    kept = with_term_hits(rejected, hold_hits)
    assert kept.reason.code == "threat" and Span(2, 7, "personal_attack") in kept.reason.evidence
    assert with_term_hits(approved, []) is approved


# -- judge() through the API -----------------------------------------------------------


class SubstringScorer(KeywordScorer):
    """Scores a category when its word appears anywhere, as character n-grams may."""

    def _score(self, text: str) -> Scoring:
        scores = dict.fromkeys(CATEGORIES, self.base)
        evidence = []
        for word, category in self.words.items():
            for match in re.finditer(re.escape(word), text.lower()):
                scores[category] = self.hit
                evidence.append(Span(match.start(), match.end(), category))
        return Scoring(scores=scores, evidence=evidence)


@pytest.fixture
def substring_app(configured_app, models_dir):
    write_model(models_dir, "sub-1", SubstringScorer({"cunt": "profanity"} | DEFAULT_WORDS))
    (models_dir / "DEFAULT").write_text("sub-1\n")
    return configured_app(models_dir)


def add(app, term, category="personal_attack", action="reject", language=None, allow=False):
    with app.app_context():
        if allow:
            store.add(store.ALLOW, term, "test", language=language)
        else:
            store.add(store.BLOCK, term, "test", category, action, language)


def test_scunthorpe_is_approved_once_allowlisted(substring_app):
    site = Site(substring_app)
    assert site.submit(SCUNTHORPE)["status"] == "rejected"  # the model sees "cunt" inside
    add(substring_app, "Scunthorpe", allow=True)
    assert site.submit(SCUNTHORPE)["status"] == "approved"
    assert site.submit("Scunthorpe United won again, the whole town is happy.")["status"] == (
        "approved"
    )
    # the allowlist masks only its own words: the model still reads the rest
    assert site.submit("Scunthorpe is full of cunts")["status"] == "rejected"


def test_a_reject_entry_rejects_in_any_language_with_its_span(scored_app):
    site = Site(scored_app)
    add(scored_app, "horrid", "abuse")
    english = site.submit("What a horrid article.")
    assert english["status"] == "rejected" and english["reason"]["code"] == "abuse"
    assert english["reason"]["evidence"] == [{"start": 7, "end": 13, "category": "abuse"}]
    assert "attack people for who they are" in english["reason"]["message"]
    # Sorani has no model and is held unread by default; a reject entry still rejects it
    add(scored_app, "خەڵکی", "personal_attack", language="ckb")
    sorani = site.submit(SORANI, language="ckb")
    assert sorani["status"] == "rejected" and sorani["reason"]["code"] == "personal_attack"
    (span,) = sorani["reason"]["evidence"]
    assert SORANI[span["start"] : span["end"]] == "خەڵکی"


def test_a_hold_entry_holds_what_the_model_approves_but_not_what_it_rejects(scored_app):
    site = Site(scored_app)
    add(scored_app, "rubbish", "personal_attack", "hold")
    held = site.submit("This is rubbish reporting.")
    assert held["status"] == "pending" and held["reason"]["code"] == "personal_attack"
    assert held["reason"]["evidence"] == [{"start": 8, "end": 15, "category": "personal_attack"}]
    rejected = site.submit("rubbish, darn it")  # the keyword model rejects "darn"
    assert rejected["status"] == "rejected" and rejected["reason"]["code"] == "profanity"
    categories = {e["category"] for e in rejected["reason"]["evidence"]}
    assert categories == {"profanity", "personal_attack"}
    # unsupported_language comes before the hold entry's own reason
    add(scored_app, "هیچ", "personal_attack", "hold", language="fa")
    persian = site.submit(PERSIAN, language="fa")
    assert persian["status"] == "pending" and persian["reason"]["code"] == "unsupported_language"
    assert persian["reason"]["evidence"][0]["category"] == "personal_attack"


def test_approve_unless_terms(scored_app):
    runner = scored_app.test_cli_runner()
    result = runner.invoke(args=["policy", "set", "language.ckb=approve_unless_terms"])
    assert result.exit_code == 0, result.output
    site = Site(scored_app)
    assert site.submit(SORANI, language="ckb")["status"] == "approved"
    add(scored_app, "حکومەتە", "personal_attack", "hold", language="ckb")
    held = site.submit(SORANI, language="ckb")
    assert held["status"] == "pending" and held["reason"]["code"] == "personal_attack"
    add(scored_app, "هەولێر", "threat", "reject")  # an every-language entry counts too
    rejected = site.submit(SORANI, language="ckb")
    assert rejected["status"] == "rejected" and rejected["reason"]["code"] == "threat"
    assert len(rejected["reason"]["evidence"]) == 2
    # Persian keeps the default: held unread
    assert site.submit(PERSIAN)["reason"]["code"] == "unsupported_language"
    # pre-moderation still holds what approve_unless_terms would approve
    runner.invoke(args=["policy", "set", "hold_all=true"])
    other = "ئەمڕۆ باران باری و شەقامەکانی سلێمانی پڕ بوون لە ئاو."
    assert site.submit(other, language="ckb")["reason"]["code"] == "premoderation"


def test_a_change_reaches_another_worker_after_a_refresh(database_url, keyword_models_dir):
    """Two apps on one database stand for two gunicorn workers."""
    writer = make_app(database_url, keyword_models_dir)
    worker = make_app(database_url, keyword_models_dir, MODEL_REFRESH_SECONDS=3600.0)
    try:
        with worker.app_context():
            assert judge(["This article is balderdash."]).judgements[0].verdict.status == APPROVED
        add(writer, "balderdash", "personal_attack", "reject")
        with worker.app_context():
            # within MODEL_REFRESH_SECONDS the worker serves the lists it compiled
            assert judge(["This article is balderdash."]).judgements[0].verdict.status == APPROVED
            current().refresh(force=True)  # what the next refresh does, without a restart
            verdict = judge(["This article is balderdash."]).judgements[0].verdict
            assert verdict.status == REJECTED and verdict.reason.code == "personal_attack"
            compiled = current().terms
            current().refresh(force=True)
            assert current().terms is compiled  # the log has not moved: not recompiled
    finally:
        for app in (writer, worker):
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def test_a_failed_read_of_the_lists_keeps_the_last_ones_and_the_model(scored_app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from service.serving import runtime

    add(scored_app, "balderdash", "personal_attack", "reject")
    with scored_app.app_context():
        assert judge(["balderdash"]).judgements[0].verdict.status == REJECTED

        def broken():
            raise OperationalError("SELECT", {}, Exception("no such table: term_changes"))

        monkeypatch.setattr(runtime, "lists_stamp", broken)
        current().refresh(force=True)
        judged = judge(["balderdash", "darn"])
        assert [j.verdict.status for j in judged.judgements] == [REJECTED, REJECTED]
        assert judged.model_version == "kw-1"


def test_the_queue_highlights_term_hits(qapp, site):
    add(qapp, "rubbish", "personal_attack", "hold")
    site.submit("Such rubbish.")
    mo = logged_in(qapp)
    html = mo.get("/queue").get_data(as_text=True)
    assert '<mark class="ev ev-personal_attack" title="personal_attack">rubbish</mark>' in html


# -- the change log ------------------------------------------------------------------


def test_the_change_log_is_append_only(app):
    with app.app_context():
        store.add(store.BLOCK, "idiot", "cli:test", "personal_attack", "hold")
        store.remove(store.BLOCK, "cli:test", term="IDIOT")
        changes = [(c.change, c.term, c.actor) for c in store.history()]
        assert changes == [("removed", "idiot", "cli:test"), ("added", "idiot", "cli:test")]
        for statement in ("UPDATE term_changes SET actor = 'x'", "DELETE FROM term_changes"):
            with pytest.raises(DBAPIError):
                db.session.execute(text(statement))
            db.session.rollback()
        assert len(db.session.scalars(select(TermChange)).all()) == 2


# -- the CLI -------------------------------------------------------------------------


def test_cli_help_everywhere(runner):
    for args in ([], ["add"], ["remove"], ["list"], ["import"], ["export"], ["log"]):
        result = runner.invoke(args=["terms", *args, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, args
        # --language is the language of a list entry, not a filter on comments
        assert "Only comments" not in result.output, args


def test_cli_language_option_describes_entries(runner):
    def language_help(command: str) -> str:
        output = runner.invoke(args=["terms", command, "--help"]).output
        return " ".join(output.split("--language", 2)[-1].split("--allow")[0].split())

    assert "the entry is for" in language_help("add")
    assert "entry to remove" in language_help("remove")
    assert "Only the entries for this language" in language_help("list")


def test_cli_add_list_remove_with_the_actor(runner, app, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "ops")
    result = runner.invoke(
        args=["terms", "add", "Yavşak", "--category", "personal_attack", "--action", "reject",
              "--language", "tr"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["terms", "add", "Scunthorpe", "--allow"]).exit_code == 0
    duplicate = runner.invoke(
        args=[
            "terms",
            "add",
            "YAVSAK",
            "--category",
            "abuse",
            "--action",
            "hold",
            "--language",
            "tr",
        ]
    )
    assert duplicate.exit_code != 0 and "already" in duplicate.output
    missing = runner.invoke(args=["terms", "add", "word"])
    assert missing.exit_code != 0 and "--category and --action" in missing.output
    bad = runner.invoke(args=["terms", "add", "x", "--category", "rude", "--action", "reject"])
    assert bad.exit_code != 0
    listed = runner.invoke(args=["terms", "list", "--language", "tr"]).output
    assert "tr   reject personal_attack Yavşak" in listed
    assert "Scunthorpe" in runner.invoke(args=["terms", "list", "--allow"]).output
    assert runner.invoke(args=["terms", "remove", "yavşak"]).exit_code != 0  # not every-language
    assert runner.invoke(args=["terms", "remove", "yavşak", "--language", "tr"]).exit_code == 0
    log = runner.invoke(args=["terms", "log"]).output.splitlines()
    assert "cli:ops" in log[0] and "removed" in log[0] and "Yavşak" in log[0]
    with app.app_context():
        actors = {c.actor for c in store.history()}
    assert actors == {"cli:ops"}


def test_cli_import_defaults_export_and_reimport(runner, tmp_path):
    result = runner.invoke(args=["terms", "import", "--defaults"])
    assert result.exit_code == 0, result.output
    added = int(re.search(r"Imported (\d+)", result.output).group(1))
    assert added >= 260
    assert "0 already listed" in result.output
    again = runner.invoke(args=["terms", "import", "--defaults"])
    assert "Imported 0 entries" in again.output
    out = tmp_path / "terms.csv"
    assert runner.invoke(args=["terms", "export", "--output", str(out)]).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == added and {"list", "term", "category", "action", "language"} <= set(rows[0])
    assert any(r["term"] == "yavşak" and r["language"] == "tr" for r in rows)


def test_cli_import_is_all_or_nothing(runner, app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "list,term,category,action,language\n"
        "block,dimwit,personal_attack,hold,\n"
        "block,nitwit,rudeness,hold,\n"
        "allow,Sussex,,,xx\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["terms", "import", str(path)])
    assert result.exit_code != 0 and "line 3" in result.output and "line 4" in result.output
    with app.app_context():
        assert store.entries(store.BLOCK) == [] and store.history() == []
    assert runner.invoke(args=["terms", "import"]).exit_code != 0  # neither FILE nor --defaults


# -- the admin page ------------------------------------------------------------------


@pytest.fixture
def root(qapp):
    return logged_in(qapp, "root", "admin")


def test_admin_terms_page_is_for_admins_only(qapp):
    add_user(qapp, "mo")
    mo = qapp.test_client()
    login(mo, "mo")
    assert mo.get("/admin/terms").status_code == 403
    assert qapp.test_client().get("/admin/terms").status_code == 302


def test_admin_adds_removes_imports_and_exports(qapp, root):
    page = root.get("/admin/terms").get_data(as_text=True)
    assert "Term lists</a>" in page
    data = {"list_name": "block", "term": "balderdash", "category": "personal_attack",
            "action": "reject", "language": "", "note": ""}  # fmt: skip
    assert root.post("/admin/terms", data=data).status_code == 400  # no CSRF token
    response = root.post("/admin/terms", data=data | {"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    site = Site(qapp)
    assert site.submit("Balderdash!")["status"] == "rejected"  # this worker reloaded at once
    page = root.get("/admin/terms").get_data(as_text=True)
    assert "balderdash" in page and "admin:root" in page
    bad = root.post(
        "/admin/terms", data=data | {"term": "x", "category": "", "csrf_token": csrf_from(page)}
    )
    assert bad.status_code == 400 and "category" in bad.get_data(as_text=True)
    with qapp.app_context():
        (entry,) = store.entries(store.BLOCK)
        entry_id = entry.id
    removed = root.post(
        f"/admin/terms/block/{entry_id}/remove", data={"csrf_token": csrf_from(page)}
    )
    assert removed.status_code == 302
    assert site.submit("Balderdash!")["status"] == "approved"
    upload = io.BytesIO(b"list,term,language\nallow,Penistone,\n")
    imported = root.post(
        "/admin/terms/import",
        data={"file": (upload, "terms.csv"), "csrf_token": csrf_from(page)},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    export = root.get("/admin/terms/export.csv")
    assert export.mimetype == "text/csv" and "allow,Penistone" in export.get_data(as_text=True)
    with qapp.app_context():
        changes = [(c.change, c.actor) for c in store.history()]
    assert changes == [
        ("imported", "admin:root"),
        ("removed", "admin:root"),
        ("added", "admin:root"),
    ]


def test_admin_import_reports_a_bad_file(qapp, root):
    page = root.get("/admin/terms").get_data(as_text=True)
    response = root.post(
        "/admin/terms/import",
        data={"file": (io.BytesIO(b"word,meaning\nx,y\n"), "t.csv"), "csrf_token": csrf_from(page)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "missing column" in response.get_data(as_text=True)


def test_admin_policy_page_offers_approve_unless_terms(qapp, root):
    html = root.get("/admin/policy").get_data(as_text=True)
    assert '<option value="approve_unless_terms" >approve unless a term-list entry matches' in html
    form = {"csrf_token": csrf_from(html), "language.kmr": "approve_unless_terms"}
    assert root.post("/admin/policy", data=form).status_code == 302
    assert current_policy(qapp).language_modes["kmr"] == "approve_unless_terms"


def current_policy(app):
    with app.app_context():
        return current().policy


def test_the_comment_page_shows_its_article_and_the_articles_comments(qapp, site):
    site.client.put(
        "/api/v1/articles/a-1",
        json={"title": "Budget talks in Baghdad", "lead": "The talks stalled again on Friday."},
        headers=site.auth,
    )
    add(qapp, "rubbish", "personal_attack", "hold")
    first = site.submit("The budget is rubbish for Duhok.", author="u-1")
    second = site.submit("Salaries first, then the budget.", author="u-2")
    mo = logged_in(qapp)
    html = mo.get(f"/queue/comments/{second['id']}").get_data(as_text=True)
    assert "The talks stalled again on Friday." in html
    conversation = html.split('id="conversation"', 1)[1].split("</ul>", 1)[0]
    assert f"#{first['id']}" in conversation and f"#{second['id']}" in conversation
    assert '<mark class="ev ev-personal_attack" title="personal_attack">rubbish</mark>' in (
        conversation
    )
