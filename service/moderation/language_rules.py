"""Threat and identity-abuse patterns for the Arabic and Turkish models, which have no heads
for them.

The Arabic and Turkish corpora label a tweet offensive (and, in Arabic, hateful) or not:
nothing teaches a model what a threat is, and a statement that dehumanises a people
without a swear word ("الأكراد حشرات", "Suriyeliler hayvan") is rare in them. These
patterns carry what :mod:`.rules` carries for English: a hit sets ``threat`` or ``abuse``
to :data:`~.rules.RULE_FLOOR` (a rejection) with the words as evidence.

They read the language's scoring copy (:mod:`.script_normalize`; Arabic letter variants
unified, ``ة`` read as ``ه``; Turkish lower-cased, then ASCII-folded one character for
one, so ``öldürürüm`` and ``oldururum`` are one word) and return spans of that copy.

- ``threat``: the writer (first person, future or aorist) killing, beheading, burning or
  breaking a person (a second-person object, or a body part of "you");
  "I know where you live"; someone deserving death; calls to kill or execute a person
  ("يجب قتله", "idam edilmeli").
- ``abuse``: an identity group (peoples, faiths, refugees, women, gay people; the
  region's groups first) called animals, insects, a disease, traitors or terrorists as a
  whole, or not human; calls to expel or wipe out a group. Negated statements
  ("ليسوا خونة", "hain değil") are left to the model.

What they cannot see: a threat or slur in words not listed, sarcasm, reported speech
(a quoted threat sets the floor like a meant one: hold it for a person to read).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .rules import RuleHit
from .script_normalize import fold_turkish, normalize_arabic


def _words(words: str, normalize: Callable[[str], str] = str) -> str:
    """An alternation of ``words`` as the scoring copy spells them, longest first."""
    spelled = {normalize(w).strip() for w in words.split()}
    return "|".join(sorted(spelled, key=len, reverse=True))


def _arabic(words: str) -> str:
    return _words(words, lambda w: normalize_arabic(w).text)


# --- Arabic (the copy: ا for أ إ آ, ي for ى, ه for ة, no harakat or tatweel) --------------
# first person of the future or present (س/سا/سن, ح/ه/ب, راح/رح/رايح; an oath's ل) before a verb
_AR_WILL = r"(?<!\S)[وفل]?(?:(?:س|ح|ه|ب)[ان]?|(?:راح|رح|رايح|بدي|لازم)\s+[ان]|[ان])"
_AR_HARM = _arabic("قتل ذبح طخ نحر سحل حرق دفن اعدم فجر شنق صفي كسر دعس قطع")
_AR_BODY = _arabic("راس رقبه عنق ايد يد رجل رجلين لسان وجه عظام سنان")
_AR_YOUR = r"(?:ك|كم|كي)"
_AR_GROUPS = _arabic(
    """
    الاكراد الكرد الكورد اكراد كرد العرب عرب الاتراك الترك اتراك الفرس فرس الايرانيين
    الايرانيون السوريين السوريون سوريين اللاجئين اللاجئون لاجئين النازحين النازحون
    المهاجرين المهاجرون مهاجرين الشيعه شيعه السنه الروافض النواصب اليزيديين اليزيديون
    الايزيديين الازيديين المسيحيين المسيحيون النصاري اليهود يهود الارمن العلويين العلويون
    الدروز الاشوريين التركمان الافغان الفلسطينيين العراقيين النساء المثليين المثليون
    """
)
_AR_DEHUMANISING = _arabic(
    """
    حشرات حشره كلاب كلب خنازير خنزير حيوانات حيوان بهايم بهائم قرود قرده جرذان جرذ فئران
    صراصير صرصور وباء سرطان طاعون جراثيم خونه خونة خائنين خاينين عملاء عميل مجوس ارهابيين
    ارهابيون ارهابي انجاس نجس قذرين وسخين زباله حثاله
    """
)
_AR_NOT = _arabic("ليس ليسوا لسنا مش مو ما مب غير لا ولا")
# up to two words between the group and what it is called, none of them a negation
_AR_GAP = rf"(?:\s+(?!(?:{_AR_NOT})\b)\S+){{0,2}}"
_AR_EXPEL = _arabic("طرد طردهم ترحيل ترحيلهم ابادتهم اباده حرقهم قتلهم التخلص تنظيف")
# imperatives: expel, wipe out, kill (the people named next)
_AR_EXPEL_NOW = _arabic("اطردوا رحلوا ابيدوا اقتلوا احرقوا اذبحوا")

ARABIC_THREATS = re.compile(
    "|".join(
        (
            # سأقتلك، سنذبحكم، راح اطخك، بقتلك
            rf"{_AR_WILL}(?:{_AR_HARM}){_AR_YOUR}\b",
            # سنقطع رأسك، رح اكسر راسك
            rf"{_AR_WILL}(?:{_AR_HARM})\s+(?:{_AR_BODY}){_AR_YOUR}\b",
            # أعرف أين تسكن، نعرف وين ساكن، اعرف بيتك
            r"[ان]عرف\s+(?:(?:اين|وين|فين|وين\s+ما)\s+(?:تسكن|تعيش|ساكن|تقعد|بيتك)|بيتك|عنوانك)",
            # تستاهل الموت، يستحق الإعدام
            r"[تي](?:ستاهل|ستحق)(?:ون|وا)?\s+(?:ال)?(?:موت|قتل|اعدام|ذبح|حرق|رصاص|شنق|سحل)",
            # يجب قتله، لازم ينذبح، لازم يموت
            r"(?:يجب|لازم|لابد|وجب)\s+(?:ان\s+)?(?:قتل|اعدام|ذبح|حرق|سحل|شنق|تصفيه|ينقتل|ينذبح|"
            r"يعدم|يموت|يتصفي)(?:ه|ها|هم)?\b",
            # سأجعلك تندم، ستدفع الثمن بدمك
            r"سا?جعلك\s+تندم|(?:ست|راح\s+ت|رح\s+ت)دفع\s+(?:ال)?ثمن\s+(?:ب)?دمك",
        )
    )
)
ARABIC_ABUSE = re.compile(
    "|".join(
        (
            # الأكراد خونة، الشيعة كلهم مجوس، اللاجئون السوريون حشرات
            rf"(?<!\S)[وف]?(?:{_AR_GROUPS}){_AR_GAP}\s+(?:{_AR_DEHUMANISING})\b",
            # الأكراد ليسوا بشرا / مو بشر
            rf"(?<!\S)[وف]?(?:{_AR_GROUPS})(?:\s+\S+)?\s+(?:ليسوا|مش|مو|ماهم|ما\s+هم)\s+بشر",
            # اطردوا السوريين، اقتلوا كل الروافض
            rf"(?:{_AR_EXPEL_NOW})\s+(?:كل\s+|جميع\s+)?(?:{_AR_GROUPS})\b",
            # اللاجئون ... يجب طردهم
            rf"(?<!\S)[وف]?(?:{_AR_GROUPS})\b[^.!?؟]{{0,40}}(?:يجب|لازم|لابد)\s+(?:ان\s+)?"
            rf"(?:{_AR_EXPEL})",
        )
    )
)

# --- Turkish (the copy ASCII-folded: ı ş ğ ç ö ü -> i s g c o u) ---------------------------
# first person singular and plural of the aorist and future: öldürürüm, gebertiriz,
# kıracağım, keserim, vurucam
_TR_FIRST = (
    r"(?:[iu]r|er|ar|[iu]|e|a)?"
    r"(?:im|um|iz|uz|ecegim|acagim|ecegiz|acagiz|c[ie]m|c[ae]m|c[ie]z|c[ae]z)"
)
_TR_KILL = r"(?:oldur|gebert|katlet|dograr|dogra|bogazla|kursuna\s+diz)"
_TR_HURT = r"(?:kes|kir|vur|yak|bog|dov|parcala|as|bicakla)"
_TR_OBJECT = (
    r"(?:seni|sizi|onu|onlari|kafani|kafanizi|kafasini|boynunu|boynunuzu|bacaklarini|"
    r"kollarini|elini|ellerini|dilini|agzini|disini|dislerini|evini|evinizi|ailesini|aileni)"
)
# plurals only (not "kurtlar", wolves), with their case endings
_TR_GROUPS = (
    r"(?:kurtler|araplar|turkler|suriyeliler|multeciler|gocmenler|afganlar|ermeniler|aleviler|"
    r"yahudiler|hristiyanlar|sunniler|siiler|eziler|ezidiler|yezidiler|rumlar|farslar|"
    r"iranlilar|kadinlar|escinseller|gavurlar)(?:i|in|e|a|den|dan)?"
)
_TR_DEHUMANISING = (
    r"(?:hayvan\w*|it\w{0,3}|kopek\w*|domuz\w*|bocek\w*|mikrop\w*|parazit\w*|pislik\w*|pis|"
    r"hain\w*|terorist\w*|medeniyetsiz\w*|asagilik\w*|soysuz\w*|insan\s+degil\w*|"
    r"veba\w*|kanser\w*|virus\w*|cop\w{0,3})"
)

TURKISH_THREATS = re.compile(
    "|".join(
        (
            # seni öldürürüm, gebertirim, kurşuna dizeceğiz
            rf"\b{_TR_KILL}{_TR_FIRST}\b",
            # kafasını kırarım, seni keserim, evini yakarız
            rf"\b{_TR_OBJECT}\s+(?:\w+\s+){{0,2}}{_TR_HURT}{_TR_FIRST}\b",
            # seni bulacağım, seni bulup ...
            r"\bseni\s+(?:bulaca[gk]\w*|bulucam|bulcam|bulup|bulursam)",
            # nerede oturduğunu biliyorum, evini biliyorum
            r"\b(?:nerede|nerde)\s+(?:oturdugunu|yasadigini|kaldigini)\s+biliyor\w*|"
            r"\bevini\s+biliyor\w*",
            # ölmeyi hak ediyorsun, ölümü hak etti
            r"\b(?:olmeyi|olumu|olumu|kursunu|idami)\s+hak\s+(?:ediyor|etti|ediyorlar|eder)\w*",
            # idam edilmeli, kurşuna dizilmeli, öldürülmeli, asılmalı, vurulmalı
            r"\b(?:idam\s+edilmel\w*|kursuna\s+dizilmel\w*|oldurulmel\w*|asilmal\w*|"
            r"vurulmal\w*|gebertilmel\w*|kellesi\s+alinmal\w*)",
            # kanını dökeceğiz, kanınla ödeyeceksin
            r"\bkan(?:ini|inizi|iyla|inla)\s+(?:dokece\w*|dokeri\w*|odeyecek\w*|odersin)",
        )
    )
)
TURKISH_ABUSE = re.compile(
    "|".join(
        (
            # Suriyeliler pis hayvanlar, Kürtler insan değil, Araplar medeniyetsiz
            rf"\b{_TR_GROUPS}\s+(?:(?:hep|hepsi|tamami|bile|de|da|resmen|tam|bir|birer|"
            rf"kadar|gibi|cok)\s+){{0,3}}{_TR_DEHUMANISING}(?!\s+degil)\b",
            # bütün göçmenleri denize dökmek lazım, Suriyeliler defolsun
            rf"\b{_TR_GROUPS}\s+(?:\w+\s+){{0,2}}(?:denize\s+dok\w*|sinir\s+disi\s+edil\w*|"
            r"defol\w*|kokunu\s+kazi\w*|yok\s+edil\w*|temizlen\w*|gebersin\w*|atilmal\w*|"
            r"kovulmal\w*)",
        )
    )
)

_PATTERNS: dict[str, tuple[tuple[str, re.Pattern], ...]] = {
    "ar": (("threat", ARABIC_THREATS), ("abuse", ARABIC_ABUSE)),
    "tr": (("threat", TURKISH_THREATS), ("abuse", TURKISH_ABUSE)),
}
_READS: dict[str, Callable[[str], str]] = {"tr": fold_turkish}


def find_hits(copy: str, language: str) -> list[RuleHit]:
    """Threat and abuse pattern hits in ``language``'s scoring copy (spans of that copy)."""
    patterns = _PATTERNS.get(language)
    if not patterns:
        return []
    read = _READS.get(language, str)(copy)
    return [
        RuleHit(category, m.start(), m.end(), f"{language}-{category}-pattern")
        for category, pattern in patterns
        for m in pattern.finditer(read)
    ]
