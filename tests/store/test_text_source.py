"""Where each block's text came from, through the real pipeline into SQLite and PostgreSQL:
the text layer, or OCR with the engine, its languages and its confidence; stored, exported and
shown by `cami where` and `cami show`.

The scans are made from the seed paper (tests/conftest.py): page 3 scanned alone, and pages
1-2 with their text layer followed by page 3 scanned.
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from cami_extract.cli import cli
from cami_extract.export import FIELDS, export
from cami_extract.inputs import sha256_of
from cami_extract.pipeline import ingest
from cami_extract.store.repository import Store
from cami_extract.store.schema import BlockRow, Document, PageRow
from tests.conftest import CORPUS, SEED_PDF, _pg_database, _pg_drop, needs_ocr_tools

pytestmark = [pytest.mark.slow, needs_ocr_tools]

ENGINE = re.compile(r"^tesseract \d+\.\d+")
TEXT_PAPER = CORPUS / "UNEP-CMS-CAMI3-Inf.2.pdf"  # a second text-layer paper with a symbol of its own
OCR_FIELDS = ("source", "ocr_engine", "ocr_languages", "ocr_confidence")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def stored(request, tmp_path_factory, scanned_page, partly_scanned):
    """The two scans and two text-layer papers ingested once per backend: (store, sha256 by name, URL)."""
    from cami_extract.config import load_settings

    url = str(tmp_path_factory.mktemp("text-source") / "cami.sqlite") if request.param == "sqlite" else _pg_database()
    # no extraction (its own tests load spaCy); OCR takes seconds a page, more on a busy machine
    settings = load_settings(env={}, overrides={"extract": False, "timeout": 240.0, "cpu_limit": 120, "workers": 2})
    files = {"scan": scanned_page, "partly": partly_scanned, "seed": SEED_PDF, "text": TEXT_PAPER}
    store = Store.open(url)
    try:
        report = ingest(list(files.values()), store, settings)
        assert not report.failed, report.failed
        assert len(report.ingested) == len(files)
        yield store, {name: sha256_of(path) for name, path in files.items()}, url
    finally:
        store.close()
        if request.param != "sqlite":
            _pg_drop(url)


def _rows(store, sha: str):
    with store.session() as s:
        doc = s.scalars(select(Document).where(Document.sha256 == sha)).one()
        pages = list(s.scalars(select(PageRow).where(PageRow.document_id == doc.id).order_by(PageRow.number)))
        blocks = list(s.scalars(select(BlockRow).where(BlockRow.document_id == doc.id).order_by(BlockRow.seq)))
    return doc, pages, blocks


def _is_ocr(row) -> bool:
    return (
        row.source == "ocr"
        and bool(ENGINE.match(row.ocr_engine or ""))
        and row.ocr_languages == "eng+fra+spa"
        and 0.5 < (row.ocr_confidence or 0) <= 1
    )


def _is_text_layer(row) -> bool:
    return (row.source, row.ocr_engine, row.ocr_languages, row.ocr_confidence) == ("text_layer", None, None, None)


def test_scanned_blocks_are_stored_as_ocr_with_engine_languages_and_confidence(stored):
    store, sha, _ = stored
    doc, pages, blocks = _rows(store, sha["scan"])
    assert doc.ocr_pages == 1 and "ocr" in json.loads(doc.flags)
    assert [p.source for p in pages] == ["ocr"] and _is_ocr(pages[0]) and not pages[0].needs_ocr
    assert blocks and all(_is_ocr(b) for b in blocks)
    # the char map of an OCR'd block is the OCR word boxes: every char on the page, inside it
    block = store.block(doc.id, blocks[0].seq)
    assert block is not None and block.source == "ocr" and len(block.chars) == len(block.text)
    assert all(c.page == 1 and 0 <= c.x0 <= c.x1 <= pages[0].width for c in block.chars)


def test_a_partly_scanned_paper_has_text_layer_blocks_and_ocr_blocks(stored):
    store, sha, _ = stored
    doc, pages, blocks = _rows(store, sha["partly"])
    assert doc.ocr_pages == 1 and "ocr" in json.loads(doc.flags)
    assert [p.source for p in pages] == ["text_layer", "text_layer", "ocr"]
    assert _is_text_layer(pages[0]) and _is_ocr(pages[2])
    on_scan = [b for b in blocks if b.page_last == 3]
    on_text = [b for b in blocks if b.page_last < 3]
    assert on_scan and on_text
    assert all(_is_ocr(b) for b in on_scan) and all(_is_text_layer(b) for b in on_text)


def test_text_layer_papers_say_text_layer_everywhere(stored):
    store, sha, _ = stored
    for name in ("seed", "text"):
        doc, pages, blocks = _rows(store, sha[name])
        assert doc.ocr_pages == 0 and "ocr" not in json.loads(doc.flags)
        assert blocks and all(_is_text_layer(b) for b in blocks) and all(_is_text_layer(p) for p in pages)


def test_the_exports_carry_the_text_source_in_every_format(stored, tmp_path):
    import pyarrow.parquet as pq

    store, sha, _ = stored
    for fmt in ("jsonl", "csv", "parquet"):
        export(store, tmp_path / fmt, fmt, all_versions=True, tables=("documents", "paragraphs"))
    paragraphs = [json.loads(line) for line in (tmp_path / "jsonl" / "paragraphs.jsonl").open(encoding="utf-8")]
    documents = [json.loads(line) for line in (tmp_path / "jsonl" / "documents.jsonl").open(encoding="utf-8")]
    assert {d["sha256"]: d["ocr_pages"] for d in documents} == {
        sha["scan"]: 1,
        sha["partly"]: 1,
        sha["seed"]: 0,
        sha["text"]: 0,
    }
    scan = [p for p in paragraphs if p["sha256"] == sha["scan"]]
    seed = [p for p in paragraphs if p["sha256"] == sha["seed"]]
    assert scan and all(p["source"] == "ocr" and ENGINE.match(p["ocr_engine"]) for p in scan)
    assert all(p["ocr_languages"] == "eng+fra+spa" and 0.5 < p["ocr_confidence"] <= 1 for p in scan)
    assert seed and all([p[f] for f in OCR_FIELDS] == ["text_layer", None, None, None] for p in seed)

    with (tmp_path / "csv" / "paragraphs.csv").open(encoding="utf-8", newline="") as fh:
        from_csv = list(csv.DictReader(fh))
    assert list(from_csv[0]) == [n for n, _ in FIELDS["paragraphs"]] and set(OCR_FIELDS) <= set(from_csv[0])
    csv_scan = [r for r in from_csv if r["sha256"] == sha["scan"]]
    assert [float(r["ocr_confidence"]) for r in csv_scan] == [p["ocr_confidence"] for p in scan]
    assert all(r["ocr_engine"] == "" for r in from_csv if r["sha256"] == sha["seed"])  # null is an empty cell

    table = pq.read_table(tmp_path / "parquet" / "paragraphs.parquet")
    assert str(table.schema.field("ocr_confidence").type) == "double"
    assert str(table.schema.field("source").type) == "string"
    parquet_rows = table.to_pylist()
    assert [r["ocr_confidence"] for r in parquet_rows if r["sha256"] == sha["scan"]] == [
        p["ocr_confidence"] for p in scan
    ]
    assert pq.read_table(tmp_path / "parquet" / "documents.parquet").column("ocr_pages").to_pylist().count(1) == 2


def test_where_and_show_print_the_text_source(stored):
    _, sha, db_url = stored
    runner = CliRunner()
    located = runner.invoke(cli, ["--db", db_url, "where", sha["scan"], "#0"], catch_exceptions=False)
    assert located.exit_code == 0, located.output
    assert re.search(
        r"^source: ocr \(tesseract \d+\.\d+[^,]*, eng\+fra\+spa, confidence 0\.\d\d\)$", located.output, re.M
    )
    text = runner.invoke(cli, ["--db", db_url, "where", sha["seed"], "5"], catch_exceptions=False)
    assert "source: text_layer\n" in text.output
    shown = runner.invoke(cli, ["--db", db_url, "show", sha["partly"]], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert re.search(r"^text sources: +ocr \d+, text_layer \d+$", shown.output, re.M)
    assert re.search(
        r"^ocr: +\d+ blocks? by tesseract \S+ \(eng\+fra\+spa\), mean confidence 0\.\d\d$", shown.output, re.M
    )
    assert re.search(r"^ocr_pages: +1$", shown.output, re.M)
