"""The rules for references in passing, plan rows and shared keys, as pairs of claims: linked
with rule X, or refused with a reason. Each case is a kind of text met in the corpus."""

from __future__ import annotations

from dataclasses import replace

from cami_extract.reconcile.merge import MatchConfig, PairScore, candidate_pairs, compare, components
from tests.reconcile.test_merge import claim

SEED, SC6, POW = "UNEP/CMS/CAMI3/Doc.7", "UNEP/CMS/ScC-SC6/Inf.9", "UNEP/CMS/COP13/Doc.26.4.3/Annex"


def ref(doc, para, title, **fields):
    """A name in passing: a claim that carries a name (and what the text around it pins down)."""
    base = claim(doc, para, issued="2023-07-05", type=fields.pop("type", "workshop"), title=title, status=None)
    return replace(base, claim=replace(base.claim, reference=True, claim_id=f"ref_{doc}_{para}_{title}", **fields))


def row(number, title, type, words, start="2022", end="2026"):
    """A Programme-of-Work row: a plan, numbered, dated by its timeframe."""
    base = claim(POW, f"t1.r{number}", issued="2019-12-09", type=type, title=title, start=start, end=end)
    seq = int(number.replace(".", ""))  # each row its own block
    c = replace(base.claim, plan=True, number=number, pow_refs=[number], pow_implements=[number], words=words,
                source=replace(base.claim.source, block_seq=seq))  # fmt: skip
    return replace(base, claim=c)


def with_(x, **fields):
    return replace(x, claim=replace(x.claim, **fields))


VILM = claim(SEED, "10", type="workshop", title="Technical Workshop for the Asiatic Wild Ass on the Isle of Vilm",
             start="2023-06-26", end="2023-07-01", city="Vilm", country="DEU", species=["Equus hemionus"])  # fmt: skip
ALMATY_MOS3 = claim(SEED, "11", title="3rd MOS of the Bukhara Deer MOU", start="2024-09-10", end="2024-09-11",
                    city="Almaty", country="KAZ", ordinal=3)  # fmt: skip
ALMATY_ARGALI = claim(SEED, "12", title="Range State Meeting on the Argali Action Plan", start="2024-09-12",
                      end="2024-09-13", city="Almaty", country="KAZ")  # fmt: skip


def _linked(x, y, rule):
    result = compare(x, y)
    assert isinstance(result, PairScore), result
    assert result.rule.startswith(rule) and result.score >= MatchConfig().link_threshold
    assert compare(y, x) == result  # every rule is symmetric


def _refused(x, y, why):
    assert compare(x, y) == why
    assert compare(y, x) == why


def test_a_workshop_named_by_its_place_links_to_the_workshop_held_there():
    # ScC-SC6 para 18: "after its review by the Vilm workshop"
    _linked(ref(SC6, "18", "Vilm workshop", city="Vilm", country="DEU"), VILM, "named_reference")


def test_a_workshop_named_by_another_place_is_not_that_workshop():
    bishkek = claim(SEED, "9", type="workshop", title="Regional training on wildlife-friendly roads",
                    start="2022-11-15", city="Bishkek", country="KGZ")  # fmt: skip
    result = compare(ref(SC6, "18", "Vilm workshop", city="Vilm", country="DEU"), bishkek)
    assert isinstance(result, str)


def test_a_numbered_meeting_with_its_place_in_the_name_links_to_the_same_number_held_there():
    # POW para 1 "their 2nd Meeting in Ulaanbaatar" ~ ScC-SC6 para 2 "their 2nd meeting, held in Ulaanbaatar"
    pow_rsm2 = ref(POW, "1", "2nd Meeting in Ulaanbaatar", type="meeting", ordinal=2, city="Ulaanbaatar", country="MNG")
    sc6_rsm2 = ref(SC6, "2", "2nd meeting", type="meeting", ordinal=2, city="Ulaanbaatar", country="MNG", start="2019")
    _linked(pow_rsm2, sc6_rsm2, "named_reference")
    third = ref(SC6, "2", "3rd Meeting in Ulaanbaatar", type="meeting", ordinal=3, city="Ulaanbaatar", country="MNG")
    _refused(pow_rsm2, third, "ordinal_differs")


def test_a_counted_reference_resolved_to_a_paragraph_links_to_the_claim_there_only():
    # seed para 15 "the two Meetings in Almaty": resolved in the paper to paragraphs 11 and 12
    to_11 = ref(SEED, "15", "the two Meetings in Almaty", type="meeting", cites=[f"{SEED}|11"])
    _linked(to_11, ALMATY_MOS3, "cites_paragraph")
    _refused(to_11, ALMATY_ARGALI, "cites_another_paragraph")


def test_the_two_meetings_in_almaty_join_the_two_meetings_one_each():
    to_11 = ref(SEED, "15", "the two Meetings in Almaty", type="meeting", cites=[f"{SEED}|11"])
    to_12 = with_(ref(SEED, "15", "the two Meetings in Almaty", type="meeting", cites=[f"{SEED}|12"]), claim_id="ref_2")
    claims = [ALMATY_MOS3, ALMATY_ARGALI, to_11, to_12]
    groups, _ = components(claims, candidate_pairs(claims, MatchConfig()))
    assert sorted(len(g) for g in groups) == [2, 2]
    assert not any({ALMATY_MOS3.claim.claim_id, ALMATY_ARGALI.claim.claim_id} <= set(g) for g in groups)


def test_a_plan_row_that_names_a_meeting_links_to_the_meeting_that_carries_it_out():
    # POW 11.1 "Review the implementation of the Action Plan ... and revise it at a meeting" (typed study)
    review = row("11.1", "Review the implementation of the Argali Action Plan and revise it at a meeting", "study",
                 ["action", "argali", "implementation", "meeting", "plan", "review", "revise"], "2023", "2024")  # fmt: skip
    held = claim(SC6, "15", issued="2023-07-05", title="Range State meeting to revise the Argali Action Plan",
                 start="2024", pow_refs=["11.1"])  # fmt: skip
    held = with_(held, pow_implements=["11.1"])
    _linked(review, held, "pow_ref")


def test_a_meeting_only_contributes_to_a_broad_plan_row_of_no_kind():
    # POW 8.1 "To support and contribute to an analysis of knowledge gaps" ~ ScC-SC6 para 17, the
    # Focal Points meeting "under activity 8.1": a contribution, two activities
    gaps = row("8.1", "To support and contribute to an analysis of knowledge gaps", "other",
               ["analysi", "contribute", "gap", "knowledge", "support", "survey"], "2021", "2026")  # fmt: skip
    meeting = claim(SC6, "17", issued="2023-07-05", title="The CAMI Species Focal Points met online",
                    start="2022-12-07", city="online", pow_refs=["8.1"])  # fmt: skip
    _refused(gaps, with_(meeting, pow_implements=["8.1"]), "event_serves_plan_row")


def test_a_plan_row_quoted_with_its_number_is_a_mention_of_it():
    # seed para 17 "(8.1: To support and contribute to an analysis of knowledge gaps ...)"
    gaps = row("8.1", "To support and contribute to an analysis of knowledge gaps", "other", [], "2021", "2026")
    quoted = ref(SEED, "17", "To support and contribute to an analysis", type="other", pow_refs=["8.1"])
    _linked(quoted, gaps, "quotes_plan_row")


def test_one_study_carrying_out_two_plan_rows_makes_one_activity_of_the_three():
    # seed para 19 "to implement Measures 31.1 and 31.2": the POW split one undertaking in two rows
    r1 = row(
        "31.1", "Identify and evaluate financing instruments", "other", ["financing", "instrument"], "2022", "2025"
    )
    r2 = row("31.2", "Provide targeted advice on suitable financing mechanisms", "other", ["advice", "financing"])
    study = claim(SEED, "19", type="study", title="Identification of Funding Options for the Implementation of CAMI",
                  start="2024-10", pow_refs=["31.1", "31.2"])  # fmt: skip
    both = with_(study, pow_implements=["31.1", "31.2"])
    claims = [r1, r2, both]
    groups, links = components(claims, candidate_pairs(claims, MatchConfig()))
    assert len(groups) == 1 and len(links) == 2
    # a study carrying out only one of them takes only that row: the other row stays its own activity
    one = with_(study, pow_refs=["31.1"], pow_implements=["31.1"])
    claims = [r1, r2, one]
    groups, _ = components(claims, candidate_pairs(claims, MatchConfig()))
    assert sorted(len(g) for g in groups) == [1, 2]


def test_the_same_month_and_the_same_list_of_countries_identify_a_project():
    # seed para 21 and ScC-SC6 para 22: the One Health application of March 2021, five countries
    five = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    seed = with_(claim(SEED, "21", type="project", title="IKI grant application", start="2021-03"), countries=five)
    sc6 = claim(
        SC6, "22", issued="2023-07-05", type="project", title="project strengthening One Health", start="2021-03"
    )
    _linked(seed, with_(sc6, countries=five), "typed_keys")
    _refused(seed, with_(sc6, countries=["MNG", "CHN"]), "no_identifying_key")


def test_a_subspecies_and_its_species_are_the_same_animals():
    # seed para 18 names A. j. venaticus; ScC-SC6 para 5 "the cheetah": Acinonyx jubatus
    seed = claim(SEED, "18", type="study", title="Report on the Situation of the Cheetah in Iran",
                 species=["Acinonyx jubatus venaticus"], funders=["Government of the United Kingdom"])  # fmt: skip
    sc6 = claim(SC6, "5", issued="2023-07-05", type="publication", title="The two situation reports",
                start="2023-05", species=["Acinonyx jubatus"], funders=["Government of the United Kingdom"])  # fmt: skip
    _linked(seed, sc6, "typed_keys")


def test_a_name_in_passing_in_a_paragraph_about_a_later_period_is_not_an_older_activity():
    # seed para 4 "Since February 2020, ... two studies: 'Transboundary Conservation Hotspots ...'"
    study_2019 = claim(SEED, "15", type="study", title="Transboundary Conservation Hotspots for CAMI", start="2019")
    name = ref(SEED, "4", "Transboundary Conservation Hotspots for CAMI", type="study", after="2020-02")
    _refused(name, study_2019, "before_the_period")
    extension = claim(SC6, "18", issued="2023-07-05", type="study",
                      title="Transboundary Conservation Hotspots for CAMI", start="2021")  # fmt: skip
    _linked(name, extension, "named_reference")


def test_two_meetings_of_one_week_in_one_city_stay_two():
    # seed 11 and 12: the Bukhara Deer MOS3 (10-11 September 2024) and the Argali meeting (12-13
    # September 2024), both in Almaty; ScC-SC6 15 announced both for "the second half of 2024"
    argali = with_(ALMATY_ARGALI, species=["Ovis ammon"])
    planned_mos3 = claim(SC6, "15", issued="2023-07-05", title="3rd Meeting of the Signatories to the Bukhara Deer MOU",
                         start="2024", ordinal=3, species=["Cervus elaphus yarkandensis"], status="planned")  # fmt: skip
    result = compare(planned_mos3, argali)
    assert isinstance(result, str) or result.score < MatchConfig().link_threshold
    _linked(planned_mos3, with_(ALMATY_MOS3, species=["Cervus elaphus yarkandensis"]), "typed_keys")
