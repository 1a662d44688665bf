"""Datasette metadata for the served database, described by docs/schema.md (the one copy of the descriptions).

docs/schema.md is the reference for every table and column (tests/test_docs.py keeps it
complete against the schema and the export's FIELDS); this module reads its tables rather than
repeating them. The wheel carries the file as ``cami_extract/schema.md`` (setup.py); a source
checkout reads ``docs/schema.md``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sqlalchemy import LargeBinary, create_engine, inspect

from ..audit.search import FTS_TABLE

TITLE = "cami-extract: CMS meeting papers"
DESCRIPTION = (
    "Documents, paragraphs, entity mentions and the activity register mined from CMS meeting papers. "
    "Read-only. Column meanings: docs/schema.md. Reconcile names from OpenRefine at /reconcile."
)
# Facets asked for on every table that has the column: the type of a row, and what it names.
# In mentions and entity_mentions the named value (species, country, funder, …) is `canonical`
# / `key` beside `entity_type`: filtering on entity_type=species makes that facet the species one.
FACET_COLUMNS = ("type", "entity_type", "species", "country", "countries", "funder", "funders", "canonical", "key")
# How a row of these tables is named where another row points at it (a mention's document by
# its symbol, not its title).
LABEL_COLUMNS = {"documents": "symbol", "paragraphs": "label", "activities": "title", "activity_claims": "title"}
# Bookkeeping tables, described but not listed on the database page.
HIDDEN_TABLES = ("alembic_version", "blocks_fts_state")

# Canned queries: the views the issue asks for, read-only SQL Datasette runs with bound parameters.
QUERIES = {
    "documents_by_symbol": {
        "title": "Documents by symbol",
        "description": "Every stored document, ordered by symbol and language; `symbol` filters (empty: all).",
        "sql": (
            "select symbol, language, title, issue_date, meeting, meeting_place, meeting_dates, pages, status, "
            "sha256, id from documents where (:symbol = '' or symbol = :symbol) order by symbol, language, sha256"
        ),
    },
    "mentions_by_symbol": {
        "title": "Mentions with their document's symbol",
        "description": (
            "Entity mentions of current documents, the document by symbol and the block by label; "
            "`mention_id` is what `cami where MENTION_ID` takes. `symbol` and `entity_type` filter (empty: all)."
        ),
        "sql": (
            "select m.id as mention_id, d.symbol as document, d.language, m.page, p.label as paragraph, "
            'p.seq as block_seq, m.entity_type, m.text, m.canonical, m.start, m."end", m.extractor, m.confidence '
            "from mentions m join documents d on d.id = m.document_id join paragraphs p on p.id = m.block_id "
            "where d.status = 'current' and (:symbol = '' or d.symbol = :symbol) "
            "and (:entity_type = '' or m.entity_type = :entity_type) "
            'order by d.symbol, d.language, p.seq, m.start, m."end", m.id'
        ),
    },
}


def schema_doc() -> str:
    packaged = resources.files("cami_extract") / "schema.md"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "docs" / "schema.md").read_text(encoding="utf-8")


def _plain(markdown: str) -> str:
    """Datasette shows descriptions as text: links become their text, code marks go."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("`", "").strip()


@lru_cache(maxsize=1)
def descriptions() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(table -> description, table -> column -> description), read from docs/schema.md.

    An export section (``## name — what a row is``) describes its fields; "The database" section
    describes the tables the export does not have (``- `table`: …``) and the database-only
    columns (``| table | columns | meaning |``).
    """
    tables: dict[str, str] = {}
    columns: dict[str, dict[str, str]] = {}
    for section in re.split(r"^## ", schema_doc(), flags=re.M)[1:]:
        heading, _, body = section.partition("\n")
        if heading.startswith("The database"):
            for name, text in re.findall(r"^- `([a-z_]+)`: (.+)$", body, re.M):
                tables[name] = _plain(text)
            for name, cols, text in re.findall(r"^\| ([a-z_]+) \| ([a-z0-9_, ]+) \| (.+) \|$", body, re.M):
                for c in cols.split(","):
                    columns.setdefault(name, {})[c.strip()] = _plain(text)
            continue
        name, dash, what = heading.partition(" — ")
        if not dash or " " in name:
            continue
        tables.setdefault(name, _plain(what))
        for cols, _type, text in re.findall(r"^\| ([a-z0-9_, ]+) \| ([a-z]+) \| (.*) \|$", body, re.M):
            for c in cols.split(","):
                if text.strip():
                    columns.setdefault(name, {}).setdefault(c.strip(), _plain(text))
    return tables, columns


# The FTS5 virtual table and the shadow tables SQLite keeps for it: Datasette hides them itself.
FTS_SHADOWS = {FTS_TABLE, *(f"{FTS_TABLE}_{s}" for s in ("data", "idx", "docsize", "config", "content"))}


def _inspect(path: Path) -> tuple[dict[str, list[tuple[str, bool]]], bool]:
    """({table: [(column, is a blob)]} for every table but the full-text index's own, whether the index exists).

    Read through SQLAlchemy's inspector on the file opened immutable, as Datasette opens it.
    """
    engine = create_engine(f"sqlite:///file:{path}?immutable=1&uri=true")
    try:
        inspector = inspect(engine)
        names = inspector.get_table_names()
        tables = {
            n: [(c["name"], isinstance(c["type"], LargeBinary)) for c in inspector.get_columns(n)]
            for n in sorted(names)
            if n not in FTS_SHADOWS
        }
        return tables, FTS_TABLE in names
    finally:
        engine.dispose()


def blob_columns(path: Path) -> dict[str, list[str]]:
    """table -> its BLOB columns (paragraphs.char_map)."""
    tables, _ = _inspect(path)
    return {t: blobs for t, cols in tables.items() if (blobs := [c for c, blob in cols if blob])}


def datasette_metadata(path: Path, database: str) -> dict:
    """Datasette's metadata dict for the SQLite file at ``path``, served as ``database``."""
    table_text, column_text = descriptions()
    found, fts = _inspect(path)
    tables = {}
    for table, cols in found.items():
        names = [c for c, _ in cols]
        meta: dict = {
            "description": table_text.get(table, ""),
            "columns": {c: column_text.get(table, {}).get(c, "") for c in names},
        }
        facets = [c for c in FACET_COLUMNS if c in names]
        if facets:
            meta["facets"] = facets
        if table in LABEL_COLUMNS:
            meta["label_column"] = LABEL_COLUMNS[table]
        if table in HIDDEN_TABLES:
            meta["hidden"] = True
        if table == "paragraphs" and fts:
            # The FTS5 index (audit/search.py) is external-content over paragraphs, keyed by id;
            # "escaped" quotes every word, so user text is never FTS5 syntax.
            meta.update({"fts_table": FTS_TABLE, "fts_pk": "id", "searchmode": "escaped"})
        tables[table] = meta
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "databases": {
            database: {
                "description": "The cami-extract store: docs/schema.md describes every table.",
                "tables": tables,
                "queries": QUERIES,
            }
        },
    }
