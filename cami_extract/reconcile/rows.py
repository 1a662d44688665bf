"""One projection per reconcile table, for export (``cami_extract/export.py``): plain dicts.

Read through :class:`ReconcileRepository`; rows come sorted by their content ids so two
exports of the same store are byte-identical, whatever order the reports were ingested in.
Only current documents count: a superseded version's mentions are not an entity's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..store.reconcile_repo import ReconcileRepository
from ..store.repository import Store
from .keys import entity_id

TABLES = ("activities", "entities", "activity_links", "conflicts")

FIELDS: dict[str, list[tuple[str, str]]] = {
    "activities": [
        ("activity_id", "string"),
        ("type", "string"),
        ("title", "string"),
        ("start", "string"),
        ("end", "string"),
        ("place", "string"),
        ("city", "string"),
        ("country", "string"),
        ("countries", "string"),
        ("species", "string"),
        ("funders", "string"),
        ("organisers", "string"),
        ("outputs", "string"),
        ("pow_refs", "string"),
        ("status", "string"),
        ("sources", "string"),
        ("conflicts", "string"),
    ],
    "entities": [
        ("entity_id", "string"),
        ("type", "string"),
        ("name", "string"),
        ("acronyms", "string"),
        ("aliases", "string"),
        ("document_sha256", "string"),
        ("mention_count", "int64"),
        ("mentions", "string"),
    ],
    "activity_links": [
        ("link_id", "string"),
        ("activity_id", "string"),
        ("claim_a", "string"),
        ("document_a", "string"),
        ("paragraph_a", "string"),
        ("claim_b", "string"),
        ("document_b", "string"),
        ("paragraph_b", "string"),
        ("rule", "string"),
        ("score", "float64"),
        ("reason", "string"),
    ],
    "conflicts": [
        ("conflict_id", "string"),
        ("activity_id", "string"),
        ("field", "string"),
        ("values", "string"),
    ],
}


def rows(store: Store, table: str) -> Iterator[dict]:
    repo = ReconcileRepository(store)
    if table == "activities":
        for a, conflicts in repo.activity_rows():
            body = json.loads(a.body)
            yield {
                "activity_id": a.activity_id,
                "type": a.type,
                "title": a.title,
                "start": a.start,
                "end": a.end,
                "place": body.get("place"),
                "city": body.get("city"),
                "country": body.get("country"),
                "countries": body.get("countries", []),
                "species": body.get("species", []),
                "funders": body.get("funders", []),
                "organisers": body.get("organisers", []),
                "outputs": body.get("outputs", []),
                "pow_refs": body.get("pow_refs", []),
                "status": a.status,
                "sources": [
                    {k: s[k] for k in ("document", "paragraph", "number", "page") if k in s} for s in body["sources"]
                ],
                "conflicts": [
                    {
                        "field": c.field,
                        "values": [{k: v[k] for k in ("value", "document", "paragraph")} for v in json.loads(c.values)],
                    }
                    for c in conflicts
                ],
            }
    elif table == "activity_links":
        docs = {d.document_id: d.name for d in repo.documents()}
        for link, claim_a, claim_b in repo.link_rows():
            yield {
                "link_id": link.link_id,
                "activity_id": link.activity_id,
                "claim_a": link.claim_a,
                "document_a": docs.get(claim_a.document_id),
                "paragraph_a": claim_a.paragraph,
                "claim_b": link.claim_b,
                "document_b": docs.get(claim_b.document_id),
                "paragraph_b": claim_b.paragraph,
                "rule": link.rule,
                "score": link.score,
                "reason": link.reason,
            }
    elif table == "conflicts":
        for c in repo.conflict_rows():
            yield {
                "conflict_id": c.conflict_id,
                "activity_id": c.activity_id,
                "field": c.field,
                "values": [{k: v[k] for k in ("value", "document", "paragraph")} for v in json.loads(c.values)],
            }
    elif table == "entities":
        yield from _entities(repo)
    else:
        raise ValueError(f"unknown table {table!r}")


def _entities(repo: ReconcileRepository) -> Iterator[dict]:
    docs = {d.document_id: d for d in repo.documents()}
    labels = repo.block_labels()
    by_symbol = {d.symbol: d.sha256 for d in docs.values() if d.current and d.symbol}
    grouped: dict[str, dict] = {}
    for m in repo.entity_mention_rows():
        d = docs.get(m.document_id)
        if d is None or not d.current:
            continue
        e = grouped.setdefault(
            m.entity_id, {"type": m.entity_type, "name": m.key, "acronyms": set(), "aliases": set(), "mentions": []}
        )
        attrs = json.loads(m.attrs or "{}")
        if attrs.get("acronym"):
            e["acronyms"].add(attrs["acronym"])
        if m.text != m.key:
            e["aliases"].add(m.text)
        e["mentions"].append(
            {
                "document": d.name,
                "paragraph": labels.get((m.document_id, m.block_seq)),
                "page": m.page,
                "start": m.start_offset,
                "end": m.end_offset,
            }
        )
    # Meetings reported as activities are entities too, one per activity.
    for a, _ in repo.activity_rows():
        if a.type in ("meeting", "workshop"):
            body = json.loads(a.body)
            e = grouped.setdefault(
                entity_id("meeting", a.activity_id),
                {"type": "meeting", "name": a.title, "acronyms": set(), "aliases": set(), "mentions": []},
            )
            e["mentions"].extend(
                {"document": s["document"], "paragraph": s["paragraph"], "page": s["page"], "start": None, "end": None}
                for s in body["sources"]
            )
    for eid in sorted(grouped):
        e = grouped[eid]
        mentions = sorted(
            # every key of the record: the editions of one symbol share document, paragraph and
            # offsets, and only a full key makes their order independent of the ingest order
            e["mentions"],
            key=lambda m: (m["document"], m["paragraph"] or "", m["start"] or 0, m["end"] or 0, m["page"] or 0),
        )
        yield {
            "entity_id": eid,
            "type": e["type"],
            "name": e["name"],
            "acronyms": sorted(e["acronyms"]),
            "aliases": sorted(e["aliases"]),
            "document_sha256": by_symbol.get(e["name"]) if e["type"] == "document" else None,
            "mention_count": len(mentions),
            "mentions": mentions,
        }
