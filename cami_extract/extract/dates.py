"""Dates: days, day ranges, cross-month ranges, month-years, years and periods.

No library parses "24 - 26 June 2025" or "26 June - 1 July 2023" correctly (dateparser and
datefinder fill missing parts from today), so the grammar is ours. Canonical values are
ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD and intervals "start/end". A day-month without a year
takes the nearest earlier year in the same block; failing that it is left as "XXXX-MM-DD"
for the document resolver, which uses the document's issue date - never the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..months import LOCAL_ABBREVIATIONS, LOWER_CASE_MONTHS, MONTHS
from ..text import normalise
from .hits import Hit, hits_of, overlaps, text_of

VERSION = 7  # bump when the behaviour changes; v7: a range of two-year seasons ("saisons 2021-2022 à 2024-2025" -> 2021/2025); v6: days joined to a dated day share its year ("15-16 July and 9-11 September 2025", "entre el 5 de enero y el 28 de febrero de 2025"); v5: Spanish ordinal days "1.º de enero"; v4: French/Spanish dotted month abbreviations, "entre el 1 y el 10", "between/entre <month> and <month>"
NAME = f"cami_dates_v{VERSION}"  # the registered factory (spaCy forbids "." in factory names, E853)
EXTRACTOR = f"date.v{VERSION}"  # stored with each mention
MISSING_YEAR = "XXXX"

# Connectors per language: ranges ("to" / "au" / "al"), pairs of days ("and" / "et" / "y"),
# the day-month and month-year joints ("3 de marzo de 2025") and ordinal suffixes ("1er").
_LANG = {
    "en": {
        "dash": r"-|to|until|till",
        "and": r"-|to|and|&",
        "dm": r"\s+",
        "my": r",?\s+",
        "ordinal": r"(?:st|nd|rd|th)?",
        "bound": r"the\s+(?:end|beginning|start|middle)\s+of\s+",
    },
    "fr": {
        "dash": r"-|au|à|a|jusqu'au|jusqu'à|jusqu'en",
        "and": r"-|au|à|et|&",
        "dm": r"\s+",
        "my": r",?\s+",
        "ordinal": r"(?:er|e|ème)?",
        "bound": r"(?:la\s+)?(?:fin|début|mi)[- ]?(?:de\s+|d')?",
    },
    "es": {
        "dash": r"-|al|a|hasta(?:\s+el)?",
        "and": r"-|al|a|y(?:\s+el)?|&",
        "dm": r"\s+(?:de\s+)?",
        "my": r",?\s+(?:de(?:l)?\s+)?",
        "ordinal": r"(?:\.?º|\.?°|\.o|º|°|o)?",  # "1.º de enero", "1° de marzo"
        "bound": r"(?:(?:el\s+)?(?:fin|final|principio|inicio)(?:es)?\s+de\s+)",
    },
}
YEAR = r"(?:19|20)\d{2}"


def _month_alternation(language: str) -> str:
    dotted = LOCAL_ABBREVIATIONS.get(language, frozenset())
    words = sorted(MONTHS[language], key=len, reverse=True)  # "Sept." is not "Sep" + "t."

    def cases(group: list[str]) -> list[str]:
        if language in LOWER_CASE_MONTHS:
            # "juin", "Juin", "JUIN": any case (case-folded alternation, no global IGNORECASE)
            return [w for word in group for w in (word, word.capitalize(), word.upper())]
        return [w for word in group for w in (word.capitalize(), word.upper())]

    full = "(?:" + "|".join(cases([w for w in words if w not in dotted])) + r")\b\.?"
    if not dotted:
        return full
    return "(?:" + full + "|(?:" + "|".join(cases([w for w in words if w in dotted])) + r")\.)"


def _forms(language: str) -> dict[str, str]:
    c = _LANG[language]
    MONTH = _month_alternation(language)
    DAY = rf"(?:[12]\d|3[01]|0?[1-9]){c['ordinal']}"
    DASH = rf"\s*(?:{c['dash']})\s*"
    AND, DM, MY = c["and"], c["dm"], c["my"]
    forms = {
        # 26 June 2023 - 1 July 2024 / 26 June - 1 July 2023 / du 26 juin au 1er juillet 2023
        "cross": rf"(?P<d1>{DAY}){DM}(?P<m1>{MONTH})(?:{MY}(?P<y1>{YEAR}))?,?{DASH}(?P<d2>{DAY}){DM}(?P<m2>{MONTH}){MY}(?P<y2>{YEAR})",
        # June 26 - July 1, 2023
        "cross_us": rf"(?P<m1>{MONTH})\s+(?P<d1>{DAY}),?(?:\s+(?P<y1>{YEAR}))?{DASH}(?P<m2>{MONTH})\s+(?P<d2>{DAY}),?\s+(?P<y2>{YEAR})",
        # 20-22 October 2020 / from 20 to 22 October 2020 / del 3 al 8 de marzo de 2025
        "days": rf"(?P<d1>{DAY})\s*(?:{AND})\s*(?P<d2>{DAY}){DM}(?P<m1>{MONTH}){MY}(?P<y1>{YEAR})",
        # October 20-22, 2020
        "days_us": rf"(?P<m1>{MONTH})\s+(?P<d1>{DAY})\s*(?:{AND})\s*(?P<d2>{DAY}),?\s+(?P<y1>{YEAR})",
        # 30 January 2025 / 1er janvier 2026 / 3 de marzo de 2025
        "day": rf"(?P<d1>{DAY}){DM}(?P<m1>{MONTH}){MY}(?P<y1>{YEAR})",
        # January 30, 2025
        "day_us": rf"(?P<m1>{MONTH})\s+(?P<d1>{DAY}),\s+(?P<y1>{YEAR})",
        # 2025-01-30 (ISO as printed)
        "iso": rf"(?P<y1>{YEAR})-(?P<mn1>0[1-9]|1[0-2])-(?P<d1>0[1-9]|[12]\d|3[01])",
        # between May and July 2022 / entre mai et juillet 2022 / entre mayo y julio de 2022
        "between_months": rf"(?:[Bb]etween|[Ee]ntre)\s+(?P<m1>{MONTH})\s+(?:and|et|y)\s+(?P<m2>{MONTH}){MY}(?P<y2>{YEAR})",
        # January - March 2021 / January 2020 - March 2021
        "months": rf"(?P<m1>{MONTH})(?:{MY}(?P<y1>{YEAR}))?{DASH}(?:{c['bound']})?(?P<m2>{MONTH}){MY}(?P<y2>{YEAR})",
        # January 2021 - 2025 (a month-year to a year)
        "month_years": rf"(?P<m1>{MONTH}){MY}(?P<y1>{YEAR}){DASH}(?P<y2>{YEAR})",
        # 2021 - March 2025 (a year to a month-year)
        "year_months": rf"(?P<y1>{YEAR}){DASH}(?P<m2>{MONTH}){MY}(?P<y2>{YEAR})",
        # February 2020 / février 2020 / febrero de 2020
        "month": rf"(?P<m1>{MONTH}){MY}(?P<y1>{YEAR})",
        # winter 2023/24, the 2024/2025 season: consecutive years
        "years_slash": rf"(?P<y1>{YEAR})/(?P<y2>{YEAR}|\d{{2}}(?!\d))",
        # 2021-2026, 2025 - 2030, 2021 to 2026, 2021-26, de 2018 à 2022
        "years": rf"(?P<y1>{YEAR}){DASH}(?P<y2>{YEAR}|\d{{2}}(?!\d))",
        # 30 January (year from context)
        "day_noyear": rf"(?P<d1>{DAY})\s*(?:{AND})?\s*(?P<d2>{DAY})?{DM}(?P<m1>{MONTH})",
        # 2019
        "year": rf"(?P<y1>{YEAR})",
    }
    if language != "en":  # month-first US forms are English only
        for k in ("cross_us", "days_us", "day_us"):
            forms.pop(k)
    return forms


_ORDER = (
    "cross",
    "cross_us",
    "days",
    "days_us",
    "day",
    "day_us",
    "iso",
    "between_months",
    "months",
    "month_years",
    "year_months",
    "month",
    "years_slash",
    "years",
    "day_noyear",
    "year",
)


@cache
def grammar(language: str) -> re.Pattern[str]:
    """The date pattern of one language (English for a language without month names here).

    Each alternative gets its own group names ("days_d1"); m.lastgroup names the form that
    matched. The guards keep numbers inside codes and identifiers out ("COVID-19", "Doc.2019").
    """
    forms = _forms(language if language in _LANG else "en")
    return re.compile(
        "|".join(
            rf"(?P<{k}>(?<![\w./-]){forms[k].replace('(?P<', f'(?P<{k}_')}(?![\w/]|\.\d|-\d))"
            for k in _ORDER
            if k in forms
        )
    )


PATTERN = grammar("en")

# A year is a quantity, not a date, before a unit or count ("2000 individuals") or after a
# currency ("USD 2000") or a locator ("paragraph 2019" never occurs, "page 2019" might).
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:individuals|animals|specimens|birds|people|participants|km|km2|ha|hectares|m|metres|meters|"
    r"tonnes|t|kg|USD|EUR|CHF|euros?|dollars?|copies|heads|pairs|%|per\s*cent|"
    r"individus|animaux|oiseaux|personnes|individuos|animales|aves|personas|participantes|dólares|pour\s*cent|por\s*ciento)\b",
    re.I,
)
_NOT_YEAR_BEFORE = re.compile(r"(?:USD|EUR|CHF|US\$|\$|€|£|page|p\.|No\.|number|paragraph|para\.)\s*$", re.I)


# one lookup for all languages: no month word means two different months across en/fr/es
_ALL_MONTHS = {w: n for table in MONTHS.values() for w, n in table.items()}


def _month(word: str | None) -> int | None:
    return _ALL_MONTHS.get(word.rstrip(".").lower()) if word else None


def _day(word: str | None) -> int | None:
    return int(re.sub(r"\D", "", word)) if word else None


def _iso(year: int | str, month: int | None = None, day: int | None = None) -> str | None:
    if isinstance(year, str):  # the missing-year placeholder
        return f"{year}-{month:02d}-{day:02d}" if day else f"{year}-{month:02d}"
    try:
        if day and month:
            return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _interval(a: str | None, b: str | None) -> str | None:
    if not a or not b or b < a:
        return None
    return a if a == b else f"{a}/{b}"


def _group(m: re.Match, kind: str, name: str) -> str | None:
    return m.group(f"{kind}_{name}") if f"{kind}_{name}" in m.re.groupindex else None


def _canonical(m: re.Match, kind: str, context_year: int | None) -> tuple[str | None, dict[str, str]]:
    def g(name: str) -> Any:
        # Each form's pattern guarantees the groups its branch reads; the optional ones are tested.
        return _group(m, kind, name)

    attrs = {"form": kind}
    if kind in ("cross", "cross_us"):
        y2 = int(g("y2"))
        m1, m2 = _month(g("m1")), _month(g("m2"))
        y1 = int(g("y1")) if g("y1") else (y2 if (m1 or 0) <= (m2 or 0) else y2 - 1)
        return _interval(_iso(y1, m1, _day(g("d1"))), _iso(y2, m2, _day(g("d2")))), attrs
    if kind in ("days", "days_us"):
        y, mo = int(g("y1")), _month(g("m1"))
        return _interval(_iso(y, mo, _day(g("d1"))), _iso(y, mo, _day(g("d2")))), attrs
    if kind in ("day", "day_us"):
        return _iso(int(g("y1")), _month(g("m1")), _day(g("d1"))), attrs
    if kind == "iso":
        return _iso(int(g("y1")), int(g("mn1")), int(g("d1"))), attrs
    if kind in ("months", "between_months"):
        y2 = int(g("y2"))
        m1, m2 = _month(g("m1")), _month(g("m2"))
        y1 = int(g("y1")) if g("y1") else (y2 if (m1 or 0) <= (m2 or 0) else y2 - 1)
        return _interval(_iso(y1, m1), _iso(y2, m2)), attrs
    if kind == "month_years":
        return _interval(_iso(int(g("y1")), _month(g("m1"))), g("y2")), attrs
    if kind == "year_months":
        return _interval(g("y1"), _iso(int(g("y2")), _month(g("m2")))), attrs
    if kind == "month":
        return _iso(int(g("y1")), _month(g("m1"))), attrs
    if kind == "years":
        y1, tail = int(g("y1")), g("y2")
        y2 = int(tail) if len(tail) == 4 else (y1 // 100) * 100 + int(tail)
        if not 0 < y2 - y1 <= 50:
            return None, attrs
        return f"{y1}/{y2}", attrs
    if kind == "years_slash":
        y1, tail = int(g("y1")), g("y2")
        y2 = int(tail) if len(tail) == 4 else (y1 // 100) * 100 + int(tail)
        return (f"{y1}/{y2}" if y2 == y1 + 1 else None), attrs
    if kind == "day_noyear":
        year: int | str = context_year if context_year else MISSING_YEAR
        attrs["year_from"] = "block" if context_year else "document"
        mo = _month(g("m1"))
        first = _iso(year, mo, _day(g("d1")))
        second = _iso(year, mo, _day(g("d2"))) if g("d2") else None
        return (_interval(first, second) if second else first), attrs
    if kind == "year":
        return g("y1"), attrs
    return None, attrs


# "between 2023 and 2025", "from May 2021 until March 2024", "entre 2018 et 2022", "desde
# 2018 hasta 2022": two dates that bound one period. Keyed by the opening word.
_BOUND = r"(?:(?:mid|early|late|mi|fin|début)[- ]|the\s+(?:end|beginning|start|middle)\s+of\s+)?"
_RANGE_LEFT = re.compile(rf"\b(?:between|from|entre|depuis|desde)\s+(?:le\s+|el\s+)?{_BOUND}$", re.I)
_RANGE_GAP = {
    "between": re.compile(rf"^\s+and\s+{_BOUND}$", re.I),
    "from": re.compile(rf"^\s+(?:to|until|till|through)\s+{_BOUND}$", re.I),
    "entre": re.compile(rf"^\s+(?:et|y|e)\s+(?:el\s+|le\s+)?{_BOUND}$", re.I),
    "depuis": re.compile(rf"^\s+(?:jusqu'à|jusqu'en|jusqu'au)\s+{_BOUND}$", re.I),
    "desde": re.compile(rf"^\s+(?:hasta|a)\s+(?:el\s+)?{_BOUND}$", re.I),
}
# "mid-2022": same-length rewrite so the year guard (no hyphen before a year) lets it through
_PREFIXED_YEAR = re.compile(r"\b(mid|early|late|mi|fin)-(?=(?:19|20)\d{2}\b)", re.I)


def find_dates(text: str, *, exclude: Sequence[tuple[int, int]] = (), language: str = "en") -> Iterator[Hit]:
    """Dates in ``text`` written in ``language``; spans in ``exclude`` (document codes) are not searched."""
    text = _PREFIXED_YEAR.sub(lambda m: m.group(1) + " ", normalise(text))  # same length: offsets stay valid
    hits = _shared_years(text, list(_find_dates(text, exclude, grammar(language))))
    yield from _merge_ranges(text, hits)


# "15-16 July and 9-11 September 2025", "entre el 5 de enero y el 28 de febrero de 2025": days
# joined to a dated day share its year (the year an earlier date gave the block is no evidence)
_SHARED_YEAR_GAP = re.compile(r"^\s*(?:,|and|&|et|y|e)\s+(?:(?:the|le|el)\s+)?$", re.I)
_ISO_YEAR = re.compile(r"(?:^|(?<=/))(?:\d{4}|" + MISSING_YEAR + r")(?=-)")


def _shared_years(text: str, hits: list[Hit]) -> list[Hit]:
    for i in range(len(hits) - 2, -1, -1):  # from the right: "1 May, 3 June and 9 July 2025"
        a, b = hits[i], hits[i + 1]
        if a.attrs.get("year_from") is None or not _SHARED_YEAR_GAP.match(text[a.end : b.start]):
            continue
        year = b.canonical[:4]
        if not year.isdigit() or b.attrs.get("year_from") == "document":
            continue
        shared = _ISO_YEAR.sub(year, a.canonical)
        if not _valid(shared) or shared.split("/")[-1] > b.canonical.split("/")[0]:
            continue  # "10 December and 5 January 2025": the first is of the year before
        hits[i] = Hit(a.entity_type, a.start, a.end, shared, a.extractor, 1.0, {**a.attrs, "year_from": "shared"})
    return hits


def _valid(iso: str) -> bool:
    try:
        return all(dt.date.fromisoformat(part) for part in iso.split("/"))
    except ValueError:
        return False


# "les saisons 2021-2022 à 2024-2025", "the 2021-2022 to 2024-2025 seasons": a range of seasons
_SEASON = re.compile(r"((?:19|20)\d{2})/((?:19|20)\d{2})")
_SEASON_GAP = re.compile(r"^\s*(?:to|until|through|à|au|a|hasta|-|–)\s+(?:(?:the|la|le|el|celle\s+de)\s+)?$", re.I)


def _season_range(text: str, a: Hit, b: Hit) -> Hit | None:
    first, last = _SEASON.fullmatch(a.canonical), _SEASON.fullmatch(b.canonical)
    if not (first and last and _SEASON_GAP.match(text[a.end : b.start])):
        return None
    if int(first.group(2)) - int(first.group(1)) != 1 or int(last.group(2)) - int(last.group(1)) != 1:
        return None  # seasons span two years; "2018-2020 to 2021-2025" is no such list
    if last.group(1) < first.group(2):
        return None
    return Hit("date", a.start, b.end, f"{first.group(1)}/{last.group(2)}", EXTRACTOR, 1.0, {"form": "season_range"})


def _merge_ranges(text: str, hits: list[Hit]) -> Iterator[Hit]:
    i = 0
    while i < len(hits):
        a = hits[i]
        b = hits[i + 1] if i + 1 < len(hits) else None
        seasons = _season_range(text, a, b) if b is not None else None
        if seasons is not None:
            yield seasons
            i += 2
            continue
        left = _RANGE_LEFT.search(text, 0, a.start)
        if (
            b
            and left
            and "/" not in a.canonical
            and "/" not in b.canonical
            and MISSING_YEAR not in a.canonical + b.canonical
        ):
            word = left.group().split()[0].lower()
            if _RANGE_GAP[word].match(text[a.end : b.start]):
                interval = _interval(a.canonical, b.canonical)
                if interval:
                    yield Hit("date", a.start, b.end, interval, EXTRACTOR, 1.0, {"form": f"{word}_range"})
                    i += 2
                    continue
        yield a
        i += 1


def _find_dates(text: str, exclude, pattern: re.Pattern[str]) -> Iterator[Hit]:
    context_year: int | None = None
    for m in pattern.finditer(text):
        kind = m.lastgroup or ""
        start, end = m.span()
        if any(overlaps(start, end, a, b) for a, b in exclude):
            continue
        if kind in ("year", "years"):
            if _NOT_YEAR_AFTER.match(text, end) or _NOT_YEAR_BEFORE.search(text, 0, start):
                continue
        canonical, attrs = _canonical(m, kind, context_year)
        if canonical is None:
            continue
        years = re.findall(r"\b(?:19|20)\d{2}\b", m.group())
        if years:
            context_year = int(years[-1])
        yield Hit(
            "date", start, end, canonical, EXTRACTOR, confidence=0.8 if MISSING_YEAR in canonical else 1.0, attrs=attrs
        )


@Language.factory(NAME, assigns=["doc._.cami_hits"], requires=["doc._.cami_hits"])
def make_dates(nlp: Language, name: str) -> DatesComponent:
    return DatesComponent(language=nlp.lang or "en")


class DatesComponent:
    def __init__(self, *, language: str = "en"):
        self.language = language

    def __call__(self, doc: Doc) -> Doc:
        hits = hits_of(doc)
        codes = [(h.start, h.end) for h in hits if h.entity_type == "document_code"]
        hits.extend(find_dates(text_of(doc), exclude=codes, language=self.language))
        return doc
