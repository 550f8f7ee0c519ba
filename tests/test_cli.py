"""Operators' commands: api keys, migrations, the secret key."""

from __future__ import annotations

from service.config import instance_secret_key


def test_api_key_printed_alone_on_last_line_and_works(app, runner):
    result = runner.invoke(args=["api-keys", "create", "news-site"])
    assert result.exit_code == 0
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("cmk_") and " " not in key
    client = app.test_client()
    response = client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404  # authenticated, just no such comment
    listed = runner.invoke(args=["api-keys", "list"]).output
    assert "news-site" in listed and key not in listed


def test_duplicate_client_name_refused(runner):
    runner.invoke(args=["api-keys", "create", "dup"])
    result = runner.invoke(args=["api-keys", "create", "dup"])
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_client_names_are_one_printable_line(runner):
    for name, expected in [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("evil\tname\nx", "U+0009 at character 5"),
        ("a\u2028b", "line breaks"),
        ("x" * 101, "101 characters long; at most 100"),
    ]:
        result = runner.invoke(args=["api-keys", "create", name])
        assert result.exit_code == 1, name
        assert expected in result.output and "cmk_" not in result.output, name
    assert runner.invoke(args=["api-keys", "list"]).output == ""
    assert runner.invoke(args=["api-keys", "create", " news-site "]).exit_code == 0
    assert runner.invoke(args=["api-keys", "create", "x" * 100]).exit_code == 0
    rows = [
        line.split("\t") for line in runner.invoke(args=["api-keys", "list"]).output.split("\n")
    ]
    assert [row[1] for row in rows if row != [""]] == ["news-site", "x" * 100]


def test_secret_key_generated_once_and_shared(tmp_path, caplog):
    first = instance_secret_key(str(tmp_path))
    warned = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warned) == 1 and "SECRET_KEY is not set" in warned[0].getMessage()
    assert first not in caplog.text
    assert first == instance_secret_key(str(tmp_path))
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1  # kept, not new
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_key_and_text_never_logged(app, runner, caplog):
    caplog.set_level("INFO", logger="service")
    result = runner.invoke(args=["api-keys", "create", "quiet"])
    key = result.output.strip().splitlines()[-1]
    body = {
        "external_id": "e1",
        "article_id": "a1",
        "author": {"id": "u", "name": "n"},
        "text": "secret words",
    }
    response = app.test_client().post(
        "/api/v1/comments", json=body, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 201
    assert "comment 1 (client quiet" in caplog.text  # it did log the decision
    assert key not in caplog.text
    assert "secret words" not in caplog.text
