"""The README's API examples are what the service answers, with the committed default model.

Each ``curl`` example of the API section is replayed through the test client, in the
README's order (the submit example stores comment 1, which the read example reads);
where the README shows the answer (a ```json block right after the command), the
answer must be that, scores to within :data:`SCORE_TOLERANCE`: the int8 encoder's kernels
differ between CPUs (the same pinned onnxruntime gives personal_attack 0.884268 for
the submit example on one machine, 0.889178 on another, and profanity 0.108999 against
0.092035 on an AMD EPYC with AVX2 and no VNNI), so a score's second decimal is the
machine's, while the decision, reason and evidence are the service's."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from service.moderation.loader import default_version

from conftest import _close, make_app, new_api_key

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCORE_TOLERANCE = 0.03
API_SECTION = README[README.index("### Submit a comment") : README.index("### Health and")]
ERRORS_SECTION = README[README.index("### Errors") : README.index("## Webhooks")]


def curl_examples(section: str) -> list[tuple[str, str, dict | None, dict | None]]:
    """(method, path, body, documented answer or None) of each curl command in ``section``."""
    examples = []
    for block in re.finditer(r"```sh\n(.*?)```", section, re.S):
        commands = re.split(r"\n(?=curl )", block.group(1).replace("\\\n", " "))
        for command in commands:
            if not command.startswith("curl "):
                continue
            words = shlex.split(command)
            method = words[words.index("-X") + 1] if "-X" in words else "GET"
            url = next(w for w in words if w.startswith("http://"))
            body = json.loads(words[words.index("-d") + 1]) if "-d" in words else None
            examples.append((method, url.split("5000", 1)[1], body, None))
        after = section[block.end() :]
        answer = re.match(r"\s*```json\n(.*?)```", after, re.S)
        if answer and examples:
            method, path, body, _ = examples[-1]
            examples[-1] = (method, path, body, json.loads(answer.group(1)))
    return examples


def within_tolerance(documented):
    """``documented`` with every float compared to within :data:`SCORE_TOLERANCE`."""
    if isinstance(documented, dict):
        return {key: within_tolerance(value) for key, value in documented.items()}
    if isinstance(documented, list):
        return [within_tolerance(value) for value in documented]
    if isinstance(documented, float):
        return pytest.approx(documented, abs=SCORE_TOLERANCE)
    return documented


@pytest.fixture
def readme_app(database_url):
    app = make_app(database_url, ROOT / "models")
    yield app
    _close(app)


@pytest.mark.skipif(default_version(ROOT / "models") is None, reason="no committed model")
def test_every_api_example_is_the_services_answer(readme_app):
    headers = new_api_key(readme_app)
    client = readme_app.test_client()
    examples = curl_examples(API_SECTION)
    assert [(m, p.split("/")[3]) for m, p, _, _ in examples] == [
        ("POST", "comments"),
        ("GET", "comments"),
        ("PUT", "articles"),
        ("GET", "articles"),
        ("POST", "moderate"),
    ]
    for method, path, body, documented in examples:
        extra = {"Idempotency-Key": "readme"} if path == "/api/v1/comments" else {}
        response = client.open(path, method=method, json=body, headers=headers | extra)
        assert response.status_code in (200, 201), (path, response.json)
        if documented is not None:
            assert response.json == within_tolerance(documented), path
    history = client.get("/api/v1/comments/1", headers=headers).json["history"]
    assert [entry["decided_by"] for entry in history] == ["model"]


def test_the_error_example_is_the_services_answer(readme_app):
    documented = json.loads(re.search(r"```json\n(.*?)```", ERRORS_SECTION, re.S).group(1))
    response = readme_app.test_client().post(
        "/api/v1/comments",
        json={"external_id": "1", "article_id": "a", "author": {}, "text": ""},
        headers=new_api_key(readme_app),
    )
    assert response.status_code == 400
    assert response.json == documented
