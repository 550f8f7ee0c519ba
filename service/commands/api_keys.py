"""``flask --app service api-keys create|list|revoke``: the websites' credentials."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from service.access.api_clients import ClientError, create_client, find_client, revoke_client
from service.extensions import db
from service.tables import ApiClient


@click.group("api-keys", help="Create, list and revoke the API keys websites use.")
def cli() -> None:
    pass


@cli.command("create")
@click.argument("name")
@with_appcontext
def create(name: str) -> None:
    """Create a key for NAME and print it once, alone on the last line."""
    try:
        client, secret = create_client(name)
    except ClientError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created API key for {client.name!r} (id {client.id}). It is shown only once:")
    click.echo(secret)


@cli.command("list")
@with_appcontext
def list_keys() -> None:
    """List clients, their key prefixes and whether they are revoked."""
    for client in db.session.scalars(select(ApiClient).order_by(ApiClient.id)):
        state = f"revoked {client.revoked_at:%Y-%m-%d %H:%M}" if client.revoked_at else "active"
        click.echo(f"{client.id}\t{client.name}\tcmk_{client.key_prefix}_…\t{state}")


@cli.command("revoke")
@click.argument("name")
@with_appcontext
def revoke(name: str) -> None:
    """Revoke NAME's key: its requests get 401 from now on."""
    client = find_client(name)
    if client is None:
        raise click.ClickException(f"no client named {name!r}")
    revoke_client(client)
    click.echo(f"Revoked the API key of {name!r}.")
