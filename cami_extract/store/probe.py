"""Has a batch anything to do? Asked of a SQLite store with the standard library.

Re-ingesting an unchanged corpus must cost its hashing (issue 13). Importing SQLAlchemy, the
ORM schema and the reconciler took 0.5 of the 0.6 s such a run took on the benchmark batch,
so ``cami ingest`` asks this probe first: it reads the schema revision, the known hashes,
the documents the reconciler has not read yet and whether the newest run finished, on a read-only connection, and answers yes only
when there is certainly nothing to do. Any doubt (no file, an older schema, a locked or odd
database, a PostgreSQL URL) is a no, and the full path runs and gives its coded errors.

The SQL below names tables of ``schema.py`` and ``reconcile_schema.py``; the probe's test runs
it on a real database, so a rename fails there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from ..errors import CamiError
from ..inputs import sha256_of

# The newest revision(s) of migrations/, so that opening an up-to-date database reads one row
# instead of importing Alembic (~0.15 s of every command). A test checks it against Alembic.
HEAD_REVISIONS = frozenset({"0005_text_source"})


def sqlite_file(target: str) -> Path | None:
    """The file of a SQLite target (a path or sqlite:///PATH); None for any other URL."""
    if "://" not in target:
        return Path(target) if ":" not in target.split("/", 1)[0] else None
    scheme, rest = target.split("://", 1)
    if scheme.lower() != "sqlite" or not rest.startswith("/"):
        return None
    return Path(rest[1:]) if rest[1:] else None


def nothing_to_do(target: str, files: Iterable[Path], *, claims_version: str | None) -> bool:
    """True when every file is stored already and, with ``claims_version``, every document
    has been read by that claim logic; False when anything is new, unreadable or uncertain."""
    db = sqlite_file(target)
    if db is None or not db.is_file():
        return False
    try:
        # mode=ro: the probe never creates, migrates or locks for writing.
        conn = sqlite3.connect(f"file:{quote(str(db.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        heads = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        if heads != HEAD_REVISIONS:
            return False
        if claims_version is not None and _unread(conn, claims_version):
            return False
        # the newest run did not finish (killed, or still going): its reconcile may be half done
        last = conn.execute("SELECT finished_at FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if last is not None and last[0] is None:
            return False
        known = {row[0] for row in conn.execute("SELECT sha256 FROM documents")}
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    try:
        return all(sha256_of(f) in known for f in files)  # stops at the first new file
    except CamiError:  # unreadable: the full path records the failure
        return False


def _unread(conn: sqlite3.Connection, claims_version: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM documents d WHERE NOT EXISTS (SELECT 1 FROM activity_claim_runs r "
        "WHERE r.document_id = d.id AND r.extractor = ?) LIMIT 1",
        (claims_version,),
    ).fetchone()
    return row is not None
