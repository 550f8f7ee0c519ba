"""The copy of a comment that scoring sees, with a map back to the original text.

Scoring never sees the raw text.  :func:`normalize` produces a lower-case copy in
which evasions and corpus artefacts are undone, and records for every character
of the copy the span of original code points it came from, so evidence found in
the copy can be reported as offsets into the original.

What it undoes, in order:

1. HTML: tags are dropped (a link's ``href`` is kept), entities are decoded.
2. Tweet artefacts are dropped: ``RT @name:``, OLID's literal ``URL`` and Twitter's
   ``t.co`` media links.  Tweets carry them whatever they say, so as features they
   would only teach the promotion head that links mean "a tweet, so not spam".
3. Unicode: invisible marks (zero-width, U+FEFF, U+2066..U+2069, other format
   characters) removed; NFKC; accents stripped; Cyrillic/Greek lookalikes mapped
   to Latin letters; lower case.
4. Contacts become placeholder tokens: links ``xurlx``, e-mail ``xemailx``, phone
   numbers ``xphonex``, messaging handles ``xhandlex``.  Other ``@mentions`` are
   dropped (in tweets they are an artefact, not a signal); ``#tags`` keep their word.
5. Letters split by spaces or dots (``f u c k``, ``f.u.c.k``) are joined when the
   result is a known word.
6. Masked and stretched tokens (``sh1t``, ``f*ck``, ``@ss``, ``fuuuck``) are resolved
   against :mod:`service.moderation.lexicon`; other digits between letters are read
   as leetspeak (``h3llo`` -> ``hello``).

Example::

    >>> n = normalize("You are an @$$h0le")
    >>> n.text
    'you are an asshole'
    >>> n.original_span(11, 18)
    (11, 18)
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

from .lexicon import FORM_SET, FORMS

URL_TOKEN, EMAIL_TOKEN, PHONE_TOKEN, HANDLE_TOKEN = "xurlx", "xemailx", "xphonex", "xhandlex"
PLACEHOLDERS = frozenset({URL_TOKEN, EMAIL_TOKEN, PHONE_TOKEN, HANDLE_TOKEN})


class Normalized:
    """A normalised copy of a text and the edits that made it.

    The offset map is not materialised: :meth:`original_span` walks the recorded
    edits back, stage by stage, so normalising costs little more than the regex
    substitutions themselves.
    """

    __slots__ = ("text", "_stages")

    def __init__(self, text: str, stages: list):
        self.text = text
        self._stages = stages

    def _back(self, position: int, low: bool) -> int:
        """Where character ``position`` of the copy came from: the first original index
        (``low``) or one past the last."""
        for starts, edits in reversed(self._stages):
            mapped = _map_back(starts, edits, position, low)
            position = mapped if low else mapped - 1
        return position if low else position + 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``[start, end)`` of the copy to a span of the original text."""
        if end <= start:
            raise ValueError("empty span")
        return self._back(start, True), self._back(end - 1, False)

    @property
    def starts(self) -> list[int]:
        return [self._back(i, True) for i in range(len(self.text))]

    @property
    def ends(self) -> list[int]:
        return [self._back(i, False) for i in range(len(self.text))]


def _map_back(starts: list[int], edits: list, position: int, low: bool) -> int:
    """One stage back: the first (``low``) or one past the last old index of a new character."""
    i = bisect_right(starts, position) - 1
    if i < 0:
        return position if low else position + 1
    new_a, new_b, old_a, old_b, positions = edits[i]
    if position >= new_b:  # after the edit: shifted by its length change
        old = position - new_b + old_b
        return old if low else old + 1
    offset = position - new_a
    if positions is not None:
        old = old_a + positions[offset]
        return old if low else old + 1
    if new_b - new_a == old_b - old_a:
        return old_a + offset if low else old_a + offset + 1
    return old_a if low else old_b


def _edit(text: str, stages: list, pattern: re.Pattern, repl) -> str:
    """Replace every match of ``pattern`` by ``repl(match)`` and record the edits in ``stages``.

    ``repl`` returns None (keep), a string (a same-length string maps character by
    character, any other maps every new character to the whole match), or a pair
    ``(string, positions)`` giving, per new character, its index within the match.
    """
    edits: list = []
    delta = 0

    def substitute(match: re.Match) -> str:
        nonlocal delta
        old = match.group(0)
        out = repl(match)
        if out is None:
            return old
        positions = None
        if isinstance(out, tuple):
            out, positions = out
        if out == old:
            return old
        a, b = match.span()
        edits.append((a + delta, a + delta + len(out), a, b, positions))
        delta += len(out) - (b - a)
        return out

    new = pattern.sub(substitute, text)
    if edits:
        stages.append(([e[0] for e in edits], edits))
    return new


# --- 1. HTML -------------------------------------------------------------------------------
_TAG = re.compile(
    r"<(?:a\s[^<>]*?href\s*=\s*[\"']?([^\"'\s<>]+)[^<>]*|/?[a-zA-Z][^<>]{0,300}|!--.*?--)>",
    re.S,
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")


def _tag(match: re.Match) -> str:
    return f" {match.group(1)} " if match.group(1) else " "


def _entity(match: re.Match) -> str:
    return html.unescape(match.group(0))


# --- 2. tweet artefacts (case-sensitive, before lower-casing) -------------------------------
_ARTEFACT = re.compile(r"\bRT\s*@\w{1,30}:?|\bURL\b|(?i:https?://t\.co/\w*)")


def _artefact(match: re.Match) -> str:
    return " "


# --- 3. Unicode -----------------------------------------------------------------------------
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "з": "3",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "ɡ": "g",
        "ԛ": "q",
        "ԝ": "w",
        "ь": "b",
        "п": "n",
        "г": "r",
        "и": "u",
        "л": "n",
        "д": "d",
        # Greek
        "α": "a",
        "β": "b",
        "γ": "y",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "ς": "s",
        "σ": "o",
        "μ": "u",
        "λ": "a",
        "δ": "d",
        "θ": "o",
        "π": "n",
        # Latin lookalikes and symbols
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ŧ": "t",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ſ": "s",
        "ɑ": "a",
        "ɩ": "i",
        "ʋ": "u",
        "ᴀ": "a",
        "ʙ": "b",
        "ᴄ": "c",
        "ᴅ": "d",
        "ᴇ": "e",
        "ғ": "f",
        "ɢ": "g",
        "ʜ": "h",
        "ɪ": "i",
        "ᴊ": "j",
        "ᴋ": "k",
        "ʟ": "l",
        "ᴍ": "m",
        "ɴ": "n",
        "ᴏ": "o",
        "ᴘ": "p",
        "ʀ": "r",
        "ᴛ": "t",
        "ᴜ": "u",
        "ᴠ": "v",
        "ᴡ": "w",
        "ʏ": "y",
        "ᴢ": "z",
        "‘": "'",
        "’": "'",
        "‚": ",",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
    }
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


_LOOKALIKES = {k: v for k, v in _CONFUSABLES.items() if len(v) == 1}


def fold_lookalikes(text: str) -> str:
    """``text`` with the Cyrillic and Greek letters that look Latin made Latin, one for one
    (the same length, so offsets hold): "ѕiktir" is "siktir"."""
    return text.translate(_LOOKALIKES)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One non-ASCII character as the copy shows it ('' for invisible marks)."""
    if unicodedata.category(char) in ("Cf", "Mn", "Me", "Cc", "Zl", "Zp") and char not in "\u200d":
        return ""
    if char == "\u200d":  # zero-width joiner: invisible, also inside emoji sequences
        return ""
    decomposed = unicodedata.normalize("NFKD", char.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", stripped).lower().translate(_CONFUSABLES)
    if folded.isspace():
        return " "
    return folded


def _unicode(match: re.Match) -> str:
    return _fold_char(match.group(0))


# --- 4. contacts ----------------------------------------------------------------------------
_EMAIL = re.compile(r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
# top-level domains of a bare link ("cheap-likes.com", "ihec.iq"): the common and generic
# ones spam uses, the region's country codes (.krd, .iq, .tr, .ir ...) and .example (reserved
# for examples, as in our own test sets); no others, so "too much.i" or "store.like" in a
# hurried message is no link
TLDS = (
    r"(?:com|net|org|info|biz|io|co|me|tv|xyz|top|shop|store|online|site|app|dev|link|click|"
    r"live|club|news|blog|vip|pro|tk|ly|to|gl|cc|ws|be|ru|cn|de|fr|uk|us|eu|int|gov|edu|"
    r"iq|krd|tr|ir|sy|ae|sa|eg|jo|lb|kw|qa|af|example)"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|\b[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.{TLDS}\b(?:/[^\s<>\"']*)?"
)
_TLD = re.compile(rf"\.{TLDS}\b")
# The same links in original text (any case), for the policy's link switch: one definition.
LINK_PATTERN = re.compile(_URL.pattern, re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s\-.()]{0,2}\d){8,13}(?!\w)")
_PHONE_GATE = re.compile(r"\d(?:[\s\-.()]{0,2}\d){8}")
_MENTION = re.compile(r"(?<![a-z0-9_])@[a-z0-9_]{1,30}")
_APPS = re.compile(
    r"\b(?:snap(?:chat)?|sc|kik|insta(?:gram)?|ig|whats ?app|telegram|skype|wechat|twitter|"
    r"tiktok|facebook|fb|add|follow|contact|message|dm|hmu)\b"
)
_HASH = re.compile(r"(?<![a-z0-9])#(?=[a-z])")


def _mention(text: str):
    def repl(match: re.Match):
        word = match.group(0)
        resolved = _resolve_token(word)  # "@ss" is a word, not a mention
        if resolved != word:
            return resolved
        if _APPS.search(text, max(0, match.start() - 25), match.start()):
            return f" {HANDLE_TOKEN} "
        return " "

    return repl


def _placeholder(token: str):
    out = f" {token} "
    return lambda match: out


_EMAIL_REPL = _placeholder(EMAIL_TOKEN)
_URL_REPL = _placeholder(URL_TOKEN)
_PHONE_REPL = _placeholder(PHONE_TOKEN)


# --- 5. spaced letters ----------------------------------------------------------------------
# one separator throughout ("s.t.u.p.i.d", "b r e a k"), so "is a s.t.u.p.i.d" is not read
# from the lone "a"
_SPACED = re.compile(
    r"(?<![\w@$*!])[a-z0-9@$*!](?P<sep>[ .\-_,·•|/])[a-z0-9@$*!]"
    r"(?:(?P=sep)[a-z0-9@$*!])+(?![\w@$*])"
)


def _spaced(match: re.Match):
    chars = match.group(0)[::2]
    word = _resolve_token(chars)
    if word in FORM_SET:
        return word, list(range(0, len(match.group(0)), 2))[: len(word)]
    return None


# --- 6. masked and stretched tokens ---------------------------------------------------------
_E = r"(?:[a-z0-9@$*#_|+]|!(?=[a-z]))"
# a token with a digit, a symbol or a run of three equal letters in it (others need no work)
_SUSPECT_TOKEN = re.compile(
    rf"(?<![a-z0-9@$*#_|+]){_E}*?(?:[0-9@$*#_|+]|!(?=[a-z])|([a-z])\1\1){_E}*"
)
_SYMBOL = re.compile(r"[0-9@$*#_|+!]")
_ANY_CHAR = re.compile(r"[^a-z]")
_LEET = {
    "0": "o",
    "1": "il",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "il",
    "+": "t",
    "#": None,
    "*": None,
    "_": None,
}
_LEET_DEFAULT = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "!": "i",
}
_FORMS_BY_LENGTH: dict[int, tuple[str, ...]] = {}
for _form in FORMS:
    _FORMS_BY_LENGTH.setdefault(len(_form), ())
    _FORMS_BY_LENGTH[len(_form)] += (_form,)
_RUN = re.compile(r"([a-z])\1{2,}")
_FORM_RANK = {word: rank for rank, word in enumerate(FORMS)}
# two or more wildcards in a row between letters: a masker's stars need not count the
# letters ("bulls***t"); markdown's "**bold**" and "__name__" have none on one side
_WILDCARD_RUN = re.compile(r"(?<=[^\W\d_])[*#_]{2,}(?=[^\W\d_])")
_ANY_RUN = re.compile(r"(.)\1*", re.S)


def _matches(token: str, word: str) -> bool:
    for t, w in zip(token, word, strict=True):
        if t == w:
            continue
        options = _LEET.get(t, "")
        if options is None:  # a wildcard (*, #, _) stands for any letter
            continue
        if w not in options:
            return False
    return True


def _unmask(token: str) -> str:
    """A same-length reading of a token with digits or symbols in it."""
    if token.isalpha():
        return token
    for word in _FORMS_BY_LENGTH.get(len(token), ()):
        if _matches(token, word):
            return word
    chars = list(token)
    for i in range(1, len(chars) - 1):
        if chars[i] in _LEET_DEFAULT and chars[i - 1].isalpha() and chars[i + 1].isalpha():
            chars[i] = _LEET_DEFAULT[chars[i]]
    return "".join(chars)


def _collapse(token: str, keep: int) -> tuple[str, list[int]]:
    """Shorten runs of three or more equal letters to ``keep`` letters, with positions."""
    chars: list[str] = []
    positions: list[int] = []
    for run in _ANY_RUN.finditer(token):
        length = run.end() - run.start()
        if length >= 3 and run.group(0)[0].isalpha():
            length = keep
        chars.append(run.group(0)[:length])
        positions.extend(range(run.start(), run.start() + length))
    return "".join(chars), positions


@lru_cache(maxsize=65536)
def _resolve(token: str) -> tuple[str, list[int] | None]:
    """The word a masked or stretched token stands for, and per letter its index in the token.

    Positions are None when the word has the token's length (one letter per character).
    """
    if not any(c.isalpha() for c in token):
        return token, None
    if _RUN.search(token):
        fallback = None
        for keep in (2, 1):
            collapsed, positions = _collapse(token, keep)
            word = _unmask(collapsed)
            if word in FORM_SET:
                return word, positions
            fallback = fallback or (word, positions)
        return fallback
    word = _unmask(token)
    run = None if word in FORM_SET else _WILDCARD_RUN.search(token)
    return (run and _fewer_wildcards(token, run)) or (word, None)


def _fewer_wildcards(token: str, run: re.Match) -> tuple[str, list[int]] | None:
    """The known word the token's wildcard ``run`` stands for when it has one to three
    letters fewer than stars (``bulls***t`` is ``bullshit``), with per letter its index; of
    several, the lexicon's first (``f****k`` is ``fuck``, not ``freak``)."""
    found = []
    for drop in range(1, min(3, run.end() - run.start() - 1) + 1):
        positions = [*range(run.start()), *range(run.start() + drop, len(token))]
        word = _unmask("".join(token[i] for i in positions))
        if word in FORM_SET:
            found.append((_FORM_RANK[word], word, positions))
    return min(found)[1:] if found else None


def _resolve_token(token: str) -> str:
    return _resolve(token)[0]


def _token(match: re.Match):
    word, positions = _resolve(match.group(0))
    return (word, positions) if positions is not None else word


# --- the pipeline ---------------------------------------------------------------------------
def normalize(text: str) -> Normalized:
    """The scoring copy of ``text`` with its offset map (see the module docstring)."""
    stages: list = []
    if "<" in text:
        text = _edit(text, stages, _TAG, _tag)
    if "&" in text:
        text = _edit(text, stages, _ENTITY, _entity)
    if "RT" in text or "URL" in text or "t.co/" in text:
        text = _edit(text, stages, _ARTEFACT, _artefact)
    if not text.isascii():
        text = _edit(text, stages, _NON_ASCII, _unicode)
    lowered = text.lower()
    if len(lowered) == len(text):
        text = lowered
    else:  # a few characters (e.g. U+0130) grow when lower-cased
        text = _edit(text, stages, _ANY_CHAR, lambda m: m.group(0).lower())
    if "@" in text:
        text = _edit(text, stages, _EMAIL, _EMAIL_REPL)
    if "http" in text or "www" in text or _TLD.search(text):
        text = _edit(text, stages, _URL, _URL_REPL)
    if _PHONE_GATE.search(text):
        text = _edit(text, stages, _PHONE, _PHONE_REPL)
    if "@" in text:
        text = _edit(text, stages, _MENTION, _mention(text))
    if "#" in text:
        text = _edit(text, stages, _HASH, lambda m: "")
    text = _edit(text, stages, _SPACED, _spaced)
    if _SYMBOL.search(text) or _RUN.search(text):
        text = _edit(text, stages, _SUSPECT_TOKEN, _token)
    return Normalized(text, stages)


def normalize_text(text: str) -> str:
    """Only the normalised copy (what the vectorizers see)."""
    return normalize(text).text


def normalize_batch(texts) -> list[str]:
    """``normalize_text`` over an iterable; the first step of the saved pipeline."""
    return [normalize(text).text for text in texts]
