"""Tables. Content tables hold no wall-clock values (those live in ``runs``), so the same
input gives the same content on any day. Offsets are half-open, into ``paragraphs.text``.

Column names are the export's names (docs/schema.md) wherever both hold the same thing;
some Python attribute names are older (``page_first`` is the column ``page``) and stay so
that code reads as before. Constraints created before migration 0002 renamed their table or
column keep their first names, given explicitly here.
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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    command: Mapped[str] = mapped_column(String(32))
    pipeline_version: Mapped[str] = mapped_column(Text)  # lists the registered components
    settings: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: ingested, unchanged, failed, ...


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # What versions are versions of: the symbol and language, or the file name without a symbol.
    doc_key: Mapped[str] = mapped_column(String(255), index=True)
    symbol: Mapped[str | None] = mapped_column(String(128), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    title: Mapped[str | None] = mapped_column(Text)
    issue_date: Mapped[str | None] = mapped_column(String(32))
    original_language: Mapped[str | None] = mapped_column(String(32))
    meeting: Mapped[str | None] = mapped_column(Text)
    meeting_place: Mapped[str | None] = mapped_column(Text)
    meeting_dates: Mapped[str | None] = mapped_column(String(32))
    agenda_item: Mapped[str | None] = mapped_column(String(32))
    header_symbol: Mapped[str | None] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    page_count: Mapped[int] = mapped_column("pages", Integer)
    pipeline_version: Mapped[str] = mapped_column(Text)  # lists the registered components
    status: Mapped[str] = mapped_column(String(16), default="current")  # current | superseded
    superseded_by: Mapped[int | None] = mapped_column(
        "superseded_by_id", ForeignKey("documents.id", name="fk_documents_superseded_by_documents")
    )  # the export's superseded_by is that document's sha256
    flags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: non_english, needs_ocr, ...
    warnings: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
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
    header: Mapped[str] = mapped_column(Text, default="")
    footer: Mapped[str] = mapped_column(Text, default="")


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
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(32))
    page_first: Mapped[int | None] = mapped_column("page", Integer)
    page_last: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
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
    entity_type: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    canonical: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column("start", Integer)
    end_offset: Mapped[int] = mapped_column("end", Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    extractor: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    attrs: Mapped[str] = mapped_column(Text, default="{}")  # JSON


class FailureRow(Base):
    __tablename__ = "failures"
    __table_args__ = (UniqueConstraint("path", "sha256", "stage", "error_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(String(64), default="")
    stage: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    first_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
