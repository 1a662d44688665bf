"""No SQL built from strings: every statement is a SQLAlchemy expression (values are bound).

The only literal SQL allowed is constant driver set-up and schema predicates, listed here
with the reason; a new one fails this test until it is reviewed and added.
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT

ALLOWED = {
    ("store/repository.py", "PRAGMA foreign_keys=ON"),  # SQLite connection set-up
    ("store/repository.py", "PRAGMA journal_mode=DELETE"),  # never WAL (see the module docstring)
    ("store/repository.py", "BEGIN"),  # SQLite: explicit transactions, so DDL is transactional
    # cami serve's SQLite copy of a PostgreSQL store: documents.superseded_by_id may point at a later row
    ("serve/site.py", "PRAGMA defer_foreign_keys=ON"),
    ("store/schema.py", "status = 'current'"),  # the partial unique index's predicate
    # the re-ingest probe: read-only, stdlib sqlite3, before SQLAlchemy is imported (tests/store/test_probe.py)
    ("store/probe.py", "SELECT version_num FROM alembic_version"),
    ("store/probe.py", "SELECT sha256 FROM documents"),
    ("store/probe.py", "SELECT finished_at FROM runs ORDER BY id DESC LIMIT 1"),
    (
        "store/probe.py",
        "SELECT 1 FROM documents d WHERE NOT EXISTS (SELECT 1 FROM activity_claim_runs r "
        "WHERE r.document_id = d.id AND r.extractor = ?) LIMIT 1",
    ),
    ("store/migrations/versions/0002_safe_writes.py", "status = 'current'"),
}
SQL_CALLS = {"text", "exec_driver_sql", "execute", "executescript"}


def _literal_sql():
    for path in sorted((ROOT / "cami_extract").rglob("*.py")):
        rel = path.relative_to(ROOT / "cami_extract").as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in SQL_CALLS:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield rel, arg.value
            elif isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
                isinstance(arg, ast.Call) and getattr(arg.func, "attr", "") == "format"
            ):
                yield rel, f"<built string at line {node.lineno}>"


def test_no_sql_is_written_as_a_string_except_the_reviewed_constants():
    found = set(_literal_sql())
    assert found <= ALLOWED, sorted(found - ALLOWED)
    assert found, "the scan finds the allowed ones, so it does look"
