"""Exports that other tools read without glue: nested Parquet, JSONL without JSON in strings,
start/end beside ISO intervals, CSV with a byte-order mark, and InforMEA-shaped records."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cami_extract.export import FIELDS, export, interval_end, interval_start
from cami_extract.informea import document_type, export_informea
from cami_extract.store.repository import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(corpus_sqlite, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    store = Store.open(corpus_sqlite)
    try:
        for fmt in ("jsonl", "parquet"):
            export(store, out, fmt)
        export(store, out / "bom", "csv", bom=True)
        export_informea(store, out)
    finally:
        store.close()
    return out


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_parquet_has_list_columns_and_structs(exported):
    activities = pq.read_table(exported / "activities.parquet")
    assert activities.schema.field("species").type == pa.list_(pa.string())
    assert pa.types.is_struct(activities.schema.field("funders").type.value_type)
    assert pa.types.is_struct(activities.schema.field("sources").type.value_type)
    rows = activities.to_pylist()
    pl = next(r for r in rows if r["title"] == "1st Range States Meeting for the Persian Leopard (PL-RS1)")
    assert pl["species"] == ["Panthera pardus saxicolor"]
    assert {"document": "UNEP/CMS/CAMI3/Doc.7", "paragraph": "8", "number": None, "page": 3} in pl["sources"]
    assert [n for n in activities.schema.names] == [n for n, _ in FIELDS["activities"]]
    mentions = pq.read_table(exported / "mentions.parquet")
    assert pa.types.is_map(mentions.schema.field("attrs").type)
    documents = pq.read_table(exported / "documents.parquet")
    assert documents.schema.field("flags").type == pa.list_(pa.string())
    assert all(isinstance(d["flags"], list) for d in documents.to_pylist())  # French is extracted now: []


def test_jsonl_has_no_json_inside_a_string(exported):
    for table in FIELDS:
        for row in _jsonl(exported / f"{table}.jsonl"):
            for value in row.values():
                assert not (isinstance(value, str) and value[:1] in "[{" and value[-1:] in "]}"), (table, value)
    docs = _jsonl(exported / "documents.jsonl")
    seed = next(d for d in docs if d["symbol"] == "UNEP/CMS/CAMI3/Doc.7" and d["language"] == "en")
    assert seed["flags"] == [] and (seed["meeting_start"], seed["meeting_end"]) == ("2025-06-24", "2025-06-26")
    dates = [m for m in _jsonl(exported / "mentions.jsonl") if m["entity_type"] == "date"]
    ranged = next(m for m in dates if "/" in m["canonical"])
    assert ranged["canonical"] == f"{ranged['date_start']}/{ranged['date_end']}"
    assert all(m["date_start"] is None for m in _jsonl(exported / "mentions.jsonl") if m["entity_type"] != "date")
    assert any(isinstance(m["attrs"], dict) and m["attrs"] for m in dates + _jsonl(exported / "mentions.jsonl"))


@pytest.mark.parametrize(
    "iso, start, end",
    [("2025-06-24/2025-06-26", "2025-06-24", "2025-06-26"), ("2021", "2021", "2021"), (None, None, None)],
)
def test_interval_cases(iso, start, end):
    assert (interval_start(iso), interval_end(iso)) == (start, end)


def test_csv_for_spreadsheets_starts_with_a_byte_order_mark(exported):
    raw = (exported / "bom" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsymbol,title,")


def test_informea_documents_fill_species_countries_and_references(exported):
    docs = {d["symbol"] + "|" + d["language"]: d for d in _jsonl(exported / "informea_documents.jsonl")}
    seed = docs["UNEP/CMS/CAMI3/Doc.7|en"]
    assert (seed["treaty"], seed["type"], seed["date"]) == ("cms", "working document", "2025-06-02")
    assert "Ovis ammon" in seed["species"] and "KAZ" in seed["countries"]
    assert "Decision 13.131" in seed["references"] and "meeting" in seed["keywords"]
    decisions = {d["title"]: d for d in _jsonl(exported / "informea_decisions.jsonl")}
    d = decisions["Decision 13.131"]
    assert (d["identifier"], d["number"], d["meeting"]) == ("cms-decision-13.131", "13.131", "COP13")
    assert {"document": "UNEP/CMS/CAMI3/Doc.7", "language": "en", "paragraph": "7", "page": 3} in d["cited_by"]


@pytest.mark.parametrize(
    "symbol, kind",
    [
        ("UNEP/CMS/CAMI3/Inf.2", "information document"),
        ("UNEP/CMS/COP14/Doc.28.2.1", "working document"),
        ("UNEP/CMS/PL-RS1/Outcome", "meeting report"),
        (None, "document"),
    ],
)
def test_document_type_cases(symbol, kind):
    assert document_type(symbol) == kind
