"""Is an English comment aimed at a person? A cue list, no model.

The guidelines welcome criticism of ideas, policies and institutions however harsh,
and hold an insult aimed at a person. The ``personal_attack`` head learned from
corpora where "worthless", "a joke" and "shameful" are insults far more often than
verdicts on a budget, so its review band catches "This government is corrupt from top
to bottom" as readily as "you are corrupt". :func:`person_cue` tells them apart: the
policy holds a comment for ``personal_attack`` only when it names, addresses or
points at a person (a score over the reject threshold rejects either way; the
model is sure then).

Cues, on the comment as written (case-insensitive, except names):

- ``you``: a second-person word (``you``, ``your``, ``u``, ``ur``, ``yourself``);
- ``mention``: an ``@name``;
- ``imperative``: "shut up", "get lost", "go away", "go to hell";
- ``person``: a word for a person (``this person``, ``guy``, ``man``, ``woman``,
  ``author``, ``writer``, ``journalist``, ``commenter`` ...) or for what an insult calls
  one (``idiot``, ``moron``, ``clown``, ``liar``, ``traitor``, ``loser``; "a spineless
  worm", "a blind donkey", "a clueless amateur" ...);
- weak: ``pronoun``, a third-person singular pronoun (``he``, ``she``, ``him``, ``her``,
  ``his``), and ``office``, a public office (``minister``, ``president``, ``mayor``,
  ``judge``, ``referee``, ``coach`` ...). Harsh words about what an official does are
  the news ("The finance minister is incompetent; he is hiding where the money went"),
  so with only these cues the policy holds when the model is more sure
  (:data:`~.policy.WEAK_CUE_REVIEW`).

A capitalised word is no cue: on this site it is a place (Sinjar, Duhok, Halabja) or an
institution (the UN) far more often than a person, so "Barzani is pathetic" is not held
as an attack, while "Barzani is a clown" is. Broad otherwise: a cue only lets the
model's hold stand; it never holds on its own.
"""

from __future__ import annotations

import re

_YOU = re.compile(r"\b(?:you|your|yours|yourself|yourselves|u|ur|ya|youre|thou|thee)\b", re.I)
_MENTION = re.compile(r"(?<![\w@])@\w{2,}")
_IMPERATIVE = re.compile(r"\b(?:shut\s+up|get\s+lost|go\s+away|go\s+to\s+hell|piss\s+off)\b", re.I)
_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself|he's|she's)\b", re.I)
_PERSON = re.compile(
    r"\b(?:(?:this|that)\s+person|guy|guys|man|woman|lady|girl|boy|dude|bloke|kid|"
    r"author|writer|journalist|journalists|reporter|reporters|editor|columnist|presenter|"
    r"anchor|commenter|commenters|commentator|poster|troll|trolls|moderator|singer|actor|"
    r"actress|"
    r"idiots?|morons?|fools?|clowns?|liars?|losers?|imbeciles?|jerks?|hypocrites?|"
    r"traitors?|cowards?|puppets?|thugs?|crooks?|scumbags?|bastards?|dumbass\w*|"
    r"retards?|cretins?|halfwits?|numpt(?:y|ies)|buffoons?|charlatans?|bigots?|"
    r"dumbest|stupidest)\b",
    re.I,
)
# a person called an animal or a fraud: "the prime minister is a spineless worm", "what a
# snake"; not a dog or a goat that is only there ("he is blind and uses a guide dog")
_CALLED = re.compile(
    r"\b(?:is|isn't|are|was|were|be|being|you're|youre|ur|what|such|like)\s+(?:a|an)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:donkey|worm|weasel|snake|rat|pig|dog|monkey|ape|jackal|hyena|"
    r"sheep|goat|parasite|leech|cockroach|amateur|fraud|thief)\b",
    re.I,
)
# a public office: criticism of what its holder does is the news
_OFFICE = re.compile(
    r"\b(?:minister|ministers|president|mayor|governor|senator|mp|mps|politician|politicians|"
    r"leader|leaders|king|prince|sheikh|imam|cleric|priest|pastor|rabbi|mullah|judge|judges|"
    r"spokesman|spokeswoman|official|officials|candidate|general|commander|ambassador|"
    r"referee|ref|coach|manager|player|goalkeeper|keeper|striker|captain)\b",
    re.I,
)
# cues that point at a person without addressing or calling them anything: a third-person
# pronoun, a public office ("the finance minister is incompetent; he ...")
WEAK_CUES = frozenset({"pronoun", "office"})


def person_cue(text: str) -> str | None:
    """The strongest kind of cue that ``text`` is aimed at a person (see the module doc), or
    None; a kind in :data:`WEAK_CUES` only when no other cue is there."""
    for kind, pattern in (
        ("you", _YOU),
        ("mention", _MENTION),
        ("imperative", _IMPERATIVE),
        ("person", _PERSON),
        ("person", _CALLED),
        ("pronoun", _PRONOUN),
        ("office", _OFFICE),
    ):
        if pattern.search(text):
            return kind
    return None
