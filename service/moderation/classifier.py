"""The saved model: a scikit-learn pipeline, a fast scorer over its parameters, and rules.

:class:`ModerationModel` is what ``models/<version>/model.joblib`` holds.  It wraps
one scikit-learn ``Pipeline``::

    normalize_batch -> FeatureUnion(word 1-2gram TF-IDF, char_wb n-gram TF-IDF)
                    -> MultiHeadLogistic (one logistic head per category)

``pipeline.predict_proba`` is the reference.  Scoring one comment through
scikit-learn costs a millisecond of per-call overhead, so :meth:`score` computes
the same numbers directly from the fitted parameters: vocabulary look-ups, the
TF-IDF weights with their exact l2 norms, and a dot product with the heads'
coefficients (idf folded in).  ``tests/test_classifier.py`` proves both agree to
1e-6.  The char n-grams of each distinct word are looked up once and cached.

Because the model is linear, each word's share of a category's logit is exact;
the words that push a score up most are reported as evidence, mapped back to the
original text through the normaliser's offset map.  Explicit rules
(:mod:`service.moderation.rules`) then set floors under threat, profanity,
vulgarity and abuse.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np

from .normalize import Normalized, normalize
from .rules import _FLOOR_WORDS, RULE_FLOOR, THREAT_PATTERNS
from .types import CATEGORIES, Scoring, Span

_WS_WORD = re.compile(r"\S+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_THREAT_TRIGGER = re.compile(
    r"kill|murder|shoot|stab|strang|chok|hang|lynch|behead|slaught|butcher|burn|beat|rape|hurt|"
    r"bash|smash|break|punch|gut|skin|execut|end|destroy|bury|find|hunt|get|die|dead|kys|know|"
    r"watch|sleep|shot|gass|extermin|wipe|put"
)
_CACHE_LIMIT = 300_000


class ModerationModel:
    """Scores comments for every category and explains the scores.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Fitted ``normalize -> features -> heads`` pipeline (see the module docstring).
    categories : tuple of str
        Column order of the heads; must cover :data:`CATEGORIES`.
    evidence_min : float
        Categories scoring below this get no evidence (the policy would not use it).
    max_evidence : int
        Spans reported per category, strongest first.
    use_rules : bool
        Apply the explicit rule floors.
    """

    def __init__(
        self,
        pipeline,
        categories: tuple[str, ...] = CATEGORIES,
        evidence_min: float = 0.2,
        max_evidence: int = 5,
        use_rules: bool = True,
    ):
        self.pipeline = pipeline
        self.categories = tuple(categories)
        self.evidence_min = evidence_min
        self.max_evidence = max_evidence
        self.use_rules = use_rules
        self._prepare()

    # --- pickling: the fast tables are rebuilt from the pipeline at load time ---------------
    def __getstate__(self):
        state = self.__dict__.copy()
        for key in [k for k in state if k.startswith("_")]:
            del state[key]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._prepare()

    def _prepare(self) -> None:
        union = self.pipeline.named_steps["features"]
        (_, word), (_, char) = union.transformer_list
        heads = self.pipeline.named_steps["heads"]
        coef = heads.coef_.astype(np.float64)
        n_word = len(word.vocabulary_)
        self._word_vocab = word.vocabulary_
        self._char_vocab = char.vocabulary_
        self._word_idf = word.idf_.astype(np.float64)
        self._char_idf = char.idf_.astype(np.float64)
        self._word_w = np.ascontiguousarray((coef[:, :n_word] * self._word_idf).T)
        self._char_w = np.ascontiguousarray((coef[:, n_word:] * self._char_idf).T)
        self._intercept = heads.intercept_.astype(np.float64)
        self._token_re = re.compile(word.token_pattern)
        self._char_range = char.ngram_range
        self._word_range = word.ngram_range
        self._k = len(self.categories)
        self._zero = np.zeros(self._k)
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._index = {c: i for i, c in enumerate(self.categories)}

    # --- the reference path --------------------------------------------------------------
    def sklearn_proba(self, texts: list[str]) -> np.ndarray:
        """Learned probabilities through scikit-learn (no rules): the reference for tests."""
        return self.pipeline.predict_proba(texts)

    # --- the fast path -------------------------------------------------------------------
    def _char_entry(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """Vocabulary indices of a word's char_wb n-grams (with repeats) and their logit sum."""
        entry = self._cache.get(word)
        if entry is not None:
            return entry
        vocab = self._char_vocab
        padded = f" {word} "
        length = len(padded)
        found = []
        lo, hi = self._char_range
        for n in range(lo, hi + 1):  # the n-grams of sklearn's _char_wb_ngrams, in any order
            if length < n:
                if n == lo:
                    j = vocab.get(padded)
                    if j is not None:
                        found.append(j)
                break
            for i in range(length - n + 1):
                j = vocab.get(padded[i : i + n])
                if j is not None:
                    found.append(j)
            if length == n:
                break
        idx = np.array(found, dtype=np.int64)
        entry = (idx, self._char_w[idx].sum(axis=0) if found else self._zero)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = entry
        return entry

    def _logits(self, norm: str, with_parts: bool):
        """Logits of the learned heads and, optionally, per-word contributions."""
        words = [(m.start(), m.end(), m.group()) for m in _WS_WORD.finditer(norm)]
        # char block: l2-normalised counts of every n-gram occurrence
        entries = [self._char_entry(w) for _, _, w in words]
        z = self._intercept.copy()
        char_norm = 0.0
        if entries:
            idx = np.concatenate([e[0] for e in entries])
            if idx.size:
                uniq, counts = np.unique(idx, return_counts=True)
                values = counts * self._char_idf[uniq]
                char_norm = float(np.sqrt(values @ values))
                z += sum(e[1] for e in entries) / char_norm
        # word block: unigrams and bigrams of the token pattern
        tokens = [(m.start(), m.group()) for m in self._token_re.finditer(norm)]
        vocab = self._word_vocab
        found: list[int] = []
        owners: list[tuple[int, ...]] = []
        lo, hi = self._word_range
        for n in range(lo, hi + 1):
            for i in range(len(tokens) - n + 1):
                gram = tokens[i][1] if n == 1 else " ".join(t[1] for t in tokens[i : i + n])
                j = vocab.get(gram)
                if j is not None:
                    found.append(j)
                    owners.append(tuple(range(i, i + n)))
        word_norm = 0.0
        if found:
            idx = np.array(found, dtype=np.int64)
            uniq, counts = np.unique(idx, return_counts=True)
            values = counts * self._word_idf[uniq]
            word_norm = float(np.sqrt(values @ values))
            rows = self._word_w[idx]
            z += rows.sum(axis=0) / word_norm
        if not with_parts:
            return z, tokens, words, None
        parts = np.zeros((len(words), self._k))
        if char_norm:
            parts += np.array([e[1] for e in entries]) / char_norm
        if found:
            starts = [w[0] for w in words]
            rows = rows / word_norm
            for row, owner in zip(rows, owners, strict=True):
                share = row / len(owner)
                for t in owner:
                    parts[bisect_right(starts, tokens[t][0]) - 1] += share
        return z, tokens, words, parts

    def _rule_hits(self, norm: str, tokens) -> list[tuple[str, int, int]]:
        hits = []
        if _THREAT_TRIGGER.search(norm):
            for pattern in THREAT_PATTERNS:
                hits.extend(("threat", m.start(), m.end()) for m in pattern.finditer(norm))
        for start, token in tokens:
            category = _FLOOR_WORDS.get(token)
            if category:
                hits.append((category, start, start + len(token)))
        return hits

    def _score_one(self, text: str) -> Scoring:
        normalized = normalize(text)
        norm = normalized.text
        z, tokens, words, _ = self._logits(norm, with_parts=False)
        probs = 1.0 / (1.0 + np.exp(-z))
        hits = self._rule_hits(norm, tokens) if self.use_rules else []
        for category, _, _ in hits:
            j = self._index[category]
            probs[j] = max(probs[j], RULE_FLOOR)
        scores = {c: float(probs[i]) for i, c in enumerate(self.categories)}
        if max(scores.values()) < self.evidence_min:
            return Scoring(scores=scores, evidence=[])
        _, _, _, parts = self._logits(norm, with_parts=True)
        return Scoring(
            scores=scores, evidence=self._evidence(normalized, words, parts, probs, hits)
        )

    def _evidence(self, normalized: Normalized, words, parts, probs, hits) -> list[Span]:
        evidence: list[Span] = []
        for j, category in enumerate(self.categories):
            if probs[j] < self.evidence_min:
                continue
            spans: list[tuple[int, int]] = []
            for cat, start, end in hits:
                if cat == category:
                    span = normalized.original_span(start, end)
                    if span not in spans:
                        spans.append(span)
            order = np.argsort(-parts[:, j], kind="stable") if len(words) else []
            for i in order:
                if len(spans) >= self.max_evidence or parts[i, j] <= 0:
                    break
                span = self._word_span(normalized, words[i])
                if span not in spans:
                    spans.append(span)
            evidence.extend(Span(s, e, category) for s, e in spans[: self.max_evidence])
        return evidence

    @staticmethod
    def _word_span(normalized: Normalized, word) -> tuple[int, int]:
        start, end, text = word
        trimmed = _EDGE.sub("", text)
        if trimmed:
            start += text.index(trimmed)
            end = start + len(trimmed)
        return normalized.original_span(start, end)

    def learned_proba(self, texts: list[str]) -> np.ndarray:
        """The fast path's learned probabilities (no rules): must equal :meth:`sklearn_proba`."""
        out = np.empty((len(texts), self._k))
        for i, text in enumerate(texts):
            z = self._logits(normalize(text).text, with_parts=False)[0]
            out[i] = 1.0 / (1.0 + np.exp(-z))
        return out

    # --- the service's interface ---------------------------------------------------------
    def score(self, text: str) -> Scoring:
        """Scores for every category and the evidence behind the meaningful ones."""
        return self._score_one(text)

    def score_batch(self, texts: list[str]) -> list[Scoring]:
        """:meth:`score` for each text, in order."""
        return [self._score_one(text) for text in texts]
