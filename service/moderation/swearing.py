"""Does an Arabic or Turkish comment swear? A word list, no model.

The Arabic and Turkish models have one offensive score for insults and swearing
alike (OffensEval's OFF). :func:`~.address.person_target` says when it is aimed at a
person (``personal_attack``). Aimed at no one, it is ``profanity`` only when the
comment swears: "Hükümet tamamen beceriksiz ve yalancı" ("the government is
incompetent and a liar") and "الحكومة فاشلة" are harsh words about an institution,
which the site welcomes, not swearing. Without a swear word the score stays
``personal_attack`` with no cue, which the policy holds only when an attack is the
model's likelier reading (:data:`~.policy.WEAK_CUE_REVIEW`).

The lists hold the sexual and scatological swear words of each language, the words
a reader would call swearing, not insults (``aptal`` "stupid", ``غبي``) nor mild
exclamations. Turkish words are compared ASCII-folded and lower-cased, as
:mod:`.address` compares them, by stem where the stem cannot start another word
(``siktir``, ``sikeyim``, ``orospunun``) and whole otherwise (``göt`` but not
``götür`` "take"; ``bok`` but not ``boks`` "boxing"). Folded, ``sık`` "often" and
``sıkış`` "squeeze" read ``sik`` and ``sikis``, so neither is on the list. Arabic
words are compared as the scoring copy spells them (ا for أ إ آ, ي for ى, ه for
ة), whole, with a leading ``و`` or ``ف`` taken off (``وكس``), and ``كس`` never as
the start of ``كسر``.

    >>> swears(["aptal", "yavsak", "haber"], "tr")
    True
    >>> swears(["hukumet", "beceriksiz"], "tr")
    False
"""

from __future__ import annotations

from collections.abc import Sequence

from .script_normalize import fold_turkish


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold_turkish(w) for w in words.split())


# Turkish: stems that start no innocent word, and words compared whole
_TR_STEMS = tuple(
    sorted(
        _folded(
            """
            siktir sikeyim sikerim siktiğim amına amcık orospu yarrak yarağ yavşak pezevenk
            kahpe kaltak gavat puşt ibne götveren götlek
            """
        )
    )
)
_TR_WORDS = _folded(
    """
    amk aq amq mk sg piç piçler piçin piçi göt götü götün götünü göte götten
    bok boku boka boktan boklu bokunu yarak
    """
)
# Arabic, as the scoring copy spells them
_AR_LIST = """
    كس كسم كسمك كسختك زب زبي زبر طيز طيزك شرموط شرموطه شراميط عرص عرصه معرص منيوك منيوكه
    قحبه قحاب خول متناك نيك انيك ينيك منيك زق خرا خره الخرا عير ايري يلعن يلعنك يلعنه
    يلعنها يلعنكم يلعنهم
"""
_AR_WORDS = frozenset(_AR_LIST.split())


def swears(words: Sequence[str], language: str) -> bool:
    """True when one of ``words`` (tokens of the language's scoring copy) is a swear word.

    Languages other than ``ar`` and ``tr`` get False.
    """
    if language == "tr":
        folded = (fold_turkish(w) for w in words)
        return any(w in _TR_WORDS or w.startswith(_TR_STEMS) for w in folded)
    if language == "ar":
        return any(
            w in _AR_WORDS or (len(w) > 2 and w[0] in "وف" and w[1:] in _AR_WORDS) for w in words
        )
    return False
