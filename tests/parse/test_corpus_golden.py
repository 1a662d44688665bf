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
