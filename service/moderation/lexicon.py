"""Word lists shared by the normaliser and the explicit rules.

The lists are data, not a model: the normaliser uses them to resolve masked or
stretched spellings (``f*ck``, ``sh1t``, ``fuuuck``) to a real word, and the
rules use the *strong* subsets as floors for a category.  Every list holds
lower-case base forms; :data:`FORMS` adds the usual inflections.

Words are matched as whole tokens of the normalised text, never as substrings,
so place names and ordinary words that contain them (Scunthorpe, Sussex,
assassin, cocktail, therapist, Dickens) are left alone.
"""

from __future__ import annotations

# Swearing that is not sexual in meaning (the ``profanity`` category).
# compounds of the strongest words, strong like them ("what a shitshow of an election")
_SWEARING_COMPOUNDS = (
    "shitshow", "shitstorm", "shithole", "shitholes", "clusterfuck", "motherfuckers",
)  # fmt: skip
PROFANITY: tuple[str, ...] = (
    "fuck",
    "fucking",
    "fucked",
    "fucker",
    "fuckers",
    "fuckin",
    "fucks",
    "motherfucker",
    "motherfucking",
    "mf",
    "shit",
    "shits",
    "shitty",
    "shitting",
    "bullshit",
    "horseshit",
    "shithead",
    "dipshit",
    *_SWEARING_COMPOUNDS,
    "crap",
    "crappy",
    "damn",
    "damned",
    "goddamn",
    "goddamned",
    "dammit",
    "ass",
    "asses",
    "asshole",
    "assholes",
    "arse",
    "arsehole",
    "jackass",
    "dumbass",
    "badass",
    "bastard",
    "bastards",
    "bitch",
    "bitches",
    "bitchy",
    "bitchin",
    "piss",
    "pissed",
    "pissing",
    "bollocks",
    "bugger",
    "wtf",
    "stfu",
    "gtfo",
    "fck",
    "fuk",
    "fcking",
    "fcuk",
    "fcuking",
    "phuck",
    "phucking",
    "frigging",
    "effing",
    "douche",
    "douchebag",
    "hell",
    "bloody",
    "sod",
    "heck",
    "tosser",
    "wanker",
    "twat",
)

# Sexual or obscene words (the ``vulgarity`` category).
VULGARITY: tuple[str, ...] = (
    "cock",
    "cocks",
    "cocksucker",
    "dick",
    "dicks",
    "dickhead",
    "pussy",
    "pussies",
    "cunt",
    "cunts",
    "tits",
    "titties",
    "titty",
    "boobs",
    "boobies",
    "penis",
    "vagina",
    "blowjob",
    "handjob",
    "cum",
    "cumming",
    "cumshot",
    "jizz",
    "dildo",
    "porn",
    "porno",
    "slut",
    "sluts",
    "slutty",
    "whore",
    "whores",
    "hoe",
    "hoes",
    "skank",
    "horny",
    "anal",
    "orgasm",
    "masturbate",
    "masturbating",
    "wank",
    "wanking",
    "boner",
    "clit",
    "deepthroat",
    "milf",
    "fap",
    "nudes",
    "thot",
    "thots",
    "dong",
    "balls",
    "nutsack",
    "scrotum",
    "testicles",
    "erection",
    "sex",
    "sexy",
    "naked",
    "nude",
    "butt",
    "booty",
    "semen",
)

# Insults aimed at a person (seed words for ``personal_attack``; not used as floors).
INSULTS: tuple[str, ...] = (
    "idiot",
    "idiots",
    "idiotic",
    "moron",
    "morons",
    "moronic",
    "stupid",
    "dumb",
    "loser",
    "losers",
    "imbecile",
    "cretin",
    "fool",
    "scum",
    "scumbag",
    "pathetic",
    "worthless",
    "ugly",
    "clown",
    "jerk",
    "numbnuts",
    "dimwit",
    "halfwit",
    "nitwit",
    "dunce",
    "pig",
    "trash",
    "garbage",
    "coward",
    "liar",
    "hypocrite",
    "freak",
    "creep",
    "retarded",
)

# Slurs against an identity (``abuse``).
SLURS: tuple[str, ...] = (
    "nigger",
    "niggers",
    "nigga",
    "niggas",
    "faggot",
    "faggots",
    "fag",
    "fags",
    "dyke",
    "dykes",
    "tranny",
    "trannies",
    "kike",
    "kikes",
    "spic",
    "spics",
    "chink",
    "chinks",
    "gook",
    "gooks",
    "wetback",
    "wetbacks",
    "raghead",
    "ragheads",
    "towelhead",
    "towelheads",
    "coon",
    "coons",
    "beaner",
    "beaners",
    "paki",
    "pakis",
    "retard",
    "retards",
    "sandnigger",
    "negro",
    "negroes",
    "homo",
    "homos",
    "queers",
    "darkie",
    "darkies",
    "jihadi",
    "mongoloid",
)

# The subsets that are strong enough to set a floor under a category's score on
# their own.  Mild or ambiguous words (hell, damn, sex, suck, balls, homo ...)
# only feed the learned model.
STRONG_PROFANITY: frozenset[str] = frozenset(
    {
        "fuck",
        "fucking",
        "fucked",
        "fucker",
        "fuckers",
        "fuckin",
        "fucks",
        "motherfucker",
        "motherfucking",
        "shit",
        "shits",
        "shitty",
        "bullshit",
        "horseshit",
        "shithead",
        "dipshit",
        *_SWEARING_COMPOUNDS,
        "asshole",
        "assholes",
        "arsehole",
        "bitch",
        "bitches",
        "bastard",
        "bastards",
        "wanker",
        "twat",
        "stfu",
        "gtfo",
        "fck",
        "fuk",
        "fcking",
        "fcuk",
        "fcuking",
        "phuck",
        "phucking",
        "douchebag",
        "dumbass",
        "jackass",
    }
)
STRONG_VULGARITY: frozenset[str] = frozenset(
    {
        "cock",
        "cocks",
        "cocksucker",
        "dick",
        "dicks",
        "dickhead",
        "pussy",
        "cunt",
        "cunts",
        "tits",
        "titties",
        "blowjob",
        "handjob",
        "cumshot",
        "jizz",
        "dildo",
        "porn",
        "porno",
        "slut",
        "sluts",
        "whore",
        "whores",
        "skank",
        "deepthroat",
        "milf",
        "nutsack",
        "boobs",
        "boobies",
        "wank",
        "wanking",
        "boner",
    }
)
STRONG_SLURS: frozenset[str] = frozenset(
    {
        "nigger",
        "niggers",
        "faggot",
        "faggots",
        "fag",
        "fags",
        "tranny",
        "trannies",
        "kike",
        "kikes",
        "spic",
        "spics",
        "chink",
        "chinks",
        "gook",
        "gooks",
        "wetback",
        "wetbacks",
        "raghead",
        "ragheads",
        "towelhead",
        "towelheads",
        "beaner",
        "beaners",
        "sandnigger",
        "darkie",
        "darkies",
    }
)

# Mild expletives: the policy setting ``allow_mild_profanity`` (default true) approves them.
# Ofcom's "mild" tier of British broadcasting (hell, damn, crap, bloody, bugger, sod) and the
# minced oaths (heck, frigging, effing), as whole words in any case. With the setting
# on they never count against a comment (the model reads the comment with them blanked, as
# it reads allowlisted terms); with it off a comment holding one is held as ``profanity``.
# "to hell" and "in hell"
# ("go to hell", "rot in hell") are wishes aimed at someone, not expletives: they stay in.
MILD_PROFANITY: frozenset[str] = frozenset(
    {
        "hell",
        "damn",
        "damned",
        "dammit",
        "crap",
        "crappy",
        "bloody",
        "bugger",
        "sod",
        "heck",
        "frigging",
        "effing",
    }
)

_SUFFIXES = ("", "s", "es", "ed", "er", "ers", "ing", "in", "y", "ies")


def _forms(words: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for word in words:
        for suffix in _SUFFIXES:
            seen.setdefault(word + suffix, None)
    return tuple(seen)


# Words of harm and dehumanisation that evasions spell out ("b r e a k", "p a r a s i t e s"):
# resolved like the lists above, scored by the model and the rules, never floors themselves.
EVADED: tuple[str, ...] = (
    "kill", "die", "break", "shoot", "stab", "murder", "hang", "burn", "rape", "behead",
    "slaughter", "parasite", "vermin", "cockroach", "animal", "traitor", "terrorist", "devil",
    "subhuman", "savage",
)  # fmt: skip

# One member of an identity group (the group-abuse rules' "no Kurd can be trusted"),
# also what group abuse spells out to slip past them ("K-u-r-d-s", "r3fug33s").
GROUP_MEMBERS: tuple[str, ...] = (
    "kurd", "turk", "arab", "persian", "iranian", "iraqi", "syrian", "afghan", "yazidi",
    "christian", "muslim", "jew", "armenian", "assyrian", "shia", "sunni", "alevi", "turkman",
    "refugee", "migrant", "immigrant", "woman", "gay", "african", "gypsy", "atheist",
)  # fmt: skip

# All words the normaliser may resolve a masked or stretched token to, in order
# of preference (the first match wins: ``f**k`` is ``fuck``, not ``funk``).
FORMS: tuple[str, ...] = _forms(
    PROFANITY + VULGARITY + SLURS + INSULTS + EVADED + GROUP_MEMBERS + ("women",)
)
FORM_SET: frozenset[str] = frozenset(FORMS)
