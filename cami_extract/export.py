"""Export tables for other tools: JSONL, CSV, Parquet or spreadsheets (xlsx), one file per table.

Rows come out in a stable order sorted in Python (not by the database, whose NULL
ordering differs between SQLite and PostgreSQL), so two JSONL, CSV or Parquet exports of
the same database are byte-identical (an xlsx file records when it was written). Field
meanings: docs/schema.md.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from .reconcile import rows as reconcile_rows
from .store.repository import Store
from .store.schema import BlockRow, Document, FailureRow, MentionRow

FORMATS = ("jsonl", "csv", "parquet", "xlsx")

# (field, arrow type) per table, in output order.
FIELDS: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("symbol", "string"),
        ("title", "string"),
        ("issue_date", "string"),
        ("language", "string"),
        ("meeting", "string"),
        ("meeting_place", "string"),
        ("meeting_dates", "string"),
        ("meeting_start", "string"),
        ("meeting_end", "string"),
        ("agenda_item", "string"),
        ("original_language", "string"),
        ("sha256", "string"),
        ("path", "string"),
        ("pages", "int64"),
        ("ocr_pages", "int64"),
        ("status", "string"),
        ("superseded_by", "string"),
        ("flags", "string"),
    ],
    "paragraphs": [
        ("document", "string"),
        ("language", "string"),
        ("sha256", "string"),
        ("seq", "int64"),
        ("label", "string"),
        ("kind", "string"),
        ("page", "int64"),
        ("page_last", "int64"),
        ("source", "string"),
        ("ocr_engine", "string"),
        ("ocr_languages", "string"),
        ("ocr_confidence", "float64"),
        ("text", "string"),
    ],
    "mentions": [
        ("document", "string"),
        ("language", "string"),
        ("sha256", "string"),
        ("page", "int64"),
        ("paragraph", "string"),
        ("block_seq", "int64"),
        ("entity_type", "string"),
        ("text", "string"),
        ("canonical", "string"),
        ("date_start", "string"),
        ("date_end", "string"),
        ("start", "int64"),
        ("end", "int64"),
        ("extractor", "string"),
        ("confidence", "float64"),
        ("attrs", "string"),
    ],
    "failures": [
        ("path", "string"),
        ("sha256", "string"),
        ("stage", "string"),
        ("error_code", "string"),
        ("reason", "string"),
        ("message", "string"),
    ],
    **reconcile_rows.FIELDS,  # activities, entities, activity_links, conflicts (reconcile/rows.py)
}


def interval_start(iso: str | None) -> str | None:
    """'2025-06-24/2025-06-26' -> '2025-06-24'; a single date is its own start."""
    return iso.split("/", 1)[0] if iso else None


def interval_end(iso: str | None) -> str | None:
    """'2025-06-24/2025-06-26' -> '2025-06-26'; a single date is its own end."""
    return iso.rsplit("/", 1)[-1] if iso else None


def _doc_name(d: Document) -> str:
    return d.symbol or Path(d.path).name


def _doc_order(d: Document) -> tuple:
    return (d.symbol is None, d.symbol or "", d.language or "", d.status != "current", d.sha256)


def rows(store: Store, table: str, *, all_versions: bool = False) -> Iterator[dict]:
    if table in reconcile_rows.TABLES:
        yield from reconcile_rows.rows(store, table)
        return
    with store.session() as s:
        docs = sorted(s.scalars(select(Document)), key=_doc_order)
        if not all_versions:
            docs = [d for d in docs if d.status == "current"]
        sha_of = {d.id: d.sha256 for d in s.scalars(select(Document))}
        if table == "documents":
            for d in docs:
                yield {
                    "symbol": d.symbol,
                    "title": d.title,
                    "issue_date": d.issue_date,
                    "language": d.language,
                    "meeting": d.meeting,
                    "meeting_place": d.meeting_place,
                    "meeting_dates": d.meeting_dates,
                    "meeting_start": interval_start(d.meeting_dates),
                    "meeting_end": interval_end(d.meeting_dates),
                    "agenda_item": d.agenda_item,
                    "original_language": d.original_language,
                    "sha256": d.sha256,
                    "path": d.path,
                    "pages": d.page_count,
                    "ocr_pages": d.ocr_pages,
                    "status": d.status,
                    "superseded_by": sha_of.get(d.superseded_by) if d.superseded_by else None,
                    "flags": json.loads(d.flags or "[]"),
                }
        elif table == "paragraphs":
            for d in docs:
                for b in s.scalars(select(BlockRow).where(BlockRow.document_id == d.id).order_by(BlockRow.seq)):
                    yield {
                        "document": _doc_name(d),
                        "language": d.language,
                        "sha256": d.sha256,
                        "seq": b.seq,
                        "label": b.label,
                        "kind": b.kind,
                        "page": b.page_first,
                        "page_last": b.page_last,
                        "source": b.source,
                        "ocr_engine": b.ocr_engine,
                        "ocr_languages": b.ocr_languages,
                        "ocr_confidence": b.ocr_confidence,
                        "text": b.text,
                    }
        elif table == "mentions":
            for d in docs:
                blocks = {b.id: b for b in s.scalars(select(BlockRow).where(BlockRow.document_id == d.id))}
                ms = list(s.scalars(select(MentionRow).where(MentionRow.document_id == d.id)))
                ms.sort(
                    key=lambda m: (blocks[m.block_id].seq, m.start_offset, m.end_offset, m.entity_type, m.canonical)
                )
                for m in ms:
                    b = blocks[m.block_id]
                    yield {
                        "document": _doc_name(d),
                        "language": d.language,
                        "sha256": d.sha256,
                        "page": m.page,
                        "paragraph": b.label,
                        "block_seq": b.seq,
                        "entity_type": m.entity_type,
                        "text": m.text,
                        "canonical": m.canonical,
                        "date_start": interval_start(m.canonical) if m.entity_type == "date" else None,
                        "date_end": interval_end(m.canonical) if m.entity_type == "date" else None,
                        "start": m.start_offset,
                        "end": m.end_offset,
                        "extractor": m.extractor,
                        "confidence": m.confidence,
                        "attrs": json.loads(m.attrs or "{}"),
                    }
        elif table == "failures":
            fs = sorted(s.scalars(select(FailureRow)), key=lambda f: (f.path, f.sha256, f.stage, f.error_code))
            for f in fs:
                yield {
                    "path": f.path,
                    "sha256": f.sha256 or None,
                    "stage": f.stage,
                    "error_code": f.error_code,
                    "reason": f.reason,
                    "message": f.message,
                }
        else:
            raise ValueError(f"unknown table {table!r}")


def export(
    store: Store,
    out_dir: str | Path,
    fmt: str,
    *,
    all_versions: bool = False,
    tables: tuple[str, ...] = tuple(FIELDS),
    bom: bool = False,
) -> dict[str, tuple[Path, int]]:
    """Write one file per table into ``out_dir``; returns {table: (path, row count)}.

    ``bom``: CSV files start with a UTF-8 byte-order mark, for spreadsheet programs.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in tables:
        data = list(rows(store, table, all_versions=all_versions))
        path = out / f"{table}.{fmt}"
        if fmt == "csv":
            _csv(path, table, data, bom=bom)
        else:
            {"jsonl": _jsonl, "parquet": _parquet, "xlsx": _xlsx}[fmt](path, table, data)
        written[table] = (path, len(data))
    return written


def _flat(value):
    """Lists and records as JSON text in a CSV cell (and a list value inside a Parquet struct)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _jsonl(path: Path, table: str, data: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in data:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _csv(path: Path, table: str, data: list[dict], *, bom: bool = False) -> None:
    names = [n for n, _ in FIELDS[table]]
    # utf-8-sig writes a byte-order mark, which spreadsheet programs need to read UTF-8 as UTF-8.
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _flat(v) for k, v in row.items()} for row in data)


def nested_types() -> dict[tuple[str, str], object]:
    """Arrow types of the list and record fields: Parquet readers (pandas, R arrow, DuckDB) get
    list columns and structs, not JSON text. Every other field has the plain type of FIELDS."""
    import pyarrow as pa

    text = pa.string()
    names = pa.list_(text)
    source = pa.struct([("document", text), ("paragraph", text), ("number", text), ("page", pa.int64())])
    value = pa.struct([("value", text), ("document", text), ("paragraph", text)])
    mention = pa.struct(
        [("document", text), ("paragraph", text), ("page", pa.int64()), ("start", pa.int64()), ("end", pa.int64())]
    )
    return {
        ("documents", "flags"): names,
        ("mentions", "attrs"): pa.map_(text, text),
        **{("activities", f): names for f in ("countries", "species", "organisers", "outputs", "pow_refs")},
        ("activities", "funders"): pa.list_(pa.struct([("funder", text), ("amount", text)])),
        ("activities", "sources"): pa.list_(source),
        ("activities", "conflicts"): pa.list_(pa.struct([("field", text), ("values", pa.list_(value))])),
        ("conflicts", "values"): pa.list_(value),
        ("entities", "acronyms"): names,
        ("entities", "aliases"): names,
        ("entities", "mentions"): pa.list_(mention),
    }


def _arrow_value(value):
    """A conflict's value can be a list (two funder lists disagree): as text in a string field."""
    if isinstance(value, list) and value and isinstance(value[0], dict) and "value" in value[0]:
        return [{**v, "value": _flat(v["value"])} for v in value]
    if isinstance(value, list) and value and isinstance(value[0], dict) and "values" in value[0]:
        return [{**c, "values": _arrow_value(c["values"])} for c in value]
    return value


def _parquet(path: Path, table: str, data: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    nested = nested_types()
    fields = [(n, nested.get((table, n)) or getattr(pa, t)()) for n, t in FIELDS[table]]
    schema = pa.schema(fields)
    columns = {
        n: [_arrow_value(row[n]) if (table, n) in nested else _flat(row[n]) for row in data] for n, _ in FIELDS[table]
    }
    if ("mentions", "attrs") in nested and table == "mentions":
        columns["attrs"] = [sorted(a.items()) for a in columns["attrs"]]  # map entries in key order
    pq.write_table(pa.table(columns, schema=schema), path, compression="zstd")


# Characters an xlsx file (XML 1.0) cannot hold, and the longest text a spreadsheet cell holds.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_CELL_MAX = 32_767


def _cell(value):
    if not isinstance(value, str):
        return value
    value = _NOT_IN_XML.sub("\ufffd", value)  # one for one, as in the database
    return value if len(value) <= EXCEL_CELL_MAX else value[: EXCEL_CELL_MAX - 1] + "\u2026"


def _xlsx(path: Path, table: str, data: list[dict]) -> None:
    import pandas as pd

    names = [n for n, _ in FIELDS[table]]
    frame = pd.DataFrame([[_cell(_flat(row[n])) for n in names] for row in data], columns=names)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=table, index=False, freeze_panes=(1, 0))
