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

import pickle
import re
import zlib
from dataclasses import replace
from itertools import chain
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .normalize import Normalized, normalize
from .rules import (
    ABUSE_TRIGGER,
    FLOOR_WORDS,
    PROMOTION_TRIGGER,
    RULE_FLOOR,
    THREAT_TRIGGER,
    VULGAR_TRIGGER,
    RuleHit,
    find_group_abuse,
    find_lexicon,
    find_promotion,
    find_threats,
    find_vulgar_acts,
    is_reported,
)
from .stopwords import is_stop_word
from .types import CATEGORIES, Scoring, Span

_WS_WORD = re.compile(r"\S+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_FLOOR_SET = frozenset(FLOOR_WORDS)
_CACHE_LIMIT = 300_000
# Evidence words (chosen on TOXICSPANS training posts against its raters' spans,
# bench/evidence_spans.py --split train): a word counts when the category scores at least
# EVIDENCE_SCORE, its share of the logit is over EVIDENCE_MIN_SHARE and over EVIDENCE_SHARE
# of the top word's; at most EVIDENCE_WORDS of them.
EVIDENCE_SCORE = 0.4
EVIDENCE_MIN_SHARE = 0.8
EVIDENCE_SHARE = 0.7
EVIDENCE_WORDS = 3


def _runs(chosen: list[int]) -> list[list[int]]:
    """``chosen`` word positions (strongest first) as runs of neighbours, strongest first."""
    picked = set(chosen)
    runs, seen = [], set()
    for i in chosen:
        if i in seen:
            continue
        start, end = i, i
        while start - 1 in picked:
            start -= 1
        while end + 1 in picked:
            end += 1
        run = list(range(start, end + 1))
        seen.update(run)
        runs.append(run)
    return runs


class _Text(NamedTuple):
    """A normalised text as the fast path sees it."""

    entries: list  # of _Word, one per whitespace-separated word
    bigrams: np.ndarray  # (m, 2): index of each bigram's first token, its word vocabulary index
    idx: np.ndarray  # every n-gram occurrence, in the joint index space (char block first)
    n_tokens: int  # the word vectorizer's tokens in the text
    rules: int  # the OR of its words' rule flags (which rule families could match)


class _Word(NamedTuple):
    """A whitespace-separated word of a normalised text, as the fast path sees it."""

    idx: np.ndarray  # its char n-grams' and unigrams' indices in the joint space, with repeats
    tokens: tuple[str, ...]  # its tokens under the word vectorizer's token pattern
    vec: np.ndarray  # (2, k): sums of idf * coef over its char n-grams and its unigrams
    ids: tuple[int, ...]  # each token's id among the tokens of vocabulary bigrams (-1: none)
    rules: int  # _THREAT | _PROMOTION | _FLOOR | _ABUSE | _VULGAR: families whose trigger it holds


# rule families a word can trigger; the full-text patterns run only when one is set.
# Every trigger is whole letters, so "a word of the text contains it" equals "the text does".
_THREAT, _PROMOTION, _FLOOR, _ABUSE, _VULGAR = 1, 2, 4, 8, 16
_NO_BIGRAMS = np.zeros((0, 2), dtype=np.int64)


class ModerationModel:
    """Scores comments for every category and explains the scores.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Fitted ``normalize -> features -> heads`` pipeline (see the module docstring).
    categories : tuple of str
        Column order of the heads; must cover :data:`CATEGORIES`.
    evidence_min : float or mapping of category to float
        Categories scoring below this get no evidence (the policy would not use it).
        Training sets it per category to ``min(0.2, reject threshold)``, so every
        automatic rejection comes with its evidence.
    max_evidence : int
        Spans reported per category, strongest first.
    use_rules : bool
        Apply the explicit rule floors.
    """

    def __init__(
        self,
        pipeline,
        categories: tuple[str, ...] = CATEGORIES,
        evidence_min: float | dict[str, float] = 0.2,
        max_evidence: int = 5,
        use_rules: bool = True,
    ):
        self.pipeline = pipeline
        self.categories = tuple(categories)
        self.evidence_min = evidence_min
        self.max_evidence = max_evidence
        self.use_rules = use_rules
        self._prepare()

    # --- pickling ------------------------------------------------------------------------
    # joblib unpickles with a pure-Python unpickler, which takes seconds on vocabularies of
    # hundreds of thousands of terms; the pipeline is therefore stored as one zlib-compressed
    # blob of the C pickler (loads in a fraction of a second).  The fast tables are rebuilt
    # from the pipeline at load time.
    def __getstate__(self):
        state = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        state["pipeline"] = zlib.compress(pickle.dumps(self.pipeline, protocol=5), 6)
        return state

    def __setstate__(self, state):
        state = dict(state)
        if isinstance(state["pipeline"], bytes):
            state["pipeline"] = pickle.loads(zlib.decompress(state["pipeline"]))
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
        # idf-folded coefficients, one row per n-gram: char block first, then word block
        self._w_all = np.empty((n_word + len(char.vocabulary_), len(self.categories)))
        self._w_all[: len(char.vocabulary_)] = (coef[:, n_word:] * self._char_idf).T
        self._w_all[len(char.vocabulary_) :] = (coef[:, :n_word] * self._word_idf).T
        self._char_w = self._w_all[: len(char.vocabulary_)]  # views, no copies
        self._word_w = self._w_all[len(char.vocabulary_) :]
        self._intercept = heads.intercept_.astype(np.float64)
        self._token_re = re.compile(word.token_pattern)
        self._char_range = char.ngram_range
        if word.sublinear_tf != char.sublinear_tf:
            raise ValueError("both vectorizers must agree on sublinear_tf")
        self._sublinear = bool(word.sublinear_tf)
        self._word_range = word.ngram_range
        self._k = len(self.categories)
        # one index space for the fast path: char n-grams first, then word n-grams
        self._n_char = len(char.vocabulary_)
        self._idf = np.concatenate([self._char_idf, self._word_idf])
        self._cache: dict[str, _Word] = {}
        # word bigrams as integer pairs: ids for the tokens they are made of, and
        # ``first_id * n_pair_tokens + second_id`` -> vocabulary index (dict and sorted arrays)
        pairs = [(gram.split(" "), j) for gram, j in word.vocabulary_.items() if " " in gram]
        self._pair_id: dict[str, int] = {}
        for (first, second), _ in pairs:
            self._pair_id.setdefault(first, len(self._pair_id))
            self._pair_id.setdefault(second, len(self._pair_id))
        self._n_pair = max(len(self._pair_id), 1)
        self._bigram_of = {
            self._pair_id[a] * self._n_pair + self._pair_id[b]: j for (a, b), j in pairs
        }
        order = sorted(self._bigram_of)
        self._bigram_keys = np.array(order, dtype=np.int64)
        self._bigram_cols = np.array([self._bigram_of[key] for key in order], dtype=np.int64)
        self._index = {c: i for i, c in enumerate(self.categories)}
        floor = self.evidence_min
        self._evidence_floor = np.array(
            [floor[c] if isinstance(floor, dict) else floor for c in self.categories]
        )

    # --- the reference path --------------------------------------------------------------
    def sklearn_proba(self, texts: list[str]) -> np.ndarray:
        """Learned probabilities through scikit-learn (no rules): the reference for tests."""
        return self.pipeline.predict_proba(texts)

    # --- the fast path -------------------------------------------------------------------
    def _entry(self, word: str) -> _Word:
        """What one whitespace-separated word contributes, computed once and cached."""
        vocab = self._char_vocab
        padded = f" {word} "
        length = len(padded)
        found = []
        lo, hi = self._char_range
        for n in range(lo, hi + 1):  # the n-grams of sklearn's _char_wb_ngrams
            if length < n:
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
        tokens = tuple(self._token_re.findall(word))
        unigrams = [j for j in map(self._word_vocab.get, tokens) if j is not None]
        rules = (
            (_THREAT if THREAT_TRIGGER.search(word) else 0)
            | (_PROMOTION if PROMOTION_TRIGGER.search(word) else 0)
            | (0 if _FLOOR_SET.isdisjoint(tokens) else _FLOOR)
            | (_ABUSE if ABUSE_TRIGGER.search(word) else 0)
            | (_VULGAR if VULGAR_TRIGGER.search(word) else 0)
        )
        vec = np.zeros((2, self._k))
        if found:
            vec[0] = self._char_w[found].sum(axis=0)
        if unigrams:
            vec[1] = self._word_w[unigrams].sum(axis=0)
        entry = _Word(
            np.array(found + [j + self._n_char for j in unigrams], dtype=np.int64),
            tokens,
            vec,
            tuple(self._pair_id.get(t, -1) for t in tokens),
            rules,
        )
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = entry
        return entry

    def _words(self, norm: str) -> list[_Word]:
        get = self._cache.get
        return [get(w) or self._entry(w) for w in norm.split()]

    @staticmethod
    def _text(entries: list[_Word], bigrams: np.ndarray, n_tokens: int, n_char: int) -> _Text:
        arrays = [e.idx for e in entries]
        if bigrams.size:
            arrays.append(bigrams[:, 1] + n_char)
        idx = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
        rules = 0
        for e in entries:
            rules |= e.rules
        return _Text(entries, bigrams, idx, n_tokens, rules)

    def _features_batch(self, norms: list[str]) -> list[_Text]:
        """The words of each normalised text and the vocabulary indices of all its n-grams.

        The bigram look-ups of the whole batch are done in one pass; one text is a
        batch of one.
        """
        per_text = [self._words(norm) for norm in norms]
        ids = [[i for e in entries for i in e.ids] for entries in per_text]
        n_tokens = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        ends = np.cumsum(n_tokens)
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(ends[-1:].sum()))
        first, second = flat[:-1], flat[1:]
        keys = first * self._n_pair + second
        at = np.minimum(np.searchsorted(self._bigram_keys, keys), self._bigram_keys.size - 1)
        hit = (first >= 0) & (second >= 0)
        hit[ends[ends < flat.size] - 1] = False  # no bigram across two texts
        if self._word_range[1] > 1 and self._bigram_keys.size:
            hit &= self._bigram_keys[at] == keys
        else:
            hit[:] = False
        where = np.flatnonzero(hit)
        table = np.column_stack([where, self._bigram_cols[at[where]]])
        bounds = np.searchsorted(where, ends - n_tokens).tolist() + [where.size]
        starts = (ends - n_tokens).tolist()
        texts = []
        for t, entries in enumerate(per_text):
            bigrams = table[bounds[t] : bounds[t + 1]]
            if bigrams.size:
                bigrams = bigrams - [starts[t], 0]
            texts.append(self._text(entries, bigrams, len(ids[t]), self._n_char))
        return texts

    def _tf(self, counts: np.ndarray) -> np.ndarray:
        """Term frequency as the vectorizers compute it (``1 + ln(count)`` when sublinear)."""
        return 1.0 + np.log(counts) if self._sublinear else counts.astype(np.float64)

    def _batch_logits(self, texts: list[_Text]) -> tuple[np.ndarray, tuple]:
        """Logits of many texts with one sparse product, and the batch's n-gram statistics.

        The statistics are ``(keys, counts, char_norm, word_norm)``: per distinct n-gram of
        each text its key ``row * n_features + index`` (ascending) and count, and each
        text's two block norms (what :meth:`_batch_parts` needs).
        """
        n = len(texts)
        lengths = np.fromiter((t.idx.size for t in texts), dtype=np.int64, count=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        # rows sorted one by one (small sorts) so that summing duplicates needs no global sort
        indices = (
            np.concatenate([np.sort(t.idx) for t in texts]) if n else np.zeros(0, dtype=np.int64)
        )
        X = sp.csr_matrix((np.ones(indices.size), indices, indptr), shape=(n, self._idf.size))
        X.has_sorted_indices = True
        X.sum_duplicates()
        counts = X.data.astype(np.int64)
        X.data = self._tf(X.data)
        rows = np.repeat(np.arange(n), np.diff(X.indptr))
        is_char = X.indices < self._n_char
        squares = (X.data * self._idf[X.indices]) ** 2
        char_norm = np.sqrt(np.bincount(rows, weights=squares * is_char, minlength=n))
        word_norm = np.sqrt(np.bincount(rows, weights=squares * ~is_char, minlength=n))
        block = np.where(is_char, char_norm[rows], word_norm[rows])
        X.data /= block
        keys = rows * self._idf.size + X.indices
        return self._intercept + X @ self._w_all, (keys, counts, char_norm, word_norm)

    def _batch_parts(self, texts: list[_Text], rows: list[int], stats: tuple) -> list:
        """Each whitespace word's exact share of each logit, for ``texts`` (rows ``rows``).

        Each n-gram occurrence adds ``tf(c)/c * idf * coef / norm`` of its block to the
        logit (``c`` its count in the text), so a word's share is the sum over the
        n-grams it contains (a bigram split half and half between its two words). The
        shares of a text add up to its logits less the intercept.
        """
        keys, counts, char_norms, word_norms = stats
        k = self._k
        entries = [e for t in texts for e in t.entries]
        n_words = np.fromiter((len(t.entries) for t in texts), dtype=np.int64, count=len(texts))
        total = len(entries)
        if not total:
            return [np.zeros((0, k)) for _ in texts]
        text_of_word = np.repeat(np.arange(len(texts)), n_words)
        row = np.asarray(rows, dtype=np.int64)
        cn = char_norms[row][text_of_word][:, None]
        wn = word_norms[row][text_of_word][:, None]
        vecs = np.array([e.vec for e in entries])
        parts = np.divide(vecs[:, 0], cn, out=np.zeros((total, k)), where=cn != 0)
        parts += np.divide(vecs[:, 1], wn, out=np.zeros((total, k)), where=wn != 0)
        # every n-gram occurrence: its word (or, for bigrams, its text) and its count
        idx = np.concatenate([t.idx for t in texts])
        sizes = np.fromiter((t.idx.size for t in texts), dtype=np.int64, count=len(texts))
        occ_text = np.repeat(np.arange(len(texts)), sizes)
        n_bigrams = np.fromiter((len(t.bigrams) for t in texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(sizes)
        is_bigram = np.zeros(idx.size + 1, dtype=np.int64)
        np.add.at(is_bigram, ends - n_bigrams, 1)
        np.add.at(is_bigram, ends, -1)
        is_bigram = np.cumsum(is_bigram[:-1]).astype(bool)
        plain = ~is_bigram
        owners, factors, positions = [], [], []
        correction = None
        if self._sublinear:
            occ_keys = row[occ_text] * self._idf.size + idx
            count = counts[np.searchsorted(keys, occ_keys)]
            block = np.where(
                idx < self._n_char, char_norms[row][occ_text], word_norms[row][occ_text]
            )
            correction = (self._tf(count) / count - 1.0) / np.where(block, block, 1.0)
            plain_at = np.flatnonzero(plain)
            per_occurrence = correction[plain_at]
            chosen = np.flatnonzero(per_occurrence)
            occ_owner = np.repeat(np.arange(total), [e.idx.size for e in entries])
            owners.append(occ_owner[chosen])
            factors.append(per_occurrence[chosen])
            positions.append(plain_at[chosen])
        if n_bigrams.any():  # each bigram: half to each of its two words
            token_owner = np.repeat(np.arange(total), [len(e.tokens) for e in entries])
            n_tokens = np.fromiter((t.n_tokens for t in texts), dtype=np.int64, count=len(texts))
            token_start = np.cumsum(n_tokens) - n_tokens
            first = np.concatenate([t.bigrams[:, 0] for t in texts])
            bigram_text = np.repeat(np.arange(len(texts)), n_bigrams)
            first += token_start[bigram_text]
            wnb = word_norms[row][bigram_text]
            weight = 0.5 / wnb
            at = np.flatnonzero(is_bigram)
            if correction is not None:
                weight *= 1.0 + correction[at] * wnb
            owners += [token_owner[first], token_owner[first + 1]]
            factors += [weight, weight]
            positions += [at, at]
        if owners:
            owner = np.concatenate(owners)
            values = self._w_all[idx[np.concatenate(positions)]]
            values *= np.concatenate(factors)[:, None]
            flat = (owner[:, None] * k + np.arange(k)).ravel()
            parts += np.bincount(flat, values.ravel(), minlength=total * k).reshape(total, k)
        bounds = np.cumsum(n_words).tolist()
        return np.split(parts, bounds[:-1])

    def _apply_rules(
        self, norm: str, text: _Text, probs: np.ndarray
    ) -> tuple[list[RuleHit], list[RuleHit]]:
        """Raise ``probs`` (in place) to the rule floor of every category a rule hits.

        Only the rule families that the text's words could trigger run (``text.rules``).
        A quoted, reported or condemned trigger (:func:`~service.moderation.rules.is_reported`)
        sets no floor. Returns every hit (the evidence) and, when the text's every
        threat, abuse and lexicon hit is reported, those hits (else none).
        """
        if not self.use_rules:
            return [], []
        hits = []
        if text.rules & _THREAT:
            hits += find_threats(norm)
        if text.rules & _ABUSE:
            hits += find_group_abuse(norm)
        if text.rules & _FLOOR:
            hits += find_lexicon(norm)
        if text.rules & _VULGAR:
            hits += find_vulgar_acts(norm)
        reported = [hit for hit in hits if is_reported(norm, hit)]
        if text.rules & _PROMOTION:
            hits += find_promotion(norm)
        for hit in hits:
            if hit not in reported:
                j = self._index[hit.category]
                probs[j] = max(probs[j], RULE_FLOOR)
        used = [hit for hit in hits if hit.category != "promotion" and hit not in reported]
        return hits, [] if used else reported

    def _needs_evidence(self, probs: np.ndarray) -> bool:
        return not (probs < self._evidence_floor).all()

    def _evidence(self, normalized: Normalized, parts, probs, hits: list[RuleHit]) -> list[Span]:
        """Per category worth explaining: its rule hits, then the words that pushed it most.

        A word is evidence when it is no function word, the category scores at least
        :data:`EVIDENCE_SCORE`, and its share of the logit is over :data:`EVIDENCE_MIN_SHARE`
        and :data:`EVIDENCE_SHARE` of the top word's; at most :data:`EVIDENCE_WORDS` of
        them, and neighbouring ones are one phrase ("stupid old fool").
        """
        words = [(m.start(), m.end(), m.group()) for m in _WS_WORD.finditer(normalized.text)]
        content = [i for i, (_, _, word) in enumerate(words) if not is_stop_word(word)]
        evidence: list[Span] = []
        for j, category in enumerate(self.categories):
            if probs[j] < self._evidence_floor[j]:
                continue
            spans: list[tuple[int, int]] = []
            for hit in hits:
                if hit.category == category:
                    span = normalized.original_span(hit.start, hit.end)
                    if span not in spans:
                        spans.append(span)
            if probs[j] >= EVIDENCE_SCORE and content:
                column = parts[content, j]
                order = np.argsort(-column, kind="stable")[:EVIDENCE_WORDS]
                cutoff = max(EVIDENCE_SHARE * column[order[0]], EVIDENCE_MIN_SHARE)
                chosen = [content[i] for i in order if column[i] > cutoff]
                for run in _runs(chosen):
                    span = self._phrase_span(normalized, [words[i] for i in run])
                    if span not in spans:
                        spans.append(span)
            evidence.extend(Span(s, e, category) for s, e in spans[: self.max_evidence])
        return evidence

    @classmethod
    def _phrase_span(cls, normalized: Normalized, run: list) -> tuple[int, int]:
        first, last = cls._word_span(normalized, run[0]), cls._word_span(normalized, run[-1])
        return first[0], last[1]

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
        return self.learned([normalize(t) for t in texts])[0]

    def learned(self, normalized: list[Normalized]) -> tuple[np.ndarray, list[_Text], tuple]:
        """Learned probabilities (n, k) of normalised texts, with what :meth:`finish` needs."""
        features = self._features_batch([n.text for n in normalized])
        z, stats = self._batch_logits(features)
        return 1.0 / (1.0 + np.exp(-z)), features, stats

    def finish(
        self, normalized: list[Normalized], features: list[_Text], stats: tuple, probs: np.ndarray
    ) -> list[Scoring]:
        """Rule floors (``probs`` is raised in place), then evidence where a score warrants it.

        ``probs`` may be other scores than this model's own (a blend): the evidence
        is still this model's word shares of each category's logit.
        """
        results: list = []
        pending = []  # (position, probabilities, rule hits) of the texts that need evidence
        for i, row in enumerate(probs):
            hits, reported = self._apply_rules(normalized[i].text, features[i], row)
            scores = dict(zip(self.categories, row.tolist(), strict=True))
            spans = tuple(
                Span(*normalized[i].original_span(h.start, h.end), h.category) for h in reported
            )
            results.append(Scoring(scores=scores, evidence=[], reported=spans))
            if self._needs_evidence(row):
                pending.append((i, row, hits))
        if pending:
            rows = [i for i, _, _ in pending]
            parts = self._batch_parts([features[i] for i in rows], rows, stats)
            for (i, row, hits), p in zip(pending, parts, strict=True):
                results[i] = replace(
                    results[i], evidence=self._evidence(normalized[i], p, row, hits)
                )
        return results

    # --- the service's interface ---------------------------------------------------------
    def score(self, text: str) -> Scoring:
        """Scores for every category and the evidence behind the meaningful ones."""
        return self.score_batch([text])[0]

    def score_batch(self, texts: list[str]) -> list[Scoring]:
        """:meth:`score` for each text, in order (one sparse product for the whole batch)."""
        normalized = [normalize(t) for t in texts]
        probs, features, stats = self.learned(normalized)
        return self.finish(normalized, features, stats, probs)
