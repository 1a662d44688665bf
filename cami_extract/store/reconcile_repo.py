"""Read and write methods of the reconcile stage, over the tables of ``reconcile_schema.py``.

The reconciler reads the store only through these methods (STYLE 20). Claims are appended and
never updated; derived rows (activities, members, links, conflicts) are deleted and written
again per component.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select

from ..model import Activity, ActivityClaim, ActivityLink, Block, Conflict, Funding, Mention, Span
from .reconcile_schema import (
    ActivityLinkRow,
    ActivityMemberRow,
    ActivityRow,
    ClaimRow,
    ClaimRunRow,
    ConflictRow,
    EntityMentionRow,
)
from .repository import Store
from .schema import BlockRow, Document, MentionRow


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    document_id: int
    name: str  # symbol, or the file name
    symbol: str | None
    language: str | None
    issue_date: str | None
    original_language: str | None
    title: str | None
    meeting: str | None
    sha256: str
    current: bool


@dataclass(frozen=True, slots=True)
class StoredClaim:
    claim: ActivityClaim
    document_id: int
    source_key: str


def _span_json(s: Span) -> list:
    return [s.document, s.language, s.paragraph, s.block_seq, s.page, s.start, s.end]


def _span(v: list) -> Span:
    return Span(*v)


class ReconcileRepository:
    def __init__(self, store: Store):
        self.store = store

    # -- documents -------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        with self.store.session() as s:
            return [
                DocumentInfo(
                    d.id,
                    d.symbol or Path(d.path).name,
                    d.symbol,
                    d.language,
                    d.issue_date,
                    d.original_language,
                    d.title,
                    d.meeting,
                    d.sha256,
                    d.status == "current",
                )
                for d in s.scalars(select(Document).order_by(Document.sha256))
            ]

    def report_view(self, document_id: int):
        from ..reconcile.activities import ReportView

        with self.store.session() as s:
            d = s.get(Document, document_id)
            if d is None:
                raise KeyError(document_id)
            rows = list(s.scalars(select(BlockRow).where(BlockRow.document_id == document_id).order_by(BlockRow.seq)))
            seq_of = {b.id: b.seq for b in rows}
            mentions: dict[int, list[tuple[Mention, int | None]]] = {}
            for m in s.scalars(select(MentionRow).where(MentionRow.document_id == document_id)):
                seq = seq_of[m.block_id]
                mention = Mention(
                    m.entity_type,
                    m.text,
                    m.canonical,
                    seq,
                    m.start_offset,
                    m.end_offset,
                    m.extractor,
                    m.confidence,
                    json.loads(m.attrs or "{}"),
                )
                mentions.setdefault(seq, []).append((mention, m.page))
            for items in mentions.values():
                items.sort(key=lambda mp: (mp[0].start, mp[0].end, mp[0].entity_type, mp[0].canonical))
            return ReportView(
                symbol=d.symbol or Path(d.path).name,
                language=d.language,
                sha256=d.sha256,
                issue_date=d.issue_date,
                title=d.title,
                blocks=[Block(seq=b.seq, kind=b.kind, label=b.label, text=b.text) for b in rows],
                pages={b.seq: b.page_first for b in rows},
                mentions=mentions,
            )

    # -- claims ----------------------------------------------------------------------------------
    def has_claims(self, document_id: int, version: str) -> bool:
        with self.store.session() as s:
            return s.get(ClaimRunRow, (document_id, version)) is not None

    def append_claims(
        self,
        document_id: int,
        version: str,
        claims: list[tuple[ActivityClaim, str]],
        skipped: dict[str, int],
        entity_rows: list[dict],
    ) -> None:
        """Claims (with their source keys) and the document's entity mentions, in one transaction."""
        with self.store.session() as s, s.begin():
            if s.get(ClaimRunRow, (document_id, version)) is not None:
                return
            for c, key in claims:
                if s.get(ClaimRow, c.claim_id) is not None:
                    continue  # the same bytes read by the same logic: the same claim
                body = {
                    "organisers": c.organisers,
                    "funders": [[f.funder, f.amount] for f in c.funders],
                    "species": c.species,
                    "countries": c.countries,
                    "outputs": c.outputs,
                    "pow_refs": c.pow_refs,
                    "ordinal": c.ordinal,
                    "cites": c.cites,
                    "number": c.number,
                    "pow_implements": c.pow_implements,
                    "plan": c.plan,
                    "reference": c.reference,
                    "after": c.after,
                    "aliases": c.aliases,
                    "words": c.words,
                    "funders_implied": c.funders_implied,
                    "source": _span_json(c.source),
                    "spans": {k: _span_json(v) for k, v in sorted(c.spans.items())},
                }
                s.add(
                    ClaimRow(
                        claim_id=c.claim_id,
                        document_id=document_id,
                        source_key=key,
                        paragraph=c.source.paragraph,
                        block_seq=c.source.block_seq,
                        page=c.source.page,
                        extractor=c.extractor,
                        type=c.type,
                        title=c.title,
                        start=c.start,
                        end=c.end,
                        city=c.city,
                        country=c.country,
                        status=c.status,
                        body=json.dumps(body, ensure_ascii=False, sort_keys=True),
                    )
                )
            s.add(
                ClaimRunRow(
                    document_id=document_id,
                    extractor=version,
                    claims=len(claims),
                    skipped=json.dumps(dict(sorted(skipped.items()))),
                )
            )
            self._put_entities(s, document_id, entity_rows)

    def append_entities(self, document_id: int, entity_rows: list[dict]) -> None:
        with self.store.session() as s, s.begin():
            self._put_entities(s, document_id, entity_rows)

    @staticmethod
    def _put_entities(s, document_id: int, entity_rows: list[dict]) -> None:
        s.execute(delete(EntityMentionRow).where(EntityMentionRow.document_id == document_id))
        seen = set()
        for r in entity_rows:
            pk = (r["entity_id"], r["block_seq"], r["start_offset"], r["end_offset"])
            if pk in seen:
                continue
            seen.add(pk)
            s.add(EntityMentionRow(document_id=document_id, **r))

    def claims(self, version: str) -> list[StoredClaim]:
        """Every claim of the given logic, of current and superseded documents alike."""
        with self.store.session() as s:
            out = []
            sha_of = {i: sha for i, sha in s.execute(select(Document.id, Document.sha256))}
            for r in s.scalars(select(ClaimRow).where(ClaimRow.extractor == version).order_by(ClaimRow.claim_id)):
                body = json.loads(r.body)
                claim = ActivityClaim(
                    claim_id=r.claim_id,
                    document_sha256=sha_of[r.document_id],
                    source=_span(body["source"]),
                    type=r.type,
                    title=r.title,
                    start=r.start,
                    end=r.end,
                    city=r.city,
                    country=r.country,
                    status=r.status,
                    organisers=body["organisers"],
                    funders=[Funding(f, a) for f, a in body["funders"]],
                    species=body["species"],
                    countries=body["countries"],
                    outputs=body["outputs"],
                    pow_refs=body["pow_refs"],
                    ordinal=body["ordinal"],
                    cites=body.get("cites", []),
                    number=body.get("number"),
                    pow_implements=body.get("pow_implements", []),
                    plan=body.get("plan", False),
                    reference=body.get("reference", False),
                    after=body.get("after"),
                    aliases=body.get("aliases", []),
                    words=body.get("words", []),
                    funders_implied=body.get("funders_implied", False),
                    spans={k: _span(v) for k, v in body["spans"].items()},
                    extractor=r.extractor,
                )
                out.append(StoredClaim(claim, r.document_id, r.source_key))
            return out

    # -- activities --------------------------------------------------------------------------------
    def activity_members(self) -> dict[str, list[str]]:
        with self.store.session() as s:
            out: dict[str, list[str]] = {}
            for m in s.scalars(select(ActivityMemberRow)):
                out.setdefault(m.activity_id, []).append(m.claim_id)
            return out

    def replace_activities(
        self,
        remove: Iterable[str],
        activities: list[Activity],
        links: dict[str, list[ActivityLink]],
        conflicts: list[Conflict],
        *,
        everything: bool = False,
    ) -> None:
        from ..reconcile.keys import conflict_id, link_id
        from ..reconcile.merge import conflict_json

        remove = sorted(set(remove))
        with self.store.session() as s, s.begin():
            tables = (ConflictRow, ActivityLinkRow, ActivityMemberRow, ActivityRow)
            if everything:
                for t in tables:
                    s.execute(delete(t))
            else:
                for i in range(0, len(remove), 500):
                    chunk = remove[i : i + 500]
                    for t in tables:
                        s.execute(delete(t).where(t.activity_id.in_(chunk)))
            for a in activities:
                f = a.fields
                s.add(
                    ActivityRow(
                        activity_id=a.activity_id,
                        type=f["type"],
                        title=f["title"],
                        start=f["start"],
                        end=f["end"],
                        status=f["status"],
                        body=json.dumps({**f, "chosen_from": a.chosen_from}, ensure_ascii=False, sort_keys=True),
                    )
                )
            s.flush()
            for a in activities:
                for cid in a.claim_ids:
                    s.add(ActivityMemberRow(activity_id=a.activity_id, claim_id=cid))
                for link in links.get(a.activity_id, []):
                    s.add(
                        ActivityLinkRow(
                            link_id=link_id(link.claim_a, link.claim_b),
                            activity_id=a.activity_id,
                            claim_a=link.claim_a,
                            claim_b=link.claim_b,
                            rule=link.rule,
                            score=link.score,
                            reason=link.reason,
                        )
                    )
            for c in conflicts:
                s.add(
                    ConflictRow(
                        conflict_id=conflict_id(c.activity_id, c.field),
                        activity_id=c.activity_id,
                        field=c.field,
                        chosen=None,
                        values=conflict_json(c),
                    )
                )

    def clear_entity_mentions(self) -> None:
        with self.store.session() as s, s.begin():
            s.execute(delete(EntityMentionRow))

    # -- reading for export --------------------------------------------------------------------
    def activity_rows(self) -> list[tuple[ActivityRow, list[ConflictRow]]]:
        with self.store.session() as s:
            conflicts: dict[str, list[ConflictRow]] = {}
            for c in s.scalars(select(ConflictRow)):
                conflicts.setdefault(c.activity_id, []).append(c)
            return [
                (a, sorted(conflicts.get(a.activity_id, []), key=lambda c: c.field))
                for a in s.scalars(select(ActivityRow).order_by(ActivityRow.activity_id))
            ]

    def link_rows(self) -> list[tuple[ActivityLinkRow, ClaimRow, ClaimRow]]:
        with self.store.session() as s:
            claims = {c.claim_id: c for c in s.scalars(select(ClaimRow))}
            return [
                (link, claims[link.claim_a], claims[link.claim_b])
                for link in s.scalars(select(ActivityLinkRow).order_by(ActivityLinkRow.link_id))
            ]

    def conflict_rows(self) -> list[ConflictRow]:
        with self.store.session() as s:
            return list(s.scalars(select(ConflictRow).order_by(ConflictRow.conflict_id)))

    def entity_mention_rows(self) -> list[EntityMentionRow]:
        with self.store.session() as s:
            return list(s.scalars(select(EntityMentionRow)))

    def block_labels(self) -> dict[tuple[int, int], str | None]:
        """(document id, block seq) -> paragraph label, for every stored block."""
        with self.store.session() as s:
            return {
                (d, seq): label
                for d, seq, label in s.execute(select(BlockRow.document_id, BlockRow.seq, BlockRow.label))
            }
