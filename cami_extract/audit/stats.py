"""The audit's tables, as pandas DataFrames: one function per table, rows in a stable order.

Every table is derived from the export projections (``export.rows``) and the audit read API
(``store/audit_repo.py``), so the page, its Markdown and its CSV say the same thing.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

from ..export import rows
from ..store.audit_repo import AuditRepository, ClaimSource
from ..store.reconcile_repo import ReconcileRepository
from ..store.repository import Store

# Number words a report uses to count what it lists ("nine meetings, five studies").
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
        ]
    )
}
# Kind nouns a report counts, and the heading and activity types each belongs to.
COUNTED_KINDS = {
    "meetings": ("Meetings", ("meeting", "workshop")),
    "workshops": ("Meetings", ("workshop",)),
    "studies": ("Studies", ("study", "publication")),
    "projects": ("Projects", ("project",)),
}
COUNT_CLAIM = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r"|\d{1,2})\s+(" + "|".join(COUNTED_KINDS) + r")\b", re.I)
# A report's summary counts two kinds or more in one sentence ("nine meetings, five studies and
# two projects"); a single count ("the two Meetings in Almaty") names things, it does not tally.
MIN_KINDS_COUNTED = 2


class AuditData:
    """Everything the page needs, read once."""

    def __init__(self, store: Store):
        self.documents = list(rows(store, "documents"))
        self.activities = list(rows(store, "activities"))
        self.mentions = [m for m in rows(store, "mentions")]
        self.conflicts = list(rows(store, "conflicts"))
        repo = AuditRepository(store)
        self.claims: dict[str, ClaimSource] = repo.claim_sources()
        self.sections = repo.sections()
        self.bodies = {a.activity_id: a.body for a, _ in ReconcileRepository(store).activity_rows()}
        self.titles = {a["activity_id"]: a["title"] for a in self.activities}


def _doc_label(document: str, language: str | None) -> str:
    return document if language in (None, "en") else f"{document} [{language}]"


def register(data: AuditData) -> pd.DataFrame:
    """One row per source of each activity: where it was read, the sentence and the box."""
    import json

    out = []
    for a in data.activities:
        body = json.loads(data.bodies[a["activity_id"]])
        for src in body["sources"]:
            c = data.claims.get(src.get("claim_id", ""))
            out.append(
                {
                    "activity_id": a["activity_id"],
                    "type": a["type"],
                    "title": a["title"],
                    "start": a["start"],
                    "end": a["end"],
                    "place": a["place"],
                    "status": a["status"],
                    "document": src["document"],
                    "paragraph": src["paragraph"],
                    "page": src["page"],
                    "sentence": c.sentence if c else None,
                    "bbox": " ".join(f"{v:.1f}" for v in c.bbox) if c and c.bbox else None,
                    "start_offset": c.start if c else None,
                    "end_offset": c.end if c else None,
                    # The command that shows this source again, from the store.
                    "where": f"cami where {src['document']} {src['paragraph']} {c.start} {c.end}"
                    if c and src["paragraph"]
                    else None,
                }
            )
    cols = ["activity_id", "type", "title", "start", "end", "place", "status", "document", "paragraph", "page"]
    cols += ["sentence", "bbox", "start_offset", "end_offset", "where"]
    return pd.DataFrame(out, columns=cols)


def timeline(data: AuditData) -> pd.DataFrame:
    """Dated activities: type, year of start, title (the chart's points)."""
    out = [
        {"type": a["type"], "start": a["start"], "end": a["end"] or a["start"], "title": a["title"]}
        for a in data.activities
        if a["start"]
    ]
    return pd.DataFrame(out, columns=["type", "start", "end", "title"]).sort_values(["type", "start", "title"])


def coverage(data: AuditData, entity_type: str) -> pd.DataFrame:
    """Mentions per (canonical, report): species × report or country × report."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for m in data.mentions:
        if m["entity_type"] == entity_type:
            counts[(m["canonical"], _doc_label(m["document"], m["language"]))] += 1
    if not counts:
        return pd.DataFrame()
    frame = pd.Series(counts).unstack(fill_value=0).sort_index().sort_index(axis=1)
    frame.index.name = entity_type
    frame.columns.name = None
    frame["reports"] = (frame > 0).sum(axis=1)
    return frame.astype(int).reset_index()


def funders(data: AuditData) -> pd.DataFrame:
    out = [
        {
            "activity_id": a["activity_id"],
            "title": a["title"],
            "start": a["start"],
            "funder": f["funder"],
            "amount": f.get("amount"),
        }
        for a in data.activities
        for f in a["funders"]
    ]
    return pd.DataFrame(out, columns=["activity_id", "title", "start", "funder", "amount"])


def conflicts(data: AuditData) -> pd.DataFrame:
    """One row per conflict, its values side by side: value 1 (document ¶), value 2, ..."""
    out = []
    width = max((len(c["values"]) for c in data.conflicts), default=0)
    for c in data.conflicts:
        row = {"activity_id": c["activity_id"], "title": data.titles.get(c["activity_id"]), "field": c["field"]}
        for i, v in enumerate(c["values"], 1):
            row[f"value {i}"] = f"{v['value']} ({v['document']} ¶{v['paragraph']})"
        out.append(row)
    cols = ["activity_id", "title", "field"] + [f"value {i}" for i in range(1, width + 1)]
    return pd.DataFrame(out, columns=cols)


def own_counts(data: AuditData) -> pd.DataFrame:
    """A report's own counts ("nine meetings") against the paragraphs under the matching heading,
    and the activities of that kind the reconciler read from them."""
    claims_at: dict[tuple[str, int], list[ClaimSource]] = defaultdict(list)
    for c in data.claims.values():
        if not c.plan:
            claims_at[(c.document, c.block_seq)].append(c)
    out = []
    for document, language, _heading, paragraphs in data.sections:
        if language not in (None, "en"):
            continue  # the French translation repeats the English figures
        under = {h.strip().casefold(): ps for d, lang, h, ps in data.sections if (d, lang) == (document, language)}
        for _seq, label, text in paragraphs:
            for sentence in _sentences(text):
                found = list(COUNT_CLAIM.finditer(sentence))
                if len({m.group(2).lower() for m in found}) < MIN_KINDS_COUNTED:
                    continue
                out += _check(document, label, found, under, claims_at)
    cols = ["document", "paragraph", "claim", "said", "heading", "paragraphs_listed", "activities_read"]
    cols += ["agrees_paragraphs", "agrees_activities"]
    return pd.DataFrame(out, columns=cols)


def _sentences(text: str) -> list[str]:
    from ..provenance import SENTENCE_END

    return SENTENCE_END.split(text)


def _check(document: str, label: str | None, found: list[re.Match], under: dict, claims_at: dict) -> list[dict]:
    """Each count of one summary sentence against the paragraphs under its heading."""
    out = []
    for m in found:
        word, noun = m.group(1).lower(), m.group(2).lower()
        said = NUMBER_WORDS.get(word, int(word) if word.isdigit() else -1)
        heading, types = COUNTED_KINDS[noun]
        listed = under.get(heading.casefold())
        if listed is None:
            continue  # a count of things the report does not list under a heading
        acts = {c.activity_id or c.claim_id for s, _, _ in listed for c in claims_at[(document, s)] if c.type in types}
        out.append(
            {
                "document": document,
                "paragraph": label,
                "claim": m.group(0),
                "said": said,
                "heading": heading,
                "paragraphs_listed": len(listed),
                "activities_read": len(acts),
                "agrees_paragraphs": "yes" if said == len(listed) else "no",
                "agrees_activities": "yes" if said == len(acts) else "no",
            }
        )
    return out


def pow_coverage(data: AuditData) -> pd.DataFrame:
    """Each numbered Programme-of-Work item and the reports that cite or implement it."""
    items: dict[str, dict] = {}
    for c in sorted(data.claims.values(), key=lambda c: (c.document, c.block_seq)):
        if c.plan and c.number:
            items.setdefault(c.number, {"number": c.number, "item": c.title, "plan": c.document, "acts": set()})
            if c.activity_id:
                items[c.number]["acts"].add(c.activity_id)
    cited: dict[str, set[str]] = defaultdict(set)
    for c in data.claims.values():
        if c.plan:
            continue
        for n in c.pow_refs:
            cited[n].add(c.document)
        item = next((i for i in items.values() if c.activity_id and c.activity_id in i["acts"]), None)
        if item is not None:
            cited[item["number"]].add(c.document)
    for a in data.activities:
        for n in a["pow_refs"]:
            cited[n].update(s["document"] for s in a["sources"] if s["number"] != n)
    out = []
    for number in sorted(items, key=lambda n: [int(p) if p.isdigit() else p for p in re.split(r"\.", n)]):
        i = items[number]
        reports = sorted(cited.get(number, set()) - {i["plan"]})
        out.append(
            {
                "number": number,
                "item": i["item"],
                "reports": ", ".join(reports),
                "report_count": len(reports),
                "reported": "yes" if reports else "never",
            }
        )
    return pd.DataFrame(out, columns=["number", "item", "reports", "report_count", "reported"])


def activity_counts(data: AuditData) -> pd.DataFrame:
    by: dict[str, int] = defaultdict(int)
    for a in data.activities:
        by[a["type"]] += 1
    return pd.DataFrame(sorted(by.items()), columns=["type", "activities"])
