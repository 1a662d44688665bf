"""Tables of the reconcile stage (migration 0002). Same metadata as ``schema.py``.

Claims are appended and never edited; activities, their members, links and conflicts are
derived from the live claims and rewritten component by component. Every id is a content
hash (``reconcile/keys.py``): no autoincrement id leaves these tables.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base


class ClaimRow(Base):
    __tablename__ = "activity_claims"
    claim_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    source_key: Mapped[str] = mapped_column(Text)  # document|language|paragraph|index: stable across versions
    paragraph: Mapped[str | None] = mapped_column(String(32))
    block_seq: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    extractor: Mapped[str] = mapped_column(String(32), index=True)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str | None] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)  # JSON: lists, ordinal, spans


class ClaimRunRow(Base):
    """Which documents were read by which claim logic, and why paragraphs gave no claim."""

    __tablename__ = "activity_claim_runs"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    extractor: Mapped[str] = mapped_column(String(32), primary_key=True)
    claims: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[str] = mapped_column(Text)  # JSON {reason: count}


class ActivityRow(Base):
    __tablename__ = "activities"
    activity_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str | None] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)  # JSON: every field, chosen_from


class ActivityMemberRow(Base):
    __tablename__ = "activity_members"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.activity_id", ondelete="CASCADE"), primary_key=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("activity_claims.claim_id", ondelete="CASCADE"), primary_key=True)


class ActivityLinkRow(Base):
    __tablename__ = "activity_links"
    link_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.activity_id", ondelete="CASCADE"), index=True)
    claim_a: Mapped[str] = mapped_column(ForeignKey("activity_claims.claim_id", ondelete="CASCADE"))
    claim_b: Mapped[str] = mapped_column(ForeignKey("activity_claims.claim_id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)


class ConflictRow(Base):
    __tablename__ = "activity_conflicts"
    conflict_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.activity_id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    chosen: Mapped[str | None] = mapped_column(Text)
    values: Mapped[str] = mapped_column(Text)  # JSON [{value, document, paragraph, claim_id}]


class EntityMentionRow(Base):
    """One mention (or claim) of an entity. The entity id is a hash of its type and key."""

    __tablename__ = "entity_mentions"
    entity_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    block_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_offset: Mapped[int] = mapped_column(Integer, primary_key=True)
    end_offset: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(16), index=True)
    key: Mapped[str] = mapped_column(Text)  # canonical value the id derives from
    text: Mapped[str] = mapped_column(Text)  # as printed
    page: Mapped[int | None] = mapped_column(Integer)
    attrs: Mapped[str] = mapped_column(Text, default="{}")  # JSON: acronym, long_form, symbol, ...
