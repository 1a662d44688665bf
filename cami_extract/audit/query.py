"""Query the register and the documents: the library under `cami activities` and `cami show`.

Everything reads the export projections (``export.rows``), so a query answers with the same
fields, names and order as the exported tables (docs/schema.md).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from ..errors import UnknownDocument
from ..export import rows
from ..model import OCR
from ..store.repository import Store
from ..store.schema import Document


@dataclass(frozen=True, slots=True)
class ActivityFilter:
    """Every field optional; a given one must match. Text matches ignore case."""

    type: str | None = None
    species: str | None = None  # a canonical species, or part of one ("uncia")
    country: str | None = None  # ISO alpha-3 ("MNG")
    funder: str | None = None  # part of a funder's name ("Germany", "IKI")
    date_from: str | None = None  # ISO date or prefix: the activity ends on or after it
    date_to: str | None = None  # ISO date or prefix: the activity starts on or before it


def _contains(needle: str | None, values: list[str]) -> bool:
    return needle is None or any(needle.casefold() in v.casefold() for v in values if v)


def matches(activity: dict, f: ActivityFilter, *, acronyms: dict[str, list[str]] | None = None) -> bool:
    """Does one exported activity row pass the filter? Undated activities never pass a date bound.

    ``acronyms`` maps an organisation's name to the acronyms printed for it, so ``--funder IKI``
    finds the International Climate Initiative.
    """
    if f.type and (activity["type"] or "").casefold() != f.type.casefold():
        return False
    if not _contains(f.species, activity["species"]):
        return False
    countries = list(activity["countries"]) + ([activity["country"]] if activity["country"] else [])
    if f.country and f.country.casefold() not in {c.casefold() for c in countries}:
        return False
    names = [x["funder"] for x in activity["funders"]]
    if not _contains(f.funder, names + [a for n in names for a in (acronyms or {}).get(n, [])]):
        return False
    start, end = activity["start"], activity["end"] or activity["start"]
    # ISO strings at any precision compare as text: "2022-09" >= "2022" and "2022-09" <= "2022-12".
    if f.date_from and (end is None or end < f.date_from[: len(end)]):
        return False
    return not (f.date_to and (start is None or start[: len(f.date_to)] > f.date_to))


def activities(store: Store, where: ActivityFilter | None = None) -> list[dict]:
    """Activity rows (as exported) passing the filter, in the register's order."""
    f = where or ActivityFilter()
    acronyms = {}
    if f.funder:
        acronyms = {e["name"]: e["acronyms"] for e in rows(store, "entities") if e["type"] == "organisation"}
    return [a for a in rows(store, "activities") if matches(a, f, acronyms=acronyms)]


@dataclass(slots=True)
class DocumentSummary:
    """What one stored paper contains: its cover, its counts, its activities, failures and flags."""

    cover: dict
    mention_counts: dict[str, int]
    block_counts: dict[str, int]
    text_sources: dict[str, int] = field(default_factory=dict)  # blocks per source: text_layer, ocr
    ocr: list[dict] = field(default_factory=list)  # per engine and languages: blocks, mean confidence
    activities: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "cover": self.cover,
            "mention_counts": self.mention_counts,
            "block_counts": self.block_counts,
            "text_sources": self.text_sources,
            "ocr": self.ocr,
            "activities": self.activities,
            "failures": self.failures,
            "flags": self.flags,
            "warnings": self.warnings,
        }


def find_document(store: Store, name: str) -> Document:
    """A stored document by symbol, sha256 (or its first 12+ digits) or file path; current first, English first."""
    with store.session() as s:
        q = select(Document).where(
            or_(Document.symbol == name, Document.sha256 == name, Document.path == name, Document.path.endswith(name))
        )
        if len(name) >= 12 and all(c in "0123456789abcdef" for c in name):
            q = select(Document).where(Document.sha256.startswith(name))
        found = sorted(s.scalars(q), key=lambda d: (d.status != "current", d.language != "en", d.sha256))
    if not found:
        raise UnknownDocument(f"no stored document with symbol, sha256 or path {name!r}")
    return found[0]


def _ocr_summary(engine: str | None, languages: str | None, confidences: list[float | None]) -> dict:
    known = [c for c in confidences if c is not None]
    mean = round(sum(known) / len(known), 3) if known else None
    return {"engine": engine, "languages": languages, "blocks": len(confidences), "mean_confidence": mean}


def show(store: Store, name: str) -> DocumentSummary:
    doc = find_document(store, name)
    cover = next(d for d in rows(store, "documents", all_versions=True) if d["sha256"] == doc.sha256)
    cover = {k: v for k, v in cover.items() if k != "flags"}
    doc_name = doc.symbol or doc.path.rsplit("/", 1)[-1]
    mention_counts: Counter[str] = Counter()
    block_counts: Counter[str] = Counter()
    text_sources: Counter[str] = Counter()
    ocr_confidences: dict[tuple[str | None, str | None], list[float | None]] = {}
    for p in rows(store, "paragraphs", all_versions=True):
        if p["sha256"] == doc.sha256:
            block_counts[p["kind"]] += 1
            text_sources[p["source"]] += 1
            if p["source"] == OCR:
                ocr_confidences.setdefault((p["ocr_engine"], p["ocr_languages"]), []).append(p["ocr_confidence"])
    for m in rows(store, "mentions", all_versions=True):
        if m["sha256"] == doc.sha256:
            mention_counts[m["entity_type"]] += 1
    acts = [
        a
        for a in rows(store, "activities")
        if any(s["document"] == doc_name and s.get("language", doc.language) == doc.language for s in a["sources"])
    ]
    fails = [f for f in rows(store, "failures") if f["sha256"] == doc.sha256 or f["path"] == doc.path]
    return DocumentSummary(
        cover=cover,
        mention_counts=dict(sorted(mention_counts.items())),
        block_counts=dict(sorted(block_counts.items())),
        text_sources=dict(sorted(text_sources.items())),
        ocr=[
            _ocr_summary(engine, languages, found)
            for (engine, languages), found in sorted(ocr_confidences.items(), key=str)
        ],
        activities=acts,
        failures=fails,
        flags=json.loads(doc.flags or "[]"),
        warnings=json.loads(doc.warnings or "[]"),
    )
