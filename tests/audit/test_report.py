"""The audit page: tables and charts from the corpus, byte-identical, offline, rendered by Chromium."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from html import escape

import pytest

from cami_extract.audit.report import SECTIONS, write_audit
from cami_extract.store.repository import Store

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Seconds Chromium may take to load and render the page (about 2 s measured on the 2-core CI machine).
BROWSER_TIMEOUT = 60


def _write(url, out):
    store = Store.open(url)
    try:
        return write_audit(store, out)
    finally:
        store.close()


@pytest.fixture(scope="module")
def page(corpus_sqlite, tmp_path_factory):
    out = tmp_path_factory.mktemp("audit")
    result = _write(corpus_sqlite, out)
    return result, result.html.read_text(encoding="utf-8")


def test_the_same_database_gives_the_same_bytes(corpus_sqlite, page, tmp_path):
    result, _ = page
    again = _write(corpus_sqlite, tmp_path)
    for a, b in zip(result.files, again.files, strict=True):
        assert a.name == b.name and a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.postgres
def test_postgresql_gives_the_same_page_as_sqlite(corpus_postgres, page, tmp_path):
    _, html = page
    assert _write(corpus_postgres, tmp_path).html.read_text(encoding="utf-8") == html


def test_the_page_is_self_contained(page):
    _, html = page
    assert "<script" not in html.lower() and "@import" not in html and "@font-face" not in html
    # The only URL is the SVG namespace: nothing is fetched from a network.
    assert set(re.findall(r"https?://[^\s'\"<>]+", html)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:", html)  # no timestamp


def test_every_section_has_its_table_and_csv(page):
    result, html = page
    for name, heading, _ in SECTIONS:
        assert f"<section id='{name}'>" in html and escape(heading) in html
        assert (result.html.parent / f"{name}.csv").exists()
        assert f"## {heading}" in (result.html.parent / "audit.md").read_text(encoding="utf-8")


def test_the_register_gives_sentence_page_and_box_for_each_source(page):
    result, _ = page
    with (result.html.parent / "register.csv").open(encoding="utf-8") as fh:
        register = list(csv.DictReader(fh))
    pl = [r for r in register if r["title"] == "1st Range States Meeting for the Persian Leopard (PL-RS1)"]
    assert {r["document"] for r in pl} >= {"UNEP/CMS/CAMI3/Doc.7", "UNEP/CMS/COP14/Doc.28.2.1"}
    seed = next(r for r in pl if r["document"] == "UNEP/CMS/CAMI3/Doc.7")
    assert (seed["paragraph"], seed["page"]) == ("8", "3")
    assert seed["sentence"].startswith("The 1st Range States Meeting for the Persian Leopard was held in Tbilisi")
    x0, top, x1, bottom = map(float, seed["bbox"].split())
    assert 0 < x0 < x1 < 612 and 0 < top < bottom < 842


def test_a_reports_own_counts_are_checked_against_its_headings(page):
    result, _ = page
    counts = result.tables["own_counts"]
    seed = counts[counts.document == "UNEP/CMS/CAMI3/Doc.7"].set_index("claim")
    # Doc.7 says "nine meetings, five studies and two projects"; ten paragraphs stand under
    # "Meetings" (one is a working group), nine of them report meetings or workshops.
    assert seed.loc["nine meetings", ["said", "paragraphs_listed", "activities_read"]].tolist() == [9, 10, 9]
    assert seed.loc["five studies", "agrees_paragraphs"] == "yes"
    assert seed.loc["two projects", ["paragraphs_listed", "agrees_activities"]].tolist() == [2, "yes"]


def test_pow_coverage_lists_cited_and_never_reported_items(page):
    result, _ = page
    pow_items = result.tables["pow_coverage"].set_index("number")
    assert "UNEP/CMS/CAMI3/Doc.7" in pow_items.loc["19.1", "reports"]  # the Persian Leopard meeting
    never = set(pow_items[pow_items.reported == "never"].index)
    assert never and "19.1" not in never and len(never) < len(pow_items)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install -y chromium)")
def test_chromium_renders_charts_and_tables_without_console_errors(page, tmp_path):
    result, html = page
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    url = result.html.resolve().as_uri()
    dom = subprocess.run(
        [*flags, "--dump-dom", url], capture_output=True, text=True, timeout=BROWSER_TIMEOUT, check=True
    )
    # Console messages reach the log as "CONSOLE(...)" lines; a page without errors logs none.
    assert "CONSOLE" not in dom.stderr and "Uncaught" not in dom.stderr
    assert dom.stdout.count("<svg") == html.count("<svg") >= 4
    assert dom.stdout.count("<table") == html.count("<table") >= len(SECTIONS) - 1
    assert "nine meetings" in dom.stdout
    shot = tmp_path / "audit.png"
    subprocess.run(
        [*flags, "--window-size=1400,2000", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=BROWSER_TIMEOUT,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
