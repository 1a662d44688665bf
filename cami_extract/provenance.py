"""Resolve stored text back to its source: document, page, bbox and sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from .errors import UnknownDocument
from .model import OCR, TEXT_LAYER
from .store.repository import Store, block_from_row
from .store.schema import BlockRow, Document

SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(‘'\"])")


@dataclass(slots=True)
class Located:
    document: str
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
        block = block_from_row(row)
    start = 0 if start is None else max(0, start)
    end = len(block.text) if end is None else min(len(block.text), end)
    if start >= end:
        raise UnknownDocument(
            f"empty range [{start}:{end}] in paragraph {paragraph!r} of {document}",
            hint=f"Offsets run from 0 to {len(block.text)}.",
        )
    return Located(
        document=doc.symbol or doc.path,
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
