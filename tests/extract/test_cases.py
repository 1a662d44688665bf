"""Case tables (tests/extract/cases/*.csv): text -> expected set of canonical values."""

from __future__ import annotations

import pytest
from conftest import load_cases, make_document

TABLES = {
    "dates.csv": "date",
    "codes.csv": "document_code",
    "countries.csv": "country",
    "species.csv": "species",
    "funders.csv": "funder",
}


def _params():
    for table, entity_type in TABLES.items():
        for text, expected, note in load_cases(table):
            yield pytest.param(entity_type, text, expected, id=f"{entity_type}:{note}")


@pytest.mark.parametrize("entity_type, text, expected", list(_params()))
def test_case(extractor, entity_type, text, expected):
    mentions = extractor.extract(make_document(text))
    got = {m.canonical for m in mentions if m.entity_type == entity_type}
    assert got == expected
