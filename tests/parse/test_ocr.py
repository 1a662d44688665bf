"""Scans: a page with no text layer is read by OCR, keeps its boxes and says so.

The scan is made here from a corpus page (pdftoppm renders it, Pillow wraps the image in a PDF
with no text layer), so the original text layer is the truth to compare with.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess

import pytest

from cami_extract.errors import NoTextLayer
from cami_extract.parse import parse_pdf
from cami_extract.parse.ocr import is_noisy, wordlike_share
from tests.conftest import SEED_PDF

pytestmark = pytest.mark.skipif(
    not (shutil.which("tesseract") and shutil.which("pdftoppm")), reason="tesseract-ocr / poppler-utils not installed"
)
SCAN_DPI = 200  # a typical office scanner setting


@pytest.fixture(scope="module")
def scanned_page(tmp_path_factory):
    from PIL import Image

    tmp = tmp_path_factory.mktemp("scan")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(SCAN_DPI),
            "-f",
            "3",
            "-l",
            "3",
            "-gray",
            "-png",
            "-singlefile",
            str(SEED_PDF),
            str(tmp / "p3"),
        ],
        check=True,
    )
    pdf = tmp / "seed-page-3-scanned.pdf"
    Image.open(tmp / "p3.png").save(pdf, resolution=SCAN_DPI)
    return pdf


def _words(text: str) -> list[str]:
    return text.replace("-\n", "").split()


def test_an_image_only_page_is_read_by_ocr_with_its_boxes(scanned_page):
    import pdfplumber

    with pdfplumber.open(SEED_PDF) as pdf:
        page = pdf.pages[2]
        original = page.extract_text()
        width, height = page.width, page.height
    doc = parse_pdf(scanned_page)
    ocr_text = " ".join(b.text for b in doc.blocks)
    similarity = difflib.SequenceMatcher(None, _words(original), _words(ocr_text), autojunk=False).ratio()
    assert similarity >= 0.9, similarity
    assert doc.pages[0].ocr and not doc.pages[0].needs_ocr
    assert doc.blocks and all(b.source == "ocr" and 0.5 < (b.ocr_confidence or 0) <= 1 for b in doc.blocks)
    for b in doc.blocks:
        assert len(b.chars) == len(b.text)
        assert all(c.page == 1 and 0 <= c.x0 <= c.x1 <= width and 0 <= c.top <= c.bottom <= height for c in b.chars)
    # a word's chars share the word's OCR box, split evenly: a mention still resolves to a bbox
    (block,) = [b for b in doc.blocks if "Restoration" in b.text][:1]
    start = block.text.index("Restoration")
    ((page_no, (x0, top, x1, bottom)),) = block.locate(start, start + len("Restoration"))
    assert page_no == 1 and x1 - x0 > 20 and bottom - top > 5


def test_with_ocr_never_an_image_only_file_is_still_E106(scanned_page):
    with pytest.raises(NoTextLayer):
        parse_pdf(scanned_page, ocr="never")


def test_a_text_layer_of_ocr_noise_is_flagged_not_trusted():
    clean = "The Secretariat reported on the implementation of the Programme of Work in Central Asia. " * 5
    noise = "A8RDAeBcICem-CbHeINr E19S7E8 UNITED ATIO S R NSL ION nFE HCJlOBKE £J1 M£J 1M XIP H.MMAE " * 5
    assert wordlike_share(clean) > 0.95 and not is_noisy(clean)
    assert is_noisy(noise)
