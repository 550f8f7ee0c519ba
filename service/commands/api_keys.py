"""``flask --app service api-keys create|list|revoke``: the websites' credentials."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import credentials
from ..extensions import db
from ..models import ApiClient, utcnow


@click.group("api-keys", help="Create, list and revoke the API keys websites use.")
def cli() -> None:
    pass


def create_client(name: str) -> tuple[ApiClient, str]:
    """A new client and its key; the key is not stored, only its hash."""
    new = credentials.generate(credentials.CLIENT_KIND)
    client = ApiClient(name=name, key_prefix=new.prefix, key_hash=new.digest)
    db.session.add(client)
    db.session.commit()
    return client, new.secret


@cli.command("create")
@click.argument("name")
@with_appcontext
def create(name: str) -> None:
    """Create a key for NAME and print it once, alone on the last line."""
    if db.session.scalars(select(ApiClient).filter_by(name=name)).first():
        raise click.ClickException(f"a client named {name!r} already exists")
    client, secret = create_client(name)
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
    client = db.session.scalars(select(ApiClient).filter_by(name=name)).first()
    if client is None:
        raise click.ClickException(f"no client named {name!r}")
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        db.session.commit()
    click.echo(f"Revoked the API key of {name!r}.")
