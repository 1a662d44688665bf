"""The activity register as Datasette facets it: one row per activity, its lists as JSON arrays.

The store keeps an activity's species, countries and funders inside its JSON ``body``, where no
facet can reach them, and the served store is immutable (no view can be added to it). So the
server builds this small second database from the export's rows (export.rows, the same values
as activities.jsonl) in a temporary folder, and Datasette facets its array columns
(``_facet_array``): which activities name Uncia uncia, which were funded by IKI.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, insert

from ..store.repository import Store

REGISTER_NAME = "register"
# Array columns: Datasette's facet_array counts each value of the JSON list once per row.
ARRAY_COLUMNS = ("species", "countries", "funders", "pow_refs")
FACETS = ["type", "status", "country", *({"array": c} for c in ARRAY_COLUMNS)]

_metadata = MetaData()
ACTIVITIES = Table(
    "activities",
    _metadata,
    Column("activity_id", String(40), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("start", String(10)),
    Column("end", String(10)),
    Column("status", String(16)),
    Column("place", Text),
    Column("country", String(3)),
    *(Column(c, Text, nullable=False) for c in ARRAY_COLUMNS),
    Column("documents", Text, nullable=False),
    Column("sources", Integer, nullable=False),
    Column("conflicts", Integer, nullable=False),
)
DESCRIPTIONS = {
    "activity_id": "The activity's id, as in the store's activities table and activities.jsonl.",
    "type": "meeting, workshop, study, project, publication, agreement or other.",
    "title": "The activity's name, from the report that takes precedence.",
    "start": "Start date (ISO 8601, as precise as the report).",
    "end": "End date (ISO 8601).",
    "status": "planned, under way or done.",
    "place": "City and country as printed.",
    "country": "ISO 3166-1 alpha-3 code of the place.",
    "species": "JSON list of the species (canonical scientific names) the activity concerns.",
    "countries": "JSON list of ISO 3166-1 alpha-3 codes of the countries it concerns.",
    "funders": "JSON list of its funders (canonical names).",
    "pow_refs": "JSON list of the Programme-of-Work activities it cites or implements.",
    "documents": "JSON list of the symbols of the reports that describe it.",
    "sources": "How many paragraphs describe it (activities.jsonl lists them).",
    "conflicts": "How many fields its reports disagree on.",
}


def _row(a: dict) -> dict:
    return {
        "activity_id": a["activity_id"],
        "type": a["type"],
        "title": a["title"],
        "start": a["start"],
        "end": a["end"],
        "status": a["status"],
        "place": a["place"],
        "country": a["country"],
        "species": json.dumps(a["species"], ensure_ascii=False),
        "countries": json.dumps(a["countries"]),
        "funders": json.dumps(sorted({f["funder"] for f in a["funders"]}), ensure_ascii=False),
        "pow_refs": json.dumps(a["pow_refs"], ensure_ascii=False),
        "documents": json.dumps(sorted({s["document"] for s in a["sources"]}), ensure_ascii=False),
        "sources": len(a["sources"]),
        "conflicts": len(a["conflicts"]),
    }


def write_register(store: Store, path: Path) -> Path:
    from ..export import rows

    engine = create_engine(f"sqlite:///{path}")
    try:
        _metadata.create_all(engine)
        data = [_row(a) for a in rows(store, "activities")]
        if data:
            with engine.begin() as conn:
                conn.execute(insert(ACTIVITIES), data)
    finally:
        engine.dispose()
    return path


@contextmanager
def register_file(store: Store) -> Iterator[Path]:
    """The register database in a temporary folder, removed when the server stops."""
    folder = Path(tempfile.mkdtemp(prefix="cami-register-"))
    try:
        yield write_register(store, folder / f"{REGISTER_NAME}.sqlite")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def register_metadata() -> dict:
    return {
        "description": (
            "The activity register, one row per activity, with facets on type, status, place, species, "
            "countries, funders and POW references (built from the store when the server starts)."
        ),
        "tables": {
            "activities": {
                "description": "Activities merged across reports (the store's activities, lists as JSON arrays).",
                "columns": DESCRIPTIONS,
                "facets": FACETS,
                "label_column": "title",
            }
        },
    }
