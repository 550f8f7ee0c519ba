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


_CHAR_CACHES: tuple[dict[str, str], dict[str, str]] = ({}, {})  # per table: char -> copy


def _emit_text(text: str, offset: int, table: dict[str, str], tag: int, out, starts, ends):
    """Append the mapped characters of ``text`` (at ``offset`` in the original) to the copy."""
    if not text:
        return
    cache = _CHAR_CACHES[tag]
    pieces = [cache.get(c) for c in text]
    if None in pieces:
        for i, piece in enumerate(pieces):
            if piece is None:
                piece = pieces[i] = _map_char(text[i], table)
                if len(cache) < 20_000:
                    cache[text[i]] = piece
    joined = "".join(pieces)
    n = len(text)
    if len(joined) == n and "" not in pieces:  # one character for one: the common case
        out.extend(joined)
        starts.extend(range(offset, offset + n))
        ends.extend(range(offset + 1, offset + n + 1))
        return
    for i, mapped in enumerate(pieces):
        position = offset + i
        if not mapped:
            # a dropped mark inside a word (harakat, tatweel) belongs to the letter before it
            if ends and ends[-1] == position and text[i] not in _INVISIBLE and out[-1].isalpha():
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


_RUN = re.compile(r"([^\W\d_])\1{2,}")  # a letter three or more times in a row


def _collapse_runs(text: str, starts: list[int], ends: list[int], keep: int):
    """Runs of three or more equal letters shortened to ``keep``; the last kept letter
    maps to the rest of the run."""
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    at = 0
    for match in _RUN.finditer(text):
        a, b = match.span()
        pieces += [text[at:a], match.group(1) * keep]
        new_starts += starts[at:a] + starts[a : a + keep]
        new_ends += ends[at:a] + ends[a : a + keep - 1] + [ends[b - 1]]
        at = b
    pieces.append(text[at:])
    return "".join(pieces), new_starts + starts[at:], new_ends + ends[at:]


def normalize_arabic(text: str) -> ScriptNormalized:
    """The scoring copy of an Arabic comment (see the module docstring)."""
    out, starts, ends = _mask(text, _ARABIC, 0)
    joined = "".join(out)
    if _RUN.search(joined):
        joined, starts, ends = _collapse_runs(joined, starts, ends, 2)
    return ScriptNormalized(joined, starts, ends)


_LEET_CHAR = re.compile(r"(?<=[^\W\d_])[013457@$!](?=[^\W\d_])")  # between two letters


def _unleet(text: str) -> str:
    """A leetspeak character between two letters becomes the letter (same length)."""
    return _LEET_CHAR.sub(lambda m: _LEET[m.group()], text)


def normalize_turkish(text: str) -> ScriptNormalized:
    """The scoring copy of a Turkish comment (see the module docstring)."""
    out, starts, ends = _mask(text, _TURKISH, 1)
    joined = _unleet("".join(out))
    if _RUN.search(joined):
        joined, starts, ends = _collapse_runs(joined, starts, ends, 1)
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
