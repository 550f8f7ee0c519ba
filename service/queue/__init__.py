"""The moderators' queue: pages (``views``), the reads behind them (``queries``), presenters."""

from __future__ import annotations

import os

from flask import Flask

from ..moderation_actions import DEFAULT_CLAIM_SECONDS, DEFAULT_UNDO_SECONDS


def init_app(app: Flask) -> None:
    """Queue settings from the environment unless the app's config already sets them.

    ``QUEUE_CLAIM_SECONDS`` (default 300): how long an opened item stays hidden
    from other moderators. ``QUEUE_UNDO_SECONDS`` (default 600): how long a
    moderator may undo their own decision.
    """
    app.config.setdefault(
        "QUEUE_CLAIM_SECONDS", int(os.environ.get("QUEUE_CLAIM_SECONDS", DEFAULT_CLAIM_SECONDS))
    )
    app.config.setdefault(
        "QUEUE_UNDO_SECONDS", int(os.environ.get("QUEUE_UNDO_SECONDS", DEFAULT_UNDO_SECONDS))
    )
