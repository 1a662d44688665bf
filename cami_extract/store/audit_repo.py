"""Read methods for the audit page (``cami_extract/audit/``): where each claim was read.

Read only. The audit needs, for each source of an activity, the sentence and the bounding box
the claim came from; the claims table keeps the span and the blocks table the char map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from ..provenance import sentence_around
from .reconcile_schema import ActivityMemberRow, ClaimRow
from .repository import Store, unpack_char_map
from .schema import BlockRow, Document


@dataclass(frozen=True, slots=True)
class ClaimSource:
    claim_id: str
    document: str
    language: str | None
    paragraph: str | None
    block_seq: int
    page: int | None
    start: int
    end: int
    sentence: str
    bbox: tuple[float, float, float, float] | None  # x0, top, x1, bottom on ``page``, PDF points
    plan: bool
    number: str | None  # a table row's own number (POW items: "8.1")
    type: str
    title: str
    pow_refs: tuple[str, ...]
    activity_id: str | None


class AuditRepository:
    def __init__(self, store: Store):
        self.store = store

    def claim_sources(self) -> dict[str, ClaimSource]:
        """Every claim of a current document, by claim id, with its sentence and box."""
        with self.store.session() as s:
            docs = {d.id: d for d in s.scalars(select(Document).where(Document.status == "current"))}
            member_of = {m.claim_id: m.activity_id for m in s.scalars(select(ActivityMemberRow))}
            claims = [c for c in s.scalars(select(ClaimRow).order_by(ClaimRow.claim_id)) if c.document_id in docs]
            wanted = {(c.document_id, c.block_seq) for c in claims}
            blocks = {
                (b.document_id, b.seq): b
                for b in s.scalars(select(BlockRow).where(BlockRow.document_id.in_({d for d, _ in wanted})))
                if (b.document_id, b.seq) in wanted
            }
            out = {}
            for c in claims:
                body = json.loads(c.body)
                _doc, _lang, _para, _seq, _page, start, end = body["source"]
                block = blocks.get((c.document_id, c.block_seq))
                sentence, bbox = "", None
                if block is not None:
                    end = min(end, len(block.text))
                    sentence = sentence_around(block.text, start, end) if start < end else block.text
                    chars = unpack_char_map(block.char_map)[start:end]
                    on_page = [ch for ch in chars if ch.page == (c.page or ch.page)]
                    if on_page:
                        bbox = (
                            min(ch.x0 for ch in on_page),
                            min(ch.top for ch in on_page),
                            max(ch.x1 for ch in on_page),
                            max(ch.bottom for ch in on_page),
                        )
                d = docs[c.document_id]
                out[c.claim_id] = ClaimSource(
                    claim_id=c.claim_id,
                    document=d.symbol or d.path.rsplit("/", 1)[-1],
                    language=d.language,
                    paragraph=c.paragraph,
                    block_seq=c.block_seq,
                    page=c.page,
                    start=start,
                    end=end,
                    sentence=sentence,
                    bbox=bbox,
                    plan=bool(body.get("plan")),
                    number=body.get("number"),
                    type=c.type,
                    title=c.title,
                    pow_refs=tuple(body.get("pow_refs", [])),
                    activity_id=member_of.get(c.claim_id),
                )
            return out

    def sections(self) -> list[tuple[str, str | None, str, list[tuple[int, str | None, str]]]]:
        """(document, language, heading, [(seq, label, text) of the numbered paragraphs under it]) per heading."""
        with self.store.session() as s:
            docs = sorted(
                s.scalars(select(Document).where(Document.status == "current")),
                key=lambda d: (d.symbol or d.path, d.language or "", d.sha256),
            )
            out = []
            for d in docs:
                current: list | None = None
                for b in s.scalars(select(BlockRow).where(BlockRow.document_id == d.id).order_by(BlockRow.seq)):
                    if b.kind == "heading":
                        current = []
                        out.append((d.symbol or d.path.rsplit("/", 1)[-1], d.language, b.text, current))
                    elif b.kind == "paragraph" and current is not None:
                        current.append((b.seq, b.label, b.text))
            return out
