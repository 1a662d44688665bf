"""Document codes in French and Spanish papers, read with the English grammar of codes.py.

"Résolution 11.24 (Rev.COP13)", "Decisión 13.24", "Décisions 13.113 à 13.116": the keyword
words of the language are rewritten into their English form in a copy of the text that keeps
every offset (the English word padded with spaces, or an abbreviation where English is
longer, from patterns/code_words_fr_es.csv), and codes.find_codes reads the copy. The
canonical value is therefore the English one whatever the language; the grammar itself is
written once, in codes.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import PatternFileError
from ..text import normalise
from .codes import find_codes
from .gazetteer import PATTERNS, _rows
from .hits import Hit, hits_of, text_of

# bump when the behaviour changes (its mentions carry codes.EXTRACTOR: the grammar is that one);
# v2 with codes v3
VERSION = 5  # v5: the next number after a topic (codes.v6); v4: Roman meeting numbers and PNUMA/PNUE symbols (codes.v5); v3: the French "Rév." revision (codes.v4)
NAME = f"cami_codes_i18n_v{VERSION}"  # the registered factory
# words that join numbers ("à", "y") are rewritten only between two code numbers or
# sub-paragraphs, into the one-character separator the English grammar also reads
_JOINERS = {"to": "-", "and": ",", "or": ","}
_NUMBER = r"(?:\d{1,2}\.(?:\d{1,3}|[A-Z]{1,3})|[a-z]{1,4}\))"


@cache
def _rewriter(language: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, dict[str, str]]:
    keywords: dict[str, str] = {}
    joiners: dict[str, str] = {}
    for row in _rows("code_words_fr_es.csv", ("language", "word", "english", "note")):
        if row["language"] != language:
            continue
        word, english = row["word"], row["english"]
        if english in _JOINERS:
            joiners[word.lower()] = _JOINERS[english]
            continue
        if len(english) > len(word):
            raise PatternFileError(
                f"code_words_fr_es.csv: {english!r} is longer than {word!r}; offsets would move. "
                f"Use the English abbreviation.",
                path=str(PATTERNS / "code_words_fr_es.csv"),
            )
        keywords[word.lower()] = english
    table = {**keywords, **joiners}
    kw = (
        re.compile(
            r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(keywords, key=len, reverse=True)) + r")(?!\w)", re.I
        )
        if keywords
        else None
    )
    jn = (
        re.compile(rf"({_NUMBER}\s+)(" + "|".join(re.escape(w) for w in joiners) + rf")(?=\s+{_NUMBER})", re.I)
        if joiners
        else None
    )
    return kw, jn, table


def english_rendering(text: str, language: str) -> str:
    """Same length as ``text``: "Décisions 13.113 à 13.116" -> "Decisions 13.113 - 13.116", so
    offsets into the rendering are offsets into the text."""
    kw, jn, table = _rewriter(language)
    out = normalise(text)

    def pad(word: str, english: str) -> str:
        return english + " " * (len(word) - len(english))

    if kw is not None:
        out = kw.sub(lambda m: pad(m.group(1), table[m.group(1).lower()]), out)
    if jn is not None:
        out = jn.sub(lambda m: m.group(1) + pad(m.group(2), table[m.group(2).lower()]), out)
    assert len(out) == len(text)
    return out


def find_codes_in(text: str, language: str) -> Iterator[Hit]:
    yield from find_codes(english_rendering(text, language) if language != "en" else text)


@Language.factory(NAME, assigns=["doc._.cami_hits"], requires=[])
def make_codes_i18n(nlp: Language, name: str) -> CodesI18nComponent:
    return CodesI18nComponent(language=nlp.lang or "en")


class CodesI18nComponent:
    def __init__(self, *, language: str):
        self.language = language

    def __call__(self, doc: Doc) -> Doc:
        hits_of(doc).extend(find_codes_in(text_of(doc), self.language))
        return doc
