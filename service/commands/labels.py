"""``flask --app service labels export|import``: labelled examples in and out, for retraining."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from service.clock import as_utc
from service.retraining.label_files import FORMATS, format_of, read_labels, write_labels
from service.retraining.labels import all_labels, is_holdout, latest_per_text, store_imported

SPLITS = ("all", "train", "holdout")


def _moment(ctx, param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError as exc:
        raise click.BadParameter("expected YYYY-MM-DD or an ISO 8601 date and time") from exc


@click.group("labels", help="Export or import labelled comments for retraining.")
def cli() -> None:
    pass


@cli.command("export")
@click.option(
    "--since", callback=_moment, metavar="DATE", help="Only labels given at or after DATE (UTC)."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: stdout)."
)
@click.option(
    "--split",
    type=click.Choice(SPLITS),
    default="all",
    show_default=True,
    help="train: leave out the slice the promotion gate holds out (export for training); "
    "holdout: only that slice. Both keep the latest label of each distinct text.",
)
@with_appcontext
def export(since: datetime | None, fmt: str, output: Path | None, split: str) -> None:
    """Write moderators' decisions and imported labels, texts exactly as stored."""
    labels = all_labels(since)
    if split != "all":
        held = split == "holdout"
        labels = [label for label in latest_per_text(labels) if is_holdout(label.text) == held]
    if output is None:
        count = write_labels(labels, click.get_text_stream("stdout"), fmt)
    else:
        with output.open("w", encoding="utf-8", newline="") as out:
            count = write_labels(labels, out, fmt)
    site = sum(1 for label in labels if label.comment_id is not None)
    click.echo(
        f"exported {count} label{'' if count == 1 else 's'} ({site} from moderators' "
        f"decisions, {count - site} imported)",
        err=True,
    )


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the file name.")
@with_appcontext
def import_(file: Path, fmt: str | None) -> None:
    """Import labelled comments from FILE; nothing is imported if any row is bad."""
    try:
        fmt = format_of(file, fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    labels, errors = read_labels(file, fmt)
    if errors:
        for error in errors:
            click.echo(f"{file.name}: {error}", err=True)
        bad = len({error.line for error in errors})
        click.echo(f"nothing imported: {bad} bad row(s)", err=True)
        sys.exit(1)
    done = store_imported(labels, file.name)
    changed = (
        f", {done.changed} skipped: this site's label changed since the export"
        if done.changed
        else ""
    )
    click.echo(
        f"imported {done.added} labels from {file.name} ({done.present} already present{changed})"
    )
