"""``flask --app service policy show|set``: thresholds and switches, live in every worker."""

from __future__ import annotations

import getpass

import click
from flask.cli import with_appcontext

from service.moderation.types import CATEGORIES
from service.serving.policy_store import (
    OFF_TOPIC_SETTING,
    SETTING_NAMES,
    PolicyError,
    apply_changes,
    build_policy,
    load_overrides,
)
from service.serving.runtime import current as serving


@click.group("policy", help="Show or change the moderation policy.")
def cli() -> None:
    pass


@cli.command("show")
@with_appcontext
def show() -> None:
    """Print the effective policy and where each value comes from."""
    card = serving().card
    overrides = load_overrides()
    policy = build_policy(card, overrides)
    source = f"model {card['version']}" if card else "built-in"
    click.echo(f"defaults from: {source}")
    click.echo(f"{'category':<16}{'reject':>8}{'review':>8}")
    for category in CATEGORIES:
        limits = policy.thresholds[category]
        marks = "".join(
            "*" if f"{category}.{kind}" in overrides else " " for kind in ("reject", "review")
        )
        click.echo(f"{category:<16}{limits.reject:>8.3f}{limits.review:>8.3f} {marks}")
    mark = " *" if OFF_TOPIC_SETTING in overrides else ""
    click.echo(f"{OFF_TOPIC_SETTING:<16}{'':>8}{policy.off_topic_review:>8.3f}{mark}")
    click.echo(f"hold_all   {policy.hold_all}{' *' if 'hold_all' in overrides else ''}")
    click.echo(f"hold_links {policy.hold_links}{' *' if 'hold_links' in overrides else ''}")
    mild = "allow_mild_profanity"
    click.echo(f"{mild} {policy.allow_mild_profanity}{' *' if mild in overrides else ''}")
    for code, mode in policy.language_modes.items():
        name = f"language.{code}"
        click.echo(f"{name:<13}{mode}{' *' if name in overrides else ''}")
    click.echo("(* = operator override stored in the database)")


@cli.command("set")
@click.argument("assignments", nargs=-1, required=False)
@click.option("--reset", multiple=True, help="Drop an override, back to the default. Repeatable.")
@click.option("--actor", default=None, help="Recorded as who changed it (default: $USER).")
@with_appcontext
def set_(assignments: tuple[str, ...], reset: tuple[str, ...], actor: str | None) -> None:
    """Set NAME=VALUE pairs, e.g. `profanity.reject=0.95 hold_links=true`.

    Names: hold_all, hold_links, allow_mild_profanity (default true: "hell", "damn",
    "crap", "bloody" and the rest of lexicon.MILD_PROFANITY are approved; false: a
    comment with one is held as profanity), CATEGORY.reject / CATEGORY.review for the
    categories profanity, vulgarity, threat, personal_attack, abuse, promotion,
    off_topic.review (hold a comment further from its article than this; 1 never), and
    language.ckb / language.kmr / language.fa = hold (default), score (judge with
    the nearest model of the same script) or approve_unless_terms (approve unless a
    term-list entry matches: see `flask --app service terms`). Every worker applies
    the change within MODEL_REFRESH_SECONDS.
    """
    changes = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="ASSIGNMENTS")
        changes[name.strip()] = value.strip()
    if not changes and not reset:
        raise click.UsageError(f"nothing to set; names: {', '.join(SETTING_NAMES)}")
    try:
        apply_changes(changes, actor or f"cli:{getpass.getuser()}", serving().card, tuple(reset))
    except PolicyError as exc:
        raise click.ClickException(str(exc)) from exc
    serving().refresh(force=True)
    click.echo("Policy updated.")
