"""Promotion that knows a source from an advert.

Readers cite their sources, so a link, a phone number, an e-mail address or a
messaging handle is not promotion by itself. A contact counts towards
``promotion`` only beside words of intent: selling, advertising a channel or a
service, soliciting contact or followers (:data:`STRONG`, per language). Then:

- intent and a contact: ``promotion`` is raised to :data:`WITH_CONTACT` (over
  every shipped reject threshold), with both as evidence;
- links (no phone number, e-mail or handle) in a sentence of its own (at least
  :data:`MIN_WORDS` words) with neither intent nor a weaker cue (:data:`WEAK`:
  prizes, offers, "please share"): the model scores the text without them, so
  what it judges is the words, not the link;
- links in a shorter comment with neither intent nor a weaker cue: the model reads the
  link, but its score is capped at the reject threshold, so a citation such as "Full text
  of the budget law: <link>" is never rejected as promotion on the model's word alone;
- intent alone is the model's to judge; in a language whose model has no
  promotion head (Arabic, Turkish), soliciting subscribers or followers
  (:data:`SOLICIT`) holds the comment for review.

A link whose host is an allowed domain (the site's own, an operator's sources:
allowlist entries that are domains) is a *source*: it is no contact, the link
switch does not hold it, and the model never sees it. A blocked domain is an
ordinary blocklist term, matched wherever it appears.

Pure: the allowed domains come in as values; spans are offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from .normalize import LINK_PATTERN, TLDS
from .types import Scoring, Span

PROMOTION = "promotion"
# intent beside a contact: over every shipped reject threshold (they are at most 0.95)
WITH_CONTACT = 0.97

_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}$")
_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}", re.I)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)?\(?\d(?:[\s\-.()]{0,2}\d){7,13}(?!\w)"
    # every digit set apart, to slip past filters: "0 5 4 4 - 7 8 9 - 0 0 - 1 1"
    r"|(?<![\w+])\d(?:(?:\s|\s?[\-.]\s?)\d){8,13}(?!\w)"
)
# a contact disguised from filters: "shop-alnoor dot com", "betsahne555 . com",
# "name[at]gmail[dot]com" (a dot spelled out or bracketed, or with a space beside it)
_DOT_WORD = r"(?:dot|nokta|نقطة|نقطه)"
_DOT = rf"(?:\s*[\[({{]\s*{_DOT_WORD}\s*[\])}}]\s*|\s+{_DOT_WORD}\s+|\s+\.\s*|\.\s+)"
_AT = r"\s*[\[({]\s*(?:at|@)\s*[\])}]\s*"
# narrower than the normaliser's TLDS: with a spaced dot, "going . to" and "for . me" are prose
_SHOP_TLDS = (
    r"(?:com|net|org|info|biz|io|xyz|top|shop|store|online|site|app|link|click|live|club|vip|"
    r"pro|bet|tk|iq|krd|tr|ir)"
)
# words that come before "dot com" in prose ("another dot com crash")
_PROSE = r"(?!(?:another|the|this|that|every|any|first|next|last|new|old|big|whole|early)\b)"
_DISGUISED = re.compile(
    rf"(?<![\w@\-])(?:[\w.+\-]+{_AT})?{_PROSE}[a-z0-9][a-z0-9\-]{{3,}}(?:(?:{_DOT}|\.)[a-z0-9\-]+)*?"
    rf"{_DOT}{_SHOP_TLDS}(?![\w\-])",
    re.I,
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{3,30}(?!\w)")
_MESSENGERS = re.compile(
    r"\b(?:whats ?app|telegram|viber|snap ?chat|instagram|insta|tiktok|signal me|wa\.me|t\.me)\b"
    r"|واتس ?اب|واتساب|تلغرام|تليجرام|تيليجرام|انستغرام|انستقرام|سناب|تیک ?تاک|اینستاگرام|تلگرام",
    re.I,
)

# the private channel of an advert, no number or handle given: "DM for details", "message
# me for the price". Asking the price that way is intent too; asking for details is not
# ("contact me for details of the protest"), so it needs intent elsewhere ("for sale")
# (a "message" or a "call" only to me or us: not "his message for followers", "a call for
# prices to be capped")
_ASK = (
    r"\b(?:(?:dm|pm|inbox|whats ?app)(?:\s+(?:me|us))?|(?:message|msg|text|call|contact)\s+"
    r"(?:me|us))\s+for\s+"
)
_ASK_PRICE = re.compile(
    rf"{_ASK}(?:the\s+|a\s+)?(?:price|prices|pricing|orders?|booking|followers|likes|views|"
    r"subscribers)\b",
    re.I,
)
_ASK_DETAILS = re.compile(rf"{_ASK}(?:more\s+)?(?:details|info|information)\b", re.I)

# words of intent that make a contact promotion (selling, soliciting contact or followers)
_STRONG_EN = (
    r"buy|buying|sell|selling|for sale|cheap(?:est)?|discount|\d+ ?% off|best prices?|"
    r"order (?:now|today|yours)|shop now|earn (?:money|cash|\$?\d+)|make money|"
    r"(?:a|per) (?:day|week|month) from home|work(?:ing)? from home|forex|crypto signals|"
    r"free (?:gift|followers|likes|trial|entry|iphone|money|ringtones?|delivery|shipping|"
    r"consultation|lessons?|classes|sessions?)|(?:first|1st) (?:lesson|class|session|month) "
    r"(?:is )?free|followers|"
    r"subscribe|subscribers|follow (?:me|us|my|our)|my (?:channel|page|shop|store|website|"
    r"site|blog|profile)|our (?:channel|page|shop|store|website|company)|"
    r"check (?:it |this |my )?out|visit (?:my|our)|dm (?:me|us)|contact (?:me|us)|"
    r"call (?:me|us|now|today)|text (?:me|us)|message (?:me|us)|inbox me|click (?:here|now)|"
    r"sign up|register (?:now|today)|join (?:my|our|now)|limited offer|promo(?:tion)? code|"
    r"coupon|guaranteed|presale|apply now|sign(?:ing)? up|\d+ ?% (?:success|real|guaranteed)|"
    r"(?:watch|stream)\b.{0,40}\bfor free|free (?:visa|usdt|bitcoin|crypto|flights?)|"
    r"hot singles|singles (?:in|near)|meet (?:singles|girls|women)|"
    r"meet (?:(?:hot|beautiful|sexy|lonely|single|local|young|pretty|real) ){1,2}"
    r"(?:girls|women|singles|ladies)"
)
# words that may be promotion beside a contact (prizes, offers): they keep the model's
# score instead of capping it, but are too common in news comments to raise it. "check"
# is not one: "fact check" and "check the ranking" point to a source; the adverts'
# "check out my ..." and "check this out" are intent (above)
_WEAK_EN = (
    r"win|winner|won|prize|claim|cash|bonus|offers?|urgent|txt|reply|loans?|"
    r"visas?|invest(?:ment)?s?|income|prices?|likes?|free|download|share|donate|"
    r"please|plz|pls|join|paid|money|hack|views|listen|watch|discover|"
    r"look|awesome|wow|songs?|mix|customers?|call|ring|send|chat|lucky|"
    r"find out|log ?onto|tones?|ringtones?|polys?|subscription|(?:un)?subscribed|renew(?:al|ed)|"
    r"charged|credits?|pin|password|sexy|babes|wap|mobile|phone|rply|titles?|picture|guess|"
    r"web ?page|unique"
)
STRONG: dict[str, re.Pattern] = {
    "en": re.compile(rf"\b(?:{_STRONG_EN})\b", re.I),
    "ar": re.compile(
        r"اشترك|اشتركوا|تابعوني|تابعونا|قناتي|صفحتي|متجرنا|متجري|للتواصل|تواصل معي|تواصلوا معنا|"
        r"اتصل بنا|رخيص|رخيصة|خصم|اطلب الآن|للبيع|اشتري|متابعين|لايكات|مجانا|مجاناً|"
        r"[اإأ]ربح|راسلني|راسلوني|من البيت|من المنزل|صفحتنا|قناتنا|سجل الآن|سجل الان|"
        r"مراهنات|كازينو|بونص|دخل يومي|ربح مضمون|اطلبه الآن|اطلبه الان|توصيل مجاني"
    ),
    "tr": re.compile(
        r"\b(?:satın al\w*|satilik|satılık|ucuz|indirim\w*|sipariş ver\w*|para kazan\w*|"
        r"takipçi\w*|takipci\w*|abone ol\w*|kanalım\w*|kanalim\w*|takip edin|"
        r"bize ulaşın|ücretsiz|bedava|evden\W+(?:\w+\W+){0,5}kazan\w*|link\w* t[ıi]kla\w*|"
        r"\d+\s*(?:tl|lira|dolar|euro)\W+(?:\w+\W+){0,2}kazan\w*|üye ol\w*|uye ol\w*|"
        r"bahis\w*|casino|bonus\w*|dm at\w*|kargo bedava|ücretsiz kargo)\b",
        re.I,
    ),
    "ckb": re.compile(r"بەشداربە|بکڕە|بفرۆشە|هەرزان|داشکاندن|پەیوەندیمان پێوە بکە|کەناڵەکەم"),
    "kmr": re.compile(r"\b(?:bikire|erzan|kanala min|abone bin|têkilî bi me re)\b", re.I),
    "fa": re.compile(r"بخرید|ارزان|تخفیف|فالوور|کانال من|تماس بگیرید|عضو شوید|سفارش دهید"),
}
WEAK: dict[str, re.Pattern] = {
    "en": re.compile(rf"\b(?:{_WEAK_EN})\b", re.I),
    "ar": re.compile(r"أسعار|اسعار|بسعر|عروض|ربح|أرباح|ارباح|تأشيرات|تاشيرات|فيزا|للاستفسار"),
    "tr": re.compile(
        r"\b(?:fiyat\w*|kampanya\w*|kazan\w*|vize\w*|fırsat\w*|detaylar? için|bilgi için)\b",
        re.I,
    ),
}
# soliciting subscribers or followers: holds a comment on its own in a language whose
# model has no promotion head
SOLICIT: dict[str, re.Pattern] = {
    "ar": re.compile(
        r"اشترك|اشتركوا|تابعوني|تابعونا|تابعوا (?:صفحت|قنات)|قناتي|قناتنا|صفحتنا|متابعين|لايكات|"
        r"راسلني|راسلوني|[اإأ]ربح .{0,30}(?:من البيت|من المنزل|يوميا)"
    ),
    "tr": re.compile(
        r"\b(?:abone ol\w*|kanalım\w*|kanalim\w*|takipçi\w*|takipci\w*|takip edin|"
        r"evden\W+(?:\w+\W+){0,3}kazan\w*|link\w* t[ıi]kla\w*)\b",
        re.I,
    ),
}
# a contact among fewer words than this is not a citation: the model judges it as it is
MIN_WORDS = 7
_WORD = re.compile(r"[^\W\d_]{2,}")
# a bare domain (``cheap-likes.example``, ``ihec.iq``), of the top-level domains the
# normaliser knows
_BARE_DOMAIN = re.compile(
    rf"(?<![\w@.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+{TLDS}(?![\w@\-])"
    r"(?:/[^\s<>\"']*)?",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Signals:
    """What a text shows of promotion: strong intent, weaker cues, contacts, and links to
    sources (allowed domains)."""

    intent: tuple[Span, ...] = ()
    # the links the model does not see: sources, and links cited without intent
    hidden: tuple[Span, ...] = ()
    solicits: tuple[Span, ...] = ()
    cues: tuple[Span, ...] = ()
    contacts: tuple[Span, ...] = ()
    sources: tuple[Span, ...] = ()
    # the contacts that are links (not phone numbers, e-mail addresses or handles)
    links: tuple[Span, ...] = ()


def is_domain(term: str) -> bool:
    """Whether a list entry names a domain (``bbc.co.uk``) rather than a word."""
    return bool(_DOMAIN.match(term.strip().lower()))


def host_of(link: str) -> str:
    host = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", link.strip().lower())
    host = re.split(r"[/?#:]", host, maxsplit=1)[0]
    return host.removeprefix("www.").rstrip(".")


def allowed_host(host: str, domains: Collection[str]) -> bool:
    """``host`` is an allowed domain or one of its subdomains."""
    return any(host == d or host.endswith("." + d) for d in domains)


def _spans(pattern: re.Pattern | None, text: str) -> list[Span]:
    if pattern is None:
        return []
    return [Span(m.start(), m.end(), PROMOTION) for m in pattern.finditer(text)]


def _order(span: Span) -> tuple[int, int]:
    return span.start, span.end


def _outside(found: list[Span], links: list[Span]) -> list[Span]:
    return [s for s in found if not any(a.start <= s.start and s.end <= a.end for a in links)]


def _shouted(link: str) -> bool:
    """``LIKING.BE`` in a shouted sentence: a bare name in capitals, no scheme, no path."""
    bare = not re.match(r"(?:https?://|www\.)", link, re.I) and "/" not in link
    return bare and link.isupper()


def signals(text: str, language: str, allowed_domains: Collection[str] = ()) -> Signals:
    """The promotion signals of ``text`` (original, as submitted) in its routed ``language``."""
    links = _spans(LINK_PATTERN, text)
    links += _outside(_spans(_BARE_DOMAIN, text), links)
    links = [s for s in links if not _shouted(text[s.start : s.end])]
    emails = _spans(_EMAIL, text)
    links = _outside(links, emails)  # the domain of an e-mail address is no link
    sources = [s for s in links if allowed_host(host_of(text[s.start : s.end]), allowed_domains)]
    contacts = [s for s in links if s not in sources]
    contacts += emails + _outside(_spans(_PHONE, text) + _spans(_HANDLE, text), links + emails)
    contacts += _outside(_spans(_DISGUISED, text), contacts)
    contacts += _outside(_spans(_MESSENGERS, text), contacts)
    asked_price = _spans(_ASK_PRICE, text)
    asked = asked_price + _spans(_ASK_DETAILS, text)
    contacts += _outside(asked, contacts)
    language = language if language in STRONG else "en"
    # their "message me" is no intent of its own; asking the price is
    intent = _outside(_spans(STRONG[language], text), links + asked) + asked_price
    cues = _outside(_spans(WEAK.get(language), text), links)
    cited = (
        links
        and not intent
        and not cues
        and all(c in links for c in contacts)
        and len(_WORD.findall(without_spans(text, links))) >= MIN_WORDS
    )
    return Signals(
        hidden=tuple(links if cited else sources),
        intent=tuple(intent),
        solicits=tuple(_outside(_spans(SOLICIT.get(language), text), links)),
        cues=tuple(cues),
        contacts=tuple(sorted(set(contacts), key=_order)),
        sources=tuple(sources),
        links=tuple(s for s in links if s not in sources),
    )


def without_spans(text: str, spans: Iterable[Span]) -> str:
    """``text`` with ``spans`` blanked (same length, so offsets stay valid)."""
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = " " * (span.end - span.start)
    return "".join(chars)


def scoring_copy(text: str, found: Signals) -> str:
    """``text`` with the links the model must not see blanked: what it scores."""
    return without_spans(text, found.hidden) if found.hidden else text


def adjusted(
    scoring: Scoring | None, found: Signals, review: float, reject: float
) -> Scoring | None:
    """The model's scoring with promotion judged by intent (see the module docstring)."""
    if scoring is None:
        return None
    scores = dict(scoring.scores)
    evidence = list(scoring.evidence)
    model_score = scores.get(PROMOTION)
    if found.intent and found.contacts:
        scores[PROMOTION] = max(model_score or 0.0, WITH_CONTACT)
        extra = sorted(set(found.intent + found.contacts), key=_order)
        evidence = [s for s in extra if s not in evidence] + [
            s for s in evidence if s.category != PROMOTION
        ]
    elif (
        found.contacts
        and all(c in found.links for c in found.contacts)
        and not found.cues
        and model_score
    ):
        # links and no word of intent or offer: a reader citing a source as often as an
        # advert, so never rejected as promotion on the model's word alone
        if model_score <= reject:
            return scoring
        scores[PROMOTION] = reject
    elif found.solicits and model_score is None:
        scores[PROMOTION] = (review + reject) / 2
        evidence = list(found.solicits) + evidence
    else:
        return scoring
    return replace(scoring, scores=scores, evidence=evidence)
