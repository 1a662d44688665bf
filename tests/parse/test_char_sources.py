"""PLAYA (the default) and pdfplumber (the reference) give the same chars, blocks and tables."""

from pathlib import Path

import pytest

from cami_extract.parse import parse_pdf
from cami_extract.parse.chars import MIN_TABLE_EDGES, PdfplumberSource, PlayaSource
from cami_extract.parse.pdf import _table_rows
from tests.conftest import CORPUS_PDFS, HOSTILE, SHARED

# Boxes may differ this much between the two sources (the bar; the corpus differs by < 0.01).
BOX_TOLERANCE = 1.0
REAL_PDFS = SHARED / "real-pdfs"
CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "fontname", "size", "page_number")


def _chars(source) -> list[dict]:
    with source:
        return [c for page in source.pages() for c in page.chars]


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.stem)
def test_playa_gives_pdfplumbers_chars_in_order(pdf):
    ours, reference = _chars(PlayaSource(pdf)), _chars(PdfplumberSource(pdf))
    assert len(ours) == len(reference)
    for a, b in zip(ours, reference):
        assert set(CHAR_KEYS) <= set(a)
        assert (a["text"], a["fontname"], a["page_number"]) == (b["text"], b["fontname"], b["page_number"])
        for key in ("x0", "x1", "top", "bottom", "size"):
            assert abs(a[key] - b[key]) <= BOX_TOLERANCE, (key, a, b)


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.stem)
def test_both_sources_give_the_same_blocks_and_boxes(pdf):
    ours, reference = parse_pdf(pdf, char_source="playa"), parse_pdf(pdf, char_source="pdfplumber")
    assert [(b.kind, b.label, b.text) for b in ours.blocks] == [(b.kind, b.label, b.text) for b in reference.blocks]
    assert ours.cover == reference.cover and ours.language == reference.language
    for a, b in zip(ours.blocks, reference.blocks):
        for ca, cb in zip(a.chars, b.chars):
            assert ca.page == cb.page
            assert (
                max(abs(ca.x0 - cb.x0), abs(ca.top - cb.top), abs(ca.x1 - cb.x1), abs(ca.bottom - cb.bottom))
                <= BOX_TOLERANCE
            )


def _pages_with_tables(pdf: Path) -> set[int]:
    with PdfplumberSource(pdf) as source:
        return {
            page.number
            for page in source.pages()
            if page.ruled
            and any(len(_table_rows(t, page.number)) >= 2 for t in source.table_page(page.number).find_tables())
        }


@pytest.mark.slow
@pytest.mark.parametrize("pdf", CORPUS_PDFS + sorted(REAL_PDFS.glob("*.pdf")), ids=lambda p: p.stem)
def test_playa_marks_every_page_on_which_pdfplumber_finds_a_table(pdf):
    with PlayaSource(pdf) as source:
        ruled = {page.number for page in source.pages() if page.ruled}
    assert _pages_with_tables(pdf) <= ruled


@pytest.mark.slow
@pytest.mark.parametrize("pdf", CORPUS_PDFS + sorted(REAL_PDFS.glob("*.pdf")), ids=lambda p: p.stem)
def test_playa_gives_pdfplumbers_picture_boxes(pdf):
    # The parser opens pdfplumber's page for pixels only where PLAYA saw a glyph-sized picture.
    with PlayaSource(pdf) as playa, PdfplumberSource(pdf) as plumber:
        for ours, reference in zip(playa.pages(), plumber.pages(), strict=True):
            assert len(ours.image_boxes) == len(reference.image_boxes)
            for a, b in zip(sorted(ours.image_boxes), sorted(reference.image_boxes), strict=True):
                assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= BOX_TOLERANCE


def _kept_tables(page, number: int) -> list[list[tuple[str, float]]]:
    """The tables the parser keeps on a page (two rows or more), as (text, top) per row."""
    if len(page.edges) < MIN_TABLE_EDGES:
        return []
    tables = [[(r.text, round(r.top, 1)) for r in _table_rows(t, number)] for t in page.find_tables()]
    return [t for t in tables if len(t) >= 2]


def _ruled_pages_that_differ(pdf: Path) -> tuple[int, int]:
    with PlayaSource(pdf) as playa, PdfplumberSource(pdf) as plumber:
        ruled = [p for p in playa.pages() if p.ruled]
        differ = sum(
            _kept_tables(playa.ruled_page(p), p.number) != _kept_tables(plumber.table_page(p.number), p.number)
            for p in ruled
        )
    return differ, len(ruled)


@pytest.mark.slow
@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.stem)
def test_tables_found_on_playas_rules_are_pdfplumbers_tables(pdf):
    assert _ruled_pages_that_differ(pdf)[0] == 0


@pytest.mark.slow
def test_on_real_papers_tables_from_playas_rules_differ_on_almost_no_page():
    # pdfplumber also makes edges of Bezier control points; on 202 ruled pages of corpus/ and
    # real-pdfs/ that changed the kept tables of 3: two landscape tables of rotated text (the
    # same rows, glyphs ordered differently) and a map read as a table by PLAYA's rules only.
    differ = total = 0
    for pdf in sorted(REAL_PDFS.glob("*.pdf")):
        d, n = _ruled_pages_that_differ(pdf)
        differ, total = differ + d, total + n
    assert total > 100 and differ <= 0.02 * total


def test_a_file_playa_repairs_is_read_by_the_reference_and_keeps_its_coded_error():
    # PLAYA reads on through the self-referencing /Length (logging each try, for ever); pdfminer
    # stops with a RecursionError, E111. The first complaint hands the file to pdfplumber.
    from cami_extract.parse.sandbox import parse_one

    failure = parse_one(str(HOSTILE / "length-self-ref.pdf"), "sha", char_source="playa")
    assert (failure.stage, failure.error_code) == ("parse", "E111")


def test_an_unknown_char_source_is_refused():
    with pytest.raises(ValueError, match="char source"):
        parse_pdf(CORPUS_PDFS[0], char_source="pdfium")
