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
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select, update

from service.access import credentials
from service.access.accounts import find_user
from service.access.passwords import hash_password, needs_rehash, verify_password
from service.auth.forms import LoginForm, TokenForm
from service.auth.throttle import account_lock_remaining
from service.clock import utcnow
from service.extensions import db
from service.forms import PostForm
from service.security import safe_next
from service.tables import AccessToken, User

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__, template_folder="templates")


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _refuse(form: LoginForm, message: str, status: int):
    return render_template("auth/login.html", form=form, error=message), status


def _record_failure(user: User | None, username: str, address: str) -> None:
    if user is not None:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1, last_failed_login_at=utcnow())
        )
        db.session.commit()
    from_address = current_app.extensions["login_throttle"].failed(address)
    log.warning(
        "failed login for %s %r from %s (%s account failures in a row, %d from this address)",
        "account" if user is not None else "unknown username",
        username[:80],
        address,
        (user.failed_logins if user is not None else "no"),
        from_address,
    )


def _succeed(user: User, password: str, address: str):
    values: dict = {"failed_logins": 0, "last_failed_login_at": None}
    if needs_rehash(user.password_hash):
        values["password_hash"] = hash_password(password)
    db.session.execute(update(User).where(User.id == user.id).values(**values))
    db.session.commit()
    login_user(user)
    log.info("login of %s from %s", user.username, address)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; failed attempts are slowed per account and per address, and logged."""
    form = LoginForm(next=request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, error=None)
    address = _client_address()
    wait = current_app.extensions["login_throttle"].remaining(address)
    if wait:
        log.warning("login refused from %s: too many failures from this address", address)
        return _refuse(form, f"Too many failed logins. Try again in {int(wait) + 1} s.", 429)
    username, password = form.username.data.strip(), form.password.data
    user = find_user(username)
    if user is not None:
        locked = account_lock_remaining(user, utcnow())
        if locked:
            log.warning(
                "login refused for %r from %s: locked %.0f s after %d failures",
                username,
                address,
                locked,
                user.failed_logins,
            )
            return _refuse(form, f"Too many failed logins. Try again in {int(locked) + 1} s.", 429)
    if not verify_password(user.password_hash if user else None, password):
        _record_failure(user, username, address)
        return _refuse(form, "Wrong username or password.", 401)
    if not user.active:
        log.warning("login refused for disabled account %r from %s", username, address)
        return _refuse(form, "This account is disabled.", 403)
    _succeed(user, password, address)
    return redirect(safe_next(form.next.data))


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:  # CSRFProtect has checked the form's token
        log.info("logout of %s", current_user.username)
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
    new = credentials.generate(credentials.TOKEN_KIND)
    token = AccessToken(
        user_id=current_user.id,
        name=form.name.data.strip(),
        token_prefix=new.prefix,
        token_hash=new.digest,
    )
    db.session.add(token)
    db.session.commit()
    log.info("access token %s created by %s", new.prefix, current_user.username)
    return _account_page(TokenForm(formdata=None), new_secret=new.secret, status=201)


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
