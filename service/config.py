"""Settings from the environment, read once when the app is built.

Every setting has a default that works on a laptop; README.md lists them.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# the labelled corpora, beside the project (read by training and the promotion gate only)
DEFAULT_DATA_DIR = (PROJECT_ROOT / ".." / "shared" / "data").resolve()
SECRET_KEY_FILE = "secret_key"
log = logging.getLogger(__name__)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _domains(value: str) -> tuple[str, ...]:
    return tuple(d.strip().lower().removeprefix("www.") for d in value.split(",") if d.strip())


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
        # Rate limits in Flask-Limiter's notation, counted in requests.
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "3000/minute"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "20/minute"),
        # memory:// is per process; gunicorn.conf.py and the Docker image use Redis.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # the site's own domains: links to them are sources, never promotion (comma-separated)
        "SITE_DOMAINS": _domains(os.environ.get("SITE_DOMAINS", "")),
        # floods (service.comments.floods): the same text a third time from one author
        # within a day, or after FLOOD_AUTHORS other authors within ten minutes, is held
        "FLOOD_MIN_LETTERS": int(os.environ.get("FLOOD_MIN_LETTERS", "20")),
        "FLOOD_REPEATS": int(os.environ.get("FLOOD_REPEATS", "2")),
        "FLOOD_AUTHORS": int(os.environ.get("FLOOD_AUTHORS", "3")),
        "FLOOD_WINDOW_SECONDS": int(os.environ.get("FLOOD_WINDOW_SECONDS", "600")),
        "FLOOD_REPEAT_SECONDS": int(os.environ.get("FLOOD_REPEAT_SECONDS", "86400")),
        "MODERATE_CONCURRENCY": int(os.environ.get("MODERATE_CONCURRENCY", "1")),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "DATABASE_CONNECT_TIMEOUT": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),
        "DATABASE_STATEMENT_TIMEOUT": float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "10")),
        "DATABASE_POOL_TIMEOUT": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5")),
    }


def engine_options(url: str, settings: dict[str, Any]) -> dict[str, Any]:
    """SQLAlchemy engine options: a database that stops answering fails fast instead of hanging.

    ``pool_timeout`` bounds the wait for a free connection; on PostgreSQL
    ``connect_timeout`` bounds a new connection and ``statement_timeout`` each statement.
    """
    options: dict[str, Any] = {"pool_pre_ping": True}
    if ":memory:" not in url and url.rstrip("/") != "sqlite:":  # a pool that queues
        options["pool_timeout"] = settings["DATABASE_POOL_TIMEOUT"]
    if url.startswith("postgresql"):
        statement_ms = int(settings["DATABASE_STATEMENT_TIMEOUT"] * 1000)
        options["connect_args"] = {
            "connect_timeout": settings["DATABASE_CONNECT_TIMEOUT"],
            "options": f"-c statement_timeout={statement_ms}",
        }
    return options


def normalise_database_url(url: str) -> str:
    """Let operators write ``postgresql://`` and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance_path: str) -> str:
    """The secret kept in the instance folder, created once and shared by every worker.

    Creation uses O_EXCL so that workers racing at first start all end up with
    the same key: the loser of the race reads the winner's file. Creating one is
    logged as a warning: replicas that each make their own refuse each other's
    sessions and CSRF tokens, and a container that loses its instance folder
    logs everyone out.
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
    log.warning(
        "SECRET_KEY is not set: generated a new one in %s; set SECRET_KEY to the same value "
        "in every replica (and keep this folder) or sessions end when it changes",
        path,
    )
    return key
