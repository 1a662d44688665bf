"""Matching rules read like examples: each pair says why it links or why not."""

from __future__ import annotations

from itertools import permutations

import pytest

from cami_extract.model import ActivityClaim, Funding, Span
from cami_extract.reconcile.merge import (
    ClaimInReport,
    MatchConfig,
    PairScore,
    assemble,
    candidate_pairs,
    compare,
    components,
    standing_of,
)


def claim(doc, para, *, issued="2025-06-02", type="meeting", title="", start=None, end=None, city=None,
          country=None, species=(), funders=(), outputs=(), pow_refs=(), ordinal=None, cites=(), status="done"):  # fmt: skip
    c = ActivityClaim(
        claim_id=f"clm_{doc}_{para}",
        document_sha256=doc,
        source=Span(doc, "en", para, int(para) if para.isdigit() else 0, 1, 0, 10),
        type=type,
        title=title,
        start=start,
        end=end if end is not None else start,
        city=city,
        country=country,
        status=status,
        species=list(species),
        funders=[Funding(f) for f in funders],
        outputs=list(outputs),
        pow_refs=list(pow_refs),
        ordinal=ordinal,
        cites=list(cites),
    )
    return ClaimInReport(c, standing_of(doc, doc, "en", issued, "English"), f"{doc}|en|{para}|0")


SEED_PL = claim("UNEP/CMS/CAMI3/Doc.7", "8", title="1st Range States Meeting for the Persian Leopard",
                start="2022-09-20", end="2022-09-22", city="Tbilisi", country="GEO",
                species=["Panthera pardus saxicolor"], outputs=["UNEP/CMS/PL-RS1/Outcome"], ordinal=1)  # fmt: skip
COP_PL = claim("UNEP/CMS/COP14/Doc.28.2.1", "8", issued="2023-12-04",
               title="the first meeting of the Range States of the Persian Leopard", start="2022-09",
               city="Tbilisi", country="GEO", species=["Panthera pardus saxicolor"], ordinal=1)  # fmt: skip
MOS4 = claim("UNEP/CMS/CAMI3/Doc.7", "6", title="4th MOS of the Saiga MOU", start="2021-09-28", end="2021-09-29",
             city="online", species=["Saiga spp."], ordinal=4)  # fmt: skip
MOS5 = claim("UNEP/CMS/COP14/Doc.28.2.1", "6", issued="2023-12-04", title="5th MOS of the Saiga MOU",
             start="2025-03-12", end="2025-03-14", city="Astana", country="KAZ", species=["Saiga spp."], ordinal=5)  # fmt: skip
STUDY = claim("UNEP/CMS/ScC-SC6/Inf.9", "19", issued="2023-07-05", type="study",
              title="study on community-based wildlife management", start="2022-10")  # fmt: skip


def test_the_same_meeting_told_twice_links_and_the_reason_says_why():
    result = compare(SEED_PL, COP_PL)
    assert isinstance(result, PairScore) and result.score >= MatchConfig().link_threshold
    assert "dates overlap" in result.reason and "place same" in result.reason


@pytest.mark.parametrize(
    ("x", "y", "why"),
    [
        (MOS4, MOS5, "ordinal_differs"),  # 4th and 5th meeting of one series
        (SEED_PL, MOS4, "same_report"),  # a report describes an activity once
        (COP_PL, STUDY, "type_differs"),
    ],
)
def test_pairs_that_cannot_be_one_activity_are_refused_with_a_reason(x, y, why):
    assert compare(x, y) == why


def test_series_meetings_years_apart_are_refused_even_without_ordinals():
    a = claim("A", "1", title="Meeting of Signatories to the Saiga MOU", start="2021-09-28")
    b = claim("B", "1", title="Meeting of Signatories to the Saiga MOU", start="2025-03-12")
    assert compare(a, b) == "dates_apart"


def test_a_cited_paragraph_links_whatever_else_differs():
    row = claim("UNEP/CMS/CAMI3/Inf.2", "t1.r11", type="study", title="Hotspots extension", start="2021",
                cites=["UNEP/CMS/CAMI3/Doc.7|15"])  # fmt: skip
    para = claim("UNEP/CMS/CAMI3/Doc.7", "15", type="study", title="Transboundary Conservation Hotspots", start="2019")
    result = compare(row, para)
    assert isinstance(result, PairScore) and result.rule.startswith("cites_paragraph")


def test_every_rule_is_symmetric():
    claims = [SEED_PL, COP_PL, MOS4, MOS5, STUDY]
    for x, y in permutations(claims, 2):
        assert compare(x, y) == compare(y, x)


def test_a_report_joins_an_activity_once_and_the_best_pair_wins():
    # Two seed paragraphs both resemble the COP14 one: only the better pair links.
    other = claim("UNEP/CMS/CAMI3/Doc.7", "9", title="Meeting on big cats of the Caucasus",
                  start="2022-09-01", end="2022-09-30", city="Tbilisi", country="GEO",
                  species=["Panthera pardus saxicolor"])  # fmt: skip
    claims = [SEED_PL, COP_PL, other]
    groups, links = components(claims, candidate_pairs(claims, MatchConfig()))
    assert [SEED_PL.claim.claim_id, COP_PL.claim.claim_id] in [sorted(g) for g in groups]
    assert len(links) == 1


def test_fields_follow_the_later_report_and_disagreements_become_conflicts():
    later = claim("UNEP/CMS/CAMI3/Doc.7", "9", title="Consultative Meeting", start="2023-05-25", end="2023-05-27",
                  city="Astana", country="KAZ", funders=["Government of Germany"])  # fmt: skip
    earlier = claim("UNEP/CMS/COP14/Doc.28.2.1", "9", issued="2023-12-04", title="consultative meeting",
                    start="2023-05-25", end="2023-05-26", city="Astana", country="KAZ")  # fmt: skip
    for members in ([later, earlier], [earlier, later]):  # never arrival order
        activity, conflicts = assemble(members)
        assert (activity.fields["start"], activity.fields["end"]) == ("2023-05-25", "2023-05-27")
        assert activity.chosen_from["end"] == later.claim.claim_id
        assert [(c.field, [(v.value, v.document) for v in c.values]) for c in conflicts] == [
            ("end", [("2023-05-27", "UNEP/CMS/CAMI3/Doc.7"), ("2023-05-26", "UNEP/CMS/COP14/Doc.28.2.1")])
        ]


def test_a_coarser_date_is_no_conflict():
    activity, conflicts = assemble([SEED_PL, COP_PL])
    assert conflicts == [] and activity.fields["start"] == "2022-09-20"


def test_precedence_revision_then_meeting_report_then_original_language():
    base = standing_of("UNEP/CMS/X/Doc.1", "", "en", "2025-01-01", "English")
    assert standing_of("UNEP/CMS/X/Doc.1/Rev.1", "", "en", "2025-01-01", "English").revision == 1
    assert standing_of("UNEP/CMS/X/Report", "", "en", "2025-01-01", "English").kind_rank > base.kind_rank
    assert not standing_of("UNEP/CMS/X/Doc.1", "", "fr", "2025-01-01", "English").original
