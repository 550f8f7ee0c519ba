"""``flask --app service ...`` command groups, one module each."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from . import api_keys, labels, models, policy, users

    for group in (api_keys.cli, policy.cli, users.cli, labels.cli, models.cli):
        app.cli.add_command(group)
