"""Admin forms (Flask-WTF, each with a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from service.access.accounts import ROLES


class ApiKeyForm(FlaskForm):
    name = StringField("Website name", validators=[DataRequired(), Length(max=100)])


class WebhookForm(FlaskForm):
    url = StringField("Callback URL", validators=[DataRequired(), Length(max=2000)])


class UserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    role = SelectField("Role", choices={r: r for r in ROLES}, default="moderator")
