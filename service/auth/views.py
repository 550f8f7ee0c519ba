"""``/login``, ``/logout`` and ``/account``: sessions and personal access tokens."""

from __future__ import annotations

import logging

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
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select, update

from service import ratelimits
from service.access.accounts import find_user
from service.access.passwords import hash_password, needs_rehash, verify_password
from service.access.tokens import TokenError, issue_token
from service.auth.forms import LoginForm, TokenForm
from service.auth.throttle import fingerprint
from service.clock import utcnow
from service.extensions import db, limiter
from service.forms import PostForm
from service.security import safe_next
from service.sessions import end_sessions
from service.tables import AccessToken, User

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__, template_folder="templates")


def _throttles() -> dict:
    return current_app.extensions["login_throttles"]


def _refuse(form: LoginForm, message: str, status: int, retry_after: float | None = None):
    headers = {"Retry-After": str(int(retry_after))} if retry_after else {}
    return render_template("auth/login.html", form=form, error=message), status, headers


@bp.errorhandler(RateLimitExceeded)
def _too_many_requests(error: RateLimitExceeded):
    """``LOGIN_RATE_LIMIT``: the login page again, with 429 (Retry-After is added for every 429)."""
    log.warning("login refused from %s: over LOGIN_RATE_LIMIT", ratelimits.client_address())
    wait = ratelimits.retry_after(limiter)
    return _refuse(LoginForm(), f"Too many login attempts. Try again in {wait} s.", 429)


def _who(user: User | None, username: str) -> str:
    """An account by its stored name, or an unknown username by a hash: never the typed text."""
    if user is not None:
        return f"account {user.username} (id {user.id})"
    return f"unknown username #{fingerprint(username)}"


def _record_failure(user: User | None, username: str, address: str) -> None:
    # The same statement for a known and an unknown username, so both take the same time.
    db.session.execute(
        update(User)
        .where(User.id == (user.id if user is not None else 0))
        .values(failed_logins=User.failed_logins + 1, last_failed_login_at=utcnow())
    )
    db.session.commit()
    _throttles()["username"].failed(fingerprint(username), address)
    _throttles()["address"].failed(address)
    log.warning("failed login for %s from %s", _who(user, username), address)


def _succeed(user: User, password: str, username: str, address: str):
    values: dict = {"failed_logins": 0, "last_failed_login_at": None}
    if needs_rehash(user.password_hash):
        values["password_hash"] = hash_password(password)
    db.session.execute(update(User).where(User.id == user.id).values(**values))
    db.session.commit()
    _throttles()["username"].clear(fingerprint(username), address)
    login_user(user)
    log.info("login of %s from %s", user.username, address)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(ratelimits.login_rate_limit, key_func=ratelimits.client_address, methods=["POST"])
def login():
    """The login form; failed attempts are slowed per address and per username and address.

    Unknown usernames are answered exactly as wrong passwords are, after the same work.
    """
    form = LoginForm(next=request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, error=None)
    address = ratelimits.client_address()
    username, password = form.username.data.strip(), form.password.data
    wait = _throttles()["address"].remaining(address) or _throttles()["username"].remaining(
        fingerprint(username), address
    )
    if wait:
        log.warning(
            "login refused for username #%s from %s: too many failures",
            fingerprint(username),
            address,
        )
        return _refuse(form, f"Too many failed logins. Try again in {int(wait)} s.", 429, wait)
    user = find_user(username)
    if not verify_password(user.password_hash if user else None, password):
        _record_failure(user, username, address)
        return _refuse(form, "Wrong username or password.", 401)
    if not user.active:
        log.warning("login refused for disabled %s from %s", _who(user, username), address)
        return _refuse(form, "This account is disabled.", 403)
    _succeed(user, password, username, address)
    return redirect(safe_next(form.next.data))


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:  # CSRFProtect has checked the form's token
        log.info("logout of %s", current_user.username)
        end_sessions(current_user._get_current_object())
        logout_user()
    flash("You are logged out.")
    return redirect(url_for("auth.login"))


def _tokens() -> list[AccessToken]:
    return list(
        db.session.scalars(
            select(AccessToken)
            .filter_by(user_id=current_user.id)
            .order_by(AccessToken.revoked_at.is_not(None), AccessToken.id.desc())
        )
    )


def _account_page(token_form: TokenForm, new_secret: str | None = None, status: int = 200):
    return (
        render_template(
            "auth/account.html",
            token_form=token_form,
            post_form=PostForm(),
            tokens=_tokens(),
            new_secret=new_secret,
        ),
        status,
    )


@bp.route("/account", methods=["GET"])
@login_required
def account():
    """Your personal access tokens for the queue API."""
    return _account_page(TokenForm())


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_token():
    """A new token, shown once; only its hash is kept. It carries your role."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _account_page(form, status=400)
    try:
        secret = issue_token(current_user, form.name.data)
    except TokenError as exc:
        form.name.errors.append(str(exc))
        return _account_page(form, status=400)
    return _account_page(TokenForm(formdata=None), new_secret=secret, status=201)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
        log.info("access token %s revoked by %s", token.token_prefix, current_user.username)
    flash(f"Token {token.name!r} revoked.")
    return redirect(url_for("auth.account"))
