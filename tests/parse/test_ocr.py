"""Scans: a page with no text layer is read by OCR, keeps its boxes and says so.

The scans are made from a corpus page (tests/conftest.py: pdftoppm renders it, Pillow wraps the
image in a PDF with no text layer), so the original text layer is the truth to compare with.
"""

from __future__ import annotations

import difflib
import re

import pytest

from cami_extract.errors import NoTextLayer
from cami_extract.parse import parse_pdf
from cami_extract.parse.ocr import is_noisy, wordlike_share
from tests.conftest import SEED_PDF, needs_ocr_tools

pytestmark = needs_ocr_tools
ENGINE = re.compile(r"^tesseract \d+\.\d+")


@pytest.fixture(scope="module")
def scanned_doc(scanned_page):
    return parse_pdf(scanned_page)


def _words(text: str) -> list[str]:
    return text.replace("-\n", "").split()


def test_an_image_only_page_is_read_by_ocr_with_its_boxes(scanned_doc):
    import pdfplumber

    with pdfplumber.open(SEED_PDF) as pdf:
        page = pdf.pages[2]
        original = page.extract_text()
        width, height = page.width, page.height
    doc = scanned_doc
    ocr_text = " ".join(b.text for b in doc.blocks)
    similarity = difflib.SequenceMatcher(None, _words(original), _words(ocr_text), autojunk=False).ratio()
    assert similarity >= 0.9, similarity
    assert doc.pages[0].source == "ocr" and not doc.pages[0].needs_ocr
    assert doc.blocks and all(b.source == "ocr" and 0.5 < (b.ocr_confidence or 0) <= 1 for b in doc.blocks)
    for b in doc.blocks:
        assert len(b.chars) == len(b.text)
        assert all(c.page == 1 and 0 <= c.x0 <= c.x1 <= width and 0 <= c.top <= c.bottom <= height for c in b.chars)
    # a word's chars share the word's OCR box, split evenly: a mention still resolves to a bbox
    (block,) = [b for b in doc.blocks if "Restoration" in b.text][:1]
    start = block.text.index("Restoration")
    ((page_no, (x0, top, x1, bottom)),) = block.locate(start, start + len("Restoration"))
    assert page_no == 1 and x1 - x0 > 20 and bottom - top > 5


def test_every_ocr_block_and_page_names_the_engine_its_languages_and_its_confidence(scanned_doc):
    doc = scanned_doc
    assert doc.ocr_pages == 1
    (page,) = doc.pages
    assert ENGINE.match(page.ocr_engine or "") and page.ocr_languages == "eng+fra+spa"
    assert 0.5 < (page.ocr_confidence or 0) <= 1
    for b in doc.blocks:
        assert (b.source, b.ocr_engine, b.ocr_languages) == ("ocr", page.ocr_engine, "eng+fra+spa")


def test_a_paper_with_one_scanned_page_says_which_blocks_came_from_ocr(partly_scanned):
    doc = parse_pdf(partly_scanned)
    assert [p.source for p in doc.pages] == ["text_layer", "text_layer", "ocr"] and doc.ocr_pages == 1
    assert doc.cover.symbol == "UNEP/CMS/CAMI3/Doc.7"
    on_text = [b for b in doc.blocks if 3 not in b.pages]
    on_scan = [b for b in doc.blocks if 3 in b.pages]
    assert on_text and on_scan
    assert all((b.source, b.ocr_engine, b.ocr_confidence) == ("text_layer", None, None) for b in on_text)
    for b in on_scan:  # paragraph 5 runs from page 2 onto the scan: one OCR'd char makes an ocr block
        assert b.source == "ocr" and ENGINE.match(b.ocr_engine or "") and 0.5 < (b.ocr_confidence or 0) <= 1
        ocr_chars = [c for c in b.chars if c.page == 3]
        assert ocr_chars and all(0 <= c.x0 <= c.x1 <= doc.pages[2].width for c in ocr_chars)
    assert any(b.label == "5" for b in on_scan)


def test_with_ocr_never_an_image_only_file_is_still_E106(scanned_page):
    with pytest.raises(NoTextLayer):
        parse_pdf(scanned_page, ocr="never")


def test_a_text_layer_of_ocr_noise_is_flagged_not_trusted():
    clean = "The Secretariat reported on the implementation of the Programme of Work in Central Asia. " * 5
    noise = "A8RDAeBcICem-CbHeINr E19S7E8 UNITED ATIO S R NSL ION nFE HCJlOBKE £J1 M£J 1M XIP H.MMAE " * 5
    assert wordlike_share(clean) > 0.95 and not is_noisy(clean)
    assert is_noisy(noise)
