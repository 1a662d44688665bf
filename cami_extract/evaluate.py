"""Gold annotations and the scorer.

Gold: ``corpus/gold/<file-stem>.jsonl``, one line per scored block (paragraph or footnote):

    {"document": "UNEP/CMS/CAMI3/Doc.7", "language": "en", "paragraph": "15",
     "species": [...], "country": [...], "date": [...], "funder": [...], "document_code": [...],
     "optional": {"funder": [...]}}

Values are canonical strings. An optional value is neither required nor wrong: predicting
it is not a false positive, missing it is not a false negative. A required value may be a list
of alternative names of one thing (``["Office fédéral de l'environnement", "Swiss Federal
Office for the Environment"]``): a funder printed in French has its French and its English
name, and which one is canonical is not the paper's to say. Any one of them predicted counts
as that value, once; the first is the name errors are reported under.

Scoring is on sets of canonical values, per entity type, at two levels:
  paragraph  each gold block's set vs the predicted set for the same (document, language, label)
  document   the union over a document's gold blocks vs the union of predictions on those blocks
Predictions for blocks without a gold line (headings, cover) are not scored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GoldError
from .model import ENTITY_TYPES, Block, Mention
from .text import normalise, squash

Key = tuple[str, str, str]  # (document symbol, language, paragraph label)
Predicted = Mapping[Key, Mapping[str, set[str]]]


class GoldFormatError(GoldError, ValueError):
    """A gold line is malformed (E402, the project's code for bad gold); the message names file and line."""


@dataclass(slots=True)
class GoldBlock:
    required: dict[str, set[str]]
    optional: dict[str, set[str]]
    # per type: another name of a required value -> that value (its first name)
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)

    def resolve(self, entity_type: str, predicted: set[str]) -> set[str]:
        names = self.aliases.get(entity_type, {})
        if entity_type in CASELESS:
            known = {v: v for v in (*self.required[entity_type], *self.optional[entity_type])} | names
            folded = {k.casefold(): v for k, v in known.items()}
            return {known.get(v) or folded.get(v.casefold(), v) for v in predicted}
        return {names.get(v, v) for v in predicted}


@dataclass(slots=True)
class Gold:
    blocks: dict[Key, GoldBlock] = field(default_factory=dict)

    def documents(self) -> set[tuple[str, str]]:
        return {(d, lang) for d, lang, _ in self.blocks}


# Names printed in whatever case the paper chose ("the LIFE programme", "LIFE Programme"): the
# reconciler folds their case too. Species keep theirs ("Saiga spp.").
CASELESS = frozenset({"funder"})


def same(value: str) -> str:
    """The form values are compared in: typographic dashes, quotes and spaces made plain, so
    "Environment Agency – Abu Dhabi" in gold equals "Environment Agency - Abu Dhabi" printed
    with a hyphen. Case is kept: it is part of canonical names ("Saiga spp.")."""
    return squash(normalise(value))


def load_gold(folder: str | Path) -> Gold:
    gold = Gold()
    for path in sorted(Path(folder).glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                key = (row["document"], row["language"], str(row["paragraph"]))
            except (json.JSONDecodeError, KeyError) as e:
                raise GoldFormatError(
                    f"line {n}: {e}; each line needs document, language, paragraph", path=str(path)
                ) from e
            unknown = set(row) - {"document", "language", "paragraph", "optional", "note", *ENTITY_TYPES}
            if unknown or set(row.get("optional", {})) - set(ENTITY_TYPES):
                raise GoldFormatError(
                    f"line {n}: unknown keys {sorted(unknown)}; allowed: {ENTITY_TYPES}", path=str(path)
                )
            if key in gold.blocks:
                raise GoldFormatError(f"line {n}: duplicate gold line for {key}", path=str(path))
            block = GoldBlock(required={t: set() for t in ENTITY_TYPES}, optional={t: set() for t in ENTITY_TYPES})
            for t in ENTITY_TYPES:
                # an optional organisation may have several names too: each of them is optional
                for v in row.get("optional", {}).get(t, []):
                    block.optional[t] |= {same(x) for x in _names(v, t, n, path)}
                for v in row.get(t, []):
                    names = _names(v, t, n, path)
                    first = same(names[0])
                    block.required[t].add(first)
                    for other in names[1:]:
                        block.aliases.setdefault(t, {})[same(other)] = first
            gold.blocks[key] = block
    return gold


def _names(value: object, entity_type: str, line: int, path: Path) -> list[str]:
    """A gold value: a name, or a non-empty list of names of one thing (E402 otherwise)."""
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    if not names or not all(isinstance(x, str) for x in names):
        raise GoldFormatError(
            f"line {line}: {entity_type} values are names or non-empty lists of names, not {value!r}", path=str(path)
        )
    return names


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[str], required: set[str], optional: set[str]) -> None:
        self.tp += len(predicted & required)
        self.fp += len(predicted - required - optional)
        self.fn += len(required - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass(slots=True)
class Report:
    paragraph: dict[str, Counts]
    document: dict[str, Counts]
    errors: list[tuple[Key, str, str, str]]  # (key, entity_type, "FP"/"FN", value) at paragraph level

    def render(self) -> str:
        head = f"{'type':<14}{'P(par)':>8}{'R(par)':>8}{'F1(par)':>9}{'sup':>6}  {'P(doc)':>8}{'R(doc)':>8}{'F1(doc)':>9}{'sup':>6}"
        lines = [head, "-" * len(head)]
        for t in ENTITY_TYPES:
            p, d = self.paragraph[t], self.document[t]
            lines.append(
                f"{t:<14}{p.precision:>8.3f}{p.recall:>8.3f}{p.f1:>9.3f}{p.support:>6}  "
                f"{d.precision:>8.3f}{d.recall:>8.3f}{d.f1:>9.3f}{d.support:>6}"
            )
        return "\n".join(lines)


def score(predicted: Predicted, gold: Gold) -> Report:
    par = {t: Counts() for t in ENTITY_TYPES}
    doc = {t: Counts() for t in ENTITY_TYPES}
    errors: list[tuple[Key, str, str, str]] = []
    union_pred: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    union_req: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    union_opt: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for key, g in gold.blocks.items():
        pred = predicted.get(key, {})
        for t in ENTITY_TYPES:
            p = g.resolve(t, set(pred.get(t, set())))
            par[t].add(p, g.required[t], g.optional[t])
            errors += [(key, t, "FP", v) for v in sorted(p - g.required[t] - g.optional[t])]
            errors += [(key, t, "FN", v) for v in sorted(g.required[t] - p)]
            union_pred[key[:2]][t] |= p
            union_req[key[:2]][t] |= g.required[t]
            union_opt[key[:2]][t] |= g.optional[t]
    for d in union_req:
        for t in ENTITY_TYPES:
            req = union_req[d][t]
            doc[t].add(union_pred[d][t], req, union_opt[d][t] - req)
    return Report(paragraph=par, document=doc, errors=errors)


def predictions_from_mentions(
    document: str, language: str, blocks: Iterable[Block], mentions: Iterable[Mention]
) -> dict[Key, dict[str, set[str]]]:
    """Group mentions into the scorer's input: labelled blocks only."""
    labels = {b.seq: b.label for b in blocks if b.label}
    out: dict[Key, dict[str, set[str]]] = {}
    for m in mentions:
        label = labels.get(m.block_seq)
        if label is None:
            continue
        out.setdefault((document, language, label), {}).setdefault(m.entity_type, set()).add(same(m.canonical))
    return out
