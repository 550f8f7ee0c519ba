"""The README's submit example is what the service answers, with the committed default model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from service.moderation.loader import default_version

from conftest import _close, make_app, new_api_key

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def submit_example() -> tuple[dict, dict, dict]:
    """(headers, body, answer) of the README's `POST /api/v1/comments` example."""
    block = re.search(r"```sh\n(curl -s -X POST [^\n]*/api/v1/comments \\\n.*?)```", README, re.S)
    command = block.group(1)
    headers = dict(re.findall(r"-H '([\w-]+): ([^']+)'", command))
    body = json.loads(re.search(r"-d '(.*?)'\n", command, re.S).group(1))
    answer = re.search(r"```json\n(.*?)```", README[block.end() :], re.S).group(1)
    return headers, body, json.loads(answer)


@pytest.mark.skipif(default_version(ROOT / "models") is None, reason="no committed model")
def test_the_readme_submit_example_is_the_services_answer(database_url):
    app = make_app(database_url, ROOT / "models")
    try:
        headers, body, documented = submit_example()
        headers.pop("Content-Type", None)
        response = app.test_client().post(
            "/api/v1/comments", json=body, headers=headers | new_api_key(app)
        )
        assert response.status_code == 201
        assert response.json == documented
    finally:
        _close(app)
