"""``flask --app service users create|list|disable|enable|set-password|token``: queue
accounts, and access tokens for scripts that work the queue API."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from service.access.accounts import (
    ROLES,
    AccountError,
    create_user,
    find_user,
    set_active,
    set_password,
)
from service.access.tokens import TokenError, issue_token
from service.extensions import db
from service.tables import User


@click.group("users", help="Create, list and disable moderator and admin accounts.")
def cli() -> None:
    pass


def _read_password() -> str:
    """From standard input when it is not a terminal (scripts pipe it), else a hidden prompt."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _user(name: str) -> User:
    user = find_user(name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    return user


@cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="moderator", show_default=True)
@with_appcontext
def create(name: str, role: str) -> None:
    """Create NAME; the password is read from stdin when it is not a terminal."""
    try:
        user = create_user(name, _read_password(), role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.username!r} (id {user.id}).")


@cli.command("list")
@with_appcontext
def list_users() -> None:
    """List accounts, their roles and whether they are active."""
    for user in db.session.scalars(select(User).order_by(User.id)):
        state = "active" if user.active else "disabled"
        click.echo(f"{user.id}\t{user.username}\t{user.role}\t{state}")


@cli.command("disable")
@click.argument("name")
@with_appcontext
def disable(name: str) -> None:
    """Disable NAME: sessions and access tokens stop working, claims are released."""
    set_active(_user(name), False, actor="cli")
    click.echo(f"Disabled {name!r}.")


@cli.command("enable")
@click.argument("name")
@with_appcontext
def enable(name: str) -> None:
    """Enable NAME again."""
    set_active(_user(name), True, actor="cli")
    click.echo(f"Enabled {name!r}.")


@cli.command("set-password")
@click.argument("name")
@with_appcontext
def set_password_command(name: str) -> None:
    """Set NAME's password (read like `create` does) and clear its failed-login count."""
    try:
        set_password(_user(name), _read_password())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Password of {name!r} changed.")


@cli.command("token")
@click.argument("name")
@click.option("--label", required=True, help="What the token is for (shown on /account).")
@with_appcontext
def token(name: str, label: str) -> None:
    """Print a new queue API access token for NAME (shown once; revoke it on /account)."""
    user = _user(name)
    if not user.active:
        raise click.ClickException(f"{name!r} is disabled")
    try:
        click.echo(issue_token(user, label))
    except TokenError as exc:
        raise click.ClickException(str(exc)) from exc
