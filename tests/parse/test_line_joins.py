"""Line ends and cover columns as other typesetters print them (the layout-diverse corpus).

Each case is one a variant in tests/data/variants/ prints; tests/parse/test_variants.py checks the
whole papers, these show the rule on its own.
"""

from cami_extract.model import CharBox
from cami_extract.parse.cover import cover_lines, read_cover
from cami_extract.parse.layout import _drop_hyphen, _join, _symbol_continues
from cami_extract.parse.pdf import Line


def _line(text: str, x0: float = 70.0, top: float = 100.0, advance: float = 5.0) -> Line:
    boxes = [CharBox(2, x0 + i * advance, top, x0 + (i + 1) * advance, top + 10) for i in range(len(text))]
    return Line(2, text, boxes, x0, top, x0 + len(text) * advance, top + 10, 10.0, 0.0)


def test_a_compound_ending_in_an_irregular_participle_keeps_its_hyphen():
    # Raptors paper, word template: "captive-" / "bred birds"; "bred" is nowhere else in the paper
    assert _drop_hyphen("and that captive-", "bred birds", {"captive", "birds"}) is False
    assert _drop_hyphen("trade in wild-", "caught falcons", set()) is False
    # a syllable break before the same letters is still the typesetter's
    assert _drop_hyphen("Restora-", "tion", set()) is True


def test_vice_keeps_its_hyphen():
    assert _drop_hyphen("with a vice-", "chair from", {"chair"}) is False


def test_weasyprint_hyphens_are_dropped_where_the_document_marks_its_breaks():
    lines = [_line("for each activity the essen\u2010"), _line("tial measures", top=112)]
    assert _join(lines, 0, " ", set(), marked_breaks=True)[0] == "for each activity the essential measures"
    # where U+2010 is the document's ordinary hyphen it is decided like "-": "cross-border" stays
    lines = [_line("strengthening cross\u2010"), _line("border cooperation", top=112)]
    assert _join(lines, 0, " ", set(), marked_breaks=False)[0] == "strengthening cross-border cooperation"


def test_a_closed_range_broken_after_its_dash_stays_closed():
    lines = [_line("for the period 2026\u2013"), _line("2028, including", top=112)]
    assert _join(lines, 0, " ")[0] == "for the period 2026\u20132028, including"
    spaced = [_line("on 12 \u2013"), _line("14 March", top=112)]
    assert _join(spaced, 0, " ")[0] == "on 12 \u2013 14 March"


def test_a_symbol_broken_after_its_dot_is_one_symbol():
    assert _symbol_continues("reflected in Document UNEP/CMS/COP14/Doc.", "30.3.1.")
    assert _symbol_continues("documento UNEP/CMS/COP15/Doc.31.4.2/Add.", "1; y c)")
    assert not _symbol_continues("the rights and/or.", "2025 was")
    assert not _symbol_continues("the Secretariat.", "12 Parties")


def test_a_date_beside_the_logo_block_is_read_as_the_issue_date():
    # the html variant's grid cover: the logo's third line and the date share one text line
    row = _line("MIGRATORY", x0=70)
    date = _line("10 June 2025", x0=340)
    text = row.text + " " + date.text
    boxes = [*row.boxes, row.boxes[-1], *date.boxes]
    assert cover_lines(text, boxes) == ["MIGRATORY", "10 June 2025"]
    assert read_cover(cover_lines(text, boxes), []).issue_date == "2025-06-10"
    # justified words are never that far apart
    words = _line("Central Asian Mammals Initiative", advance=5.0)
    assert cover_lines(words.text, words.boxes) == [words.text]


def test_a_word_in_capitals_broken_by_hyphenation_is_joined_unless_a_half_is_a_word():
    # word-cover typesetting of the blind papers: "SÉNÉ-" / "GAL" in a list of Parties in capitals
    assert _drop_hyphen("MAURITANIE, SÉNÉ-", "GAL, Sierra Leone", {"mauritanie", "sierra"}) is True
    assert _drop_hyphen("Permanent Secretariat of ACCO-", "BAMS.", {"permanent", "secretariat"}) is True
    # a half the document uses on its own, or a two-letter half, is a compound's part
    assert _drop_hyphen("the joint CITES-", "CMS programme", {"cites", "cms"}) is False
    assert _drop_hyphen("SAO TOMÉ-", "ET-PRINCIPE, SÉNÉGAL", {"sénégal"}) is False


def test_a_capitalised_word_the_document_prints_whole_elsewhere_is_joined():
    # "UNEP/CMS/Atlantic-" / "Turtles/MOS4/Inf.2": the cover prints the symbol whole
    assert _drop_hyphen("document UNEP/CMS/Atlantic-", "Turtles/MOS4/Inf.2", {"atlanticturtles", "mos4"}) is True
    assert _drop_hyphen("the Ramsar-", "Convention sites", {"ramsar", "convention"}) is False
