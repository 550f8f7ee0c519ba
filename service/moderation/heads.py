"""One logistic regression per category over a shared feature matrix.

The corpora label different categories: a row can be a known positive for one
category and say nothing about another (a Jigsaw ``toxic`` comment may or may
not be an attack on a person).  :class:`MultiHeadLogistic` therefore takes a
label matrix with ``nan`` for "unknown" and fits each head only on the rows
whose label for it is known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _expand_soft(X, y: np.ndarray, w: np.ndarray):
    """A fractional label p becomes a positive of weight p*w and a negative of weight (1-p)*w."""
    soft = (y > 0) & (y < 1)
    if not soft.any():
        return X, y >= 0.5, w
    hard = ~soft
    if sp.issparse(X):
        X = sp.vstack([X[hard], X[soft], X[soft]]).tocsr()
    else:  # dense features (sentence embeddings)
        X = np.vstack([X[hard], X[soft], X[soft]])
    labels = np.r_[y[hard] >= 0.5, np.ones(soft.sum(), bool), np.zeros(soft.sum(), bool)]
    weights = np.r_[w[hard], w[soft] * y[soft], w[soft] * (1 - y[soft])]
    return X, labels, weights


def _nb_ratio(X, y: np.ndarray, alpha: float, power: float) -> np.ndarray:
    """Naive-Bayes log-count ratio of each feature (Wang & Manning 2012, NB-SVM).

    The head is fitted on ``X * r`` and stores ``coef * r``, so prediction stays a
    plain dot product with the tf-idf vector.
    """
    present = (X > 0).astype(np.float64)
    pos = np.asarray(present.T @ y).ravel() + alpha
    neg = np.asarray(present.T @ (1.0 - y)).ravel() + alpha
    ratio = np.log(pos / pos.sum()) - np.log(neg / neg.sum())
    return np.sign(ratio) * np.abs(ratio) ** power


class MultiHeadLogistic(ClassifierMixin, BaseEstimator):
    """Independent L2 logistic heads, one per category, stored as float32.

    Parameters
    ----------
    categories : sequence of str
        One head per name, in the column order of ``Y``.
    C : float or mapping of category to float
        Inverse regularisation strength (per category when a mapping).
    class_weight : None, "balanced" or mapping of category to either
    max_iter : int
    nb : bool or mapping of category to bool
        Scale features by their naive-Bayes log-count ratio before fitting (NB-LR).
    nb_alpha : float
        Smoothing of those counts.
    nb_power : float
        The ratio's magnitude is raised to this power (0.5 damps it; 1 is plain NB-LR).
    solver : str
        scikit-learn's solver: ``liblinear`` for sparse n-grams, ``lbfgs`` for dense
        embeddings.

    Example
    -------
    >>> heads = MultiHeadLogistic(["spam"]).fit(X, np.array([[1.0], [0.0], [np.nan]]))
    >>> heads.predict_proba(X).shape
    (3, 1)
    """

    def __init__(
        self,
        categories: Sequence[str] = (),
        C: float | Mapping[str, float] = 4.0,
        class_weight: object = None,
        max_iter: int = 2000,
        nb: bool | Mapping[str, bool] = False,
        nb_alpha: float = 1.0,
        nb_power: float = 0.5,
        solver: str = "liblinear",
    ):
        self.categories = categories
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.nb = nb
        self.nb_alpha = nb_alpha
        self.nb_power = nb_power
        self.solver = solver

    def _param(self, value, category):
        return value.get(category) if isinstance(value, Mapping) else value

    def fit(self, X, Y, sample_weight=None, progress=None):
        """Fit each head on the rows where its column of ``Y`` is not nan.

        ``sample_weight`` is one weight per row, or one per row and category.
        """
        Y = np.asarray(Y, dtype=np.float64)
        weights = np.ones(X.shape[0]) if sample_weight is None else np.asarray(sample_weight)
        if weights.ndim == 1:
            weights = np.repeat(weights[:, None], len(self.categories), axis=1)
        coefs, intercepts = [], []
        for j, category in enumerate(self.categories):
            known = ~np.isnan(Y[:, j])
            Xk = X[known]
            ratio = None
            if self._param(self.nb, category):
                ratio = _nb_ratio(Xk, Y[known, j], self.nb_alpha, self.nb_power)
                Xk = Xk.multiply(ratio).tocsr()
            Xj, y, w = _expand_soft(Xk, Y[known, j], weights[known, j])
            model = LogisticRegression(
                C=self._param(self.C, category),
                class_weight=self._param(self.class_weight, category),
                solver=self.solver,
                max_iter=self.max_iter,
            )
            model.fit(Xj, y, sample_weight=w)
            coefs.append(model.coef_[0] * ratio if ratio is not None else model.coef_[0])
            intercepts.append(model.intercept_[0])
            if progress is not None:
                progress(category)
        self.coef_ = np.asarray(coefs, dtype=np.float32)
        self.intercept_ = np.asarray(intercepts, dtype=np.float64)
        self.classes_ = np.array(list(self.categories))
        return self

    def decision_function(self, X) -> np.ndarray:
        """Logits, one column per category."""
        return np.asarray(X @ self.coef_.T.astype(np.float64)) + self.intercept_

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities, one column per category (not a distribution: heads are independent)."""
        return _sigmoid(self.decision_function(X))
