"""Month names per language, written once: the date grammar of the extractors reads them.

Keys are lower-case as printed (accents kept, and the unaccented forms a PDF without
accents gives); values are month numbers. English abbreviations take an optional dot in
the grammar. Sources: CLDR month names (en, fr, es) as used by every locale library.
"""

from __future__ import annotations

MONTHS: dict[str, dict[str, int]] = {
    "en": {
        "january": 1,
        "february": 2,
        "march": 3,
        "april": 4,
        "may": 5,
        "june": 6,
        "july": 7,
        "august": 8,
        "september": 9,
        "october": 10,
        "november": 11,
        "december": 12,
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    },
    "fr": {
        "janvier": 1,
        "février": 2,
        "fevrier": 2,
        "mars": 3,
        "avril": 4,
        "mai": 5,
        "juin": 6,
        "juillet": 7,
        "août": 8,
        "aout": 8,
        "septembre": 9,
        "octobre": 10,
        "novembre": 11,
        "décembre": 12,
        "decembre": 12,
        # CLDR abbreviated forms (tables print "nov. 2022 – févr. 2023"): read with their dot only
        "janv": 1,
        "févr": 2,
        "fevr": 2,
        "avr": 4,
        "juil": 7,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "déc": 12,
        "dec": 12,
    },
    "es": {
        "enero": 1,
        "febrero": 2,
        "marzo": 3,
        "abril": 4,
        "mayo": 5,
        "junio": 6,
        "julio": 7,
        "agosto": 8,
        "septiembre": 9,
        "setiembre": 9,
        "octubre": 10,
        "noviembre": 11,
        "diciembre": 12,
        # CLDR abbreviated forms, read with their dot only ("mar." is not "mar", the sea)
        "ene": 1,
        "feb": 2,
        "mar": 3,
        "abr": 4,
        "may": 5,
        "jun": 6,
        "jul": 7,
        "ago": 8,
        "sept": 9,
        "sep": 9,
        "oct": 10,
        "nov": 11,
        "dic": 12,
    },
}

# Languages whose month names are written in lower case ("3 mars 2025", "3 de marzo de 2025");
# English month names must be capitalised ("May 2020", never "may 2020").
LOWER_CASE_MONTHS = frozenset({"fr", "es"})
LANGUAGES = tuple(MONTHS)
# English abbreviations: the extractors' date grammar reads them; a cover prints full names.
ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
# French and Spanish abbreviations: the grammar reads them only with their dot ("févr.", "ene.")
LOCAL_ABBREVIATIONS = {
    "fr": frozenset({"janv", "févr", "fevr", "avr", "juil", "sept", "oct", "nov", "déc", "dec"}),
    "es": frozenset({"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "sep", "oct", "nov", "dic"}),
}


def full_names() -> dict[str, int]:
    """Every language's full month names (no abbreviations), one table: "june", "juin", "junio" -> 6."""
    # per language: Spanish "may." is an abbreviation, English "May" a full name
    short = {lang: ABBREVIATIONS | LOCAL_ABBREVIATIONS.get(lang, frozenset()) for lang in MONTHS}
    return {name: n for lang, names in MONTHS.items() for name, n in names.items() if name not in short[lang]}


def month_number(word: str, language: str = "en") -> int | None:
    """ "Juin" -> 6 in French; None when the word is no month name of that language."""
    return MONTHS.get(language, MONTHS["en"]).get(word.rstrip(".").lower())
