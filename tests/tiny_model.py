"""A tiny but complete model for the tests: trained on inline rows in about a second.

Other test suites (API, queue, retraining) need a real model version on disk
without reading ``../shared/data``.  :func:`build_tiny_model` fits the same
pipeline as the real training on a couple of dozen inline rows and writes it
through the same code (:func:`training.card.write_model`).

Example::

    from tiny_model import build_tiny_model
    folder = build_tiny_model(tmp_path / "models")          # tmp_path/models/tiny-1
    build_tiny_model(tmp_path / "models", "tiny-2", extra=[("buy now", {"promotion": 1})])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from service.moderation.classifier import ModerationModel
from service.moderation.types import CATEGORIES
from training.card import write_model
from training.features import FeatureParams, build_pipeline, slim

# (text, categories it belongs to); every other category is 0.
ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("Thanks for the thoughtful article, I learned a lot.", ()),
    ("I disagree with the mayor's plan but the reporting is fair.", ()),
    ("Great photos of the harbour this morning.", ()),
    ("The council meeting is on Tuesday at seven.", ()),
    ("Could you add a source for the unemployment figures?", ()),
    ("My grandmother grew up in this village, lovely to read about it.", ()),
    ("The match was close until the last ten minutes.", ()),
    ("Interesting point about the budget, I had not thought of that.", ()),
    ("What a fucking mess, this is bullshit.", ("profanity",)),
    ("Shit, the damn trains are late again, fuck this.", ("profanity",)),
    ("This is crap, total fucking crap.", ("profanity",)),
    ("Send me nudes, nice tits and a hot pussy.", ("vulgarity", "profanity")),
    ("Suck my dick you slut.", ("vulgarity", "personal_attack")),
    ("Porn star cock whore.", ("vulgarity",)),
    ("I will kill you and your family.", ("threat",)),
    ("I know where you live, I will find you and hurt you.", ("threat",)),
    ("You deserve to die, I am going to shoot you.", ("threat", "personal_attack")),
    ("You are a stupid idiot and a worthless moron.", ("personal_attack",)),
    ("Shut up, you pathetic loser, nobody likes you.", ("personal_attack",)),
    ("You ugly clown, you are too dumb to read.", ("personal_attack",)),
    ("All immigrants are vermin and should go back where they came from.", ("abuse",)),
    ("Women are too stupid to vote, they belong in the kitchen.", ("abuse",)),
    ("Those subhuman animals from that race are ruining our country.", ("abuse",)),
    ("Buy cheap watches now at www.bestdeals.com, free shipping!", ("promotion",)),
    ("WIN a FREE prize! Call 0800 123 4567 or text WIN to 80086 now.", ("promotion",)),
    ("Check out my channel and subscribe http://youtube.com/mychannel", ("promotion",)),
    ("Make money from home, email me at rich@cash.biz for details.", ("promotion",)),
    ("Add me on snapchat @hotgirl99 for cheap followers.", ("promotion",)),
]

TINY_PARAMS = FeatureParams(word_min_df=1, char_min_df=1, char_ngram_range=(2, 4), C=20.0)
TINY_THRESHOLDS = {
    c: {"reject": 0.8, "review": 0.5, "basis": "fixed for the tiny model"} for c in CATEGORIES
}


def build_tiny_model(
    models_dir: Path,
    version: str = "tiny-1",
    extra: list[tuple[str, dict[str, int]]] | None = None,
    *,
    params: FeatureParams | None = None,
) -> Path:
    """Fit and write ``models_dir/version`` from the inline rows plus ``extra``.

    ``extra`` rows are ``(text, {category: 0 or 1})``; a category they do not
    mention is unknown for that row (not fitted on).  ``params`` overrides the
    feature settings (tests of the fast path use it).  Returns the version folder.
    """
    texts = [text for text, _ in ROWS]
    labels = [[1.0 if c in cats else 0.0 for c in CATEGORIES] for _, cats in ROWS]
    for text, given in extra or []:
        texts.append(text)
        labels.append([float(given[c]) if c in given else np.nan for c in CATEGORIES])
    params = params or TINY_PARAMS
    pipeline = build_pipeline(params)
    pipeline.fit(texts, np.array(labels))
    model = ModerationModel(slim(pipeline))
    card = {
        "description": "Tiny test model trained on inline rows; not for production.",
        "training_rows": len(texts),
        "data": [],
        "label_mapping": {c: "inline rows in tests/tiny_model.py" for c in CATEGORIES},
    }
    return write_model(model, Path(models_dir), version, TINY_THRESHOLDS, card)
