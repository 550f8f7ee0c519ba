"""The layout's own rules, read from the source (``lint-imports`` checks the rest in CI)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICE = Path(__file__).resolve().parent.parent / "service"
OUTSIDE_THE_DECISION = ("service", "training", "flask", "flask_sqlalchemy", "sqlalchemy")


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: stays inside its package unless it climbs out
                base = path.parent.relative_to(SERVICE.parent).parts
                package = ".".join(base[: len(base) - node.level + 1])
                found.add(f"{package}.{node.module}" if node.module else package)
            else:
                found.add(node.module or "")
    return found


def test_the_decision_imports_nothing_outside_itself():
    offending = {
        f"{path.name}: {name}"
        for path in (SERVICE / "moderation").glob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in OUTSIDE_THE_DECISION and not name.startswith("service.moderation")
    }
    assert not offending


def test_only_the_commands_import_training():
    offending = {
        f"{path.relative_to(SERVICE)}: {name}"
        for path in SERVICE.rglob("*.py")
        if "commands" not in path.relative_to(SERVICE).parts
        for name in imported_modules(path)
        if name.split(".")[0] == "training"
    }
    assert not offending


def test_the_api_and_the_queue_pages_do_not_import_each_other():
    def imports_of(package: str) -> set[str]:
        return {n for p in (SERVICE / package).rglob("*.py") for n in imported_modules(p)}

    assert not {n for n in imports_of("api") if n.startswith("service.queue")}
    assert not {n for n in imports_of("queue") if n.startswith("service.api")}
