"""Liveness, readiness and the API docs page: no credentials needed."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from flask import current_app, render_template, send_from_directory
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from service import faults, ratelimits
from service.errors import Blueprint
from service.extensions import db, limiter
from service.schemas.comments import HealthSchema
from service.serving.runtime import current as serving

blp = Blueprint("health", __name__, description="Health and documentation")
SWAGGER_ASSETS = Path(swagger_ui_bundle.swagger_ui_path)


@blp.route("/healthz")
@blp.response(200, HealthSchema)
def healthz():
    """The process is up."""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="Not ready: see which part.")
def readyz():
    """Ready to serve: the database answers and a model is loaded.

    Where the rate limits count is reported, not gated: with Redis down they still
    hold per worker, so the worker can serve; the operator is told here and in the log.
    """
    reasons = []
    try:
        db.session.execute(select(1))
        database = "ok"
    except SQLAlchemyError as exc:
        faults.discard_session()
        reasons.append(f"database unreachable: {faults.describe(exc)}")
        current_app.logger.warning("readiness: %s", reasons[-1])
        database = "unreachable"
    model = serving().model if database == "ok" else None
    if database == "ok" and not model:
        reasons.append("no model loaded")
    rate_limits = ratelimits.counting(limiter)
    if rate_limits == ratelimits.UNREACHABLE:
        current_app.logger.warning("readiness: rate limits count %s", rate_limits)
    body = {
        "status": "not ready" if reasons else "ready",
        "database": database,
        "model": {"loaded": True, "version": model.version} if model else {"loaded": False},
        "rate_limits": rate_limits,
        "reasons": reasons,
    }
    if reasons:
        return body, 503, {"Retry-After": str(faults.RETRY_AFTER_SECONDS)}
    return body, 200


@blp.route("/api/v1/docs")
@blp.doc(hide=True)
def docs():
    """Swagger UI over the OpenAPI document, served from this host (no CDN)."""
    return render_template("api_docs.html")


@blp.route("/api/v1/docs/assets/<path:filename>")
@blp.doc(hide=True)
def docs_assets(filename: str):
    if filename == "init.js":
        return send_from_directory(Path(current_app.root_path) / "static", "api_docs_init.js")
    return send_from_directory(SWAGGER_ASSETS, filename, max_age=86400)
