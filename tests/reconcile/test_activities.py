"""Claims read from the stored papers, like a reader would: one case per kind of paragraph."""

from __future__ import annotations

import pytest

from cami_extract.reconcile.activities import ClaimReader, ReportView

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def claims(corpus_extracted):
    out = {}
    for doc, mentions in corpus_extracted:
        if doc.language == "en":
            run = ClaimReader().read(ReportView.of(doc, mentions))
            out[doc.cover.symbol] = run
    return out


def _primary(claims, symbol, paragraph, index=0):
    found = [c for c in claims[symbol].claims if c.source.paragraph == paragraph and not c.reference]
    return found[index]


def test_a_meeting_paragraph_gives_its_own_dates_place_ordinal_and_outputs(claims):
    c = _primary(claims, "UNEP/CMS/CAMI3/Doc.7", "8")
    assert (c.type, c.start, c.end, c.city, c.country, c.status, c.ordinal) == (
        "meeting", "2022-09-20", "2022-09-22", "Tbilisi", "GEO", "done", 1,
    )  # fmt: skip
    assert c.outputs == ["UNEP/CMS/PL-RS1/Outcome"]
    assert "Panthera pardus saxicolor" in c.species


def test_the_activity_date_is_not_the_period_of_a_document_it_adopted(claims):
    # paragraph 5: held 20-22 October 2020; endorsed the "Programme of Work ... 2021-2026"
    c = _primary(claims, "UNEP/CMS/CAMI3/Doc.7", "5")
    assert (c.type, c.start, c.end, c.city) == ("workshop", "2020-10-20", "2020-10-22", "online")


def test_background_and_summary_paragraphs_give_no_claim(claims):
    seed = claims["UNEP/CMS/CAMI3/Doc.7"]
    primaries = {c.source.paragraph for c in seed.claims if not c.reference}
    assert not primaries & {"1", "2", "4", "22", "23", "24", "25", "26"}
    assert seed.skipped["background_section"] >= 5


def test_a_background_paragraph_opening_with_a_numbered_meeting_on_given_days_reports_it(claims):
    # seed 3 "The 3rd Meeting of Range States to CAMI is organized ... in Tashkent, Uzbekistan,
    # 24-26 June 2025"; seed 2 ("revised by the 2nd Meeting ... in 2019") stays background
    c = _primary(claims, "UNEP/CMS/CAMI3/Doc.7", "3")
    assert (c.type, c.start, c.end, c.city, c.ordinal) == ("meeting", "2025-06-24", "2025-06-26", "Tashkent", 3)
    assert [f.funder for f in c.funders] == ["International Climate Initiative"]


def test_a_paragraph_reporting_two_activities_gives_two_claims(claims):
    signed = _primary(claims, "UNEP/CMS/CAMI3/Doc.7", "13", 0)
    meeting = _primary(claims, "UNEP/CMS/CAMI3/Doc.7", "13", 1)
    assert (signed.type, signed.start) == ("agreement", None)
    assert (meeting.type, meeting.start, meeting.city) == ("meeting", "2025-03-11", "Astana")


def test_funders_with_amounts_and_pow_references(claims):
    camels = _primary(claims, "UNEP/CMS/COP15/Doc.31.4.2", "14")
    assert ("Darwin Initiative", "GBP 38,000") in [(f.funder, f.amount) for f in camels.funders]
    study = _primary(claims, "UNEP/CMS/CAMI3/Doc.7", "19")
    assert study.pow_refs == ["31.1", "31.2"]


def test_a_plan_row_is_typed_by_its_verb_and_numbered(claims):
    pow_claims = claims["UNEP/CMS/COP13/Doc.26.4.3/Annex"].claims
    row = next(c for c in pow_claims if c.number == "19.1")
    assert (row.type, row.plan, row.status, row.pow_implements) == ("meeting", True, "planned", ["19.1"])


def test_names_in_passing_are_reference_claims(claims):
    refs = [c.title for c in claims["UNEP/CMS/CAMI3/Doc.7"].claims if c.reference and c.source.paragraph == "4"]
    assert "Consultative Meeting on the Saiga Antelope" in refs


def _references(claims, symbol, paragraph):
    return [c for c in claims[symbol].claims if c.source.paragraph == paragraph and c.reference]


def test_a_counted_reference_is_resolved_to_the_paragraphs_the_place_or_donor_picks_out(claims):
    # seed 15 "the two Meetings in Almaty" -> 11 and 12; seed 4 "two IKI projects" -> 20 and 21
    almaty = [c for c in _references(claims, "UNEP/CMS/CAMI3/Doc.7", "15") if c.cites]
    assert [(c.type, c.cites) for c in almaty] == [
        ("meeting", ["UNEP/CMS/CAMI3/Doc.7|11"]), ("meeting", ["UNEP/CMS/CAMI3/Doc.7|12"]),
    ]  # fmt: skip
    iki = [c.cites for c in _references(claims, "UNEP/CMS/CAMI3/Doc.7", "4") if c.cites]
    assert iki == [["UNEP/CMS/CAMI3/Doc.7|20"], ["UNEP/CMS/CAMI3/Doc.7|21"]]


def test_a_tally_is_no_reference(claims):
    # COP14 4 "In total, the Secretariat organized ... six meetings, ... and mobilized funds for
    # two projects of the International Climate Initiative (IKI)": a count, naming nothing
    assert not [c for c in _references(claims, "UNEP/CMS/COP14/Doc.28.2.1", "4") if c.cites]


def test_a_pointer_to_an_own_paragraph_is_a_reference_unless_it_names_the_source_of_money(claims):
    # ScC-SC6 14 "reviewed the draft extension of the study on ... hotspots (paragraph 18)"
    pointed = [c for c in _references(claims, "UNEP/CMS/ScC-SC6/Inf.9", "14") if c.cites]
    assert [(c.type, c.cites) for c in pointed] == [("study", ["UNEP/CMS/ScC-SC6/Inf.9|18"])]
    # ScC-SC6 8 "with funds from the ... (CAMCA) project (see paragraph 21)": CAMCA only pays
    assert not [c for c in _references(claims, "UNEP/CMS/ScC-SC6/Inf.9", "8") if c.cites]


def test_names_in_passing_carry_the_place_in_their_name_and_the_row_they_quote(claims):
    vilm = [c for c in _references(claims, "UNEP/CMS/ScC-SC6/Inf.9", "18") if c.title == "Vilm workshop"]
    assert [(c.type, c.city, c.country) for c in vilm] == [("workshop", "Vilm", "DEU")]
    quoted = [c for c in _references(claims, "UNEP/CMS/CAMI3/Doc.7", "17") if c.pow_refs]
    assert [c.pow_refs for c in quoted] == [["8.1"]]
    assert quoted[0].title.startswith("To support and contribute to an analysis of knowledge gaps")


def test_two_meetings_joined_in_one_clause_are_two_claims(claims):
    # ScC-SC6 15 "... the 3rd Meeting of the Signatories to the Bukhara Deer MOU and a Range State
    # meeting to review and revise the International Single Species Action Plan for the Argali (activity 11.1)"
    mos3 = _primary(claims, "UNEP/CMS/ScC-SC6/Inf.9", "15", 0)
    argali = _primary(claims, "UNEP/CMS/ScC-SC6/Inf.9", "15", 1)
    assert (mos3.type, mos3.ordinal, mos3.pow_refs) == ("meeting", 3, [])
    assert (argali.type, argali.pow_implements, argali.species) == ("meeting", ["11.1"], ["Ovis ammon"])


def test_an_extension_of_a_study_is_new_work_named_after_the_study(claims):
    extension = _primary(claims, "UNEP/CMS/CAMI3/Doc.7", "15", 1)
    assert (
        extension.title == "extension of Transboundary Conservation Hotspots for the Central Asian Mammals Initiative"
    )
    assert extension.start == "2021"


def test_a_reported_project_named_as_the_source_of_money_passes_on_its_donors(claims):
    # ScC-SC6 8 "with funds from the Central Asian Mammals and Climate Adaptation (CAMCA) project";
    # paragraph 21: CAMCA is "funded by the International Climate Initiative (IKI)"
    atlas = _primary(claims, "UNEP/CMS/ScC-SC6/Inf.9", "8")
    assert [f.funder for f in atlas.funders] == ["International Climate Initiative"]


def test_a_table_row_with_merged_cells_is_read_as_short_of_its_last_columns():
    # real UN tables (IPBES, WCPFC papers) merge cells: a row has fewer cells than its header,
    # which once raised IndexError in the reader and failed the whole batch's reconcile (E501)
    from cami_extract.model import TABLE_ROW, Block, CoverMeta, ParsedDocument

    rows = [
        "Country | Dates | Funding | Activity",
        "Kenya | 3-5 May 2025 | Government of Germany | Workshop on vultures",
        "Uganda | 2025",  # the last two cells merged away
    ]
    blocks = [Block(seq=i, kind=TABLE_ROW, label=f"t1.r{i + 1}", text=t) for i, t in enumerate(rows)]
    doc = ParsedDocument(path="<test>", sha256="", size=0, pages=[], blocks=blocks, cover=CoverMeta(), language="en")
    run = ClaimReader().read(ReportView.of(doc, []))  # no IndexError
    assert [c.source.paragraph for c in run.claims if not c.reference] == ["t1.r2"]
