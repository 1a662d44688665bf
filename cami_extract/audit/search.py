"""Full-text search over paragraphs: SQLite FTS5 on SQLite, PostgreSQL text search on PostgreSQL.

The index is derived data, built by the store on demand (:func:`ensure_index`) and rebuilt when
blocks were added since; it is never exported. Blocks are only ever added (a new version is a
new document; nothing is deleted), so the highest block id and the block count say whether the
index is current.

SQLAlchemy has no construct for an FTS5 virtual table, so its DDL and the ``rebuild`` command
are the only SQL strings here (reviewed: constant text, no user input). Queries are built with
SQLAlchemy, the user's words bound as parameters; on SQLite each word is quoted so FTS5's query
syntax (AND, NEAR, column filters, ``*``) in user text cannot raise or change the meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    column,
    func,
    literal_column,
    select,
    table,
)

from ..store.repository import Store
from ..store.schema import BlockRow, Document

# Words of the query: letters and digits, as FTS5's unicode61 tokenizer splits them.
WORD = re.compile(r"\w+", re.UNICODE)
# Words of context on each side of a hit in a snippet (FTS5 snippet() takes at most 64 tokens).
SNIPPET_TOKENS = 16
# PostgreSQL text-search configuration: the corpus is English (translations are stored, not indexed apart).
PG_CONFIG = "english"
PG_INDEX = "ix_blocks_text_fts"

FTS_TABLE = "blocks_fts"
_FTS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "text, content='paragraphs', content_rowid='id', tokenize='porter unicode61')"
)
_FTS_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')"

# Bookkeeping for the SQLite index: which blocks it has seen. Not in the ORM metadata (it is
# not content and no migration owns it); created beside the virtual table.
_state_meta = MetaData()
fts_state = Table(
    "blocks_fts_state",
    _state_meta,
    Column("name", String(16), primary_key=True),
    Column("max_block_id", Integer),
    Column("block_count", Integer),
)


@dataclass(frozen=True, slots=True)
class Hit:
    document: str
    language: str | None
    sha256: str
    seq: int
    label: str | None
    kind: str
    page: int | None
    snippet: str  # the hit in context, matched words in [brackets]
    text: str

    def as_dict(self) -> dict:
        return {
            "document": self.document,
            "language": self.language,
            "sha256": self.sha256,
            "seq": self.seq,
            "label": self.label,
            "kind": self.kind,
            "page": self.page,
            "snippet": self.snippet,
            "text": self.text,
        }


def _is_sqlite(store: Store) -> bool:
    return store.engine.dialect.name == "sqlite"


def ensure_index(store: Store, *, lock_timeout: float = 10.0) -> bool:
    """Build or bring up to date the full-text index; True when it was (re)built.

    Building writes to the database, so on SQLite it takes the one-writer lock (E201 if an
    ingest holds it longer than ``lock_timeout``); an index already current takes no lock.
    """
    if _is_sqlite(store) and not _fts_stale(store):
        return False
    with store.writer(lock_timeout), store.engine.begin() as conn:
        now = conn.execute(select(func.max(BlockRow.id), func.count(BlockRow.id))).one()
        if not _is_sqlite(store):
            # An expression index so @@ does not recompute every tsvector. It lives on a light copy
            # of `paragraphs` (own metadata): the ORM's metadata, which migrations own, stays as it is.
            text_col = Column("text", Text)
            ix = Index(PG_INDEX, func.to_tsvector(literal_column(f"'{PG_CONFIG}'"), text_col), postgresql_using="gin")
            Table("paragraphs", MetaData(), text_col, ix)  # the index's table, for its DDL
            created = not conn.dialect.has_index(conn, "paragraphs", PG_INDEX)
            if created:
                ix.create(conn)
            return created
        conn.exec_driver_sql(_FTS_DDL)
        _state_meta.create_all(conn)
        seen = conn.execute(select(fts_state).where(fts_state.c.name == "blocks")).first()
        if seen is not None and (seen.max_block_id, seen.block_count) == tuple(now):
            return False
        conn.exec_driver_sql(_FTS_REBUILD)
        conn.execute(fts_state.delete())
        conn.execute(fts_state.insert().values(name="blocks", max_block_id=now[0], block_count=now[1]))
        return True


def _fts_stale(store: Store) -> bool:
    with store.engine.connect() as conn:
        if not conn.dialect.has_table(conn, fts_state.name):
            return True
        now = conn.execute(select(func.max(BlockRow.id), func.count(BlockRow.id))).one()
        seen = conn.execute(select(fts_state.c.max_block_id, fts_state.c.block_count)).first()
        return seen is None or tuple(seen) != tuple(now)


def fts5_query(text: str) -> str:
    """User words as an FTS5 query: every word, each quoted (so no word is an operator)."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in WORD.findall(text))


def search(store: Store, text: str, *, limit: int = 50, all_versions: bool = False) -> list[Hit]:
    """Paragraphs containing every word of ``text`` (stemmed), best first; ties in reading order."""
    if not WORD.search(text):
        return []
    ensure_index(store)
    doc_cols = (Document.symbol, Document.path, Document.language, Document.sha256)
    blk_cols = (BlockRow.seq, BlockRow.label, BlockRow.kind, BlockRow.page_first, BlockRow.text)
    if _is_sqlite(store):
        fts = table(FTS_TABLE, column("rowid"), column("rank"))
        snippet = func.snippet(literal_column(FTS_TABLE), 0, "[", "]", "…", SNIPPET_TOKENS)
        q = (
            select(*doc_cols, *blk_cols, snippet, fts.c.rank)
            .select_from(fts)
            .join(BlockRow, BlockRow.id == fts.c.rowid)
            .join(Document, Document.id == BlockRow.document_id)
            .where(literal_column(FTS_TABLE).match(fts5_query(text)))  # sqlite dialect: "blocks_fts MATCH ?"
        )
        rank: Any = fts.c.rank  # bm25: lower is better
    else:
        config: Any = literal_column(f"'{PG_CONFIG}'")
        tsq = func.plainto_tsquery(config, text)
        vec = func.to_tsvector(config, BlockRow.text)
        snippet = func.ts_headline(
            config, BlockRow.text, tsq, f"StartSel=[, StopSel=], MaxWords={2 * SNIPPET_TOKENS}, MinWords=8"
        )
        rank = -func.ts_rank(vec, tsq)
        q = (
            select(*doc_cols, *blk_cols, snippet, rank)
            .select_from(BlockRow)
            .join(Document, Document.id == BlockRow.document_id)
            .where(vec.op("@@")(tsq))
        )
    if not all_versions:
        q = q.where(Document.status == "current")
    with store.session() as s:
        found = list(s.execute(q))
    # Ranks to 6 places, then symbol and reading order: the same answer on every run.
    found.sort(key=lambda r: (round(float(r[-1]), 6), r.symbol or "", r.language or "", r.sha256, r.seq))
    return [
        Hit(
            document=r.symbol or Path(r.path).name,
            language=r.language,
            sha256=r.sha256,
            seq=r.seq,
            label=r.label,
            kind=r.kind,
            page=r.page_first,
            snippet=" ".join(str(r[-2]).split()),
            text=r.text,
        )
        for r in found[:limit]
    ]
