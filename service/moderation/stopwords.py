"""Function words, which are never evidence on their own.

Evidence is what a person would highlight as the reason for a decision: "idiot",
"go back to your own country", never "the", "is", "from", "be" or "like". The n-gram
model's per-word shares do give such words a share (a bigram with "idiot" lends half
to "you"), so the scorer skips them when it picks evidence words, and the policy drops
any evidence span that is one of them, whichever language model produced it.

English, plus the commonest function words of the site's other languages (Arabic,
Turkish, Sorani and Kurmanji Kurdish, Persian), in the forms the normalisers write:
lower case, straight apostrophes. A phrase of the rules ("go back to your own
country") keeps the function words inside it.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH = _words(
    """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't
    do does doesn't doing don't down during each even ever every few for from further get
    gets got had hadn't has hasn't have haven't having he he'd he'll he's her here here's
    hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's
    its itself just let's like many me more most much must mustn't my myself no nor not now
    of off on once one only or other ought our ours ourselves out over own really same shall
    shan't she she'd she'll she's should shouldn't so some still such than that that's the
    their theirs them themselves then there there's these they they'd they'll they're
    they've this those through to too under until up upon us very was wasn't we we'd we'll
    we're we've well were weren't what what's when when's where where's which while who
    who's whom why why's will with won't would wouldn't yet you you'd you'll you're you've
    your yours yourself yourselves s t d ll m re ve
    """
)
ARABIC = _words(
    "في من على إلى الى عن أن ان إن ما لا لم لن هذا هذه ذلك التي الذي و او أو ثم قد كل مع هو هي"
)
TURKISH = _words("ve ile bir bu şu o da de ki mi mı mu mü için gibi ama çok ne daha en ya")
KURDISH = _words("û ku ji bi di li ev ew jî de be لە و بە کە بۆ ئەو ئەم لەگەڵ")
PERSIAN = _words("از به با که این آن را تا هم یا")
STOP_WORDS: frozenset[str] = ENGLISH | ARABIC | TURKISH | KURDISH | PERSIAN

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_ALNUM = re.compile(r"[^\W_]")


def is_stop_word(word: str) -> bool:
    """Whether ``word`` (punctuation around it ignored, any case) is a function word, or
    punctuation with no letter or digit ("--", "..."). The empty string is neither; a
    phone number is no stop word (it is a promotion's evidence)."""
    core = _EDGE.sub("", word).lower().replace("\u2019", "'")
    return bool(word) and (not _ALNUM.search(core) or core in STOP_WORDS)
