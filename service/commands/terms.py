"""``flask --app service terms add|remove|list|import|export|log``: the term lists.

Every change is recorded with its actor (``cli:$USER`` unless ``--actor`` says
otherwise) and reaches every worker within MODEL_REFRESH_SECONDS.
"""

from __future__ import annotations

import getpass
import io
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask.cli import with_appcontext

from service.moderation.language import SITE_LANGUAGES
from service.moderation.terms import ACTIONS
from service.moderation.types import CATEGORIES
from service.serving.runtime import current as serving
from service.terms import store
from service.terms.files import CsvError, defaults_text, read_rows, write_rows

F = TypeVar("F", bound=Callable)


def _language(text: str) -> Callable[[F], F]:
    """``--language``: the language of a list entry (not of a comment); ``text`` says how
    the command uses it."""
    return click.option("--language", type=click.Choice(SITE_LANGUAGES), default=None, help=text)


_ALLOW = click.option(
    "--allow", is_flag=True, help="The allowlist (terms that never count) instead of the blocklist."
)
_ACTOR = click.option(
    "--actor", default=None, help="Recorded as who made the change (default: cli:$USER)."
)


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def _changed() -> None:
    serving().refresh(force=True)


@click.group("terms", help="Manage the blocklist and the allowlist of terms.")
def cli() -> None:
    pass


@cli.command("add")
@click.argument("term")
@click.option(
    "--category", type=click.Choice(CATEGORIES), help="Blocklist: the reason code of a hit."
)
@click.option(
    "--action", type=click.Choice(ACTIONS), help="Blocklist: reject or hold a comment with it."
)
@_language(
    "The language the entry is for: it counts only in comments in that language "
    "(default: every language)."
)
@_ALLOW
@click.option("--note", default=None, help="A gloss or a reason, for the list's maintainers.")
@_ACTOR
@with_appcontext
def add(term, category, action, language, allow, note, actor) -> None:
    """Add TERM (a word or a phrase) to the blocklist, or with --allow to the allowlist.

    \b
    flask --app service terms add "idiot" --category personal_attack --action hold
    flask --app service terms add "yavşak" --category personal_attack --action reject --language tr
    flask --app service terms add "Scunthorpe" --allow
    """
    list_name = store.ALLOW if allow else store.BLOCK
    if allow and (category or action):
        raise click.UsageError("--allow takes no --category or --action")
    if not allow and not (category and action):
        raise click.UsageError("a blocklist entry needs --category and --action")
    try:
        store.add(list_name, term, _actor(actor), category, action, language, note)
    except store.TermError as exc:
        raise click.ClickException(str(exc)) from exc
    _changed()
    click.echo(f"Added {term!r} to the {list_name}list ({language or 'every language'}).")


@cli.command("remove")
@click.argument("term")
@_language(
    "The language of the entry to remove, as it was added (default: the every-language entry)."
)
@_ALLOW
@_ACTOR
@with_appcontext
def remove(term, language, allow, actor) -> None:
    """Remove TERM (with the --language it was added for) from the blocklist or, with
    --allow, the allowlist."""
    list_name = store.ALLOW if allow else store.BLOCK
    try:
        store.remove(list_name, _actor(actor), term=term, language=language)
    except store.TermError as exc:
        raise click.ClickException(str(exc)) from exc
    _changed()
    click.echo(f"Removed {term!r} from the {list_name}list ({language or 'every language'}).")


@cli.command("list")
@_language(
    "Only the entries for this language, with the every-language ones (default: every entry)."
)
@_ALLOW
@with_appcontext
def list_(language, allow) -> None:
    """Print the blocklist (or, with --allow, the allowlist); --language keeps that
    language's entries and the every-language ones."""
    list_name = store.ALLOW if allow else store.BLOCK
    rows = store.entries(list_name, language)
    for row in rows:
        scope = row.language or "*"
        if allow:
            click.echo(f"{scope:<4} {row.term}")
        else:
            click.echo(f"{scope:<4} {row.action:<7}{row.category:<16}{row.term}")
    click.echo(f"({len(rows)} {list_name}list entries; * = every language)")


@cli.command("import")
@click.argument(
    "file", required=False, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option("--defaults", is_flag=True, help="Import the default list shipped with the service.")
@_ACTOR
@with_appcontext
def import_(file: Path | None, defaults: bool, actor) -> None:
    """Add the entries of a CSV FILE (columns list,term,category,action,language,note),
    or of the shipped default list with --defaults.

    All or nothing: a bad row names its line and nothing is written. Entries already
    on their list are skipped, so importing twice changes nothing.
    """
    if bool(file) == defaults:
        raise click.UsageError("give a FILE or --defaults (one of them)")
    text = defaults_text() if defaults else file.read_text("utf-8-sig")
    try:
        report = store.import_rows(read_rows(io.StringIO(text)), _actor(actor))
    except (CsvError, store.TermError) as exc:
        raise click.ClickException(str(exc)) from exc
    _changed()
    click.echo(f"Imported {report.added} entries; {report.skipped} already listed.")


@cli.command("export")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: stdout)."
)
@with_appcontext
def export(output: Path | None) -> None:
    """Write both lists as CSV, in the format `terms import` reads."""
    text = write_rows(store.export_rows())
    if output:
        output.write_text(text, "utf-8")
        click.echo(f"Wrote {text.count(chr(10)) - 1} entries to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@cli.command("log")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@with_appcontext
def log(limit: int) -> None:
    """Print the latest changes to the lists (who, when, what), newest first."""
    for change in store.history(limit):
        detail = f" {change.action} {change.category}" if change.category else ""
        click.echo(
            f"{change.created_at:%Y-%m-%d %H:%M:%S} {change.actor:<20} {change.change:<9}"
            f"{change.list_name:<6}{change.language or '*':<4} {change.term}{detail}"
        )
