"""The tokenizer's one change to spaCy's defaults, shared by the three pipelines.

spaCy keeps the final full stop on a word that ends in a capital after a small letter
("paid for by BfN.", "a loan from KfW."), as if it were an abbreviation like "U.S."; such a
word is an acronym, and a name reader that sees "BfN." sees no name. The stop is split off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_suffix_regex

# a final stop after a capital that follows a small letter (camel-case acronyms: BfN, KfW, SwAM)
ACRONYM_STOP = r"(?<=[a-z][A-Z])\."
NAME = "cami.acronym_stops.v1"


def split_acronym_stops(nlp: Language) -> Language:
    tokenizer = cast(Tokenizer, nlp.tokenizer)  # spaCy's own class in every pipeline here
    tokenizer.suffix_search = compile_suffix_regex([*(nlp.Defaults.suffixes or ()), ACRONYM_STOP]).search
    return nlp


@spacy.registry.callbacks(NAME)
def make_split_acronym_stops() -> Callable[[Language], Language]:
    return split_acronym_stops
