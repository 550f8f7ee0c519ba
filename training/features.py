"""The scikit-learn pipeline that the saved model wraps.

Every class in it comes from scikit-learn or ``service.moderation`` so that the
artifact unpickles without importing ``training``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from service.moderation.heads import MultiHeadLogistic
from service.moderation.normalize import normalize_batch
from service.moderation.types import CATEGORIES


@dataclass(frozen=True)
class FeatureParams:
    """Sizes of the two TF-IDF blocks and the heads' regularisation."""

    word_ngram_range: tuple[int, int] = (1, 2)
    word_max_features: int = 120_000
    word_min_df: int = 2
    char_ngram_range: tuple[int, int] = (2, 5)
    char_max_features: int = 400_000
    char_min_df: int = 3
    # inverse regularisation per head (or one float for all), picked on validation rows
    C: float | dict[str, float] = field(
        default_factory=lambda: {
            "profanity": 3.0,
            "vulgarity": 3.0,
            "threat": 2.0,
            "personal_attack": 3.0,
            "abuse": 2.0,
            "promotion": 3.0,
        }
    )
    # heads fitted on naive-Bayes-scaled features (NB-LR); threat (few rows) stays plain
    nb_categories: tuple[str, ...] = (
        "profanity",
        "vulgarity",
        "personal_attack",
        "abuse",
        "promotion",
    )
    nb_power: float = 0.5
    sublinear_tf: bool = True


def build_pipeline(params: FeatureParams = FeatureParams(), C=None) -> Pipeline:
    """An unfitted ``normalize -> features -> heads`` pipeline."""
    word = TfidfVectorizer(
        lowercase=False,
        ngram_range=params.word_ngram_range,
        min_df=params.word_min_df,
        sublinear_tf=params.sublinear_tf,
        max_features=params.word_max_features,
        dtype=np.float64,
    )
    char = TfidfVectorizer(
        lowercase=False,
        analyzer="char_wb",
        ngram_range=params.char_ngram_range,
        min_df=params.char_min_df,
        sublinear_tf=params.sublinear_tf,
        max_features=params.char_max_features,
        dtype=np.float64,
    )
    return Pipeline(
        [
            ("normalize", FunctionTransformer(normalize_batch)),
            ("features", FeatureUnion([("word", word), ("char", char)])),
            (
                "heads",
                MultiHeadLogistic(
                    categories=CATEGORIES,
                    C=C if C is not None else params.C,
                    nb={c: c in params.nb_categories for c in CATEGORIES},
                    nb_power=params.nb_power,
                ),
            ),
        ]
    )


def slim(pipeline: Pipeline) -> Pipeline:
    """Drop state that prediction never uses (the pruned terms), to keep the artifact small."""
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_
    return pipeline


# --- the encoder's heads -------------------------------------------------------------------
# inverse regularisation of each logistic head on the unit-norm sentence embeddings
ENCODER_C: dict[str, float] = {c: 4.0 for c in CATEGORIES}
# encoder shares tried per category when blending with the n-gram model (picked on validation)
BLEND_GRID: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)


def build_encoder_heads(C: float | dict[str, float] | None = None) -> MultiHeadLogistic:
    """Unfitted heads over sentence embeddings (dense, so lbfgs rather than liblinear)."""
    return MultiHeadLogistic(
        categories=CATEGORIES, C=ENCODER_C if C is None else C, solver="lbfgs", max_iter=500
    )
