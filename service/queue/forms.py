"""Forms of the review and comment pages (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, Length, Optional

from service.moderation.types import CATEGORIES


class OverturnForm(FlaskForm):
    """An overturn from a page. Only a rejection has a reason: the approve form sends none,
    so the menu may be absent; whether a reason is required is decided by the action
    itself (``actions.overturn``), as it is for the API."""

    action = HiddenField(validators=[AnyOf(["approve", "reject"])])
    reason = SelectField(
        "Reason",
        choices={"": "—"} | {c: c.replace("_", " ") for c in CATEGORIES},
        validate_choice=False,
        validators=[Optional(), AnyOf(CATEGORIES)],
    )
    note = StringField("Note", validators=[Optional(), Length(max=2000)])
    next = HiddenField()


class UndoForm(FlaskForm):
    next = HiddenField()
