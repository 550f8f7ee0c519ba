"""Operators' term lists, compiled once into matchers: blocklist hits and allowlisted spans.

Pure: the entries come in as values (the store reads them; see
:mod:`service.serving.term_lists`), the hits go out as spans of the ORIGINAL text.

How a text is read (:func:`fold`): every character is folded on its own, and the
copy remembers for each of its characters the original index it came from, so a
hit in the copy is reported as offsets into the text as submitted.

- Invisible marks are dropped: zero-width characters and joiners, bidi controls
  (U+200E/F, U+202A..E, U+2066..9), U+FEFF, and Arabic tatweel (U+0640).
- NFKC (Arabic presentation forms, full-width letters, ligatures), case folded,
  combining marks dropped: Latin accents (``ş`` -> ``s``, ``ê`` -> ``e``) and
  Arabic diacritics (harakat, shadda, sukun, superscript alef).
- Turkish dotted and dotless i are both ``i`` (``İ``, ``ı``, ``I``): ``yavşAK``,
  ``YAVŞAK`` and ``yavsak`` read alike.  Choose terms that stay unambiguous once
  accents and the dot are gone (``sik`` would also hit ``sık``, "often").
- Arabic-script letter variants: alef with hamza or madda and alef wasla -> ``ا``;
  alef maksura, Arabic and Persian yeh -> ``ی``; Arabic kaf -> ``ک``; teh marbuta,
  heh goal, heh doachashmee and Sorani ``ە`` -> ``ه``; waw with hamza -> ``و``;
  Arabic-Indic and Persian digits -> ``0-9``.
- Cyrillic and Greek lookalikes -> Latin letters (the English normaliser's table).

A term is compiled into a pattern on that copy that also accepts:

- leetspeak: a letter may be written as one of its usual stand-ins
  (``i`` as ``1 ! |``, ``a`` as ``@ 4``, ``s`` as ``$ 5``, ``o`` as ``0`` ...);
- stretched letters: each letter may repeat (``stuuuupid``, ``ااااحمق``);
- spacing: a one-word term whose every letter is separated by spaces, dots,
  dashes, underscores or similar (``i d i o t``, ``y.a.v.ş.a.k``); either every gap
  is a separator or none is, so "an al..." is not ``anal``;
- in a phrase, any run of spaces and punctuation between its words.

Word boundaries are Unicode letter classes, not ``\\b``: a hit must not have a
letter or digit (of any script) right before or after it, so an Arabic term
inside a longer Arabic word (``الكلب`` for ``كلب``) does not match; add the forms
with clitics you mean as entries of their own.

The allowlist is matched the same way (without the spacing variant).  A blocklist
hit that lies inside an allowlisted span does not count, and :meth:`TermLists.mask`
blanks allowlisted spans (same length, so offsets stay valid) in the copy the model
scores: "Scunthorpe" neither hits a term nor feeds the model its substring.

Example::

    >>> lists = compile_terms([BlockEntry("idiot", "personal_attack", "reject")], [])
    >>> [(h.start, h.end, h.category) for h in lists.find("You i.d.i.o.t!", "en")]
    [(4, 13, 'personal_attack')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .normalize import _CONFUSABLES
from .promotion import host_of, is_domain
from .types import CATEGORIES, Span

REJECT, HOLD = "reject", "hold"
ACTIONS = (REJECT, HOLD)
ALL_LANGUAGES = None
UNDETERMINED = "und"
MAX_TERM_LENGTH = 200
MAX_KEY_LENGTH = 400  # folding may lengthen a term (ß -> ss, ligatures): the stored key's limit

_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u0640")
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ی",
        "ي": "ی",
        "ې": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ە": "ه",
        "ؤ": "و",
        **{chr(0x660 + d): str(d) for d in range(10)},
        **{chr(0x6F0 + d): str(d) for d in range(10)},
    }
)
# one letter of a term -> the characters that may stand for it in a comment
_LEET = {
    "a": "@4",
    "b": "8",
    "e": "3",
    "g": "9",
    "i": "1!|l",
    "l": "1|",
    "o": "0",
    "s": "$5",
    "t": "7+",
    "z": "2",
}
# what may separate the letters of a spaced-out word, and the words of a phrase
_SEPARATOR = r"[\s.\-_*·•,|/\\~+]"
_GAP = r"[\W_]+"
# a letter or digit of any script: a hit must not touch one on either side
_NOT_BEFORE = r"(?<![^\W_])"
_NOT_AFTER = r"(?![^\W_])"


@lru_cache(maxsize=16384)
def _fold_char(char: str) -> str:
    if char in _INVISIBLE or char in _BIDI:
        return ""
    if char == "İ" or char == "ı":
        return "i"
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char)).casefold()
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", folded).translate(_CONFUSABLES)
    return folded.translate(_ARABIC_FOLD)


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded copy and, per character of the copy, the original index it came from."""

    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the copy's ``[start, end)`` came from."""
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    """The copy every term is matched on, with its map back (see the module docstring)."""
    if text.isascii():
        lowered = text.lower()
        return Folded(lowered, tuple(range(len(text))))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        out = _fold_char(char) if not char.isascii() else char.lower()
        chars.append(out)
        origin.extend([index] * len(out))
    return Folded("".join(chars), tuple(origin))


def fold_term(term: str) -> str:
    """The key of a term: folded, its words joined by single spaces (how duplicates are found)."""
    return " ".join(re.split(r"[\W_]+", fold(term.strip()).text)).strip()


def _letter(char: str, stretch: bool) -> str:
    options = char + _LEET.get(char, "")
    body = re.escape(char) if len(options) == 1 else "[" + re.escape(options) + "]"
    return body + "+" if stretch and char.isalpha() else body


def _trie(keys: Iterable[tuple[int, str]]) -> dict:
    root: dict = {}
    for index, key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = index  # the key ends here
    return root


def _trie_pattern(node: dict, spaced: bool, prefix: str, first: bool = True) -> str:
    """One regex for a trie of keys: the engine follows shared prefixes once, so a
    position that starts no term costs one character test, not one per term."""
    branches = []
    for char, child in sorted(node.items(), key=lambda item: item[0] == ""):
        if char == "":
            branches.append(f"(?P<{prefix}{child}>)")
        elif char == " ":
            branches.append(_GAP + _trie_pattern(child, spaced, prefix, False))
        elif spaced:  # a separator before every letter but the first
            gap = "" if first else f"{_SEPARATOR}+"
            branches.append(
                gap + _letter(char, False) + _trie_pattern(child, spaced, prefix, False)
            )
        else:
            branches.append(_letter(char, True) + _trie_pattern(child, spaced, prefix, False))
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _compile(keys: Sequence[str], spaced: bool) -> re.Pattern | None:
    """All ``keys`` in one pattern; a hit's group name (``p3`` or ``s3``) says which key."""
    if not keys:
        return None
    alternatives = [_trie_pattern(_trie(enumerate(keys)), False, "p")]
    # every letter apart ("i d i o t"): one-word terms of three letters or more
    singles = [(i, k) for i, k in enumerate(keys) if " " not in k and len(k) >= 3]
    if spaced and singles:
        alternatives.append(_trie_pattern(_trie(singles), True, "s"))
    return re.compile(f"{_NOT_BEFORE}(?:{'|'.join(alternatives)}){_NOT_AFTER}")


@dataclass(frozen=True, slots=True)
class BlockEntry:
    """A blocklist entry: a term or phrase, its category, ``reject`` or ``hold``, and the
    language it applies to (None: every language)."""

    term: str
    category: str
    action: str
    language: str | None = ALL_LANGUAGES


@dataclass(frozen=True, slots=True)
class AllowEntry:
    """An allowlist entry: a term that never counts against a comment."""

    term: str
    language: str | None = ALL_LANGUAGES


@dataclass(frozen=True, slots=True)
class TermHit:
    """A blocklist hit: the span of the ORIGINAL text and the entry that matched."""

    start: int
    end: int
    category: str
    action: str
    term: str

    def span(self) -> Span:
        return Span(self.start, self.end, self.category)


def validate_entry(term: str, category: str | None, action: str | None) -> dict[str, str]:
    """Problems with an entry, by field (empty when it is valid); for the use cases."""
    problems: dict[str, str] = {}
    key = fold_term(term or "")
    if not key:
        problems["term"] = "must contain a letter or digit"
    elif len(term) > MAX_TERM_LENGTH or len(key) > MAX_KEY_LENGTH:
        problems["term"] = f"at most {MAX_TERM_LENGTH} characters"
    if category is not None and category not in CATEGORIES:
        problems["category"] = f"must be one of {', '.join(CATEGORIES)}"
    if action is not None and action not in ACTIONS:
        problems["action"] = f"must be one of {', '.join(ACTIONS)}"
    return problems


class _Matcher:
    """One compiled alternation over the terms of one language scope."""

    def __init__(self, keys: Sequence[str], spaced: bool):
        self.keys_ = sorted(set(keys))
        self.pattern_ = _compile(self.keys_, spaced)

    def spans(self, copy: str) -> list[tuple[int, int, str]]:
        """(start, end, key) of each hit in the folded copy."""
        if self.pattern_ is None:
            return []
        found = []
        for match in self.pattern_.finditer(copy):
            index = int(match.lastgroup[1:])  # the terminal group closes last
            found.append((match.start(), match.end(), self.keys_[index]))
        return found


class TermLists:
    """The blocklist and allowlist compiled for matching; build with :func:`compile_terms`.

    Thread-safe once built (read-only); a worker swaps in a new instance on refresh.
    """

    def __init__(self, block: Sequence[BlockEntry], allow: Sequence[AllowEntry]):
        self.block_: dict[tuple[str | None, str], BlockEntry] = {}
        for entry in block:
            key = fold_term(entry.term)
            if key:
                self.block_.setdefault((entry.language, key), entry)
        allow_keys: dict[str | None, list[str]] = {}
        # allowlisted domains: links to them are sources (service.moderation.promotion)
        self.allowed_domains = frozenset(
            host_of(entry.term) for entry in allow if is_domain(entry.term)
        )
        for entry in allow:
            key = fold_term(entry.term)
            if key:
                allow_keys.setdefault(entry.language, []).append(key)
        block_keys: dict[str | None, list[str]] = {}
        for language, key in self.block_:
            block_keys.setdefault(language, []).append(key)
        self.block_matchers_ = {lang: _Matcher(keys, True) for lang, keys in block_keys.items()}
        self.allow_matchers_ = {lang: _Matcher(keys, False) for lang, keys in allow_keys.items()}

    def __len__(self) -> int:
        return len(self.block_)

    @staticmethod
    def _scopes(matchers: dict, language: str | None):
        """The matchers for a comment in ``language``: every-language entries, and the
        language's own; a comment in ``und`` (too short to tell) meets every list."""
        if language is None or language == UNDETERMINED:
            return list(matchers.items())
        return [(lang, m) for lang, m in matchers.items() if lang in (ALL_LANGUAGES, language)]

    def _allowed(self, copy: str, language: str | None) -> list[tuple[int, int]]:
        spans = []
        for _, matcher in self._scopes(self.allow_matchers_, language):
            spans.extend((a, b) for a, b, _ in matcher.spans(copy))
        return spans

    def scan(self, text: str, language: str | None = None) -> tuple[list[TermHit], str]:
        """:meth:`find` and :meth:`mask` at once, folding ``text`` once: what ``judge`` calls."""
        if not self.block_matchers_ and not self.allow_matchers_:
            return [], text
        folded = fold(text)
        allowed = self._allowed(folded.text, language)
        hits: dict[tuple[int, int], TermHit] = {}
        for scope, matcher in self._scopes(self.block_matchers_, language):
            for a, b, key in matcher.spans(folded.text):
                if any(x <= a and b <= y for x, y in allowed):
                    continue
                entry = self.block_[(scope, key)]
                start, end = folded.original_span(a, b)
                previous = hits.get((start, end))
                if previous is None or (previous.action, entry.action) == (HOLD, REJECT):
                    hits[(start, end)] = TermHit(start, end, entry.category, entry.action, key)
        masked = text
        if allowed:
            chars = list(text)
            for a, b in allowed:
                start, end = folded.original_span(a, b)
                chars[start:end] = " " * (end - start)
            masked = "".join(chars)
        return sorted(hits.values(), key=lambda h: (h.start, h.end)), masked

    def find(self, text: str, language: str | None = None) -> list[TermHit]:
        """Blocklist hits in ``text`` (as submitted), in text order, outside allowlisted
        spans; spans are offsets into ``text``. ``language`` is the comment's routed
        language: entries for every language and for that one apply (all of them for
        ``und`` or None)."""
        return self.scan(text, language)[0]

    def mask(self, text: str, language: str | None = None) -> str:
        """``text`` with its allowlisted spans blanked (same length): what the model scores."""
        return self.scan(text, language)[1]


EMPTY = TermLists((), ())


def compile_terms(block: Iterable[BlockEntry], allow: Iterable[AllowEntry]) -> TermLists:
    """Compile the lists once (per refresh); matching then costs one scan per scope."""
    return TermLists(list(block), list(allow))
