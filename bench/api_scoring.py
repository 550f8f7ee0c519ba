"""Score through ``POST /api/v1/moderate`` of an in-process app, for benchmarks and checks.

``python -m training evaluate`` scores in process; this is the same score
function shape (``texts -> list[dict[category, float]]``) through the whole
HTTP stack: authentication, validation, the policy and the response schema::

    from bench.api_scoring import api_score_fn
    with api_score_fn(Path("models"), "v20261125-9") as score_fn:
        score_fn(["Nice article"])  # [{"profanity": 0.01, ...}]
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from flask_migrate import upgrade

from service import create_app
from service.access.api_clients import create_client
from service.extensions import db

ScoreFn = Callable[[list[str]], list[dict[str, float]]]


Moderate = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


@contextlib.contextmanager
def api_client(
    models_dir: Path, version: str, settings: Sequence[str] = (), default_terms: bool = False
) -> Iterator[Moderate]:
    """``moderate(comments) -> results`` through the endpoint of an app on a temporary
    SQLite database (each comment a ``{"text": ..., "language": ...}`` item).

    ``settings`` (``NAME=VALUE``) go through ``flask policy set`` and ``default_terms``
    through ``flask terms import --defaults`` first, as an operator would."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp}/evaluate.db",
                "MODELS_DIR": str(models_dir),
                "MODEL_VERSION": version,
                "SECRET_KEY": "evaluate",
            }
        )
        with app.app_context():
            upgrade()
            _, secret = create_client("evaluate")
        runner = app.test_cli_runner()
        for args in (
            ["policy", "set", *settings] if settings else None,
            ["terms", "import", "--defaults"] if default_terms else None,
        ):
            if args:
                outcome = runner.invoke(args=args)
                if outcome.exit_code:
                    raise RuntimeError(f"{' '.join(args)}: {outcome.output}")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {secret}"}

        def moderate(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
            response = client.post("/api/v1/moderate", json={"comments": comments}, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"moderate answered {response.status_code}: {response.json}")
            body = response.json
            if body.get("model_version") is None:
                raise RuntimeError("the service scored nothing (no model loaded?)")
            return body["results"]

        try:
            yield moderate
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@contextlib.contextmanager
def api_score_fn(models_dir: Path, version: str, settings: Sequence[str] = ()) -> Iterator[ScoreFn]:
    """Scores (``texts -> list[dict[category, float]]``) through the endpoint, under the
    policy ``settings`` (``NAME=VALUE``; none: the defaults)."""
    with api_client(models_dir, version, settings) as moderate:
        yield lambda texts: [r["scores"] for r in moderate([{"text": t} for t in texts])]
