"""Explicit, tested patterns that set a floor under a category's learned score.

They run on the normalised copy (see :mod:`service.moderation.normalize`), so
``I w1ll k i l l you`` matches like ``I will kill you``.  A hit does not replace
the model: the category's score becomes ``max(learned, floor)``.

- ``threat``: threats of violence aimed at a person ("I will find you", "you
  deserve to die", "kill yourself").  ETHOS ``violence`` is the only labelled
  source and is small, so these patterns carry most explicit threats.
- ``abuse``: statements that dehumanise or exclude an identity group as a whole
  ("immigrants are ruining this country", "muslims are animals", "go back to
  your own country", "women belong in the kitchen").  The learned head mostly knows slurs
  (Davidson's hate tweets); group abuse in plain words is rarer in the data.
  Reported or negated statements ("not all muslims are terrorists", "the myth
  that immigrants are criminals") are left to the model.
- ``profanity`` / ``vulgarity`` / ``abuse``: whole-word hits of the strong
  lexicon subsets.  The corpora mark "offensive" but do not separate swearing
  from sexual language; the lexicon does.
- ``vulgarity``: sexual acts and crude bodily talk in ordinary words ("suck my balls",
  "jerking off", "stick it up your arse").
- ``promotion``: a link, e-mail address, phone number or messaging handle (the
  normaliser's placeholder tokens, which the promotion model also weighs like
  any word) in the same comment as a commercial call to action ("buy", "cheap",
  "earn", "free", "subscribe", "followers" ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (
    GROUP_MEMBERS,
    MILD_PROFANITY,
    STRONG_PROFANITY,
    STRONG_SLURS,
    STRONG_VULGARITY,
)
from .normalize import PLACEHOLDERS

# Score given to a category when one of its rules fires: above the fallback reject
# threshold (0.95), so an explicit hit is rejected whatever the learned thresholds are.
RULE_FLOOR = 0.97


def _any(patterns: tuple[re.Pattern, ...]) -> re.Pattern:
    """All ``patterns`` in one alternation: one scan of the text instead of one per pattern."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))


_BODY = (
    r"(?:legs?|arms?|neck|face|head|skull|bones?|teeth|jaw|knees?|kneecaps|fingers|nose|ribs|"
    r"ankles?|wrists?|spine|back|throat|chest|hands?)"
)
_YOU = (
    r"(?:you|u|ya|yah|your\s+(?:family|kids|mother|mom|wife|children|house|ass)|"
    rf"(?:your|his|her|their)\s+{_BODY}|him|her|them)"
)
_HARM = (
    r"(?:kill?|murder|shoot|stab|strangle|choke|hang|lynch|behead|slaughter|butcher|burn|beat|"
    r"rape|hurt|bash|smash|break|punch|gut|skin|execute|end|destroy|bury|find|hunt|get|stone)"
)
_WILL = (
    r"(?:i\s*(?:will|'ll|ll|am\s+going\s+to|'m\s+going\s+to|m\s+going\s+to|am\s+gonna|'m\s+gonna|"
    r"m\s+gonna|gonna|shall|would\s+love\s+to|want\s+to|wanna)|we\s*(?:will|'ll|are\s+going\s+to|"
    r"re\s+gonna|'re\s+gonna|gonna)|someone\s+(?:should|needs\s+to|ought\s+to|will)|"
    r"somebody\s+(?:should|needs\s+to|will))"
)
# killing verbs, unambiguous when a person is their object ("beat" and "destroy" are not:
# "we will beat the minister's party at the polls")
_KILL = (
    r"(?:kill?|murder|shoot|stab|strangle|choke|hang|lynch|behead|slaughter|butcher|execute|"
    r"rape|torture|knife|gun\s+down|stone)"
)
# a person named by role: "the mayor", "that journalist", "the next official"
_SOMEONE = (
    r"(?:the|that|this|every|any|each|the\s+next|our|their)\s+(?:\w+\s+)?(?:mayor|minister|"
    r"president|governor|senator|mp|politician|official|officer|judge|journalist|reporter|"
    r"editor|author|writer|columnist|presenter|commenter|imam|priest|sheikh|mullah|rabbi|"
    r"leader|commander|general|candidate|spokesman|spokeswoman|guy|man|woman|bastard)s?|"
    r"the\s+next\s+(?:\w+\s+)?\w+|anyone|anybody|everyone|whoever"
)
# the region's leaders, whom death is wished on by name ("I hope Erdogan dies"); a name alone
# says nothing to the other patterns ("Saddam will be hanged tomorrow" was the news)
_LEADER = (
    r"(?:erdogan|assad|barzani|talabani|khamenei|putin|netanyahu|trump|bahceli|ocalan|sudani|"
    r"maliki|sadr|jolani|sharaa)"
)
# what is done to a person in a threat phrased in the passive ("will be shot")
_DONE_TO = (
    r"(?:shot|slaughtered|butchered|beheaded|hanged|hung|lynched|executed|killed|murdered|"
    r"stabbed|burned\s+alive|dragged\s+through\s+the\s+streets)"
)
THREAT_PATTERNS: tuple[re.Pattern, ...] = tuple(
    re.compile(p)
    for p in (
        # "beat the hell out of you", also with the mild expletive blanked
        rf"\b{_WILL}\s+(?:\w+\s+){{0,2}}{_HARM}\w*\s+(?:the\s+(?:\w+\s+)?out\s+of\s+)?{_YOU}\b",
        r"\b(?:you|u)\s*(?:deserve|need|ought|should|are\s+going|re\s+going|'re\s+going|will|'ll)"
        r"\s+(?:to\s+)?(?:die|be\s+(?:killed|shot|hanged|hung|raped|lynched|executed|beheaded|"
        r"murdered|burned|gassed))\b",
        r"\b(?:kill|hang|shoot)\s+(?:yo)?urself\b|\bkys\b",
        r"\bi\s+know\s+where\s+(?:you|u)\s+live\b",
        r"\bwatch\s+your\s+back\b",
        r"\b(?:you|u)\s*(?:'re|are|r)\s+(?:a\s+)?dead\s+(?:man|woman|meat)?\b",
        r"\b(?:i|we)\s*(?:will|'ll|ll)\s+(?:find|hunt\s+down|come\s+for|come\s+after)\s+(?:you|u)\b",
        r"\b(?:hope|wish)\s+(?:you|u)\s+(?:die|get\s+(?:killed|shot|raped|cancer))\b",
        # "I hope your village gets bombed next"
        r"\b(?:hope|wish)\s+your\s+(?:\w+\s+)?(?:family|kids|children|village|house|home|city|"
        r"town|mother|mom|wife|daughter|son)\s+(?:gets?|is|are)\s+(?:bombed|shelled|killed|shot|"
        r"raped|burned|burnt|slaughtered|wiped\s+out)\b",
        r"\b(?:should|must|need\s+to)\s+be\s+(?:shot|hanged|hung|killed|lynched|executed|gassed|"
        r"exterminated|wiped\s+out|put\s+down)\b",
        r"\bsleep\s+with\s+one\s+eye\s+open\b",
        # "I will stab the next official", "someone should shoot that journalist"
        rf"\b{_WILL}\s+(?:\w+\s+){{0,2}}{_KILL}\w*\s+(?:{_SOMEONE})\b",
        # "I am going to beat him to death", "break every bone in your body"
        rf"\b{_WILL}\s+(?:\w+\s+){{0,2}}{_HARM}\w*\s+(?:\w+\s+){{1,3}}to\s+death\b",
        rf"\b{_WILL}\s+(?:\w+\s+){{0,2}}{_HARM}\w*\s+(?:every|all\s+the)\s+{_BODY}\s+in\s+"
        r"(?:your|his|her|their)\s+body\b",
        # "gonna put a bullet in that presenter's head", "put a knife in your throat"
        rf"(?:\b{_WILL}|\bgonna|\bgoing\s+to)\s+(?:\w+\s+){{0,2}}put\s+(?:a|my)\s+"
        r"(?:bullet|knife|blade|round)s?\s+(?:in|into|through)\s+",
        # "the judge who freed them will be shot", "whoever leaked this will be dragged through
        # the streets", "they will be slaughtered when we come back"
        rf"\b(?:{_SOMEONE})\s+(?:[\w']+\s+){{0,6}}?will\s+be\s+{_DONE_TO}\b|"
        rf"\bwill\s+be\s+{_DONE_TO}\s*,?\s+(?:when|once|as\s+soon\s+as)\s+(?:we|i)\b|"
        rf"\bwill\s+be\s+{_DONE_TO}\s*,?\s+(?:mark\s+my\s+words|i\s+promise|i\s+swear)\b",
        # "beaten until he stops breathing"
        r"\b(?:beat|beaten|kick|kicked|choke|choked|strangle|strangled)\s+(?:\w+\s+){0,3}?until\s+"
        r"(?:he|she|they|you|u)\s+(?:stops?\s+breathing|can't\s+(?:breathe|walk|move))\b",
        # "make him bleed", "you will bleed"
        rf"\b{_WILL}\s+(?:[\w']+\s+){{0,8}}?make\s+{_YOU}\s+(?:bleed|suffer|scream|beg)\b|"
        r"\b(?:you|u)\s*(?:will|'ll)\s+(?:bleed|pay\s+with\s+your\s+(?:blood|life))\b",
        # a person's home set on fire, a bullet wished on someone
        rf"\b{_WILL}\s+(?:\w+\s+){{0,2}}(?:burn|torch|firebomb|bomb|blow\s+up)\s+(?:down\s+)?"
        r"(?:the\s+|your\s+|his\s+|her\s+|their\s+)?(?:\w+'s\s+)?(?:house|home|office|car|shop|"
        r"mosque|church|temple|synagogue|school|newsroom|camp|village)\b",
        # "burn the camp down with them inside"
        r"\bburn\s+(?:the|their|this|that)\s+\w+\s+down\s+with\s+(?:them|him|her|you)\s+inside\b",
        # a call to hang a whole body of people, a rope offered, a throat cut
        r"(?:^|[.!?]\s*)(?:hang|lynch|behead)\s+(?:every|each|all)\s+(?:one\s+)?(?:of\s+)?"
        r"(?:them\b|"
        r"(?:those|these|the)\s+(?:\w+\s+)?(?:mps|politicians|ministers|traitors|judges|"
        r"journalists|officials|mullahs|imams|priests|leaders|people|men|bastards|criminals|"
        r"collaborators|deputies|generals|officers|councillors|members)\b)|"
        r"(?:^|[.!?]\s*)(?:hang|lynch|behead)\s+them\s+all\s*(?:!|$)|"
        r"\b(?:i|we)\s*(?:will|'ll|ll)\s+bring\s+the\s+rope(?:\s+(?:myself|ourselves))?\s*"
        r"(?:[.!?]|$)|"
        r"\b(?:gets?|will\s+get|should\s+get)\s+(?:his|her|their|your)\s+(?:throats?|heads?)\s+"
        r"(?:cut|slit|chopped|sliced)\b",
        r"\bdeserves?\s+(?:a\s+bullet|a\s+beating|a\s+rope|to\s+be\s+(?:shot|hanged|hung|killed|"
        r"beaten))\b",
        r"\b(?:die|burn\s+in\s+hell)\s*,?\s*(?:you|u)\b",
        # intimidation in stock phrases, no word of violence in them
        r"\b(?:your|his|her|their)\s+days\s+are\s+numbered\b|"
        r"\bcount(?:ing)?\s+(?:your|his|her|their)\s+(?:remaining\s+)?days\b|"
        r"\b(?:won't|will\s+not|wont)\s+(?:leave|get\s+out|walk\s+away|go\s+home)\s+(?:\w+\s+)?in\s+one\s+"
        r"piece\b|"
        r"\bwould\s+be\s+a\s+shame\s+if\s+something\s+(?:happened|were\s+to\s+happen)\s+to\b|"
        # the same of a person with other words ("a pity if anything happened to them"; not
        # "to the citadel")
        r"\bwould\s+be\s+(?:a|such\s+a|a\s+real)\s+(?:shame|pity)\s+if\s+(?:something|anything)\s+"
        r"(?:bad\s+)?(?:happened|were\s+to\s+happen)\s+to\s+(?:you|u|him|her|them|your|his|"
        r"their)\b|"
        r"\bcheck(?:ing)?\s+under\s+(?:your|his|her|their)\s+car\b|"
        r"\b(?:i|we)\s+know\s+(?:where|which\s+school|what\s+school)\s+(?:your|his|her|their)\s+"
        r"(?:kids|children|daughter|son|family|wife|husband)\s+(?:go|goes|live|lives|stud)|"
        r"\b(?:you|u)\s+(?:won't|will\s+not|wont)\s+see\s+it\s+coming\b|"
        r"\bend\s+up\s+in\s+a\s+ditch\b|"
        r"\ba\s+rope\s+and\s+a\s+lamp\s*-?\s*post\b|"
        r"\b(?:won't|will\s+not|wont)\s+be\s+safe\s+in\s+(?:your|his|her|their)\s+(?:own\s+)?"
        r"(?:homes?|beds?|houses?)\b|"
        r"\bget\s+a\s+(?:little\s+)?visit\s+from\s+us\b|"
        r"\b(?:will|gonna|going\s+to)\s+pay\s+with\s+(?:your|his|her|their)\s+(?:blood|lives?)\b",
        # "I hope somebody finds the judge alone", "I hope the author dies"
        rf"\bhope\s+(?:someone|somebody|some\s+\w+)\s+(?:finds|kills|shoots|stabs|beats|hangs|"
        rf"gets)\s+(?:{_YOU}|{_SOMEONE})\b|"
        rf"\bhope\s+(?:he|she|{_LEADER}|(?:{_SOMEONE})(?:\s+of\s+(?:this|the)\s+\w+)?)\s+(?:\w+\s+)?"
        r"(?:dies\b(?!\s+out)|gets\s+(?:killed|shot|stabbed|hanged))",
    )
)

# identity groups, as the normaliser spells them (lower case, straight apostrophes)
GROUPS: tuple[str, ...] = (
    "immigrants", "migrants", "refugees", r"asylum\s+seekers", "foreigners", "illegals",
    "muslims", "moslems", "jews", r"jewish\s+people", "christians", "hindus", "sikhs", "blacks",
    r"black\s+(?:people|men|women|folks)", "whites", r"white\s+(?:people|men|women|folks)",
    "asians", r"chinese\s+people", "mexicans", "latinos", "hispanics", "arabs", "africans",
    "indians", "pakistanis", "somalis", "syrians", "afghans", "gypsies", "roma", "gays",
    "kurds", r"kurdish\s+people", "turks", "persians", "iranians", "iraqis", "yazidis", "yezidis",
    "shias", "shiites", "sunnis", "alawites", "alevis", "armenians", "assyrians", "druze",
    "palestinians", "israelis", "turkmen", "turkmens", "chaldeans", "atheists", "shia",
    r"gay\s+people", "lesbians", "homosexuals", "queers", r"trans\s*(?:people|women|men)",
    r"transgender\s+(?:people|women|men)", r"lgbt\w*", "women", "females",
    r"disabled\s+people", r"the\s+disabled", r"autistic\s+people", r"deaf\s+people",
) + tuple(
    # "Kurdish women", "Syrian men", "Arab settlers", "Iraqi Christians", "refugee children"
    rf"{adjective}\s+(?:men|women|people|families|children|kids|girls|boys|settlers|refugees|"
    r"migrants|workers|christians|muslims)"
    for adjective in (
        "kurdish", "arab", "turkish", "persian", "iranian", "iraqi", "syrian", "afghan",
        "african", "christian", "muslim", "jewish", "yazidi", "shia", "sunni", "armenian",
        "assyrian", "refugee", "migrant", "immigrant", "disabled", "black", "white",
    )
)  # fmt: skip
# a group, maybe placed: "Christians in Iraq", "the Roma in our city", "Yazidis here"
_GROUP = (
    f"(?:{'|'.join(GROUPS)})"
    r"(?:\s+(?:in|from|of)\s+(?:the\s+|our\s+|this\s+)?[a-z]+(?:\s+city|\s+region)?|\s+here)?"
)
_MEMBER = f"(?:{'|'.join(GROUP_MEMBERS)})"
# not when negated, hedged or reported: "not all muslims are ...", "the myth that ...",
# "i don't think refugees are dangerous"
_NOT_REPORTED = (
    r"(?<!\bnot\s)(?<!\bno\s)(?<!\bnot\sall\s)(?<!\bsome\s)(?<!\bfew\s)(?<!\bthat\s)"
    r"(?<!\bsay\s)(?<!\bsays\s)(?<!\bsaid\s)(?<!\bclaim\s)(?<!\bclaims\s)(?<!\bif\s)"
    r"(?<!n't\sthink\s)(?<!not\sthink\s)(?<!dont\sthink\s)(?<!n't\sbelieve\s)"
    r"(?<!not\sbelieve\s)(?<!dont\sbelieve\s)"
)
_DEHUMANISING = (
    r"(?:animals|vermin|parasites|rats|cockroaches|roaches|pigs|apes|monkeys|savages|subhuman|"
    r"sub-human|not\s+(?:even\s+)?human|less\s+than\s+human|filth|scum|trash|garbage|"
    r"mentally\s+ill|sick\s+in\s+the\s+head|an?\s+abomination|abominations|demonic|"
    r"an?\s+(?:\w+\s+)?(?:disease|plague|cancer|virus|curse|tumou?r|infection|sickness)|"
    r"an\s+infestation|godless|"
    r"inferior|criminals|terrorists|perverts|(?:sick\s+|disgusting\s+)perverts|beggars|"
    r"devil\s+worshippers|worthless|(?:the\s+)?enem(?:y|ies)\s+of\s+(?:humanity|mankind|"
    r"the\s+(?:nation|people|state)|our\s+people)|(?:[a-z]+(?:'s)?\s+)?(?:puppets|spies|agents|"
    r"slaves)|the\s+worst\s+people|"
    r"rapists|invaders|traitors|snakes|dogs|insects|leeches|barbarians|barbaric|primitive|"
    r"uncivili[sz]ed|backward|dirty|filthy|lazy|thieves|liars|cowards|evil|violent|dangerous|"
    r"breeding\s+like|invading|infesting|overrunning|flooding\s+(?:in|into|our)|"
    # verbs that are ordinary in sport or business ("women are taking over tech") count only
    # when what is harmed is the country or the community
    r"(?:ruining|destroying|polluting|taking\s+over|stealing)\s+(?:(?:this|our|the|my)\s+"
    r"(?:country|nation|society|culture|city|town|neighbou?rhood|schools|jobs|economy|"
    r"way\s+of\s+life)|europe|britain|america|the\s+west))"
)
# animals a person of a group is called: "you Persian dog"
_ANIMAL = r"(?:dog|pig|rat|swine|donkey|snake|cockroach|monkey|ape|vermin)"
ABUSE_PATTERNS: tuple[re.Pattern, ...] = tuple(
    re.compile(p)
    for p in (
        # "<group> are <dehumanising>", "<group> should be deported", "<group> don't belong here"
        rf"\b{_NOT_REPORTED}{_GROUP}\s+(?:(?:breed|multiply|spread)\s+like\b|"
        r"(?:are|r)\s+(?:all\s+|just\s+|nothing\s+but\s+|such\s+|a\s+bunch\s+of\s+|"
        r"basically\s+|literally\s+|like\s+|a\s+(?:\w+\s+)?(?:nation|people|race|pack|tribe|"
        rf"herd|breed)\s+of\s+)?{_DEHUMANISING}\b|"
        # "Yazidis deserved what happened", "Jews are behind every war", "are too stupid to vote"
        r"deserved\s+(?:it|everything|what\s+(?:happened|they\s+got))|"
        r"(?:are|r)\s+behind\s+(?:every|all\s+(?:the\s+)?)\s*(?:wars?|attacks?|bombings?|crisis|"
        r"problems?)\b|"
        r"(?:are|r)\s+too\s+(?:stupid|dumb|primitive|backward|emotional|lazy)\s+to\b|"
        r"(?:bring|brought)\s+(?:nothing\s+but|only)\s+(?:crime|disease|terror|drugs|trouble|"
        r"violence)|"
        r"(?:have|has)\s+no\s+(?:morals|honou?r|shame|culture|place\s+(?:here|in))\b|"
        r"(?:can't|cannot|can\s+never)\s+think\s+for\s+themselves|"
        # (not "Kurds don't deserve to live under occupation" or "in tents")
        r"(?:don't|do\s+not|dont)\s+deserve\s+(?:protection|rights|respect|citizenship|"
        r"to\s+vote\b|to\s+(?:live|exist)(?:\s+(?:here|among\s+us|on\s+earth|(?:in|on)\s+(?:this|our)\s+"
        r"(?:country|city|town|land|soil|region|society|planet|earth)))?(?=\s*(?:[.!?,;]|$)))|"
        r"(?:should|must|need\s+to|ought\s+to|have\s+to)\s+(?:all\s+)?(?:be\s+)?(?:deported|"
        r"sent\s+back|driven\s+out|expelled|go\s+back\s+to\s+(?:their|where)|get\s+out\s+of\s+(?:this|our)|"
        r"banned|kicked\s+out|thrown\s+out|locked\s+up|sterili[sz]ed|exterminated|wiped\s+out|"
        r"gassed)\b|"
        r"(?:don't|do\s+not|dont)\s+belong\s+(?:here|in\s+(?:this|our))|"
        # "<group> are not capable of ...", "<group> can never be trusted"
        # (not "not able" or "not ready": "refugees are not able to return home")
        r"(?:are|r)\s+(?:incapable\s+of|unfit\s+(?:for|to))\b|"
        r"(?:(?:are|r)\s+(?:not|never)|aren't|arent)\s+(?:capable|fit\s+to|civili[sz]ed|human|"
        r"equal|loyal|normal|to\s+be\s+trusted|trustworthy|intelligent|"
        r"(?:a\s+)?(?:real|true|proper)\s+(?:people|nation|citizens|[a-z]+is)\b)|"
        r"(?:can't|cannot|can\s+never|will\s+never)\s+be\s+(?:trusted|civili[sz]ed|"
        r"integrated|loyal|equal))",
        # "I don't think <group> are capable of ...": a denied ability or virtue
        rf"\b(?:don't|do\s+not|dont|never)\s+(?:think|believe)\s+(?:that\s+)?{_GROUP}\s+"
        r"(?:are|can|could|will)\s+(?:ever\s+)?(?:be\s+)?(?:capable|fit\s+to|trusted|"
        r"civili[sz]ed|equal|human|loyal|intelligent|smart|honest|trustworthy|"
        r"live\s+(?:peacefully|in\s+peace))",
        # "I don't consider Armenians a real people", "I don't see migrants as people"
        rf"\b(?:don't|do\s+not|dont|never)\s+(?:consider|see|count|regard)\s+{_GROUP}\s+"
        r"(?:as\s+)?(?:(?:a\s+)?(?:real|true|proper)\b|human\b|people\b)",
        # one member: "never trust a Persian", "no Kurd can be trusted", "not one Arab deserves
        # to vote", "there is no such thing as a peaceful Kurd"
        rf"\bnever\s+trust\s+(?:an?|any)\s+{_MEMBER}\b|"
        rf"\b(?:not\s+(?:a\s+single|one)|no|a\s+single)\s+{_MEMBER}\s+(?:[\w']+\s+){{0,3}}?"
        r"(?:can|could|will)\s+(?:ever\s+)?be\s+trusted\b|"
        rf"\bnot\s+(?:a\s+single|one)\s+{_MEMBER}\s+(?:[\w']+\s+){{0,3}}?deserves\s+to\s+"
        r"(?:vote|live|stay|be\s+here)\b|"
        rf"\bno\s+such\s+thing\s+as\s+an?\s+(?:peaceful|honest|good|decent|moderate|loyal|"
        rf"civili[sz]ed|innocent|trustworthy)\s+{_MEMBER}\b",
        # vermin similes: "like cockroaches", "behave like animals"
        rf"\b{_GROUP}\s+(?:[\w']+\s+){{0,4}}?(?:are\s+|is\s+)?(?:just\s+)?like\s+"
        r"(?:cockroaches|rats|vermin|animals|parasites|locusts|a\s+(?:disease|virus|plague))\b|"
        rf"\b{_GROUP}\s+(?:[\w']+\s+){{0,6}}?(?:behave|act|live)\s+like\s+(?:animals|savages|"
        r"dogs|pigs|rats|beasts)\b",
        rf"\b(?:deport|ban|kick\s+out|throw\s+out|get\s+rid\s+of|round\s+up|exterminate|kill|"
        rf"gas|shoot|hang|lynch|nuke)\s+(?:all\s+)?(?:the\s+|these\s+|those\s+)?{_GROUP}\b(?!')",
        r"\bsend\s+(?:them|(?:all\s+)?(?:these|those)\s+\w+)\s+(?:all\s+)?back\s+to\s+(?:where\s+"
        r"(?:they|you)\s+came\s+from|their\s+(?:own\s+)?(?:countries|country)|africa|"
        r"the\s+desert|the\s+jungle)",
        r"\bgo\s+back\s+to\s+(?:your|their)\s+(?:own\s+)?(?:country|countries|desert|jungle|"
        r"shithole)|\bgo\s+back\s+(?:to\s+)?where\s+(?:you|they)\s+came\s+from\b",
        r"\b(?:women|females)\s+(?:belong|should\s+stay)\s+in\s+the\s+kitchen\b|"
        r"\b(?:women|females)\s+(?:should\s+not|shouldn't|should\s+never)\s+"
        r"(?:vote|work|drive|lead|be\s+allowed)\b",
        # a faith made to pay for its life: "Christians should pay jizya"
        rf"\b{_NOT_REPORTED}{_GROUP}\s+(?:should|must|will|have\s+to|need\s+to)\s+(?:all\s+)?"
        r"pay\s+(?:the\s+)?jizy?a\b",
        # uncovered women said to deserve harm: "women who don't wear hijab deserve what they get"
        r"\b(?:women|girls)\s+who\s+(?:don't|do\s+not|dont|refuse\s+to)\s+(?:wear|cover)\s+"
        r"(?:a\s+|the\s+|their\s+)?(?:hijab|headscarf|veil|hair|heads?)\b[^.!?]{0,20}?\b"
        r"deserve\s+(?:it|what|to\s+be|whatever|everything)\b",
        rf"\b(?:i|we)\s+(?:really\s+|just\s+|fucking\s+)?hate\s+(?:all\s+)?(?:the\s+)?{_GROUP}"
        r"\b(?!')",
        r"\bfilthy\s+(?:mexican|chinese|muslim|jew|jewish|arab|african|indian|pakistani|gypsy|"
        r"immigrant|migrant|refugee|foreigner|gay|black|asian|caucasian)s?\b",
        # a member called dirty to their face, or the whole group: "you dirty Kurd", "dirty
        # Arabs" (not "a dirty Arab deal": one member, not addressed, may qualify a noun)
        rf"\byou\s+(?:dirty|filthy|stinking)\s+{_MEMBER}\b|"
        rf"\b(?:dirty|filthy|stinking)\s+(?:{_MEMBER}s|women)\b",
        # a member called an animal to their face: "you Persian dog" (not the group's animals:
        # "Kurdish dogs like the Kangal", "Kurdish donkeys carry the kolbars' loads")
        rf"\byou\s+(?:(?:dirty|filthy|stinking|little|fucking)\s+)?(?:{_MEMBER}|kurdish|turkish|"
        rf"persian|arab|arabic)\s+{_ANIMAL}\b",
    )
)
ABUSE_ANY = _any(ABUSE_PATTERNS)

# who the harassment patterns below are about: mostly the women of the news
_SEXUALISED = (
    r"(?:she|wife|daughter|sister|girlfriend|presenter|anchor|reporter|journalist|girl|singer|"
    r"actress|minister|mp|spokeswoman|interviewer|host|weather\s+girl)"
)

# sexual acts and crude bodily talk in ordinary words ("suck my balls", "jerking off",
# "up your arse"): no single word of them is vulgar, so the lexicon cannot see them
VULGAR_PATTERNS: tuple[re.Pattern, ...] = tuple(
    re.compile(p)
    for p in (
        r"\b(?:suck|sucks|sucking|lick|licks|licking)\s+(?:my|his|your|their|each\s+other's)\s+"
        r"(?:balls|nuts|arse|ass|dick|cock|feet)\b",
        r"\b(?:suck|sucks|sucking|sucked|jerk|jerks|jerking|jerked|jack|jacking|jacks)\s+"
        r"(?:(?:him|them|each\s+other|yourself|himself|themselves|me)\s+)?off\b",
        r"\b(?:stick|shove|stuff|put)\s+(?:it|them|that|this|(?:the|your|his|their)\s+\w+(?:\s+\w+)?)\s+up\s+"
        r"(?:your|his|her|their)\s+(?:arse|ass)\b",
        r"\bhard-ons?\b",
        r"\b(?:i'?d|i\s+would|id)\s+(?:\w+\s+){0,2}?(?:screw|bang|shag)\s+(?:her|him|you)\b",
        r"\bbend\s+(?:her|him|you|that\s+\w+)\s+over\b",
        # harassment: "I'd love to get her alone in my bedroom", "under that skirt"
        r"\b(?:i'?d|i\s+would|i\s+want\s+to|wanna)\s+(?:\w+\s+){0,3}?(?:sleep\s+with\s+(?:her|him)|"
        r"get\s+(?:her|him)\s+(?:alone\s+in\s+(?:my\s+)?(?:bed|bedroom)|naked|into\s+bed)|"
        r"take\s+(?:her|him)\s+to\s+bed|see\s+(?:her|him)\s+naked|undress\s+(?:her|him))\b",
        r"\bunder\s+(?:that|her|his)\s+(?:skirt|dress|blouse|scarf|hijab|abaya|clothes)\b",
        r"\bnice\s+(?:legs|ass|arse|body|tits|boobs|rack|butt)\s+on\b",
        # sexual harassment of a person, mostly of women in the news, in ordinary words:
        # "bet she's wild in bed", "get that reporter into bed", "waiting for her in my bed"
        rf"\b(?:he|{_SEXUALISED})(?:'s|\s+is|\s+must\s+be|\s+would\s+be)\s+(?:\w+\s+)?"
        r"(?:wild|a\s+freak|an\s+animal|good|great|amazing)\s+in\s+bed\b(?!\s+rest)",
        r"\b(?:get|take|have|bring)\s+(?:her|him|you|that\s+\w+|the\s+\w+)\s+"
        r"(?:into|in|to)\s+my\s+(?:bed|bedroom)\b",
        r"\bwaiting\s+for\s+(?:her|him|you)\s+in\s+(?:my\s+)?(?:bed|bedroom)\b",
        # a woman said to owe her job to sex: "slept with the director", "got it on her knees"
        r"\b(?:sleeping|slept|sleeps|sleep)\s+with\s+(?:the|her|his|their|a)\s+"
        r"(?:boss|director|editor|producer|minister|manager|owner|chief|president|governor)\b",
        r"\b(?:got|gets|get|earned|landed|won)\s+(?:the|this|that|her|his)\s+"
        r"(?:job|position|post|seat|promotion|role|show)\s+on\s+her\s+(?:knees|back)\b",
        r"\bon\s+(?:your|her|his)\s+knees\s+and\s+(?:blow|suck)\b",
        # undressing her in words: "better without her clothes", "read the news in a bikini"
        r"\b(?:look|be|better|nicer|hotter|sexier)\s+(?:\w+\s+){0,2}?without\s+(?:her|his)\s+"
        r"clothes\b",
        rf"\b{_SEXUALISED}s?\s+(?:\w+\s+){{0,3}}?(?:should|would|could|must)\s+(?:\w+\s+){{0,2}}?"
        r"(?:be|appear|read|present|do|pose|look|dance|walk)\s+(?:\w+\s+){0,4}?"
        r"(?:in\s+(?:a\s+|her\s+)?(?:bikini|lingerie|underwear|nightgown)|naked|nude|topless)\b",
        r"\bshow\s+(?:us\s+)?more\s+(?:leg|legs|skin|cleavage|flesh)\b",
        r"\blook\s+at\s+(?:those|her|that|the\s+\w+'s)\s+"
        r"(?:lips|legs|chest|boobs|tits|ass|arse|body|curves|thighs|butt)\b",
        # a person called sexy: "the presenter is hot", "the mp's wife is hot" (not "hot on the
        # trail", "hot-headed", and the weather)
        rf"\b(?:she's|{_SEXUALISED})(?:\s+(?:in|on)\s+(?:the|this|that)\s+(?:photo|picture|video|"
        r"clip|show|segment))?\s*(?:\s+is|\s+looks|'s)\s+(?:so\s+|really\s+|very\s+)?"
        r"(?:hot|sexy|fuckable|doable)\b(?![-\s]+on\b)(?!-)(?!\s+(?:favou?rite|topic|issue|"
        r"seat|spot|property|commodity|ticket|potato|news|button|streak|start|pursuit))",
        r"\bsend\s+(?:(?:me|us)\s+(?:your\s+|some\s+)?(?:nudes|sexy\s+(?:pics|photos|pictures))|"
        r"nudes)\b",
        r"\bsend\s+me\s+your\s+(?:pics|pictures|photos|selfies)\b[^.!?]{0,50}\b"
        r"(?:babe|baby|honey|sweetie|sexy|darling)\b",
        r"\b(?:what'?s|whats|give\s+me|send\s+me)\s+your\s+number\b[^.!?]{0,20}?\b"
        r"(?:babe|baby|honey|sweetie|sexy|darling|gorgeous)\b",
        r"\b(?:sleep|slept|sleeping)\s+(?:her\s+way|with\s+(?:half|all|every|how\s+many))\b",
        r"\bhave\s+to\s+sleep\s+with\b",
        r"\b(?:her|him|you)\b[^.!?]{0,60}?\b(?:in|into|to)\s+my\s+(?:bed|bedroom)\b",
        r"\b(?:only|just)\s+good\s+for\s+one\s+thing\b(?!\s*[:;-])",
        r"\bneeds?\s+(?:is\s+)?a\s+(?:good\s+)?(?:night|time|ride)\s+with\s+a\s+real\s+man\b",
        r"\b(?:kiss|lick|suck)\s+(?:the\s+\w+'s|her|his)\s+(?:arse|ass|balls|dick|cock)\b",
        r"\bkiss\s+my\s+(?:arse|ass)\b",
        rf"\b(?:{_SEXUALISED}|he)\s+(?:has|'s\s+got|got)\s+(?:a\s+|such\s+a\s+)?"
        r"(?:nice|great|hot|sexy|fine)\s+(?:ass|arse|body|legs|tits|boobs|rack|butt)\b(?!\s+of\b)",
    )
)
VULGAR_ANY = _any(VULGAR_PATTERNS)

# the normaliser's placeholders for a link, an e-mail address, a phone number, a handle
PROMOTION_CONTACT = re.compile(r"\b(?:" + "|".join(sorted(PLACEHOLDERS)) + r")\b")
PROMOTION_ACTION = re.compile(
    r"\b(?:buy|cheap|cheapest|earn|earning|cash|money|prize|winner|discount|subscribe|"
    r"followers|promo|sale|presale|offer|deals?|loans?|casino|bitcoin|crypto|usdt|income|hiring|"
    r"invest|apply\s+now|sign\s+up|signing\s+up|register\s+now|salary|guaranteed|"
    r"\d+\s*%\s+(?:off|success|real|guaranteed)|(?:contact|call|message|text)\s+(?:me|us|him|her)|"
    r"live\s+for\s+free|watch\s+\w+\s+(?:\w+\s+)?free|certificates?|diplomas?|free\s+(?:visa|flights?|trial|bonus)|"
    r"work\s+from\s+home|hot\s+(?:girls?|singles)|dating|(?:add|follow|dm)\s+me|"
    r"check\s+out\s+my|visit\s+my|my\s+(?:channel|website|site|shop|store|blog))\b"
)
# a contact and a call to action count together only when this close (characters)
PROMOTION_WINDOW = 80

THREAT_ANY = _any(THREAT_PATTERNS)

# the word vectorizer's tokens (scikit-learn's default token_pattern): the lexicon rule
# sees the same words as the model and as the scorer's per-word trigger
_WORD = re.compile(r"(?u)\b\w\w+\b")
# whole word of the normalised text -> the category its hit floors (a slur first)
FLOOR_WORDS: dict[str, str] = {}
for _cat, _words in (
    ("abuse", STRONG_SLURS),
    ("vulgarity", STRONG_VULGARITY),
    ("profanity", STRONG_PROFANITY),
):
    for _w in _words:
        FLOOR_WORDS.setdefault(_w, _cat)

# --- triggers: what every pattern of a family needs ---------------------------------------
# The scorer tests each whitespace word of a text against these once (it caches per word)
# and runs a family's patterns over the whole text only when some word holds its trigger.
# Each trigger is whole letters from the start of a word, so "a word of the text holds
# it" equals "the text does"; tests/test_rules.py checks that no pattern matches without.
THREAT_TRIGGER = re.compile(
    rf"\b(?:{_HARM}|shot|hung|die|dead|kys|know|watch|sleep|gass|extermin|wipe|put|come|torch|"
    r"firebomb|bomb|blow|deserv|bleed|suffer|scream|beg|pay|"
    # whole words, so that "country", "career" or "Putin" do not run the family
    r"dragged\b|kick(?:ed)?\b|numbered\b|count(?:ing)?\b|piece\b|shame\b|check(?:ing)?\b|"
    r"coming\b|ditch\b|rope\b|safe\b|visit\b|shelled\b|pity\b)"
)
_GROUP_LEADS = sorted({re.match(r"(?:the\\s\+)?([a-z]+)", g).group(1) for g in GROUPS})
# a group's or a member's first word (every abuse pattern names one), "filthy" or "back"
ABUSE_TRIGGER = re.compile(rf"\b(?:{'|'.join(_GROUP_LEADS + sorted(GROUP_MEMBERS))}|filthy|back)")
PROMOTION_TRIGGER = PROMOTION_CONTACT
VULGAR_TRIGGER = re.compile(
    r"\b(?:suck|lick|jerk|jack(?:ing|s)?\b|arse\b|ass\b|hard-ons?\b|screw\b|bang\b|shag\b|"
    r"bend\b|sleep|slept\b|bed(?:room)?\b|naked\b|nude\b|topless\b|undress\b|skirt\b|"
    r"dress\b|blouse\b|scarf\b|hijab\b|abaya\b|clothes\b|nice\b|knees\b|back\b|bikini\b|"
    r"lingerie\b|underwear\b|nightgown\b|leg|skin\b|cleavage\b|flesh\b|lips\b|chest\b|boobs\b|"
    r"tits\b|body\b|curves\b|thighs\b|butt\b|hot\b|sexy\b|fuckable\b|doable\b|nudes\b|"
    r"pics\b|pictures\b|photos\b|selfies\b|thing\b|man\b|kiss\b|number\b)"
)

# a mild expletive, in any case, not in "go to hell" or "rot in hell" (lexicon.MILD_PROFANITY)
MILD_PATTERN = re.compile(
    rf"(?<!\bto\s)(?<!\bin\s)\b(?:{'|'.join(sorted(MILD_PROFANITY))})\b", re.IGNORECASE
)


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


# the whole of a comment that wants refugees returned once there is peace is a policy, not
# an expulsion: "Refugees should be sent back once the war is over." (not with more said,
# "..., we don't want their kind here"; nor of a people, "Arabs should be deported after
# the war"; nor "if it is safe or not")
_POLICY_RETURN = re.compile(
    r"(?:\w+\s+)?(?:refugees|migrants|immigrants|asylum\s+seekers)\s+(?:should|must|need\s+to|"
    r"ought\s+to|have\s+to)\s+(?:all\s+)?(?:be\s+)?(?:sent\s+back|deported|go\s+back|return)"
    r"(?:\s+[\w']+){0,4}?\s+(?:once|when|after|as\s+soon\s+as)\s+(?:the\s+)?(?:war|fighting|"
    r"conflict|peace|(?:it|\w+)\s+is\s+safe|it's\s+safe)[^.!?,;:]{0,30}[.!]?\s*$"
)


def find_group_abuse(text: str) -> list[RuleHit]:
    """Statements that dehumanise or exclude an identity group, in a normalised text."""
    return [
        RuleHit("abuse", m.start(), m.end(), "abuse-pattern")
        for m in ABUSE_ANY.finditer(text)
        if not _POLICY_RETURN.match(text, m.start())
    ]


def find_vulgar_acts(text: str) -> list[RuleHit]:
    """Sexual acts and crude bodily talk in ordinary words, in a normalised text."""
    return [
        RuleHit("vulgarity", m.start(), m.end(), "vulgar-pattern")
        for m in VULGAR_ANY.finditer(text)
    ]


def find_lexicon(text: str) -> list[RuleHit]:
    """Whole-word hits of the strong profanity, vulgarity and slur lists."""
    hits = []
    for match in _WORD.finditer(text):
        category = FLOOR_WORDS.get(match.group(0))
        if category:
            hits.append(RuleHit(category, match.start(), match.end(), "lexicon"))
    return hits


def find_mild_profanity(text: str) -> list[RuleHit]:
    """Mild expletives (``hell``, ``damn``, ``crap``, ``bloody`` ...): in a comment as written
    (the policy blanks them there before scoring) or in a normalised copy."""
    return [
        RuleHit("profanity", m.start(), m.end(), "mild-profanity")
        for m in MILD_PATTERN.finditer(text)
    ]


# --- quoted, reported or condemned: a trigger the writer mentions rather than uses --------
# "was told to 'go back to your own country'", "calling someone a <slur> is disgusting",
# "he shouted 'X' at them". Such a hit sets no floor, and when a text's every trigger is one
# of them the policy holds it at most (see :func:`is_reported`).
_QUOTED = re.compile(
    r"\"[^\"\n]{1,300}\"|«[^»\n]{1,300}»|(?<!\w)'(?=[^\s'])[^'\n]{0,300}[^\s']'(?!\w)"
)
# a quote right after "you" is aimed at the reader: "you 'genius'"
_ADDRESSED = re.compile(r"\b(?:you|u|ur|ya)\W*$")
_SENTENCE_END = re.compile(r"[.!?\n]")
REPORT_WORDS = 3
# what introduces another's words, at most REPORT_WORDS words before the trigger
_REPORTING = re.compile(
    r"\b(?:(?:was|were|been|being|get|gets|got|getting|am|is|are)\s+(?:\w+\s+)?"
    r"(?:told|called|labell?ed|branded|shouted\s+at|yelled\s+at)|"
    r"(?<!\bi\s)(?<!\bwe\s)(?:said|says|saying|shouted|shouting|yelled|screamed|chanted|"
    r"chanting|chants|wrote|posted|tweeted|painted|sprayed|scrawled|called|calls|"
    r"calling|call|told|quoted|quotes|quoting|described|describing|describes|repeated|"
    r"repeating)|(?:the\s+(?:word|words|slogan|phrase|chant|chants|slur|term))|"
    r"(?:comments?\s+like|words\s+like))\b"
    rf"(?:\W+[\w']+){{0,{REPORT_WORDS}}}\W*$"
)
# a condemnation of what was just said: "<trigger> is racist", "... is disgusting"
_CONDEMNED = re.compile(
    r"^\W*(?:\w+\W+)??(?:is|are|was|were|s)\s+(?:\w+\s+){0,3}?(?:racist|racism|"
    r"disgusting|hateful|hate|hatred|shameful|a\s+disgrace|disgraceful|bigoted|bigotry|"
    r"sexist|homophobic|xenophobic|dehumani[sz]ing|unacceptable|vile|appalling|sickening|"
    r"offensive|poison|a\s+slur|a\s+lie)\b"
)


def is_reported(text: str, hit: RuleHit) -> bool:
    """Whether the normalised ``text`` mentions ``hit``'s trigger rather than uses it.

    Reported: the hit lies inside quotation marks (not a quote aimed at "you"),
    follows a reporting frame in its sentence ("was told", "called him", "shouted",
    "said", "calling someone", "the slogan", at most :data:`REPORT_WORDS` words
    before it), or is condemned right after ("... is racist", "... is disgusting").
    """
    for quote in _QUOTED.finditer(text):
        if quote.start() > hit.start:
            break
        addressed = _ADDRESSED.search(text[max(0, quote.start() - 12) : quote.start()])
        if hit.end <= quote.end() and not addressed:
            return True
    before = text[: hit.start]
    ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    words = before[ends[-1] if ends else 0 :].split()
    if _REPORTING.search(" ".join(words[-(REPORT_WORDS + 4) :])):
        return True
    after = text[hit.end :]
    stop = _SENTENCE_END.search(after)
    return bool(_CONDEMNED.search(after[: stop.start()] if stop else after))


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
