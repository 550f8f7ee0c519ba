"""Websites' API clients: create and revoke. Used by the CLI and the admin pages."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select

from service.access import credentials
from service.clock import utcnow
from service.extensions import db
from service.tables import ApiClient

MAX_NAME_CHARS = 100  # ApiClient.name's column
# control characters (tab, newline, NUL...), lone surrogates, line and paragraph separators:
# a name is shown on one line, in a tab-separated listing among others
UNPRINTABLE_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")


class ClientError(ValueError):
    """A client cannot be created as asked; the message says why."""


def name_problem(name: str) -> str | None:
    """Why ``name`` (already stripped) cannot name a client, or None when it can."""
    if not name:
        return "The name must not be empty"
    if len(name) > MAX_NAME_CHARS:
        return f"The name is {len(name)} characters long; at most {MAX_NAME_CHARS}"
    for position, char in enumerate(name, start=1):
        if unicodedata.category(char) in UNPRINTABLE_CATEGORIES:
            return (
                "The name must not contain control characters or line breaks "
                f"(U+{ord(char):04X} at character {position})"
            )
    return None


def find_client(name: str) -> ApiClient | None:
    return db.session.scalars(select(ApiClient).filter_by(name=name)).first()


def create_client(name: str) -> tuple[ApiClient, str]:
    """A new client and its key; the key is not stored, only its hash.

    ``name`` is stripped of surrounding spaces; raises ClientError when it is
    empty, too long, holds a control character or is taken.
    """
    name = name.strip()
    problem = name_problem(name)
    if problem:
        raise ClientError(problem)
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
