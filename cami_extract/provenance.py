"""Resolve stored text back to its source: document, page, bbox and sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from .errors import UnknownDocument, UnknownMention
from .model import OCR, TEXT_LAYER
from .store.repository import Store, block_from_row
from .store.schema import BlockRow, Document, MentionRow

SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(‘'\"])")


@dataclass(slots=True)
class Located:
    document: str
    language: str | None
    sha256: str
    path: str
    seq: int
    label: str | None
    kind: str
    start: int
    end: int
    text: str
    boxes: list[tuple[int, tuple[float, float, float, float]]]
    sentence: str
    source: str = TEXT_LAYER  # where the block's text was read: text_layer | ocr
    ocr_engine: str | None = None
    ocr_languages: str | None = None
    ocr_confidence: float | None = None  # 0..1, the mean over the block's OCR words

    def source_note(self) -> str:
        """``text_layer``, or ``ocr (tesseract 5.3.0, eng+fra+spa, confidence 0.95)``."""
        if self.source != OCR:
            return self.source
        details = [self.ocr_engine or "engine unknown", self.ocr_languages or "languages unknown"]
        if self.ocr_confidence is not None:
            details.append(f"confidence {self.ocr_confidence:.2f}")
        return f"{self.source} ({', '.join(details)})"

    def as_dict(self) -> dict:
        return {
            "document": self.document,
            "language": self.language,
            "sha256": self.sha256,
            "path": self.path,
            "page": self.boxes[0][0] if self.boxes else None,
            "paragraph": self.label,
            "block_seq": self.seq,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "boxes": [{"page": p, "x0": b[0], "top": b[1], "x1": b[2], "bottom": b[3]} for p, b in self.boxes],
            "sentence": self.sentence,
        }


@dataclass(slots=True)
class LocatedMention:
    mention_id: int
    entity_type: str
    canonical: str
    extractor: str
    where: Located

    def as_dict(self) -> dict:
        head = {"mention_id": self.mention_id, "entity_type": self.entity_type}
        return {**head, **self.where.as_dict(), "canonical": self.canonical, "extractor": self.extractor}


def sentence_around(text: str, start: int, end: int) -> str:
    cuts = [0] + [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]
    left = max(c for c in cuts if c <= start)
    right = min((c for c in cuts if c >= end and c > left), default=len(text))
    return text[left:right].strip()


def locate(store: Store, document: str, paragraph: str, start: int | None = None, end: int | None = None) -> Located:
    with store.session() as s:
        docs = list(
            s.scalars(
                select(Document)
                .where(or_(Document.symbol == document, Document.sha256 == document))
                .order_by(Document.status, Document.language, Document.id)
            )
        )
        if not docs:
            raise UnknownDocument(f"no stored document with symbol or sha256 {document!r}")
        doc = docs[0]  # current before superseded, English before French
        q = select(BlockRow).where(BlockRow.document_id == doc.id)
        q = (
            q.where(BlockRow.seq == int(paragraph[1:]))
            if paragraph.startswith("#")
            else q.where(BlockRow.label == paragraph)
        )
        row = s.scalars(q.order_by(BlockRow.seq)).first()
        if row is None:
            raise UnknownDocument(
                f"{document} has no paragraph {paragraph!r}", hint="List them with `cami parse FILE`."
            )
        return _located(doc, row, start, end, f"paragraph {paragraph!r} of {document}")


def locate_mention(store: Store, mention_id: int) -> LocatedMention:
    """Where a stored mention came from (its id: `mentions.id`, shown by Datasette and the
    `mentions_by_symbol` query): the same answer as its document, paragraph and offsets give."""
    with store.session() as s:
        m = s.get(MentionRow, mention_id)
        if m is None:
            raise UnknownMention(f"no mention with id {mention_id}")
        row = s.get(BlockRow, m.block_id)
        doc = s.get(Document, m.document_id)
        assert row is not None and doc is not None  # foreign keys
        where = _located(doc, row, m.start_offset, m.end_offset, f"mention {mention_id}")
        return LocatedMention(mention_id, m.entity_type, m.canonical, m.extractor, where)


def _located(doc: Document, row: BlockRow, start: int | None, end: int | None, what: str) -> Located:
    block = block_from_row(row)
    start = 0 if start is None else max(0, start)
    end = len(block.text) if end is None else min(len(block.text), end)
    if start >= end:
        raise UnknownDocument(
            f"empty range [{start}:{end}] in {what}",
            hint=f"Offsets run from 0 to {len(block.text)}.",
        )
    return Located(
        document=doc.symbol or doc.path,
        language=doc.language,
        sha256=doc.sha256,
        path=doc.path,
        seq=block.seq,
        label=block.label,
        kind=block.kind,
        start=start,
        end=end,
        text=block.text[start:end],
        boxes=block.locate(start, end),
        sentence=sentence_around(block.text, start, end),
        source=block.source,
        ocr_engine=block.ocr_engine,
        ocr_languages=block.ocr_languages,
        ocr_confidence=block.ocr_confidence,
    )
