"""How far a comment is from its article: the ``off_topic`` score.

Two views of relatedness, averaged:

- meaning: the sentence encoder's cosine (rescaled, see :data:`COSINE_FLOOR`)
  between the comment and the article (title, lead and the opening of the body,
  :data:`BODY_CHARS`), averaged with its
  mean cosine to the three closest of the article's recently approved comments
  (a thread drifts, and a comment may answer the thread rather than the article);
- words: the share of the comment's content words (stems of five letters) that
  the article or those comments also use.

``off_topic = 1 - relatedness``, clipped to [0, 1]: higher is further off the topic.

A fine-tuned encoder packs unrelated texts close together (fine-tuning teaches it
toxicity, not topic). A model may carry a :class:`RelevanceSpace`: a linear map,
fitted at training time, from its encoder's embeddings back to the geometry of the
pretrained encoder it was tuned from, where topic is what separates texts. Cosines
are then taken there, from that space's own floor.

The policy holds a comment over ``off_topic.review`` and never rejects on relevance.

No score (None) when there is nothing to compare (no article text), when the
comment is too short to tell (fewer than :data:`MIN_WORDS` content words: "Great
article!" is about every article), when it answers another comment ("I agree with
you", "@Sara ...") rather than the article, or when its language is one the encoder
does not read (it reads English; see :data:`READS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

READS = frozenset({"en", "und"})
# For a version without a relevance space (before v20261207-1): its encoder, fine-tuned to
# tell toxicity apart, packed every text into a narrow cone, so two unrelated comments
# still have a cosine near 0.75 (the 10th percentile of comments to their own article on
# the Fox News training rows). Cosines are read from there up:
# ``(cos - floor) / (1 - floor)``; a space carries its own floor.
COSINE_FLOOR = 0.75
MIN_WORDS = 4
STEM = 5
TOP = 3
# an answer to another reader, not to the article
_REPLY = re.compile(
    r"^\s*@\w|\b(?:i|we)\s+(?:totally\s+|completely\s+|fully\s+)?(?:agree|disagree)\b|"
    r"\b(?:you(?:'re| are) (?:right|wrong)|well said|exactly|your (?:comment|point|post)|"
    r"reply|replying|as you said|the (?:previous|last) (?:comment|poster))\b",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = """about above after again against all also although always among and another any are
    around because been before being below between both but can cannot could did does doing
    down during each either else even ever every few for from further had has have having
    her here hers herself him himself his how however into its itself just least less let
    like made make many may might more most much must myself neither never nor not now off
    often once only other others ought our ours ourselves out over own perhaps please quite
    rather really same say says shall she should since some still such than that the their
    theirs them themselves then there these they thing things think this those though
    through thus too under until upon very was way well were what whatever when where
    whether which while who whom whose why will with within without would yet you your
    yours yourself yourselves people article"""
STOP_WORDS = frozenset(_STOP.split())


@dataclass(frozen=True)
class RelevanceSpace:
    """Where relevance compares meanings: ``unit((v - center) @ weights + bias)``.

    Fitted by least squares from a fine-tuned encoder's embeddings to the pretrained
    encoder's on training texts (``training/relevance_space.py``). ``floor`` is the
    cosine read as "no relation", as :data:`COSINE_FLOOR` is for raw embeddings.
    """

    center: np.ndarray  # (dim,)
    weights: np.ndarray  # (dim, out)
    bias: np.ndarray  # (out,)
    floor: float

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Unit-norm vectors of the space, one per row of ``vectors``."""
        out = (np.asarray(vectors, dtype=np.float32) - self.center) @ self.weights + self.bias
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def content_words(text: str) -> set[str]:
    """The stems of a text's content words: what the word view compares."""
    return {w[:STEM] for w in (m.lower() for m in _WORD.findall(text)) if w not in STOP_WORDS}


def is_reply(text: str) -> bool:
    return bool(_REPLY.search(text))


def judged(text: str, language: str) -> bool:
    """Whether relevance is scored at all for this comment (see the module docstring)."""
    return language in READS and not is_reply(text) and len(content_words(text)) >= MIN_WORDS


def off_topic(
    comment: np.ndarray,
    words: set[str],
    article: np.ndarray,
    article_words: set[str],
    recent: np.ndarray | None = None,
    recent_words: Iterable[set[str]] = (),
    floor: float = COSINE_FLOOR,
) -> float:
    """The score of one comment (unit-norm embeddings; ``recent`` is (k, dim) or None;
    ``floor`` the cosine of unrelated texts in the space the vectors are from)."""
    meaning = float(comment @ article)
    if recent is not None and len(recent):
        closest = np.sort(recent @ comment)[-TOP:]
        meaning = (meaning + float(closest.mean())) / 2
    meaning = (meaning - floor) / (1.0 - floor)
    known = set(article_words).union(*recent_words)
    shared = len(words & known) / max(len(words), 1)
    relatedness = (min(max(meaning, 0.0), 1.0) + shared) / 2
    return float(min(max(1.0 - relatedness, 0.0), 1.0))


# of a long body, the opening is what comments answer (and what a worker can embed fast)
BODY_CHARS = 3000


def article_text(title: str | None, lead: str | None = None, body: str | None = None) -> str:
    """What a comment is compared with: the article's title, lead and the opening of its body."""
    parts = (title, lead, body[:BODY_CHARS] if body else None)
    return ". ".join(part.strip() for part in parts if part and part.strip())


def off_topic_batch(
    embed,
    comments: Sequence[str],
    article: str,
    recent: Sequence[str] = (),
    floor: float = COSINE_FLOOR,
) -> list[float]:
    """Scores of comments on one article; ``embed(texts) -> (n, dim)`` unit-norm vectors
    (of the model's relevance space when it has one, whose ``floor`` goes with them)."""
    vectors = embed([*comments, article, *recent])
    n = len(comments)
    article_vector, recent_vectors = vectors[n], vectors[n + 1 :]
    article_words = content_words(article)
    recent_words = [content_words(t) for t in recent]
    return [
        off_topic(
            vectors[i],
            content_words(text),
            article_vector,
            article_words,
            recent_vectors,
            recent_words,
            floor,
        )
        for i, text in enumerate(comments)
    ]
