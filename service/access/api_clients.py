"""Websites' API clients: create and revoke. Used by the CLI and the admin pages."""

from __future__ import annotations

from sqlalchemy import select

from service.access import credentials
from service.clock import utcnow
from service.extensions import db
from service.tables import ApiClient


class ClientError(ValueError):
    """A client cannot be created as asked; the message says why."""


def find_client(name: str) -> ApiClient | None:
    return db.session.scalars(select(ApiClient).filter_by(name=name)).first()


def create_client(name: str) -> tuple[ApiClient, str]:
    """A new client and its key; the key is not stored, only its hash."""
    if find_client(name) is not None:
        raise ClientError(f"A client named {name!r} already exists")
    new = credentials.generate(credentials.CLIENT_KIND)
    client = ApiClient(name=name, key_prefix=new.prefix, key_hash=new.digest)
    db.session.add(client)
    db.session.commit()
    return client, new.secret


def revoke_client(client: ApiClient) -> bool:
    """Revoke the key (its requests get 401 from now on); False if it already was."""
    if client.revoked_at is not None:
        return False
    client.revoked_at = utcnow()
    db.session.commit()
    return True
