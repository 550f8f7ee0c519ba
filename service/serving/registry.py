"""Which model version is active, and how it got there.

The database holds the history (:class:`~service.tables.ModelActivation`,
append-only); its latest row names the active version, and a database without
rows serves the version ``models/DEFAULT`` names.  Every worker process polls
that (:mod:`service.serving.runtime`), so a row written here reaches them all
within ``MODEL_REFRESH_SECONDS``.

A rollback undoes the latest promotion still in force: promotions stack up, and
each rollback pops one, so two rollbacks after two promotions return to the
version served before both.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from service.clock import utcnow
from service.extensions import db
from service.moderation.loader import default_version
from service.tables import ModelActivation, ModelDigest

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
    card: Mapping[str, Any] | None = None,
) -> ModelActivation:
    """Make ``version`` active. The caller has verified the artifact and run the gate.

    ``card`` is the verified card of the version: its digests are recorded (see
    :func:`check_digests`), and a version whose files changed since they were
    recorded is refused.
    """
    current = active_version(models_dir)
    if version == current:
        raise RegistryError(f"{version} is already the active version")
    if forced and not (reason and reason.strip()):
        raise RegistryError("a forced promotion needs a reason")
    if card is not None:
        check_digests(version, card, actor)
    return _record(version, current, PROMOTE, actor, forced, reason, report)


def card_digests(card: Mapping[str, Any]) -> tuple[str, str | None]:
    """(artifact sha256, encoder sha256 or None) as a verified card records them."""
    encoder = card.get("encoder") or {}
    return str(card.get("artifact_sha256")), encoder.get("sha256")


def check_digests(version: str, card: Mapping[str, Any], actor: str) -> None:
    """Compare a loaded version's digests with the database's record; the first time a
    version is seen (promoted, or served as models/DEFAULT at first start), record them.

    Raises :class:`RegistryError` when they differ from the record. The record is
    written on a connection of its own, so a worker that checks a version in the
    middle of a request commits nothing of the request's.
    """
    artifact, encoder = card_digests(card)
    recorded = db.session.get(ModelDigest, version)
    if recorded is None:
        try:
            with db.engine.begin() as connection:
                connection.execute(
                    insert(ModelDigest).values(
                        version=version,
                        artifact_sha256=artifact,
                        encoder_sha256=encoder,
                        recorded_by=actor,
                        recorded_at=utcnow(),
                    )
                )
            return
        except IntegrityError:  # another worker recorded it first: compare with theirs
            recorded = db.session.get(ModelDigest, version)
    if (recorded.artifact_sha256, recorded.encoder_sha256) != (artifact, encoder):
        raise RegistryError(
            f"its files are not the ones recorded when it was first served or promoted "
            f"(artifact {artifact[:12]}… against {recorded.artifact_sha256[:12]}…, recorded by "
            f"{recorded.recorded_by}): refusing a replaced artifact or card"
        )


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
