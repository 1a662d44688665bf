"""Every corpus paper parses to its reviewed golden file (tests/data/golden/*.json)."""

import json

import pytest

from tests.conftest import CORPUS, ROOT
from tests.data.golden.regenerate import golden

GOLDEN = ROOT / "tests" / "data" / "golden"


@pytest.mark.parametrize("name", sorted(p.stem for p in CORPUS.glob("*.pdf")))
def test_corpus_paper_matches_its_golden(name):
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert golden(CORPUS / f"{name}.pdf") == expected


def test_the_earlier_report_cover_has_its_agenda_item_and_meeting():
    g = json.loads((GOLDEN / "UNEP-CMS-COP14-Doc.28.2.1.json").read_text(encoding="utf-8"))
    assert g["cover"]["symbol"] == "UNEP/CMS/COP14/Doc.28.2.1"
    assert g["cover"]["agenda_item"] == "28.2.1"
    assert g["cover"]["meeting_dates"] == "2024-02-12/2024-02-17"
    assert g["cover"]["meeting_place"] == "Samarkand, Uzbekistan"
    assert [b["label"] for b in g["blocks"] if b["kind"] == "paragraph"] == [str(n) for n in range(1, 20)]


def test_the_information_document_table_becomes_rows_with_cells():
    g = json.loads((GOLDEN / "UNEP-CMS-CAMI3-Inf.2.json").read_text(encoding="utf-8"))
    rows = [b["text"] for b in g["blocks"] if b["kind"] == "table_row"]
    assert rows[0].startswith("Activity | Dates | Place | Funding | Species")
    assert any("Technical Workshop for the Asiatic Wild Ass | 26 June – 1 July 2023" in r for r in rows)


def test_the_french_translation_is_detected_as_french():
    g = json.loads((GOLDEN / "UNEP-CMS-CAMI3-Doc.7-FR.json").read_text(encoding="utf-8"))
    assert g["language"] == "fr"
    assert g["cover"]["symbol"] == "UNEP/CMS/CAMI3/Doc.7"
    assert g["cover"]["meeting_dates"] == "2025-06-24/2025-06-26"


def test_capitalised_party_names_split_at_a_line_end_are_joined():
    # COP15 footnote 3 is typeset "KAZA-" / "KHSTAN" and "UZBEK-" / "ISTAN"; the paper spells
    # both whole elsewhere, so the hyphens are the typesetter's
    g = json.loads((GOLDEN / "UNEP-CMS-COP15-Doc.31.4.2.json").read_text(encoding="utf-8"))
    (fn3,) = [b["text"] for b in g["blocks"] if b["label"] == "fn3"]
    assert "KAZAKHSTAN" in fn3 and "UZBEKISTAN" in fn3 and "-KHSTAN" not in fn3


def test_a_hyphen_between_two_capitalised_words_stays_without_evidence():
    from cami_extract.parse.layout import _drop_hyphen

    assert _drop_hyphen("joint series CITES-", "CMS/ACI2", {"citescms"} - {"citescms"}) is False
    assert _drop_hyphen("KAZA-", "KHSTAN", {"kazakhstan"}) is True
    # a word in capitals with no half the document uses alone is hyphenation (word-cover
    # typesetting, issue 10's papers), unless the pair is a country's name
    assert _drop_hyphen("KAZA-", "KHSTAN", set()) is True
    assert _drop_hyphen("TIMOR-", "LESTE, TOGO", set()) is False
    assert _drop_hyphen("GUINÉE-", "BISSAU, MALI", set()) is False


def test_a_compound_number_keeps_its_hyphen_at_a_line_end():
    from cami_extract.parse.layout import _drop_hyphen

    # the Sharks paper typeset with the `word` variant breaks "Thirty-two" at its hyphen
    assert _drop_hyphen("Thirty-", "two fisheries officers", {"thirty", "officers"}) is False
    assert _drop_hyphen("environ-", "ment", {"environment"}) is True


def test_a_table_over_a_page_break_with_its_header_repeated_is_one_table():
    # the French MOU report's project table: three rows on page 4, its header again on page 5
    g = json.loads((GOLDEN / "UNEP-CMS-WAAM-MOS2-Report-FR.json").read_text(encoding="utf-8"))
    rows = [b for b in g["blocks"] if b["kind"] == "table_row"]
    assert [b["label"] for b in rows] == [f"t1.r{k}" for k in range(1, 9)]
    assert {p for b in rows for p in b["pages"]} == {4, 5}
    assert sum(b["text"].startswith("Projet | Espèces") for b in rows) == 1  # the repeat is not a row
    # the Programme of Work prints three tables over six pages: three tables, not six
    pow_tables = {b["label"].split(".")[0] for b in parse_golden("UNEP-CMS-CAMI-POW-2021-2026")["blocks"] if b["label"]}
    assert {t for t in pow_tables if t.startswith("t")} == {"t1", "t2", "t3"}


def parse_golden(stem):
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


def test_line_end_hyphens_are_decided_on_the_forms_of_the_documents_words():
    from cami_extract.parse.layout import _drop_hyphen

    # "lowlands" elsewhere in the paper: "low-" + "land" is hyphenation of "lowland"
    assert _drop_hyphen("birds of low-", "land woodland", {"lowlands", "low", "land"}) is True
    # both halves are words of the paper, in another gender: a compound adjective
    assert _drop_hyphen("la frontera argentino-", "paraguaya;", {"argentino", "paraguayo"}) is False
    # "-based" after a word of four letters or more is a compound's second half
    assert _drop_hyphen("A drone-", "based survey", set()) is False


def test_a_weasyprint_paper_keeps_a_line_end_hyphen_it_printed_as_a_hyphen():
    # WeasyPrint draws its hyphenation as U+2010; the "net-free" it broke after its own U+002D
    g = parse_golden("UNEP-CMS-Dugong-MOS5-Report")
    from cami_extract.parse import parse_pdf

    html = parse_pdf(ROOT / "tests" / "data" / "variants" / "html" / "UNEP-CMS-Dugong-MOS5-Report.pdf")
    (para,) = [b.text for b in html.blocks if b.label == "16"]
    assert "net-free zones" in para and "net-free zones" in next(b["text"] for b in g["blocks"] if b["label"] == "16")
