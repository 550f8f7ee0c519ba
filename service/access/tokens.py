"""Moderators' personal access tokens for the queue API, issued from /account or the CLI."""

from __future__ import annotations

import logging

from service.access import credentials
from service.access.api_clients import name_problem
from service.extensions import db
from service.tables import AccessToken, User

log = logging.getLogger(__name__)


class TokenError(ValueError):
    """The token cannot be issued (the message says why)."""


def issue_token(user: User, name: str) -> str:
    """A new token for ``user``, carrying its role; returns the secret, which is shown once
    (only its hash is kept). ``name`` is stripped; raises TokenError when it is empty, too
    long or holds a control character."""
    name = name.strip()
    problem = name_problem(name)
    if problem:
        raise TokenError(problem)
    new = credentials.generate(credentials.TOKEN_KIND)
    db.session.add(
        AccessToken(user_id=user.id, name=name, token_prefix=new.prefix, token_hash=new.digest)
    )
    db.session.commit()
    log.info("access token %s created for %s", new.prefix, user.username)
    return new.secret
