"""Evidence: phrases a person would highlight, never a lone function word; the TOXICSPANS
bench's F1 as SemEval-2021 Task 5 defines it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from service.moderation.loader import default_version, load_model
from service.moderation.stopwords import is_stop_word
from training.guidelines import load_guidelines

ROOT = Path(__file__).resolve().parent.parent
ABSURD = ("from", "be", "like", "is", "the")


def _bench():
    spec = importlib.util.spec_from_file_location(
        "evidence_spans", ROOT / "bench/evidence_spans.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("word", [*ABSURD, "The", "you're", "(is)", "...", "في", "ve", "û"])
def test_function_words_and_punctuation_are_stop_words(word):
    assert is_stop_word(word)


@pytest.mark.parametrize("word", ["idiot", "kill", "Scunthorpe", "f*cking", "xurlx", ""])
def test_content_words_are_not(word):
    assert not is_stop_word(word)


@pytest.fixture(scope="module")
def shipped():
    version = default_version(ROOT / "models")
    if version is None:
        pytest.skip("no committed default model")
    return load_model(ROOT / "models", version).scorer


def test_no_evidence_span_of_the_guideline_suite_is_a_function_word(shipped):
    texts = [row.text for row in load_guidelines()]
    spans = [
        text[span.start : span.end]
        for text, scoring in zip(texts, shipped.score_batch(texts), strict=True)
        for span in scoring.evidence
    ]
    assert len(spans) > 100
    assert [s for s in spans if is_stop_word(s)] == []


def test_neighbouring_evidence_words_are_one_phrase(shipped):
    text = "You stupid ignorant fool, nobody reads you."
    words = [text[s.start : s.end] for s in shipped.score(text).evidence]
    assert words and " " in words[0] and not set(words) & {"You", "you", "nobody"}


def test_span_f1_follows_the_task_definition():
    bench = _bench()
    assert bench.span_f1(set(), set()) == 1.0
    assert bench.span_f1({1}, set()) == 0.0
    assert bench.span_f1(set(), {1}) == 0.0
    assert bench.span_f1({1, 2}, {2, 3}) == pytest.approx(0.5)
    row = {
        "n_raters": "3",
        "spans_json": "[[1, 0, 4, 'Insult'], [1, 2, 6, 'Insult'], [2, 3, 5, 'Threat']]".replace(
            "'", '"'
        ),
    }
    # rater 1 marks 0-5, rater 2 marks 3-4: at least half of 3 raters is 2
    assert bench.gold_characters(row) == {3, 4}
