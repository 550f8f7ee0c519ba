"""The comment moderation service: ``create_app`` wires config, extensions and blueprints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, redirect, url_for

from service import config, faults, inputs, logs, metrics, ratelimits, security, sessions
from service.extensions import api as openapi
from service.extensions import csrf, db, limiter, login_manager, migrate
from service.serving import runtime as serving
from service.slots import Slots

API_TITLE = "Comment moderation API"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
        if "DATABASE_URL" in test_config:
            app.config["SQLALCHEMY_DATABASE_URI"] = test_config["DATABASE_URL"]
    app.config["SQLALCHEMY_DATABASE_URI"] = config.normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)
    app.config.update(
        API_TITLE=API_TITLE,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SQLALCHEMY_ENGINE_OPTIONS=config.engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config
        ),
        # The queue page's CSRF token lives as long as the login session, not one hour.
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_SWALLOW_ERRORS=True,  # a Redis outage must not take the API down
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
    )
    if app.config["FORCE_HTTPS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    logs.configure(app.config["LOG_LEVEL"])

    logs.init_app(app)  # first, so that every answer (a 414, a 429) carries its request id
    inputs.init_app(app)  # before any route is added: the bounded <int:...> converter
    ratelimits.init_app(app, limiter)
    app.extensions["moderate_slots"] = Slots(
        "moderate", app.config["MODERATE_CONCURRENCY"], app.config["RATELIMIT_STORAGE_URI"]
    )
    db.init_app(app)
    faults.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    login_manager.init_app(app)
    sessions.init_app(app)
    security.init_app(app)
    serving.init_app(app)
    metrics.init_app(app)

    openapi.init_app(app)
    openapi.register_converter(inputs.ArticleIdConverter, inputs.article_id_parameter)
    from service.api import articles, comments, health, moderate
    from service.api.auth import SECURITY_SCHEMES

    for name, scheme in SECURITY_SCHEMES.items():
        openapi.spec.components.security_scheme(name, scheme)
    from service.api import queue as queue_api

    for module in (health, comments, moderate, articles, queue_api):
        csrf.exempt(module.blp)  # bearer-token API; session callers are CSRF-checked in auth
        openapi.register_blueprint(module.blp)
    openapi.document_common_errors()

    from service import auth
    from service.admin.views import bp as admin_pages
    from service.auth.views import bp as auth_pages
    from service.queue.views import bp as queue_pages

    auth.init_app(app)
    for pages in (auth_pages, queue_pages, admin_pages):
        app.register_blueprint(pages)
    app.add_url_rule("/", "home", lambda: redirect(url_for("queue.index")))

    from service.commands import register_commands

    register_commands(app)
    return app
