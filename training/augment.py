"""Synthetic negatives against identity-term false positives.

Models trained on toxic-comment corpora learn that identity words themselves
("gay", "muslim", "black") predict abuse, because those words appear mostly in
attacks.  We counter it by adding neutral sentences, generated from templates x
identity terms, as negatives for every toxicity category: the identity word then
occurs in both classes and its weight shrinks towards what the context says.

The templates and the wording of ``training/suites/identity_neutral.txt`` are written
independently: the test set measures generalisation, it is not listed here.
"""

from __future__ import annotations

import random

import numpy as np

from service.moderation.types import CATEGORIES

IDENTITIES: tuple[str, ...] = (
    "gay",
    "lesbian",
    "bisexual",
    "transgender",
    "trans",
    "queer",
    "straight",
    "muslim",
    "jewish",
    "christian",
    "catholic",
    "hindu",
    "sikh",
    "buddhist",
    "atheist",
    "black",
    "white",
    "asian",
    "latino",
    "hispanic",
    "african",
    "african american",
    "arab",
    "mexican",
    "chinese",
    "indian",
    "pakistani",
    "kurdish",
    "somali",
    "syrian",
    "nigerian",
    "irish",
    "polish",
    "immigrant",
    "refugee",
    "disabled",
    "deaf",
    "blind",
    "autistic",
    "elderly",
    "young",
    "native american",
    "indigenous",
    "roma",
    "feminist",
    "female",
    "male",
    "non-binary",
)
NOUNS: tuple[str, ...] = (
    "people",
    "women",
    "men",
    "families",
    "students",
    "voters",
    "neighbours",
    "workers",
    "children",
    "doctors",
    "athletes",
    "authors",
    "community",
    "person",
    "woman",
    "man",
)
TEMPLATES: tuple[str, ...] = (
    "i am {a} {x} {n_one}",
    "my best friend is {x}",
    "{x} {n} live in our street",
    "the {x} community held a fundraiser for the hospital",
    "we interviewed several {x} {n} about the new bus routes",
    "she is {x} and works as a nurse",
    "he grew up in a {x} family",
    "{x} {n} have voted in every election here",
    "a {x} author won the prize this year",
    "my colleague is {x} and very good at her job",
    "the article quotes {x} {n} from the neighbourhood",
    "being {x} is part of who i am",
    "there are many {x} {n} in the city council",
    "{x} {n} celebrated the festival in the park",
    "our team includes {x} players",
    "as {a} {x} {n_one}, i think the plan is reasonable",
    "as {a} {x} {n_one} i disagree with the columnist",
    "my {x} neighbours helped clear the snow",
    "the report looks at {x} {n} and housing costs",
    "{x} history is taught at the local school",
    "i met some {x} {n} at the library today",
    "the museum has an exhibition about {x} artists",
    "{x} {n} are welcome at the meeting on thursday",
    "my partner is {x}",
    "the survey asked {x} {n} about healthcare",
)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def identity_negatives(n: int = 3000, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """``n`` neutral sentences with identity terms, labelled 0 for every toxicity category.

    ``promotion`` is left unknown (nan): the sentences say nothing about spam.
    """
    rng = random.Random(seed)
    texts: set[str] = set()
    while len(texts) < n:
        x = rng.choice(IDENTITIES)
        noun = rng.choice(NOUNS)
        one = rng.choice(("person", "woman", "man", "student", "parent"))
        text = rng.choice(TEMPLATES).format(x=x, n=noun, n_one=one, a=_article(x))
        if rng.random() < 0.5:
            text = text[0].upper() + text[1:]
        if rng.random() < 0.3:
            text = text.replace(x, x.title())
        texts.add(text + rng.choice((".", "", "!", ".")))
    rows = sorted(texts)
    labels = np.zeros((len(rows), len(CATEGORIES)))
    labels[:, CATEGORIES.index("promotion")] = np.nan
    return rows, labels


# Swear-like substrings that innocent words contain (cocktail, Scunthorpe, assassin ...).
SUBSTRINGS: tuple[str, ...] = (
    "ass",
    "cock",
    "dick",
    "cunt",
    "tit",
    "shit",
    "fuck",
    "cum",
    "anal",
    "rape",
    "sex",
    "hoe",
    "fag",
    "nig",
    "twat",
    "wank",
    "piss",
    "crap",
    "damn",
    "porn",
    "slut",
    "whore",
    "butt",
    "homo",
    "coon",
    "spic",
    "gay",
    "hell",
    "bitch",
    "balls",
    "nut",
    "penis",
    "arse",
    "hore",
)
SUBSTRING_TEMPLATES: tuple[str, ...] = (
    "the {w} was mentioned in the report",
    "we talked about {w} at dinner",
    "there is a story about {w} in today's paper",
    "i looked up {w} in the dictionary",
    "{w} came up in the meeting",
    "the article on {w} was interesting",
)


def substring_negatives(
    texts: list[str], labels: np.ndarray, n: int = 1500, seed: int = 0
) -> tuple[list[str], np.ndarray]:
    """Neutral sentences around ordinary words that contain a swear-like substring.

    The words are mined from the *clean* training rows (every toxicity label 0), so
    they are real words people use innocently; each must contain one of
    :data:`SUBSTRINGS` without being a lexicon word itself.  Char n-gram models
    otherwise learn ``cock`` inside ``cockpit``.  Labelled 0 for every toxicity
    category; ``promotion`` unknown.
    """
    import re

    from service.moderation.lexicon import FORM_SET
    from service.moderation.normalize import normalize_text

    toxic = labels[:, : len(CATEGORIES) - 1]
    clean = np.flatnonzero(np.nan_to_num(toxic, nan=1.0).max(axis=1) == 0)
    words: dict[str, int] = {}
    pattern = re.compile("|".join(SUBSTRINGS))
    for i in clean:
        for word in re.findall(r"[a-z]{4,}", normalize_text(texts[i])):
            if word not in FORM_SET and pattern.search(word):
                words[word] = words.get(word, 0) + 1
    common = sorted(words, key=lambda w: (-words[w], w))[:n]
    rng = random.Random(seed)
    rows = [rng.choice(SUBSTRING_TEMPLATES).format(w=w) for w in common]
    out = np.zeros((len(rows), len(CATEGORIES)))
    out[:, CATEGORIES.index("promotion")] = np.nan
    return rows, out
