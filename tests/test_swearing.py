"""Arabic and Turkish swear words (service/moderation/swearing.py)."""

from __future__ import annotations

import pytest

from service.moderation.script_normalize import normalize_arabic, normalize_turkish
from service.moderation.swearing import swears


def _tr(text: str) -> list[str]:
    return normalize_turkish(text).text.split()


def _ar(text: str) -> list[str]:
    return normalize_arabic(text).text.split()


@pytest.mark.parametrize(
    "text",
    [
        "Bu ne biçim haber amk",
        "siktirin gidin",
        "orospunun dölü",
        "YAVŞAK herif",
        "tam bir götveren",
        "boktan bir maç",
        "piç kurusu",
        "taşşak geçiyorlar bizimle",
        "sikik bir maçtı",
    ],
)
def test_turkish_swearing(text):
    assert swears(_tr(text), "tr")


@pytest.mark.parametrize(
    "text",
    [
        "Hükümet tamamen beceriksiz ve yalancı.",
        "Sık sık elektrik kesiliyor.",  # sık "often" folds to sik
        "Trafikte sıkışıp kaldık.",  # sıkış "squeeze" folds to sikis
        "Çantayı eve götür.",  # götür "take", not göt
        "Boks maçı iptal edildi.",  # boks "boxing", not bok
        "Amin, Allah rahmet eylesin.",
        # the dotless ı is kept apart: sıktır "is frequent", sıktığım "that I squeezed"
        "Bu kavşakta kazalar çok sıktır.",
        "Sıktığım limonun suyu",
        "Amina Mohammed Bağdat'ta konuştu.",  # a name
        "Hava bugün pustu.",  # "it was hazy", not puşt
        "Taşa takılıp düştü.",  # taş "stone"
        "Taşkın sular köyü bastı.",  # taşkın "flood"
    ],
)
def test_turkish_without_swearing(text):
    assert not swears(_tr(text), "tr")


@pytest.mark.parametrize("text", ["كس هالاخبار", "يلعن هالعيشة", "كس اخت الحرب"])
def test_arabic_swearing(text):
    assert swears(_ar(text), "ar")


@pytest.mark.parametrize(
    "text",
    [
        "الحكومة فاشلة وكاذبة",
        "كسر الحصار عن المدينة",
        "كسرة خبز",
        "فخرا بالجيش",  # "pride": no clitic is taken off
        "خول القانون الوزير",  # "authorised"
        "عرصة في بغداد",  # "a plot of land"
        "بلا وكس ولا شطط",  # an idiom: "neither loss nor excess"
    ],
)
def test_arabic_without_swearing(text):
    assert not swears(_ar(text), "ar")


def test_other_languages_never_swear_here():
    assert not swears(["fuck"], "en")
