"""Is an Arabic or Turkish comment aimed at a person (service/moderation/address.py)?

Sentences written for these tests, each with the cue that should (or should not) be
found; the words are those of the scoring copy, as the language models see them.
"""

from __future__ import annotations

import re

import pytest

from service.moderation.address import person_target
from service.moderation.script_normalize import normalizer_for


def target(text: str, language: str) -> str | None:
    words = re.findall(r"\w+", normalizer_for(language)(text).text)
    return person_target(words, language, text)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("أنت غبي وكاتب فاشل", "pronoun"),  # the example
        ("إنتَ ما بتفهم شي", "pronoun"),
        ("الله لا يوفقكم، عيب عليكم هالكلام", "pronoun"),
        ("يا تافه روح نام", "vocative"),
        ("أيها الجاهل اقرأ قبل أن تكتب", "vocative"),
        ("@someone حمار ما بيفهم", "mention"),
        ("عقلك صغير جدا", "suffix"),
        ("وأمك كمان", "suffix"),
        ("اخرس أحسن", "imperative"),
        ("المذيعة جاهلة ولا تعرف شيئا", "person"),
        ("الصحفي ده كذاب", "person"),
        ("وعود الوزير لم ينفذ منها شيء", "office"),  # an office: a weak cue
        ("الوزير كذاب وأنت أيضا", "pronoun"),  # a stronger cue wins wherever it is
    ],
)
def test_arabic_cues_of_a_person_as_the_target(text, cue):
    assert target(text, "ar") == cue


@pytest.mark.parametrize(
    "text",
    [
        "هذا المقال زبالة",  # a thing, not a person
        "الحكومة فاشلة ولازم ترحل",
        "يا رب احمِ بلادنا من هؤلاء الفاسدين",  # يا before God
        "يا جماعة هذا الكلام فارغ",  # يا before a crowd
        "يا ريت يسكتون",
        "ملك البلاد زار المدينة وهناك مشاكل كذلك",  # words that merely end in ك
        "اللعنة على هذا الوضع",
    ],
)
def test_arabic_comments_not_aimed_at_a_person(text):
    assert target(text, "ar") is None


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Sen tam bir cahilsin", "pronoun"),
        ("Size ne oluyor böyle", "pronoun"),
        ("ulan bu ne biçim yorum", "vocative"),
        ("@birisi dangalak", "mention"),
        ("Gerizekalısın galiba", "suffix"),
        ("gerizekalisin galiba", "suffix"),  # typed without Turkish letters
        ("Hiçbir şey bilmiyorsunuz", "suffix"),
        ("Aptal mısınız siz", "suffix"),
        ("Ananı da al git", "suffix"),
        ("Kapa çeneni", "suffix"),
        ("sus artık", "imperative"),
        ("Bu yazarın kafası çalışmıyor", "person"),
        ("Gazeteciye bak, tam bir cahil", "person"),
        ("şu adam tam bir dangalak", "person"),
        ("yukarıdaki adam hiçbir şey bilmiyor", "person"),  # another commenter
        ("Mehmet Bey tam bir soytarı", "person"),
        ("Bakanın açıklaması tam bir rezalet", "office"),
        ("Belediye başkanı istifa etmeli", "office"),
        ("Bakan da sen de yalancısınız", "pronoun"),
        ("Hiç anlamamışsın bu işi, Murat.", "suffix"),
        ("Tam bir rezillik bu, Murat.", "name"),
    ],
)
def test_turkish_cues_of_a_person_as_the_target(text, cue):
    assert target(text, "tr") == cue


@pytest.mark.parametrize(
    "text",
    [
        "Siktir git buradan",  # swearing, no address
        "Bu ne lanet bir gün",
        "Hepsi kahrolsun",  # third-person wishes end like the second person
        "Bu yasa hemen yasaklansın",
        "Kimse gelmesin buraya",
        "Basın özgürlüğü yok edildi",  # basın "the press"
        "Dersin konusu neydi",  # dersin "of the lesson"
        "Gazetecilik bitti bu ülkede",  # the profession, not a person
        "Yazarak anlatmış her şeyi",  # "by writing"
        "Bakanlık açıklama yaptı",
        "Suriyeliler pis, hepsi gitsin",  # a group, not a person
    ],
)
def test_turkish_comments_not_aimed_at_a_person(text):
    assert target(text, "tr") is None


def test_other_languages_have_no_rule():
    assert person_target(["you", "idiot"], "en", "you idiot") is None
