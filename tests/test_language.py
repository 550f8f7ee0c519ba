"""Language identification: the site's six languages, the Kurdish scripts, the fallbacks."""

from __future__ import annotations

import ast
import csv
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from service.moderation import language
from service.moderation.language import (
    SITE_LANGUAGES,
    UNDETERMINED,
    Detection,
    detect_language,
    routing_language,
)

SUITE = Path(__file__).resolve().parent.parent / "training" / "suites" / "languages.csv"


def _suite() -> dict[str, list[str]]:
    by_language = defaultdict(list)
    with SUITE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_language[row["language"]].append(row["text"])
    return by_language


SENTENCES = _suite()


def test_the_suite_rows_are_well_formed():
    with SUITE.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == ["text", "language", "expected", "category"]
    categories = {"", "profanity", "vulgarity", "threat", "personal_attack", "abuse", "promotion"}
    assert {r["expected"] for r in rows} == {"approve", "not_approve"}
    assert {r["category"] for r in rows} <= categories
    assert all((r["category"] == "") == (r["expected"] == "approve") for r in rows)
    assert len({r["text"] for r in rows}) == len(rows)


def test_the_suite_has_at_least_35_sentences_in_each_language():
    assert {lang: len(texts) >= 35 for lang, texts in SENTENCES.items()} == dict.fromkeys(
        SITE_LANGUAGES, True
    )


@pytest.mark.parametrize("lang", SITE_LANGUAGES)
def test_each_language_of_the_suite_is_detected(lang):
    codes = [detect_language(text).code for text in SENTENCES[lang]]
    accuracy = codes.count(lang) / len(codes)
    wrong = [c for c in codes if c not in (lang, UNDETERMINED)]
    assert accuracy >= 0.9, codes
    assert len(wrong) <= 0.05 * len(codes), wrong  # a miss is rather und than another language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Parliament has wasted two years arguing over salaries.", "en"),
        ("هەڵبژاردنەکانی هەرێمی کوردستان کەی ئەنجام دەدرێن؟", "ckb"),
        ("ئەگەر بتبینم دەتکوژم.", "ckb"),
        ("Rewşa penaberan li kampên Dihokê gelek xirab e.", "kmr"),
        ("Ger ez te bibînim, ez ê te bikujim.", "kmr"),
        ("الانتخابات كانت مزورة من البداية إلى النهاية.", "ar"),
        ("Bu gazeteciyi sokakta görürsem kafasını kırarım.", "tr"),
        ("کمبود آب در خوزستان جدی‌تر از آن است که فکر می‌کنیم.", "fa"),
    ],
)
def test_clear_sentences_are_detected_confidently(text, code):
    detection = detect_language(text)
    assert (detection.code, detection.confident) == (code, True)
    assert detection.candidate == code
    assert detection.confidence >= language.CONFIDENCE


def test_sorani_persian_and_arabic_are_told_apart():
    # "This government is corrupt" in each: Sorani has its own letters (ە ڵ), Persian
    # its function words (است), Arabic its taa marbuta (ة).
    assert detect_language("ئەم حکومەتە گەندەڵە و دەبێت بڕوات.").code == "ckb"
    assert detect_language("این دولت فاسد است و باید برود.").code == "fa"
    assert detect_language("هذه الحكومة فاسدة ويجب أن ترحل.").code == "ar"


@pytest.mark.parametrize(
    "text",
    [
        # Sorani typed on a Persian keyboard: ه for ە, ی for ێ, و for ۆ, ر for ڕ
        "ئهم یاسایه هیچ سوودیکی بو خهلکی نییه",  # a word-initial hamza seat (ئهم)
        "ئیوه ههمووتان درو دهکهن",  # ئیوه, ههمووتان, دهکهن
        "پارلهمان ههموو سالیک بودجه دوا دهخات و کهس قسه ناکات",  # ههموو, ناکات
        "بژی کوردستان",  # "long live Kurdistan": Persian says زنده باد کردستان
    ],
)
def test_sorani_without_its_own_letters_is_not_called_persian(text):
    assert detect_language(text).code == "ckb"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # one word that starts with ئ is a Kurdish name, not Sorani
        ("ئاکو جان، اگر پیدایت کنم می‌کشمت.", "fa"),
        ("سلام ئازاد، می‌دانم خانه‌ات کجاست، منتظر باش.", "fa"),
        ("احسنت يا ئاكو", "ar"),
        ("مردم کورد در ایران", "fa"),  # one Kurdish spelling in Persian
        ("كل كورد كوردستان اخوتنا في العراق", "ar"),  # Iraqi Arabic spells them so, with ك
    ],
)
def test_a_kurdish_name_does_not_make_persian_or_arabic_sorani(text, code):
    assert detect_language(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("این قانون هیچ فایده‌ای برای مردم ندارد", "fa"),
        ("سئل الوزير عن الميزانية فلم يجب", "ar"),  # ئ inside a word is Arabic's
        ("المسائل العالقة بين بغداد وأربيل كثيرة", "ar"),
        ("ههههه این خبر واقعا خنده‌دار است", "fa"),  # a laugh is no Sorani word
    ],
)
def test_persian_and_arabic_stay_themselves_beside_the_sorani_evidence(text, code):
    assert detect_language(text).code == code


def test_persian_typed_with_arabic_yeh_and_kaf_is_not_called_arabic():
    detection = detect_language("مسئولان فقط دروغ مي گويند و هيچ كاري نمي كنند.")
    assert detection.code == "fa"


def test_iraqi_arabic_with_che_and_gaf_stays_arabic():
    assert detect_language("شگد حلو هذا الحچي، الله يخليك.").code == "ar"


def test_kurmanji_and_turkish_are_told_apart():
    assert detect_language("Ez ê sibê herim Amedê.").code == "kmr"
    assert detect_language("Yarın Diyarbakır'a gideceğim.").code == "tr"


def test_kurmanji_typed_without_its_accents_is_still_kurmanji():
    assert detect_language("ez dizanim mala te li ku ye, li benda min be").code == "kmr"


@pytest.mark.parametrize("text", ["😀😀😀", "👍🔥 🔥", "!!!", "123 456", "", "   "])
def test_no_letters_is_und(text):
    assert detect_language(text) == Detection(UNDETERMINED, False, 0.0, UNDETERMINED)


@pytest.mark.parametrize("text", ["Great article!", "ok", "Gelek spas", "Pir baş", "شكرا", "بژی"])
def test_very_short_text_is_und(text):
    detection = detect_language(text)
    assert (detection.code, detection.confident) == (UNDETERMINED, False)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Çok güzel", "tr"),  # "very nice": the English model read "cok" as a swear word
        ("Aptal mısın?", "tr"),
        ("Seni öldüreceğim", "tr"),
        ("Tu kerê", "kmr"),  # held as Kurmanji, not approved by the English model
        ("Kerê bêaqil!", "kmr"),
        ("Yazık oldu", "tr"),  # "what a pity": ı in the opening word, capitalised as it opens
        ("Çok iyi", "tr"),  # "very good": no letter of Turkish's own, one of its commonest words
        ("Harika haber", "tr"),
    ],
)
def test_a_short_text_with_letters_only_one_language_has_is_placed(text, code):
    assert detect_language(text).code == code


@pytest.mark.parametrize(
    "text",
    ["Erdoğan is an idiot", "Öcalan free", "Shame on Erdoğan and his ministers", "Erdoğan idiot"],
)
def test_a_name_in_turkish_letters_does_not_make_english_turkish(text):
    assert detect_language(text).code != "tr"


@pytest.mark.parametrize(
    "text, code",
    [
        ("Long live Kurdistan!", "en"),  # was Kurmanji, and held unread
        ("Hands off Rojava!", "en"),
        ("The PKK attacked Duhok again", "en"),
        ("Bijî Kurdistan, Bijî Rojava", "kmr"),
        ("Kurdistan azad dibe", "kmr"),
        ("PKK terör örgütüdür, Kürdistan diye bir yer yok", "tr"),
    ],
)
def test_the_regions_names_do_not_choose_the_language(text, code):
    assert detect_language(text).code == code


@pytest.mark.parametrize("text", ["7abibi ya 3arab", "wallah ma3ak 7a2 ya akhi", "shu su2al hatha"])
def test_arabizi_is_und_with_arabic_as_the_candidate(text):
    detection = detect_language(text)
    assert (detection.code, detection.confident, detection.candidate) == ("und", False, "ar")


@pytest.mark.parametrize(
    "text",
    [
        "gr8 game 2day, see you at 9am",
        "I was there on the 3rd of May at 5pm with 5g internet",
        "The F-35 deal and the S-400 purchase are different stories",
    ],
)
def test_digits_in_english_are_not_arabizi(text):
    assert detect_language(text).code == "en"


def test_turkish_numbers_with_suffixes_are_not_arabizi():
    assert detect_language("Fiyatlar 5er 5er arttı, maaşlar aynı.").code == "tr"


def test_text_in_capitals_is_detected():
    assert detect_language("#Erbil THE GOVERNMENT HAS NOT PAID TEACHERS FOR MONTHS").code == "en"
    assert detect_language("BU HÜKÜMET EKONOMİYİ TAMAMEN BATIRDI").code == "tr"


def test_latin_text_with_much_arabic_script_is_mixed_and_und():
    detection = detect_language("Great article, بژی کوردستان")
    assert (detection.code, detection.confident) == (UNDETERMINED, False)


def test_latin_names_and_links_inside_arabic_script_do_not_change_the_language():
    assert detect_language("Mohammed Salah لاعب رائع جداً في هذا الموسم").code == "ar"
    assert detect_language("@someone https://example.com/x هذه الحكومة فاسدة وفاشلة").code == "ar"
    assert detect_language("سوپاس بۆ BBC و Rudaw لەسەر ئەم ڕاپۆرتە").code == "ckb"


def test_arabic_presentation_forms_read_as_plain_letters():
    # "هذه الحكومة فاسدة" as a PDF copy gives it: one code point per letter shape.
    assert detect_language("ﻫﺬﻩ ﺍﻟﺤﻜﻮﻣﺔ ﻓﺎﺳﺪﺓ ﻭﻳﺠﺐ ﺃﻥ ﺗﺮﺣﻞ").code == "ar"


def test_another_script_is_und():
    assert detect_language("Привет, как у вас дела сегодня?").code == UNDETERMINED


def test_detection_answers_only_the_six_languages_or_und():
    codes = {detect_language(t).code for texts in SENTENCES.values() for t in texts}
    codes |= {detect_language(t).candidate for t in ["Bonjour à tous les lecteurs", "😀"]}
    assert codes <= {*SITE_LANGUAGES, UNDETERMINED}


def _count_builds(monkeypatch) -> list[int]:
    """Forget the built detector and count how often it is built again.

    A build hands back the detector already loaded, so the test reads the model once.
    """
    builds = []
    loaded = language._get_identifier()

    def counting_build(*args, **kwargs):
        builds.append(1)
        time.sleep(0.05)  # a slow load widens the window for a second build
        return loaded

    monkeypatch.setattr(language, "_identifier", None)
    monkeypatch.setattr(language.LanguageIdentifier, "from_model_file", counting_build)
    return builds


def test_the_detector_is_built_once_when_threads_race_to_first_use(monkeypatch):
    texts = [t for texts in SENTENCES.values() for t in texts]
    expected = [detect_language(t) for t in texts]
    builds = _count_builds(monkeypatch)
    start = threading.Barrier(8, timeout=30)

    def first_use(text):
        start.wait()  # eight threads reach the unbuilt detector together
        return detect_language(text)

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(first_use, texts[:8])) + list(pool.map(detect_language, texts[8:]))
    assert got == expected
    assert len(builds) == 1


def test_warm_up_builds_the_detector_once_before_any_comment(monkeypatch):
    builds = _count_builds(monkeypatch)
    language.warm_up()
    language.warm_up()
    assert detect_language("Bu haber için teşekkürler, çok bilgilendirici.").code == "tr"
    assert len(builds) == 1


def test_the_module_imports_only_the_standard_library_and_py3langid():
    tree = ast.parse(Path(language.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    roots = {name.split(".")[0] for name in imported}
    assert roots - set(sys.stdlib_module_names) - {"__future__"} == {"py3langid"}


SORANI = "ئەم حکومەتە گەندەڵە و دەبێت دەست لەکار بکێشێتەوە."


@pytest.mark.parametrize(
    ("text", "site_tag", "expected"),
    [
        (SORANI, "en", "ckb"),  # a confident detection wins over the site's tag
        (SORANI, None, "ckb"),
        ("Great article!", "en", "en"),  # otherwise the tag, when it is one of the six
        ("Great article!", "KMR", "kmr"),
        ("Great article!", " tr ", "tr"),
        ("Great article!", "de", "und"),  # a tag outside the six is ignored
        ("Great article!", "", "und"),
        ("Great article!", None, "und"),
        ("😀😀", "fa", "fa"),  # no letters: no script to contradict the tag
        # a tag of the other script is ignored: the Arabic model reads no Latin letters,
        # the English one no Arabic script
        ("7abibi ya 3arab", "ar", "und"),
        ("ehmeq", "ckb", "und"),
        ("ehmeq", "ku-Arab", "und"),
        ("احمق", "en", "ar"),  # Arabic script: the detector's best guess, never English
        ("خفه شو", None, "fa"),
        ("خفه شو", "ar-IQ", "ar"),  # a tag of the same script is the website's word
    ],
)
def test_routing_language(text, site_tag, expected):
    assert routing_language(detect_language(text), site_tag) == expected


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("EN-gb", "en"),
        ("ar-IQ", "ar"),
        ("ku-Arab-IQ", "ckb"),
        ("ku-Latn", "kmr"),
        ("ku", "und"),
        ("fr", "und"),
        (None, "und"),
    ],
)
def test_site_tags_route_by_their_primary_subtag(tag, code):
    from service.moderation.language import site_language

    assert site_language(tag) == code
