"""An InforMEA-shaped export: the documents, and the decisions and resolutions they cite.

InforMEA (the UN portal of environmental treaties) describes a document by identifier, title,
type, treaty, meeting, date and keywords, and leaves the species, countries and references it
mentions empty; here they are filled from the store. One JSON object per line, no JSON in a
string; fields in docs/schema.md ("InforMEA export").
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from .export import interval_start, rows
from .store.repository import Store

TREATY = "cms"  # InforMEA's treaty key for the Convention on Migratory Species
DECISION = re.compile(r"^(Decision|Resolution|Recommendation)\s+(\d+)\.(\S+)(?:\s+\((Rev\.[^)]*)\))?$")
# Document type from the symbol's last part, as CMS names them.
DOC_TYPES = [
    (re.compile(r"/Inf\."), "information document"),
    (re.compile(r"/Doc\."), "working document"),
    (re.compile(r"/(Report|Outcome)\b"), "meeting report"),
]


def document_type(symbol: str | None) -> str:
    for pattern, name in DOC_TYPES:
        if symbol and pattern.search(symbol):
            return name
    return "document"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def informea_records(store: Store) -> tuple[list[dict], list[dict]]:
    """(documents, decisions), each sorted by identifier."""
    mentions_of: dict[tuple[str, str | None], list[dict]] = defaultdict(list)
    for m in rows(store, "mentions"):
        mentions_of[(m["document"], m["language"])].append(m)
    types_of: dict[str, set[str]] = defaultdict(set)
    for a in rows(store, "activities"):
        for s in a["sources"]:
            types_of[s["document"]].add(a["type"])
    documents, cited = [], defaultdict(list)
    for d in rows(store, "documents"):
        name = d["symbol"] or Path(d["path"]).name
        ms = mentions_of[(name, d["language"])]
        refs = sorted({m["canonical"] for m in ms if m["entity_type"] == "document_code"})
        for m in ms:
            if m["entity_type"] == "document_code" and DECISION.match(m["canonical"]):
                cited[m["canonical"]].append(
                    {"document": name, "language": d["language"], "paragraph": m["paragraph"], "page": m["page"]}
                )
        documents.append(
            {
                "identifier": f"{TREATY}-{_slug(name)}-{d['language'] or 'und'}",
                "symbol": d["symbol"],
                "title": d["title"],
                "type": document_type(d["symbol"]),
                "treaty": TREATY,
                "meeting": d["meeting"],
                "meeting_place": d["meeting_place"],
                "date": d["issue_date"] or interval_start(d["meeting_dates"]),
                "language": d["language"],
                "keywords": sorted(types_of.get(name, set())),
                "species": sorted({m["canonical"] for m in ms if m["entity_type"] == "species"}),
                "countries": sorted({m["canonical"] for m in ms if m["entity_type"] == "country"}),
                "references": refs,
                "sha256": d["sha256"],
            }
        )
    decisions = []
    for code, where in cited.items():
        parts = DECISION.match(code)
        assert parts is not None  # only matching codes were collected
        kind, meeting, number, revision = parts.groups()
        decisions.append(
            {
                "identifier": f"{TREATY}-{kind.lower()}-{meeting}.{number}"
                + (f"-{_slug(revision)}" if revision else ""),
                "title": code,
                "type": kind.lower(),
                "treaty": TREATY,
                "number": f"{meeting}.{number}",
                "meeting": f"COP{meeting}",
                "revision": revision,
                "cited_by": sorted(where, key=lambda w: (w["document"], w["language"] or "", w["paragraph"] or "")),
            }
        )
    documents.sort(key=lambda r: r["identifier"])
    decisions.sort(key=lambda r: r["identifier"])
    return documents, decisions


def export_informea(store: Store, out_dir: str | Path) -> dict[str, tuple[Path, int]]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, records in zip(("informea_documents", "informea_decisions"), informea_records(store), strict=True):
        path = out / f"{name}.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        written[name] = (path, len(records))
    return written
