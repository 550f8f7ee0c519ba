"""Forms every page may use: Flask-WTF, so each carries and checks a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm


class PostForm(FlaskForm):
    """A button that changes state: nothing but the CSRF token (logout, revoke, disable)."""
