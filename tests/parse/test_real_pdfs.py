"""The parser on real third-party PDFs, scored against goldens written blind from the pages.

The PDFs are test fixtures kept outside the repository (../shared/real-pdfs/, see its
SOURCES.md); the goldens and their before-tuning figures are in tests/data/real/. The figures
this test holds the parser to are the ones measured when it was written: it fails when a
change loses ground. Print them with `python tests/parse/real_score.py --verbose`.
"""

from __future__ import annotations

import pytest

from tests.parse.real_score import PDF_DIR, goldens, score_all, summary

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PDF_DIR.is_dir(), reason=f"{PDF_DIR} is absent: the real PDFs are not in this checkout"),
]
# the issue's target; measured 212/212 = 1.00 on 2026-12-01 (issue 14)
MIN_FOUND = 0.95


@pytest.fixture(scope="module")
def scores():
    return score_all()


def test_every_golden_has_its_pdf():
    assert goldens() and all((PDF_DIR / g["file"]).is_file() for g in goldens())


def test_numbered_paragraphs_and_footnotes_are_found(scores):
    t = summary(scores)
    assert t["found"] >= MIN_FOUND, [m for s in scores for m in s.missed]


def test_symbols_and_issue_dates_are_right(scores):
    assert [s.stem for s in scores if not s.symbol_right] == []
    assert [s.stem for s in scores if not s.date_right] == []


def test_no_furniture_inside_blocks_and_no_invented_labels(scores):
    assert [leak for s in scores for leak in s.leaks] == []
    assert [label for s in scores for label in s.invented_labels] == []
