"""Editions: the English, French and Spanish papers of one symbol, compared paragraph by paragraph.

CMS publishes one symbol in three languages. The store keeps each language as its own current
document (a translation is an edition, not a new version: the version chain is per symbol and
language). Canonical values do not depend on the language, so the editions of a paragraph
should carry the same values; where they do not, the difference is either an extraction error
or a difference of the translations. With gold annotations for the editions the report says
which (the gold values differ too: translation; only the extracted ones: extraction).

Paragraphs are matched by their label ("15", "fn2", "t1.r3"): CMS numbers paragraphs the
same in every language. Pure functions over mention rows (the export projection), so the
command and the audit can share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .model import ENTITY_TYPES

Values = dict[str, dict[str, dict[str, set[str]]]]  # language -> paragraph -> entity type -> values


@dataclass(slots=True)
class Difference:
    paragraph: str
    entity_type: str
    values: dict[str, set[str]]  # language -> canonical values
    kind: str = ""  # "translation" | "extraction" | "optional" | "" (no gold to tell)


@dataclass(slots=True)
class EditionReport:
    symbol: str
    languages: list[str]
    paragraphs: list[str]  # labels present in every edition, in document order
    only_in: dict[str, list[str]] = field(default_factory=dict)  # language -> labels missing elsewhere
    differences: list[Difference] = field(default_factory=list)

    def differing_paragraphs(self) -> list[str]:
        seen: list[str] = []
        for d in self.differences:
            if d.paragraph not in seen:
                seen.append(d.paragraph)
        return seen


def paragraph_values(mentions: Iterable[Mapping], symbol: str, *, labels: Mapping[str, list[str]]) -> Values:
    """Canonical values per language, paragraph and type; every labelled block of each edition
    is present (an empty paragraph is a value too)."""
    out: Values = {lang: {label: {t: set() for t in ENTITY_TYPES} for label in ls} for lang, ls in labels.items()}
    for m in mentions:
        if m["document"] != symbol or m["paragraph"] is None or m["language"] not in out:
            continue
        out[m["language"]].setdefault(m["paragraph"], {t: set() for t in ENTITY_TYPES})[m["entity_type"]].add(
            m["canonical"]
        )
    return out


def compare(
    symbol: str, values: Values, *, gold: Values | None = None, optional: Values | None = None
) -> EditionReport:
    languages = sorted(values)
    order: list[str] = []
    for lang in languages:
        for label in values[lang]:
            if label not in order:
                order.append(label)
    common = [label for label in order if all(label in values[lang] for lang in languages)]
    report = EditionReport(
        symbol=symbol,
        languages=languages,
        paragraphs=common,
        only_in={
            lang: [label for label in values[lang] if label not in common]
            for lang in languages
            if any(label not in common for label in values[lang])
        },
    )
    if len(languages) < 2:
        return report
    for label in common:
        for t in ENTITY_TYPES:
            got = {lang: values[lang][label][t] for lang in languages}
            if len({frozenset(v) for v in got.values()}) == 1:
                continue
            kind = ""
            if gold is not None and all(label in gold.get(lang, {}) for lang in languages):
                expected = {frozenset(gold[lang][label][t]) for lang in languages}
                sets = list(got.values())
                spread = set().union(*sets) - sets[0].intersection(*sets[1:])
                allowed = {v for lang in languages for v in (optional or {}).get(lang, {}).get(label, {}).get(t, set())}
                if len(expected) > 1:
                    kind = "translation"
                elif spread <= allowed:
                    kind = "optional"  # the editions differ only in values the gold calls optional
                else:
                    kind = "extraction"
            report.differences.append(Difference(label, t, got, kind))
    return report


def gold_values(gold_blocks: Mapping[tuple[str, str, str], object], symbol: str, *, part: str = "required") -> Values:
    """The gold values ("required" or "optional") of a symbol's editions, shaped as paragraph_values."""
    out: Values = {}
    for (doc, lang, label), block in gold_blocks.items():
        if doc == symbol:
            table = getattr(block, part)
            out.setdefault(lang, {})[label] = {t: set(table.get(t, set())) for t in ENTITY_TYPES}
    return out
