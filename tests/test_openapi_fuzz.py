"""schemathesis against the app's own OpenAPI document, with every check: no 5xx, and every
answer (status, headers, content type, body) as the document says.

One check is left out: ``positive_data_acceptance`` (a schema-valid request must not get a
400). The API refuses, with a 400 that names the field, what JSON Schema here does not
express: U+0000 and lone surrogates in any text (PostgreSQL cannot store them) and a
``reject`` without a ``reason``.

Runs on the WSGI app itself (no server), with a website's API key on the website's routes
and an admin's token on the queue's, so the requests get past 401. The examples per
operation are bounded (``SCHEMATHESIS_EXAMPLES``, default 15) to keep CI fast.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from queue_helpers import add_user, token_for
from schemathesis.checks import positive_data_acceptance

from service.extensions import db

from conftest import empty_database, make_app, new_api_key
from keyword_model import DEFAULT_WORDS, KeywordScorer, write_model

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))


@pytest.fixture
def fuzzed_app(tmp_path):
    """A keyword model (so /readyz is ready), no rate limit, a database of its own."""
    models = tmp_path / "models"
    models.mkdir()
    write_model(models, "kw-1", KeywordScorer(DEFAULT_WORDS))
    (models / "DEFAULT").write_text("kw-1\n")
    with empty_database(tmp_path) as url:
        app = make_app(url, models, API_RATE_LIMIT="1000000/minute")
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def check_operation(operation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def run(case):
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    run()


def test_the_api_answers_as_its_openapi_document_says(fuzzed_app):
    credentials = {
        "site": new_api_key(fuzzed_app),
        "queue": token_for(fuzzed_app, add_user(fuzzed_app, "fuzz-admin", "admin")),
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed_app)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        who = "queue" if operation.path.startswith("/api/v1/queue") else "site"
        try:
            check_operation(operation, credentials[who])
        except (Exception, BaseExceptionGroup) as failure:  # try every operation, report all
            failures.append(f"{operation.method.upper()} {operation.path}: {failure!s:.3000}")
    assert operations >= 15
    assert not failures, "\n\n".join(failures)
