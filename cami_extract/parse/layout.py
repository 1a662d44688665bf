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
from functools import lru_cache

from ..model import COVER, FOOTNOTE, HEADING, PARAGRAPH, TABLE_ROW, Block, CharBox, Page
from ..symbols import first_symbol
from .pdf import Line, RawPage

PARA_START = re.compile(r"^(\d{1,3})\.(?:\s+|$)")
NOTE_START = re.compile(r"^([1-9]\d{0,2}|\*{1,3}|[†‡§])/?\s+")  # "1 text", "3/ text" (1990s UN), "* text"
_ROMAN = r"(?:[ivxlc]{1,6}|[IVXLC]{1,6})"
# One piece of page furniture: a page number in any of its forms ("3", "Page 3", "- 3 -", "-ii-",
# "2/81", "page | 1/4"), a UN job number ("26-06383", "26-06383 (E) 180626", "95-27467S (E)
# 271095"), a barcode-font line ("*2606383*"), the "/..." that ends a 1990s UN page.
_PIECE = (
    rf"(?:(?:page\s*\|?\s*|p\.\s*)?[-–]?\s*(?:\d{{1,4}}|{_ROMAN})\s*[-–]?(?:\s*(?:of|/|de)\s*\d{{1,4}})?"
    r"|\d{2}-\d{5}[A-Z]?(?:\s*\([A-Z]\))?(?:\s+\d{6})?"
    r"|\*\d{5,}\*"
    r"|/\.\.\."
    r"|Please\s+recycle)"
)
FURNITURE_LINE = re.compile(rf"^{_PIECE}(?:\s+{_PIECE})*$", re.IGNORECASE)
PAGE_NUMBER = FURNITURE_LINE  # kept for callers of the old name
# (a symbol, then only capitalised or numeric words: "UNEP/CMS/ScC-SC5/Outcome 7", not a line of
# text that starts with a cited symbol, "UNEP/CMS/ScC-SC8/Inf.11.2.2. Their revision was ...")
SYMBOL_LIKE = re.compile(r"^[A-Z][A-Za-z-]*/[A-Za-z0-9][\w.\-/]*(?: +(?:[A-Z0-9(][\w.\-/()]*|[-–—:|]|p\.|page|of))*$")
# How a finished note ends: a full stop (or ?, !) perhaps inside a bracket or quote; a note that
# ends otherwise goes on at the foot of the next page
NOTE_END = re.compile(r"[.!?…][)\]»\"”']*\s*$")
# A rule drawn with characters above the footnotes ("__________________" in Word exports).
NOTE_RULE = re.compile(r"^[_\-–—‐]{5,}$")
# A table-of-contents entry: dot leaders then a page number.
TOC_LINE = re.compile(r"(?:\.\s?){5,}\s*(?:\d{1,4}|[ivxlc]{1,6})?$|…{2,}")
# Headings by their wording: "Article 6", "PART II", "Chapter 3", "Annex I".
HEADING_WORDS = re.compile(r"^(?:Article|Rule|Regulation|Section|Chapter|Part|PART|ARTICLE|Annex|ANNEX)\s+[\dIVXLC]+\b")
HEADER_ZONE = 0.09  # share of the page height; CMS corpus and UN papers put headers above 0.09
FOOTER_ZONE = 0.92
# Furniture by its form (page numbers, job numbers) may sit a little further in: WCPFC17's page
# numbers stand at 0.90 of the page height, IPBES's at 0.93, A/CONF.164/37's "/..." at 0.91.
FORM_HEADER_ZONE = 0.12
FORM_FOOTER_ZONE = 0.88
# A repeated line (digits ignored) counts as a running header/footer when it is on this share of
# the pages (odd and even pages alternate sides, so the text repeats, not the position).
REPEAT_SHARE = 0.3
# A numbered line starts the first paragraph only at the document's number column (the x0 most
# numbered lines share) or the text margin, within this many points: A/AC.296/2026/9 indents
# its numbers 63 pt from the cover's margin, the CMS corpus hangs them at the margin.
NUMBER_COLUMN_TOLERANCE = 3.0
# A centred short line outside a paragraph is a heading (A/CONF.164/37 "Article 1" in a
# typewriter face with no bold): centre within this share of the page width of the page centre,
# starting at least CENTRED_INDENT points right of the margin.
CENTRED_TOLERANCE = 0.02
CENTRED_INDENT = 36.0
CENTRED_MAX_WIDTH = 0.7  # of the text column: a justified full line is not a centred heading
HEADING_MAX_WORDS = 12
# Numbered paragraphs are sentences: a numbered run with fewer than this share of items ending
# like one is a list (IPBES's six chapter titles end in no stop; WCPFC9's 48 paragraphs all but one do).
LIST_SENTENCE_SHARE = 0.5
SENTENCE_END = re.compile(r"[.:;!?][\)\]\"”’']*$")
# A line this many points above the body size is display type: "1. Introduction" set in 16 pt in
# the CITES guide (body 10 pt) is a heading even without a bold face.
HEADING_SIZE_STEP = 1.5


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
    """Separate running headers and footers (page numbers, job numbers) from the body lines.

    A line is furniture by repetition (its text, digits ignored, recurs in the page margins of
    many pages: odd and even pages may swap sides) or by its form (a page number, job number,
    barcode line), and only in the top or bottom margin.
    """
    seen: Counter[str] = Counter()
    for p in pages:
        for ln in p.lines:
            if ln.top < FORM_HEADER_ZONE * p.height or ln.bottom > FORM_FOOTER_ZONE * p.height:
                seen[_digits_out(ln.text)] += 1
    min_repeats = max(2, int(REPEAT_SHARE * len(pages)))
    headers: dict[int, list[Line]] = {}
    footers: dict[int, list[Line]] = {}
    body: dict[int, list[Line]] = {}
    for p in pages:
        h, f, b = [], [], []
        # by form, only the first and last lines of a page: a number alone inside the text is not a footer
        edge = {id(ln) for ln in p.lines[:3] + p.lines[-3:]}
        for ln in p.lines:
            text = ln.text.strip()
            key = _digits_out(ln.text)
            in_top = ln.top < HEADER_ZONE * p.height
            in_bottom = ln.bottom > FOOTER_ZONE * p.height
            near_top = ln.top < FORM_HEADER_ZONE * p.height
            near_bottom = ln.bottom > FORM_FOOTER_ZONE * p.height
            repeats = seen[key] >= min_repeats and len(pages) > 1
            by_form = id(ln) in edge and FURNITURE_LINE.match(text) is not None
            if (in_top and p.number > 1 and (repeats or SYMBOL_LIKE.match(text))) or (near_top and by_form):
                h.append(ln)
            elif (near_bottom and by_form) or (in_bottom and repeats and p.number > 1):
                f.append(ln)
            else:
                b.append(ln)
        headers[p.number], footers[p.number], body[p.number] = h, f, b
    return headers, footers, body


def split_footnotes(lines: list[Line], size: float, *, note_open: bool = False) -> tuple[list[Line], list[Line]]:
    """The footnote zone of a page: the lines under a drawn rule, or else the run of smaller
    lines at the page foot, if a note starts there - or goes on there from the page before
    (``note_open``: the last note so far ends mid-sentence, "... érismature à tête blanche, fuli-")."""
    for i in range(len(lines) - 1, -1, -1):
        if NOTE_RULE.match(lines[i].text.strip()):
            zone = [ln for ln in lines[i + 1 :] if not NOTE_RULE.match(ln.text.strip())]
            if all(0 < ln.size < size for ln in zone):
                return lines[:i], zone
            break
    cut = len(lines)
    # a contents page in a smaller face is not a note zone: stop at its entries
    while cut > 0 and 0 < lines[cut - 1].size <= size - 0.8 and not TOC_LINE.search(lines[cut - 1].text):
        cut -= 1
    zone = lines[cut:]
    if not zone:
        return lines, []
    if note_open and cut > 0 and not any(TOC_LINE.search(ln.text) for ln in zone):
        return lines[:cut], zone
    if not any((ln.marker or NOTE_START.match(ln.text)) and not TOC_LINE.search(ln.text) for ln in zone):
        return lines, []
    return lines[:cut], zone


def _starts_note(ln: Line, expected: int) -> str | None:
    if TOC_LINE.search(ln.text):
        return None
    if ln.marker:
        return ln.marker.strip()
    m = NOTE_START.match(ln.text)
    if m and (not m.group(1).isdigit() or int(m.group(1)) == expected):
        return m.group(1)
    return None


class _Builder:
    """Accumulates lines into blocks, repairing line-end hyphenation as it joins them."""

    def __init__(self, vocab: set[str] | None = None, marked_breaks: bool = False) -> None:
        self.vocab = vocab or set()
        self.marked_breaks = marked_breaks  # the typesetter draws its own hyphens as U+2010
        self.blocks: list[Block] = []
        self.kind: str | None = None
        self.label: str | None = None
        self.lines: list[Line] = []
        self.skip_prefix = 0  # chars of the first line that are the block's own number/marker
        self.prefixes: dict[int, tuple[str, list[CharBox]]] = {}  # block index -> its number as printed

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
        text, boxes = _join(self.lines, self.skip_prefix, sep, self.vocab, self.marked_breaks)
        if text.strip():
            self.blocks.append(Block(seq=0, kind=self.kind, label=self.label, text=text, chars=boxes))
            if self.skip_prefix:
                first = self.lines[0]
                self.prefixes[len(self.blocks) - 1] = (first.text[: self.skip_prefix], first.boxes[: self.skip_prefix])
        self.kind, self.label, self.lines, self.skip_prefix = None, None, [], 0


def _join(
    lines: list[Line], skip: int, sep: str, vocab: set[str] | None = None, marked_breaks: bool = False
) -> tuple[str, list[CharBox]]:
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
                if text[-1] == TYPESET_HYPHEN and t[:1].isalnum():
                    if marked_breaks:
                        text.pop()  # the typesetter's own hyphen: "essen\u2010" + "tial"
                        boxes.pop()
                        text.extend(t)
                        boxes.extend(b)
                        continue
                    text[-1] = "-"  # this document's ordinary hyphen: decide as for "-"
                tail = "".join(text[-40:])
                if tail.endswith("/"):
                    glue = ""  # a symbol broken after a slash: "UNEP/CMS/" + "ScC-SC5/Outcome 7"
                elif CLOSED_DASH_END.search(tail) and t[:1].isalnum():
                    glue = ""  # a closed range or dash broken after the dash: "2026–" + "2028"
                elif t[:1].isdigit() and _symbol_continues(tail, t):
                    glue = ""  # a symbol broken after its dot: "UNEP/CMS/COP14/Doc." + "30.3.1"
                elif re.search(r"\w\.-$", tail) and t[:1].isalnum():
                    text.pop()  # a break the typesetter hyphenated after a dot: "(Rev.-" + "COP13)"
                    boxes.pop()
                    glue = ""
                elif re.search(r"\w-$", tail) and t[:1].isalnum():
                    in_url = URL_TAIL.search("".join(text[-URL_LOOKBACK:])) is not None
                    # a document that draws its hyphenation as U+2010 printed this U+002D itself:
                    # the word's own hyphen ("net-" + "free"), whatever the words
                    if not marked_breaks and _drop_hyphen(tail, t, vocab or set(), in_url=in_url):
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
    "vice",  # "vice-" + "chair" (the Raptors paper in the word-cover template)
}
# A line that ends in an en or em dash set closed up to the word before it ("2026–", "word—")
# breaks a closed range or a closed dash: the next line's word follows with no space.
CLOSED_DASH_END = re.compile(r"\w[–—]$")
# Irregular past participles that end English compound adjectives ("captive-bred", "wild-caught",
# "home-grown", "hand-made"): after a first half of COMPOUND_PART_MIN letters or more they are a
# word, not a syllable, so the hyphen is the compound's. Checked against LibreOffice's en-GB
# patterns (Debian hyphen-en-gb): none breaks a longer word before these endings, while the
# words such a break would join ("captivebred", "wildcaught") are not English.
PARTICIPLE_SECOND_HALVES = frozenset(
    {"bred", "caught", "grown", "made", "built", "born", "based", "led", "owned", "driven",
     # the parts of bird and animal names ("Lappet-" + "faced", "White-" + "backed")
     "faced", "backed", "necked", "billed", "tailed", "winged", "headed", "breasted", "throated",
     "eyed", "footed", "legged", "crowned", "bellied", "rumped", "fronted", "spotted", "striped"}
)  # fmt: skip
WORD = re.compile(r"[\w]+(?:-[\w]+)*")
# A line that ends inside a web address: its hyphen is the address's ("preparatory-" + "commission").
URL_TAIL = re.compile(r"(?:https?://|www\.)\S*$")
COMPOUND_PART_MIN = 4  # shorter halves ("Con-" + "sumer", "Eco-" + "logy") are too often syllables
URL_LOOKBACK = 300  # chars searched back for the start of that address
# Second halves that are always a word of a hyphenated compound, never a syllable: French emphatic
# pronouns ("lui-" + "même", "eux-" + "mêmes"); no French word ends in a joined "même".
KEPT_SECOND_HALVES = frozenset({"même", "mêmes"})
# French "ci-dessus", "ci-après", "ci-joint": "ci" before these is always the compound's
CI_COMPOUNDS = frozenset({"dessus", "dessous", "après", "contre", "joint", "jointe", "joints", "jointes", "inclus"})
# English closed compounds whose halves are both words ("field-" + "work", "wild-" + "life",
# "grass-" + "land"): the hyphen at a line end is the typesetter's unless the document writes
# the hyphenated form elsewhere
CLOSED_SECOND_HALVES = frozenset({"work", "works", "life", "land", "lands"})
# Particles that close up with a participle ("over-" + "grown" is "overgrown", "out-" + "bred")
PARTICLE_FIRST_HALVES = frozenset({"over", "under", "out"})
# A word in capitals broken by the typesetter's hyphenation ("SÉNÉ-" + "GAL", "ACCO-" + "BAMS",
# LibreOffice's word-cover template on the three blind papers of issue 10): a half this short
# or shorter ("ET-PRINCIPE") is kept as a compound's part.
CAPS_SYLLABLE_MIN = 3


@lru_cache(maxsize=1)
def named_compounds() -> frozenset[tuple[str, str]]:
    """(first, second) of every hyphen in a country's name in English, French or Spanish
    (pycountry's ISO 3166-1 names and translations): "TIMOR-" + "LESTE" and "GUINÉE-" + "BISSAU"
    in a list of Parties in capitals keep their hyphen, while "SÉNÉ-" + "GAL" is hyphenation."""
    import gettext

    import pycountry

    names = [n for c in pycountry.countries for n in (c.name, getattr(c, "official_name", None)) if n]
    for language in ("fr", "es"):
        try:
            tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        names += [tr.gettext(n) for n in list(names)]
    pairs = set()
    for name in names:
        for m in re.finditer(r"(\w+)-(\w+)", name):
            pairs.add((m.group(1).lower(), m.group(2).lower()))
    return frozenset(pairs)


# English compound numbers keep their hyphen: "Thirty-" + "two" is never "Thirtytwo"
NUMBER_TENS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
NUMBER_UNITS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"})


# U+2010 HYPHEN. WeasyPrint (pango) draws the hyphens of its hyphenation with it while the text's
# own hyphens stay U+002D ("essen\u2010" + "tial", but "cross-" + "cutting"); WCPFC17-2020-OP04's
# producer uses it for every hyphen. Which one a document does is read from its lines' insides.
TYPESET_HYPHEN = "\u2010"
_INNER_TYPESET_HYPHEN = re.compile(rf"\w{TYPESET_HYPHEN}\w")


def marks_its_breaks(pages: list[RawPage]) -> bool:
    """Does this document draw its line-end hyphenation as U+2010 and nothing else with it?
    Then such a hyphen at a line end is always the typesetter's, whatever the words."""
    ends = inner = 0
    for p in pages:
        for ln in p.lines:
            text = ln.text.rstrip()
            ends += text.endswith(TYPESET_HYPHEN)
            inner += len(_INNER_TYPESET_HYPHEN.findall(text))
    return ends > 0 and inner == 0


def _symbol_continues(tail: str, head: str) -> bool:
    """Does a document symbol run on from the end of one line into the next ("UNEP/CMS/COP14/Doc."
    + "30.3.1", ".../Add." + "1")? Then the break is inside the symbol, not a word space."""
    last = tail.split()[-1] if tail.split() else ""
    if not last.endswith(".") or "/" not in last:
        return False
    first = head.split()[0]
    m = first_symbol(last + first)
    return m is not None and m.start < len(last) < m.end


def vocabulary(pages: list[RawPage]) -> set[str]:
    """Lower-cased words (hyphenated compounds whole) seen inside lines, not across line ends."""
    words: set[str] = set()
    for p in pages:
        broken = True  # whether the line before ended in a hyphen (a page's first line: unknown)
        for ln in p.lines:
            found = WORD.findall(ln.text)
            # a line's first word after a line that ended in a hyphen may be the second half of
            # a hyphenated one ("tion"), and its last before a hyphen the first half ("addi"):
            # neither is evidence of a word ("(SakerGAP)" opening a line after a whole word is)
            ends = ln.text.rstrip().endswith("-")
            inner = found[1 if broken else 0 : -1 if ends else None]
            words.update(w.lower() for w in inner)
            broken = ends
    return words


def _inflected(word: str) -> set[str]:
    """The plural or singular of a word, as a document may print it elsewhere ("lowland" and
    "lowlands"); a word of fewer than 6 letters gives none (too many syllables pass for words)."""
    if len(word) < 6:
        return set()
    return {word[:-1]} if word.endswith("s") else {word + "s"}


def _forms(word: str) -> set[str]:
    """A word with its number and, for French/Spanish adjectives in -o/-a, its gender forms."""
    forms = {word} | _inflected(word)
    for a, b in (("o", "a"), ("a", "o"), ("os", "as"), ("as", "os")):
        if word.endswith(a) and len(word) >= COMPOUND_PART_MIN + 2:
            forms.add(word[: -len(a)] + b)
    return forms


def _drop_hyphen(before: str, after: str, vocab: set[str], *, in_url: bool = False) -> bool:
    """Is the hyphen at a line end the typesetter's (drop it) or part of the word (keep it)?

    Inside a web address the hyphen is the address's unless the joined word is one the document
    uses ("docu-" + "ment" in a LibreOffice link; "preparatory-" + "commission" in a Word one).
    """
    first = re.search(r"(\w+)-$", before).group(1)  # type: ignore[union-attr]
    second_m = re.match(r"\w+", after)
    second = second_m.group(0) if second_m else ""
    joined, hyphenated = (first + second).lower(), f"{first}-{second}".lower()
    if first[-1:].isdigit() or second[:1].isdigit():
        return False  # "2026-" + "2032"
    if second.lower() in KEPT_SECOND_HALVES or (first.lower() == "ci" and second.lower() in CI_COMPOUNDS):
        return False
    if (
        second.lower() in PARTICIPLE_SECOND_HALVES
        and len(first) >= COMPOUND_PART_MIN
        and joined not in vocab
        and first.lower() not in PARTICLE_FIRST_HALVES
    ):
        return False
    if second.lower() in CLOSED_SECOND_HALVES and first.islower() and hyphenated not in vocab and not in_url:
        return True
    if first.lower() in NUMBER_TENS and second.lower() in NUMBER_UNITS:
        return False
    if second[:1].isupper():
        # "CITES-" + "CMS" keeps its hyphen; "KAZA-" + "KHSTAN" in a list of Parties in
        # capitals is one word when the document spells it whole elsewhere, and so is a word in
        # capitals of which neither half is a word of the document ("ACCO-" + "BAMS"), while
        # "CITES-" + "CMS" and "UNEP-" + "WCMC" have a half the document uses on its own
        # ("Atlantic-" + "Turtles" inside a symbol the cover prints whole is one word too)
        if hyphenated in vocab:
            return False
        if joined in vocab:
            return True
        if not (first.isupper() and second.isupper()) or (first.lower(), second.lower()) in named_compounds():
            return False
        rest = after[len(second) : len(second) + 2]
        if rest[:1] == "/" or (rest[:1] == "." and rest[1:2].strip()):
            return False  # inside a symbol or a code ("CITES-" + "CMS/ACI2"): a series' own hyphen
        return (
            min(len(first), len(second)) >= CAPS_SYLLABLE_MIN
            and first.lower() not in vocab
            and second.lower() not in vocab
        )
    if hyphenated in vocab and joined not in vocab:
        return False
    if joined in vocab or _inflected(joined) & vocab:
        return True  # "low-" + "land" where the document writes "lowlands" elsewhere
    if (
        len(first) >= COMPOUND_PART_MIN
        and len(second) >= COMPOUND_PART_MIN
        and all((_forms(half.lower()) | {half.lower() + "s"}) & vocab for half in (first, second))
    ):
        # two words the document uses, never seen joined: a compound ("captive-" + "bred";
        # "argentino-" + "paraguaya" beside "argentino" and "paraguayo"; "camera-" + "trap" beside
        # "camera traps": a half of four letters or more counts by its plural too)
        return False
    return not in_url and first.lower() not in _HYPHENATED_PREFIXES


def _row_key(row: Line) -> str:
    """A table row's text as compared for a repeated header: spaces and case ignored."""
    return " ".join(row.text.split()).lower()


def number_column(body: dict[int, list[Line]], size: float) -> float | None:
    """The x0 that most body-size lines starting "N." share: where this document sets its numbers."""
    votes: Counter[float] = Counter()
    for lines in body.values():
        for ln in lines:
            if abs(ln.size - size) < 0.6 and PARA_START.match(ln.text) and not TOC_LINE.search(ln.text):
                votes[round(ln.x0)] += 1
    if not votes:
        return None
    x, count = votes.most_common(1)[0]
    return float(x) if count >= 2 else None


def _column_runs(lines: list[Line]) -> list[list[Line]]:
    runs: list[list[Line]] = []
    for ln in lines:
        if runs and runs[-1][-1].column == ln.column:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs or [[]]


def text_edge(body: dict[int, list[Line]], size: float) -> float:
    """The x0 most body-size lines share: the left edge of this document's text column."""
    votes: Counter[float] = Counter()
    for lines in body.values():
        for ln in lines:
            if abs(ln.size - size) < 0.6:
                votes[round(ln.x0)] += 1
    return float(votes.most_common(1)[0][0]) if votes else 0.0


def build_blocks(pages: list[RawPage]) -> Layout:
    size = body_size(pages)
    headers, footers, body = split_furniture(pages)
    out_pages: list[Page] = []
    vocab = vocabulary(pages)
    marked = marks_its_breaks(pages)
    builder = _Builder(vocab, marked)
    notes = _Builder(vocab, marked)
    last_para: int | None = None
    next_note = 1
    table_no = 0
    last_table: tuple[int, str, int, int] | None = None  # (number, header row, next row, page)
    warnings: list[str] = []
    column = number_column(body, size)
    toc_rows = 0
    edge = text_edge(body, size)
    for p in pages:
        # each column of a two-column page has its own foot, with its own notes
        lines, zone = [], []
        note_open = notes.kind == FOOTNOTE and bool(notes.lines) and not NOTE_END.search(notes.lines[-1].text)
        for run in _column_runs(body[p.number]):
            run_lines, run_zone = split_footnotes(run, size, note_open=note_open)
            lines.extend(run_lines)
            zone.extend(run_zone)
        # Lines come in reading order (column by column on two-column pages); a table takes its
        # place before the first line below its top edge.
        flow: list[tuple[float, str, Line]] = [(ln.top, "line", ln) for ln in lines]
        for t in p.tables:
            at = next((i for i, item in enumerate(flow) if item[1] == "line" and item[0] > t.top), len(flow))
            rows = list(t.rows)
            header = _row_key(rows[0]) if rows else ""
            if at == 0 and last_table is not None and last_table[1] == header and last_table[3] == p.number - 1:
                # the table goes on from the page before, its header row repeated (Word's "repeat
                # as header row"): the same table, numbered on, the repeated header not a row again
                number, _, first, _ = last_table
                rows = rows[1:]
            else:
                table_no += 1
                number, first = table_no, 1
            flow[at:at] = [(row.top, f"t{number}.r{r}", row) for r, row in enumerate(rows, first)]
            last_table = (number, header, first + len(rows), p.number)
        margin = min((ln.x0 for ln in lines), default=0.0)
        prev_bottom: float | None = None
        for _, what, ln in flow:
            if what != "line":  # a table row, labelled "t<table>.r<row>" through the document
                builder.flush()
                builder.start(TABLE_ROW, what, ln)
                builder.flush()
                prev_bottom = ln.bottom
                continue
            m = None if TOC_LINE.search(ln.text) else PARA_START.match(ln.text)
            n = int(m.group(1)) if m else None
            at_column = abs(ln.x0 - margin) <= NUMBER_COLUMN_TOLERANCE or (
                column is not None and abs(ln.x0 - column) <= NUMBER_COLUMN_TOLERANCE
            )
            words = len(ln.text.split())
            # "1. Organizational meeting" in bold is a numbered heading, not paragraph 1
            heading_like = (ln.bold >= 0.9 or ln.size >= size + HEADING_SIZE_STEP) and words <= HEADING_MAX_WORDS
            is_next = n is not None and (
                (last_para is None and n <= 3 and at_column and not heading_like)
                or (last_para is not None and n == last_para + 1)
                # numbering that restarts under each heading ("Article 6", paragraph 1 again)
                or (last_para is not None and n == 1 and at_column and builder.kind == HEADING and not heading_like)
            )
            centred = (
                words <= HEADING_MAX_WORDS
                and ln.x0 > edge + CENTRED_INDENT
                and ln.x1 - ln.x0 < CENTRED_MAX_WIDTH * (p.width - 2 * edge)
                and abs((ln.x0 + ln.x1) / 2 - p.width / 2) < CENTRED_TOLERANCE * p.width
                and not ln.text.rstrip().endswith((".", ",", ";"))
            )
            headed = HEADING_WORDS.match(ln.text) is not None and words <= HEADING_MAX_WORDS
            set_apart = prev_bottom is None or ln.top - prev_bottom > 0.9 * ln.size
            centred = centred and set_apart
            headed = headed and set_apart
            if is_next:
                builder.start(PARAGRAPH, str(n), ln, skip=m.end() if m else 0)
                last_para = n
            elif TOC_LINE.search(ln.text) and not (p.number == 1 and last_para is None):
                # a contents entry (title, dot leaders, page) is a row of the contents table
                toc_rows += 1
                builder.flush()
                builder.start(TABLE_ROW, f"toc.r{toc_rows}", ln)
                builder.flush()
            elif ((ln.bold >= 0.9 and words <= 20) or (last_para is not None and (centred or headed))) and not (
                p.number == 1 and last_para is None
            ):
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
    _unnumber_lists(builder)
    blocks = _in_reading_order(builder.blocks, notes.blocks)
    for i, b in enumerate(blocks):
        b.seq = i
    return Layout(blocks=blocks, pages=out_pages, warnings=warnings)


def _unnumber_lists(builder: _Builder) -> None:
    """A numbered run whose items are mostly not sentences is a list (chapter titles, "1. Setting
    the scene"), not numbered paragraphs: its items keep their number in the text, and no label."""
    runs: list[list[int]] = []
    for i, b in enumerate(builder.blocks):
        if b.kind != PARAGRAPH or b.label is None:
            continue
        if b.label == "1" or not runs:
            runs.append([i])
        else:
            runs[-1].append(i)
    for run in runs:
        ended = sum(bool(SENTENCE_END.search(builder.blocks[i].text)) for i in run)
        if ended >= LIST_SENTENCE_SHARE * len(run):
            continue
        for i in run:
            b = builder.blocks[i]
            prefix, boxes = builder.prefixes.get(i, ("", []))
            b.text, b.chars, b.label = prefix + b.text, boxes + b.chars, None


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
