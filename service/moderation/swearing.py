"""Does an Arabic or Turkish comment swear? A word list, no model.

The Arabic and Turkish models have one offensive score for insults and swearing
alike (OffensEval's OFF). :func:`~.address.person_target` says when it is aimed at a
person (``personal_attack``). Aimed at no one, it is ``profanity`` only when the
comment swears: "Hükümet tamamen beceriksiz ve yalancı" ("the government is
incompetent and a liar") and "الحكومة فاشلة" are harsh words about an institution,
which the site welcomes, not swearing. Without a swear word the score stays
``personal_attack`` with the cue ``nobody``, which the policy holds only when an
attack is the model's likelier reading (:data:`~.policy.WEAK_CUE_REVIEW`).

The lists hold the sexual and scatological swear words of each language, the words
a reader would call swearing, not insults (``aptal`` "stupid", ``غبي``) nor mild
exclamations. Turkish words are compared with ``ş ğ ç ö ü`` folded to ASCII but the
dotless ``ı`` kept apart from ``i``, since the pairs differ only there: ``sıktır`` "is
frequent" is not ``siktir``, ``sıktığım`` "that I squeezed" is not ``siktiğim``. A
stem that starts no innocent word matches a word's start (``siktir``, ``sikeyim``,
``orospunun``); other words match whole (``göt`` but not ``götür`` "take"; ``bok``
but not ``boks`` "boxing"; ``puşt`` but not ``pustu`` "it was hazy"). Words that are
also names or plain words are left out (``Amina``, old ``yarak`` "weapon"). Arabic
words are compared as the scoring copy spells them (ا for أ إ آ, ي for ى, ه for ة),
whole: ``خول`` "authorised", ``عرصة`` "a plot of land", ``نيك`` "Nick" and the idiom
``بلا وكس`` are not on the list. Persian ``کس`` "someone" reads as ``كس`` once the
Arabic copy folds its letters: Persian that reaches the Arabic model (detected ``und``,
or under ``language.fa=score``) may be read as swearing. A swear word here only names
the offensive score's category; it never rejects a comment by itself.

    >>> swears(["aptal", "yavşak", "haber"], "tr")
    True
    >>> swears(["hukumet", "beceriksiz"], "tr")
    False
"""

from __future__ import annotations

from collections.abc import Sequence

_KEEP_DOTLESS = str.maketrans("şğçöüŞĞÇÖÜ", "sgcouSGCOU")


def _folded(words: str) -> frozenset[str]:
    return frozenset(w.translate(_KEEP_DOTLESS) for w in words.split())


# Turkish: stems that start no innocent word, and words compared whole
_TR_STEMS = tuple(
    sorted(
        _folded(
            """
            siktir sikeyim sikerim siktiğim sikik amına amcık orospu yarrak yarağ yavşak yavsak
            pezevenk kahpe kaltak gavat ibne götveren götlek taşak taşşak taşağ taşşağ
            """
        )
    )
)
_TR_WORDS = _folded(
    """
    amk aq amq mk sg piç piçler piçin piçi göt götü götün götünü göte götten
    bok boku boka boktan boklu bokunu puşt
    """
)
# Arabic, as the scoring copy spells them
_AR_LIST = """
    كس كسم كسمك كسختك زب زبي زبر طيز طيزك شرموط شرموطه شراميط عرص معرص منيوك منيوكه
    قحبه قحاب متناك انيك ينيك زق خرا خره الخرا عير عيري ايري يلعن يلعنك يلعنه
    يلعنها يلعنكم
"""
_AR_WORDS = frozenset(_AR_LIST.split())


def swears(words: Sequence[str], language: str) -> bool:
    """True when one of ``words`` (tokens of the language's scoring copy) is a swear word.

    Languages other than ``ar`` and ``tr`` get False.
    """
    if language == "tr":
        folded = (w.translate(_KEEP_DOTLESS) for w in words)
        return any(w in _TR_WORDS or w.startswith(_TR_STEMS) for w in folded)
    if language == "ar":
        return any(w in _AR_WORDS for w in words)
    return False
