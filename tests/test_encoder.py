"""The serving encoder (service/moderation/encoder.py) on a tiny ONNX encoder of our own."""

from __future__ import annotations

import os
import select
import signal

import numpy as np
import pytest
from encoder_fixture import build_tiny_encoder

from service.moderation.encoder import (
    MODEL_FILE,
    TOKENIZER_FILE,
    EncoderLoadError,
    SentenceEncoder,
    encoder_digest,
    load_encoder,
    shared_embeddings,
)

TEXTS = [
    "You are an idiot.",
    "The council will vote on the budget.",
    "thanks",
    "I will break your legs and the mayor will read this very long story about the city news",
    "",
    "buy now free prize click",
]


@pytest.fixture
def tiny(tmp_path):
    return build_tiny_encoder(tmp_path / "models")


@pytest.fixture
def encoder(tiny):
    return load_encoder(*tiny)


def test_folder_is_named_by_its_digest(tiny):
    folder, digest = tiny
    assert folder.name == digest == encoder_digest(folder)
    assert len(digest) == 64


def test_digest_covers_both_files(tiny, tmp_path):
    folder, digest = tiny
    for name in (MODEL_FILE, TOKENIZER_FILE):
        copy = tmp_path / f"copy-{name}"
        copy.mkdir()
        for other in (MODEL_FILE, TOKENIZER_FILE):
            (copy / other).write_bytes((folder / other).read_bytes())
        with (copy / name).open("ab") as handle:
            handle.write(b" ")
        assert encoder_digest(copy) != digest


def test_tampered_model_is_refused(tiny):
    folder, digest = tiny
    data = bytearray((folder / MODEL_FILE).read_bytes())
    data[-1] ^= 0xFF
    (folder / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(EncoderLoadError, match="does not match"):
        load_encoder(folder, digest)


def test_tampered_tokenizer_is_refused(tiny):
    folder, digest = tiny
    text = (folder / TOKENIZER_FILE).read_text().replace('"idiot"', '"genius"')
    (folder / TOKENIZER_FILE).write_text(text)
    with pytest.raises(EncoderLoadError):
        load_encoder(folder, digest)


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(EncoderLoadError, match="cannot read"):
        load_encoder(tmp_path / "nowhere", "0" * 64)


def test_embeddings_have_the_graph_dimension_and_unit_norm(encoder):
    vectors = encoder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), encoder.dim) == (len(TEXTS), 8)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_batch_equals_one_text_at_a_time(encoder):
    together = encoder.embed(TEXTS)
    alone = np.vstack([encoder.embed([t]) for t in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-6)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_text_embeds_the_same_whatever_arrives_with_it(tmp_path, threads):
    # int8 with one activation scale per input tensor, as served: batched, a window would
    # be quantised with a scale that its companions and their padding set
    folder, digest = build_tiny_encoder(tmp_path / "models", quantised=True)
    encoder = load_encoder(folder, digest, threads=threads)
    assert "DynamicQuantizeLinear" in (folder / MODEL_FILE).read_bytes().decode("latin-1")
    texts = list(reversed(TEXTS)) + TEXTS
    together = encoder.embed(texts)
    for text, vector in zip(texts, together, strict=True):
        np.testing.assert_array_equal(vector, encoder.embed([text])[0])
    assert not np.allclose(together[0], together[1])


def test_a_forked_child_embeds_with_a_pool_of_its_own(tiny):
    # the parent's pool, copied by fork, has no threads: the child would wait forever
    encoder = load_encoder(*tiny, threads=2)
    expected = encoder.embed(TEXTS)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: embed, report, exit without running pytest's teardown
        ok = np.allclose(encoder.embed(TEXTS), expected, atol=1e-6)
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 30)
        if not ready:
            os.kill(pid, signal.SIGKILL)
        assert ready and os.read(read, 1) == b"1"
    finally:
        os.waitpid(pid, 0)
        os.close(read)


def test_padding_is_off_whatever_the_tokenizer_file_says(tiny, tmp_path):
    folder, _ = tiny
    encoder = SentenceEncoder.from_folder(folder)
    ids, _ = encoder.windows(["thanks", "you are an idiot"])
    assert [len(x) for x in ids] == [3, 6]  # [CLS] ... [SEP], no padding to a fixed length


def test_long_text_is_read_in_overlapping_windows(encoder):
    filler = "the very long story of the city news and the council " * 60  # ~3,000 chars
    long_text = filler + "i will kill you"
    assert len(long_text) > 3000
    ids, owner = encoder.windows([long_text, "thanks"])
    assert max(len(x) for x in ids) <= encoder.window
    assert list(owner).count(0) > 1 and list(owner).count(1) == 1
    vectors, owner = encoder.embed_windows([long_text, "thanks"])
    assert vectors.shape[0] == len(owner)
    # the last window reads the threat at the end: it differs from the filler-only text's
    plain, plain_owner = encoder.embed_windows([filler + "the city news"])
    assert not np.allclose(vectors[owner == 0][-1], plain[-1], atol=1e-3)
    np.testing.assert_allclose(vectors[owner == 0][0], plain[0], atol=1e-6)


def test_windows_overlap_and_cover_the_whole_text(encoder):
    words = [f"w{i}" for i in range(400)]  # all unknown: one id each, count by position
    ids, _ = encoder.windows([" ".join(words)])
    assert all(len(x) == encoder.window for x in ids)
    covered = sum(len(x) - 2 for x in ids) - encoder.overlap * (len(ids) - 1)
    assert covered >= len(words)  # the last window ends at the text's end


def test_the_gate_embeds_a_window_once_for_two_models_on_one_encoder(tiny, monkeypatch):
    first, second = load_encoder(*tiny), load_encoder(*tiny)
    alone = first.embed(TEXTS)
    runs = []
    for encoder in (first, second):
        real = encoder._run
        monkeypatch.setattr(
            encoder, "_run", lambda tokens, real=real: runs.append(1) or real(tokens)
        )
    with shared_embeddings():
        assert np.array_equal(first.embed(TEXTS + TEXTS[:2]), alone.tolist() + alone[:2].tolist())
        once = len(runs)
        assert once == len(TEXTS)  # a repeated text is not run again
        assert np.array_equal(second.embed(TEXTS), alone)
        assert len(runs) == once  # the second model reuses the first one's windows
    second.embed(TEXTS)  # outside the block nothing is kept: the web process never grows
    assert len(runs) == 2 * once
