"""Add, remove, list, import and export term-list entries; every change is logged.

Each function that changes the lists commits once: the entries and their rows in
the append-only change log (``term_changes``: who, when, what) together. Workers
pick the change up within ``MODEL_REFRESH_SECONDS`` (:mod:`service.serving.term_lists`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from service.clock import utcnow
from service.extensions import db
from service.moderation.language import SITE_LANGUAGES
from service.moderation.terms import fold_term, validate_entry
from service.tables import AllowedTerm, BlockedTerm, TermChange

BLOCK, ALLOW = "block", "allow"
LISTS = (BLOCK, ALLOW)
ADDED, REMOVED, IMPORTED = "added", "removed", "imported"
MAX_NOTE = 500


class TermError(ValueError):
    """An invalid entry or change; ``fields`` maps each bad field to its problem."""

    def __init__(self, fields: Mapping[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = dict(fields)


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    skipped: int  # already on the list (same folded term and language)


def _table(list_name: str) -> type[BlockedTerm] | type[AllowedTerm]:
    if list_name not in LISTS:
        raise TermError({"list": f"must be {BLOCK} or {ALLOW}"})
    return BlockedTerm if list_name == BLOCK else AllowedTerm


def _language(raw: str | None) -> str | None:
    code = (raw or "").strip().lower()
    if code in ("", "*", "all"):
        return None
    if code not in SITE_LANGUAGES:
        raise TermError({"language": f"must be one of {', '.join(SITE_LANGUAGES)} or empty"})
    return code


def _find(list_name: str, key: str, language: str | None):
    table = _table(list_name)
    scope = table.language.is_(None) if language is None else table.language == language
    return db.session.scalars(select(table).where(table.key == key, scope)).first()


def _log(change: str, list_name: str, entry, actor: str) -> None:
    db.session.add(
        TermChange(
            change=change,
            list_name=list_name,
            term=entry.term,
            category=getattr(entry, "category", None),
            action=getattr(entry, "action", None),
            language=entry.language,
            actor=actor,
            created_at=utcnow(),
        )
    )


def _entry(
    list_name: str,
    term: str,
    category: str | None,
    action: str | None,
    language: str | None,
    note: str | None,
    actor: str,
) -> BlockedTerm | AllowedTerm:
    """A validated, not yet stored entry; raises TermError."""
    term = (term or "").strip()
    table = _table(list_name)
    if table is BlockedTerm:
        problems = validate_entry(term, category or "", action or "")
    else:
        problems = validate_entry(term, None, None)
        if category or action:
            problems["category"] = "allowlist entries have no category or action"
    try:
        language = _language(language)
    except TermError as exc:
        problems |= exc.fields
    if note and len(note) > MAX_NOTE:
        problems["note"] = f"at most {MAX_NOTE} characters"
    if problems:
        raise TermError(problems)
    fields = {
        "term": term,
        "key": fold_term(term),
        "language": language,
        "note": note or None,
        "added_by": actor,
        "added_at": utcnow(),
    }
    if table is BlockedTerm:
        fields |= {"category": category, "action": action}
    return table(**fields)


def add(
    list_name: str,
    term: str,
    actor: str,
    category: str | None = None,
    action: str | None = None,
    language: str | None = None,
    note: str | None = None,
) -> BlockedTerm | AllowedTerm:
    """Add one entry to the blocklist (with ``category`` and ``action``) or the allowlist.

    Raises :class:`TermError` when a field is invalid or the term (folded) is already on
    that list for that language.
    """
    entry = _entry(list_name, term, category, action, language, note, actor)
    if _find(list_name, entry.key, entry.language) is not None:
        scope = entry.language or "every language"
        raise TermError({"term": f"{term.strip()!r} is already on the {list_name}list ({scope})"})
    db.session.add(entry)
    _log(ADDED, list_name, entry, actor)
    db.session.commit()
    return entry


def remove(
    list_name: str,
    actor: str,
    term: str | None = None,
    language: str | None = None,
    entry_id: int | None = None,
) -> BlockedTerm | AllowedTerm:
    """Remove one entry, named by ``entry_id`` or by ``term`` and ``language``; raises
    TermError when there is no such entry."""
    table = _table(list_name)
    if entry_id is not None:
        entry = db.session.get(table, entry_id)
    else:
        entry = _find(list_name, fold_term(term or ""), _language(language))
    if entry is None:
        raise TermError({"term": f"no such entry on the {list_name}list"})
    _log(REMOVED, list_name, entry, actor)
    db.session.delete(entry)
    db.session.commit()
    return entry


def entries(list_name: str, language: str | None = None) -> list[BlockedTerm | AllowedTerm]:
    """Entries of one list, by language (every-language first) then term; ``language``
    keeps that language's entries and the every-language ones."""
    table = _table(list_name)
    query = select(table)
    if language:
        code = _language(language)
        query = query.where((table.language == code) | table.language.is_(None))
    rows = db.session.scalars(query).all()
    return sorted(rows, key=lambda row: (row.language or "", row.key))


def history(limit: int = 50) -> list[TermChange]:
    """The latest changes, newest first."""
    query = select(TermChange).order_by(TermChange.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def import_rows(rows: Iterable[tuple[int, Mapping[str, str]]], actor: str) -> ImportReport:
    """Add the entries of CSV rows (``(line, row)`` from :func:`service.terms.files.read_rows`).

    All or nothing: every row is checked first and a :class:`TermError` names each bad
    line. An entry already on its list (same folded term and language, also twice in
    the file) is skipped, not changed.
    """
    problems: dict[str, str] = {}
    new: list[tuple[str, BlockedTerm | AllowedTerm]] = []
    seen: set[tuple[str, str, str | None]] = set()
    skipped = 0
    for line, row in rows:
        list_name = (row.get("list") or "").strip().lower()
        try:
            entry = _entry(
                list_name,
                row.get("term", ""),
                (row.get("category") or "").strip().lower() or None,
                (row.get("action") or "").strip().lower() or None,
                row.get("language"),
                (row.get("note") or "").strip() or None,
                actor,
            )
        except TermError as exc:
            problems[f"line {line}"] = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            continue
        identity = (list_name, entry.key, entry.language)
        if identity in seen or _find(*identity) is not None:
            skipped += 1
            continue
        seen.add(identity)
        new.append((list_name, entry))
    if problems:
        raise TermError(problems)
    for list_name, entry in new:
        db.session.add(entry)
        _log(IMPORTED, list_name, entry, actor)
    db.session.commit()
    return ImportReport(added=len(new), skipped=skipped)


def export_rows() -> list[dict[str, str | None]]:
    """Both lists as CSV rows (blocklist first), in the import format."""
    rows: list[dict[str, str | None]] = []
    for list_name in LISTS:
        for entry in entries(list_name):
            rows.append(
                {
                    "list": list_name,
                    "term": entry.term,
                    "category": getattr(entry, "category", None),
                    "action": getattr(entry, "action", None),
                    "language": entry.language,
                    "note": entry.note,
                }
            )
    return rows
