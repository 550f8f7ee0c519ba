"""Settings from the environment, read once when the app is built.

Every setting has a default that works on a laptop; README.md lists them.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# the labelled corpora, beside the project (read by training and the promotion gate only)
DEFAULT_DATA_DIR = (PROJECT_ROOT / ".." / "shared" / "data").resolve()
SECRET_KEY_FILE = "secret_key"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict[str, Any]:
    """The configuration mapping for :func:`service.create_app`."""
    default_db = "sqlite:///" + str(Path(instance_path) / "moderation.db")
    force_https = _flag("FORCE_HTTPS", False)
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        "MODELS_DIR": os.environ.get("MODELS_DIR", str(PROJECT_ROOT / "models")),
        "MODEL_VERSION": os.environ.get("MODEL_VERSION") or None,
        "MODEL_REFRESH_SECONDS": float(os.environ.get("MODEL_REFRESH_SECONDS", "2")),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "FORCE_HTTPS": force_https,
        "SESSION_COOKIE_SECURE": force_https,
        "REMEMBER_COOKIE_SECURE": force_https,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "QUEUE_CLAIM_SECONDS": int(os.environ.get("QUEUE_CLAIM_SECONDS", "300")),
        "QUEUE_UNDO_SECONDS": int(os.environ.get("QUEUE_UNDO_SECONDS", "600")),
        "LOGIN_IP_LIMIT": int(os.environ.get("LOGIN_IP_LIMIT", "30")),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        "WEBHOOK_ALLOW_PRIVATE": _flag("WEBHOOK_ALLOW_PRIVATE", True),
        "WEBHOOK_REQUIRE_HTTPS": _flag("WEBHOOK_REQUIRE_HTTPS", False),
        "WEBHOOK_TIMEOUT_SECONDS": float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5")),
    }


def normalise_database_url(url: str) -> str:
    """Let operators write ``postgresql://`` and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance_path: str) -> str:
    """The secret kept in the instance folder, created once and shared by every worker.

    Creation uses O_EXCL so that workers racing at first start all end up with
    the same key: the loser of the race reads the winner's file.
    """
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty: delete it to generate a new secret key") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
