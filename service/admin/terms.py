"""``/admin/terms``: the blocklist and the allowlist: list, add, remove, import, export.

Routes of the admin blueprint (admins only, CSRF-checked forms); each change goes
through :mod:`service.terms.store`, which logs it as ``admin:NAME``, and this worker
reloads the lists at once (the others within MODEL_REFRESH_SECONDS).
"""

from __future__ import annotations

import io
import logging

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.admin.forms import TermForm, TermImportForm
from service.admin.views import bp
from service.forms import PostForm
from service.moderation.language import SITE_LANGUAGES
from service.serving.runtime import current as serving
from service.terms import store
from service.terms.files import CsvError, read_rows, write_rows

log = logging.getLogger(__name__)
MAX_IMPORT_BYTES = 1024 * 1024


def _actor() -> str:
    return f"admin:{current_user.username}"


def _page(form=None, upload=None, errors=None, status: int = 200):
    language = request.args.get("language") or None
    if language not in SITE_LANGUAGES:
        language = None
    return (
        render_template(
            "admin/terms.html",
            form=form or TermForm(formdata=None),
            upload=upload or TermImportForm(formdata=None),
            post=PostForm(),
            errors=errors or {},
            block=store.entries(store.BLOCK, language),
            allow=store.entries(store.ALLOW, language),
            changes=store.history(30),
            language=language,
            languages=SITE_LANGUAGES,
        ),
        status,
    )


def _changed(message: str):
    serving().refresh(force=True)
    flash(f"{message} Every worker applies it within seconds.")
    return redirect(url_for("admin.terms"))


@bp.route("/terms", methods=["GET"])
def terms():
    return _page()


@bp.route("/terms", methods=["POST"])
def add_term():
    form = TermForm()
    if not form.validate_on_submit():
        return _page(form=form, status=400)
    allow = form.list_name.data == store.ALLOW
    try:
        store.add(
            form.list_name.data,
            form.term.data,
            _actor(),
            category=None if allow else form.category.data or None,
            action=None if allow else form.action.data or None,
            language=form.language.data or None,
            note=form.note.data or None,
        )
    except store.TermError as exc:
        return _page(form=form, errors=exc.fields, status=400)
    log.info("%slist entry added by %s", form.list_name.data, current_user.username)
    return _changed(f"Added {form.term.data.strip()!r} to the {form.list_name.data}list.")


@bp.route("/terms/<any(block, allow):list_name>/<int:entry_id>/remove", methods=["POST"])
def remove_term(list_name: str, entry_id: int):
    try:
        entry = store.remove(list_name, _actor(), entry_id=entry_id)
    except store.TermError as exc:
        return _page(errors=exc.fields, status=404)
    log.info("%slist entry removed by %s", list_name, current_user.username)
    return _changed(f"Removed {entry.term!r} from the {list_name}list.")


@bp.route("/terms/import", methods=["POST"])
def import_terms():
    upload = TermImportForm()
    if not upload.validate_on_submit():
        return _page(upload=upload, status=400)
    raw = upload.file.data.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        return _page(upload=upload, errors={"file": "larger than 1 MB"}, status=400)
    try:
        rows = read_rows(io.StringIO(raw.decode("utf-8-sig")))
        report = store.import_rows(rows, _actor())
    except UnicodeDecodeError:
        return _page(upload=upload, errors={"file": "not UTF-8 text"}, status=400)
    except CsvError as exc:
        return _page(upload=upload, errors={"file": str(exc)}, status=400)
    except store.TermError as exc:
        return _page(upload=upload, errors=exc.fields, status=400)
    log.info("term lists: %d entries imported by %s", report.added, current_user.username)
    return _changed(f"Imported {report.added} entries; {report.skipped} were already listed.")


@bp.route("/terms/export.csv", methods=["GET"])
def export_terms():
    return Response(
        write_rows(store.export_rows()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=terms.csv"},
    )
