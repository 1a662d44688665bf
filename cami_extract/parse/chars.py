"""Where characters come from: one interface, two sources.

A source turns a PDF into :class:`SourcePage` records whose ``chars`` are plain dicts with
pdfplumber's keys (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``fontname``, ``size``,
``page_number``, ``upright``), so ``pdf.py`` and ``layout.py`` do not care which one ran.

- ``pdfplumber`` is the reference: what the goldens were made with.
- ``playa`` (PLAYA-PDF, MIT) is the default: it interprets the content stream without
  pdfminer's layout objects, about 3-5x faster per page, and gives the same chars. Boxes are
  rebuilt the way pdfminer builds them (the font's /Descent and a box one font size tall,
  not PLAYA's ascent/descent box), so they agree to the hundredth of a point on the corpus.

Ruled tables are read by pdfplumber's table finder either way, but only on pages where the
source counts enough rule segments; PLAYA's count is an upper bound of pdfplumber's
``page.edges`` (every path segment counts), so no table pdfplumber would find is missed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

PLAYA = "playa"
PDFPLUMBER = "pdfplumber"
CHAR_SOURCES = (PLAYA, PDFPLUMBER)
DEFAULT_CHAR_SOURCE = PLAYA

# pdfminer's text-space box of a glyph is one font size tall (layout.py LTChar); its /Descent is
# in glyph units of 1/1000 em (PDF 1.7 §9.8.1), and it reads a missing /Descent as 0.
GLYPH_UNITS = 0.001
# PLAYA reads on through broken files, logging each repair; pdfminer raises instead. Measured on
# corpus/, shared/real-pdfs/ and tests/data/hostile/: clean files log nothing from these loggers,
# every broken one does (and on length-self-ref.pdf PLAYA loops, logging forever). So the first
# complaint about the file's structure hands the file to the reference, which gives broken files
# the coded error they had before PLAYA.
STRUCTURE_LOGGERS = ("playa.parser", "playa.document", "playa.xref", "playa.pdftypes", "playa.security")


# pdfplumber's rule for running its table finder at all (pdf.py before PLAYA): 8 edges on the page.
MIN_TABLE_EDGES = 8
# A table of two rows of cells needs 3 horizontal rules each crossed by 2 vertical ones (pdfplumber
# builds cells from the crossings). Only axis-aligned segments at least as long as the table
# finder's prefilter count; collinear pieces are joined and crossings allowed the finder's snap +
# join + intersection tolerances, so the test is looser than pdfplumber's own. It keeps out page
# borders, underlines and header rules, which give 8 edges on nearly every page of a Word report
# (81 of 81 pages of A/AC.296/2026/9); on corpus/, shared/real-pdfs/ and the tricky PDFs it misses
# no page on which pdfplumber finds a table (tests/parse/test_char_sources.py).
MIN_TABLE_HORIZONTALS = 3
MIN_TABLE_VERTICALS = 2
RULE_MIN_LENGTH = 1.0  # pt, pdfplumber TableSettings.edge_min_length_prefilter
AXIS_TOLERANCE = 0.5  # pt a rule may lean and still count as horizontal/vertical
RULE_SLACK = 9.0  # pt: pdfplumber's snap (3) + join (3) + intersection (3) tolerances, summed
MAX_RULE_PAIRS = 200_000  # beyond this many horizontal x vertical pairs, just let pdfplumber look

Rule = tuple[float, float, float]  # (position across, start along, end along)


def _rules(path: Any, horizontal: list[Rule], vertical: list[Rule]) -> None:
    """Add the horizontal and vertical segments of a painted path (device space)."""
    start = current = None
    for segment in path.segments:
        points = segment.points
        if segment.operator == "m":
            start = current = points[-1]
            continue
        end = start if segment.operator == "h" else (points[-1] if points else None)
        if current is not None and end is not None:
            (ax, ay), (bx, by) = current, end
            dx, dy = abs(bx - ax), abs(by - ay)
            if dy <= AXIS_TOLERANCE and dx >= RULE_MIN_LENGTH:
                horizontal.append((ay, min(ax, bx), max(ax, bx)))
            elif dx <= AXIS_TOLERANCE and dy >= RULE_MIN_LENGTH:
                vertical.append((ax, min(ay, by), max(ay, by)))
        current = end


def _joined(rules: list[Rule]) -> list[Rule]:
    """Collinear rules that touch (within the slack) become one, as pdfplumber joins edges."""
    out: list[list[float]] = []
    for pos, a, b in sorted(rules):
        last = out[-1] if out else None
        if last is not None and abs(pos - last[0]) <= AXIS_TOLERANCE and a <= last[2] + RULE_SLACK:
            last[2] = max(last[2], b)
        else:
            out.append([pos, a, b])
    return [(p, a, b) for p, a, b in out]


def might_hold_table(horizontal: list[Rule], vertical: list[Rule]) -> bool:
    if len(horizontal) < MIN_TABLE_HORIZONTALS or len(vertical) < MIN_TABLE_VERTICALS:
        return False
    hs, vs = _joined(horizontal), _joined(vertical)
    if len(hs) * len(vs) > MAX_RULE_PAIRS:
        return True
    crossed = 0
    for y, x0, x1 in hs:
        hits = 0
        for x, y0, y1 in vs:
            if x0 - RULE_SLACK <= x <= x1 + RULE_SLACK and y0 - RULE_SLACK <= y <= y1 + RULE_SLACK:
                hits += 1
                if hits >= MIN_TABLE_VERTICALS:
                    crossed += 1
                    break
        if crossed >= MIN_TABLE_HORIZONTALS:
            return True
    return False


class PlayaComplaint(BaseException):
    """PLAYA logged a repair of the file's structure. A BaseException so that PLAYA's own
    ``except Exception`` blocks let it through."""


class _Complaints(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(STRUCTURE_LOGGERS):
            raise PlayaComplaint(f"{record.name}: {record.getMessage()}")


@dataclass(slots=True)
class SourcePage:
    number: int  # 1-based
    width: float
    height: float
    chars: list[dict]  # pdfplumber's char keys, in content-stream order
    image_count: int
    ruled: bool  # enough rules for pdfplumber's table finder to find a table here
    # (x0, top, x1, bottom) of each picture: the parser opens pdfplumber's page for a picture's
    # pixels only when one is the size of a glyph (a paragraph number drawn as an image)
    image_boxes: tuple[tuple[float, float, float, float], ...] = ()
    # the page's horizontal and vertical rules (PLAYA only): its table finder's edges
    rules: tuple[list[Rule], list[Rule]] = ((), ())  # type: ignore[assignment]


class CharSource(Protocol):
    """A PDF opened for reading chars; a context manager."""

    name: str

    def pages(self) -> Iterator[SourcePage]: ...

    def table_page(self, number: int) -> Any:
        """The pdfplumber page ``number`` (1-based), for its pictures' pixels."""
        ...

    def ruled_page(self, page: SourcePage) -> Any:
        """What pdfplumber's table finder reads on ``page``: ``edges``, ``chars``, ``find_tables()``."""
        ...

    def close(self) -> None: ...


class PdfplumberSource:
    """The reference: pdfplumber's ``page.chars``, ``page.edges`` and ``page.images``."""

    name = PDFPLUMBER

    def __init__(self, path: Path):
        from .pdf import open_pdf

        self.path = path
        self.pdf = open_pdf(path)

    def pages(self) -> Iterator[SourcePage]:
        for page in self.pdf.pages:
            yield SourcePage(
                number=page.page_number,
                width=float(page.width),
                height=float(page.height),
                chars=page.chars,
                image_count=len(page.images),
                ruled=len(page.edges) >= MIN_TABLE_EDGES,
                image_boxes=tuple((im["x0"], im["top"], im["x1"], im["bottom"]) for im in page.images),
            )

    def table_page(self, number: int) -> Any:
        return self.pdf.pages[number - 1]

    def ruled_page(self, page: SourcePage) -> Any:
        """What the table finder reads on a ruled page: here pdfplumber's own page."""
        return self.table_page(page.number)

    def close(self) -> None:
        self.pdf.close()

    def __enter__(self) -> PdfplumberSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PlayaSource:
    """PLAYA's glyphs, paths and images in one pass over each page. Tables: pdfplumber's finder
    over PLAYA's rules; pdfplumber's own page is opened only for a glyph-sized picture's pixels."""

    name = PLAYA

    def __init__(self, path: Path):
        import playa
        from playa.font import Type3Font

        self._type3 = Type3Font
        self.path = path
        self._complaints = _Complaints()
        self._logger = logging.getLogger("playa")
        self._logger.addHandler(self._complaints)
        try:
            self.doc = playa.open(path, space="screen")
        except BaseException:
            self._logger.removeHandler(self._complaints)
            raise
        self._plumber: PdfplumberSource | None = None
        self._descents: dict[int, tuple[Any, float]] = {}
        self._fonts: dict[int, tuple[Any, bool, float, str]] = {}

    def pages(self) -> Iterator[SourcePage]:
        from playa.content import ImageObject, PathObject, TextObject

        for page in self.doc.pages:
            number = page.page_idx + 1
            chars: list[dict] = []
            images: list[tuple[float, float, float, float]] = []
            horizontal: list[Rule] = []
            vertical: list[Rule] = []
            for obj in page.flatten():
                if isinstance(obj, TextObject):
                    for glyph in obj:
                        chars.append(self._char(glyph, number))
                elif isinstance(obj, PathObject):
                    if obj.stroke or obj.fill:  # pdfminer makes no object of an unpainted (clip) path
                        _rules(obj, horizontal, vertical)
                elif isinstance(obj, ImageObject):
                    images.append(tuple(obj.bbox))  # type: ignore[arg-type]
            ruled = might_hold_table(horizontal, vertical)
            yield SourcePage(
                number,
                float(page.width),
                float(page.height),
                chars,
                len(images),
                ruled,
                tuple(images),
                (horizontal, vertical),
            )

    def _descent(self, font: Any) -> float:
        """pdfminer's descent: the descriptor's /Descent (0 if absent), made negative."""
        # Keyed by id() but holding the font, so a freed font's id cannot be reused for another.
        found = self._descents.get(id(font))
        if found is not None and found[0] is font:
            return found[1]
        from playa.pdftypes import num_value, resolve1

        raw = (getattr(font, "descriptor", None) or {}).get("Descent", 0)
        try:
            descent = -abs(float(num_value(resolve1(raw)))) * GLYPH_UNITS
        except (TypeError, ValueError):
            descent = 0.0
        self._descents[id(font)] = (font, descent)
        return descent

    def _font(self, font: Any) -> tuple[Any, bool, float, str]:
        """What ``_char`` needs of a font, read once per font: (font, PLAYA's own box, descent, name)."""
        # Keyed by id() but holding the font, so a freed font's id cannot be reused for another.
        found = self._fonts.get(id(font))
        if found is not None and found[0] is font:
            return found
        own_box = bool(font.vertical or isinstance(font, self._type3))
        found = (font, own_box, 0.0 if own_box else self._descent(font), font.fontname)
        self._fonts[id(font)] = found
        return found

    def _char(self, glyph: Any, number: int) -> dict:
        font = glyph.font
        _, own_box, low, fontname = self._font(font)
        a, b, c, d, e, f = glyph.matrix
        if own_box:
            # Vertical and Type 3 fonts, rare in meeting papers; PLAYA's own box is close enough.
            x0, top, x1, bottom = glyph.bbox
        else:
            width = font.char_bbox(glyph.cid)[2]
            high = low + 1.0
            if b == 0 and c == 0:  # upright or mirrored, not rotated: nearly every glyph
                x0, x1 = e, e + a * width
                top, bottom = f + d * low, f + d * high
                if x1 < x0:
                    x0, x1 = x1, x0
                if bottom < top:
                    top, bottom = bottom, top
            else:
                xs = (c * low + e, c * high + e, a * width + c * low + e, a * width + c * high + e)
                ys = (d * low + f, d * high + f, b * width + d * low + f, b * width + d * high + f)
                x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        text = glyph.text
        if text is None:
            text = f"(cid:{glyph.cid})"  # pdfminer's spelling of a glyph without a Unicode mapping
        return {
            "text": text,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "fontname": fontname,
            "size": (x1 - x0) if font.vertical else (bottom - top),
            "page_number": number,
            # pdfminer: upright when the text is neither rotated nor mirrored (y is flipped here)
            "upright": a * -d > 0 and b * -c <= 0,
        }

    def ruled_page(self, page: SourcePage) -> RuledPage:
        """pdfplumber's table finder over PLAYA's rules and glyphs: no second parse of the page."""
        return RuledPage(page)

    def table_page(self, number: int) -> Any:
        if self._plumber is None:
            self._plumber = PdfplumberSource(self.path)
        return self._plumber.table_page(number)

    def close(self) -> None:
        self._logger.removeHandler(self._complaints)
        if self._plumber is not None:
            self._plumber.close()
        self.doc.close()

    def __enter__(self) -> PlayaSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_source(path: Path, name: str = DEFAULT_CHAR_SOURCE) -> PdfplumberSource | PlayaSource:
    if name == PLAYA:
        return PlayaSource(path)
    if name == PDFPLUMBER:
        return PdfplumberSource(path)
    raise ValueError(f"unknown char source {name!r}; expected one of {', '.join(CHAR_SOURCES)}")


class RuledPage:
    """The part of a pdfplumber page its table finder reads (``edges``, ``chars``, ``bbox``),
    made from PLAYA's painted path segments: pdfplumber's edges are the segments of the
    page's lines, rectangles and curves, and a table is found from the axis-aligned ones, so
    the same segments give the same cells (tests/parse/test_char_sources.py)."""

    def __init__(self, page: SourcePage):
        self.page_number = page.number
        self.bbox = (0.0, 0.0, page.width, page.height)
        self.chars = page.chars
        horizontal, vertical = page.rules
        self.edges = [_edge("h", y, a, y, b) for y, a, b in horizontal] + [
            _edge("v", a, x, b, x) for x, a, b in vertical
        ]

    def find_tables(self) -> list[Any]:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(None)).tables  # type: ignore[arg-type]


def _edge(orientation: str, top: float, x0: float, bottom: float, x1: float) -> dict:
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }
