"""Second readings: what else a comment could be read as, so that a few planted letters
cannot choose the model that judges it.

A comment is judged by the model of its routed language
(:func:`.language.routing_language`), and letters can move that: three Turkish ``İ``
in front of "You are an idiot" make it confidently Turkish, a few Sorani letters make
an Arabic insult Sorani (held unread, or approved under ``approve_unless_terms``), the
website's tag ``en`` sends the short Turkish "siktir git" to the English model, and an
Arabic insult at the end of an English sentence is never read at all. So a comment is
also read, by the models the version has, as

- the detection library's own first choice, when the letter and word evidence
  overruled it ("İİİ You are an idiot": English);
- the detector's best guess, when it was not sure and the website's tag routed the
  comment elsewhere ("siktir git" tagged ``en``: Turkish);
- Turkish, when a comment the English model reads holds a Turkish swear word
  (:mod:`.swearing`): "Great reporting today, siktir git";
- the words of the other script, in a comment that mixes scripts: Arabic-script words
  by the Arabic model, Latin-script ones by the English model (or by the Turkish one
  when they are confidently Turkish), each with the rest of the comment blanked.

A second reading may hold a comment that the first would approve, never reject it
(:func:`.policy.second_opinion`): it is the reading that the evidence argued against.
The English model never reads Arabic script, nor the Arabic model Latin letters.
Ordinary comments have no second reading: English, Turkish and Arabic text is the
library's first choice too, and a single script.
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
    word_script,
)
from .script_normalize import normalize_turkish
from .swearing import swears

_WORD = re.compile(r"\S+")
ENGLISH, TURKISH = "en", "tr"
# who reads a script's words when the detector cannot place them
_SCRIPT_READER = {ARABIC_SCRIPT: "ar", LATIN_SCRIPT: "en"}


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
    readings: list[Reading] = []
    seen = {reader}
    turkish = TURKISH if reader == ENGLISH and _swears_in_turkish(text) else None
    for language in (detection.library, detection.candidate, turkish):
        if language in available and language not in seen:
            seen.add(language)
            readings.append(Reading(language, text))
    other = _other_script(text, detection.script)
    if other is not None:
        language = _reader_of(other[1], other[0])
        if language in available:
            readings.append(Reading(language, other[1]))
    return readings


def _swears_in_turkish(text: str) -> bool:
    # not the short ones ("amk", "mk", "sg", "bok"): English has them as abbreviations
    words = [w for w in normalize_turkish(text).text.split() if len(w) > 3]
    return swears(words, TURKISH)


def _other_script(text: str, script: str) -> tuple[str, str] | None:
    """(the other script, ``text`` with only its words kept), when ``text`` has any."""
    if not script:
        return None
    other = LATIN_SCRIPT if script == ARABIC_SCRIPT else ARABIC_SCRIPT
    words = _WORD.finditer(NOT_TEXT.sub(lambda m: " " * len(m.group()), text))
    kept = [m.span() for m in words if word_script(m.group()) == other]
    if not kept:
        return None
    chars = [" "] * len(text)
    for start, end in kept:
        chars[start:end] = text[start:end]
    return other, "".join(chars)


def _reader_of(text: str, script: str) -> str:
    detection = detect_language(text)  # one script: a confident answer is in it
    return detection.code if detection.confident else _SCRIPT_READER[script]
