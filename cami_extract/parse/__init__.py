"""Parse stage: one PDF file in, one :class:`~cami_extract.model.ParsedDocument` out.

It knows nothing of entities or databases, so it can run in a sandboxed child process
(``sandbox.py``) or on another machine.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import NoTextLayer
from ..model import COVER, FOOTNOTE, HEADING, PARAGRAPH, ParsedDocument
from .chars import CHAR_SOURCES, DEFAULT_CHAR_SOURCE
from .cover import read_cover
from .language import detect_language
from .layout import build_blocks
from .pdf import check_header, read_document

PARSER_VERSION = "parse.v2"

__all__ = ["CHAR_SOURCES", "DEFAULT_CHAR_SOURCE", "PARSER_VERSION", "file_sha256", "parse_pdf"]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_pdf(path: str | Path, *, sha256: str | None = None, char_source: str = DEFAULT_CHAR_SOURCE) -> ParsedDocument:
    """Parse one PDF. Raises a :class:`~cami_extract.errors.CamiError` on bad input.

    ``char_source`` is ``"playa"`` (the default, fast) or ``"pdfplumber"`` (the reference);
    both give the same blocks on the corpus (tests/parse/test_char_sources.py).
    """
    path = Path(path)
    check_header(path)
    digest = sha256 or file_sha256(path)
    raw_pages = read_document(path, char_source)
    if not any(p.char_count for p in raw_pages):
        images = sum(p.image_count for p in raw_pages)
        what = f"{len(raw_pages)} page(s), {images} image(s), no text" if raw_pages else "no pages"
        raise NoTextLayer(f"no text layer ({what})", path=str(path))
    layout = build_blocks(raw_pages)
    cover_text = "\n".join(b.text for b in layout.blocks if b.kind == COVER)
    cover = read_cover(cover_text, [p.header for p in layout.pages if p.header])
    warnings = list(layout.warnings)
    if cover.header_symbol and cover.symbol and cover.header_symbol != cover.symbol:
        warnings.append(f"running header symbol {cover.header_symbol!r} differs from the cover's {cover.symbol!r}")
    ocr_pages = [p.number for p in layout.pages if p.needs_ocr]
    if ocr_pages:
        warnings.append(f"pages {ocr_pages} are images only and need OCR")
    body = " ".join(b.text for b in layout.blocks if b.kind in (PARAGRAPH, HEADING, FOOTNOTE))
    language = detect_language(body or cover_text)
    return ParsedDocument(
        path=str(path),
        sha256=digest,
        size=path.stat().st_size,
        pages=layout.pages,
        blocks=layout.blocks,
        cover=cover,
        language=language,
        warnings=warnings,
    )
