"""Scoring copies of Arabic and Turkish comments, with a map back to the original text.

The English model has :mod:`service.moderation.normalize`; this module does the same
job for the Arabic and Turkish models (:mod:`service.moderation.language_model`).
The original text is never changed: :func:`normalize_arabic` and
:func:`normalize_turkish` return a :class:`ScriptNormalized` copy in which every
character records the span of original code points it came from, so evidence
found in the copy is reported as offsets into the original.

Both normalisers first mask platform cues, which say where a comment was posted,
not what it says: mentions (``@USER``, MPOLD's ``@User.IDX``, any ``@name``) become
``xuserx``, links and the corpora's literal ``URL`` become ``xurlx``; ``RT @name:``
is dropped, ``<LF>`` (a line break in the Arabic tweets) becomes a space, HTML
entities are decoded, ``#`` and ``_`` in hashtags become spaces.  Invisible marks
(bidi controls, zero-width characters, U+FEFF, the Arabic letter mark) are dropped
everywhere.

Arabic (:func:`normalize_arabic`):

- harakat and other Quranic marks, the superscript alef and tatweel are dropped;
- alef variants ``أ إ آ ٱ`` -> ``ا``; alef maksura and Persian yeh ``ى ی`` -> ``ي``;
  hamza on a carrier ``ؤ`` -> ``و``, ``ئ`` -> ``ي``; Persian kaf ``ک`` -> ``ك``;
  teh marbuta ``ة`` -> ``ه`` (the policy chosen: ``ة`` and ``ه`` are swapped freely
  at the end of words in dialect writing, so folding them joins the two spellings);
- presentation forms (ligatures such as ``ﻻ``) are unfolded (NFKC), Eastern Arabic
  and Persian digits become ASCII digits, Arabic punctuation becomes ASCII;
- a letter stretched over three or more repeats keeps two (``حلووووو`` -> ``حلوو``;
  two, not one, so that ``الله`` survives ``اللللله``);
- Latin letters are lower-cased.

Turkish (:func:`normalize_turkish`):

- Turkish-aware lower case: ``I`` -> ``ı``, ``İ`` -> ``i`` (Python's ``str.lower`` turns
  ``I`` into ``i`` and ``İ`` into ``i`` plus a combining dot), so ``yavşAK`` reads
  ``yavşak``; circumflexes ``â î û`` are dropped;
- a letter repeated three or more times keeps one (``çoook`` -> ``çok``,
  ``yavşaaaak`` -> ``yavşak``): Turkish spells no letter three times;
- a digit or ``@ $ !`` between two letters is read as the letter it stands for
  (``s1kt1r`` -> ``siktir``, ``@`` only inside a word, never a mention).

:func:`fold_turkish` maps the copy, character for character, to ASCII-only Turkish
(``ı`` -> ``i``, ``ş`` -> ``s``, ...), as tweets typed on a non-Turkish keyboard spell
it; the Turkish model reads its character n-grams from that folded copy.

Example::

    >>> n = normalize_turkish("@USER sen tam bir yavşAK")
    >>> n.text
    ' xuserx  sen tam bir yavşak'
    >>> n.original_span(21, 27)
    (18, 24)
"""

from __future__ import annotations

import html
import re
import unicodedata

USER_TOKEN, URL_TOKEN = "xuserx", "xurlx"
PLACEHOLDERS = frozenset({USER_TOKEN, URL_TOKEN})


class ScriptNormalized:
    """A normalised copy and, per character of it, the original span it came from.

    ``starts[i]`` and ``ends[i]`` are the first and one-past-the-last original code
    points behind character ``i`` of :attr:`text`.
    """

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: list[int], ends: list[int]):
        self.text = text
        self.starts = starts
        self.ends = ends

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``[start, end)`` of the copy to a span of the original text."""
        if end <= start:
            raise ValueError("empty span")
        return self.starts[start], self.ends[end - 1]

    def __repr__(self) -> str:
        return f"ScriptNormalized({self.text!r})"


# --- platform cues and markup (on the original text) ----------------------------------------
_CUE = re.compile(
    r"(?P<rt>\bRT\s*@\w{1,30}:?)"
    r"|(?P<user>@[Uu][Ss][Ee][Rr](?:\.IDX)?\b|(?<![\w.])@\w{1,30})"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"']+|\bURL\b)"
    r"|(?P<lf><LF>|<br\s*/?>)"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});)"
)

# --- per character ----------------------------------------------------------------------------
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufe0e\ufe0f"
)
_COMMON = {c: "" for c in _INVISIBLE}
_COMMON.update({"#": " ", "_": " ", "\u00a0": " ", "\t": " ", "\n": " ", "\r": " "})

_ARABIC = dict(_COMMON)
for _code in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]:
    _ARABIC[chr(_code)] = ""  # harakat, Quranic annotation marks, superscript alef
_ARABIC["\u0640"] = ""  # tatweel
_ARABIC.update(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ڪ": "ك",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ھ": "ه",
        "،": ",",
        "؛": ";",
        "؟": "?",
        "٪": "%",
        "«": '"',
        "»": '"',
    }
)
for _i in range(10):
    _ARABIC[chr(0x0660 + _i)] = str(_i)  # Eastern Arabic digits
    _ARABIC[chr(0x06F0 + _i)] = str(_i)  # Persian digits

_TURKISH = dict(_COMMON)
_TURKISH.update({"I": "ı", "İ": "i", "â": "a", "Â": "a", "î": "i", "Î": "i", "û": "u", "Û": "u"})
_TURKISH.update({"\u0307": ""})  # a stray combining dot above (as in "i̇")

_FOLD = str.maketrans("ıişsğgçcöoüu", "iissggccoouu")
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}


def fold_turkish(text: str) -> str:
    """``text`` with Turkish letters folded to ASCII (``ı ş ğ ç ö ü`` -> ``i s g c o u``).

    One character for one, so offsets of the normalised copy stay valid.
    """
    return text.translate(_FOLD)


def _map_char(char: str, table: dict[str, str]) -> str:
    mapped = table.get(char)
    if mapped is not None:
        return mapped
    if char.isascii():
        return char.lower()
    code = ord(char)
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFC or 0xFF00 <= code <= 0xFFEF:
        # presentation forms and full-width letters: unfold, then map each result
        return "".join(table.get(c, c) for c in unicodedata.normalize("NFKC", char)).lower()
    category = unicodedata.category(char)
    if category == "Cf" or category == "Cc":
        return ""
    if category == "Zs":
        return " "
    return char.lower()


_CHAR_CACHE: dict[tuple[int, str], str] = {}


def _emit_text(text: str, offset: int, table: dict[str, str], tag: int, out, starts, ends):
    cache = _CHAR_CACHE
    for i, char in enumerate(text):
        key = (tag, char)
        mapped = cache.get(key)
        if mapped is None:
            mapped = _map_char(char, table)
            if len(cache) < 20_000:
                cache[key] = mapped
        position = offset + i
        if not mapped:
            # a dropped mark inside a word (harakat, tatweel) belongs to the letter before it
            if ends and ends[-1] == position and char not in _INVISIBLE and out[-1].isalpha():
                ends[-1] = position + 1
            continue
        for c in mapped:
            out.append(c)
            starts.append(position)
            ends.append(position + 1)


def _mask(text: str, table: dict[str, str], tag: int):
    """Platform cues masked, markup removed, every character mapped through ``table``."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for match in _CUE.finditer(text):
        a, b = match.span()
        _emit_text(text[at:a], at, table, tag, out, starts, ends)
        kind = match.lastgroup
        if kind == "user":
            replacement = f" {USER_TOKEN} "
        elif kind == "url":
            replacement = f" {URL_TOKEN} "
        elif kind == "entity":
            decoded = html.unescape(match.group(0))
            replacement = "".join(_map_char(c, table) for c in decoded)
        else:
            replacement = " "
        for c in replacement:
            out.append(c)
            starts.append(a)
            ends.append(b)
        at = b
    _emit_text(text[at:], at, table, tag, out, starts, ends)
    return out, starts, ends


def _collapse_runs(out: list[str], starts: list[int], ends: list[int], keep: int):
    """Runs of three or more equal letters shortened to ``keep``; the last kept letter
    maps to the rest of the run."""
    n = len(out)
    if n < 3:
        return out, starts, ends
    new_out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    i = 0
    while i < n:
        j = i + 1
        char = out[i]
        while j < n and out[j] == char:
            j += 1
        if j - i >= 3 and char.isalpha():
            for k in range(keep):
                new_out.append(char)
                new_starts.append(starts[i + k])
                new_ends.append(ends[i + k] if k < keep - 1 else ends[j - 1])
        else:
            new_out.extend(out[i:j])
            new_starts.extend(starts[i:j])
            new_ends.extend(ends[i:j])
        i = j
    return new_out, new_starts, new_ends


def _has_run(text: str) -> bool:
    return _RUN.search(text) is not None


_RUN = re.compile(r"(\w)\1\1")


def normalize_arabic(text: str) -> ScriptNormalized:
    """The scoring copy of an Arabic comment (see the module docstring)."""
    out, starts, ends = _mask(text, _ARABIC, 0)
    joined = "".join(out)
    if _has_run(joined):
        out, starts, ends = _collapse_runs(out, starts, ends, 2)
        joined = "".join(out)
    return ScriptNormalized(joined, starts, ends)


def _unleet(out: list[str]) -> None:
    """A leetspeak character between two letters becomes the letter (in place)."""
    for i in range(1, len(out) - 1):
        mapped = _LEET.get(out[i])
        if mapped and out[i - 1].isalpha() and out[i + 1].isalpha():
            out[i] = mapped


def normalize_turkish(text: str) -> ScriptNormalized:
    """The scoring copy of a Turkish comment (see the module docstring)."""
    out, starts, ends = _mask(text, _TURKISH, 1)
    _unleet(out)
    joined = "".join(out)
    if _has_run(joined):
        out, starts, ends = _collapse_runs(out, starts, ends, 1)
        joined = "".join(out)
    return ScriptNormalized(joined, starts, ends)


NORMALIZERS = {"ar": normalize_arabic, "tr": normalize_turkish}


def normalizer_for(language: str):
    """The normaliser of a language code (``ar`` or ``tr``)."""
    try:
        return NORMALIZERS[language]
    except KeyError:
        raise ValueError(f"no script normaliser for {language!r}") from None


__all__ = [
    "PLACEHOLDERS",
    "ScriptNormalized",
    "URL_TOKEN",
    "USER_TOKEN",
    "fold_turkish",
    "normalize_arabic",
    "normalize_turkish",
    "normalizer_for",
]
