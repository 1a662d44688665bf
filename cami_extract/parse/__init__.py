"""Parse stage: one PDF file in, one :class:`~cami_extract.model.ParsedDocument` out.

It knows nothing of entities or databases, so it can run in a sandboxed child process
(``sandbox.py``) or on another machine.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from ..errors import BadSetting, NoTextLayer, OcrFailed
from ..model import COVER, FOOTNOTE, HEADING, OCR, PARAGRAPH, CharBox, ParsedDocument
from .chars import CHAR_SOURCES, DEFAULT_CHAR_SOURCE
from .cover import cover_lines, read_cover
from .language import detect_language
from .layout import Layout, build_blocks
from .ocr import OCR_LANGUAGES, OCR_MODES, OcrPage, engine, is_noisy, ocr_page, read_labels, tools_available
from .pdf import GlyphImage, Line, RawPage, _in_columns, box_of, check_header, read_document

PARSER_VERSION = "parse.v8"  # v8: "PNUMA/CMS/..." and "PNUE/CMS/..." symbols; a footnote that ends mid-sentence goes on in the smaller lines at the next page's foot (no note number there); a line's first word counts as a word of the document unless the line before ended in a hyphen; a line-end hyphen between two words of four letters or more that the document uses (a plural counts: "camera-" + "trap" beside "camera traps") is kept; v7: a cover symbol wrapped before its number completed from the running header; line-end hyphens: "ci-" + "dessus/après/joint" kept, "field-" + "work", "wild-" + "life", "grass-" + "land" closed up, "over/under/out-" + a participle closed up ("overgrown"); v6: the "-faced/-backed/-necked ..." parts of animal names keep their hyphen at a line end; a spaced dash at a line end in a table cell keeps its space; a line of text at a page top that starts with a cited symbol is body text, not a running header; v5: a table whose header row repeats at the top of the next page goes on (one table, numbered on); hyphens: plural/singular and gender forms of the document's words, "-based/-led/-owned/-driven"; and in a document that draws its hyphenation as U+2010, a line-end U+002D is the word's own ("net-" + "free"); v4: other typesettings (WeasyPrint U+2010 hyphens, covers in cells), French/Spanish cover fields, compound numbers at line ends; v3: layout from each document, one symbol grammar, OCR, columns (issue 14)

__all__ = ["CHAR_SOURCES", "DEFAULT_CHAR_SOURCE", "PARSER_VERSION", "file_sha256", "parse_pdf"]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_pdf(
    path: str | Path, *, sha256: str | None = None, ocr: str = "auto", char_source: str = DEFAULT_CHAR_SOURCE
) -> ParsedDocument:
    """Parse one PDF. Raises a :class:`~cami_extract.errors.CamiError` on bad input.

    ``ocr``: "auto" reads pages without a text layer by OCR, "always" every page, "never" none
    (then a file of images only is E106, as before). ``char_source`` is ``"playa"`` (the
    default, fast) or ``"pdfplumber"`` (the reference); both give the same blocks on the corpus
    (tests/parse/test_char_sources.py).
    """
    if ocr not in OCR_MODES:
        raise BadSetting(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    path = Path(path)
    check_header(path)
    digest = sha256 or file_sha256(path)
    raw_pages = read_document(path, char_source)
    read_by_ocr = _run_ocr(path, raw_pages, ocr)
    labelled = _number_pictures(path, raw_pages, ocr)
    if not any(p.char_count for p in raw_pages):
        images = sum(p.image_count for p in raw_pages)
        what = f"{len(raw_pages)} page(s), {images} image(s), no text" if raw_pages else "no pages"
        raise NoTextLayer(f"no text layer ({what})", path=str(path))
    noisy = not read_by_ocr and is_noisy(" ".join(ln.text for p in raw_pages[:NOISE_PAGES] for ln in p.lines))
    layout = build_blocks(raw_pages)
    if read_by_ocr:
        _mark_ocr(layout, read_by_ocr, path)
    cover_text = "\n".join(b.text for b in layout.blocks if b.kind == COVER)
    cells = [ln for b in layout.blocks if b.kind == COVER for ln in cover_lines(b.text, b.chars)]
    cover = read_cover(cells, [p.header for p in layout.pages if p.header])
    warnings = list(layout.warnings)
    if cover.header_symbol and cover.symbol and cover.header_symbol != cover.symbol:
        warnings.append(f"running header symbol {cover.header_symbol!r} differs from the cover's {cover.symbol!r}")
    ocr_pages = [p.number for p in layout.pages if p.needs_ocr]
    if ocr_pages:
        warnings.append(f"pages {ocr_pages} are images only and need OCR")
    if read_by_ocr:
        # migration 0005 reads this warning back for documents stored before pages said their source
        warnings.append(f"pages {sorted(read_by_ocr)} read by OCR")
    if labelled:
        warnings.append(f"{labelled} paragraph numbers drawn as pictures read by OCR")
    if noisy:
        warnings.append("the text layer looks like OCR noise (ocr_noisy): few of its tokens are words")
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
        ocr_noisy=noisy,
    )


NOISE_PAGES = 10  # pages sampled to judge whether a text layer is OCR noise (ocr.WORDLIKE_SHARE)


def _run_ocr(path: Path, raw_pages: list, mode: str) -> dict[int, OcrPage]:
    """OCR the pages that need it (all of them with "always"), in place; page number -> its OCR."""
    if mode == "never":
        return {}
    targets = [p for p in raw_pages if mode == "always" or (p.char_count == 0 and p.image_count > 0)]
    if not targets or not tools_available():
        return {}
    done: dict[int, OcrPage] = {}
    for page in targets:
        try:
            result = ocr_page(path, page.number, page.width, page.height)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
            raise OcrFailed(f"page {page.number}: {e}", path=str(path)) from e
        if not result.chars:
            continue
        page.lines = _in_columns(result.chars, page.number, page.width)
        page.tables = []
        page.char_count = sum(len(ln.text) for ln in page.lines)
        done[page.number] = result
    if done:
        _recount(raw_pages, done)
    return done


NUMBER_READING = re.compile(r"^(\d{1,3})\.$")  # a paragraph number as OCR reads it: "12."
MARKER_READING = re.compile(r"^\d{1,3}$")  # a note marker read on its own: "2"
SUB_ITEM = re.compile(r"^\(?[a-zA-Z]{1,4}\)$")  # "(a)", "b)", "(iv)" hang too: not a misread number


def _recount(raw_pages: list[RawPage], read_by_ocr: dict[int, OcrPage]) -> None:
    """Hanging paragraph numbers and note markers that OCR misread ("Te" for "7.", "?" for "2"):
    where a digits-only re-reading of the word continues the document's count, it replaces the
    reading. Numbers read right, and those on text-layer pages, carry the count on."""
    para, note = 1, 1
    for page in raw_pages:
        result = read_by_ocr.get(page.number)
        first_chars: dict[CharBox, int] = {}  # box of a re-read word's first char -> the word
        spans: dict[int, tuple[float, float, float]] = {}  # word -> x0, top, bottom
        if result is not None:
            for c in result.chars:
                w = c["ocr_word"]
                if w in result.rereads and w not in spans:
                    first_chars[box_of(c, page.number)] = w
                    spans[w] = (c["x0"], c["top"], c["bottom"])
        for ln in page.lines:
            first = ln.text.split(" ", 1)[0]
            word = first_chars.get(ln.boxes[0]) if ln.boxes else None
            readings = result.rereads[word] if result is not None and word is not None else []
            m = NUMBER_READING.match(first)
            if m:
                para = int(m.group(1)) + 1
            elif f"{para}." in readings and not SUB_ITEM.match(first):
                _replace_first(ln, first, f"{para}.")
                para += 1
            if ln.marker is not None:
                # a raised note marker left of the line's first char: its own word, re-read too
                left = ln.boxes[0].x0 if ln.boxes else ln.x1
                raised = [
                    w for w, (x0, top, bottom) in spans.items() if x0 < left and top < ln.bottom and bottom > ln.top
                ]
                alternatives = [r for w in raised for r in result.rereads[w]] if result is not None else []
                if ln.marker != str(note) and str(note) in alternatives:
                    ln.marker = str(note)
                note = int(ln.marker) + 1 if ln.marker.isdigit() else note
            elif not m and MARKER_READING.match(first) and int(first) == note:
                note += 1
            elif not m and str(note) in readings and not any(ch.isalpha() for ch in first):
                # a marker set on the line ("?" for "2"); a word of letters is a word
                _replace_first(ln, first, str(note))
                note += 1


def _replace_first(ln: Line, old: str, new: str) -> None:
    """Put ``new`` in place of the line's first word ``old``; its chars share the old word's boxes."""
    boxes = ln.boxes[: len(old)]
    ln.text = new + ln.text[len(old) :]
    ln.boxes = [boxes[min(i, len(boxes) - 1)] for i in range(len(new))] + ln.boxes[len(old) :]
    shift = len(new) - len(old)
    ln.refs = [(o + shift, m) for o, m in ln.refs]


def _mark_ocr(layout: Layout, read_by_ocr: dict[int, OcrPage], path: Path) -> None:
    """Pages and blocks read by OCR say so, with the engine, its languages and their confidence.

    A block's confidence is the mean over its own OCR words (each word once, however long),
    found through its char boxes: each OCR'd char has a box of its own, the one pdf.py gives it.
    """
    try:
        name = engine()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        raise OcrFailed(f"cannot ask tesseract its version: {e}", path=str(path)) from e
    word_of: dict[CharBox, tuple[int, int]] = {}
    for number, result in read_by_ocr.items():
        for c in result.chars:
            word_of[box_of(c, number)] = (number, c["ocr_word"])
    for page in layout.pages:
        if page.number in read_by_ocr:
            page.source, page.needs_ocr = OCR, False
            page.ocr_engine, page.ocr_languages = name, OCR_LANGUAGES
            page.ocr_confidence = read_by_ocr[page.number].confidence
    for block in layout.blocks:
        words = {word_of[c] for c in block.chars if c in word_of}
        on_ocr_pages = any(c.page in read_by_ocr for c in block.chars)
        if not (words or on_ocr_pages):
            continue
        block.source, block.ocr_engine, block.ocr_languages = OCR, name, OCR_LANGUAGES
        confidences = [read_by_ocr[page].word_confidences[i] for page, i in words]
        block.ocr_confidence = round(sum(confidences) / len(confidences), 3) if confidences else None


# A picture counts as a line's number when it ends at most this many points before the line's
# first char (WCPFC17: number at 72-80 pt, first-line indent at 108 pt) and overlaps it vertically.
LABEL_GAP_MAX = 48.0
LABEL_FORM = re.compile(r"^(?:\d{1,3}[.)]|\(\d{1,3}\))$")
MIN_NUMBER_PICTURES = 2  # one picture beside a line is a logo or an icon, not a numbering style


def _number_pictures(path: Path, raw_pages: list[RawPage], mode: str) -> int:
    """Paragraph numbers drawn as pictures (a producer that rasterised its list numbers): OCR
    them and put them back at the start of their line, with the picture's box as their chars'."""
    if mode == "never" or not tools_available():
        return 0
    pairs: list[tuple[GlyphImage, Line]] = []
    for page in raw_pages:
        for g in page.glyph_images:
            beside = [
                ln
                for ln in page.lines
                if ln.top < g.bottom and ln.bottom > g.top and 0 <= ln.x0 - g.x1 <= LABEL_GAP_MAX
            ]
            if beside:
                pairs.append((g, min(beside, key=lambda ln: ln.x0)))
    if len(pairs) < MIN_NUMBER_PICTURES:
        return 0
    try:
        readings = read_labels([g for g, _ in pairs])
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        raise OcrFailed(f"paragraph numbers drawn as pictures: {e}", path=str(path)) from e
    expected = 1
    done = 0
    for (g, ln), texts in zip(pairs, readings, strict=True):
        forms = [t for t in texts if LABEL_FORM.match(t)]
        # the readings disagree on small glyphs: the one that continues the count wins
        label = next((t for t in forms if t == f"{expected}."), forms[0] if forms else None)
        if label is None:
            continue
        if label[:-1].isdigit():
            expected = int(label[:-1]) + 1
        box = CharBox(g.page, round(g.x0, 2), round(g.top, 2), round(g.x1, 2), round(g.bottom, 2))
        prefix = label + " "
        ln.text = prefix + ln.text
        ln.boxes = [box] * len(prefix) + ln.boxes
        ln.refs = [(o + len(prefix), m) for o, m in ln.refs]
        ln.x0 = g.x0
        done += 1
    return done
