"""Why a gold link was missed: both claims' keys and what the match rule said of the pair.

For each gold link the predicted activities do not make, the claims at its two ends (a
paragraph or POW row may hold several) are shown with the keys the rule reads (type, title,
dates, place, ordinal, funders, species, POW references, reference or plan) and the result of
:func:`~cami_extract.reconcile.merge.compare` for every pair of them: a refusal reason, a score
below the threshold, or a score above it that the greedy linking then refused (one claim per
report per activity). A node with no claim at all says so: the activity layer read none there.
"""

from __future__ import annotations

from itertools import product

from .evaluate import GoldSet, Node, _doc_map, _pairs
from .merge import ClaimInReport, MatchConfig, compare


def _node(c: ClaimInReport, mapping: dict[str, str]) -> Node | None:
    doc = mapping.get(c.standing.document)
    label = c.claim.number or c.claim.source.paragraph
    return (doc, label) if doc and label else None


def _keys(c: ClaimInReport) -> str:
    a = c.claim
    flags = [f for f, on in (("reference", a.reference), ("plan", a.plan)) if on]
    parts = [
        f"{a.type}",
        repr(a.title[:70]),
        f"{a.start or '-'}..{a.end or '-'}",
        f"place {a.city or '-'}/{a.country or '-'}",
    ]
    if a.ordinal is not None:
        parts.append(f"ordinal {a.ordinal}")
    if a.funders:
        parts.append("funders " + ",".join(f.funder for f in a.funders))
    if a.species:
        parts.append("species " + ",".join(a.species))
    if a.pow_refs:
        parts.append(f"pow {','.join(a.pow_refs)} (implements {','.join(a.pow_implements) or '-'})")
    if a.cites:
        parts.append("cites " + ",".join(a.cites))
    return "; ".join(parts + flags)


def explain_missed(
    gold: GoldSet, claims: list[ClaimInReport], config: MatchConfig, linked: dict[str, str]
) -> list[str]:
    """Lines explaining every missed gold link. ``linked`` maps claim id -> activity id."""
    mapping = _doc_map(gold.documents, {c.standing.document for c in claims})
    at: dict[Node, list[ClaimInReport]] = {}
    for c in sorted(claims, key=lambda c: c.source_key):
        node = _node(c, mapping)
        if node is not None:
            at.setdefault(node, []).append(c)
    predicted: dict[str, set[Node]] = {}
    for c in claims:
        node = _node(c, mapping)
        if node is not None and c.claim.claim_id in linked:
            predicted.setdefault(linked[c.claim.claim_id], set()).add(node)
    got = _pairs(list(predicted.values()))
    key_of: dict[frozenset, str] = {}
    for a in gold.activities:
        for pair in _pairs([a.mentions]):
            key_of.setdefault(pair, a.key)
    lines: list[str] = []
    for pair in sorted(set(key_of) - got, key=sorted):
        n1, n2 = sorted(pair)
        lines.append(f"missed {key_of[pair]}: {n1[0]}#{n1[1]} ~ {n2[0]}#{n2[1]}")
        for n in (n1, n2):
            if not at.get(n):
                lines.append(f"    {n[0]}#{n[1]}: no claim")
            for c in at.get(n, []):
                lines.append(f"    {n[0]}#{n[1]} [{c.claim.claim_id[-6:]}] {_keys(c)}")
        for x, y in product(at.get(n1, []), at.get(n2, [])):
            if x.claim.claim_id == y.claim.claim_id:
                continue
            r = compare(x, y)
            if isinstance(r, str):
                verdict = f"refused: {r}"
            elif r.score < config.link_threshold:
                verdict = f"below threshold: {r.rule} {r.score:.2f} ({r.reason})"
            else:
                verdict = f"candidate, not joined by the greedy linking: {r.rule} {r.score:.2f} ({r.reason})"
            lines.append(f"      [{x.claim.claim_id[-6:]}]~[{y.claim.claim_id[-6:]}] {verdict}")
    return lines
