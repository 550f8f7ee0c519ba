"""The English scorer: sentence-encoder heads, blended per category with the n-gram model.

:class:`EncoderModel` is what ``models/<version>/model.joblib`` holds for a model
whose card names an encoder. It holds

- ``heads``: one logistic head per category over the encoder's unit-norm
  embeddings (a :class:`~service.moderation.heads.MultiHeadLogistic`);
- ``ngram``: the n-gram :class:`~service.moderation.classifier.ModerationModel`, whose
  probabilities are blended in, whose rules set floors and whose word shares are the
  evidence;
- ``encoder_weight``: per category, the blend ``w * encoder + (1 - w) * n-gram``
  (picked on validation rows by training; 1 is the encoder alone, 0 the n-grams alone).

The encoder itself (:class:`~service.moderation.encoder.SentenceEncoder`) is not
pickled: the loader verifies the folder the card names and hands it over with
:meth:`EncoderModel.attach_encoder`. A comment longer than the encoder's window is
read window by window and each category keeps its highest window score.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .classifier import ModerationModel
from .encoder import SentenceEncoder
from .normalize import normalize
from .relevance import COSINE_FLOOR, RelevanceSpace
from .types import CATEGORIES, Scoring


class EncoderNotAttached(RuntimeError):
    """The model was unpickled but no encoder was attached (load it through the loader)."""


class EncoderModel:
    """Scores comments with encoder heads blended with an n-gram model.

    Parameters
    ----------
    heads : MultiHeadLogistic
        Fitted on the encoder's embeddings, columns in ``categories`` order.
    ngram : ModerationModel
        Fitted n-gram model (blend partner, rules and evidence).
    encoder_weight : float or mapping of category to float
        Share of the encoder in each category's score.
    encoder_sha256 : str
        The digest of the encoder the heads were fitted on (the card names it too).
    window : int or None
        Tokens per window when a comment is longer (None: the encoder's own, 128).
        Smaller windows dilute a short threat less in a long comment.
    relevance : RelevanceSpace or None
        Where the ``off_topic`` score compares a comment with its article (None: the
        encoder's own embeddings, read from :data:`~.relevance.COSINE_FLOOR`).
    """

    def __init__(
        self,
        heads,
        ngram: ModerationModel,
        encoder_weight: float | Mapping[str, float] = 1.0,
        encoder_sha256: str = "",
        categories: tuple[str, ...] = CATEGORIES,
        window: int | None = None,
        relevance: RelevanceSpace | None = None,
    ):
        self.heads = heads
        self.ngram = ngram
        self.encoder_weight = encoder_weight
        self.encoder_sha256 = encoder_sha256
        self.categories = tuple(categories)
        self.window = window
        self.relevance = relevance
        self._prepare()
        self.encoder: SentenceEncoder | None = None

    def _prepare(self) -> None:
        w = self.encoder_weight
        self._w = np.array(
            [w[c] if isinstance(w, Mapping) else w for c in self.categories], dtype=np.float64
        )
        self._coef = np.asarray(self.heads.coef_, dtype=np.float32).T  # (dim, k)
        self._intercept = np.asarray(self.heads.intercept_, dtype=np.float64)

    # --- pickling: never the encoder -----------------------------------------------------
    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_") and k != "encoder"}

    def __setstate__(self, state):
        state.setdefault("window", None)
        state.setdefault("relevance", None)
        self.__dict__.update(state)
        self.encoder = None
        self._prepare()

    def attach_encoder(self, encoder: SentenceEncoder) -> None:
        """Give the model the (verified) encoder it scores with."""
        if encoder.dim != self._coef.shape[0]:
            raise ValueError(
                f"encoder gives {encoder.dim} dimensions, heads need {self._coef.shape[0]}"
            )
        if self.window:
            encoder.window = self.window
        self.encoder = encoder

    # --- scores --------------------------------------------------------------------------
    def encoder_proba_normalized(self, norms: list[str]) -> np.ndarray:
        """Heads' probabilities (n, k) of normalised texts: the highest over each text's windows."""
        if self.encoder is None:
            raise EncoderNotAttached("no encoder attached: load the model with load_model()")
        vectors, owner = self.encoder.embed_windows(norms)
        return self.window_max(vectors, owner, len(norms))

    def window_max(self, vectors: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
        """Per text and category, the highest head probability over its windows."""
        z = vectors @ self._coef + self._intercept
        probs = 1.0 / (1.0 + np.exp(-z))
        if len(owner) == n:
            return probs
        out = np.zeros((n, probs.shape[1]))
        np.maximum.at(out, owner, probs)
        return out

    def blend(self, encoder_probs: np.ndarray, ngram_probs: np.ndarray) -> np.ndarray:
        """``w * encoder + (1 - w) * n-gram`` per category (before rule floors)."""
        return self._w * encoder_probs + (1.0 - self._w) * ngram_probs

    # --- relevance -----------------------------------------------------------------------
    def relevance_vectors(self, texts: list[str]) -> np.ndarray:
        """Unit-norm vectors that ``off_topic`` compares (see ``relevance``)."""
        if self.encoder is None:
            raise EncoderNotAttached("no encoder attached: load the model with load_model()")
        vectors = self.encoder.embed(texts)
        return self.relevance.project(vectors) if self.relevance else vectors

    @property
    def relevance_floor(self) -> float:
        """The cosine of unrelated texts among :meth:`relevance_vectors`."""
        return self.relevance.floor if self.relevance else COSINE_FLOOR

    # --- the service's interface ---------------------------------------------------------
    def score_batch(self, texts: list[str]) -> list[Scoring]:
        """Scores for every category and the evidence behind the meaningful ones, in order."""
        normalized = [normalize(t) for t in texts]
        ngram_probs, features, stats = self.ngram.learned(normalized)
        encoder_probs = self.encoder_proba_normalized([n.text for n in normalized])
        probs = self.blend(encoder_probs, ngram_probs)
        return self.ngram.finish(normalized, features, stats, probs)

    def score(self, text: str) -> Scoring:
        """:meth:`score_batch` of one comment."""
        return self.score_batch([text])[0]

    @property
    def evidence_min(self):
        return self.ngram.evidence_min

    @evidence_min.setter
    def evidence_min(self, value) -> None:
        self.ngram.evidence_min = value
        self.ngram._evidence_floor = np.array(
            [value[c] if isinstance(value, Mapping) else value for c in self.ngram.categories]
        )
