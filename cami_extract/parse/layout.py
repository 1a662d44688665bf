"""Turn positioned lines into the blocks of a CMS paper.

What we rely on is the genre (see CMS-PRIMER.md), measured on each document rather than
fixed in points: the body font size is the most common size; running headers and page
numbers sit in the page margins and repeat; footnotes are the smaller type at a page's
foot, each starting with its marker; numbered paragraphs start with "N." and count up
through the whole document; headings are bold lines outside a paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import COVER, FOOTNOTE, HEADING, PARAGRAPH, TABLE_ROW, Block, CharBox, Page
from .pdf import Line, RawPage

PARA_START = re.compile(r"^(\d{1,3})\.(?:\s+|$)")
NOTE_START = re.compile(r"^(\d{1,3}|[*†‡§])\s+")
PAGE_NUMBER = re.compile(r"^(?:page\s+|p\.\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:of|/|de)\s*\d{1,4})?$", re.IGNORECASE)
SYMBOL_LIKE = re.compile(r"^[A-Z][A-Za-z-]*/[A-Za-z0-9][\w.\-/ ]*$")
HEADER_ZONE = 0.09  # share of the page height
FOOTER_ZONE = 0.92


@dataclass(slots=True)
class Layout:
    blocks: list[Block]
    pages: list[Page]
    warnings: list[str] = field(default_factory=list)


def body_size(pages: list[RawPage]) -> float:
    votes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            votes[ln.size] += len(ln.text)
    return votes.most_common(1)[0][0] if votes else 0.0


def _digits_out(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip())


def split_furniture(pages: list[RawPage]) -> tuple[dict[int, list[Line]], dict[int, list[Line]], dict[int, list[Line]]]:
    """Separate running headers and footers (page numbers) from the body lines of each page."""
    seen: Counter[str] = Counter()
    for p in pages:
        for ln in p.lines:
            if ln.top < HEADER_ZONE * p.height or ln.bottom > FOOTER_ZONE * p.height:
                seen[_digits_out(ln.text)] += 1
    headers: dict[int, list[Line]] = {}
    footers: dict[int, list[Line]] = {}
    body: dict[int, list[Line]] = {}
    for p in pages:
        h, f, b = [], [], []
        for ln in p.lines:
            key = _digits_out(ln.text)
            in_top = ln.top < HEADER_ZONE * p.height
            in_bottom = ln.bottom > FOOTER_ZONE * p.height
            repeats = seen[key] >= 2 and len(pages) > 1
            if in_top and p.number > 1 and (repeats or SYMBOL_LIKE.match(ln.text.strip())):
                h.append(ln)
            elif in_bottom and (PAGE_NUMBER.match(ln.text.strip()) or (repeats and p.number > 1)):
                f.append(ln)
            else:
                b.append(ln)
        headers[p.number], footers[p.number], body[p.number] = h, f, b
    return headers, footers, body


def split_footnotes(lines: list[Line], size: float) -> tuple[list[Line], list[Line]]:
    """The run of smaller lines at the foot of a page is its footnote zone, if a note starts there."""
    cut = len(lines)
    while cut > 0 and 0 < lines[cut - 1].size <= size - 0.8:
        cut -= 1
    zone = lines[cut:]
    if not zone or not any(ln.marker or NOTE_START.match(ln.text) for ln in zone):
        return lines, []
    return lines[:cut], zone


def _starts_note(ln: Line, expected: int) -> str | None:
    if ln.marker:
        return ln.marker.strip()
    m = NOTE_START.match(ln.text)
    if m and (not m.group(1).isdigit() or int(m.group(1)) == expected):
        return m.group(1)
    return None


class _Builder:
    """Accumulates lines into blocks, repairing line-end hyphenation as it joins them."""

    def __init__(self, vocab: set[str] | None = None) -> None:
        self.vocab = vocab or set()
        self.blocks: list[Block] = []
        self.kind: str | None = None
        self.label: str | None = None
        self.lines: list[Line] = []
        self.skip_prefix = 0  # chars of the first line that are the block's own number/marker

    def start(self, kind: str, label: str | None, line: Line, skip: int = 0) -> None:
        self.flush()
        self.kind, self.label, self.lines, self.skip_prefix = kind, label, [line], skip

    def add(self, line: Line) -> None:
        self.lines.append(line)

    def flush(self) -> None:
        if self.kind is None or not self.lines:
            self.kind, self.lines = None, []
            return
        sep = "\n" if self.kind == COVER else " "
        text, boxes = _join(self.lines, self.skip_prefix, sep, self.vocab)
        if text.strip():
            self.blocks.append(Block(seq=0, kind=self.kind, label=self.label, text=text, chars=boxes))
        self.kind, self.label, self.lines, self.skip_prefix = None, None, [], 0


def _join(lines: list[Line], skip: int, sep: str, vocab: set[str] | None = None) -> tuple[str, list[CharBox]]:
    text: list[str] = []
    boxes: list[CharBox] = []
    for i, ln in enumerate(lines):
        t, b = ln.text, ln.boxes
        if i == 0 and skip:
            t, b = t[skip:], b[skip:]
        if not t:
            continue
        if text:
            glue = sep
            if sep == " ":
                tail = "".join(text[-40:])
                if tail.endswith("/"):
                    glue = ""  # a symbol broken after a slash: "UNEP/CMS/" + "ScC-SC5/Outcome 7"
                elif re.search(r"\w-$", tail) and t[:1].isalnum():
                    if _drop_hyphen(tail, t, vocab or set()):
                        text.pop()  # typesetter's hyphenation: "Inter-" + "national"
                        boxes.pop()
                    glue = ""
            if glue:
                text.append(glue)
                boxes.append(boxes[-1])
        text.extend(t)
        boxes.extend(b)
    joined = "".join(text)
    # Strip edge whitespace while keeping the map aligned.
    lead = len(joined) - len(joined.lstrip())
    trail = len(joined.rstrip())
    return joined[lead:trail], boxes[lead:trail]


# First parts of words that keep their hyphen when no other evidence decides ("cross-" + "border").
_HYPHENATED_PREFIXES = {
    "range",
    "multi",
    "cross",
    "self",
    "non",
    "co",
    "human",
    "long",
    "mid",
    "medium",
    "community",
    "single",
    "well",
    "short",
    "high",
    "low",
    "large",
    "small",
    "full",
    "part",
    "semi",
    "anti",
    "socio",
}
WORD = re.compile(r"[\w]+(?:-[\w]+)*")


def vocabulary(pages: list[RawPage]) -> set[str]:
    """Lower-cased words (hyphenated compounds whole) seen inside lines, not across line ends."""
    words: set[str] = set()
    for p in pages:
        for ln in p.lines:
            words.update(w.lower() for w in WORD.findall(ln.text))
    return words


def _drop_hyphen(before: str, after: str, vocab: set[str]) -> bool:
    """Is the hyphen at a line end the typesetter's (drop it) or part of the word (keep it)?"""
    first = re.search(r"(\w+)-$", before).group(1)  # type: ignore[union-attr]
    second_m = re.match(r"\w+", after)
    second = second_m.group(0) if second_m else ""
    joined, hyphenated = (first + second).lower(), f"{first}-{second}".lower()
    if first[-1:].isdigit() or second[:1].isdigit():
        return False  # "2026-" + "2032"
    if second[:1].isupper():
        # "CITES-" + "CMS" keeps its hyphen; "KAZA-" + "KHSTAN" in a list of Parties in
        # capitals is one word when the document spells it whole elsewhere
        return first.isupper() and second.isupper() and joined in vocab
    if hyphenated in vocab and joined not in vocab:
        return False
    if joined in vocab:
        return True
    return first.lower() not in _HYPHENATED_PREFIXES


def build_blocks(pages: list[RawPage]) -> Layout:
    size = body_size(pages)
    headers, footers, body = split_furniture(pages)
    out_pages: list[Page] = []
    vocab = vocabulary(pages)
    builder = _Builder(vocab)
    notes = _Builder(vocab)
    last_para: int | None = None
    next_note = 1
    table_no = 0
    warnings: list[str] = []
    for p in pages:
        lines, zone = split_footnotes(body[p.number], size)
        # Tables take their place in the flow by their top edge.
        flow: list[tuple[float, str, Line]] = [(ln.top, "line", ln) for ln in lines]
        for t in p.tables:
            table_no += 1
            flow.extend((row.top, f"t{table_no}.r{r}", row) for r, row in enumerate(t.rows, 1))
        flow.sort(key=lambda item: item[0])
        margin = min((ln.x0 for ln in lines), default=0.0)
        prev_bottom: float | None = None
        for _, what, ln in flow:
            if what != "line":  # a table row, labelled "t<table>.r<row>" through the document
                builder.flush()
                builder.start(TABLE_ROW, what, ln)
                builder.flush()
                prev_bottom = ln.bottom
                continue
            m = PARA_START.match(ln.text)
            n = int(m.group(1)) if m else None
            is_next = n is not None and (
                (last_para is None and n <= 3 and ln.x0 <= margin + 3) or (last_para is not None and n == last_para + 1)
            )
            if is_next:
                builder.start(PARAGRAPH, str(n), ln, skip=m.end() if m else 0)
                last_para = n
            elif ln.bold >= 0.9 and len(ln.text.split()) <= 20 and not (p.number == 1 and last_para is None):
                gap = prev_bottom is not None and ln.top - prev_bottom > 0.9 * ln.size
                if builder.kind == HEADING and not gap:
                    builder.add(ln)
                else:
                    builder.start(HEADING, None, ln)
            elif last_para is None and builder.kind in (None, COVER) and (p.number == 1 or builder.kind == COVER):
                if builder.kind == COVER:
                    builder.add(ln)
                else:
                    builder.start(COVER, None, ln)
            elif builder.kind in (PARAGRAPH, COVER) and not (
                builder.label is None
                and builder.kind == PARAGRAPH
                and prev_bottom is not None
                and ln.top - prev_bottom > 0.9 * ln.size
            ):
                builder.add(ln)
            else:
                # Unnumbered text: a new paragraph after a heading or a blank gap.
                builder.start(PARAGRAPH, None, ln)
            prev_bottom = ln.bottom
        for ln in zone:
            label = _starts_note(ln, next_note)
            if label is not None:
                start = None if ln.marker else NOTE_START.match(ln.text)
                skip = start.end() if start else 0
                notes.start(FOOTNOTE, f"fn{label}", ln, skip=skip)
                if label.isdigit():
                    next_note = int(label) + 1
            elif notes.kind == FOOTNOTE or notes.lines:
                notes.add(ln)  # a note continued from the line (or page) before
            else:
                warnings.append(f"page {p.number}: small text at the foot with no note marker kept as body")
                builder.add(ln)
        out_pages.append(
            Page(
                number=p.number,
                width=p.width,
                height=p.height,
                char_count=p.char_count,
                needs_ocr=p.char_count == 0 and p.image_count > 0,
                header=" | ".join(ln.text for ln in headers[p.number]),
                footer=" | ".join(ln.text for ln in footers[p.number]),
            )
        )
    builder.flush()
    notes.flush()
    blocks = _in_reading_order(builder.blocks, notes.blocks)
    for i, b in enumerate(blocks):
        b.seq = i
    return Layout(blocks=blocks, pages=out_pages, warnings=warnings)


def _in_reading_order(body: list[Block], notes: list[Block]) -> list[Block]:
    """Each page's footnotes follow the last body block that starts on or before that page."""
    if not notes:
        return body
    result: list[Block] = []
    pending = sorted(notes, key=lambda b: (b.page or 0, b.chars[0].top if b.chars else 0))
    for i, b in enumerate(body):
        result.append(b)
        next_start = body[i + 1].page if i + 1 < len(body) else None
        while pending and (next_start is None or (pending[0].page or 0) < (next_start or 0)):
            result.append(pending.pop(0))
    result.extend(pending)
    return result
