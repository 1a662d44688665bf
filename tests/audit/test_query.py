"""Query commands as a user runs them, on SQLite and PostgreSQL: activities, search, show, --json."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cami_extract.audit.query import ActivityFilter, activities, matches, show
from cami_extract.audit.search import ensure_index, fts5_query, search
from cami_extract.cli import cli
from cami_extract.store.repository import Store
from tests.conftest import CORPUS_PDFS

pytestmark = pytest.mark.slow


def run(db, *args, ok=True):
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def store(corpus_db):
    s = Store.open(corpus_db)
    yield s
    s.close()


def test_activities_of_a_meeting_year_with_their_sources(store):
    found = activities(store, ActivityFilter(type="meeting", date_from="2022", date_to="2022"))
    titles = {a["title"] for a in found}
    assert "1st Range States Meeting for the Persian Leopard (PL-RS1)" in titles
    assert all(a["type"] == "meeting" and a["start"][:4] <= "2022" <= (a["end"] or a["start"])[:4] for a in found)
    pl = next(a for a in found if "PL-RS1" in a["title"])
    assert {s["document"] for s in pl["sources"]} >= {"UNEP/CMS/CAMI3/Doc.7", "UNEP/CMS/COP14/Doc.28.2.1"}


def test_a_funder_is_found_by_its_acronym(store):
    by_acronym = {a["activity_id"] for a in activities(store, ActivityFilter(funder="IKI"))}
    by_name = {a["activity_id"] for a in activities(store, ActivityFilter(funder="International Climate Initiative"))}
    assert by_acronym == by_name and len(by_name) >= 2


@pytest.mark.parametrize(
    "where, kept",
    [
        (ActivityFilter(date_from="2022-09-21"), True),  # ends 2022-09-22
        (ActivityFilter(date_from="2022-09-23"), False),
        (ActivityFilter(date_to="2022-09"), True),  # a month bound keeps the whole month
        (ActivityFilter(date_to="2022-08-31"), False),
        (ActivityFilter(country="geo"), True),
        (ActivityFilter(country="MNG"), False),
        (ActivityFilter(species="saxicolor"), True),
        (ActivityFilter(type="study"), False),
    ],
)
def test_filter_cases(where, kept):
    activity = {
        "type": "meeting",
        "start": "2022-09-20",
        "end": "2022-09-22",
        "country": "GEO",
        "countries": ["ARM"],
        "species": ["Panthera pardus saxicolor"],
        "funders": [],
    }
    assert matches(activity, where) is kept


def test_an_undated_activity_never_passes_a_date_bound():
    undated = {
        "type": "other",
        "start": None,
        "end": None,
        "country": None,
        "countries": [],
        "species": [],
        "funders": [],
    }
    assert matches(undated, ActivityFilter()) and not matches(undated, ActivityFilter(date_from="2020"))


def test_search_finds_the_papers_that_mention_iki_with_the_word_marked(store):
    hits = search(store, "IKI")
    assert {h.document for h in hits} >= {"UNEP/CMS/CAMI3/Inf.2", "UNEP/CMS/COP14/Doc.28.2.1"}
    assert all("[IKI]" in h.snippet for h in hits)
    assert all("IKI" in h.text for h in hits)


def test_search_stems_needs_every_word_and_reads_operators_as_words(store):
    assert search(store, "workshops wild ass")  # stemmed: workshop
    assert not search(store, "leopard zzzunknownword")
    # FTS5 syntax in user text is quoted, never an error: read as words, here with one no paper has
    assert isinstance(search(store, 'NEAR( "AND'), list)
    assert search(store, 'NEAR( "AND zzzunknownword') == []
    assert fts5_query('saiga* "antelope') == '"saiga" "antelope"'


def test_search_index_is_current_after_a_second_call(store):
    ensure_index(store)
    assert ensure_index(store) is False  # nothing to rebuild: no new blocks


def test_show_a_paper_counts_activities_and_flags(store):
    summary = show(store, "UNEP/CMS/CAMI3/Doc.7")
    assert summary.cover["language"] == "en" and summary.cover["pages"] == 6
    assert summary.block_counts["paragraph"] == 26
    assert set(summary.mention_counts) == {"country", "date", "document_code", "funder", "species"}
    assert any("PL-RS1" in a["title"] for a in summary.activities)
    assert summary.failures == [] and summary.flags == []
    pow_paper = show(store, "corpus/UNEP-CMS-CAMI-POW-2021-2026.pdf")  # found by its path too
    assert pow_paper.cover["symbol"] == "UNEP/CMS/COP13/Doc.26.4.3/Annex" and pow_paper.flags == []


def test_cli_tables_have_a_header_and_a_count(corpus_db):
    out = run(corpus_db, "activities", "--type", "meeting").output.splitlines()
    assert out[0].split()[:4] == ["activity_id", "type", "start", "end"] and out[-1].endswith("rows)")
    docs = run(corpus_db, "documents").output.splitlines()
    assert docs[0].split()[:2] == ["symbol", "language"] and docs[-1] == f"({len(CORPUS_PDFS)} rows)"
    hits = run(corpus_db, "search", "IKI").output
    assert "snippet" in hits.splitlines()[0] and "[IKI]" in hits
    shown = run(corpus_db, "show", "UNEP/CMS/CAMI3/Doc.7").output
    assert "mentions:" in shown and "activities reported (" in shown


@pytest.mark.parametrize(
    "args, key",
    [
        (["activities", "--species", "Panthera pardus saxicolor"], "activity_id"),
        (["documents"], "sha256"),
        (["failures"], "error_code"),
        (["search", "Saiga"], "snippet"),
        (["show", "UNEP/CMS/CAMI3/Inf.2"], "cover"),
        (["eval"], "f1"),
    ],
)
def test_json_lines_on_every_query_command(corpus_db, args, key):
    lines = run(corpus_db, *args, "--json").output.splitlines()
    rows = [json.loads(line) for line in lines]
    if args[0] != "failures":  # the corpus ingests without failures
        assert rows and all(key in r for r in rows)


def test_show_of_an_unknown_paper_is_a_coded_error(corpus_db):
    result = run(corpus_db, "show", "UNEP/CMS/NOPE", ok=False)
    assert result.exit_code == 3 and "E204" in result.output
