"""Which of the site's languages a comment is written in.

The site's readers write English ``en``, Sorani Kurdish ``ckb`` (Arabic script),
Kurmanji Kurdish ``kmr`` (Latin script), Arabic ``ar``, Turkish ``tr`` and Persian
``fa``.  :func:`detect_language` answers one of those six codes, or ``und`` when it
cannot tell with confidence; :func:`routing_language` turns that into the language
whose model (or policy) judges the comment.

How a comment is read, in order:

1. Detection runs on the ORIGINAL text, never on the normalised scoring copy (which
   folds Persian and Arabic letters together).  Links, e-mail addresses and
   ``@mentions`` are left out: they are Latin-script whatever the comment's language.
   Arabic presentation forms (one code point per letter shape, as PDF copies give)
   are read as the plain letters (NFKC); nothing else is changed.
2. The letters are counted by script.  No letters at all (emoji only, digits,
   punctuation) -> ``und``.  Mostly letters of a script none of the six uses
   (Cyrillic, Chinese, ...) -> ``und``.  **Mixed script**: when most letters are
   Arabic-script, the Latin words are left out and the rest is read (commenters
   writing Sorani, Persian or Arabic often tag names, brands and handles in Latin
   letters); when most are Latin but more than 20% are Arabic-script -> ``und``.
3. Arabic script: the candidates are ``ckb``, ``fa`` and ``ar``; Latin script:
   ``en``, ``tr`` and ``kmr``.  The library (py3langid, restricted to the site's
   languages: ``en tr ar fa`` plus its Kurdish ``ku`` (Latin, Kurmanji) and ``sdh``
   (Arabic-script Kurdish) and the Arabic dialects ``arz ary``) gives a probability
   to each candidate; letter and word evidence then multiplies the candidates it
   speaks against (at most three hits per kind of evidence), and the result is
   renormalised (the region's names that English, Kurmanji and Turkish all spell alike,
   "Kurdistan", "Rojava", "PKK", are left out of what the library reads):

   - Sorani's own letters ``ڕ ڵ ۆ ێ ە ھ`` occur in no Persian or Arabic text
     (strongly against ``fa`` and ``ar``);
   - Sorani typed on a Persian or Arabic keyboard has none of them (``ه`` for ``ە``,
     ``ی`` for ``ێ``, ``و`` for ``ۆ``), but keeps Kurdish spelling: words that start
     with ``ئ`` (``ئهم``, ``ئیوه``: Persian writes ``ا``, Arabic puts ``ئ`` only inside
     a word) or with ``هه`` (``ههموو``: ``هە`` typed without ``ە``), and verb and
     particle forms no Persian or Arabic word has (``دهکات``, ``نییه``, ``بهلام``), and
     Kurdish spellings with the Persian kaf and yeh (``کوردستان``, ``سوپاس``, ``بژی``).
     Two of them speak against ``fa`` and ``ar``; one may be a Kurdish name
     (``ئازاد``) in a Persian or Arabic comment;
   - Persian ``پ چ ژ گ ک ی`` against ``ar`` (mildly: Iraqi Arabic writes چ and گ);
     Arabic ``ة`` against ``fa`` and ``ckb``, and ``ي ك ى`` mildly, since Persian
     typed on an Arabic keyboard has them;
   - Persian function words (است را که این می نمی ...) against ``ar`` and Arabic
     ones (في إلى هذا الذي لم لن ...) against ``fa``, matched with ي ى and ك folded
     into ی and ک, so Persian in Arabic letters still counts as Persian;
   - Turkish ``ı ğ ö ü`` against ``kmr`` and ``en``; Kurmanji ``ê û`` (and, mildly,
     ``î``, which a few Turkish loanwords have) against ``tr`` and ``en``; ``ç ş``
     against ``en``.  Latin letters in a capitalised word ("Erdoğan", "Öcalan") are no
     evidence: it is often a name in a comment of another language.

   The winner is ``confident`` when its combined probability reaches
   :data:`CONFIDENCE` (0.8); otherwise the answer is ``und``.
4. **Very short text**: fewer than three Latin-script words ("Great article!",
   "ok", "lol") or fewer than two Arabic-script words ("شكرا", "بژی") -> ``und``:
   so few words do not tell the languages of one script apart reliably.  Except a
   confident Turkish or Kurmanji text with a letter only that language has
   (:data:`_OWN_LETTERS`; in the opening word too, capitalised because it opens the
   text, unless it is one of the region's names) or, in Turkish, one of its commonest
   words (:data:`_OWN_WORDS`): "Çok güzel", "Yazık oldu" and "Çok iyi" are Turkish,
   "Tu kerê" Kurmanji, "Erdoğan idiot" ``und``.
5. **Arabizi** (Arabic written in Latin letters with digits for letters: "7abibi",
   "3arab", "ma3ak", "su2al") -> ``und``, with ``candidate`` ``ar``: no model here
   reads Arabic in Latin letters, and calling it ``ar`` would send it to the
   Arabic-script model, which cannot read it either.  A word counts as Arabizi when
   one of the digits 3 5 6 7 9 stands before a letter in it, or a 2 between two
   letters (so English "2day" and "gr8" do not count, nor ordinals and units such as
   "3rd", "5g", "9am", nor hashtags); the rule fires when such words are at least a
   fifth of the words, or two of them, and the text has no letter outside ASCII
   (Arabizi is typed in plain ASCII: Turkish "5er 5er çıkılmaz" is not Arabizi).

The detector is built once, on first use or by :func:`warm_up`, under a lock
(loading takes about a second); calls after that are read-only and safe from any
thread.  A call costs
about a hundred microseconds on a short comment (``bench/language_id.py``).

Example::

    >>> detect_language("سوپاس بۆ ئەم ڕاپۆرتە جوانە.").code
    'ckb'
    >>> detect_language("Great article!").code
    'und'
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from py3langid.langid import MODEL_FILE, LanguageIdentifier

SITE_LANGUAGES = ("en", "ckb", "kmr", "ar", "tr", "fa")
UNDETERMINED = "und"
CONFIDENCE = 0.8
MIN_LATIN_WORDS = 3
MIN_ARABIC_WORDS = 2
MIXED_SCRIPT_SHARE = 0.2

ARABIC_CANDIDATES = ("ckb", "fa", "ar")
LATIN_CANDIDATES = ("en", "tr", "kmr")
ARABIC_SCRIPT, LATIN_SCRIPT = "arab", "latn"
SCRIPTS = dict.fromkeys(ARABIC_CANDIDATES, ARABIC_SCRIPT) | dict.fromkeys(
    LATIN_CANDIDATES, LATIN_SCRIPT
)

# py3langid label -> our code; "kurdish" becomes ckb or kmr by script.
_LIBRARY_LABELS = {
    "en": "en",
    "tr": "tr",
    "ar": "ar",
    "arz": "ar",
    "ary": "ar",
    "fa": "fa",
    "ku": "kurdish",
    "sdh": "kurdish",
}

# Evidence: (letters or words, the candidates they speak against, factor per hit).
_ARABIC_LETTERS = (
    (frozenset("ڕڵۆێەھ"), ("fa", "ar"), 0.02),  # Sorani's own letters
    (frozenset("پچژگ"), ("ar",), 0.3),  # Iraqi Arabic writes چ and گ too
    (frozenset("کی"), ("ar",), 0.3),  # Persian (and Sorani) kaf and yeh
    (frozenset("ة"), ("fa", "ckb"), 0.1),
    (frozenset("يكى"), ("fa", "ckb"), 0.7),  # Persian typed on an Arabic keyboard has them
)
# Function words, matched after folding Arabic yeh and kaf into the Persian forms
# (so Persian typed with Arabic letters still counts).  Words both languages use
# ("من", "ما", "با", "بعد", "علی", ...) are left out.
# fmt: off
_PERSIAN_WORDS = frozenset([
    "است", "نیست", "هست", "را", "که", "این", "آن", "برای", "از", "در",
    "می", "نمی", "های", "یک", "اگر", "چه", "چرا", "شما", "آنها", "خیلی",
    "همه", "بود", "شد", "شود", "کرد", "دارد", "ندارد", "باید", "درباره", "ولی",
])
_ARABIC_WORDS = frozenset([
    "في", "إلى", "الى", "عن", "هذا", "هذه", "ذلك", "الذي", "التي", "الذين",
    "كانت", "مع", "لم", "لن", "ليس", "إن", "أن", "أنت", "انت", "نحن",
    "يجب", "لكن", "شيء", "هو",
])
# fmt: on
# Sorani words as typed without Sorani's letters (ە ێ ۆ ڕ ڵ as ه ی و ر ل); with them,
# the letters already speak
# fmt: off
_SORANI_WORDS = frozenset([
    "دهکات", "ناکات", "دهکهن", "ناکهن", "دهبیت", "نابیت", "دهلیت", "نییه", "بهلام", "کاکه",
    "لهسهر", "بوچی",
])
# Kurdish spellings of words Persian writes کرد, کردستان, سپاس, and بژی ("long live"),
# for which Persian says زنده باد; matched as typed, with Persian kaf and yeh: an Iraqi
# Arabic writer may spell كوردستان too, with the Arabic kaf
_KURDISH_SPELLINGS = frozenset(["کورد", "کوردستان", "سوپاس", "بژی"])
# fmt: on
_FOLD_YEH_KAF = {0x64A: 0x6CC, 0x649: 0x6CC, 0x643: 0x6A9}  # ي ى -> ی, ك -> ک
_ARABIC_FOLDED = frozenset(w.translate(_FOLD_YEH_KAF) for w in _ARABIC_WORDS)
_ARABIC_WORD_EVIDENCE = (
    (frozenset(w.translate(_FOLD_YEH_KAF) for w in _PERSIAN_WORDS), ("ar",), 0.1),
    (_ARABIC_FOLDED, ("fa",), 0.1),
)
# how Sorani words start, typed with or without its letters: the hamza seat (ئهم, ئیوه),
# and ە typed as ه after the h (ههموو, ههولیر); not a laugh (ههههه)
_SORANI_START = re.compile(r"ئ|هه(?=[^\W\dهـ_])")
_MIN_SORANI_CUES = 2
_LATIN_LETTERS = (
    (frozenset("ıİğĞöÖüÜ"), ("kmr", "en"), 0.05),  # Turkish only
    (frozenset("êÊûÛ"), ("tr", "en"), 0.05),  # Kurmanji only
    (frozenset("îÎ"), ("tr", "en"), 0.3),  # Turkish has î in a few loanwords ("resmî")
    (frozenset("çÇşŞ"), ("en",), 0.3),  # both Turkish and Kurmanji
)
_MAX_HITS = 3  # per kind of evidence: a long text must not drown the library
# letters of one Latin-script language alone: a short comment with them is placed
_OWN_LETTERS = {"tr": frozenset("ıİğĞöÖüÜ"), "kmr": frozenset("êÊûÛîÎ")}
# and the commonest words of short Turkish comments, which Kurmanji and English do not use
# ("Çok iyi", very good: "cok" is a swear word to the English model)
_OWN_WORDS = {
    "tr": frozenset(
        ["çok", "değil", "için", "iyi", "güzel", "oldu", "yok", "harika", "evet", "hayır"]
    )
}

_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_A-Za-z]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
# The letters of the Arabic, Arabic Supplement and Extended-A blocks and of the
# presentation forms (no digits, marks or punctuation).
_ARABIC_LETTER = re.compile(
    "[\u0620-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]"
)
_SCRIPT_LETTER = {ARABIC_SCRIPT: _ARABIC_LETTER, LATIN_SCRIPT: _LATIN_LETTER}
_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
# links, e-mail addresses and @mentions: Latin-script whatever the language around them
NOT_TEXT = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|@\w+", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_HASHTAG = re.compile(r"#\w+")
# Names of the region's places, parties and leaders that English, Kurmanji and Turkish
# text all spell so: no evidence of which one a comment is in. py3langid reads
# "Kurdistan" as Kurmanji, so "Long live Kurdistan!" (tagged en) was held unread.
_SHARED_NAMES = re.compile(
    r"\b(?:kurdistan|rojava|erbil|duhok|dohuk|zakho|kirkuk|mosul|sinjar|afrin|kobani|"
    r"qamishli|halabja|raqqa|hasakah|sulaimani|sulaymaniyah|barzani|talabani|ocalan|"
    r"peshmerga|pkk|pyd|ypg|ypj|kdp|puk|hdp|sdf|krg|isis|daesh|erdo[gğ]an|[oö]calan|"
    r"bah[cç]eli|demirta[sş])(?:'s)?\b",
    re.IGNORECASE,
)
_LATIN_RUN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")
_ARABIZI_MARK = re.compile(r"[35679][a-z]|[a-z]2[a-z]", re.IGNORECASE)
_ORDINAL_OR_UNIT = re.compile(r"\d+(?:st|nd|rd|th|s|k|m|g|x|d|h|am|pm|km|kg|mb|gb)", re.I)


@dataclass(frozen=True, slots=True)
class Detection:
    """The detector's answer.

    ``code`` is one of :data:`SITE_LANGUAGES` when ``confident``, else ``und``.
    ``candidate`` is the best guess among the six even when ``code`` is ``und``
    (``und`` itself only when the text has no letters to go on).  ``confidence`` is
    the candidate's combined probability, 0 to 1.
    """

    code: str
    confident: bool
    confidence: float
    candidate: str
    # the library's own first choice among the script's candidates, before the letter
    # and word evidence: when the evidence overrules it, it is a second reading
    # (:mod:`.readings`); ``und`` with no letters
    library: str = UNDETERMINED
    # the script the text was read in: "arab", "latn", or "" (no letters, another script)
    script: str = ""


_UNKNOWN = Detection(UNDETERMINED, False, 0.0, UNDETERMINED)

_identifier: LanguageIdentifier | None = None
_identifier_lock = threading.Lock()


def _get_identifier() -> LanguageIdentifier:
    global _identifier
    if _identifier is None:
        with _identifier_lock:
            if _identifier is None:
                ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                ident.set_languages(sorted(_LIBRARY_LABELS))
                _identifier = ident
    return _identifier


def warm_up() -> None:
    """Build the detector now (about a second) rather than on the first comment.

    Call it where a worker starts, so that no request pays for the load.
    """
    _get_identifier()


def _script_counts(text: str) -> tuple[int, int, int]:
    """Letters in Arabic script, in Latin script, and in any other script."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return arabic, latin, len(_LETTER.findall(text)) - arabic - latin


def has_arabic_words(text: str) -> bool:
    """Whether ``text`` holds an Arabic function word (في, هذا, انت ...), which Persian
    and Sorani do not use: Arabic written into a Persian or Sorani comment."""
    return any(w in _ARABIC_FOLDED for w in _WORD.findall(text.translate(_FOLD_YEH_KAF)))


def has_letters(text: str, script: str) -> bool:
    """Whether ``text`` holds a letter of ``script`` (``arab`` or ``latn``)."""
    return bool(_SCRIPT_LETTER[script].search(text))


def word_script(word: str) -> str:
    """The script most of ``word``'s letters are in: ``arab``, ``latn``, or "" (neither)."""
    arabic, latin, other = _script_counts(word)
    if arabic > latin + other:
        return ARABIC_SCRIPT
    return LATIN_SCRIPT if latin > arabic + other else ""


def _library_probabilities(text: str, candidates: tuple[str, ...]) -> dict[str, float]:
    kurdish = "ckb" if "ckb" in candidates else "kmr"
    probs = dict.fromkeys(candidates, 0.0)
    for label, p in _get_identifier().rank(text):
        code = _LIBRARY_LABELS[label]
        code = kurdish if code == "kurdish" else code
        if code in probs:  # the other script's languages drop out
            probs[code] += p
    return probs


def _weigh(
    probs: dict[str, float],
    text: str,
    letters_evidence,
    words: Sequence[str] = (),
    words_evidence=(),
) -> dict[str, float]:
    """Multiply the library's probabilities by the letter and word evidence."""
    present = set(text)
    for alphabet, against, factor in letters_evidence:
        if present & alphabet:
            hits = sum(text.count(ch) for ch in alphabet & present)
            for code in against:
                probs[code] *= factor ** min(hits, _MAX_HITS)
    for vocabulary, against, factor in words_evidence:
        hits = sum(1 for w in words if w in vocabulary)
        for code in against:
            probs[code] *= factor ** min(hits, _MAX_HITS)
    if words_evidence:  # Arabic script: Sorani typed without its letters
        hits = sum(1 for w in words if w in _SORANI_WORDS or _SORANI_START.match(w))
        hits += sum(1 for w in _WORD.findall(text) if w in _KURDISH_SPELLINGS)
        if hits >= _MIN_SORANI_CUES:  # one is a Kurdish name (ئازاد) in Persian or Arabic
            for code in ("fa", "ar"):
                probs[code] *= 0.02 ** min(hits, _MAX_HITS)  # as strong as Sorani's letters
    total = sum(probs.values())
    if total <= 0:
        return dict.fromkeys(probs, 1 / len(probs))
    return {code: p / total for code, p in probs.items()}


def _lower_if_shouted(match: re.Match) -> str:
    word = match.group()
    return word.replace("İ", "i").lower() if len(word) > 1 and word.isupper() else word


def _blank_if_capitalised(match: re.Match) -> str:
    word = match.group()
    return " " if len(word) > 1 and word[0].isupper() and word[1:].islower() else word


def _is_arabizi(text: str) -> bool:
    if _NON_ASCII_LETTER.search(text):
        return False  # Arabizi is typed in plain ASCII; Turkish "5'er", "#ziraatMüh5bin" are not
    words = _WORD.findall(_HASHTAG.sub(" ", text))
    arabizi = sum(1 for w in words if _ARABIZI_MARK.search(w) and not _ORDINAL_OR_UNIT.fullmatch(w))
    return arabizi >= 2 or (arabizi >= 1 and arabizi * 5 >= len(words))


def _decide(weighed: dict[str, float], library: str, script: str) -> Detection:
    candidate = max(weighed, key=weighed.get)
    confidence = weighed[candidate]
    confident = confidence >= CONFIDENCE
    code = candidate if confident else UNDETERMINED
    return Detection(code, confident, confidence, candidate, library, script)


def _unsure(
    detection: Detection, confidence: float | None = None, candidate: str = ""
) -> Detection:
    """``detection`` made ``und``: too short, mixed script, Arabizi."""
    return replace(
        detection,
        code=UNDETERMINED,
        confident=False,
        confidence=detection.confidence if confidence is None else confidence,
        candidate=candidate or detection.candidate,
    )


def detect_language(text: str) -> Detection:
    """Detect which of :data:`SITE_LANGUAGES` ``text`` is in; ``und`` when unsure.

    Pass the comment as submitted (not normalised).  See the module docstring for
    the fallbacks: no letters, another script, mixed script, fewer than three Latin
    words and Arabizi all give ``und``.
    """
    body = NOT_TEXT.sub(" ", text)
    arabic, latin, other = _script_counts(body)
    letters = arabic + latin + other
    if letters == 0 or other * 2 > letters:
        return _UNKNOWN
    if arabic >= latin:
        # Latin names, handles and brands inside Arabic-script comments are common:
        # read the Arabic-script words alone.
        body = _LATIN_RUN.sub(" ", body)
        if _PRESENTATION_FORM.search(body):  # text copied from a PDF: back to plain letters
            body = unicodedata.normalize("NFKC", body)
        words = [w for w in _WORD.findall(body.translate(_FOLD_YEH_KAF)) if not w.isdigit()]
        probs = _library_probabilities(body, ARABIC_CANDIDATES)
        library = max(probs, key=probs.get)
        weighed = _weigh(probs, body, _ARABIC_LETTERS, words, _ARABIC_WORD_EVIDENCE)
        detection = _decide(weighed, library, ARABIC_SCRIPT)
        if len(words) < MIN_ARABIC_WORDS:
            return _unsure(detection)
        return detection
    # The library knows words in lower case: "EVERYTHING LIBERALS TOUCH" reads as noise.
    read = _SHARED_NAMES.sub(" ", body)
    probs = _library_probabilities(_WORD.sub(_lower_if_shouted, read), LATIN_CANDIDATES)
    library = max(probs, key=probs.get)
    # a capitalised word is often a name ("Erdoğan", "Öcalan"), whatever the language
    # around it: its letters are no evidence
    lettered = _WORD.sub(_blank_if_capitalised, body)
    detection = _decide(_weigh(probs, lettered, _LATIN_LETTERS), library, LATIN_SCRIPT)
    if arabic > MIXED_SCRIPT_SHARE * (arabic + latin):
        return _unsure(detection)
    if _is_arabizi(body):
        return _unsure(detection, 0.0, "ar")
    if sum(1 for w in _WORD.findall(body) if not w.isdigit()) >= MIN_LATIN_WORDS:
        return detection
    # short: placed only by a letter or a word of one language's own; the opening word is
    # capitalised because it opens the text ("Yazık oldu"), unless it is one of the
    # region's names ("Erdoğan idiot")
    opening = _WORD.search(read)
    letters = set(lettered) | set(opening.group() if opening else "")
    words = set(_WORD.findall(body.replace("İ", "i").lower()))
    own_letters = _OWN_LETTERS.get(detection.code, frozenset()) & letters
    placed = own_letters or _OWN_WORDS.get(detection.code, frozenset()) & words
    return detection if detection.confident and placed else _unsure(detection)


def routing_language(detected: Detection, site_tag: str | None) -> str:
    """The language that decides how a comment is judged.

    The detector when it is confident; otherwise the website's own tag when it is
    one of :data:`SITE_LANGUAGES` (:func:`site_language`: case-insensitive, by its
    primary subtag, so ``"EN-gb"`` is ``en``) written in the script the text is in;
    otherwise, for Arabic script, the detector's best guess (``ckb``, ``fa`` or ``ar``:
    the English model cannot read it, and a Persian comment is not Arabic's); otherwise
    ``und``.  A confident detection wins over the tag, so a Sorani comment tagged ``en``
    never reaches the English model; nor does a short Arabic-script insult tagged
    ``en``, nor a Latin-script one tagged ``ckb``.  What ``und`` means for judging (the
    site sends it to the English model) is the caller's rule.
    """
    if detected.confident:
        return detected.code
    tagged = site_language(site_tag)
    if tagged != UNDETERMINED and SCRIPTS[tagged] == (detected.script or SCRIPTS[tagged]):
        return tagged
    return detected.candidate if detected.script == ARABIC_SCRIPT else UNDETERMINED


# Kurdish tagged by the macrolanguage: the script subtag says which Kurdish it is.
_KURDISH_SCRIPTS = {"arab": "ckb", "latn": "kmr"}


def site_language(tag: str | None) -> str:
    """One of :data:`SITE_LANGUAGES` for a website's BCP 47 tag, else ``und``.

    Only the primary subtag counts (``en-GB`` is ``en``, ``ar-IQ`` is ``ar``), except
    for Kurdish ``ku``, whose script subtag names the variety (``ku-Arab`` Sorani,
    ``ku-Latn`` Kurmanji); a bare ``ku`` says too little.
    """
    parts = (tag or "").strip().lower().split("-")
    if parts[0] == "ku":
        return next((_KURDISH_SCRIPTS[p] for p in parts[1:] if p in _KURDISH_SCRIPTS), UNDETERMINED)
    return parts[0] if parts[0] in SITE_LANGUAGES else UNDETERMINED
