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
    assert not primaries & {"1", "2", "3", "4", "22", "23", "24", "25", "26"}
    assert seed.skipped["background_section"] >= 5


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
    pow_claims = claims["UNEP/CMS/COP13/Doc.26.4.3"].claims
    row = next(c for c in pow_claims if c.number == "19.1")
    assert (row.type, row.plan, row.status, row.pow_implements) == ("meeting", True, "planned", ["19.1"])


def test_names_in_passing_are_reference_claims(claims):
    refs = [c.title for c in claims["UNEP/CMS/CAMI3/Doc.7"].claims if c.reference and c.source.paragraph == "4"]
    assert "Consultative Meeting on the Saiga Antelope" in refs
