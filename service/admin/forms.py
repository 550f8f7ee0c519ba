"""Admin forms (Flask-WTF, each with a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from service.access.accounts import ROLES
from service.moderation.language import SITE_LANGUAGES
from service.moderation.types import CATEGORIES


class ApiKeyForm(FlaskForm):
    name = StringField("Website name", validators=[DataRequired(), Length(max=100)])


class WebhookForm(FlaskForm):
    url = StringField("Callback URL", validators=[DataRequired(), Length(max=2000)])


class UserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    role = SelectField("Role", choices={r: r for r in ROLES}, default="moderator")


class TermForm(FlaskForm):
    """A blocklist entry (category and action) or, with ``list`` = allow, an allowlist one."""

    list_name = SelectField("List", choices={"block": "blocklist", "allow": "allowlist"})
    term = StringField("Term or phrase", validators=[DataRequired(), Length(max=200)])
    category = SelectField("Category", choices={"": "(allowlist)"} | {c: c for c in CATEGORIES})
    action = SelectField("Action", choices={"": "(allowlist)", "reject": "reject", "hold": "hold"})
    language = SelectField(
        "Language", choices={"": "every language"} | {c: c for c in SITE_LANGUAGES}
    )
    note = StringField("Note", validators=[Optional(), Length(max=500)])


class TermImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired()])
