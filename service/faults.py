"""When the database fails: answer 503 with ``Retry-After``, never a 500 or a page of HTML.

A statement that times out, a connection refused or lost, or no free connection
in the pool within ``DATABASE_POOL_TIMEOUT`` is the database being unavailable,
not a bug. The end-of-request clean-up never raises either: once a view has
committed, its answer stands even if the rollback of a dead connection fails.
"""

from __future__ import annotations

import logging

from flask import Flask, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import ServiceUnavailable

from service.errors import JSON_PATH_PREFIXES, error_body
from service.extensions import db

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database is down, hung or out of connections."""
    if isinstance(error, UNAVAILABLE):
        return True
    return isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated


def describe(error: BaseException) -> str:
    """One short line for logs and ``/readyz``: the error's class and its first line."""
    cause = getattr(error, "orig", None) or error
    first_line = (str(cause).strip().splitlines() or [""])[0][:200]
    return f"{type(cause).__name__}: {first_line}" if first_line else type(cause).__name__


def discard_session() -> None:
    """Drop the request's session; a failing rollback of a dead connection is logged, not raised."""
    try:
        db.session.remove()
    except Exception as exc:  # the connection is gone: nothing to roll back any more
        log.warning("database session clean-up failed: %s", describe(exc))
        db.session.registry.clear()


def _unavailable(error: sa_exc.SQLAlchemyError):
    discard_session()
    log.error("database unavailable for %s %s: %s", request.method, request.path, describe(error))
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    message = "The database is unavailable; try again shortly."
    if request.path.startswith(JSON_PATH_PREFIXES):
        return error_body(503, message), 503, headers
    return ServiceUnavailable(message).get_response(), 503, headers


def _database_error(error: sa_exc.DBAPIError):
    if database_unavailable(error):
        return _unavailable(error)
    raise error  # a real bug (an integrity error that was not handled): a 500


def init_app(app: Flask) -> None:
    for kind in UNAVAILABLE:
        app.register_error_handler(kind, _unavailable)
    app.register_error_handler(sa_exc.DBAPIError, _database_error)

    # Runs before Flask-SQLAlchemy's own teardown (teardowns run last-registered first).
    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        discard_session()
