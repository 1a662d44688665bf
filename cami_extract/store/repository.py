"""The store: opening a database, one writer at a time, and one transaction per document.

SQLite is the embedded default; any SQLAlchemy URL works (PostgreSQL through psycopg 3).
The SQLite that Python links here (3.40.1) can corrupt a WAL database when two
connections write or checkpoint at once, so we keep SQLite in its rollback-journal mode
and hold an OS lock on ``<file>.lock`` for as long as a writer is open: a second writer
waits ``lock_timeout`` seconds and then fails with E201.
"""

from __future__ import annotations

import array
import fcntl
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

from sqlalchemy import Engine, create_engine, event, inspect, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import (
    BadDatabaseUrl,
    DatabaseBusy,
    DatabaseFolderMissing,
    DatabaseUnreachable,
    NoDatabase,
    StoreFailed,
)
from ..model import Block, CharBox, Failure, Mention, ParsedDocument
from .schema import BlockRow, Document, FailureRow, MentionRow, PageRow, Run

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


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


def _first_line(e: Exception) -> str:
    """A database error without the SQL and parameters SQLAlchemy appends (kilobytes of them)."""
    text = str(getattr(e, "orig", None) or e)
    return text.strip().splitlines()[0] if text.strip() else e.__class__.__name__


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
    if doc.cover.symbol:
        return f"{doc.cover.symbol}|{doc.language or '?'}"
    return f"file:{Path(doc.path).name}"


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class SaveResult:
    document_id: int
    superseded: list[int]
    mentions: int


class Store:
    """A database holding documents, their blocks and mentions, runs and failures."""

    def __init__(self, engine: Engine, *, lock_path: Path | None = None):
        self.engine = engine
        self.session_factory = sessionmaker(engine, expire_on_commit=False)
        self.lock_path = lock_path
        self._lock_fd: int | None = None

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, target: str, *, migrate: bool = True, create: bool = True, create_folder: bool = False) -> Store:
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
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA journal_mode=DELETE")  # never WAL: see the module docstring
                cur.close()
        else:
            engine = create_engine(url, pool_pre_ping=True)
        store = cls(engine, lock_path=lock_path)
        if not create and not store.has_tables():
            store.close()
            raise NoDatabase(f"the database {parsed.render_as_string(hide_password=True)} holds no cami-extract tables")
        if migrate:
            store.migrate()
        return store

    def has_tables(self) -> bool:
        try:
            return inspect(self.engine).has_table("documents")
        except OperationalError as e:
            raise DatabaseUnreachable(f"cannot connect to the database ({_first_line(e)})") from e
        except SQLAlchemyError as e:
            raise StoreFailed(f"cannot open the database ({e.__class__.__name__}: {_first_line(e)})") from e

    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as e:
            raise DatabaseUnreachable(f"cannot connect to the database ({_first_line(e)})") from e
        except SQLAlchemyError as e:
            raise StoreFailed(f"cannot open or migrate the database ({e.__class__.__name__}: {_first_line(e)})") from e

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
        with self.session() as s, s.begin():
            s.execute(
                update(Run)
                .where(Run.id == run_id)
                .values(finished_at=now_utc(), counts=json.dumps(counts, sort_keys=True))
            )

    # -- documents -----------------------------------------------------------------------------
    def known_sha256(self) -> set[str]:
        with self.session() as s:
            return set(s.scalars(select(Document.sha256)))

    def save_document(
        self, doc: ParsedDocument, mentions: list[Mention], *, run_id: int, pipeline_version: str, flags: list[str]
    ) -> SaveResult:
        """Store one document, its pages, blocks and mentions in one transaction.

        An earlier current version with the same key is marked superseded, never deleted.
        """
        key = document_key(doc)
        try:
            with self.session() as s, s.begin():
                previous = list(
                    s.scalars(select(Document).where(Document.doc_key == key, Document.status == "current"))
                )
                row = Document(
                    doc_key=key,
                    symbol=doc.cover.symbol,
                    language=doc.language,
                    title=doc.cover.title,
                    issue_date=doc.cover.issue_date,
                    original_language=doc.cover.original_language,
                    meeting=doc.cover.meeting,
                    meeting_place=doc.cover.meeting_place,
                    meeting_dates=doc.cover.meeting_dates,
                    agenda_item=doc.cover.agenda_item,
                    header_symbol=doc.cover.header_symbol,
                    sha256=doc.sha256,
                    size=doc.size,
                    path=doc.path,
                    page_count=doc.page_count,
                    pipeline_version=pipeline_version,
                    status="current",
                    flags=json.dumps(sorted(set(flags))),
                    warnings=json.dumps(doc.warnings),
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
                        )
                    )
                block_ids = self._add_blocks(s, row.id, doc.blocks)
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
                    old.status = "superseded"
                    old.superseded_by = row.id
                return SaveResult(document_id=row.id, superseded=[o.id for o in previous], mentions=len(mentions))
        except SQLAlchemyError as e:
            raise StoreFailed(f"could not store the document ({e.__class__.__name__}: {e})", path=doc.path) from e

    @staticmethod
    def _add_blocks(s: Session, document_id: int, blocks: list[Block]) -> dict[int, int]:
        rows = {}
        for b in blocks:
            pages = b.pages
            row = BlockRow(
                document_id=document_id,
                seq=b.seq,
                kind=b.kind,
                label=b.label,
                page_first=pages[0] if pages else None,
                page_last=pages[-1] if pages else None,
                text=b.text,
                char_map=pack_char_map(b.chars),
            )
            s.add(row)
            rows[b.seq] = row
        s.flush()
        return {seq: row.id for seq, row in rows.items()}

    def record_failure(self, failure: Failure, *, run_id: int) -> None:
        """One row per (path, sha256, stage, code): a file failing again only updates last_run_id."""
        with self.session() as s, s.begin():
            existing = s.scalars(
                select(FailureRow).where(
                    FailureRow.path == failure.path,
                    FailureRow.sha256 == (failure.sha256 or ""),
                    FailureRow.stage == failure.stage,
                    FailureRow.error_code == failure.error_code,
                )
            ).first()
            if existing:
                existing.last_run_id = run_id
                existing.message = failure.message
                existing.reason = failure.reason
            else:
                s.add(
                    FailureRow(
                        path=failure.path,
                        sha256=failure.sha256 or "",
                        stage=failure.stage,
                        error_code=failure.error_code,
                        reason=failure.reason,
                        message=failure.message,
                        first_run_id=run_id,
                        last_run_id=run_id,
                    )
                )

    def block(self, document_id: int, seq: int) -> Block | None:
        with self.session() as s:
            row = s.scalars(select(BlockRow).where(BlockRow.document_id == document_id, BlockRow.seq == seq)).first()
            if row is None:
                return None
            return Block(
                seq=row.seq, kind=row.kind, label=row.label, text=row.text, chars=unpack_char_map(row.char_map)
            )
