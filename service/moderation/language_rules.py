"""Threat, identity-abuse and harassment patterns for the Arabic and Turkish models, which
have no heads for them.

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

- ``vulgarity``: "send me your wife (sister, daughter, mother)", sexual harassment of a
  reader through the women of their family, without a vulgar word.

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
_AR_PLACE = _arabic("بيت بيوت مقر مقرات مكتب مكاتب محل محلات سيارت سيارات دار منزل منازل")
# the future only (س, سن, رح ن, ح, ه), not the bare present of _AR_WILL
_AR_FUTURE = r"(?<!\S)[وفل]?(?:س[ان]?|(?:راح|رح|رايح)\s+[ان]|[حه][ان])"
_AR_GROUPS = _arabic(
    """
    الاكراد الكرد الكورد اكراد كرد العرب عرب الاتراك الترك اتراك الفرس فرس الايرانيين
    الايرانيون السوريين السوريون سوريين اللاجئين اللاجئون لاجئين النازحين النازحون
    المهاجرين المهاجرون مهاجرين الشيعه شيعه السنه الروافض النواصب اليزيديين اليزيديون
    الايزيديين الازيديين اليزيديه الايزيديه الازيديه المسيحيين المسيحيون النصاري اليهود
    يهود الارمن العلويين العلويون
    الدروز الاشوريين التركمان الافغان الفلسطينيين العراقيين النساء المثليين المثليون
    النسوان الحريم المراه البنات الشواذ
    """
)
_AR_DEHUMANISING = _arabic(
    """
    حشرات حشره كلاب كلب خنازير خنزير حيوانات حيوان بهايم بهائم قرود قرده جرذان جرذ فئران
    صراصير صرصور وباء سرطان طاعون جراثيم خونه خونة خائنين خاينين عملاء عميل مجوس ارهابيين
    ارهابيون ارهابي انجاس نجس قذرين وسخين زباله حثاله جراد دواعش مرض امراض
    """
)
# a group compared with vermin or animals ("مثل الجراد", "زي الكلاب")
_AR_LIKE = r"(?:مثل|متل|زي|كما|ك)\s*"
# what a group is said to lack or be ("ناقصات عقل", "عبده الشيطان", "ما لهن عقل")
_AR_LESSER = r"(?:ناقص(?:ه|ات|ين)?\s+عقل|عبد[هة]?\s+(?:ال)?شيطان|ما\s+(?:لهم|لهن|الهم|الهن)\s+عقل)"
_AR_NOT = _arabic("ليس ليسوا لسنا مش مو ما مب غير لا ولا")
# up to two words between the group and what it is called, none of them a negation
# victims of what the words name ("اليزيدية ضحايا دواعش": victims of Daesh, not Daesh)
_AR_VICTIMS = _arabic("ضحايا ضحيه")
_AR_GAP = rf"(?:\s+(?!(?:{_AR_NOT}|{_AR_VICTIMS})\b)\S+){{0,2}}"
_AR_EXPEL = _arabic("طرد طردهم ترحيل ترحيلهم ابادتهم اباده حرقهم قتلهم التخلص تنظيف")
# imperatives: expel, wipe out, kill (the people named next)
_AR_EXPEL_NOW = _arabic("اطردوا رحلوا ابيدوا اقتلوا احرقوا اذبحوا")

# "send me, bring me" (ابعتلي, جيبلي, هات لي ...) and "your sister, mother, wife, daughter"
_AR_SEND = r"(?:ابعت|ابعث|جيب|هات|ارسل|ودي|ابعتي|جيبي)(?:لي|لنا)?"
_AR_WOMEN_OF_YOURS = r"(?:اختك|امك|مرتك|زوجتك|بنتك|خواتك|اخواتك|اختكم|امكم)"

ARABIC_THREATS = re.compile(
    "|".join(
        (
            # سأقتلك، سنذبحكم، راح اطخك، بقتلك
            rf"{_AR_WILL}(?:{_AR_HARM}){_AR_YOUR}\b",
            # سنقطع رأسك، رح اكسر راسك
            rf"{_AR_WILL}(?:{_AR_HARM})\s+(?:{_AR_BODY}){_AR_YOUR}\b",
            # سنحرق مقراتكم، رح نفجر بيتك: a home or an office of yours, in the future (not
            # "لن نحرق مقراتكم", "لا نحرق بيوتكم")
            rf"{_AR_FUTURE}(?:{_AR_HARM})\s+(?:{_AR_PLACE}){_AR_YOUR}\b",
            # أعرف أين تسكن، نعرف وين ساكن، اعرف بيتك
            r"[ان]عرف\s+(?:(?:اين|وين|فين|وين\s+ما)\s+(?:تسكن|تعيش|ساكن|تقعد|بيتك)|بيتك|عنوانك)",
            # تستاهل الموت، يستحق الإعدام
            r"[تي](?:ستاهل|ستحق)(?:ون|وا)?\s+(?:ال)?(?:موت|قتل|اعدام|ذبح|حرق|رصاص|شنق|سحل)",
            # يجب قتله، لازم ينذبح، لازم يموت
            r"(?:يجب|لازم|لابد|وجب)\s+(?:ان\s+)?(?:قتل|اعدام|ذبح|حرق|سحل|شنق|تصفيه|ينقتل|ينذبح|"
            r"يعدم|يموت|يتصفي)(?:ه|ها|هم)?\b",
            # سأجعلك تندم؛ ستدفع الثمن بدمك، ستدفع ثمن هذا من دمك
            r"سا?جعلك\s+تندم|(?:ست|راح\s+ت|رح\s+ت|حت|هت)دفع\s+(?:ال)?ثمن[^.!?؟]{0,30}?"
            r"(?:من\s+|ب)?دمك",
            # رح نخلص عليك، لازم حد يخلص عليه ("finish off": kill)
            rf"{_AR_WILL}خلص\s+علي(?:ك|كم)\b",
            r"(?:لازم|يجب|ياريت|ليت|يا\s+ريت|نفسي)\s+(?:حد|احد|واحد|حدا|شخص)\s+(?:\S+\s+)?"
            r"(?:يخلص\s+علي|يقتل|يطخ|يذبح|يصفي|يفجر|يقوص|يحرق)",
            # سنصل إليك، رح نوصلك، ونعرف شغلنا معك
            r"(?:سن|رح\s+ن|راح\s+ن|حن|بن)و?صل(?:ك|لك|كم|\s+اليك|\s+اليكم)\b",
            r"نعرف\s+شغلنا\s+مع(?:ك|كم)\b",
            # death wishes: الله ياخذ روحك، ان شاء الله تموت، عسى تموت
            r"الله\s+(?:\S+\s+)?ياخ[ذد](?:ك|كم|\s+روحك|\s+عمرك)\b",
            r"(?:ان\s*شاء\s*الله|انشالله|نشالله|عسى|عسي|يا\s+رب)\s+(?:\S+\s+){0,2}"
            r"(?:تموت|تموتون|تموتوا|تنقبر|تنقبرون|تفطس|تتفجر)\b",
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
            # اللاجئين مثل الجراد، الأكراد ... زي الحيوانات
            rf"(?<!\S)[وف]?(?:{_AR_GROUPS})\b[^.!?؟]{{0,60}}{_AR_LIKE}(?:ال)?(?:{_AR_DEHUMANISING})\b",
            # المرأة ناقصة عقل، الإيزيديون عبدة شيطان
            rf"(?<!\S)[وف]?(?:{_AR_GROUPS}){_AR_GAP}\s+{_AR_LESSER}",
        )
    )
)

# --- Turkish (the copy ASCII-folded: ı ş ğ ç ö ü -> i s g c o u) ---------------------------
# first person singular and plural of the aorist and future: öldürürüm, gebertiriz,
# kıracağım, keserim, vurucam
_TR_FIRST = (
    r"(?:[iu]r|er|ar|[iu]|e|a)?"
    r"(?:im|um|iz|uz|ecegim|acagim|ecegiz|acagiz|c[ie]m|c[ae]m|c[ie]z|c[ae]z|y[iu]m|l[iu]m)"
)
_TR_KILL = r"(?:oldur|gebert|katlet|dograr|dogra|bogazla|kursuna\s+diz)"
_TR_HURT = r"(?:kes|kir|vur|yak|bog|dov|parcala|as|bicakla)"
_TR_OBJECT = (
    r"(?:seni|sizi|onu|onlari|kafani|kafanizi|kafasini|boynunu|boynunuzu|bacaklarini|"
    r"kollarini|elini|ellerini|dilini|agzini|disini|dislerini|evini|evinizi|ailesini|aileni|"
    r"ayaklarini|ayaklarinizi|ayagini|bacagini|kemiklerini|suratini|yuzunu|kafalarini|"
    r"evlerini|arabani|arabasini|dukkanini|burosunu)"
)
# plurals only (not "kurtlar", wolves), with their case endings
_TR_GROUPS_BARE = (
    r"(?:kurtler|araplar|turkler|suriyeliler|multeciler|gocmenler|afganlar|ermeniler|aleviler|"
    r"yahudiler|hristiyanlar|sunniler|siiler|eziler|ezidiler|yezidiler|rumlar|farslar|"
    r"iranlilar|kadinlar|escinseller|gavurlar)"
)
_TR_GROUPS = rf"{_TR_GROUPS_BARE}(?:i|in|e|a|den|dan)?"
# "Arap dediğin ...": one of a people, said of them all
_TR_ONE_OF = (
    r"(?:kurt|arap|turk|suriyeli|multeci|gocmen|afgan|ermeni|alevi|yahudi|kadin|escinsel)"
    r"\s+dedigin"
)
_TR_DEHUMANISING = (
    r"(?:hayvan\w*|it\w{0,3}|kope[kg]\w*|domuz\w*|boce[kg]\w*|mikro[pb]\w*|parazit\w*|pislik\w*|pis|"
    r"hain\w*|terorist\w*|medeniyetsiz\w*|asagilik\w*|soysuz\w*|insan\s+degil\w*|"
    r"veba\w*|kanser\w*|virus\w*|cop\w{0,3}|fare\w*|sican\w*|hastalikli\w*|sapik\w*|"
    r"dusman(?:i|dir|idir|lar|lardir|imiz|imizdir)?|kafir\w*|dag\s+ayi\w*|cekirge\w*)"
)
# an expulsion or a purge, said of a group ("hepsini sürmek lazım", "kovulmalı")
_TR_EXPEL = (
    r"(?:denize\s+dok\w*|sinir\s+disi\s+edil\w*|defol\w*|kokunu\s+kazi\w*|yok\s+edil\w*|"
    r"temizlen\w*|gebersin\w*|atilmal\w*|atilsin\w*|kovulmal\w*|kovulsun\w*|surulmel\w*|"
    r"surulsun\w*|(?:surmek|atmak|kovmak|gondermek|temizlemek|yok\s+etmek)\s+(?:lazim|gerek)\w*)"
)
# a calling-out quoted, not meant: "Kürtlere hain diyenler"
_TR_SAID = r"(?!\s+(?:degil|diye\w*|diyen\w*|diyor\w*|demek\w*|denmesi\w*))"
# up to three words between a group and what it is called, none a postposition
# ("Kürtler için pis bir oyun": the game is dirty, not the Kurds)
_TR_GAP = r"(?:(?!(?:icin|ile|tarafindan|yuzunden|hakkinda|karsi\w*)\b)\S+\s+){0,3}"
# a person to be shot ("şu vekili", "bu adamı", "onu")
_TR_PERSON = (
    r"(?:(?:su|bu|o)\s+)?(?:vekil|bakan|baskan|adam|herif|gazeteci|yazar|muhabir|vali|hakim|"
    r"savci|cumhurbaskan|general|kaymakam)\w*|seni|onu|bunu|sunu"
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
            # seni buluruz, seni bulmamız zor olmaz
            r"\bseni\s+(?:bulur(?:uz|um)|bulma\w*\s+(?:zor|kolay)\w*)",
            # çocuğunun okulunu biliyoruz, adresini biliyoruz
            r"\b(?:cocugunu|cocugunun|cocuklarini|cocuklarinin|esini|esinin|karini|karinin|"
            r"adresini|adresin|aileni|ailenin)\b[^.!?]{0,50}\bbiliyor(?:uz|um)\b",
            # arkana bak, arkanı kolla; canlı dönmeyecek; ailene selam söyle
            r"\barkan(?:a\s+bak(?!madan)|i\s+kolla)\w*",
            r"\bcanli\s+(?:donmeyecek\w*|donemez\w*|cikamaz\w*|cikmayacak\w*)",
            r"\bailene\s+(?:de\s+)?selam\s+soyle",
            # biri şu vekili vursa, biri gebertse de kurtulsak
            rf"\bbiri(?:si|leri)?\s+(?:{_TR_PERSON})\s+(?:\S+\s+)?(?:vursa|oldurse|gebertse|"
            r"assa|kesse|vurmali|oldurmeli)\b",
            # death wishes: inşallah ölürsün, gebereceksin, geber
            r"\b(?:insallah|insaallah|umarim|dilerim)\s+(?:\S+\s+){0,4}(?:olursun\w*|olesin\w*|"
            r"olmek|gebers\w*|gebere\w*)",
            r"\bgeber(?:eceksin\w*|esice\w*|sin\w*|in\b|\b)",
            # idam edilmeli, kurşuna dizilmeli, öldürülmeli, asılmalı, vurulmalı
            r"\b(?:idam\s+edilmel\w*|kursuna\s+dizilmel\w*|oldurulmel\w*|asilmal\w*|"
            r"vurulmal\w*|gebertilmel\w*|kellesi\s+alinmal\w*)",
            # kurşuna dizilmeniz lazım, idam edilmesi gerek (not "edilmemesi", "vurulmaması",
            # nor "gerektiğini söyledi", "lazım diyenler")
            r"\b(?:idam\s+edilme|kursuna\s+dizilme|oldurulme|vurulma|gebertilme)"
            r"(?:si|leri|niz|miz|n)?\s+(?:lazim|gerek(?:ir|iyor)?)\b"
            r"(?!\s+(?:diye\w*|diyen\w*|diyor\w*|demek\w*))",
            # kanını dökeceğiz, kanınla ödeyeceksin
            r"\bkan(?:ini|inizi|iyla|inla)\s+(?:dokece\w*|dokeri\w*|odeyecek\w*|odersin)",
        )
    )
)
TURKISH_ABUSE = re.compile(
    "|".join(
        (
            # Suriyeliler pis hayvanlar, Kürtler insan değil, Suriyeliler bu ülkenin mikrobu
            rf"\b{_TR_GROUPS}\s+{_TR_GAP}{_TR_DEHUMANISING}{_TR_SAID}\b",
            # Arap dediğin pis olur
            rf"\b{_TR_ONE_OF}\s+{_TR_GAP}{_TR_DEHUMANISING}{_TR_SAID}\b",
            # Kürtler güvenilmez, Arap dediğin güvenilmez (right after the group: "Suriyeliler
            # hakkındaki rakamlar güvenilmez" says it of the figures)
            rf"\b(?:{_TR_GROUPS_BARE}|{_TR_ONE_OF})\s+guvenilmez\w*{_TR_SAID}",
            # Suriyeliler fare gibi üreyor
            rf"\b{_TR_GROUPS}\b[^.!?]{{0,40}}\b{_TR_DEHUMANISING}\s+gibi\b",
            # bütün göçmenleri denize dökmek lazım, Ermeniler ... hepsini sürmek lazım
            rf"\b{_TR_GROUPS}\b[^.!?]{{0,60}}\b{_TR_EXPEL}",
            # a call to wipe out a people's lineage: "Suriyelilerin soyu kurutulmalı", "Kürtlerin
            # soyunu sopunu kurutmak lazım" (not its history, "Saddam Kürtlerin soyunu
            # kurutmak istedi", nor a fear, "... kurutacak")
            rf"\b{_TR_GROUPS_BARE}in\s+soy(?:u|unu|lari|larini|larinin)(?:\s+sop(?:u|unu))?\s+"
            r"(?:kok(?:u|unu)\s+)?kurut(?:ulmal\w*|ulsun\w*|mal[iy]\w*|acagiz\b|alim\b|"
            r"mak\s+(?:lazim|gerek)\w*)",
        )
    )
)

# Sexual harassment of a reader through the women of their family: "send me your wife"
# ("karını bana gönder", "ابعتلي اختك"), an idiom of these comment sections with no
# vulgar word in it. A wife, sister, daughter or mother of "yours", then "to me/us" and
# "send, bring, give" (Turkish; "okula gönder" sends no one to the writer), or the
# verb first (Arabic).
TURKISH_VULGARITY = re.compile(
    r"\b(?:karini|kizini|kiz\s+kardesini|bacini|anneni|anani|esini|sevgilini)\s+"
    r"(?:\S+\s+)?(?:bana|bize)\s+(?:\S+\s+)?(?:gonder|yolla|getir|ver|sal)\w*"
)
ARABIC_VULGARITY = re.compile(
    rf"(?<!\S)[وف]?{_AR_SEND}\s*(?:لي|لنا|ل)?\s+(?:\S+\s+)?{_AR_WOMEN_OF_YOURS}(?!\S)"
)

_PATTERNS: dict[str, tuple[tuple[str, re.Pattern], ...]] = {
    "ar": (("threat", ARABIC_THREATS), ("abuse", ARABIC_ABUSE), ("vulgarity", ARABIC_VULGARITY)),
    "tr": (
        ("threat", TURKISH_THREATS),
        ("abuse", TURKISH_ABUSE),
        ("vulgarity", TURKISH_VULGARITY),
    ),
}
_READS: dict[str, Callable[[str], str]] = {"tr": fold_turkish}


_GROUP_NAMES: dict[str, re.Pattern] = {
    "ar": re.compile(rf"(?<!\S)[وف]?(?:{_AR_GROUPS})(?!\S)"),
    "tr": re.compile(rf"\b{_TR_GROUPS}\b"),
}


def names_group(copy: str, language: str) -> bool:
    """Whether ``language``'s scoring copy names an identity group (a people, a faith,
    refugees, women ...): harsh words there are about people, not an institution."""
    pattern = _GROUP_NAMES.get(language)
    return bool(pattern and pattern.search(_READS.get(language, str)(copy)))


# a hit is reported, not meant, when its sentence frames it as said or written by someone
# before it (Arabic: "من يقول إن ...", "كتب المسلحون على الجدران: ...") or a saying verb
# follows it (Turkish: "... diyenler", "... dedi"), or it stands inside quotation marks
_AR_REPORTING = re.compile(
    r"(?<!\S)[وف]?(?:يقول|يقولون|تقول|قال|قالوا|يدعي|يدعون|يزعم|يزعمون|يصف|يصفون|وصف|وصفوا|"
    r"يسمي|يسمون|كتب|كتبوا|هتف|هتفوا|شعار|شعارات)(?!\S)"
)
_TR_SAYING_AFTER = re.compile(r"^\W*(?:diye|diyen|dedi|diyor|demek|sloganlar)\w*")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_QUOTED = re.compile(r"[\"«“][^\"«»“”]{1,300}[\"»”]")
_REPORT_WORDS = 8  # how far back a reporting verb may stand


def is_reported(copy: str, hit: RuleHit, language: str) -> bool:
    """Whether ``hit`` (of :func:`find_hits`) is quoted or reported rather than meant."""
    if any(q.start() < hit.start and hit.end <= q.end() for q in _QUOTED.finditer(copy)):
        return True
    before = _SENTENCE_END.split(copy[: hit.start])[-1].split()[-_REPORT_WORDS:]
    if language == "ar" and _AR_REPORTING.search(" ".join(before)):
        return True
    return language == "tr" and bool(_TR_SAYING_AFTER.match(_READS["tr"](copy[hit.end :])))


def find_hits(copy: str, language: str) -> list[RuleHit]:
    """Threat, abuse and harassment pattern hits in ``language``'s scoring copy (spans of
    that copy)."""
    patterns = _PATTERNS.get(language)
    if not patterns:
        return []
    read = _READS.get(language, str)(copy)
    return [
        RuleHit(category, m.start(), m.end(), f"{language}-{category}-pattern")
        for category, pattern in patterns
        for m in pattern.finditer(read)
    ]
