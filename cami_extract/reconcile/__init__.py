"""The reconcile stage: stored reports -> activity claims -> activities, links, conflicts, entities.

This module is the stage's only I/O; it reads and writes through
:class:`~cami_extract.store.reconcile_repo.ReconcileRepository`. The rules are pure
(``activities.py`` reads claims, ``merge.py`` matches and assembles them).

* :func:`reconcile_document` runs after a document is stored (the ingest hook): its claims are
  appended once, then only the components they touch are recomputed.
* :func:`reconcile_all` (``cami reconcile``) catches up on documents without claims;
  ``rebuild=True`` recomputes every activity from the claims.

Both give the same tables: the greedy linking in ``merge.components`` depends only on the
candidate graph of a component, and the incremental path recomputes whole candidate
components (found by a search from the new and the retired claims).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from ..errors import ReconcileFailed
from ..model import Failure
from ..store.reconcile_repo import DocumentInfo, ReconcileRepository, StoredClaim
from ..store.repository import RECONCILE_LOCK, Store
from .activities import CLAIMS_VERSION, ClaimReader, ReportView
from .keys import entity_id, source_key
from .merge import (
    ClaimInReport,
    MatchConfig,
    MergeStats,
    assemble,
    candidate_pairs,
    compare,
    components,
    standing_of,
)

log = logging.getLogger(__name__)

__all__ = ["MatchConfig", "ReconcileReport", "explain_claims", "reconcile_all", "reconcile_document"]

# Entity types of the register, from the mention types of the extract stage.
ENTITY_OF_MENTION = {"species": "species", "country": "country", "funder": "organisation", "document_code": "document"}


@dataclass(slots=True)
class ReconcileReport:
    documents: int = 0  # documents whose claims were read now
    claims: int = 0
    activities: int = 0  # activities written
    links: int = 0
    conflicts: int = 0
    skipped: Counter = field(default_factory=Counter)  # paragraphs without a claim, by reason
    refused: Counter = field(default_factory=Counter)  # pairs and merges refused, by reason

    def counts(self) -> dict:
        return {
            "documents": self.documents,
            "claims": self.claims,
            "activities": self.activities,
            "links": self.links,
            "conflicts": self.conflicts,
            "skipped": dict(sorted(self.skipped.items())),
            "refused": dict(sorted(self.refused.items())),
        }


def _eligible(doc: DocumentInfo) -> bool:
    # A translation carries no mentions (English rules only): its claims would be empty shells.
    return doc.current and (doc.language in (None, "en"))


def _entity_rows(view: ReportView, claims) -> list[dict]:
    rows = []
    for seq, items in view.mentions.items():
        for m, page in items:
            etype = ENTITY_OF_MENTION.get(m.entity_type)
            if etype is None:
                continue
            attrs = {}
            if etype == "organisation" and m.attrs.get("acronym"):
                attrs["acronym"] = m.attrs["acronym"]
            if etype == "document":
                attrs["kind"] = m.attrs.get("kind", "")
            rows.append(
                {
                    "entity_id": entity_id(etype, m.canonical),
                    "block_seq": seq,
                    "start_offset": m.start,
                    "end_offset": m.end,
                    "entity_type": etype,
                    "key": m.canonical,
                    "text": m.text,
                    "page": page,
                    "attrs": _json(attrs),
                }
            )
    for c in claims:
        for name in c.organisers:
            rows.append(
                {
                    "entity_id": entity_id("organisation", name),
                    "block_seq": c.source.block_seq,
                    "start_offset": c.source.start,
                    "end_offset": c.source.end,
                    "entity_type": "organisation",
                    "key": name,
                    "text": name,
                    "page": c.source.page,
                    "attrs": _json({"role": "organiser"}),
                }
            )
    for b in view.blocks:
        if b.kind == "cover":
            meeting = _cover_meeting(view, b.text)
            if meeting:
                rows.append(
                    {
                        "entity_id": entity_id("meeting", meeting[0]),
                        "block_seq": b.seq,
                        "start_offset": 0,
                        "end_offset": len(b.text),
                        "entity_type": "meeting",
                        "key": meeting[0],
                        "text": meeting[1],
                        "page": view.pages.get(b.seq),
                        "attrs": "{}",
                    }
                )
    return rows


def _cover_meeting(view: ReportView, cover: str) -> tuple[str, str] | None:
    """The meeting a paper was written for: its code from the symbol (UNEP/CMS/COP14 -> COP14)."""
    parts = view.symbol.split("/")
    if len(parts) < 3 or not view.symbol.startswith("UNEP/"):
        return None
    code = "/".join(parts[2:-1]) or parts[2]
    return code, code


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Reconciler:
    def __init__(self, store: Store, config: MatchConfig | None = None):
        self.repo = ReconcileRepository(store)
        self.config = config or MatchConfig()
        self.reader = ClaimReader()

    def ensure_claims(self, doc: DocumentInfo, report: ReconcileReport) -> bool:
        if self.repo.has_claims(doc.document_id, CLAIMS_VERSION):
            return False
        view = self.repo.report_view(doc.document_id)
        run = self.reader.read(view) if _eligible(doc) else None
        claims = run.claims if run else []
        seen: Counter = Counter()
        keyed = []
        for c in claims:  # the n-th claim of a paragraph, in reading order
            # An unnumbered block is named by its place, and a label printed twice (numbering
            # that restarts in an annex) counts on: two claims never share a key, so two
            # activities never share an id (A/AC.296/2026/9's unnumbered paragraphs did).
            where = c.source.paragraph or f"#{c.source.block_seq}"
            keyed.append((c, source_key(doc.name, doc.language, where, seen[where])))
            seen[where] += 1
        skipped = dict(run.skipped) if run else {"not_english": 1}
        self.repo.append_claims(doc.document_id, CLAIMS_VERSION, keyed, skipped, _entity_rows(view, claims))
        report.documents += 1
        report.claims += len(claims)
        report.skipped.update(skipped)
        return True

    def _live(self) -> tuple[dict[str, ClaimInReport], dict[str, ClaimInReport]]:
        docs = {d.document_id: d for d in self.repo.documents()}
        live: dict[str, ClaimInReport] = {}
        retired: dict[str, ClaimInReport] = {}
        for sc in self.repo.claims(CLAIMS_VERSION):
            d = docs[sc.document_id]
            item = _in_report(sc, d)
            (live if _eligible(d) else retired)[sc.claim.claim_id] = item
        return live, retired

    def update(self, seeds: set[str], report: ReconcileReport) -> None:
        """Recompute the candidate components that contain the seed claims (new or retired)."""
        live, retired = self._live()
        members = self.repo.activity_members()
        activity_of = {cid: aid for aid, cids in members.items() for cid in cids}
        stale = {aid for aid, cids in members.items() if any(c not in live for c in cids)}
        frontier = sorted(seeds | {c for aid in stale for c in members[aid]})
        seen: set[str] = set()
        everyone = sorted(live.values(), key=lambda c: c.claim.claim_id)
        stats = MergeStats()
        while frontier:
            cid = frontier.pop()
            if cid in seen:
                continue
            seen.add(cid)
            x = live.get(cid) or retired.get(cid)
            if x is None:
                continue
            for y in everyone:
                if y.claim.claim_id in seen:
                    continue
                r = compare(x, y)
                if not isinstance(r, str) and r.score >= self.config.link_threshold:
                    frontier.append(y.claim.claim_id)
        region = sorted(c for c in seen if c in live)
        remove = stale | {activity_of[c] for c in seen if c in activity_of}
        self._write([live[c] for c in region], remove, report, stats, everything=False)

    def rebuild(self, report: ReconcileReport) -> None:
        live, _ = self._live()
        self._write(sorted(live.values(), key=lambda c: c.claim.claim_id), set(), report, MergeStats(), everything=True)

    def _write(self, region, remove, report: ReconcileReport, stats: MergeStats, *, everything: bool) -> None:
        pairs = candidate_pairs(region, self.config, stats)
        groups, links = components(region, pairs, stats)
        by_id = {c.claim.claim_id: c for c in region}
        activities, conflicts, link_map = [], [], {}
        for group in groups:
            activity, found = assemble([by_id[c] for c in group])
            activities.append(activity)
            conflicts.extend(found)
            members = set(group)
            link_map[activity.activity_id] = [lk for lk in links if lk.claim_a in members]
        self.repo.replace_activities(remove, activities, link_map, conflicts, everything=everything)
        report.activities += len(activities)
        report.links += len(links)
        report.conflicts += len(conflicts)
        report.refused.update(stats.refused)


def _in_report(sc: StoredClaim, d: DocumentInfo) -> ClaimInReport:
    standing = standing_of(d.symbol, d.name, d.language, d.issue_date, d.original_language)
    return ClaimInReport(sc.claim, standing, sc.source_key)


def explain_claims(store: Store) -> tuple[list[ClaimInReport], dict[str, str]]:
    """The live claims and the activity each belongs to (claim id -> activity id), for
    ``cami eval-reconcile --explain``: read only."""
    rec = Reconciler(store)
    live, _ = rec._live()
    linked = {cid: aid for aid, cids in rec.repo.activity_members().items() for cid in cids}
    return sorted(live.values(), key=lambda c: c.claim.claim_id), linked


def reconcile_document(store: Store, document_id: int, *, config: MatchConfig | None = None) -> ReconcileReport:
    """Read one document's claims, recompute the components it touches (one reconciler at a time)."""
    with store.exclusive(RECONCILE_LOCK):
        return _reconcile_document(store, document_id, config=config)


def _reconcile_document(store: Store, document_id: int, *, config: MatchConfig | None) -> ReconcileReport:
    rec = Reconciler(store, config)
    report = ReconcileReport()
    docs = {d.document_id: d for d in rec.repo.documents()}
    doc = docs[document_id]
    rec.ensure_claims(doc, report)
    live, _ = rec._live()
    seeds = {c for c, item in live.items() if item.standing.document == doc.name}
    rec.update(seeds, report)
    return report


def reconcile_batch(store: Store, settings, run_id: int) -> ReconcileReport | None:
    """The ingest hook, at the end of a batch: claims of every new document, then the components
    they touch. Tolerant: a failure is recorded (E501), never raised, so it never loses the batch."""
    if not settings.reconcile:
        return None
    try:
        return reconcile_all(store, config=MatchConfig(settings.reconcile_link_threshold))
    except Exception as e:  # the documents are stored either way; say why their activities are stale
        first = (str(e).splitlines() or [""])[0][:300]  # a database error spells out every row after it
        err = ReconcileFailed(f"{type(e).__name__}: {first}")
        log.error("%s", err)  # one coded line; the traceback only with -vv
        log.debug("reconcile failed", exc_info=True)
        failure = Failure(
            path="(batch)", sha256=None, stage="reconcile", error_code=err.code, reason=err.reason, message=str(err)
        )
        store.record_failure(failure, run_id=run_id)
        return None


def reconcile_all(store: Store, *, rebuild: bool = False, config: MatchConfig | None = None) -> ReconcileReport:
    """Read claims of every document that has none yet; recompute what they touch (or everything).

    One reconciler at a time per database: several ingests on one PostgreSQL database take
    turns here (an advisory lock), so no two rewrite the same component at once.
    """
    with store.exclusive(RECONCILE_LOCK):
        return _reconcile_all(store, rebuild=rebuild, config=config)


def _reconcile_all(store: Store, *, rebuild: bool, config: MatchConfig | None) -> ReconcileReport:
    rec = Reconciler(store, config)
    report = ReconcileReport()
    if rebuild:
        rec.repo.clear_entity_mentions()
        docs = rec.repo.documents()
        # Entity mentions are derived rows: written again from the document and its claims.
        for d in docs:
            if rec.repo.has_claims(d.document_id, CLAIMS_VERSION):
                view = rec.repo.report_view(d.document_id)
                claims = [sc.claim for sc in rec.repo.claims(CLAIMS_VERSION) if sc.document_id == d.document_id]
                rec.repo.append_entities(d.document_id, _entity_rows(view, claims))
            else:
                rec.ensure_claims(d, report)
        rec.rebuild(report)
        return report
    new: set[str] = set()
    for d in rec.repo.documents():
        if rec.ensure_claims(d, report):
            new.add(d.name)
    live, _ = rec._live()
    seeds = {c for c, item in live.items() if item.standing.document in new}
    # claims a killed run wrote but never merged (its claims commit, then the activities): every
    # live claim belongs to an activity once a run ends, so the ones that do not are seeds too
    merged = {c for cids in rec.repo.activity_members().values() for c in cids}
    seeds |= set(live) - merged
    rec.update(seeds, report)
    return report
