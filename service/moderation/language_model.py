"""A scorer for one language other than English (Arabic, Turkish).

:class:`LanguageModel` is what the service unpickles for a language that has a
model of its own.  It is a linear model over two TF-IDF blocks of the scoring copy
that :mod:`service.moderation.script_normalize` makes::

    normaliser -> tokens -> char n-grams of each word (char block, l2-normalised)
                         -> word 1..n-grams          (word block, l2-normalised)
               -> one logistic head per label (``offensive``, ``hate``, ...)

A head is learned per *label* of the corpora; :attr:`heads` says which of the
service's categories each label feeds. :meth:`score_batch` returns scores only for
those categories, never for ones the language's data cannot judge.

One label may feed both ``profanity`` and ``personal_attack``: OffensEval's OFF
covers targeted insults and untargeted profanity alike, so the head gives one
offensive score. Then :func:`~service.moderation.address.person_target` decides,
per comment, which of the two the score is: aimed at a person (a second-person
address, a vocative, an @mention, a person word or a name) it is
``personal_attack`` and ``profanity`` is 0 (the policy: an insult aimed at a person
is a personal attack, never profanity); aimed at no one, it is ``profanity`` when
the comment swears (:func:`~service.moderation.swearing.swears`) and otherwise
``personal_attack`` with the cue ``nobody`` (or ``group`` when it names an identity
group), which the policy holds only when an attack is the likelier reading: harsh
words about a government are not swearing. The highest of
the two is the head's probability either way. The rule runs at scoring time, so
models saved before it get it on loading.

The vocabularies and idf are learned with scikit-learn's ``TfidfVectorizer`` over
this module's own analyzers; scoring then computes the same numbers directly from
the fitted tables (a comment costs a fraction of a millisecond, where going
through scikit-learn costs a millisecond of overhead per call).  Because the model
is linear, each word's share of a head's logit is exact: the words with the
largest shares are the evidence, mapped to original-text offsets.

Example::

    >>> heads = {"profanity": "offensive", "personal_attack": "offensive"}
    >>> model = LanguageModel("tr", heads=heads)
    >>> model.fit(texts, {"offensive": y})            # doctest: +SKIP
    >>> model.score_batch(["sen tam bir yavşAK"])[0].scores   # doctest: +SKIP
    {'profanity': 0.0, 'personal_attack': 0.97}
"""

from __future__ import annotations

import pickle
import re
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .address import GROUP, NOBODY, person_target
from .heads import MultiHeadLogistic
from .language_rules import find_hits, is_reported, names_group
from .rules import RULE_FLOOR
from .script_normalize import PLACEHOLDERS, ScriptNormalized, fold_turkish, normalizer_for
from .swearing import swears
from .types import CATEGORIES, Scoring, Span

# words: runs of letters and digits; emoji and other pictographs: one token each
_TOKEN = re.compile(r"\w+|[\u2600-\u27bf\U0001f300-\U0001faff]")
_CACHE_LIMIT = 200_000
# a word is evidence only if its share of the logit is at least this part of the top word's
EVIDENCE_SHARE = 0.15

# Words that are never shown as evidence: they carry grammar, not the offence.
_ARABIC_STOP = """
يا في من على علي الى الي عن ان انه انها او ما لا لم لن هذا هذه ذلك تلك هو هي هم انت انتي انتم
انا نحن كل مع اللي الذي التي الذين و ف ب ل ك ثم قد كان كانت بس شو ايش مش مو عشان لان حتي حتى
اذا لو يعني والله الله rt
"""
_TURKISH_STOP = """
ve bu bir da de ki mi mı mu mü ne o şu ben sen biz siz onlar için ile gibi çok daha ama en her hiç
olarak var yok ya diye kadar ise hem veya beni seni onu bunu şunu bana sana ona mısın misin musun
müsün
"""
STOP_WORDS: dict[str, frozenset[str]] = {
    "ar": frozenset(_ARABIC_STOP.split()),
    "tr": frozenset(_TURKISH_STOP.split()),
}


def _fold_none(text: str) -> str:
    return text


_FOLDS = {"none": _fold_none, "turkish": fold_turkish}


class _Analyzer:
    """The features of a normalised copy, as training and scoring both see them."""

    def __init__(
        self, word_ngram_range, char_ngram_range, fold: str, feature_stop_words, fold_words=False
    ):
        self.word_ngram_range = tuple(word_ngram_range)
        self.char_ngram_range = tuple(char_ngram_range)
        self.fold = _FOLDS[fold]
        self.fold_words = fold_words
        self.feature_stop_words = frozenset(feature_stop_words)

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """Tokens of the copy with their spans, placeholders left out."""
        return [
            (m.group(), m.start(), m.end())
            for m in _TOKEN.finditer(text)
            if m.group() not in PLACEHOLDERS
        ]

    def char_grams(self, token: str) -> list[str]:
        """Char n-grams of one token, padded with a space on each side."""
        if token in self.feature_stop_words:
            return []
        padded = f" {self.fold(token)} "
        lo, hi = self.char_ngram_range
        grams = []
        for n in range(lo, min(hi, len(padded)) + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
        return grams

    def word_grams(self, words: Sequence[str]) -> list[tuple[str, int, int]]:
        """Word n-grams as ``(gram, first token, last token)``; unigrams skip artefact words."""
        lo, hi = self.word_ngram_range
        if self.fold_words:
            words = [self.fold(w) for w in words]
        grams = []
        for n in range(lo, hi + 1):
            for i in range(len(words) - n + 1):
                if n == 1 and words[i] in self.feature_stop_words:
                    continue
                grams.append((" ".join(words[i : i + n]), i, i + n - 1))
        return grams

    # the two analyzers scikit-learn's vectorizers call (on normalised copies)
    def char_analyzer(self, text: str) -> list[str]:
        return [g for word, _, _ in self.tokens(text) for g in self.char_grams(word)]

    def word_analyzer(self, text: str) -> list[str]:
        return [g for g, _, _ in self.word_grams([w for w, _, _ in self.tokens(text)])]


class LanguageModel:
    """A picklable scorer for one language: normaliser, TF-IDF blocks, logistic heads.

    Parameters
    ----------
    language : str
        ``"ar"`` or ``"tr"``: picks the normaliser and the evidence stop words.
    heads : mapping of category to label name
        Which label's head scores each category, e.g.
        ``{"profanity": "offensive", "personal_attack": "offensive", "abuse": "hate"}``.
        Only these categories are ever scored.
    word_ngram_range, char_ngram_range : (int, int)
    word_min_df, char_min_df : int
        Terms in fewer training documents are dropped.
    word_max_features, char_max_features : int or None
        The most frequent terms kept per block (bounds the artifact's size).
    sublinear_tf : bool
        ``1 + ln(count)`` instead of raw counts.
    C : float or mapping of label to float
        Inverse regularisation of each head.
    nb : bool or "mix"
        Naive-Bayes log-count-ratio scaling of the features (NB-LR), see
        :class:`~service.moderation.heads.MultiHeadLogistic`; ``"mix"`` averages the
        logits of an NB-scaled and a plain head (still one linear model).
    nb_power : float
    class_weight : None or "balanced"
    fold : "none" or "turkish"
        Char n-grams are read from the copy folded this way (``turkish``: ASCII-folded).
    fold_words : bool
        Word n-grams are read from the folded copy too.
    feature_stop_words : iterable of str
        Corpus artefacts left out of unigrams and char n-grams (kept inside bigrams),
        such as the vocative ``يا`` on which the Arabic tweets were sampled.
    evidence_min : float
        Categories scoring below this get no evidence.
    max_evidence : int
        Spans per category, strongest first.
    """

    def __init__(
        self,
        language: str,
        heads: Mapping[str, str],
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (2, 5),
        word_min_df: int = 2,
        char_min_df: int = 2,
        word_max_features: int | None = 60_000,
        char_max_features: int | None = 150_000,
        sublinear_tf: bool = True,
        C: float | Mapping[str, float] = 4.0,
        nb: bool | str = True,
        nb_power: float = 0.5,
        class_weight: str | None = None,
        fold: str = "none",
        fold_words: bool = False,
        feature_stop_words: Sequence[str] = (),
        evidence_min: float = 0.2,
        max_evidence: int = 3,
    ):
        unknown = set(heads) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"unknown categories {sorted(unknown)}")
        self.language = language
        self.heads = dict(heads)
        self.word_ngram_range = tuple(word_ngram_range)
        self.char_ngram_range = tuple(char_ngram_range)
        self.word_min_df = word_min_df
        self.char_min_df = char_min_df
        self.word_max_features = word_max_features
        self.char_max_features = char_max_features
        self.sublinear_tf = sublinear_tf
        self.C = C
        self.nb = nb
        self.nb_power = nb_power
        self.class_weight = class_weight
        self.fold = fold
        self.fold_words = fold_words
        self.feature_stop_words = tuple(feature_stop_words)
        self.evidence_min = evidence_min
        self.max_evidence = max_evidence
        self._prepare()

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories this model scores, in the service's order."""
        return tuple(c for c in CATEGORIES if c in self.heads)

    @property
    def labels(self) -> tuple[str, ...]:
        """One head per label, in order of first use by :attr:`heads`."""
        return tuple(dict.fromkeys(self.heads[c] for c in self.categories))

    @property
    def analyzer(self) -> _Analyzer:
        """The features of a normalised copy (what training's vectorizers and scoring read)."""
        return self._analyzer

    def _prepare(self) -> None:
        """Rebuild what is derived from the parameters and fitted tables (after a load)."""
        self._normalize = normalizer_for(self.language)
        self._analyzer = _Analyzer(
            self.word_ngram_range,
            self.char_ngram_range,
            self.fold,
            self.feature_stop_words,
            self.fold_words,
        )
        self._stop = STOP_WORDS.get(self.language, frozenset()) | PLACEHOLDERS
        self._head_of = [self.labels.index(self.heads[c]) for c in self.categories]
        offensive = self.heads.get("profanity")
        # one head for both: the address rule says which of the two each comment's score is
        self._split_by_target = offensive is not None and offensive == self.heads.get(
            "personal_attack"
        )
        self._cache: dict[str, np.ndarray] = {}

    # --- fitting -------------------------------------------------------------------------
    def normalize(self, text: str) -> ScriptNormalized:
        """The scoring copy of ``text`` with its offset map."""
        return self._normalize(text)

    def fit(self, texts: Sequence[str], y: Mapping[str, np.ndarray], sample_weight=None):
        """Learn the vocabularies, idf and heads.

        ``y`` maps each label of :attr:`labels` to one value per text: 1, 0, or nan
        where the text's corpus does not have that label (no gradient for its head).
        """
        copies = [self.normalize(t).text for t in texts]
        char, word = (
            TfidfVectorizer(
                analyzer=analyzer,
                min_df=min_df,
                max_features=max_features,
                sublinear_tf=self.sublinear_tf,
                dtype=np.float64,
            )
            for analyzer, min_df, max_features in (
                (self._analyzer.char_analyzer, self.char_min_df, self.char_max_features),
                (self._analyzer.word_analyzer, self.word_min_df, self.word_max_features),
            )
        )
        X = sp.hstack([char.fit_transform(copies), word.fit_transform(copies)]).tocsr()
        # the vectorizers themselves are not kept: scoring needs only their tables
        self.char_vocabulary_ = char.vocabulary_
        self.word_vocabulary_ = word.vocabulary_
        self.idf_ = np.concatenate([char.idf_, word.idf_]).astype(np.float64)
        self.n_char_ = len(char.vocabulary_)
        Y = np.column_stack([np.asarray(y[label], dtype=np.float64) for label in self.labels])
        fitted = [
            MultiHeadLogistic(
                categories=self.labels,
                C=self.C,
                nb=nb,
                nb_power=self.nb_power,
                class_weight=self.class_weight,
            ).fit(X, Y, sample_weight=sample_weight)
            for nb in ((True, False) if self.nb == "mix" else (bool(self.nb),))
        ]
        # "mix": the mean of the NB-scaled and the plain heads' logits, itself a linear model
        coef = np.mean([h.coef_.astype(np.float64) for h in fitted], axis=0)
        self.coef_ = np.ascontiguousarray(coef.T, dtype=np.float32)  # (features, heads)
        self.intercept_ = np.mean([h.intercept_ for h in fitted], axis=0).astype(np.float64)
        self._cache = {}
        return self

    def transform(self, texts: Sequence[str]):
        """The feature matrix of ``texts`` (char block then word block), as scoring sees it."""
        rows, cols, vals = [], [], []
        for i, text in enumerate(texts):
            features = self._features(self.normalize(text).text)
            uniq, x = features[1], features[2]
            rows.append(np.full(uniq.size, i))
            cols.append(uniq)
            vals.append(x)
        shape = (len(texts), self.idf_.size)
        if not rows:
            return sp.csr_matrix(shape)
        return sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape
        )

    # --- scoring -------------------------------------------------------------------------
    def _token(self, token: str) -> np.ndarray:
        """A token's char n-gram indices (cached)."""
        vocabulary = self.char_vocabulary_
        found = [j for j in map(vocabulary.get, self._analyzer.char_grams(token)) if j is not None]
        entry = np.array(found, dtype=np.int64)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = entry
        return entry

    def _features(self, copy: str):
        """Tokens, distinct feature indices, their tf-idf values and each occurrence's owner.

        Returns ``(tokens, uniq, x, occ_feature, occ_owner, occ_weight)``: the copy's
        tokens; its distinct features (ascending, char block first) and their values
        in the l2-normalised blocks; and per feature occurrence its feature, the token
        it belongs to and the part of it that token owns (a bigram: half each).
        """
        tokens = self._analyzer.tokens(copy)
        words = [t for t, _, _ in tokens]
        cache = self._cache
        per_token = [cache.get(w) for w in words]
        for i, grams in enumerate(per_token):
            if grams is None:
                per_token[i] = self._token(words[i])
        sizes = [g.size for g in per_token]
        n_char_occ = sum(sizes)
        occ_f = [np.concatenate(per_token)] if n_char_occ else []
        occ_o = [np.repeat(np.arange(len(words)), sizes)] if n_char_occ else []
        occ_w = [np.ones(n_char_occ)] if n_char_occ else []
        vocabulary, offset = self.word_vocabulary_, self.n_char_
        wf, wo, ww = [], [], []
        for gram, first, last in self._analyzer.word_grams(words):
            j = vocabulary.get(gram)
            if j is None:
                continue
            if first == last:
                wf.append(j + offset)
                wo.append(first)
                ww.append(1.0)
            else:  # a bigram's share goes half to each of its two words
                wf += [j + offset, j + offset]
                wo += [first, last]
                ww += [0.5, 0.5]
        if wf:
            occ_f.append(np.array(wf, dtype=np.int64))
            occ_o.append(np.array(wo, dtype=np.int64))
            occ_w.append(np.array(ww))
        if not occ_f:
            empty = np.zeros(0, dtype=np.int64)
            return tokens, empty, np.zeros(0), empty, empty, np.zeros(0)
        f = np.concatenate(occ_f)
        owner = np.concatenate(occ_o)
        weight = np.concatenate(occ_w)
        # a bigram is one occurrence split in two halves: count it once
        uniq, inverse = np.unique(f, return_inverse=True)
        counts = np.bincount(inverse, weights=weight, minlength=uniq.size)
        counts = np.rint(counts)
        tf = 1.0 + np.log(counts) if self.sublinear_tf else counts
        x = tf * self.idf_[uniq]
        is_char = uniq < self.n_char_
        for block in (is_char, ~is_char):
            norm = np.sqrt(np.dot(x[block], x[block]))
            if norm:
                x[block] /= norm
        # each occurrence's part of its feature's value
        per_occurrence = (x / counts)[inverse] * weight
        return tokens, uniq, x, f, owner, per_occurrence

    def _probabilities(self, x: np.ndarray, uniq: np.ndarray) -> np.ndarray:
        z = self.intercept_ + x @ self.coef_[uniq] if uniq.size else self.intercept_.copy()
        return 1.0 / (1.0 + np.exp(-z))

    def target_category(self, text: str) -> str | None:
        """``personal_attack`` or ``profanity``: which one this model's shared offensive
        score is for ``text``; None when the two have heads of their own (or are absent)."""
        if not self._split_by_target:
            return None
        copy = self.normalize(text).text
        return self._target(self._analyzer.tokens(copy), copy, text)[0]

    def _target(self, tokens, copy: str, text: str) -> tuple[str, str | None]:
        """The category of the shared offensive score, and the cue of its target
        (:data:`~.address.NOBODY` for harsh words aimed at no person and no group)."""
        words = [w for w, _, _ in tokens]
        cue = person_target(words, self.language, text)
        if cue is None and swears(words, self.language):
            return "profanity", None
        if cue is None:
            # harsh words about a people, or else about an institution
            cue = GROUP if names_group(copy, self.language) else NOBODY
        return "personal_attack", cue

    def _score(self, text: str) -> Scoring:
        normalized = self.normalize(text)
        tokens, uniq, x, f, owner, part = self._features(normalized.text)
        probs = self._probabilities(x, uniq)
        scores = {c: float(probs[h]) for c, h in zip(self.categories, self._head_of, strict=True)}
        silent = cue = None
        if self._split_by_target:
            category, cue = self._target(tokens, normalized.text, text)
            silent = "profanity" if category == "personal_attack" else "personal_attack"
            scores[silent] = 0.0
        # threats and group abuse have no head here: the language's patterns floor them
        hits = find_hits(normalized.text, self.language)
        reported = [h for h in hits if is_reported(normalized.text, h, self.language)]
        for hit in hits:
            if hit not in reported:  # a quoted or reported threat sets no floor
                scores[hit.category] = max(scores.get(hit.category, 0.0), RULE_FLOOR)
        evidence = [
            Span(*normalized.original_span(hit.start, hit.end), hit.category) for hit in hits
        ]
        # every trigger reported, none used: the policy holds such a comment at most
        mentioned = tuple(evidence) if hits and len(reported) == len(hits) else ()
        wanted = sorted({h for h in self._head_of if probs[h] >= self.evidence_min})
        if wanted and tokens:
            weights = self.coef_[f][:, wanted] * part[:, None]
            shares = {
                h: np.bincount(owner, weights=weights[:, j], minlength=len(tokens))
                for j, h in enumerate(wanted)
            }
            for category, h in zip(self.categories, self._head_of, strict=True):
                if h in shares and category != silent:
                    evidence += self._evidence(normalized, tokens, shares[h], category)
        return Scoring(scores=scores, evidence=evidence, reported=mentioned, cue=cue)

    def _evidence(self, normalized: ScriptNormalized, tokens, share: np.ndarray, category: str):
        order = np.argsort(-share, kind="stable")
        spans: list[Span] = []
        top = None
        for i in order:
            value = share[i]
            if value <= 0 or len(spans) >= self.max_evidence:
                break
            word, start, end = tokens[i]
            if word in self._stop or len(word) < 2 or word.isdigit():
                continue
            if top is None:
                top = value
            elif value < EVIDENCE_SHARE * top:
                break
            a, b = normalized.original_span(start, end)
            span = Span(a, b, category)
            if span not in spans:
                spans.append(span)
        return spans

    def score(self, text: str) -> Scoring:
        """Scores of this model's categories for one text, and the words behind them.

        A shared offensive head's score goes to ``personal_attack`` or ``profanity``
        by :meth:`target_category`; the other of the two is 0."""
        return self._score(text)

    def score_batch(self, texts: Sequence[str]) -> list[Scoring]:
        """:meth:`score` of each text, in order."""
        return [self._score(text) for text in texts]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of each head (columns in :attr:`labels` order), no evidence.

        The heads' own probabilities: before the address rule splits a shared head."""
        out = np.empty((len(texts), len(self.labels)))
        for i, text in enumerate(texts):
            _, uniq, x, *_ = self._features(self.normalize(text).text)
            out[i] = self._probabilities(x, uniq)
        return out

    # --- pickling ------------------------------------------------------------------------
    # joblib's unpickler is slow on large dicts of strings, so the vocabularies are stored
    # as one zlib-compressed newline-joined string (no feature contains a newline).
    def __getstate__(self):
        state = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        for name in ("char_vocabulary_", "word_vocabulary_"):
            if name in state:
                terms = sorted(state[name], key=state[name].get)
                state[name] = zlib.compress("\n".join(terms).encode("utf-8"), 6)
        if "coef_" in state:
            state["coef_"] = zlib.compress(pickle.dumps(state["coef_"], protocol=5), 6)
        return state

    def __setstate__(self, state):
        state = dict(state)
        for name in ("char_vocabulary_", "word_vocabulary_"):
            if isinstance(state.get(name), bytes):
                raw = zlib.decompress(state[name]).decode("utf-8")
                terms = raw.split("\n") if raw else []
                state[name] = {t: i for i, t in enumerate(terms)}
        if isinstance(state.get("coef_"), bytes):
            state["coef_"] = pickle.loads(zlib.decompress(state["coef_"]))
        self.__dict__.update(state)
        self._prepare()
