"""Read a PDF with pdfplumber into positioned lines, keeping every char's page and bbox.

This module knows PDFs, not CMS papers: it turns each page's chars into :class:`Line`
records (text + one :class:`CharBox` per character), marks superscripts, and maps the
pdfminer exceptions onto our coded errors. ``layout.py`` decides what the lines mean.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (
    CamiError,
    EmptyFile,
    EncryptedPdf,
    FileUnreadable,
    MalformedPdf,
    NotAPdf,
    ParseMemoryLimit,
    ParseRecursion,
)
from ..model import CharBox
from .chars import (
    DEFAULT_CHAR_SOURCE,
    MIN_TABLE_EDGES,
    PDFPLUMBER,
    PLAYA,
    CharSource,
    PdfplumberSource,
    PlayaComplaint,
    PlayaSource,
    SourcePage,
)

log = logging.getLogger(__name__)

# PDF 1.7 §7.5.2 lets the header start anywhere in the first 1024 bytes.
HEADER_WINDOW = 1024
SOFT_HYPHEN = "\u00ad"
# Superscript ordinal endings in EN/FR/ES ("11th", "2e", "1er", "3ème", "1º").
# A space glyph counts as a word gap only where it starts at or after the glyph before it
# (minus this share of the font size); LibreOffice overprints spaces on letters around links,
# Word's bold cover lines set words closer than WORD_GAP ("GeneralAssembly" in A/AC.296/2026/9).
SPACE_GLYPH_OVERLAP = 0.1
# A gap wider than this share of the font size is a word space even without a space glyph
# (measured on the LibreOffice corpus: letter gaps < 0.05 em, word gaps ~0.28 em).
WORD_GAP = 0.2
# A glyph drawn again within this many points of the last one is faux bold (pdfplumber
# issue 71; A/CONF.164/37 draws "UNITED NATIONS" twice, offset 0.3-0.7 pt).
FAUX_BOLD_OFFSET = 1.0
# A glyph more than this many times taller than a line's ordinary chars is a drop capital or a
# series letter (A/CONF.164/37: a 36 pt "A" beside two 13.5 pt masthead lines); superscripts
# are ~0.6 of their line, so they stay well inside it.
LARGE_GLYPH_RATIO = 2.0
# Two type sizes this far apart on one line, the smaller drawn inside the bigger's glyphs for at
# least OVERPRINT_MIN_CHARS chars, are two texts printed over each other.
OVERPRINT_SIZE_RATIO = 1.5
OVERPRINT_MIN_CHARS = 3
# An image this tall (points) and at most GLYPH_IMAGE_ASPECT times as wide may be type drawn as
# a picture: WCPFC17's summary report (re-saved for OCR) draws every paragraph number "12." as a
# 21x22 px image, 7.6-8.2 pt tall, beside its 11 pt text.
GLYPH_IMAGE_HEIGHT = (4.0, 16.0)
GLYPH_IMAGE_ASPECT = 3.0
GLYPH_IMAGE_MAX_PIXELS = 120 * 120
# Two-column pages: a band at least COLUMN_MIN_GUTTER points wide, inside the middle COLUMN_BAND
# of the page width, that at most COLUMN_SPANNING_ROWS of the page's text rows cross, with at least
# COLUMN_MIN_SHARE of them on each side. Measured on WCPFC17-2020-OP04 p3 and WCPFC4-2007-OP01
# p2 (gutters of 14-20 pt); single-column Word, Distiller and LibreOffice pages have none.
COLUMN_BIN = 2.0
COLUMN_MIN_GUTTER = 8.0
COLUMN_BAND = (0.3, 0.7)
COLUMN_SPANNING_ROWS = 0.12  # share of a page's text rows that may cross the gutter (titles, captions)
COLUMN_MIN_SHARE = 0.25
COLUMN_MIN_CHARS = 400
ORDINAL_SUFFIX = re.compile(r"^(st|nd|rd|th|e|er|re|ère|ème|eme|o|a|º|ª)$", re.IGNORECASE)


@dataclass(slots=True)
class Line:
    page: int
    text: str
    boxes: list[CharBox]
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # dominant font size
    bold: float  # share of chars in a bold face
    marker: str | None = None  # leading superscript marker ("1" of a footnote)
    refs: list[tuple[int, str]] = field(default_factory=list)  # (offset, marker) of dropped note refs
    column: int = 0  # 1 or 2 on a two-column page (0: one column, or a line across both)


@dataclass(slots=True)
class GlyphImage:
    """A small image the size of a line of type: maybe a paragraph number drawn as a picture."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    mode: str  # PIL mode of ``pixels``: "L" (ink is dark) or "RGB"
    width: int  # pixels
    height: int
    pixels: bytes


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    lines: list[Line]
    char_count: int
    image_count: int
    tables: list[RawTable] = field(default_factory=list)
    glyph_images: list[GlyphImage] = field(default_factory=list)


@dataclass(slots=True)
class RawTable:
    page: int
    top: float
    rows: list[Line]  # one pseudo-line per row, cells joined by " | "


def check_header(path: Path) -> None:
    """Fail early and clearly on files that are not PDFs at all."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEADER_WINDOW)
    except OSError as e:
        raise FileUnreadable(str(e), path=str(path)) from e
    if not head:
        raise EmptyFile("file is empty (0 bytes)", path=str(path))
    if b"%PDF-" not in head:
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise NotAPdf(f"no %PDF header in the first {HEADER_WINDOW} bytes ({kind})", path=str(path))


def _unwrap(e: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception as the first arg of its PdfminerException."""
    if type(e).__name__ == "PdfminerException" and e.args and isinstance(e.args[0], BaseException):
        return e.args[0]
    return e


def to_coded_error(e: BaseException, path: Path, where: str = "") -> Exception:
    """Map pdfminer's and pdfplumber's exceptions onto our coded errors."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    inner = _unwrap(e)
    text = f"{type(inner).__name__}: {inner}".rstrip(": ")
    prefix = f"{where}: " if where else ""
    if isinstance(inner, MemoryError):
        return ParseMemoryLimit(f"{prefix}the parser ran out of memory (a decompression bomb?)", path=str(path))
    if isinstance(inner, PDFPasswordIncorrect):
        return EncryptedPdf(f"{prefix}the PDF needs a password to open", path=str(path))
    if isinstance(inner, PDFEncryptionError) or "encrypt" in text.lower() or "Unknown algorithm" in text:
        return EncryptedPdf(f"{prefix}the PDF uses an encryption we cannot read ({text})", path=str(path))
    if isinstance(inner, RecursionError) or "recursion" in text.lower():
        return ParseRecursion(f"{prefix}objects nest too deeply ({text})", path=str(path))
    if isinstance(inner, (PDFSyntaxError, PSException)):
        return MalformedPdf(f"{prefix}broken PDF structure ({text})", path=str(path))
    return MalformedPdf(f"{prefix}cannot read the PDF ({text})", path=str(path))


def open_pdf(path: Path):
    """pdfplumber.open with pdfminer's exceptions turned into coded errors."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except MemoryError:
        raise
    except Exception as e:  # pdfminer raises bare KeyError/TypeError/ValueError on broken trees too
        raise to_coded_error(e, path) from e
    try:
        _ = pdf.pages  # pdfplumber reads the page tree lazily; make it fail here
    except MemoryError:
        pdf.close()
        raise
    except Exception as e:
        pdf.close()
        raise to_coded_error(e, path, "page tree") from e
    return pdf


def read_pages(source: CharSource, path: Path) -> list[RawPage]:
    pages = []
    number = 1  # the page being read, for the message
    try:
        for page in source.pages():
            number = page.number
            pages.append(_read_page(page, source))
            number += 1
    except (MemoryError, KeyboardInterrupt):
        raise
    except CamiError:
        raise
    except Exception as e:
        raise to_coded_error(e, path, f"page {number}") from e
    return pages


def read_document(path: Path, char_source: str = DEFAULT_CHAR_SOURCE) -> list[RawPage]:
    """Every page of ``path`` as lines and tables, read through ``char_source``.

    A file PLAYA cannot read is read again through pdfplumber, the reference, so a broken PDF
    gets the same coded error (or the same document) whichever source is the default.
    """
    if char_source == PLAYA:
        try:
            with PlayaSource(path) as source:
                return _read_all(source, path)
        except (MemoryError, KeyboardInterrupt):
            raise
        except (Exception, PlayaComplaint) as e:  # PLAYA's exceptions are not pdfminer's: let the reference decide
            log.info("PLAYA cannot read %s (%s: %s); reading it with pdfplumber", path, type(e).__name__, e)
    elif char_source != PDFPLUMBER:
        raise ValueError(f"unknown char source {char_source!r}")
    with PdfplumberSource(path) as plumber:
        return read_pages(plumber, path)


def _read_all(source: PlayaSource, path: Path) -> list[RawPage]:
    pages = []
    for page in source.pages():
        pages.append(_read_page(page, source))
    return pages


def _read_page(page: SourcePage, source: CharSource) -> RawPage:
    number = page.number
    chars = [c for c in page.chars if c.get("text")]
    tables: list[RawTable] = []
    # Ruled tables only: finding tables costs time, so look only where there are enough rules.
    if page.ruled:
        plumber_page = source.ruled_page(page)
        if len(plumber_page.edges) >= MIN_TABLE_EDGES:
            for table in plumber_page.find_tables():
                rows = _table_rows(table, number)
                if len(rows) >= 2:
                    x0, top, x1, bottom = table.bbox
                    chars = [
                        c
                        for c in chars
                        if not (x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom)
                    ]
                    tables.append(RawTable(page=number, top=top, rows=rows))
    lines = _in_columns(chars, number, page.width)
    return RawPage(
        number=number,
        width=page.width,
        height=page.height,
        lines=lines,
        char_count=sum(len(ln.text) for ln in lines) + sum(len(r.text) for t in tables for r in t.rows),
        image_count=page.image_count,
        tables=tables,
        # paragraph numbers drawn as pictures: pdfplumber's image objects carry their streams
        glyph_images=_glyph_images(source.table_page(number))
        if lines and any(_glyph_sized(*box) for box in page.image_boxes)
        else [],
    )


def _gutter(chars: list[dict], width: float) -> tuple[float, float, float] | None:
    """The empty vertical band between two text columns, if the page has one: its left edge (a
    glyph right of it is in the right column: hanging numbers stand inside the band) and the
    band's emptiest core (a line with glyphs there runs across both columns).

    Coverage is counted in text rows, not glyphs, so a title across both columns (a few rows)
    does not hide the gutter under fifty rows of two-column text.
    """
    visible = [c for c in chars if not c["text"].isspace()]
    if len(visible) < COLUMN_MIN_CHARS:
        return None
    rows: list[set[int]] = [set() for _ in range(int(width / COLUMN_BIN) + 2)]
    lo, hi = int(COLUMN_BAND[0] * width / COLUMN_BIN), int(COLUMN_BAND[1] * width / COLUMN_BIN)
    bands: set[int] = set()
    for c in visible:
        row = round(c["bottom"])
        bands.add(row)
        # only the bins of the middle band are read below
        for b in range(max(lo, int(c["x0"] / COLUMN_BIN)), min(hi + 1, len(rows), int(c["x1"] / COLUMN_BIN) + 1)):
            rows[b].add(row)
    total = len(bands)
    allowed = COLUMN_SPANNING_ROWS * total
    best: tuple[int, int] | None = None
    start = None
    for b in range(lo, hi + 1):
        if len(rows[b]) <= allowed:
            start = b if start is None else start
            if best is None or b - start > best[1] - best[0]:
                best = (start, b)
        else:
            start = None
    if best is None or (best[1] - best[0] + 1) * COLUMN_BIN < COLUMN_MIN_GUTTER:
        return None
    # the core of the band: where fewest rows cross (hanging paragraph numbers stand in its edge)
    least = min(len(rows[b]) for b in range(best[0], best[1] + 1))
    core = [b for b in range(best[0], best[1] + 1) if len(rows[b]) == least]
    runs: list[list[int]] = []
    for b in core:
        if runs and b == runs[-1][-1] + 1:
            runs[-1].append(b)
        else:
            runs.append([b])
    widest = max(runs, key=len)
    g0, g1 = best[0] * COLUMN_BIN, (best[1] + 1) * COLUMN_BIN
    left = sum(1 for c in visible if c["x1"] <= g0)
    right = sum(1 for c in visible if c["x0"] >= g1)
    if min(left, right) < COLUMN_MIN_SHARE * len(visible):
        return None
    return g0, widest[0] * COLUMN_BIN, (widest[-1] + 1) * COLUMN_BIN


def _in_columns(chars: list[dict], page_number: int, width: float) -> list[Line]:
    """Lines in reading order; on a two-column page, column by column between full-width lines."""
    gutter = _gutter(chars, width)
    if gutter is None:
        return build_lines(chars, page_number)
    edge, g0, g1 = gutter
    # a text row with glyphs in the gutter's core runs across both columns (a title): it ends a
    # block of columns, and the columns resume below it
    across: dict[int, int] = {}
    for c in chars:
        if not c["text"].isspace() and g0 < (c["x0"] + c["x1"]) / 2 < g1:
            across[round(c["bottom"])] = across.get(round(c["bottom"]), 0) + 1
    rows = sorted(r for r, n in across.items() if n >= 2)
    spanning: list[dict] = []
    segments: list[tuple[list[dict], list[dict]]] = [([], []) for _ in range(len(rows) + 1)]
    for c in chars:
        row = round(c["bottom"])
        if row in across and across[row] >= 2:
            spanning.append(c)
            continue
        left, right = segments[bisect.bisect_left(rows, row)]
        (left if (c["x0"] + c["x1"]) / 2 < edge else right).append(c)
    across_lines = build_lines(spanning, page_number)
    out: list[Line] = []
    for i, (left, right) in enumerate(segments):
        for number, side in ((1, left), (2, right)):
            for ln in build_lines(side, page_number):
                ln.column = number
                out.append(ln)
        if i < len(rows):
            out.extend(ln for ln in across_lines if round(ln.bottom) == rows[i])
    return out


def _glyph_sized(x0: float, top: float, x1: float, bottom: float) -> bool:
    low, high = GLYPH_IMAGE_HEIGHT
    h, w = bottom - top, x1 - x0
    return low <= h <= high and 0 < w <= GLYPH_IMAGE_ASPECT * h


def _glyph_images(page) -> list[GlyphImage]:
    found = []
    for im in page.images:
        if not _glyph_sized(im["x0"], im["top"], im["x1"], im["bottom"]):
            continue
        decoded = _image_pixels(im["stream"])
        if decoded:
            mode, pw, ph, pixels = decoded
            found.append(
                GlyphImage(page.page_number, im["x0"], im["top"], im["x1"], im["bottom"], mode, pw, ph, pixels)
            )
    return found


def _image_pixels(stream) -> tuple[str, int, int, bytes] | None:
    """Raw 8-bit pixels of a small image: its soft mask when it has one (the shape is in the mask
    and the colour is flat), else its own samples in DeviceGray or DeviceRGB."""
    try:
        mask = stream.attrs.get("SMask")
        source, mode = (mask.resolve(), "mask") if mask is not None else (stream, "")
        width, height = int(source.attrs["Width"]), int(source.attrs["Height"])
        if width * height > GLYPH_IMAGE_MAX_PIXELS or int(source.attrs.get("BitsPerComponent", 8)) != 8:
            return None
        data = source.get_data()
        if mode == "mask":
            return ("L", width, height, bytes(255 - b for b in data[: width * height]))  # mask: 255 = ink
        space = str(source.attrs.get("ColorSpace", ""))
        if "DeviceGray" in space and len(data) >= width * height:
            return ("L", width, height, data[: width * height])
        if "DeviceRGB" in space and len(data) >= 3 * width * height:
            return ("RGB", width, height, data[: 3 * width * height])
    except Exception:  # an undecodable picture is just a picture
        return None
    return None


def _table_rows(table, page_number: int) -> list[Line]:
    rows = []
    # each char's centre once, the table's chars only (in page order): a cell keeps the chars
    # whose centre it holds, and a row's cells look only at the chars of the row's band
    tx0, ttop, tx1, tbottom = table.bbox
    centred = [
        ((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2, ch)
        for ch in table.page.chars
        if ch.get("text")
        and tx0 <= (ch["x0"] + ch["x1"]) / 2 <= tx1
        and ttop <= (ch["top"] + ch["bottom"]) / 2 <= tbottom
    ]
    for row in table.rows:
        cells = [c for c in row.cells if c is not None]
        if not cells:
            continue
        top = min(c[1] for c in cells)
        bottom = max(c[3] for c in cells)
        text_parts: list[str] = []
        boxes: list[CharBox] = []
        band = [c for c in centred if top <= c[1] <= bottom]
        for cx0, ctop, cx1, cbottom in cells:
            inside = [ch for x, y, ch in band if cx0 <= x <= cx1 and ctop <= y <= cbottom]
            cell_lines = build_lines(inside, page_number)
            cell = join_lines(cell_lines)
            if text_parts:
                sep = " | "
                anchor = boxes[-1] if boxes else CharBox(page_number, cx0, ctop, cx0, cbottom)
                text_parts.append(sep)
                boxes.extend([anchor] * len(sep))
            text_parts.append(cell[0])
            boxes.extend(cell[1])
        text = "".join(text_parts)
        if text.replace("|", "").strip():
            rows.append(Line(page_number, text, boxes, table.bbox[0], top, table.bbox[2], bottom, 0.0, 0.0))
    return rows


def join_lines(lines: list[Line], sep: str = " ") -> tuple[str, list[CharBox]]:
    """Join lines with ``sep``; the separator borrows the box of the char before it."""
    parts: list[str] = []
    boxes: list[CharBox] = []
    for ln in lines:
        if not ln.text:
            continue
        if parts:
            # Keep "PL-" + "RS1" and "UNEP/CMS/" + "COP14" whole; layout.py does full hyphen repair.
            # a spaced dash ("2024 -" + "May 2025") is no break inside a word: it keeps its space
            glue = "" if parts[-1].endswith(("-", "/")) and not parts[-1].endswith(" -") else sep
            parts.append(glue)
            boxes.extend([boxes[-1]] * len(glue))
        parts.append(ln.text)
        boxes.extend(ln.boxes)
    return "".join(parts), boxes


@functools.lru_cache(maxsize=4096)  # a paper has a few dozen font names and ~100,000 glyphs
def _is_bold(fontname: str) -> bool:
    name = fontname.lower() if isinstance(fontname, str) else str(fontname).lower()
    return "bold" in name or "black" in name or "heavy" in name or name.endswith(",b")


def build_lines(chars: list[dict], page_number: int) -> list[Line]:
    """Group chars into lines by vertical overlap, then read each line left to right.

    Superscripts sit higher and smaller than their line; overlap (not equal ``top``)
    keeps them in it, and ``_read_line`` decides whether each is an ordinal or a note mark.
    """
    groups: list[list[dict]] = []
    bounds: list[list[float]] = []  # the line's core: top and bottom of its ordinary-size chars
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        top, bottom = ch["top"], ch["bottom"]
        height = bottom - top
        placed = False
        # Only the last few lines can overlap a char that comes later in top order.
        # (conditional expressions, not min()/max(): this runs for every glyph of the paper)
        for i in range(len(groups) - 1, max(-1, len(groups) - 4), -1):
            gtop, gbottom = bounds[i]
            gheight = gbottom - gtop
            overlap = (gbottom if gbottom < bottom else bottom) - (gtop if gtop > top else top)
            if overlap > 0.3 * (height if height < gheight else gheight):
                groups[i].append(ch)
                if height * LARGE_GLYPH_RATIO < gheight:
                    bounds[i] = [top, bottom]  # the line so far was one big glyph: a drop capital
                elif height <= LARGE_GLYPH_RATIO * gheight:
                    bounds[i] = [gtop if gtop < top else top, gbottom if gbottom > bottom else bottom]
                # a big glyph (drop capital, the UN series letter "A") joins but does not widen
                # the line, or it would swallow the lines beside it
                placed = True
                break
        if not placed:
            groups.append([ch])
            bounds.append([top, bottom])
    groups = [part for g in groups for part in _split_overprint(g)]
    lines = [_read_line(sorted(g, key=lambda c: c["x0"]), page_number) for g in groups]
    lines = [ln for ln in lines if ln.text.strip()]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _split_overprint(group: list[dict]) -> list[list[dict]]:
    """Text stamped over other text (WCPFC4-2007-OP01 Suppl.: a 12 pt symbol printed across the
    28 pt title) would interleave letter by letter: split such a line by type size. Superscripts
    are smaller too, but they stand beside their glyphs, never inside them."""
    raw = [float(c.get("size", 0)) for c in group if not c["text"].isspace()]
    if not raw:
        return [group]
    # rounding is monotonic: the largest and smallest rounded sizes are the rounded extremes
    smallest, largest = round(min(raw), 1), round(max(raw), 1)
    if smallest == largest or largest < OVERPRINT_SIZE_RATIO * smallest:
        return [group]
    cut = largest / OVERPRINT_SIZE_RATIO
    big = [c for c in group if float(c.get("size", 0)) > cut]
    small = [c for c in group if float(c.get("size", 0)) <= cut]
    inside = sum(
        1 for c in small if any(b["x0"] < (c["x0"] + c["x1"]) / 2 < b["x1"] for b in big if not b["text"].isspace())
    )
    if inside < OVERPRINT_MIN_CHARS:
        return [group]
    return [big, small]


def _read_line(chars: list[dict], page_number: int) -> Line:
    # Each char's rounded size and spaceness once: this loop runs for every glyph of the paper.
    spaces = [c["text"].isspace() for c in chars]
    rounded = [round(float(c.get("size", 0)), 1) for c in chars]
    sizes: dict[float, int] = {}
    for s, space in zip(rounded, spaces):
        if not space:
            sizes[s] = sizes.get(s, 0) + 1
    size = max(sizes, key=lambda s: (sizes[s], s)) if sizes else 0.0
    baseline_votes: dict[float, int] = {}
    for c, s in zip(chars, rounded):
        if s == size:
            b = round(c["bottom"], 0)
            baseline_votes[b] = baseline_votes.get(b, 0) + 1
    baseline = max(baseline_votes, key=lambda b: baseline_votes[b]) if baseline_votes else 0.0
    # a superscript: smaller than its line and raised above its baseline (never a space)
    small, raised = 0.85 * size, baseline - 0.12 * size
    sup = [not space and float(c.get("size", size)) < small and c["bottom"] < raised for c, space in zip(chars, spaces)]

    text: list[str] = []
    boxes: list[CharBox] = []
    refs: list[tuple[int, str]] = []
    marker: str | None = None
    last_x1: float | None = None
    last_text = ""
    bold = 0
    counted = 0
    pending_space = False
    overlap = SPACE_GLYPH_OVERLAP * max(size, 1.0)
    word_gap = WORD_GAP * max(size, 1.0)
    i = 0
    n = len(chars)
    while i < n:
        c = chars[i]
        if sup[i]:
            j = i
            while j < n and sup[j]:
                j += 1
            run = chars[i:j]
            run_text = "".join(r["text"] for r in run)
            if not text:
                marker = run_text  # a note's own marker at the start of the line
                last_x1 = run[-1]["x1"]
                i = j
                continue
            prev = "".join(text).rstrip()
            if prev and prev[-1].isdigit() and ORDINAL_SUFFIX.match(run_text):
                for r in run:  # "11th": the ordinal belongs to its number
                    _append(text, boxes, r, page_number)
                last_x1 = run[-1]["x1"]
                last_text = run[-1]["text"]
                i = j
                continue
            # A note reference: keep it out of the words, remember where it was.
            refs.append((len(text), run_text))
            last_x1 = run[-1]["x1"]
            i = j
            continue
        ch_text = c["text"]
        if spaces[i]:
            # Space glyphs are unreliable (LibreOffice overprints them on letters around links):
            # trust one only where it does not start inside the glyph before it.
            if last_x1 is not None and c["x0"] >= last_x1 - overlap:
                pending_space = True
            i += 1
            continue
        # pdfplumber issue 71: fake bold overprints each char at (almost) the same place.
        if last_text == ch_text and last_x1 is not None and abs(c["x1"] - last_x1) < FAUX_BOLD_OFFSET and text:
            i += 1
            continue
        if last_x1 is not None and text and text[-1] != " ":
            if pending_space or c["x0"] - last_x1 > word_gap:
                text.append(" ")
                boxes.append(boxes[-1])
        pending_space = False
        _append(text, boxes, c, page_number)
        counted += 1
        if _is_bold(c.get("fontname", "")):
            bold += 1
        last_x1 = c["x1"]
        last_text = ch_text
        i += 1
    while text and text[-1] == " ":
        text.pop()
        boxes.pop()
    while text and text[0] == " ":
        text.pop(0)
        boxes.pop(0)
        refs = [(max(0, o - 1), m) for o, m in refs]
    joined = "".join(text)
    visible = [c for c, space in zip(chars, spaces) if not space] or chars
    return Line(
        page=page_number,
        text=joined,
        boxes=boxes,
        x0=min(c["x0"] for c in visible),
        top=min(c["top"] for c in visible),
        x1=max(c["x1"] for c in visible),
        bottom=max(c["bottom"] for c in visible),
        size=size,
        bold=bold / counted if counted else 0.0,
        marker=marker,
        refs=refs,
    )


def box_of(c: dict, page_number: int) -> CharBox:
    """The box a char record gets in a block's char map (rounded as stored)."""
    return CharBox(page_number, round(c["x0"], 2), round(c["top"], 2), round(c["x1"], 2), round(c["bottom"], 2))


def _append(text: list[str], boxes: list[CharBox], c: dict, page_number: int) -> None:
    t = c["text"]
    box = box_of(c, page_number)
    if len(t) == 1 and t != SOFT_HYPHEN and not "\ufb00" <= t <= "\ufb06":  # nearly every glyph
        text.append(t)
        boxes.append(box)
        return
    if t == SOFT_HYPHEN:
        t = "-"  # a soft hyphen only shows at a line end; layout repairs it there
    elif len(t) > 1 or "\ufb00" <= t <= "\ufb06":
        t = unicodedata.normalize("NFKC", t)  # ligatures: "ﬁ" -> "fi", one box for each letter
    for ch in t:
        text.append(ch)
        boxes.append(box)
