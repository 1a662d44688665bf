"""Tables. Content tables hold no wall-clock values (those live in ``runs``), so the same
input gives the same content on any day. Offsets are half-open, into ``paragraphs.text``.

Column names are the export's names (docs/schema.md) wherever both hold the same thing;
some Python attribute names are older (``page_first`` is the column ``page``) and stay so
that code reads as before. Constraints created before migration 0003 renamed their table or
column keep their first names, given explicitly here.

Every text column is :class:`CleanText` / :class:`CleanString`: what is written passes
through :func:`cami_extract.safe_text.clean`, so a NUL (which PostgreSQL refuses), a
terminal escape or a lone surrogate from a PDF becomes U+FFFD, one for one, and offsets
and the char map stay right. Bounded columns have the same limit on both backends:
the repository checks lengths (:data:`LIMITS`) before writing, since SQLite would not.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from ..model import TEXT_LAYER
from ..safe_text import clean

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class CleanText(TypeDecorator):
    """TEXT whose unsafe characters become U+FFFD when written."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else clean(value)


class CleanString(TypeDecorator):
    """VARCHAR(n) whose unsafe characters become U+FFFD when written."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else clean(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[str] = mapped_column(CleanString(32))
    finished_at: Mapped[str | None] = mapped_column(CleanString(32))
    command: Mapped[str] = mapped_column(CleanString(32))
    pipeline_version: Mapped[str] = mapped_column(CleanText)  # lists the registered components
    settings: Mapped[str] = mapped_column(CleanText, default="{}")  # JSON
    counts: Mapped[str] = mapped_column(CleanText, default="{}")  # JSON: ingested, unchanged, failed, ...


class Document(Base):
    __tablename__ = "documents"
    # One current version per key, enforced by the database (two writers at once cannot both win).
    __table_args__ = (
        Index(
            "uq_documents_current_doc_key",
            "doc_key",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # What versions are versions of: the symbol and language, or the file name without a symbol.
    doc_key: Mapped[str] = mapped_column(CleanString(255), index=True)
    symbol: Mapped[str | None] = mapped_column(CleanString(128), index=True)
    language: Mapped[str | None] = mapped_column(CleanString(8))
    title: Mapped[str | None] = mapped_column(CleanText)
    issue_date: Mapped[str | None] = mapped_column(CleanString(32))
    original_language: Mapped[str | None] = mapped_column(CleanString(32))
    meeting: Mapped[str | None] = mapped_column(CleanText)
    meeting_place: Mapped[str | None] = mapped_column(CleanText)
    meeting_dates: Mapped[str | None] = mapped_column(CleanString(32))
    agenda_item: Mapped[str | None] = mapped_column(CleanString(32))
    header_symbol: Mapped[str | None] = mapped_column(CleanString(128))
    sha256: Mapped[str] = mapped_column(CleanString(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(CleanText)
    page_count: Mapped[int] = mapped_column("pages", Integer)
    ocr_pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # pages read by OCR
    pipeline_version: Mapped[str] = mapped_column(CleanText)  # lists the registered components
    status: Mapped[str] = mapped_column(CleanString(16), default="current")  # current | superseded
    superseded_by: Mapped[int | None] = mapped_column(
        "superseded_by_id", ForeignKey("documents.id", name="fk_documents_superseded_by_documents")
    )  # the export's superseded_by is that document's sha256
    flags: Mapped[str] = mapped_column(CleanText, default="[]")  # JSON list: non_english, needs_ocr, ...
    warnings: Mapped[str] = mapped_column(CleanText, default="[]")  # JSON list
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))  # the run that ingested it (its time is there)


class PageRow(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    char_count: Mapped[int] = mapped_column(Integer)
    needs_ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    header: Mapped[str] = mapped_column(CleanText, default="")
    footer: Mapped[str] = mapped_column(CleanText, default="")
    source: Mapped[str] = mapped_column(CleanString(16), default=TEXT_LAYER, server_default=TEXT_LAYER)
    ocr_engine: Mapped[str | None] = mapped_column(CleanString(64))
    ocr_languages: Mapped[str | None] = mapped_column(CleanString(32))
    ocr_confidence: Mapped[float | None] = mapped_column(Float)  # 0..1


class BlockRow(Base):
    """One block of a document (cover, heading, paragraph, footnote, table row): the export's ``paragraphs``."""

    __tablename__ = "paragraphs"
    __table_args__ = (
        PrimaryKeyConstraint("id", name="pk_blocks"),
        UniqueConstraint("document_id", "seq", name="uq_blocks_document_id_seq"),
    )
    id: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE", name="fk_blocks_document_id_documents")
    )
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(CleanString(16))
    label: Mapped[str | None] = mapped_column(CleanString(32))
    page_first: Mapped[int | None] = mapped_column("page", Integer)
    page_last: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(CleanText)
    # text_layer | ocr; for ocr the engine, its languages and the mean confidence (0..1) of the block's words
    source: Mapped[str] = mapped_column(CleanString(16), default=TEXT_LAYER, server_default=TEXT_LAYER)
    ocr_engine: Mapped[str | None] = mapped_column(CleanString(64))
    ocr_languages: Mapped[str | None] = mapped_column(CleanString(32))
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    # zlib-compressed float32 quintuples (page, x0, top, x1, bottom), one per char of text.
    char_map: Mapped[bytes] = mapped_column(LargeBinary)


class MentionRow(Base):
    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_type_canonical", "entity_type", "canonical"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int] = mapped_column(
        ForeignKey("paragraphs.id", ondelete="CASCADE", name="fk_mentions_block_id_blocks"), index=True
    )
    entity_type: Mapped[str] = mapped_column(CleanString(32))
    text: Mapped[str] = mapped_column(CleanText)
    canonical: Mapped[str] = mapped_column(CleanText)
    start_offset: Mapped[int] = mapped_column("start", Integer)
    end_offset: Mapped[int] = mapped_column("end", Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    extractor: Mapped[str] = mapped_column(CleanString(64))
    confidence: Mapped[float] = mapped_column(Float)
    attrs: Mapped[str] = mapped_column(CleanText, default="{}")  # JSON


class FailureRow(Base):
    __tablename__ = "failures"
    # Keyed by a digest of the path: a path of any length fits, and the index stays small.
    __table_args__ = (UniqueConstraint("path_digest", "sha256", "stage", "error_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(CleanText)  # escaped: cami_extract.inputs.escape_path
    path_digest: Mapped[str] = mapped_column(CleanString(64))  # sha256 of path (UTF-8)
    sha256: Mapped[str] = mapped_column(CleanString(64), default="")
    stage: Mapped[str] = mapped_column(CleanString(16))
    error_code: Mapped[str] = mapped_column(CleanString(8))
    reason: Mapped[str] = mapped_column(CleanString(32))
    message: Mapped[str] = mapped_column(CleanText)
    first_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))


def _limits() -> dict[tuple[str, str], int]:
    found = {}
    for table in Base.metadata.tables.values():
        for column in table.columns:
            length = getattr(column.type, "length", None) or getattr(getattr(column.type, "impl", None), "length", None)
            if length:
                found[(table.name, column.name)] = int(length)
    return found


# (table, column) -> the most characters it holds, on every backend.
LIMITS = _limits()
