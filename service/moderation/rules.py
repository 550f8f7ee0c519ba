"""Explicit, tested patterns that set a floor under a category's learned score.

They run on the normalised copy (see :mod:`service.moderation.normalize`), so
``I w1ll k i l l you`` matches like ``I will kill you``.  A hit does not replace
the model: the category's score becomes ``max(learned, floor)``.

- ``threat``: threats of violence aimed at a person ("I will find you", "you
  deserve to die", "kill yourself").  ETHOS ``violence`` is the only labelled
  source and is small, so these patterns carry most explicit threats.
- ``profanity`` / ``vulgarity`` / ``abuse``: whole-word hits of the strong
  lexicon subsets.  The corpora mark "offensive" but do not separate swearing
  from sexual language; the lexicon does.
- ``promotion``: a link, e-mail address, phone number or messaging handle (the
  normaliser's placeholder tokens, which the promotion model also weighs like
  any word) in the same comment as a commercial call to action ("buy", "cheap",
  "earn", "free", "subscribe", "followers" ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import STRONG_PROFANITY, STRONG_SLURS, STRONG_VULGARITY

# Score given to a category when one of its rules fires: above the fallback reject
# threshold (0.95), so an explicit hit is rejected whatever the learned thresholds are.
RULE_FLOOR = 0.97

_YOU = r"(?:you|u|ya|yah|your\s+(?:family|kids|mother|mom|wife|children|house|ass)|him|her|them)"
_HARM = (
    r"(?:kill|murder|shoot|stab|strangle|choke|hang|lynch|behead|slaughter|butcher|burn|beat|"
    r"rape|hurt|bash|smash|break|punch|gut|skin|execute|end|destroy|bury|find|hunt|get)"
)
_WILL = (
    r"(?:i\s*(?:will|'ll|ll|am\s+going\s+to|'m\s+going\s+to|m\s+going\s+to|am\s+gonna|'m\s+gonna|"
    r"m\s+gonna|gonna|shall|would\s+love\s+to|want\s+to|wanna)|we\s*(?:will|'ll|are\s+going\s+to|"
    r"re\s+gonna|'re\s+gonna|gonna)|someone\s+(?:should|needs\s+to|ought\s+to|will)|"
    r"somebody\s+(?:should|needs\s+to|will))"
)
THREAT_PATTERNS: tuple[re.Pattern, ...] = tuple(
    re.compile(p)
    for p in (
        rf"\b{_WILL}\s+(?:\w+\s+){{0,2}}{_HARM}\w*\s+(?:the\s+\w+\s+out\s+of\s+)?{_YOU}\b",
        r"\b(?:you|u)\s*(?:deserve|need|ought|should|are\s+going|re\s+going|'re\s+going|will|'ll)"
        r"\s+(?:to\s+)?(?:die|be\s+(?:killed|shot|hanged|hung|raped|lynched|executed|beheaded|"
        r"murdered|burned|gassed))\b",
        r"\b(?:kill|hang|shoot)\s+(?:yo)?urself\b|\bkys\b",
        r"\bi\s+know\s+where\s+(?:you|u)\s+live\b",
        r"\bwatch\s+your\s+back\b",
        r"\b(?:you|u)\s*(?:'re|are|r)\s+(?:a\s+)?dead\s+(?:man|woman|meat)?\b",
        r"\b(?:i|we)\s*(?:will|'ll|ll)\s+(?:find|hunt\s+down|come\s+for|come\s+after)\s+(?:you|u)\b",
        r"\b(?:hope|wish)\s+(?:you|u)\s+(?:die|get\s+(?:killed|shot|raped|cancer))\b",
        r"\b(?:should|must|need\s+to)\s+be\s+(?:shot|hanged|hung|killed|lynched|executed|gassed|"
        r"exterminated|wiped\s+out|put\s+down)\b",
        r"\bsleep\s+with\s+one\s+eye\s+open\b",
        r"\b(?:die|burn\s+in\s+hell)\s*,?\s*(?:you|u)\b",
    )
)

PROMOTION_CONTACT = re.compile(r"\b(?:xurlx|xemailx|xphonex|xhandlex)\b")
PROMOTION_ACTION = re.compile(
    r"\b(?:buy|cheap|cheapest|earn|earning|cash|money|prize|winner|discount|subscribe|"
    r"followers|promo|sale|offer|deals?|loans?|casino|bitcoin|crypto|income|hiring|"
    r"work\s+from\s+home|hot\s+(?:girls?|singles)|dating|(?:add|follow|dm)\s+me|"
    r"check\s+out\s+my|visit\s+my|my\s+(?:channel|website|site|shop|store|blog))\b"
)
# a contact and a call to action count together only when this close (characters)
PROMOTION_WINDOW = 80

# all threat patterns in one alternation: one scan of the text instead of one per pattern
THREAT_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in THREAT_PATTERNS))

_WORD = re.compile(r"[a-z]+")
_FLOOR_WORDS: dict[str, str] = {}
for _cat, _words in (
    ("abuse", STRONG_SLURS),
    ("vulgarity", STRONG_VULGARITY),
    ("profanity", STRONG_PROFANITY),
):
    for _w in _words:
        _FLOOR_WORDS.setdefault(_w, _cat)


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule that fired: its category and the span of the *normalised* text it covers."""

    category: str
    start: int
    end: int
    rule: str


def find_threats(text: str) -> list[RuleHit]:
    """Threat patterns in a normalised text."""
    return [
        RuleHit("threat", m.start(), m.end(), "threat-pattern") for m in THREAT_ANY.finditer(text)
    ]


def find_lexicon(text: str) -> list[RuleHit]:
    """Whole-word hits of the strong profanity, vulgarity and slur lists."""
    hits = []
    for match in _WORD.finditer(text):
        category = _FLOOR_WORDS.get(match.group(0))
        if category:
            hits.append(RuleHit(category, match.start(), match.end(), "lexicon"))
    return hits


def find_promotion(text: str) -> list[RuleHit]:
    """A contact (placeholder) within PROMOTION_WINDOW characters of a call to action."""
    contacts = list(PROMOTION_CONTACT.finditer(text))
    if not contacts:
        return []
    hits: dict[tuple[int, int], None] = {}
    for action in PROMOTION_ACTION.finditer(text):
        for contact in contacts:
            gap = max(action.start() - contact.end(), contact.start() - action.end())
            if gap <= PROMOTION_WINDOW:
                hits[contact.span()] = None
                hits[action.span()] = None
    return [RuleHit("promotion", a, b, "promotion-pattern") for a, b in sorted(hits)]


def find_all(text: str) -> list[RuleHit]:
    """Every rule hit in a normalised text."""
    return find_threats(text) + find_lexicon(text) + find_promotion(text)
