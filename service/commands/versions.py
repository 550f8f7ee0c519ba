"""``flask --app service models list|promote|rollback``: which model serves, and why.

A promotion or rollback is a row in the database; every worker process picks it
up within ``MODEL_REFRESH_SECONDS``, without a restart.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from service.config import DEFAULT_DATA_DIR
from service.moderation.encoder import shared_embeddings
from service.moderation.loader import (
    LoadedModel,
    ModelLoadError,
    available_versions,
    default_version,
    load_model,
    read_card,
)
from service.serving import registry
from service.tables import ModelActivation


@click.group("models", help="List, promote or roll back model versions.")
def cli() -> None:
    pass


def _models_dir() -> Path:
    return Path(current_app.config["MODELS_DIR"])


def _actor(given: str | None) -> str:
    return given or f"cli:{getpass.getuser()}"


def _warn_if_pinned() -> None:
    pinned = current_app.config.get("MODEL_VERSION")
    if pinned:
        click.echo(
            f"warning: MODEL_VERSION={pinned} pins this service's workers; "
            "they ignore promotions and rollbacks while it is set",
            err=True,
        )


def _load(version: str, threads: int = 1) -> LoadedModel:
    try:
        return load_model(_models_dir(), version, encoder_threads=threads)
    except ModelLoadError as exc:
        raise click.ClickException(f"refused: {exc}") from exc


def _suite_metrics(
    version: str, card: dict, history: list[ModelActivation]
) -> tuple[str, dict[str, float | None]]:
    """The suite AUCs of a version and where they come from: its last gate report, else its card.

    The gate scores with the code the service runs now, so its figures win.
    """
    for row in reversed(history):
        if row.version == version and row.report and row.report.get("suite"):
            return "gate", {t: e["candidate_auc"] for t, e in row.report["suite"].items()}
    suite = card.get("metrics", {}).get("suite") or {}  # ``training evaluate --update-card``
    return "card", {task: e.get("auc") for task, e in suite.get("tasks", {}).items()}


@cli.command("list")
@click.option("--history", "show_history", is_flag=True, help="Also print every activation.")
@with_appcontext
def list_(show_history: bool) -> None:
    """Versions in the models directory, their suite AUCs, and which one is active."""
    models_dir = _models_dir()
    active = registry.active_version(models_dir)
    default = default_version(models_dir)
    versions = available_versions(models_dir)
    history = registry.history()
    for version in versions:
        try:
            card = read_card(models_dir, version)
        except ModelLoadError as exc:
            click.echo(f"  {version:<24} unreadable card: {exc}")
            continue
        marks = ("active" if version == active else "") + (" default" if version == default else "")
        source, metrics = _suite_metrics(version, card, history)
        figures = " ".join(f"{t}={v:.4f}" for t, v in metrics.items() if v is not None)
        figures = f"AUC ({source}) {figures}" if figures else ""
        created = str(card.get("created_at", "?"))[:19]
        click.echo(
            f"{'*' if version == active else ' '} {version:<24} {created:<20} "
            f"{marks.strip():<15} {figures or 'no suite figures'}"
        )
    if active and active not in versions:
        click.echo(f"! the active version {active} is not in {models_dir}")
    _warn_if_pinned()
    if show_history:
        click.echo("history (oldest first):")
        for row in history:
            forced = " FORCED" if row.forced else ""
            reason = f" reason: {row.reason}" if row.reason else ""
            click.echo(
                f"  {str(row.created_at)[:19]} {row.action}{forced} {row.version} "
                f"(was {row.previous_version or 'none'}) by {row.actor}{reason}"
            )


def load_suite(data_dir: Path):
    """The gate's suite evaluator, or None when the suite's files cannot be read.

    ``training`` is imported here, in the CLI process, never by the web process.
    """
    from training.gate_suite import suite_evaluator

    try:
        return suite_evaluator(data_dir)
    except (OSError, KeyError, ValueError) as exc:
        click.echo(f"cannot load the evaluation suite from {data_dir}: {exc}", err=True)
        return None


@cli.command("promote")
@click.argument("version")
@click.option("--force", is_flag=True, help="Promote even if the gate refuses (needs --reason).")
@click.option("--reason", help="Why; required with --force, recorded in the history.")
@click.option("--actor", help="Recorded as who promoted (default: cli:$USER).")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA_DIR,
    show_default=True,
    help="The corpora whose test files form the evaluation suite.",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=len(os.sched_getaffinity(0)),
    show_default="the cores this process may use",
    help="Encoder windows the gate runs at once (fewer leaves cores to the web workers).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the gate report as JSON.")
@with_appcontext
def promote(
    version: str,
    force: bool,
    reason: str | None,
    actor: str | None,
    data_dir: Path,
    threads: int,
    as_json: bool,
) -> None:
    """Make VERSION active if the gate finds it no worse than the active one."""
    from service.retraining.gate import format_report, run_gate
    from service.retraining.labels import holdout_labels

    if force and not (reason and reason.strip()):
        raise click.UsageError("--force needs --reason: a forced promotion records why")
    models_dir = _models_dir()
    candidate = _load(version, threads)
    active_name = registry.active_version(models_dir)
    if active_name == version:
        raise click.ClickException(f"{version} is already the active version")
    active = None
    if active_name:
        try:
            active = load_model(models_dir, active_name, encoder_threads=threads)
        except ModelLoadError as exc:
            click.echo(f"warning: the active version cannot be compared: {exc}", err=True)
    with shared_embeddings():  # a retrain keeps the encoder: embed the suite once
        report = run_gate(
            candidate,
            active,
            load_suite(data_dir),
            holdout_labels(),
            progress=lambda message: click.echo(message, err=True),
        )
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        for line in format_report(report):
            click.echo(line)
    if not report["passed"] and not force:
        click.echo(f"not promoted: {version} is worse than {active_name} (see above)", err=True)
        sys.exit(1)
    forced = not report["passed"]
    try:
        registry.promote(
            models_dir, version, _actor(actor), report, forced, reason, card=candidate.card
        )
    except registry.RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    _warn_if_pinned()
    click.echo(
        f"promoted {version} (was {active_name or 'none'}){' FORCED' if forced else ''}; "
        f"workers switch within {current_app.config['MODEL_REFRESH_SECONDS']:g}s"
    )


@cli.command("rollback")
@click.option("--reason", help="Why; recorded in the history.")
@click.option("--actor", help="Recorded as who rolled back (default: cli:$USER).")
@with_appcontext
def rollback(reason: str | None, actor: str | None) -> None:
    """Return to the version served before the latest promotion still in force."""
    models_dir = _models_dir()
    try:
        current, target = registry.rollback_target(models_dir)
    except registry.RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    _load(target)  # never switch the workers to a version they would refuse
    registry.rollback(models_dir, _actor(actor), reason)
    _warn_if_pinned()
    click.echo(f"rolled back to {target} (was {current})")
