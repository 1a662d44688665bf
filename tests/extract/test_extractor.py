"""Behaviour of Extractor.extract on whole documents: provenance, attrs, document state."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_document
from seed_blocks import seed_document
from src_blocks import CORPUS_SRC, src_document

from cami_extract.evaluate import load_gold, predictions_from_mentions, score
from cami_extract.extract import EXTRACTORS
from cami_extract.model import ENTITY_TYPES

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"
TARGETS = {"species": 0.95, "country": 0.95, "date": 0.95, "document_code": 0.95, "funder": 0.90}


def test_every_mention_points_into_its_block(extractor):
    doc = seed_document()
    blocks = {b.seq: b for b in doc.blocks}
    mentions = extractor.extract(doc)
    assert mentions
    for m in mentions:
        assert m.entity_type in ENTITY_TYPES
        assert m.text == blocks[m.block_seq].text[m.start : m.end]
        assert m.canonical and m.extractor in EXTRACTORS  # the versions the pipeline declares


def test_range_expands_to_four_mentions(extractor):
    mentions = [
        m
        for m in extractor.extract(make_document("Decisions 13.113 to 13.116 are deleted."))
        if m.entity_type == "document_code"
    ]
    assert sorted(m.canonical for m in mentions) == [f"Decision 13.{n}" for n in range(113, 117)]


def test_subparagraph_goes_to_attrs(extractor):
    (m,) = [
        m
        for m in extractor.extract(make_document("in accordance with Decision 14.167 (d), follows"))
        if m.entity_type == "document_code"
    ]
    assert (m.canonical, m.text, m.attrs["subparagraph"]) == ("Decision 14.167", "Decision 14.167 (d)", "(d)")


def test_capitalised_range_states_are_parties(extractor):
    text = "CAMI Range States: AFGHANISTAN, Bhutan, the Islamic Republic of IRAN, the Russian Federation and UZBEKISTAN"
    party = {
        m.canonical: m.attrs.get("cms_party")
        for m in extractor.extract(make_document(text))
        if m.entity_type == "country"
    }
    assert party == {"AFG": "yes", "BTN": "no", "IRN": "yes", "RUS": "no", "UZB": "yes"}


def test_missing_year_comes_from_issue_date_never_the_clock(extractor):
    doc = make_document("The webinar took place on 30 January.", issue_date="2019-03-01")
    assert {m.canonical for m in extractor.extract(doc) if m.entity_type == "date"} == {"2019-01-30"}
    undated = make_document("The webinar took place on 30 January.", issue_date=None)
    assert not [m for m in extractor.extract(undated) if m.entity_type == "date"]


def test_definition_in_a_later_footnote_applies_to_earlier_paragraphs(extractor):
    doc = make_document("The Saiga Antelope and the Saiga MOU.", "CAMI species: Saiga Antelope (Saiga spp.).")
    first = {m.canonical for m in extractor.extract(doc) if m.entity_type == "species" and m.block_seq == 0}
    assert first == {"Saiga spp."}


def test_abbreviation_expands_from_an_earlier_block(extractor):
    doc = make_document("Persian Leopard (Panthera pardus saxicolor)", "the subspecies, also given as P. p. tulliana")
    later = [m for m in extractor.extract(doc) if m.entity_type == "species" and m.block_seq == 1]
    assert [(m.text, m.canonical) for m in later] == [("P. p. tulliana", "Panthera pardus saxicolor")]


def test_two_names_of_one_species_and_the_two_species_of_a_shared_head(extractor):
    doc = make_document(
        "El plan cubre la garza grande o garza real (Ardea cinerea) y la garza chica (Egretta garzetta).",
        "Las dos garzas anidan juntas; la garza real llega antes.",
        language="es",
    )
    later = [(m.text, m.canonical) for m in extractor.extract(doc) if m.entity_type == "species" and m.block_seq == 1]
    assert sorted(later) == [
        ("garza real", "Ardea cinerea"),
        ("garzas", "Ardea cinerea"),
        ("garzas", "Egretta garzetta"),
    ]


def test_a_head_word_alone_names_a_species_only_when_the_paper_uses_it_for_one(extractor):
    def later(*blocks, language="fr"):
        doc = make_document(*blocks, language=language)
        return {m.canonical for m in extractor.extract(doc) if m.entity_type == "species" and m.block_seq == 1}

    # one defined species with that head: "les lamantins" are it
    assert later(
        "Le lamantin d'Afrique (Trichechus senegalensis) remonte le fleuve.", "Les lamantins sont chassés."
    ) == {"Trichechus senegalensis"}
    # the head is the paper's word for two vultures: alone it names neither
    two = ("Le vautour charognard décline, comme les vautours percnoptères (Neophron percnopterus).",)
    assert later(*two, "Les vautours sont empoisonnés.") == set()
    # a family's group word never resolves to the one flamingo the paper defined
    flamingos = ("Se contaron flamencos australes (Phoenicopterus chilensis).", "Los flamencos altoandinos anidan.")
    assert later(*flamingos, language="es") == set()


def test_species_attrs_carry_appendix_and_instrument(extractor):
    (m,) = [m for m in extractor.extract(make_document("the Bukhara Deer")) if m.entity_type == "species"]
    assert m.attrs["cms_appendix"] == "I/II" and "Bukhara Deer" in m.attrs["cms_instrument"]


def test_funder_chain_records_vehicle_and_parent(extractor):
    text = (
        "with financial support from the Central Asian Mammals and Climate Adaptation (CAMCA) project "
        "funded by the International Climate Initiative (IKI) of the Government of Germany."
    )
    (m,) = [m for m in extractor.extract(make_document(text)) if m.entity_type == "funder"]
    assert m.canonical == "International Climate Initiative"
    assert m.attrs["parent"] == "Government of Germany" and m.attrs["via"].startswith("Central Asian Mammals")


def test_empty_document_gives_no_mentions(extractor):
    assert extractor.extract(make_document()) == []


@pytest.mark.parametrize(
    "symbol, build",
    [
        ("UNEP/CMS/CAMI3/Doc.7", seed_document),
        ("UNEP/CMS/COP14/Doc.28.2.1", lambda: src_document(CORPUS_SRC / "UNEP-CMS-COP14-Doc.28.2.1.txt")),
    ],
)
def test_gold_targets(extractor, symbol, build):
    doc = build()
    gold = load_gold(GOLD)
    gold.blocks = {k: v for k, v in gold.blocks.items() if k[0] == symbol and k[1] == "en"}
    report = score(predictions_from_mentions(symbol, "en", doc.blocks, extractor.extract(doc)), gold)
    for entity_type, target in TARGETS.items():
        assert report.paragraph[entity_type].f1 >= target, (entity_type, report.render(), report.errors)
