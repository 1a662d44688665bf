"""Case tables (tests/extract/cases/*.csv): text -> expected set of canonical values."""

from __future__ import annotations

import pytest
from conftest import load_cases, make_document

TABLES = {
    "dates": "date",
    "codes": "document_code",
    "countries": "country",
    "species": "species",
    "funders": "funder",
}
# English tables are <family>.csv; French and Spanish ones <family>_fr.csv, <family>_es.csv
LANGUAGES = {"en": "", "fr": "_fr", "es": "_es"}


def _params():
    for table, entity_type in TABLES.items():
        for language, suffix in LANGUAGES.items():
            for text, expected, note in load_cases(f"{table}{suffix}.csv"):
                yield pytest.param(entity_type, language, text, expected, id=f"{entity_type}:{language}:{note}")


@pytest.mark.parametrize("entity_type, language, text, expected", list(_params()))
def test_case(extractor, entity_type, language, text, expected):
    mentions = extractor.extract(make_document(text, language=language))
    got = {m.canonical for m in mentions if m.entity_type == entity_type}
    assert got == expected
