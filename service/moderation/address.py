"""Is an Arabic or Turkish comment aimed at a person? A grammatical rule, no model.

The Arabic and Turkish corpora label a tweet offensive or not (OffensEval's OFF is
"a targeted insult or untargeted profanity"), so their models have one offensive
score and cannot tell an insult from swearing. The policy can: an insult aimed at a
person is ``personal_attack``, never ``profanity``. :func:`person_target` finds the
cue that a person is the target, so :class:`~.language_model.LanguageModel` can
report the offensive score under the right category.

A comment is aimed at a person when it has one of these cues (read on the words of
the scoring copy, :mod:`.script_normalize`: mentions are ``xuserx``, Arabic letter
variants unified, Turkish lower-cased; Turkish words are compared ASCII-folded, so
``aptalsin`` is ``aptalsın``):

- ``mention``: an ``@name`` (either language);
- ``vocative``: Arabic ``يا`` or ``أيها`` (not before God, a wish or an exclamation:
  ``يا رب``, ``يا ريت``, ``يا حرام``; nor before a crowd: ``يا جماعة``, ``يا ناس``);
  Turkish ``lan``, ``ulan``, ``be``, ``ey``;
- ``pronoun``: a second-person pronoun (``أنت``, ``انتم``; ``sen``, ``seni``,
  ``siz``, ``size``, ``kendin`` ...) or a preposition carrying one (``لك``, ``عليك``,
  ``منكم``);
- ``suffix``: a second-person ending. Arabic: ``ـك``/``ـكم`` on a kinship, family,
  home, body or self word (``أمك``, ``ولادك``, ``عائلتك``, ``عقلك``, ``راسك``; ``ـك``
  on other words is too often part of the word: ``ملك``, ``هناك``). Turkish: the
  question particle ``mısın``/``musunuz``, the second-person verb and copula
  endings ``-sın``/``-sun``/``-sınız`` (``aptalsın``, ``ediyorsun``, ``bilirsiniz``;
  not the third-person wishes that end alike, ``olsun``, ``gitsin``, ``yaşasın``), and
  ``-n`` on a kinship or face word ending in a vowel (``anan``, ``bacını``, ``çeneni``);
- ``imperative``: a verb that tells the addressee to be quiet or go away
  (``اسكت``, ``اخرس``, ``انقلع``; ``sus``, ``defol``; and Persian ``خفه شو``,
  ``گم شو``: an Arabic-script comment the detector cannot place is read by the Arabic
  model);
- ``person``: a word for a person as the target: the writer, a journalist, a
  presenter, a commenter (``الكاتب``, ``الصحفي``, ``المذيعة``; ``yazar``,
  ``gazeteci``, ``yorumcu``, ``herif``, ``bu adam``), or a title beside a name
  (``الأستاذ``, ``الشيخ``; ``bey``, ``hanım``);
- ``name``: in Latin script, a capitalised name set off by a comma at the end of the
  comment (``..., Ahmet.``), as a reader addresses another;
- ``office``: a public office, a minister, a president, a member of parliament, a
  governor or mayor, a referee, a coach, a player (``الوزير``, ``الرئيس``, ``النائب``;
  ``bakan``, ``başkan``, ``vekil``, ``hakem``). It is a weak cue, as in English
  (:data:`~.target.WEAK_CUES`): harsh words about what an office holder does are the
  news, so the policy holds them only when an attack is the likelier reading. It is
  returned only when no other cue is there.

What it cannot see: a name without a title or a comma in Arabic script (there are no
capital letters), a person insulted in the third person without one of the words
above, and whether the insult is *about* the person the cue names ("the minister's
plan is rubbish" has a person word and insults a plan). A cue anywhere in the
comment counts. Example::

    >>> person_target(["انت", "غبي", "وكاتب", "فاشل"], "ar")
    'pronoun'
    >>> person_target(["siktir", "git", "buradan"], "tr") is None
    True
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .script_normalize import USER_TOKEN, fold_turkish

# cues that name an office holder without addressing or calling them anything, and the
# language model's "nobody": no person, no group and no swearing (harsh words about an
# institution, :mod:`.swearing`)
NOBODY = "nobody"
WEAK_CUES = frozenset({"office", NOBODY})
# the language model's cue for harsh words about a people ("Kürtler", "الأكراد") and no person
GROUP = "group"


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- Arabic (words as the Arabic scoring copy spells them: ا for أ إ آ, ي for ى, ه for ة) ---
_AR_VOCATIVES = frozenset({"يا", "ياا", "ايها", "ايتها"})
# after يا: God, wishes, exclamations and crowds, not a person the comment is aimed at
_AR_NOT_A_PERSON = _set(
    """
    الله اللهم رب ربي ربنا ريت ليت سلام حرام خساره عيب ويل ويلي ويلاه حسره حسرتي لطيف ساتر
    هلا مرحبا جماعه ناس عالم شباب اخوان اخواني اخوتي بلد وطن وطني زمن زمان دنيا عيني لهوي
    فرحه حلاوه مسلمين عرب
    """
)
_AR_PRONOUNS = _set(
    """
    انت انتي انتا انتم انتو انتوا انتن انتما اياك اياكم اياكي
    لك ليك الك عليك منك فيك بك عنك اليك معك عندك
    لكم عليكم منكم فيكم بكم عنكم اليكم معكم عندكم
    """
)
_AR_OWNED = _set(
    """
    ابو اب ام اخت اخو وجه عقل راس شكل لسان رب دين اهل عرض جد فم بوز زوج زوجت نفس مخ كلام تفكير
    عيل بنت ابن ولاد اولاد عايلت عيلت اطفال بنات بيت
    """
)
_AR_SUFFIXED = frozenset(f"{stem}{suffix}" for stem in _AR_OWNED for suffix in ("ك", "كم", "كي"))
_AR_IMPERATIVES = _set("اسكت اسكتي اسكتوا اخرس اخرسي اخرسوا انقلع انقلعي انقلعوا انطم انكتم")
# Persian "shut up" and "get lost" (خفه شو, گم شو): an Arabic-script comment the detector
# cannot place is read by the Arabic model
_FA_SHUT_OR_LOST = frozenset({"خفه", "گم"})
_AR_PERSONS = _set(
    """
    الكاتب الكاتبه كاتب كاتبه الصحفي الصحفيه صحفي صحفيه الصحفيين الصحفيون الاعلامي الاعلاميه
    اعلامي الاعلاميين المذيع المذيعه مذيع مذيعه المراسل المراسله المعلق المعلقه المعلقين
    المحلل الرجل الزلمه الشخص هالشخص هالواحد هالرجال السيد الاستاذ استاذ الشيخ الدكتور دكتور
    """
)
_AR_OFFICES = _set(
    """
    الوزير الوزيره وزير وزيره الوزراء الرئيس رئيس النائب النائبه نائب النواب المحافظ محافظ
    المدرب اللاعب السفير القائد الزعيم المسؤول المسؤولين
    """
)


def _arabic(words: Sequence[str]) -> str | None:
    weak = None
    for i, word in enumerate(words):
        if word == USER_TOKEN:
            return "mention"
        # a leading و (and) or ف (so) is a clitic: "وامك" is "and your mother"
        bare = word[1:] if len(word) > 3 and word[0] in "وف" else word
        if word in _AR_VOCATIVES:
            following = words[i + 1] if i + 1 < len(words) else None
            if following is not None and following not in _AR_NOT_A_PERSON:
                return "vocative"
        elif word in _AR_PRONOUNS or bare in _AR_PRONOUNS:
            return "pronoun"
        elif word in _AR_SUFFIXED or bare in _AR_SUFFIXED:
            return "suffix"
        elif word in _AR_IMPERATIVES or bare in _AR_IMPERATIVES:
            return "imperative"
        elif word == "شو" and i and words[i - 1] in _FA_SHUT_OR_LOST:
            return "imperative"  # Persian "خفه شو", "گم شو", which reaches this model as und
        elif word in _AR_PERSONS or bare in _AR_PERSONS:
            return "person"
        elif word in _AR_OFFICES or bare in _AR_OFFICES:
            weak = "office"
    return weak


# --- Turkish (compared ASCII-folded: ı ş ğ ç ö ü -> i s g c o u) -----------------------------
def _folded(words: str) -> frozenset[str]:
    return frozenset(fold_turkish(w) for w in words.split())


_TR_VOCATIVES = _folded("lan ulan len be ey")
_TR_PRONOUNS = _folded(
    """
    sen seni sana senin sende senden senle seninle sence siz sizi size sizin sizde sizden
    sizinle sizce kendin kendini kendine kendinle kendiniz kendinizi kendinize
    """
)
_TR_QUESTION = _folded("mısın misin musun müsün mısınız misiniz musunuz müsünüz")
# third-person wishes and other words that end like the second person (-sın, -sun)
_TR_NOT_SECOND_PERSON = _folded(
    """
    olsun etsin gelsin gitsin kalsın yapsın bilsin görsün versin alsın dursun desin yesin ölsün
    otursun baksın sussun çıksın girsin düşsün yaşasın yatsın kaçsın sevsin anlasın utansın
    gebersin siksin sıçsın dersin kursun hissin tersin mersin hususun
    """
)
# the endings of third-person wishes: negative (yapmasın), passive (asılsın, yasaklansın)
_TR_WISH_ENDINGS = tuple(_folded("masın mesin ılsın ilsin ulsun ülsün lansın lensin olsun etsin"))
# at least three letters before -sın (basın "press", sesin "of the voice" are nouns)
_TR_SECOND_PERSON = re.compile(r"...s[iu]n(?:[iu]z)?$")  # aptalsin, ediyorsun, bilirsiniz
# vowel-final kinship and face words: their second-person possessive is the stem plus -n
_TR_OWNED = _folded("ana anne baba bacı kafa çene aile sülale")
_TR_OWNED_CASES = frozenset(
    {"", "i", "u", "in", "un", "a", "e", "la", "le", "da", "de", "dan", "den"}
)
_TR_IMPERATIVES = _folded("sus susun defol defolun")
_TR_TITLES = _folded("bey beyler beyefendi hanım hanımlar hanımefendi efendi")
_TR_PERSON_STEMS = tuple(sorted(_folded("yazar gazeteci muhabir yorumcu spiker herif hoca")))
_TR_OFFICE_STEMS = tuple(
    sorted(_folded("bakan başkan vekil milletvekili hakem antrenör direktör vali kaymakam"))
)
# case, number and possessive endings of a person noun (not yazarak "by writing", nor
# yazarlık "authorship"): yazarın, gazeteciye, yorumcular, hocam
_TR_PERSON_ENDINGS = _folded(
    """
    ı i u ü a e ya ye yı yi yu yü ın in un ün nın nin nun nün ına ine una üne ını ini unu ünü
    ının inin unun ünün ım im um üm m ımız imiz umuz ümüz da de ta te dan den tan ten la le yla
    yle ler lar leri ları lere lara lerin ların lerden lardan
    """
) | {""}
# "this man", and the commenter "above" or "below": yukarıdaki adam
_TR_DEMONSTRATIVES = _folded("bu şu o yukarıdaki yukardaki üstteki aşağıdaki")
# a capitalised name set off by a comma at the end of the comment: "..., Ahmet."
_TR_NAME = re.compile(r",\s*[A-ZÇĞİÖŞÜ][a-zçğıöşü]{2,}\s*[.!?]*\s*$")


def _turkish_owned(word: str) -> bool:
    for stem in _TR_OWNED:
        if word.startswith(stem + "n") and word[len(stem) + 1 :] in _TR_OWNED_CASES:
            return True
    return False


def _second_person_ending(word: str) -> bool:
    return bool(
        _TR_SECOND_PERSON.search(word)
        and word not in _TR_NOT_SECOND_PERSON
        and not word.endswith(_TR_WISH_ENDINGS)
    )


def _turkish_noun(word: str, stems: tuple[str, ...]) -> bool:
    return any(word.startswith(s) and word[len(s) :] in _TR_PERSON_ENDINGS for s in stems)


def _turkish_person(word: str, previous: str | None) -> bool:
    if word in _TR_TITLES:
        return True
    if word.startswith("adam") and previous in _TR_DEMONSTRATIVES:
        return word[4:] in _TR_PERSON_ENDINGS
    return _turkish_noun(word, _TR_PERSON_STEMS)


def _turkish(words: Sequence[str], text: str) -> str | None:
    folded = [fold_turkish(w) for w in words]
    weak = None
    for i, word in enumerate(folded):
        if word == USER_TOKEN:
            return "mention"
        if word in _TR_VOCATIVES:
            return "vocative"
        if word in _TR_PRONOUNS:
            return "pronoun"
        if word in _TR_QUESTION or _turkish_owned(word):
            return "suffix"
        if _second_person_ending(word):
            return "suffix"
        if word in _TR_IMPERATIVES:
            return "imperative"
        if _turkish_person(word, folded[i - 1] if i else None):
            return "person"
        if _turkish_noun(word, _TR_OFFICE_STEMS):
            weak = "office"
    if _TR_NAME.search(text):
        return "name"
    return weak


def person_target(words: Sequence[str], language: str, text: str = "") -> str | None:
    """The kind of cue that a person is the target (see the module doc), or None.

    ``words`` are the tokens of the language's scoring copy; ``text`` is the original
    comment (its capital letters find a name). Languages other than ``ar`` and ``tr``
    get None.
    """
    if language == "ar":
        return _arabic(words)
    if language == "tr":
        return _turkish(words, text)
    return None
