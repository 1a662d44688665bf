"""Reconciliation gold and its scorer: link precision/recall, conflicts found, field accuracy.

Gold (``corpus/gold/reconcile/*.json``), one file per test set::

    {"documents": [symbol, ...],
     "activities": [{"key", "type", "title", "start", "end", "place": {"city", "country"} | null,
                     "funders": [{"name", "amount"}], "status", "pow_refs",
                     "mentions": [{"document", "paragraph"}]}],
     "conflicts": [{"activity": key, "field", "values": [{"value", "document", "paragraph"}]}]}

A mention names a paragraph by the paper's own number: "15" for paragraph 15, "8.1" for the
table row of POW activity 8.1 (predicted table rows are scored by their first-cell number).

* **Links**: the unordered pairs of mentions that share an activity, gold against predicted,
  over the documents the gold covers. Precision and recall of those pairs.
* **Conflicts**: a gold conflict is found when the predicted activity matched to its gold
  activity has a conflict on the same field.
* **Fields**: each gold activity is matched to the predicted activity sharing most mentions
  (none: every field wrong); type, start, end, place and funders compared, per report.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from ..errors import GoldError
from .keys import name_key

Node = tuple[str, str]  # (document, paragraph number)
FIELDS = ("type", "start", "end", "place", "funders")
FUNDERS_CSV = Path(__file__).resolve().parents[1] / "extract" / "patterns" / "funders.csv"


class ReconcileGoldError(GoldError, ValueError):
    """A reconciliation gold file is malformed (E402)."""


@dataclass(slots=True)
class GoldActivity:
    key: str
    fields: dict
    mentions: set[Node]


@dataclass(slots=True)
class GoldSet:
    documents: list[str]
    activities: list[GoldActivity]
    conflicts: list[tuple[str, str]]  # (activity key, field)


@dataclass(slots=True)
class Predicted:
    activity_id: str
    fields: dict
    mentions: set[Node]
    conflict_fields: set[str]


@dataclass(slots=True)
class Score:
    link_tp: int = 0
    link_fp: int = 0
    link_fn: int = 0
    conflicts_gold: int = 0
    conflicts_found: int = 0
    conflicts_predicted: int = 0
    conflicts_predicted_right: int = 0
    fields: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )  # report -> [right, total]
    per_field: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        n = self.link_tp + self.link_fp
        return self.link_tp / n if n else 1.0

    @property
    def recall(self) -> float:
        n = self.link_tp + self.link_fn
        return self.link_tp / n if n else 1.0

    def render(self) -> str:
        lines = [
            f"links: precision {self.precision:.3f} recall {self.recall:.3f} "
            f"(tp {self.link_tp}, fp {self.link_fp}, fn {self.link_fn})",
            f"conflicts: found {self.conflicts_found}/{self.conflicts_gold} gold; "
            f"{self.conflicts_predicted_right}/{self.conflicts_predicted} predicted are gold",
        ]
        for report, (right, total) in sorted(self.fields.items()):
            lines.append(f"fields [{report}]: {right}/{total} = {right / total if total else 1:.3f}")
        for name, (right, total) in sorted(self.per_field.items()):
            lines.append(f"  field {name}: {right}/{total} = {right / total if total else 1:.3f}")
        return "\n".join(lines)


def load_gold(path: str | Path) -> GoldSet:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        activities = [
            GoldActivity(
                a["key"],
                {k: a.get(k) for k in (*FIELDS, "status", "pow_refs")},
                {(m["document"], str(m["paragraph"])) for m in a["mentions"]},
            )
            for a in data["activities"]
        ]
        conflicts = [(c["activity"], c["field"]) for c in data.get("conflicts", [])]
        return GoldSet(list(data["documents"]), activities, conflicts)
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise ReconcileGoldError(f"{e}; see the format in cami_extract/reconcile/evaluate.py", path=str(p)) from e


def _funder_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    with FUNDERS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            canon = row["canonical"]
            for name in [canon, *row["aliases"].split(";"), *row["acronyms"].split(";")]:
                if name.strip():
                    out[name_key(name)] = canon
    return out


_ALIASES: dict[str, str] | None = None


def funder_key(name: str) -> str:
    """One key per funder: acronym, long form and "UNDP Kazakhstan" (a country office) alike."""
    global _ALIASES
    if _ALIASES is None:
        _ALIASES = _funder_aliases()
    base = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    for candidate in (name, base, re.sub(r"\s+\w+$", "", base)):
        key = _ALIASES.get(name_key(candidate))
        if key:
            return name_key(key)
    return name_key(base)


def _place_key(place) -> str | None:
    if place is None:
        return None
    if isinstance(place, dict):
        city, country = place.get("city"), place.get("country")
    else:
        city, _, country = str(place).partition(", ")
        if city == "online":
            return None
    # "Isle of Vilm" and "Vilm" name one place
    city_key = name_key(city or "").replace("isle of ", "") or None
    return f"{city_key}|{country or ''}"


def _field_value(name: str, fields: dict):
    value = fields.get(name)
    if name == "place":
        if "city" in fields and "key" not in fields:  # a predicted row: city and country apart
            city = None if fields.get("city") == "online" else fields.get("city")
            return (
                _place_key({"city": city, "country": fields.get("country")}) if city or fields.get("country") else None
            )
        return _place_key(value)
    if name == "funders":
        return sorted({funder_key(f.get("name") or f.get("funder") or "") for f in value or []})
    return value


def _doc_map(gold_docs: list[str], predicted_docs: set[str]) -> dict[str, str]:
    """Predicted document name -> gold name (a cover symbol cut before "/Annex" is the same paper)."""
    out = {}
    for p in predicted_docs:
        for g in gold_docs:
            if p == g or g.startswith(p + "/"):
                out[p] = g
    return out


def predicted_from_rows(activity_rows: list[dict], gold: GoldSet) -> list[Predicted]:
    docs = {s["document"] for row in activity_rows for s in row["sources"]}
    mapping = _doc_map(gold.documents, docs)
    out = []
    for row in activity_rows:
        nodes = {
            (mapping[s["document"]], s.get("number") or s["paragraph"])
            for s in row["sources"]
            if s["document"] in mapping and (s.get("number") or s["paragraph"])
        }
        if nodes:
            out.append(Predicted(row["activity_id"], row, nodes, {c["field"] for c in row["conflicts"]}))
    return out


def _pairs(groups: list[set[Node]]) -> set[frozenset[Node]]:
    return {frozenset(p) for g in groups for p in combinations(sorted(g), 2)}


def score(gold: GoldSet, predicted: list[Predicted]) -> Score:
    result = Score()
    gold_pairs = _pairs([a.mentions for a in gold.activities])
    pred_pairs = _pairs([p.mentions for p in predicted])
    result.link_tp = len(gold_pairs & pred_pairs)
    result.link_fp = len(pred_pairs - gold_pairs)
    result.link_fn = len(gold_pairs - pred_pairs)
    for pair in sorted(pred_pairs - gold_pairs, key=sorted):
        result.errors.append("false link " + " ~ ".join(f"{d}#{p}" for d, p in sorted(pair)))
    for pair in sorted(gold_pairs - pred_pairs, key=sorted):
        result.errors.append("missed link " + " ~ ".join(f"{d}#{p}" for d, p in sorted(pair)))
    match: dict[str, Predicted | None] = {}
    for a in gold.activities:
        # most shared mentions; among equals (one paragraph, two activities) the same type, then start
        best = max(
            predicted,
            key=lambda p: (
                len(p.mentions & a.mentions),
                p.fields.get("type") == a.fields.get("type"),
                p.fields.get("start") == a.fields.get("start"),
                -len(p.mentions - a.mentions),
            ),
            default=None,
        )
        match[a.key] = best if best is not None and best.mentions & a.mentions else None
    gold_conflicts = set(gold.conflicts)
    result.conflicts_gold = len(gold_conflicts)
    for key, fname in sorted(gold_conflicts):
        p = match.get(key)
        if p is not None and fname in p.conflict_fields:
            result.conflicts_found += 1
        else:
            result.errors.append(f"missed conflict {key} {fname}")
    by_pred = {p.activity_id: [k for k, m in match.items() if m is p] for p in predicted}
    for p in predicted:
        for fname in sorted(p.conflict_fields):
            result.conflicts_predicted += 1
            if any((k, fname) in gold_conflicts for k in by_pred[p.activity_id]):
                result.conflicts_predicted_right += 1
            else:
                result.errors.append(f"extra conflict {p.fields.get('title', '')[:50]!r} {fname}")
    for a in gold.activities:
        p = match[a.key]
        reports = sorted({d for d, _ in a.mentions})
        for fname in FIELDS:
            want = _field_value(fname, a.fields)
            got = _field_value(fname, p.fields) if p else "<no activity>"
            ok = want == got
            for r in reports:
                result.fields[r][0] += ok
                result.fields[r][1] += 1
            result.per_field[fname][0] += ok
            result.per_field[fname][1] += 1
            if not ok:
                result.errors.append(f"field {a.key} {fname}: gold {want!r} got {got!r}")
    return result
