"""Relevance on real threads: Fox News comments under their own article and under another.

``../shared/data/fox-news-comments/`` holds comments under 10 articles with each
article's title and description. Every comment is paired with its own article and
with another (chosen at random, seed 0); the article's "recently approved comments"
are up to ten other comments of its thread, taken from the training rows. The
``off_topic`` score is the service's (``service.moderation.relevance``, with the
default model's encoder and relevance space); a comment the service does not
score (too short, a reply) counts as 0, as it is never held.

The threshold is picked on the training rows (the highest that holds at most
``--target`` (1%) of the comments under their own article) and reported on the test
rows: ROC AUC, and at that threshold the precision and recall of "off topic" and
the share of comments held under their own article.

    python bench/relevance.py [--data ../shared/data] [--target 0.01]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.moderation.bundle import ENGLISH, scorers_of  # noqa: E402
from service.moderation.loader import default_version, load_model  # noqa: E402
from service.moderation.relevance import (  # noqa: E402
    article_text,
    content_words,
    judged,
    off_topic,
)
from training.data import fox_news_rows  # noqa: E402
from training.metrics import auc  # noqa: E402

RECENT = 10


def pairs(rows: list[dict], context: list[dict], embed, floor: float, seed: int = 0):
    """(label, score) for each comment under its own article (0) and another (1)."""
    rng = random.Random(seed)
    titles = sorted({r["title"] for r in context})
    meta = {r["title"]: r["meta"] for r in context}
    articles = {t: article_text(t, meta[t]) for t in titles}
    thread = {t: [r["text"] for r in context if r["title"] == t] for t in titles}
    texts = [r["text"] for r in rows]
    vectors = embed(texts)
    article_vectors = dict(zip(titles, embed([articles[t] for t in titles]), strict=True))
    thread_vectors = {t: embed(thread[t]) for t in titles}
    out = []
    for i, row in enumerate(rows):
        own = row["title"]
        other = rng.choice([t for t in titles if t != own])
        for label, title in ((0, own), (1, other)):
            if not judged(row["text"], ENGLISH):
                out.append((label, 0.0))
                continue
            pool = [j for j, t in enumerate(thread[title]) if t != row["text"]]
            pick = rng.sample(pool, min(RECENT, len(pool)))
            score = off_topic(
                vectors[i],
                content_words(row["text"]),
                article_vectors[title],
                content_words(articles[title]),
                thread_vectors[title][pick],
                [content_words(thread[title][j]) for j in pick],
                floor,
            )
            out.append((label, score))
    return np.array([p[0] for p in out]), np.array([p[1] for p in out])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--models", type=Path, default=ROOT / "models")
    parser.add_argument("--version", default=None, help="default: models/DEFAULT")
    parser.add_argument("--target", type=float, default=0.01, help="own-article hold rate")
    args = parser.parse_args()
    model = load_model(args.models, args.version or default_version(args.models))
    english = scorers_of(model.scorer)[ENGLISH]
    embed, floor = english.relevance_vectors, english.relevance_floor
    train, test = fox_news_rows(args.data, "train"), fox_news_rows(args.data, "test")

    y, s = pairs(train, train, embed, floor)
    own = np.sort(s[y == 0])
    threshold = float(own[int(np.ceil(len(own) * (1 - args.target))) - 1])
    print(f"train: {len(train)} comments, AUC {auc(y, s):.3f}, threshold {threshold:.3f}")
    scored = s > 0
    print(
        f"  scored (not short, not a reply): {scored[y == 0].mean():.1%} of comments, "
        f"AUC on those {auc(y[scored], s[scored]):.3f}"
    )

    y, s = pairs(test, train, embed, floor)
    scored = s > 0
    share = scored[y == 0].mean()
    print(f"  AUC on the scored comments ({share:.1%}): {auc(y[scored], s[scored]):.3f}")
    held = s > threshold
    precision = float(y[held].mean()) if held.any() else float("nan")
    print(
        f"test: {len(test)} comments, AUC {auc(y, s):.3f}; at {threshold:.3f}: precision "
        f"{precision:.3f}, recall {held[y == 1].mean():.3f}, own-article comments held "
        f"{held[y == 0].mean():.1%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
