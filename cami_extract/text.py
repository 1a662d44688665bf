"""Text helpers shared by the extractors, the evaluator and the reconciler (no spaCy at import).

Every normalisation here maps one character to one character, so an offset into the
normalised text is an offset into the block text: provenance survives normalisation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .safe_text import clean

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Typographic variants that PDFs and Word produce for the same ASCII character. Gazetteers
# are written in ASCII; "People’s" and "People's", "24 – 26" and "24-26" must look alike.
_ONE_TO_ONE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200a": " ",
    }
)


def normalise(text: str) -> str:
    """Same-length normalisation of quotes, dashes and spaces; control characters and lone
    surrogates (which spaCy cannot encode) become U+FFFD, as the store writes them."""
    out = clean(text.translate(_ONE_TO_ONE))
    assert len(out) == len(text)
    return out


def squash(text: str) -> str:
    """Collapse runs of whitespace; used for canonical strings, never for offsets."""
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """Lookup key: normalised, lower-cased, whitespace squashed."""
    return squash(normalise(text)).lower()


def strip_accents(text: str) -> str:
    """Same-length: each precomposed letter becomes its base letter ("Âne" -> "Ane", "saïga" ->
    "saiga"), so a French or Spanish name matches whether or not the PDF kept its accents."""
    out = "".join(unicodedata.normalize("NFD", c)[0] for c in text)
    assert len(out) == len(text)
    return out


def fold_accents(text: str) -> str:
    """Lookup key for French and Spanish names: folded and without accents."""
    return strip_accents(fold(text))


def is_all_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def phrase_patterns(nlp: Language, phrases: Iterable[str]) -> list[Doc]:
    """Phrases tokenised as the pipeline tokenises text, for a PhraseMatcher (no pipeline run).

    A phrase with an apostrophe is given with the typographic one too ("République fédérale
    d’Allemagne", "Office fédéral de l’environnement"): the matcher compares the printed
    tokens, and French and Spanish papers print U+2019 (lookups fold it back)."""
    phrases = list(phrases)
    phrases += [p.replace("'", "\u2019") for p in phrases if "'" in p]
    tokenizer = nlp.tokenizer
    return list(tokenizer.pipe(phrases)) if hasattr(tokenizer, "pipe") else [tokenizer(p) for p in phrases]
