"""Second readings: what else a comment could be read as, so that a few planted letters,
a tag or a phrase in another language cannot choose the model that judges it.

A comment is judged by the model of its routed language
(:func:`.language.routing_language`), and text can move that: three Turkish ``İ``
in front of "You are an idiot" make it confidently Turkish, a few Sorani letters make
an Arabic insult Sorani (held unread, or approved under ``approve_unless_terms``), the
website's tag ``en`` sends the short Turkish "siktir git" to the English model, and an
Arabic insult at the end of an English sentence is never read at all. So a comment is
also read, by the models the version has, as

- the detection library's own first choice, when the letter and word evidence
  overruled it ("İİİ You are an idiot": English), and the detector's best guess,
  when the website's tag routed the comment elsewhere ("siktir git" tagged ``en``);
- Turkish, when either of those is Kurmanji, which has no model and whose readers
  mix in Turkish ("salak herif");
- English, when a Latin-script comment another model reads holds an English
  pronoun of address or strong English profanity ("Teşekkürler. Kill yourself");
  Arabic, when an Arabic-script comment another model reads (or none) holds an
  Arabic function word, which Persian and Sorani do not use;
- Turkish, when a comment the English model reads holds a Turkish swear word
  (:mod:`.swearing`), Cyrillic look-alike letters read as Latin ("Great reporting
  today, ѕiktir git");
- the words of the other script, in a comment that mixes scripts, with the rest
  blanked: Arabic-script words by the Arabic model, Latin-script ones by the English
  model (the Turkish one when they are Turkish or swear in Turkish). At least two
  words, and Latin ones not all capitalised unless they swear: a title or a name
  ("Kill Bill", "Sex and the City") read alone is no comment.

A second reading may hold a comment that the first would approve, never reject it
(:func:`.policy.second_opinion`): it is the reading that the evidence argued against.
The English model never reads Arabic script, nor the Arabic model Latin letters.
Ordinary comments have none: English, Turkish and Arabic text is the library's first
choice too, and in a single script.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .language import (
    ARABIC_SCRIPT,
    LATIN_SCRIPT,
    NOT_TEXT,
    Detection,
    detect_language,
    has_arabic_words,
    has_letters,
    word_script,
)
from .lexicon import STRONG_PROFANITY, STRONG_SLURS, STRONG_VULGARITY
from .normalize import fold_lookalikes
from .script_normalize import normalize_turkish
from .swearing import swears

ENGLISH, TURKISH, ARABIC = "en", "tr", "ar"
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")
# who reads a script's words when the detector cannot place them
_SCRIPT_READER = {ARABIC_SCRIPT: ARABIC, LATIN_SCRIPT: ENGLISH}
# the model that reads a language without one, among its script's readers
_NEIGHBOUR = {"kmr": TURKISH}
_STRONG_ENGLISH = STRONG_PROFANITY | STRONG_VULGARITY | STRONG_SLURS
_ADDRESS = frozenset({"you", "your", "yours", "yourself", "yourselves"})
_MIN_SEGMENT_WORDS = 2


@dataclass(frozen=True, slots=True)
class Reading:
    """Another model's reading of a comment: ``text`` is the comment's scoring copy, with
    the words this reading leaves out blanked (same length, so offsets still hold)."""

    language: str
    text: str


def second_readings(
    text: str, detection: Detection, reader: str | None, available: Collection[str]
) -> list[Reading]:
    """The readings of ``text`` (the scoring copy of a comment whose detection is
    ``detection``) other than by ``reader``, the model that judges it (None: none does),
    by models in ``available``."""
    guesses = [detection.library, detection.candidate]
    languages = guesses + [_NEIGHBOUR[g] for g in guesses if g in _NEIGHBOUR]
    if detection.script == LATIN_SCRIPT and reader != ENGLISH and _english_words(text):
        languages.append(ENGLISH)
    if detection.script == ARABIC_SCRIPT and reader != ARABIC and has_arabic_words(text):
        languages.append(ARABIC)
    lookalike = fold_lookalikes(text)
    if reader == ENGLISH and _swears_in_turkish(lookalike):
        languages.append(TURKISH)
    readings: list[Reading] = []
    seen = {reader}
    for language in languages:
        if language in available and language not in seen:
            seen.add(language)
            readings.append(Reading(language, lookalike if language == TURKISH else text))
    other = _other_script(text, detection.script)
    if other is not None:
        language = _reader_of(*other)
        if language in available:
            readings.append(Reading(language, other[1]))
    return readings


def _english_words(text: str) -> bool:
    words = {w.lower() for w in _LETTERS.findall(text)}
    return bool(words & _ADDRESS or words & _STRONG_ENGLISH)


def _swears_in_turkish(text: str) -> bool:
    # not the short ones ("amk", "mk", "sg", "bok"): English has them as abbreviations
    words = [w for w in normalize_turkish(text).text.split() if len(w) > 3]
    return swears(words, TURKISH)


def _other_script(text: str, script: str) -> tuple[str, str] | None:
    """(the other script, ``text`` with only its words kept), when ``text`` has enough of
    them to be read: two words or more, and in Latin script not a title or a name."""
    if not script:
        return None
    other = LATIN_SCRIPT if script == ARABIC_SCRIPT else ARABIC_SCRIPT
    if not has_letters(text, other):  # nearly every comment: no word to look at
        return None
    words = _WORD.finditer(NOT_TEXT.sub(lambda m: " " * len(m.group()), text))
    kept = [m for m in words if word_script(m.group()) == other]
    if len(kept) < _MIN_SEGMENT_WORDS:
        return None
    chars = [" "] * len(text)
    for m in kept:
        chars[m.start() : m.end()] = m.group()
    segment = "".join(chars)
    if other == LATIN_SCRIPT and _title_like(kept) and not _english_words(segment):
        return None
    return other, segment


def _title_like(words: list[re.Match]) -> bool:
    """Every word long enough to matter starts with a capital: "Sex and the City"."""
    return all(w.group()[0].isupper() for w in words if len(w.group()) > 3)


def _reader_of(script: str, segment: str) -> str:
    detection = detect_language(segment)  # one script: a confident answer is in it
    if detection.confident:
        return detection.code
    if script == LATIN_SCRIPT and _swears_in_turkish(fold_lookalikes(segment)):
        return TURKISH
    return _SCRIPT_READER[script]
