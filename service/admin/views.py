"""``/admin/...``: API keys, accounts, policy and models. Every route is admins only."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from service.access.accounts import AccountError, create_user, set_active
from service.access.api_clients import ClientError, create_client, revoke_client
from service.admin.forms import ApiKeyForm, UserForm, WebhookForm
from service.extensions import db
from service.forms import PostForm
from service.moderation.loader import ModelLoadError, available_versions, read_card
from service.moderation.policy import LANGUAGE_MODES, OFF_TOPIC_REVIEW
from service.moderation.types import CATEGORIES
from service.serving.policy_store import (
    OFF_TOPIC_SETTING,
    SWITCHES,
    PolicyError,
    apply_changes,
    build_policy,
    card_thresholds,
    load_overrides,
)
from service.serving.runtime import current as serving
from service.tables import ApiClient, ModelActivation, User
from service.webhooks.endpoints import all_endpoints, remove_endpoint, set_endpoint
from service.webhooks.outbox import open_events, resend
from service.webhooks.urls import WebhookUrlError

log = logging.getLogger(__name__)
LANGUAGE_NAMES = {"ckb": "Sorani Kurdish", "kmr": "Kurmanji Kurdish", "fa": "Persian"}
MODE_LABELS = {
    "hold": "hold for a moderator",
    "score": "score with the nearest model",
    "approve_unless_terms": "approve unless a term-list entry matches",
}
bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_admin:
        log.warning("moderator %s refused admin page %s", current_user.username, request.path)
        abort(403)
    return None


@bp.route("")
def index():
    return redirect(url_for("admin.users"))


def _actor() -> str:
    return f"admin:{current_user.username}"


# -- API keys ---------------------------------------------------------------


def _keys_page(
    form: ApiKeyForm,
    new_key: str | None = None,
    status: int = 200,
    new_secret: tuple[str, str] | None = None,
    webhook_error: str | None = None,
):
    """The websites' keys, their webhooks and the webhook events not yet delivered."""
    clients = db.session.scalars(select(ApiClient).order_by(ApiClient.id))
    return (
        render_template(
            "admin/api_keys.html",
            form=form,
            post=PostForm(),
            clients=clients,
            new_key=new_key,
            webhooks={endpoint.client_id: endpoint for endpoint in all_endpoints()},
            new_secret=new_secret,
            webhook_error=webhook_error,
            events=open_events(),
        ),
        status,
    )


@bp.route("/api-keys", methods=["GET"])
def api_keys():
    return _keys_page(ApiKeyForm())


@bp.route("/api-keys", methods=["POST"])
def create_api_key():
    """A website's key, shown once; only its hash is stored."""
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _keys_page(form, status=400)
    name = form.name.data.strip()
    try:
        client, secret = create_client(name)
    except ClientError as exc:
        form.name.errors.append(f"{exc}.")
        return _keys_page(form, status=400)
    log.info("API key for %s created by %s", client.name, current_user.username)
    return _keys_page(ApiKeyForm(formdata=None), new_key=secret, status=201)


@bp.route("/api-keys/<int:client_id>/revoke", methods=["POST"])
def revoke_api_key(client_id: int):
    client = db.session.get(ApiClient, client_id) or abort(404)
    if revoke_client(client):
        log.info("API key for %s revoked by %s", client.name, current_user.username)
    flash(f"The key of {client.name!r} is revoked: its requests now get 401.")
    return redirect(url_for("admin.api_keys"))


@bp.route("/api-keys/<int:client_id>/webhook", methods=["POST"])
def set_webhook(client_id: int):
    """Point a website's webhook at a URL with a new signing secret, shown once."""
    client = db.session.get(ApiClient, client_id) or abort(404)
    form = WebhookForm()
    if not form.validate_on_submit():
        problems = "; ".join(e for errors in form.errors.values() for e in errors)
        return _keys_page(ApiKeyForm(formdata=None), webhook_error=problems, status=400)
    try:
        endpoint, secret = set_endpoint(client, form.url.data)
    except WebhookUrlError as exc:
        error = f"Webhook of {client.name!r} not set: {exc}"
        return _keys_page(ApiKeyForm(formdata=None), webhook_error=error, status=400)
    log.info("webhook for %s set by %s", client.name, current_user.username)
    return _keys_page(ApiKeyForm(formdata=None), new_secret=(client.name, secret))


@bp.route("/api-keys/<int:client_id>/webhook/remove", methods=["POST"])
def remove_webhook(client_id: int):
    client = db.session.get(ApiClient, client_id) or abort(404)
    if remove_endpoint(client):
        log.info("webhook for %s removed by %s", client.name, current_user.username)
    flash(f"{client.name!r} has no webhook now.")
    return redirect(url_for("admin.api_keys"))


@bp.route("/webhook-events/<uuid:event_id>/resend", methods=["POST"])
def resend_webhook_event(event_id: uuid.UUID):
    """A pending or failed event due again now; the dispatcher sends it."""
    if not resend(str(event_id)):
        abort(404)
    log.info("webhook event %s resent by %s", event_id, current_user.username)
    flash(f"Event {event_id} is due again: the dispatcher sends it next.")
    return redirect(url_for("admin.api_keys", _anchor="webhook-events"))


# -- Accounts ---------------------------------------------------------------


def _users_page(form: UserForm, status: int = 200):
    users = db.session.scalars(select(User).order_by(User.username))
    return render_template("admin/users.html", form=form, post=PostForm(), users=users), status


@bp.route("/users", methods=["GET"])
def users():
    return _users_page(UserForm())


@bp.route("/users", methods=["POST"])
def create_account():
    form = UserForm()
    if not form.validate_on_submit():
        return _users_page(form, status=400)
    try:
        user = create_user(form.username.data.strip(), form.password.data, form.role.data)
    except AccountError as exc:
        form.username.errors.append(str(exc))
        return _users_page(form, status=400)
    flash(f"Created {user.role} {user.username!r}.")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/<any(disable, enable):change>", methods=["POST"])
def change_account(user_id: int, change: str):
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id and change == "disable":
        flash("You cannot disable your own account.")
        return redirect(url_for("admin.users"))
    set_active(user, change == "enable", actor=_actor())
    flash(f"{user.username!r} is {'enabled' if user.active else 'disabled'}.")
    return redirect(url_for("admin.users"))


# -- Policy -----------------------------------------------------------------


def _policy_page(errors: dict[str, str] | None = None, values: dict | None = None, status=200):
    card = serving().card
    overrides = load_overrides()
    policy = build_policy(card, overrides)
    return (
        render_template(
            "admin/policy.html",
            policy=policy,
            defaults=card_thresholds(card),
            overrides=overrides,
            source=f"model {card['version']}" if card else "built-in defaults",
            errors=errors or {},
            values=values or {},
            post=PostForm(),
            categories=CATEGORIES,
            language_modes=LANGUAGE_MODES,
            language_names=LANGUAGE_NAMES,
            mode_labels=MODE_LABELS,
            off_topic_default=OFF_TOPIC_REVIEW,
        ),
        status,
    )


@bp.route("/policy", methods=["GET"])
def policy():
    return _policy_page()


@bp.route("/policy", methods=["POST"])
def edit_policy():
    """Every field is sent; only values that differ from the effective policy are stored."""
    card = serving().card
    current = build_policy(card, load_overrides())
    changes: dict[str, Any] = {}
    for category in CATEGORIES:
        for kind in ("reject", "review"):
            name = f"{category}.{kind}"
            raw = request.form.get(name, "").strip()
            if raw and raw != f"{getattr(current.thresholds[category], kind):g}":
                changes[name] = raw
    raw = request.form.get(OFF_TOPIC_SETTING, "").strip()
    if raw and raw != f"{current.off_topic_review:g}":
        changes[OFF_TOPIC_SETTING] = raw
    for switch in SWITCHES:
        wanted = request.form.get(switch) == "on"
        if wanted != getattr(current, switch):
            changes[switch] = wanted
    for code, mode in current.language_modes.items():
        wanted = request.form.get(f"language.{code}", mode)
        if wanted != mode:
            changes[f"language.{code}"] = wanted
    reset = tuple(name for name in request.form.getlist("reset") if name)
    if not changes and not reset:
        flash("Nothing changed.")
        return redirect(url_for("admin.policy"))
    try:
        apply_changes(changes, _actor(), card, reset)
    except PolicyError as exc:
        return _policy_page(exc.fields, dict(request.form), status=400)
    serving().refresh(force=True)
    log.info("policy changed by %s: %s", current_user.username, ", ".join(changes) or "resets")
    flash("Policy updated; every worker applies it within seconds.")
    return redirect(url_for("admin.policy"))


# -- Models -----------------------------------------------------------------


@bp.route("/models")
def models():
    """Versions in the models directory, the one this process serves, and the activations."""
    runtime = serving()
    served = runtime.model.version if runtime.model else None
    versions = []
    for version in reversed(available_versions(runtime.models_dir)):
        try:
            card = read_card(runtime.models_dir, version)
            problem = None
        except ModelLoadError as exc:
            card, problem = {}, str(exc)
        versions.append({"version": version, "card": card, "problem": problem})
    activations = db.session.scalars(
        select(ModelActivation).order_by(ModelActivation.id.desc()).limit(20)
    )
    return render_template(
        "admin/models.html",
        versions=versions,
        serving=served,
        wanted=runtime.wanted_version(),
        activations=list(activations),
    )


# -- Term lists: routes of this blueprint, in their own module ----------------
from service.admin import terms as _terms  # noqa: E402,F401
