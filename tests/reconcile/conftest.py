"""The corpus parsed and extracted once per session; fresh SQLite stores to save it into."""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS_PDFS


@pytest.fixture(scope="session")
def corpus_extracted():
    """(parsed document, mentions) for every corpus paper, in file-name order."""
    from cami_extract.extract import Extractor
    from cami_extract.parse import parse_pdf

    extractor = Extractor.load()
    out = []
    for pdf in CORPUS_PDFS:
        doc = parse_pdf(pdf)
        out.append((doc, extractor.extract(doc) if doc.language == "en" else []))
    return out
