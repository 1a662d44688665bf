"""Read the cover block of a CMS paper: symbol, issue date, language, meeting, title.

The cover is typeset, not tagged, so we read it by what each line looks like
(CMS-PRIMER.md, "The cover block"). Anything we cannot find stays None.
"""

from __future__ import annotations

import re

from ..model import CharBox, CoverMeta
from ..months import full_names
from ..symbols import first_symbol, symbol_line

# English, French and Spanish month names (CMS papers come in all three): the one table in months.py.
MONTHS = full_names()
_M = "|".join(sorted(MONTHS, key=len, reverse=True))
_DASH = r"\s*[-–—]\s*"
# "24 – 26 June 2025", "26 June - 1 July 2023", "2 June 2025", "1er juin 2025", "12 de junio de 2025"
DATE_SPAN = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:er|º)?(?:\s+(?:de\s+)?(?P<m1>{_M}))?(?:\s+(?P<y1>\d{{4}}))?"
    rf"(?:{_DASH}(?P<d2>\d{{1,2}})(?:er|º)?)?\s+(?:de\s+)?(?P<m2>{_M})(?:\s+de)?\s+(?P<y2>\d{{4}})",
    re.IGNORECASE,
)
# Any letters: "français" has a ç, "inglés" an é.
ORIGINAL = re.compile(r"^Original\s*:\s*(?P<lang>[^\W\d_]+)", re.IGNORECASE)
LANGUAGE_NAMES = {
    "english": "en",
    "anglais": "en",
    "inglés": "en",
    "ingles": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "francés": "fr",
    "frances": "fr",
    "spanish": "es",
    "espagnol": "es",
    "español": "es",
    "espanol": "es",
    "russian": "ru",
    "russe": "ru",
    "ruso": "ru",
}
AGENDA = re.compile(r"^Agenda\s+Item\s*:?\s*(?P<item>[\d.]+[a-z]?)", re.IGNORECASE)
# French and Spanish put the item number inside: "Point 6 de l'ordre du jour", "Punto 5.1 del orden del día".
AGENDA_INNER = re.compile(
    r"^(?:Point|Punto)\s+(?P<item>[\d.]+[a-z]?)\s+(?:de\s+l.ordre\s+du\s+jour|del\s+orden\s+del\s+d[ií]a)\b",
    re.IGNORECASE,
)
AGENDA_ALT = re.compile(
    r"^(?:Point\s+de\s+l.ordre\s+du\s+jour|Punto\s+del\s+orden\s+del\s+d[ií]a)\s*:?\s*(?P<item>[\d.]+[a-z]?)",
    re.IGNORECASE,
)
MEETING_WORDS = re.compile(
    r"\b(MEETING|CONFERENCE|COMMITTEE|COUNCIL|WORKSHOP|SESSION|RÉUNION|REUNION|REUNIÓN|CONFÉRENCE|COMITÉ|CONSEIL|CONFERENCIA|CONSEJO)\b",
    re.IGNORECASE,
)
PREPARED = re.compile(r"^\(?\s*(Prepared|Préparé|Preparado|Submitted|Soumis|Presentado)\b", re.IGNORECASE)
FURNITURE = re.compile(
    r"^(CONVENTION ON MIGRATORY SPECIES|CONVENTION SUR LES ESPÈCES MIGRATRICES|CONVENCIÓN SOBRE LAS ESPECIES MIGRATORIAS|Distribution|Distr\.|Original)",
    re.IGNORECASE,
)


def parse_date_span(text: str) -> tuple[str, str] | None:
    """``(iso, matched)`` for the first day or day range in ``text``; months carry over in ranges."""
    m = DATE_SPAN.search(text)
    if not m:
        return None
    y2, m2 = int(m["y2"]), MONTHS[m["m2"].lower()]
    if m["d2"]:
        m1 = MONTHS[m["m1"].lower()] if m["m1"] else m2
        y1 = int(m["y1"]) if m["y1"] else y2
        start = f"{y1:04d}-{m1:02d}-{int(m['d1']):02d}"
        end = f"{y2:04d}-{m2:02d}-{int(m['d2']):02d}"
        return (f"{start}/{end}" if start != end else start), m.group(0)
    return f"{y2:04d}-{m2:02d}-{int(m['d1']):02d}", m.group(0)


ISSUED = re.compile(r"^(?:Issued|Date|Dated|Distr\.?\s*:?\s*General)\s*:?\s*", re.IGNORECASE)
# "04/05/26": the UN's advance versions print day/month/year in figures.
NUMERIC_DATE = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{2}|\d{4})$")
MONTH_YEAR = re.compile(rf"^(?P<m>{_M})\s+(?P<y>\d{{4}})$", re.IGNORECASE)
# Two-digit years in numeric dates are this century (the advance versions are recent).
CENTURY = 2000


def issue_date(line: str) -> str | None:
    """The ISO date if ``line`` is only an issue date: "4 May 2026", "Issued: 3 May 2021",
    "04/05/26", or a month alone ("September 2022" -> "2022-09"). A day range is a meeting's."""
    text = ISSUED.sub("", line.strip()).strip(" .,")
    span = parse_date_span(text)
    if span and len(text) <= len(span[1]) + 2:
        return None if "/" in span[0] else span[0]
    m = NUMERIC_DATE.match(text)
    if m:
        day, month, year = int(m["d"]), int(m["m"]), int(m["y"])
        year = year + CENTURY if year < 100 else year
        if 1 <= day <= 31 and 1 <= month <= 12:
            return f"{year:04d}-{month:02d}-{day:02d}"
    m = MONTH_YEAR.match(text)
    if m:
        return f"{int(m['y']):04d}-{MONTHS[m['m'].lower()]:02d}"
    return None


# Two words of one cover text line this far apart (in multiples of the glyph height) stand in two
# columns: a logo block beside the Distr./symbol/date block ("MIGRATORY" ... "10 June 2025" in the
# WeasyPrint variant's grid cover, 17 em apart). Word spaces on covers stay under 1 em, even in
# justified summaries (0.2-0.6 em in the LibreOffice, Word and UN covers).
COVER_CELL_GAP = 3.0


def cover_lines(text: str, boxes: list[CharBox]) -> list[str]:
    """The cover's text lines, each cut where a gap wider than COVER_CELL_GAP separates two
    columns, so a field beside a logo line reads as its own line. ``boxes`` is one per char."""
    out: list[str] = []
    start = 0
    for i, ch in enumerate(text + "\n"):
        if ch == "\n":
            out.append(text[start:i])
            start = i + 1
        elif ch == " " and start < i < len(text) - 1 and len(boxes) == len(text) and not text[i + 1].isspace():
            left, right = boxes[i - 1], boxes[i + 1]
            height = max(left.bottom - left.top, right.bottom - right.top, 1.0)
            if left.page == right.page and right.x0 - left.x1 > COVER_CELL_GAP * height:
                out.append(text[start:i])
                start = i + 1
    return out


def _uppercase(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def read_cover(cover_text: str | list[str], header_texts: list[str]) -> CoverMeta:
    """The cover's fields from its text (or its lines, as ``cover_lines`` cuts them)."""
    meta = CoverMeta()
    raw = cover_text.splitlines() if isinstance(cover_text, str) else cover_text
    lines = [ln.strip() for ln in raw if ln.strip()]
    meeting_lines: list[str] = []
    title_lines: list[str] = []
    state = "top"  # top -> meeting -> after_place -> title -> done
    for ln in lines:
        line_symbol = symbol_line(ln)
        if line_symbol:
            meta.symbol = meta.symbol or line_symbol
            continue  # the symbol (or its repetition) on the cover
        om = ORIGINAL.match(ln)
        if om:
            meta.original_language = om["lang"].capitalize()
            continue
        if FURNITURE.match(ln):
            continue
        if meta.issue_date is None and not MEETING_WORDS.search(ln):
            issued = issue_date(ln)
            if issued:
                meta.issue_date = issued
                continue
        am = AGENDA.match(ln) or AGENDA_INNER.match(ln) or AGENDA_ALT.match(ln)
        if am:
            meta.agenda_item = am["item"].rstrip(".")
            state = "title" if state != "top" else state
            continue
        if PREPARED.match(ln) or ln.lower().startswith(("summary", "résumé", "resumen")):
            state = "done"
            continue
        span = parse_date_span(ln)
        if span and state in ("top", "meeting") and meeting_lines:
            meta.meeting_dates = span[0]
            place = (ln[: ln.find(span[1])] + ln[ln.find(span[1]) + len(span[1]) :]).strip(" ,;–-")
            meta.meeting_place = re.sub(r"\s*,\s*,\s*", ", ", place) or None
            state = "title"
            continue
        if state in ("top", "meeting") and _uppercase(ln) and (MEETING_WORDS.search(ln) or state == "meeting"):
            meeting_lines.append(ln)
            state = "meeting"
            continue
        if state == "title" and _uppercase(ln):
            title_lines.append(ln)
            continue
        if state == "title" and title_lines:
            state = "done"
    if meeting_lines:
        meta.meeting = _clean(" ".join(meeting_lines))
    if title_lines:
        meta.title = _clean(" ".join(title_lines))
    for h in header_texts:
        sm = first_symbol(h)
        if sm:
            meta.header_symbol = sm.canonical
            break
    if meta.symbol is None and meta.header_symbol:
        meta.symbol = meta.header_symbol
    elif (
        meta.symbol
        and meta.header_symbol
        and meta.header_symbol.startswith(meta.symbol + ".")
        and meta.header_symbol[len(meta.symbol) + 1 :].split(".")[0].isdigit()
    ):
        # "UNEP/CMS/IOSEA/MOS9/Doc." + "8": a cover cell too narrow wrapped the number onto the
        # next line; the running header prints the symbol whole
        meta.symbol = meta.header_symbol
    if meta.issue_date is None:
        # "Issued: 3 May 2021" as a running header (WCPFC summary reports)
        for h in header_texts:
            for part in h.split(" | "):
                if ISSUED.match(part.strip()) and issue_date(part):
                    meta.issue_date = issue_date(part)
                    break
            if meta.issue_date:
                break
    return meta


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
