"""Operators' policy overrides, stored in the database.

Defaults come from the active model's card (built-in defaults until a model
exists); a row in ``policy_settings`` overrides one value. The CLI and the
admin page both go through :func:`apply_changes`, so validation lives here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from service.clock import utcnow
from service.extensions import db
from service.moderation.policy import (
    BUILT_IN_THRESHOLDS,
    HOLD,
    LANGUAGE_MODES,
    NEAREST_MODEL,
    OFF_TOPIC_REVIEW,
    Policy,
    Thresholds,
)
from service.moderation.types import CATEGORIES
from service.tables import PolicySetting

SWITCHES = ("hold_all", "hold_links", "allow_mild_profanity")
THRESHOLD_NAMES = tuple(f"{c}.{kind}" for c in CATEGORIES for kind in ("reject", "review"))
# languages the site publishes in without a model of their own:
# language.ckb=hold|score|approve_unless_terms
LANGUAGE_SETTINGS = tuple(f"language.{code}" for code in NEAREST_MODEL)
# relevance: hold a comment whose off_topic score is above this (1 never holds)
OFF_TOPIC_SETTING = "off_topic.review"
SETTING_NAMES = SWITCHES + THRESHOLD_NAMES + (OFF_TOPIC_SETTING,) + LANGUAGE_SETTINGS


class PolicyError(ValueError):
    """An invalid change; ``fields`` maps each bad setting name to its problem."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def card_thresholds(card: Mapping[str, Any] | None) -> dict[str, Thresholds]:
    thresholds = dict(BUILT_IN_THRESHOLDS)
    for category, values in ((card or {}).get("thresholds") or {}).items():
        if category in thresholds:
            thresholds[category] = Thresholds(
                reject=float(values["reject"]), review=float(values["review"])
            )
    return thresholds


def _overridden(
    thresholds: Mapping[str, Thresholds], overrides: Mapping[str, Any]
) -> dict[str, Thresholds]:
    return {
        category: Thresholds(
            reject=float(overrides.get(f"{category}.reject", base.reject)),
            review=float(overrides.get(f"{category}.review", base.review)),
        )
        for category, base in thresholds.items()
    }


def build_policy(card: Mapping[str, Any] | None, overrides: Mapping[str, Any]) -> Policy:
    """The card's defaults under the operators' overrides.

    A language section of the card (``card["languages"]["ar"]["thresholds"]``) has its
    own defaults; an operator's threshold override applies to every language.
    """
    languages = {
        code: _overridden(card_thresholds(section), overrides)
        for code, section in ((card or {}).get("languages") or {}).items()
        if section.get("thresholds")
    }
    return Policy(
        thresholds=_overridden(card_thresholds(card), overrides),
        hold_all=bool(overrides.get("hold_all", False)),
        hold_links=bool(overrides.get("hold_links", False)),
        allow_mild_profanity=bool(overrides.get("allow_mild_profanity", True)),
        language_modes={
            code: str(overrides.get(f"language.{code}", HOLD)) for code in NEAREST_MODEL
        },
        language_thresholds=languages,
        off_topic_review=float(overrides.get(OFF_TOPIC_SETTING, OFF_TOPIC_REVIEW)),
    )


def load_overrides() -> dict[str, Any]:
    return {row.name: row.value for row in db.session.scalars(select(PolicySetting))}


def parse_value(name: str, raw: Any) -> Any:
    """Turn a CLI or form value into the stored one, or raise ValueError."""
    if name in SWITCHES:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ValueError("must be true or false")
    if name in LANGUAGE_SETTINGS:
        text = str(raw).strip().lower()
        if text not in LANGUAGE_MODES:
            raise ValueError(f"must be one of {', '.join(LANGUAGE_MODES)}")
        return text
    if name in THRESHOLD_NAMES or name == OFF_TOPIC_SETTING:
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ValueError("must be a number between 0 and 1") from None
        if not 0.0 <= value <= 1.0:
            raise ValueError("must be between 0 and 1")
        return value
    raise ValueError(f"unknown setting; known: {', '.join(SETTING_NAMES)}")


def apply_changes(
    changes: Mapping[str, Any], actor: str, card: Mapping[str, Any] | None, reset: tuple = ()
) -> Policy:
    """Validate ``changes`` (and names to ``reset`` to their defaults) and store them together.

    Nothing is written unless every value is valid and, for every category,
    the resulting review threshold is at most the reject threshold.
    """
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for name, raw in changes.items():
        try:
            parsed[name] = parse_value(name, raw)
        except ValueError as exc:
            errors[name] = str(exc)
    for name in reset:
        if name not in SETTING_NAMES:
            errors[name] = "unknown setting"
    if errors:
        raise PolicyError(errors)
    merged = {k: v for k, v in load_overrides().items() if k not in reset} | parsed
    policy = build_policy(card, merged)
    for category, limits in policy.thresholds.items():
        if limits.review > limits.reject:
            errors[f"{category}.review"] = (
                f"review threshold {limits.review:g} is above the reject threshold "
                f"{limits.reject:g}"
            )
    if errors:
        raise PolicyError(errors)
    for name in reset:
        row = db.session.get(PolicySetting, name)
        if row is not None:
            db.session.delete(row)
    for name, value in parsed.items():
        row = db.session.get(PolicySetting, name) or PolicySetting(name=name)
        row.value, row.updated_at, row.updated_by = value, utcnow(), actor
        db.session.add(row)
    db.session.commit()
    return policy
