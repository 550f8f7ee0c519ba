"""``flask --app service ...`` command groups, one module each."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from service.commands import api_keys, labels, policy, terms, users, webhooks
    from service.commands import versions as models

    groups = (api_keys.cli, policy.cli, users.cli, labels.cli, models.cli, webhooks.cli, terms.cli)
    for group in groups:
        app.cli.add_command(group)
