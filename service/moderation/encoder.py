"""The sentence encoder the service scores with: an ONNX graph and a ``tokenizer.json``.

An encoder is a folder (``models/encoders/<sha256>/``) holding ``model.onnx``, whose
graph takes ``input_ids`` and ``attention_mask`` (and ``token_type_ids`` if it
asks for them) and returns ``embedding`` (batch, dim), mean-pooled and L2-normalised
inside the graph, and the ``tokenizer.json`` of the ``tokenizers`` package with
padding and truncation off. Only numpy, onnxruntime and tokenizers are needed:
torch never enters the web process.

The folder is content-addressed: :func:`encoder_digest` hashes both files, and
:func:`load_encoder` refuses a folder whose digest is not the one the model card
records, as the loader refuses a tampered artifact. The bytes hashed are the
bytes loaded.

Each window of tokens runs on its own, never batched with others. The served
encoder is quantised dynamically: int8 activations with one scale per input tensor,
so in a batch every window is quantised with a scale its companions and their
padding set, and the same comment scored differently by what arrived with it
("Anyway this game sucks :)" scored profanity 0.587 alone and 0.515 beside a long
text). One window per run gives every comment the scores it gets alone, wastes no
work on padding, and costs 8% on one thread against length-sorted batches of 32;
with ``threads`` above one, windows run side by side (the encoder alone on the
suite's test texts, two cores: 447 texts/s against 421 for batches of 32 on two
intra-op threads).

A text longer than ``window`` tokens is split into overlapping windows
(:meth:`SentenceEncoder.embed_windows`), so the end of a long comment is read as
closely as its start.

Since a window's embedding depends on its tokens alone, two model versions on one
encoder (a retrain keeps it frozen) embed the same suite identically: inside
:func:`shared_embeddings`, verified encoders of one digest reuse each other's
windows, so the promotion gate runs the encoder once for both models.

Example::

    >>> encoder = load_encoder(Path("models/encoders/ab12..."), "ab12...")
    >>> encoder.embed(["You are an idiot."]).shape
    (1, 384)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
ENCODER_FILES = (MODEL_FILE, TOKENIZER_FILE)
# (encoder digest, window's token ids) -> embedding, while shared_embeddings() is open
_shared: dict[tuple[str, tuple[int, ...]], np.ndarray] | None = None


@contextlib.contextmanager
def shared_embeddings() -> Iterator[None]:
    """Within the block, windows embedded once are reused by every verified encoder of the
    same digest. For batch work that scores the same texts twice (the gate); never the
    web process, whose memory it would grow without bound."""
    global _shared
    _shared = {}
    try:
        yield
    finally:
        _shared = None


class EncoderLoadError(Exception):
    """The encoder folder cannot be served: missing, unreadable, tampered or not an encoder."""


def _digest_of(contents: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in ENCODER_FILES:
        data = contents[name]
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _read(folder: Path) -> dict[str, bytes]:
    try:
        return {name: (Path(folder) / name).read_bytes() for name in ENCODER_FILES}
    except OSError as exc:
        raise EncoderLoadError(f"encoder {folder}: cannot read: {exc}") from exc


def encoder_digest(folder: Path) -> str:
    """The sha256 that names an encoder folder: over ``model.onnx`` and ``tokenizer.json``.

    Deterministic: each file's name, length and sha256, in a fixed order.
    """
    return _digest_of(_read(Path(folder)))


class SentenceEncoder:
    """Embeds texts with an ONNX sentence encoder, one window of tokens per run.

    Parameters
    ----------
    model : bytes
        The ONNX graph (see the module docstring for its inputs and output).
    tokenizer_json : str
        The content of a ``tokenizer.json``; padding and truncation are switched off
        here whatever it says (nothing is padded: each window runs alone).
    window : int
        Most tokens one pass reads, special tokens included; longer texts are windowed.
    overlap : int
        Tokens two neighbouring windows share, so no phrase is cut in both.
    threads : int
        Windows run at once, each on one onnxruntime thread (1 per web worker, where
        the workers are the parallelism; training and benchmarks use the cores).
    """

    def __init__(
        self,
        model: bytes,
        tokenizer_json: str,
        window: int = 128,
        overlap: int = 32,
        threads: int = 1,
    ):
        # Imported here, in the process that scores: onnxruntime must not be loaded before a
        # fork (gunicorn's master imports this package for its log formatter), or the forked
        # worker aborts when it exits.
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.window = window
        self.overlap = overlap
        self.threads = max(1, threads)
        self._pool: ThreadPoolExecutor | None = None  # made on first use, in the scoring process
        self._pool_pid = 0
        self._pool_lock = threading.Lock()
        self.digest: str | None = None  # set by load_encoder, which verified it
        self._inputs = {i.name for i in self.session.get_inputs()}
        self.dim = int(self.session.get_outputs()[0].shape[-1])
        self._prefix, self._suffix = self._special_tokens()
        if window <= len(self._prefix) + len(self._suffix) + overlap:
            raise ValueError("window must exceed the special tokens plus the overlap")

    @classmethod
    def from_folder(cls, folder: Path, **options) -> SentenceEncoder:
        """An encoder from a folder, unverified (use :func:`load_encoder` to serve one)."""
        contents = _read(Path(folder))
        return cls._from_contents(Path(folder), contents, **options)

    @classmethod
    def _from_contents(cls, folder: Path, contents: dict[str, bytes], **options):
        try:
            return cls(contents[MODEL_FILE], contents[TOKENIZER_FILE].decode("utf-8"), **options)
        except ValueError:
            raise
        except Exception as exc:  # onnxruntime and tokenizers raise their own types
            raise EncoderLoadError(f"encoder {folder}: does not load: {exc!r}") from exc

    def _special_tokens(self) -> tuple[list[int], list[int]]:
        """The ids the tokenizer adds before and after a text (``[CLS]``, ``[SEP]``)."""
        bare = self.tokenizer.encode("a", add_special_tokens=False).ids
        full = self.tokenizer.encode("a").ids
        for start in range(len(full) - len(bare) + 1):
            if full[start : start + len(bare)] == bare:
                return full[:start], full[start + len(bare) :]
        return [], []

    # --- tokens and windows --------------------------------------------------------------
    def windows(self, texts: Sequence[str]) -> tuple[list[list[int]], np.ndarray]:
        """Token ids of every window (special tokens added), and the text each belongs to.

        A text of at most ``window`` tokens is one window; a longer one is cut into
        windows of ``window`` tokens that overlap by ``overlap``, the last one ending
        at the text's end. An empty text is one window of special tokens only.
        """
        body = self.window - len(self._prefix) - len(self._suffix)
        step = body - self.overlap
        ids, owner = [], []
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        for i, encoding in enumerate(encodings):
            tokens = encoding.ids
            starts = [0]
            if len(tokens) > body:
                starts = list(range(0, len(tokens) - body, step)) + [len(tokens) - body]
            for start in starts:
                ids.append(self._prefix + tokens[start : start + body] + self._suffix)
                owner.append(i)
        return ids, np.asarray(owner, dtype=np.int64)

    def _run(self, tokens: list[int]) -> np.ndarray:
        input_ids = np.asarray([tokens], dtype=np.int64)
        feed = {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        return self.session.run(["embedding"], feed)[0][0]

    def _executor(self) -> ThreadPoolExecutor:
        # a pool copied into a forked child has no live threads and would never run a task
        with self._pool_lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="encoder")
                self._pool_pid = os.getpid()
            return self._pool

    def embed_ids(self, ids: list[list[int]]) -> np.ndarray:
        """Embeddings of token-id windows, each run alone, in input order."""
        memo = _shared
        if memo is None or self.digest is None:
            return self._embed_each(ids)
        keys = [(self.digest, tuple(tokens)) for tokens in ids]
        missing = list(dict.fromkeys(key for key in keys if key not in memo))
        vectors = self._embed_each([list(key[1]) for key in missing])
        for key, vector in zip(missing, vectors, strict=True):
            memo[key] = vector
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = memo[key]
        return out

    def _embed_each(self, ids: list[list[int]]) -> np.ndarray:
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        if self.threads == 1 or len(ids) < 2:
            for row, tokens in enumerate(ids):
                out[row] = self._run(tokens)
        else:  # onnxruntime releases the GIL while it runs
            for row, vector in enumerate(self._executor().map(self._run, ids)):
                out[row] = vector
        return out

    # --- the interface -------------------------------------------------------------------
    def embed_windows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """One embedding per window (m, dim) and the index of the text owning each (m,).

        Score each window and keep, per text and category, the highest score: a
        threat at the end of a long comment is then read like a short one.
        """
        ids, owner = self.windows(texts)
        return self.embed_ids(ids), owner

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-norm embedding per text (n, dim), float32.

        A text of several windows gets the normalised mean of its windows'
        embeddings; scoring should use :meth:`embed_windows` instead.
        """
        vectors, owner = self.embed_windows(texts)
        if len(owner) == len(texts):
            return vectors
        summed = np.zeros((len(texts), self.dim), dtype=np.float32)
        np.add.at(summed, owner, vectors)
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        return summed / np.where(norms > 0, norms, 1.0)


def load_encoder(folder: Path, expected_sha256: str, **options) -> SentenceEncoder:
    """Verify a folder's digest against ``expected_sha256``, then load it.

    Raises :class:`EncoderLoadError` for a missing, unreadable or tampered folder.
    ``options`` go to :class:`SentenceEncoder` (window, overlap, threads).
    """
    folder = Path(folder)
    contents = _read(folder)
    actual = _digest_of(contents)
    if actual != expected_sha256:
        raise EncoderLoadError(
            f"encoder {folder}: sha256 {actual[:12]}… does not match the expected "
            f"{str(expected_sha256)[:12]}…: refusing a tampered or corrupt encoder"
        )
    encoder = SentenceEncoder._from_contents(folder, contents, **options)
    encoder.digest = actual
    return encoder
