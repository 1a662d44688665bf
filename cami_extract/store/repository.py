"""The store: opening a database, safe writers, and one transaction per document.

SQLite is the embedded default; any SQLAlchemy URL works (PostgreSQL through psycopg 3).

SQLite. The SQLite that Python links here (3.40.1) can corrupt a WAL database when two
connections write or checkpoint at once, so we keep SQLite in its rollback-journal mode
and hold an OS lock on ``<file>.lock`` for as long as a writer is open: a second writer
waits ``lock_timeout`` seconds and then fails with E201. Python's sqlite3 module would
commit each CREATE TABLE on its own, so a kill during the first migration left half a
schema; here the driver's own transaction handling is turned off and SQLAlchemy emits
BEGIN itself, so a migration (DDL included) commits whole or not at all. Migrations run
under the writer lock, so two first runs at once create the schema once.

PostgreSQL. Many writers at once, from any machine: migrations take a transaction-level
advisory lock; each document's transaction takes advisory locks on its document key and
its sha256 (in a fixed order: no deadlock), so two writers storing versions of one paper
take turns, and the second finds the first's row. A partial unique index (one ``current``
row per key) makes the database refuse what the locks should already prevent. Failures
are written with INSERT ... ON CONFLICT on both backends.
"""

from __future__ import annotations

import array
import fcntl
import hashlib
import json
import logging
import os
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import (
    BadDatabaseUrl,
    DatabaseBusy,
    DatabaseFolderMissing,
    DatabaseUnreachable,
    NoDatabase,
    StoreFailed,
)
from ..inputs import escape_path
from ..model import Block, CharBox, Failure, Mention, ParsedDocument
from .probe import HEAD_REVISIONS
from .schema import LIMITS, BlockRow, Document, FailureRow, MentionRow, PageRow, Run

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_LOCK_TIMEOUT = 10.0  # seconds; Settings.lock_timeout has the same default
# Failures of these stages mean "no document"; a later successful store of the file clears them.
STAGES_CLEARED_BY_SUCCESS = ("read", "parse", "store")
# The tables the first migration creates: a database holding some of them and no
# alembic_version was left half-made by a version that committed DDL piecemeal.
INITIAL_TABLES = ("runs", "documents", "failures", "blocks", "pages", "mentions")


# The URL schemes we accept, and the driver each means: PostgreSQL goes through psycopg 3.
URL_SCHEMES = {
    "sqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}
ACCEPTED = "a SQLite file path, sqlite:///PATH, or postgresql://[USER@]HOST[:PORT]/DB (psycopg 3)"


def database_url(target: str) -> str:
    """A SQLAlchemy URL from a URL or a plain file path; anything else is E202, naming what is accepted."""
    if not target.strip():
        raise BadDatabaseUrl(f"the database is empty; pass {ACCEPTED}")
    if "://" not in target:
        if ":" in target.split("/", 1)[0]:  # "foo:bar", "postgres:/x": a mistyped URL, not a file name
            raise BadDatabaseUrl(f"{target!r} looks like a URL without '//'; pass {ACCEPTED}")
        return f"sqlite:///{Path(target)}"
    scheme, rest = target.split("://", 1)
    driver = URL_SCHEMES.get(scheme.lower())
    if driver is None:
        raise BadDatabaseUrl(f"cannot use {target!r}: scheme {scheme!r} is not supported; pass {ACCEPTED}")
    url = f"{driver}://{rest}"
    try:
        make_url(url)
    except ArgumentError as e:
        raise BadDatabaseUrl(f"cannot read database URL {target!r} ({e}); pass {ACCEPTED}") from e
    return url


def pack_char_map(chars: list[CharBox]) -> bytes:
    flat = array.array("f")
    for c in chars:
        flat.extend((c.page, c.x0, c.top, c.x1, c.bottom))
    return zlib.compress(flat.tobytes(), 6)


def unpack_char_map(blob: bytes) -> list[CharBox]:
    flat = array.array("f")
    flat.frombytes(zlib.decompress(blob))
    return [
        CharBox(
            int(flat[i]), round(flat[i + 1], 2), round(flat[i + 2], 2), round(flat[i + 3], 2), round(flat[i + 4], 2)
        )
        for i in range(0, len(flat), 5)
    ]


def document_key(doc: ParsedDocument) -> str:
    # CMS publishes EN/FR/ES under one symbol: a translation is not a new version.
    if doc.cover.symbol and len(doc.cover.symbol) <= LIMITS[("documents", "symbol")]:
        return f"{doc.cover.symbol}|{doc.language or '?'}"
    key = f"file:{escape_path(Path(doc.path).name)}"
    limit = LIMITS[("documents", "doc_key")]
    if len(key) > limit:  # a long name keeps its start and a digest of the whole, so keys stay distinct
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:KEY_DIGEST_CHARS]
        key = f"{key[: limit - KEY_DIGEST_CHARS - 1]}#{digest}"
    return key


KEY_DIGEST_CHARS = 16  # 64 bits of sha256: enough to keep two long file names apart


def lock_id(namespace: str, value: str) -> int:
    """A signed 64-bit advisory lock number for PostgreSQL, the same on every machine."""
    raw = hashlib.blake2b(f"cami-extract:{namespace}:{value}".encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(raw.digest(), "big", signed=True)


MIGRATION_LOCK = lock_id("migrate", "schema")
RECONCILE_LOCK = lock_id("reconcile", "register")


def path_digest(stored_path: str) -> str:
    return hashlib.sha256(stored_path.encode("utf-8", "surrogatepass")).hexdigest()


def fit(table: str, column: str, value: str | None, warnings: list[str]) -> str | None:
    """``value`` if it fits the column on every backend; else None and a warning saying so."""
    limit = LIMITS[(table, column)]
    if value is None or len(value) <= limit:
        return value
    warnings.append(f"{column} of {len(value)} characters not stored (longer than {limit})")
    return None


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class SaveResult:
    document_id: int
    superseded: list[int]
    mentions: int
    already_stored: bool = False  # another writer stored the same bytes first


class Store:
    """A database holding documents, their blocks and mentions, runs and failures."""

    def __init__(self, engine: Engine, *, lock_path: Path | None = None):
        self.engine = engine
        self.session_factory = sessionmaker(engine, expire_on_commit=False)
        self.lock_path = lock_path
        self._lock_fd: int | None = None

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        target: str,
        *,
        migrate: bool = True,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        create: bool = True,
        create_folder: bool = False,
    ) -> Store:
        """Open (and migrate) a database.

        ``create=False`` is for read commands: a SQLite file that does not exist, or a server
        database without our tables, is E205 and nothing is created. A SQLite file is never
        created in a folder that does not exist (E206) unless ``create_folder`` (the default
        location, outputs/).
        """
        url = database_url(target)
        parsed = make_url(url)
        lock_path = None
        if parsed.get_backend_name() == "sqlite":
            db = parsed.database
            if db and db != ":memory:" and not db.startswith("file:"):
                if not create and not Path(db).is_file():
                    raise NoDatabase(f"there is no database at {db}")
                folder = Path(db).parent
                if not folder.is_dir():
                    if not create_folder:
                        raise DatabaseFolderMissing(f"the folder {folder} of the database {db} does not exist")
                    folder.mkdir(parents=True, exist_ok=True)
                lock_path = Path(db + ".lock")
            engine = create_engine(url, connect_args={"timeout": 30})

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn, _record):
                # No implicit transactions from the driver (it would commit DDL statement by
                # statement); SQLAlchemy's BEGIN below makes every transaction explicit.
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA journal_mode=DELETE")  # never WAL: see the module docstring
                cur.close()

            @event.listens_for(engine, "begin")
            def _sqlite_begin(conn):
                conn.exec_driver_sql("BEGIN")
        else:
            engine = create_engine(url, pool_pre_ping=True)
        store = cls(engine, lock_path=lock_path)
        if not create and not store.has_tables():
            store.close()
            raise NoDatabase(f"the database {parsed.render_as_string(hide_password=True)} holds no cami-extract tables")
        if migrate:
            try:
                store.migrate(lock_timeout=lock_timeout)
            except BaseException:
                store.close()
                raise
        return store

    def has_tables(self) -> bool:
        try:
            return inspect(self.engine).has_table("documents")
        except OperationalError as e:
            raise DatabaseUnreachable(_short_db_error("cannot connect to the database", e)) from e
        except SQLAlchemyError as e:
            raise StoreFailed(_short_db_error("cannot open the database", e)) from e

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def _alembic(self):
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return cfg, ScriptDirectory.from_config(cfg)

    @staticmethod
    def _current_heads(conn: Connection) -> set[str]:
        from alembic.runtime.migration import MigrationContext

        return set(MigrationContext.configure(conn).get_current_heads())

    @staticmethod
    def _stored_revisions(conn: Connection) -> set[str]:
        """The revisions alembic_version holds, read without Alembic (empty when there is none)."""
        if not inspect(conn).has_table("alembic_version"):
            return set()
        version = Table("alembic_version", MetaData(), Column("version_num", String))
        return set(conn.execute(select(version.c.version_num)).scalars())

    def migrate(self, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        """Bring the schema to the newest revision (every head), whole or not at all.

        A database already there is only read. Otherwise the upgrade runs in one
        transaction under the SQLite writer lock or a PostgreSQL advisory lock, and checks
        again once it holds the lock: a concurrent first run has done it by then.
        """
        try:
            with self.engine.connect() as conn:
                if self._stored_revisions(conn) == HEAD_REVISIONS:
                    return
            from alembic import command

            cfg, scripts = self._alembic()
            heads = set(scripts.get_heads())
            held = self._lock_fd is not None
            if not held:
                self.acquire_writer(lock_timeout)  # a no-op on PostgreSQL
            try:
                with self.engine.begin() as conn:
                    if self.is_postgresql:
                        conn.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
                    current = self._current_heads(conn)
                    if current == heads:
                        return
                    if not current:
                        self._drop_half_made_schema(conn)
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "heads")
            finally:
                if not held:
                    self.release_writer()
        except OperationalError as e:
            raise DatabaseUnreachable(_short_db_error("cannot connect to the database", e)) from e
        except SQLAlchemyError as e:
            raise StoreFailed(_short_db_error("cannot open or migrate the database", e)) from e

    @staticmethod
    def _drop_half_made_schema(conn: Connection) -> None:
        """Finish what an older version's interrupted first migration left (tables, no version).

        Only empty tables of the first migration are dropped; anything else is not ours to touch.
        """
        present = [t for t in INITIAL_TABLES if inspect(conn).has_table(t)]
        if not present:
            return
        others = set(inspect(conn).get_table_names()) - set(INITIAL_TABLES) - {"alembic_version"}
        # reflected: the first migration's names (blocks) are not the metadata's (paragraphs)
        tables = {t: Table(t, MetaData(), autoload_with=conn) for t in present}
        if others or any(conn.scalar(select(func.count()).select_from(tables[t])) for t in present):
            raise StoreFailed(
                f"the database has tables ({', '.join(sorted(set(present) | others))}) but no schema version",
                hint="It was not made by cami-extract, or holds data from an unfinished first run; use a new database.",
            )
        log.warning("finishing an interrupted first migration: dropping empty tables %s", present)
        for name in reversed(INITIAL_TABLES):  # children before parents
            if name in present:
                tables[name].drop(conn)

    def close(self) -> None:
        self.release_writer()
        self.engine.dispose()

    # -- one writer ----------------------------------------------------------------------------
    def acquire_writer(self, timeout: float = 10.0) -> None:
        if self.lock_path is None or self._lock_fd is not None:
            return
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._lock_fd = fd
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise DatabaseBusy(
                        f"another process is writing to {self.lock_path.with_suffix('')} (waited {timeout:g} s)"
                    ) from None
                time.sleep(0.1)

    def release_writer(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    @contextmanager
    def exclusive(self, lock: int) -> Iterator[None]:
        """One holder at a time across processes and machines, for work that reads and rewrites
        shared rows (the reconciler's components). A PostgreSQL session advisory lock, held on a
        connection of its own; on SQLite the writer lock already serialises every writer."""
        if not self.is_postgresql:
            yield
            return
        with self.engine.connect() as conn:
            conn.execute(select(func.pg_advisory_lock(lock)))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(select(func.pg_advisory_unlock(lock)))
                conn.commit()

    @contextmanager
    def writer(self, timeout: float = 10.0) -> Iterator[Store]:
        self.acquire_writer(timeout)
        try:
            yield self
        finally:
            self.release_writer()

    def session(self) -> Session:
        return self.session_factory()

    # -- runs ----------------------------------------------------------------------------------
    def start_run(self, command: str, pipeline_version: str, settings: dict) -> int:
        try:
            return self._start_run(command, pipeline_version, settings)
        except SQLAlchemyError as e:
            raise StoreFailed(_short_db_error("could not start a run", e)) from e

    def _start_run(self, command: str, pipeline_version: str, settings: dict) -> int:
        with self.session() as s, s.begin():
            run = Run(
                started_at=now_utc(),
                command=command,
                pipeline_version=pipeline_version,
                settings=json.dumps(settings, sort_keys=True),
                counts="{}",
            )
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, counts: dict) -> None:
        try:
            with self.session() as s, s.begin():
                s.execute(
                    update(Run)
                    .where(Run.id == run_id)
                    .values(finished_at=now_utc(), counts=json.dumps(counts, sort_keys=True))
                )
        except SQLAlchemyError as e:
            raise StoreFailed(_short_db_error("could not finish the run", e)) from e

    # -- documents -----------------------------------------------------------------------------
    def known_sha256(self) -> set[str]:
        with self.session() as s:
            return set(s.scalars(select(Document.sha256)))

    def save_document(
        self, doc: ParsedDocument, mentions: list[Mention], *, run_id: int, pipeline_version: str, flags: list[str]
    ) -> SaveResult:
        """Store one document, its pages, blocks and mentions in one transaction.

        An earlier current version with the same key is marked superseded, never deleted.
        When another writer has stored the same bytes meanwhile, nothing is written and the
        result says ``already_stored``. Earlier read/parse/store failures of these bytes are
        cleared: the file is a document now.
        """
        key = document_key(doc)
        try:
            with self.session() as s, s.begin():
                if self.is_postgresql:
                    for lock in sorted({lock_id("doc_key", key), lock_id("sha256", doc.sha256)}):
                        s.execute(select(func.pg_advisory_xact_lock(lock)))
                existing = s.scalar(select(Document.id).where(Document.sha256 == doc.sha256))
                if existing is not None:
                    return SaveResult(document_id=existing, superseded=[], mentions=0, already_stored=True)
                return self._insert_document(s, doc, mentions, key, run_id, pipeline_version, flags)
        except IntegrityError as e:
            # The locks make this unreachable between cami-extract writers; a foreign writer may not take them.
            with self.session() as s:
                existing = s.scalar(select(Document.id).where(Document.sha256 == doc.sha256))
            if existing is not None:
                return SaveResult(document_id=existing, superseded=[], mentions=0, already_stored=True)
            raise StoreFailed(_short_db_error("could not store the document", e), path=escape_path(doc.path)) from e
        except SQLAlchemyError as e:
            raise StoreFailed(_short_db_error("could not store the document", e), path=escape_path(doc.path)) from e

    def _insert_document(
        self,
        s: Session,
        doc: ParsedDocument,
        mentions: list[Mention],
        key: str,
        run_id: int,
        pipeline_version: str,
        flags: list[str],
    ) -> SaveResult:
        previous = list(s.scalars(select(Document).where(Document.doc_key == key, Document.status == "current")))
        # Superseded first: the unique index allows one current row per key at every moment.
        for old in previous:
            old.status = "superseded"
        s.flush()
        warnings = list(doc.warnings)
        cover = doc.cover
        row = Document(
            doc_key=key,
            symbol=fit("documents", "symbol", cover.symbol, warnings),
            language=fit("documents", "language", doc.language, warnings),
            title=cover.title,
            issue_date=fit("documents", "issue_date", cover.issue_date, warnings),
            original_language=fit("documents", "original_language", cover.original_language, warnings),
            meeting=cover.meeting,
            meeting_place=cover.meeting_place,
            meeting_dates=fit("documents", "meeting_dates", cover.meeting_dates, warnings),
            agenda_item=fit("documents", "agenda_item", cover.agenda_item, warnings),
            header_symbol=fit("documents", "header_symbol", cover.header_symbol, warnings),
            sha256=doc.sha256,
            size=doc.size,
            path=escape_path(doc.path),
            page_count=doc.page_count,
            ocr_pages=doc.ocr_pages,
            pipeline_version=pipeline_version,
            status="current",
            flags=json.dumps(sorted(set(flags))),
            warnings="[]",
            run_id=run_id,
        )
        s.add(row)
        s.flush()
        for p in doc.pages:
            s.add(
                PageRow(
                    document_id=row.id,
                    number=p.number,
                    width=p.width,
                    height=p.height,
                    char_count=p.char_count,
                    needs_ocr=p.needs_ocr,
                    header=p.header,
                    footer=p.footer,
                    source=p.source,
                    ocr_engine=fit("pages", "ocr_engine", p.ocr_engine, warnings),
                    ocr_languages=fit("pages", "ocr_languages", p.ocr_languages, warnings),
                    ocr_confidence=p.ocr_confidence,
                )
            )
        block_ids = self._add_blocks(s, row.id, doc.blocks, warnings)
        row.warnings = json.dumps(warnings)
        by_seq = {b.seq: b for b in doc.blocks}
        for m in mentions:
            block = by_seq[m.block_seq]
            s.add(
                MentionRow(
                    document_id=row.id,
                    block_id=block_ids[m.block_seq],
                    entity_type=m.entity_type,
                    text=m.text,
                    canonical=m.canonical,
                    start_offset=m.start,
                    end_offset=m.end,
                    page=block.chars[m.start].page if m.start < len(block.chars) else block.page,
                    extractor=m.extractor,
                    confidence=m.confidence,
                    attrs=json.dumps(m.attrs, sort_keys=True),
                )
            )
        for old in previous:
            old.superseded_by = row.id
        s.execute(
            delete(FailureRow).where(FailureRow.sha256 == doc.sha256, FailureRow.stage.in_(STAGES_CLEARED_BY_SUCCESS))
        )
        return SaveResult(document_id=row.id, superseded=[o.id for o in previous], mentions=len(mentions))

    @staticmethod
    def _add_blocks(s: Session, document_id: int, blocks: list[Block], warnings: list[str]) -> dict[int, int]:
        rows = {}
        for b in blocks:
            pages = b.pages
            row = BlockRow(
                document_id=document_id,
                seq=b.seq,
                kind=b.kind,
                label=fit("paragraphs", "label", b.label, warnings),
                page_first=pages[0] if pages else None,
                page_last=pages[-1] if pages else None,
                text=b.text,
                source=b.source,
                ocr_engine=fit("paragraphs", "ocr_engine", b.ocr_engine, warnings),
                ocr_languages=fit("paragraphs", "ocr_languages", b.ocr_languages, warnings),
                ocr_confidence=b.ocr_confidence,
                char_map=pack_char_map(b.chars),
            )
            s.add(row)
            rows[b.seq] = row
        s.flush()
        return {seq: row.id for seq, row in rows.items()}

    def record_failure(self, failure: Failure, *, run_id: int) -> None:
        """One row per (path, sha256, stage, code): a file failing again only updates last_run_id.

        An upsert, so two writers recording the same failure at once make one row.
        """
        path = escape_path(failure.path)
        values = {
            "path": path,
            "path_digest": path_digest(path),
            "sha256": failure.sha256 or "",
            "stage": failure.stage,
            "error_code": failure.error_code,
            "reason": failure.reason,
            "message": failure.message,
            "first_run_id": run_id,
            "last_run_id": run_id,
        }
        insert = pg_insert if self.is_postgresql else sqlite_insert
        stmt = insert(FailureRow).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["path_digest", "sha256", "stage", "error_code"],
            set_={
                "last_run_id": stmt.excluded.last_run_id,
                "message": stmt.excluded.message,
                "reason": stmt.excluded.reason,
            },
        )
        try:
            with self.session() as s, s.begin():
                s.execute(stmt)
        except SQLAlchemyError as e:
            raise StoreFailed(_short_db_error("could not record the failure", e), path=path) from e

    def block(self, document_id: int, seq: int) -> Block | None:
        with self.session() as s:
            row = s.scalars(select(BlockRow).where(BlockRow.document_id == document_id, BlockRow.seq == seq)).first()
            return None if row is None else block_from_row(row)


def block_from_row(row: BlockRow) -> Block:
    """A stored block as the model's record: text, char map and where its text came from."""
    return Block(
        seq=row.seq,
        kind=row.kind,
        label=row.label,
        text=row.text,
        chars=unpack_char_map(row.char_map),
        source=row.source,
        ocr_engine=row.ocr_engine,
        ocr_languages=row.ocr_languages,
        ocr_confidence=row.ocr_confidence,
    )


DB_ERROR_CHARS = 300  # a driver's message quotes the whole statement and its parameters (kilobytes)


def _short_db_error(what: str, e: SQLAlchemyError) -> str:
    detail = str(getattr(e, "orig", None) or e).strip().splitlines()
    first = detail[0] if detail else type(e).__name__
    if len(first) > DB_ERROR_CHARS:
        first = first[:DB_ERROR_CHARS] + "…"
    return f"{what} ({type(e).__name__}: {first})"
