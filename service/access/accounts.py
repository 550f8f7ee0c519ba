"""Moderator and admin accounts: create, disable, enable. Used by the CLI and the admin pages."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select, update

from service.access.passwords import hash_password, password_problem
from service.extensions import db
from service.tables import Comment, User

log = logging.getLogger(__name__)
ROLES = ("moderator", "admin")
# matched whole (``fullmatch``: ``$`` would let a trailing newline through)
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,79}")


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def find_user(username: str) -> User | None:
    return db.session.scalars(select(User).filter_by(username=username)).first()


def create_user(username: str, password: str, role: str) -> User:
    """A new active account; raises AccountError on a bad name, role or password."""
    if not USERNAME_PATTERN.fullmatch(username):
        raise AccountError(
            "username: 1 to 80 letters, digits or . _ @ -, starting with a letter or digit"
        )
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    problem = password_problem(password)
    if problem:
        raise AccountError(f"password {problem}")
    if find_user(username) is not None:
        raise AccountError(f"a user named {username!r} already exists")
    user = User(username=username, password_hash=hash_password(password), role=role, active=True)
    db.session.add(user)
    db.session.commit()
    log.info("account %s created with role %s", username, role)
    return user


def set_active(user: User, active: bool, actor: str) -> None:
    """Disable or re-enable an account; disabling also frees the comments it had claimed.

    A disabled account's sessions and access tokens stop working at once
    (the session loader and the token check both look at ``active``).
    """
    user.active = active
    if not active:
        db.session.execute(
            update(Comment)
            .where(Comment.claimed_by_id == user.id)
            .values(claimed_by_id=None, claimed_until=None)
        )
    db.session.commit()
    log.info("account %s %s by %s", user.username, "enabled" if active else "disabled", actor)


def set_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(f"password {problem}")
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    db.session.commit()
