"""The seed paper, typeset from the real CAMI report, parses back to its own text."""

import pytest

from cami_extract.model import FOOTNOTE, PARAGRAPH
from tests.conftest import seed_expected_texts

EXPECTED = seed_expected_texts()


def test_the_seed_has_26_numbered_paragraphs_and_two_footnotes(seed_parsed):
    labels = [b.label for b in seed_parsed.blocks if b.kind == PARAGRAPH]
    notes = [b.label for b in seed_parsed.blocks if b.kind == FOOTNOTE]
    assert labels == [str(n) for n in range(1, 27)]
    assert notes == ["fn1", "fn2"]


@pytest.mark.parametrize("label", sorted(EXPECTED, key=lambda k: (k.startswith("fn"), int(k.lstrip("fn")))))
def test_each_block_has_exactly_the_seed_text(seed_parsed, label):
    got = {b.label: b.text for b in seed_parsed.blocks if b.label}
    assert got[label] == EXPECTED[label]


def test_no_running_header_or_page_number_leaks_into_body(seed_parsed):
    for b in seed_parsed.blocks:
        if b.kind in (PARAGRAPH, FOOTNOTE):
            assert "UNEP/CMS/CAMI3/Doc.7" not in b.text
    assert all(p.header == "UNEP/CMS/CAMI3/Doc.7" for p in seed_parsed.pages[1:])
    assert [p.footer for p in seed_parsed.pages[1:]] == [str(n) for n in range(2, seed_parsed.page_count + 1)]


def test_paragraph_5_continues_across_the_page_with_footnotes_removed(seed_parsed):
    p5 = next(b for b in seed_parsed.blocks if b.label == "5")
    assert p5.pages == [2, 3]
    assert "CAMI species" not in p5.text and "Range States (CMS Parties" not in p5.text


def test_superscripts_neither_glue_nor_vanish(seed_parsed):
    by_label = {b.label: b.text for b in seed_parsed.blocks}
    assert "the 11th Meeting of the Conference" in by_label["1"]  # ordinal kept with its number
    assert "15 CAMI species covered by CAMI that occur in 14 Range States." in by_label["2"]  # note refs gone
    assert "species1" not in by_label["2"] and "States2" not in by_label["2"]


def test_line_end_hyphenation_is_repaired_and_real_hyphens_kept(seed_parsed):
    by_label = {b.label: b.text for b in seed_parsed.blocks}
    assert "Central Asian Mammals Initiative (CAMI)" in by_label["1"]
    assert "cross-cutting activities" in by_label["24"]
    assert "UNEP/CMS/ScC-SC5/Outcome 7" in by_label["17"]  # a symbol broken after a slash


def test_every_char_maps_to_its_page_and_box(seed_parsed):
    for b in seed_parsed.blocks:
        assert len(b.chars) == len(b.text)
    p5 = next(b for b in seed_parsed.blocks if b.label == "5")
    start = p5.text.index("Restoration of the Bukhara Deer")
    [(page, (x0, top, x1, bottom))] = p5.locate(start, start + len("Restoration"))
    assert page in (2, 3) and x0 < x1 and top < bottom


def test_cover_metadata(seed_parsed):
    c = seed_parsed.cover
    assert c.symbol == "UNEP/CMS/CAMI3/Doc.7" == c.header_symbol
    assert c.issue_date == "2025-06-02"
    assert c.original_language == "English"
    assert c.meeting == "THIRD RANGE STATE MEETING OF THE CMS CENTRAL ASIAN MAMMALS INITIATIVE (CAMI)"
    assert (c.meeting_place, c.meeting_dates) == ("Tashkent, Uzbekistan", "2025-06-24/2025-06-26")
    assert c.title == "REPORT OF THE SECRETARIAT"
    assert seed_parsed.language == "en"
