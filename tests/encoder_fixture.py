"""A tiny ONNX sentence encoder and its ``tokenizer.json``, built in milliseconds, no torch.

The graph has the real encoder's interface (``input_ids`` and ``attention_mask`` in,
``embedding`` (batch, dim) out) and the real pooling: a token embedding table
(``Gather``), the mean over the unmasked tokens, L2 normalisation. The tokenizer is
a lower-casing WordLevel vocabulary with ``[CLS] ... [SEP]`` around each text, like
BERT's. Tests load it through the real path (:func:`load_encoder`).

Example::

    folder, digest = build_tiny_encoder(tmp_path / "models")
    encoder = load_encoder(folder, digest)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from service.moderation.encoder import MODEL_FILE, TOKENIZER_FILE, encoder_digest

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
_WORD_LIST = (
    "the a you are is i will and of to in it this that my your he she they we mayor "
    "policy article budget council vote city news idiot stupid moron loser dumb kill "
    "shoot hurt die legs break threat buy free prize call now click subscribe fuck "
    "shit damn crap women men immigrants muslims hate vermin go back good great thanks "
    "read story long very text word filler marker"
)
WORDS = _WORD_LIST.split(" ")
DIM = 8


def build_tokenizer(words: list[str] = WORDS) -> Tokenizer:
    vocab = {token: i for i, token in enumerate(SPECIALS + list(dict.fromkeys(words)))}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    return tokenizer


def build_graph(
    vocab_size: int, dim: int = DIM, seed: int = 0, projection: bool = False
) -> onnx.ModelProto:
    """Gather embedding (-> a dim x dim projection) -> masked mean -> L2 normalise, with
    dynamic batch and sequence."""
    rng = np.random.default_rng(seed)
    table = rng.normal(size=(vocab_size, dim)).astype(np.float32)
    lookup = "raw_tokens" if projection else "tokens"
    nodes = [helper.make_node("Gather", ["table", "input_ids"], [lookup], axis=0)]
    initializers = [numpy_helper.from_array(table, "table")]
    if projection:
        nodes.append(helper.make_node("MatMul", [lookup, "projection"], ["tokens"]))
        weights = rng.normal(size=(dim, dim)).astype(np.float32)
        initializers.append(numpy_helper.from_array(weights, "projection"))
    nodes += [
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "axis_last"], ["mask3"]),
        helper.make_node("Mul", ["tokens", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis_seq"], ["summed"], keepdims=0),
        helper.make_node("ReduceSum", ["mask3", "axis_seq"], ["count"], keepdims=0),
        helper.make_node("Max", ["count", "eps"], ["safe_count"]),
        helper.make_node("Div", ["summed", "safe_count"], ["mean"]),
        helper.make_node("ReduceL2", ["mean"], ["norm"], axes=[-1], keepdims=1),
        helper.make_node("Max", ["norm", "eps"], ["safe_norm"]),
        helper.make_node("Div", ["mean", "safe_norm"], ["embedding"]),
    ]
    initializers += [
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "axis_last"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis_seq"),
        numpy_helper.from_array(np.array([1e-9], dtype=np.float32), "eps"),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny-encoder",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
            helper.make_tensor_value_info(
                "attention_mask", TensorProto.INT64, ["batch", "sequence"]
            ),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", dim])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def build_tiny_encoder(
    models_dir: Path, seed: int = 0, quantised: bool = False
) -> tuple[Path, str]:
    """Write ``models_dir/encoders/<sha256>/`` and return the folder and its digest.

    ``quantised``: with a projection quantised as the served encoder is (dynamic int8,
    one activation scale per input tensor, weights per channel).
    """
    tokenizer = build_tokenizer()
    staging = Path(models_dir) / "encoders" / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    graph = build_graph(tokenizer.get_vocab_size(), seed=seed, projection=quantised)
    onnx.save(graph, str(staging / MODEL_FILE))
    if quantised:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(
            staging / MODEL_FILE,
            staging / MODEL_FILE,
            op_types_to_quantize=["MatMul"],
            per_channel=True,
            weight_type=QuantType.QInt8,
        )
    tokenizer.save(str(staging / TOKENIZER_FILE))
    digest = encoder_digest(staging)
    folder = staging.with_name(digest)
    if folder.exists():
        for path in staging.iterdir():
            path.unlink()
        staging.rmdir()
    else:
        staging.rename(folder)
    return folder, digest


def build_tiny_encoder_model(
    models_dir: Path, version: str = "tiny-enc-1", encoder_weight: float = 0.5, relevance=None
) -> Path:
    """A complete encoder model version: tiny encoder, heads on its embeddings, n-gram model
    (and ``relevance``, a :class:`~service.moderation.relevance.RelevanceSpace`, if given).

    Written through the real code (:func:`training.card.write_model`), with the card
    naming the encoder as ``{"path": "encoders/<sha256>", "sha256": ...}``.
    """
    from service.moderation.blend import EncoderModel
    from service.moderation.classifier import ModerationModel
    from service.moderation.encoder import load_encoder
    from service.moderation.heads import MultiHeadLogistic
    from service.moderation.normalize import normalize_text
    from service.moderation.types import CATEGORIES
    from training.card import write_model
    from training.features import build_pipeline, slim

    from tiny_model import ROWS, TINY_PARAMS, TINY_THRESHOLDS

    folder, digest = build_tiny_encoder(models_dir)
    texts = [text for text, _ in ROWS]
    labels = np.array([[1.0 if c in cats else 0.0 for c in CATEGORIES] for _, cats in ROWS])
    pipeline = build_pipeline(TINY_PARAMS)
    pipeline.fit(texts, labels)
    ngram = ModerationModel(slim(pipeline))
    embeddings = load_encoder(folder, digest).embed([normalize_text(t) for t in texts])
    heads = MultiHeadLogistic(CATEGORIES, C=50.0, solver="lbfgs").fit(embeddings, labels)
    model = EncoderModel(heads, ngram, encoder_weight, digest, relevance=relevance)
    card = {
        "description": "Tiny encoder test model trained on inline rows; not for production.",
        "encoder": {"path": f"encoders/{digest}", "sha256": digest},
        "data": [],
    }
    return write_model(model, Path(models_dir), version, TINY_THRESHOLDS, card)
