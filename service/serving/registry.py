"""Which model version is active, and how it got there.

The database holds the history (:class:`~service.models.ModelActivation`,
append-only); its latest row names the active version, and a database without
rows serves the version ``models/DEFAULT`` names.  Every worker process polls
that (:mod:`service.serving.runtime`), so a row written here reaches them all
within ``MODEL_REFRESH_SECONDS``.

A rollback undoes the latest promotion still in force: promotions stack up, and
each rollback pops one, so two rollbacks after two promotions return to the
version served before both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from service.extensions import db
from service.moderation.loader import default_version
from service.tables import ModelActivation

PROMOTE, ROLLBACK = "promote", "rollback"


class RegistryError(Exception):
    """The activation asked for cannot be recorded; the message says why."""


def history() -> list[ModelActivation]:
    """Every activation, oldest first."""
    return list(db.session.scalars(select(ModelActivation).order_by(ModelActivation.id)))


def active_version(models_dir: Path) -> str | None:
    """The version the service serves: the latest activation, else ``models/DEFAULT``."""
    latest = db.session.scalars(
        select(ModelActivation.version).order_by(ModelActivation.id.desc()).limit(1)
    ).first()
    return latest or default_version(models_dir)


def served_stack(models_dir: Path) -> list[str | None]:
    """Versions in force, oldest first: DEFAULT, then each promotion not rolled back."""
    stack: list[str | None] = [default_version(models_dir)]
    for row in history():
        if row.action == PROMOTE:
            stack.append(row.version)
        elif row.action == ROLLBACK and len(stack) > 1:
            stack.pop()
    return stack


def _record(
    version: str,
    previous: str | None,
    action: str,
    actor: str,
    forced: bool = False,
    reason: str | None = None,
    report: dict[str, Any] | None = None,
) -> ModelActivation:
    row = ModelActivation(
        version=version,
        previous_version=previous,
        action=action,
        forced=forced,
        actor=actor,
        reason=reason,
        report=report,
    )
    db.session.add(row)
    db.session.commit()
    return row


def promote(
    models_dir: Path,
    version: str,
    actor: str,
    report: dict[str, Any] | None,
    forced: bool = False,
    reason: str | None = None,
) -> ModelActivation:
    """Make ``version`` active. The caller has verified the artifact and run the gate."""
    current = active_version(models_dir)
    if version == current:
        raise RegistryError(f"{version} is already the active version")
    if forced and not (reason and reason.strip()):
        raise RegistryError("a forced promotion needs a reason")
    return _record(version, current, PROMOTE, actor, forced, reason, report)


def rollback_target(models_dir: Path) -> tuple[str | None, str]:
    """(active version, version a rollback returns to); raises when there is none."""
    stack = served_stack(models_dir)
    if len(stack) < 2 or stack[-2] is None:
        raise RegistryError("no earlier version to roll back to")
    return stack[-1], stack[-2]


def rollback(models_dir: Path, actor: str, reason: str | None = None) -> ModelActivation:
    """Return to the version served before the latest promotion still in force."""
    current, target = rollback_target(models_dir)
    return _record(target, current, ROLLBACK, actor, reason=reason)
