"""Extraction through the whole pipeline: ingest with entities, export mentions with provenance, eval."""

import json

import pytest
from click.testing import CliRunner

from cami_extract.cli import cli
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    db = str(tmp / "cami.sqlite")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "ingest", "-q", str(CORPUS)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--db", db, "export", "--format", "jsonl", "--out", str(tmp / "out")])
    assert result.exit_code == 0, result.output
    load = lambda name: [json.loads(x) for x in (tmp / "out" / f"{name}.jsonl").read_text().splitlines()]  # noqa: E731
    return db, load("paragraphs"), load("mentions")


def test_every_mention_carries_full_provenance(exported):
    _, paragraphs, mentions = exported
    text_of = {(p["sha256"], p["seq"]): p for p in paragraphs}
    assert mentions
    for m in mentions:
        block = text_of[(m["sha256"], m["block_seq"])]
        assert block["text"][m["start"] : m["end"]] == m["text"]
        assert m["paragraph"] == block["label"] and m["page"] >= block["page"]
        assert m["extractor"].split(".")[-1].startswith("v") and 0 < m["confidence"] <= 1
        assert m["entity_type"] in {"species", "country", "date", "funder", "document_code"}


def test_the_french_edition_gets_the_canonical_values_of_the_english_one(exported):
    """Paragraph 3 in French ("du 24 au 26 juin 2025", "financé par l'Initiative internationale
    pour le climat (IKI) du Gouvernement de l'Allemagne") -> the values of the English paragraph."""
    _, _, mentions = exported

    def values(language):
        return {
            (m["entity_type"], m["canonical"])
            for m in mentions
            if m["document"] == "UNEP/CMS/CAMI3/Doc.7" and m["language"] == language and m["paragraph"] == "3"
        }

    french = values("fr")
    assert {
        ("date", "2025-06-24/2025-06-26"),
        ("country", "UZB"),
        ("country", "DEU"),
        ("funder", "International Climate Initiative"),
    } <= french
    assert {v for v in french if v[0] != "funder"} == {v for v in values("en") if v[0] != "funder"}


def test_the_seed_paragraph_3_mentions(exported):
    _, _, mentions = exported
    p3 = {
        (m["entity_type"], m["canonical"])
        for m in mentions
        if m["document"] == "UNEP/CMS/CAMI3/Doc.7" and m["language"] == "en" and m["paragraph"] == "3"
    }
    assert ("date", "2025-06-24/2025-06-26") in p3
    assert ("country", "UZB") in p3
    assert ("funder", "International Climate Initiative") in p3


def test_eval_prints_the_table_per_document(exported):
    db, _, _ = exported
    result = CliRunner().invoke(cli, ["--db", db, "eval"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "F1(par)" in result.output
    for doc in ("UNEP/CMS/CAMI3/Doc.7 [en]", "UNEP/CMS/COP14/Doc.28.2.1 [en]", "UNEP/CMS/CAMI3/Inf.2 [en]"):
        assert doc in result.output


def test_eval_check_fails_exactly_on_the_types_printed_below_target(exported):
    db, _, _ = exported
    plain = CliRunner().invoke(cli, ["--db", db, "eval"], catch_exceptions=False).output
    below = [
        (line.split(" [")[0].strip(), cell.split()[0])
        for line in plain.splitlines()
        if "(below)" in line
        for cell in line.split(": ", 1)[1].split(", ")
        if "(below)" in cell
    ]
    checked = CliRunner().invoke(cli, ["--db", db, "eval", "--check"], catch_exceptions=False)
    assert checked.exit_code == (1 if below else 0)
    for doc, entity_type in below:
        assert f"('{doc}', '{entity_type}')" in checked.output


def test_the_run_records_the_registered_components_that_ran(exported):
    from sqlalchemy import select

    from cami_extract.extract import codes, countries, dates, funders, species
    from cami_extract.store.repository import Store
    from cami_extract.store.schema import Run

    db, _, mentions = exported
    store = Store.open(db, create=False)
    with store.session() as s:
        (version,) = s.scalars(select(Run.pipeline_version)).all()
    store.close()
    for module in (codes, countries, dates, funders, species):
        assert module.NAME in version
    assert {m["extractor"] for m in mentions} <= {mod.EXTRACTOR for mod in (codes, countries, dates, funders, species)}
