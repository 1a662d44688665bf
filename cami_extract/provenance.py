"""Resolve stored text back to its source: document, page, bbox and sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from .errors import UnknownDocument
from .store.repository import Store, unpack_char_map
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


def sentence_around(text: str, start: int, end: int) -> str:
    cuts = [0] + [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]
    left = max(c for c in cuts if c <= start)
    right = min((c for c in cuts if c >= end and c > left), default=len(text))
    return text[left:right].strip()


def locate(store: Store, document: str, paragraph: str, start: int | None = None, end: int | None = None) -> Located:
    from .model import Block

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
        block = Block(seq=row.seq, kind=row.kind, label=row.label, text=row.text, chars=unpack_char_map(row.char_map))
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
    )
