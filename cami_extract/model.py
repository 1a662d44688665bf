"""The vocabulary every stage speaks.

Parsing produces a :class:`ParsedDocument` (pages and blocks with a char map),
extraction turns blocks into :class:`Mention` records, the store persists both.
Stages exchange these records, never dicts of their own.

Offsets are half-open ``[start, end)`` into :attr:`Block.text`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# Block kinds, in the order a CMS paper presents them.
COVER = "cover"
HEADING = "heading"
PARAGRAPH = "paragraph"
FOOTNOTE = "footnote"
TABLE_ROW = "table_row"  # one row of a ruled table, cells joined by " | "
BLOCK_KINDS = (COVER, HEADING, PARAGRAPH, FOOTNOTE, TABLE_ROW)

ENTITY_TYPES = ("species", "country", "date", "funder", "document_code")

# Where a page's or a block's text was read: the PDF's own text layer, or the page image by OCR.
TEXT_LAYER = "text_layer"
OCR = "ocr"
TEXT_SOURCES = (TEXT_LAYER, OCR)


@dataclass(frozen=True, slots=True)
class CharBox:
    """Where one character of a block's text came from (pdfplumber coordinates)."""

    page: int  # 1-based page number
    x0: float
    top: float
    x1: float
    bottom: float

    def __reduce__(self) -> tuple:
        # a worker sends its documents' boxes to the parent by the hundred thousand: positional
        # arguments unpickle in half the time of a slots dataclass's state (fields() per object)
        return (CharBox, (self.page, self.x0, self.top, self.x1, self.bottom))


@dataclass(slots=True)
class Block:
    """A labelled run of body text: a paragraph, heading, footnote or the cover.

    ``chars[i]`` is the source box of ``text[i]``; a space or newline that the
    layout stage inserted (between words or lines) borrows the box of the
    character before it, so every offset resolves to a page and a bbox.
    """

    seq: int  # position in reading order, 0-based
    kind: str
    label: str | None  # "15" for paragraph 15, "fn1" for footnote 1, None otherwise
    text: str
    chars: list[CharBox] = field(default_factory=list, repr=False)
    # TEXT_LAYER, or OCR when any of its characters were read from a page image; for OCR the
    # engine ("tesseract 5.3.0"), its languages ("eng+fra+spa") and the mean confidence (0..1)
    # of the block's OCR words.
    source: str = TEXT_LAYER
    ocr_engine: str | None = None
    ocr_languages: str | None = None
    ocr_confidence: float | None = None

    @property
    def pages(self) -> list[int]:
        return sorted({c.page for c in self.chars})

    @property
    def page(self) -> int | None:
        return self.chars[0].page if self.chars else None

    def locate(self, start: int, end: int) -> list[tuple[int, tuple[float, float, float, float]]]:
        """Page and bbox (x0, top, x1, bottom) of ``text[start:end]``, one per page touched."""
        boxes: dict[int, list[float]] = {}
        for c in self.chars[start:end]:
            b = boxes.get(c.page)
            if b is None:
                boxes[c.page] = [c.x0, c.top, c.x1, c.bottom]
            else:
                b[0], b[1] = min(b[0], c.x0), min(b[1], c.top)
                b[2], b[3] = max(b[2], c.x1), max(b[3], c.bottom)
        return [(p, tuple(b)) for p, b in sorted(boxes.items())]  # type: ignore[misc]


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    char_count: int
    needs_ocr: bool = False  # an image-only page: no text layer to read
    header: str = ""  # running header text, kept out of the body
    footer: str = ""  # page number / footer text, kept out of the body
    # OCR when the page's text was read from its image (no text layer, or ocr = always); then the
    # engine, its languages and the mean confidence (0..1) of the page's OCR words
    source: str = TEXT_LAYER
    ocr_engine: str | None = None
    ocr_languages: str | None = None
    ocr_confidence: float | None = None


@dataclass(slots=True)
class CoverMeta:
    symbol: str | None = None
    issue_date: str | None = None  # ISO 8601
    original_language: str | None = None  # as printed: "English"
    meeting: str | None = None
    meeting_place: str | None = None
    meeting_dates: str | None = None  # ISO 8601 day or interval
    agenda_item: str | None = None
    title: str | None = None
    header_symbol: str | None = None  # symbol read from the running header of pages 2+


@dataclass(slots=True)
class ParsedDocument:
    """What the parse stage hands on: one file in, this out."""

    path: str
    sha256: str
    size: int
    pages: list[Page]
    blocks: list[Block]
    cover: CoverMeta
    language: str | None  # ISO 639-1 of the body text: "en", "fr", "es"; None if undecided
    warnings: list[str] = field(default_factory=list)
    ocr_noisy: bool = False  # the text layer looks like OCR noise (few words are words): not trusted

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def ocr_pages(self) -> int:
        """How many pages were read by OCR."""
        return sum(1 for p in self.pages if p.source == OCR)

    def paragraphs(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind == PARAGRAPH)


@dataclass(slots=True)
class Mention:
    """One occurrence of an entity in a block, with its canonical value."""

    entity_type: str  # one of ENTITY_TYPES
    text: str  # the surface text, == block.text[start:end]
    canonical: str
    block_seq: int
    start: int
    end: int
    extractor: str  # registered name with version: "species.v1"
    confidence: float = 1.0
    attrs: dict[str, str] = field(default_factory=dict)  # e.g. {"subparagraph": "(d)", "cms_party": "yes"}


@dataclass(slots=True)
class Failure:
    """A file that could not become a document, and why."""

    path: str
    sha256: str | None
    stage: str  # "read", "parse", "store", "extract"
    error_code: str  # "E101", ...
    reason: str  # short slug: "not_pdf", "encrypted", "timeout", ...
    message: str


# --- activities (the reconcile stage) ----------------------------------------------------------
# The claim logic's version (reconcile/activities.py): a document read by another is read again.
# Here, not in reconcile/, so that `cami ingest` can ask whether the reconciler is behind without importing it.
CLAIMS_VERSION = "activities.v3"  # v3: unnumbered blocks keyed by their place (no two activities share an id)
ACTIVITY_TYPES = ("meeting", "workshop", "study", "project", "publication", "agreement", "other")
ACTIVITY_STATUSES = ("planned", "under_way", "done")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a claim or a value of it was read: document, paragraph, page, ``[start, end)``."""

    document: str  # symbol (or file name)
    language: str | None
    paragraph: str | None  # block label: "15", "t1.r4"
    block_seq: int
    page: int | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Funding:
    funder: str  # canonical funder name
    amount: str | None = None  # as normalised: "EUR 240,000"


@dataclass(slots=True)
class ActivityClaim:
    """One report's account of one activity: appended to the store, never edited.

    ``claim_id`` derives from the document's sha256, the paragraph and the claim's index in
    it, so the same file always yields the same ids.
    """

    claim_id: str
    document_sha256: str
    source: Span  # the paragraph (whole block) the claim was read from
    type: str  # one of ACTIVITY_TYPES
    title: str
    start: str | None  # ISO 8601 at the precision printed: "2022-09-20", "2022-09", "2021"
    end: str | None
    city: str | None
    country: str | None  # ISO alpha-3; "online" meetings have city "online" and no country
    status: str | None  # one of ACTIVITY_STATUSES
    organisers: list[str] = field(default_factory=list)
    funders: list[Funding] = field(default_factory=list)
    species: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)  # document codes adopted or published
    pow_refs: list[str] = field(default_factory=list)  # POW numbers cited: "8.1", "31.1"
    pow_implements: list[str] = field(default_factory=list)  # those it carries out (not "a contribution to")
    funders_implied: bool = False  # funders from an "all activities below were funded by" paragraph
    aliases: list[str] = field(default_factory=list)  # other names the paragraph gives it
    words: list[str] = field(default_factory=list, repr=False)  # content words of its text
    reference: bool = False  # named in passing: a name and nothing else, matched by name only
    after: str | None = None  # a name in passing in a paragraph about the period since this date
    plan: bool = False  # a Programme-of-Work item: dates are a planning window, not when it happened
    ordinal: int | None = None  # "3rd MOS" -> 3: two meetings of a series differ here
    number: str | None = None  # a table row's own number ("8.1" in a POW); paragraphs have their label
    cites: list[str] = field(default_factory=list)  # "UNEP/CMS/CAMI3/Doc.7|15": the paragraph it restates
    spans: dict[str, Span] = field(default_factory=dict)  # field -> where its value was read
    extractor: str = ""


@dataclass(frozen=True, slots=True)
class ActivityLink:
    """Two claims matched: the rule that matched them and its score."""

    claim_a: str  # the smaller id first: links are symmetric
    claim_b: str
    rule: str
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class ConflictValue:
    value: str
    document: str
    paragraph: str | None
    claim_id: str


@dataclass(frozen=True, slots=True)
class Conflict:
    activity_id: str
    field: str
    values: tuple[ConflictValue, ...]


@dataclass(slots=True)
class Activity:
    """A connected component of matched claims, its fields chosen by document precedence."""

    activity_id: str
    claim_ids: list[str]
    fields: dict  # type, title, start, end, city, country, status, lists...
    chosen_from: dict[str, str]  # field -> claim_id whose value was taken
