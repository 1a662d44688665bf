"""spaCy's SpanRuler for the funding cues, run only on the windows a cue can lie in.

spaCy's Matcher tries every pattern at every token and evaluates each `IN` list in Python, so
the cue patterns (patterns/funding_cues*.jsonl) were the largest cost of the extraction, while
most of a block holds no cue. Every cue pattern has an anchor: a token it needs, whose words it
names (the rarest such token: "funded", not "by"); and no cue is longer than its tokens' upper
bounds allow. The ruler runs on the windows around the anchor words of a block, and on nothing
else. The spans are spaCy's own, the same as the plain `span_ruler` gives
(tests/extract/test_cues.py); a pattern with no bounded anchor (a regex, an unbounded repeat)
switches the gate off and the whole block is matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

NAME = "cami_funding_cues_v1"

_WORD_KEYS = ("LOWER", "ORTH", "TEXT")  # attributes whose value names the word (ORTH/TEXT lowercased)
_BOUNDED = re.compile(r"^\{(\d*),?(\d*)\}$")


def _words(token: dict[str, Any]) -> set[str] | None:
    """The lowercased words a token pattern can match, or None when it does not name them."""
    for key in _WORD_KEYS:
        value = token.get(key)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, dict) and set(value) == {"IN"}:
            return {str(v).lower() for v in value["IN"]}
    return None


def _bounds(token: dict[str, Any]) -> tuple[int, int | None]:
    """How few and how many tokens one token pattern takes (None: no upper bound)."""
    op = token.get("OP")
    if op is None:
        return 1, 1
    if op == "!":
        return 0, 1  # the negated token is one token when the pattern matches
    if op == "?":
        return 0, 1
    if op in ("*", "+"):
        return (0 if op == "*" else 1), None
    m = _BOUNDED.match(str(op))
    if not m:
        return 0, None
    low = int(m.group(1) or 0)
    high = m.group(2) if "," in str(op) else m.group(1)
    return low, (int(high) if high else None)


def gate_of(
    patterns: Iterable[dict[str, Any]], common: Callable[[str], bool] = lambda w: False
) -> dict[str, tuple[int, int]] | None:
    """{anchor word: (most tokens a match holds before it, most from it on)}, or None (no gate).

    A pattern's anchor is a token it cannot match without, whose words are named; every match
    holds its anchor, so every match lies in the window its anchor word gives around a token.
    The anchor chosen is the rarest: the fewest `common` words (stop words, punctuation), then the
    fewest words.
    """
    gate: dict[str, tuple[int, int]] = {}
    for row in patterns:
        pattern = row["pattern"]
        if isinstance(pattern, str):
            return None  # phrase patterns: the PhraseMatcher runs on the whole block anyway
        bounds = [_bounds(token) for token in pattern]
        if any(high is None for _, high in bounds):
            return None
        named = [
            (sum(map(common, words)), len(words), -min(map(len, words)), k, words)
            for k, token in enumerate(pattern)
            if token.get("OP") != "!" and bounds[k][0] >= 1 and (words := _words(token))
        ]
        if not named:
            return None
        *_, k, words = min(named)
        before, after = sum(high or 0 for _, high in bounds[:k]), sum(high or 0 for _, high in bounds[k:])
        for word in words:
            was = gate.get(word, (0, 0))
            gate[word] = (max(was[0], before), max(was[1], after))
    return gate


class GatedSpanRuler(SpanRuler):
    """SpanRuler whose token Matcher runs only on the windows a cue can lie in."""

    _gate: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # sorted hashes, before, after
    _gate_stale = True

    # every way spaCy changes the patterns (from_bytes/from_disk go through clear and add_patterns)
    def add_patterns(self, patterns: list[Any]) -> None:
        super().add_patterns(patterns)
        self._gate_stale = True

    def remove(self, label: str) -> None:
        super().remove(label)
        self._gate_stale = True

    def remove_by_id(self, pattern_id: str) -> None:
        super().remove_by_id(pattern_id)
        self._gate_stale = True

    def clear(self) -> None:
        super().clear()
        self._gate_stale = True

    def _current_gate(self, doc: Doc) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        if self._gate_stale:
            vocab = doc.vocab
            found = gate_of(self._patterns, lambda w: vocab[w].is_stop or not any(c.isalnum() for c in w))
            self._gate = None
            if found:  # None: no exact gate; {}: no patterns (spaCy says so in match)
                rows = sorted((vocab.strings.add(w), *span) for w, span in found.items())
                hashes, before, after = (
                    np.array(col, dtype=np.uint64 if i == 0 else np.int64) for i, col in enumerate(zip(*rows))
                )
                self._gate = (hashes, before, after)
            self._gate_stale = False
        return self._gate

    def match(self, doc: Doc) -> list[Span]:
        gate = self._current_gate(doc)
        if gate is None or len(doc) == 0:
            return super().match(doc)
        self._require_patterns()
        hashes, before, after = gate
        lowers = doc.to_array([LOWER]).reshape(-1).astype(np.uint64)
        at = np.flatnonzero(np.isin(lowers, hashes))
        which = np.searchsorted(hashes, lowers[at])
        found: list[tuple[int, int, int]] = []
        for start, end in _windows(at - before[which], at + after[which], len(doc)):
            found.extend((m_id, s + start, e + start) for m_id, s, e in self.matcher(doc[start:end]))
        if len(self.phrase_matcher):
            found.extend(self.phrase_matcher(doc))
        labels = self._match_label_id_map
        spans = {
            Span(doc, s, e, label=labels[m_id]["label"], span_id=labels[m_id]["id"]) for m_id, s, e in found if s != e
        }
        return sorted(spans)


def _windows(starts: np.ndarray, ends: np.ndarray, size: int) -> list[tuple[int, int]]:
    """The token windows [start, end), clipped to the doc and merged where they touch, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(zip(np.maximum(starts, 0).tolist(), np.minimum(ends, size).tolist())):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@Language.factory(
    NAME,
    assigns=["doc.spans"],
    default_config={
        "spans_key": "ruler",
        "spans_filter": None,
        "annotate_ents": False,
        "ents_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
        "phrase_matcher_attr": None,
        "matcher_fuzzy_compare": {"@misc": "spacy.levenshtein_compare.v1"},
        "validate": False,
        "overwrite": True,
        "scorer": None,
    },
)
def make_funding_cues(
    nlp: Language,
    name: str,
    spans_key: str | None,
    spans_filter: Callable | None,
    annotate_ents: bool,
    ents_filter: Callable,
    phrase_matcher_attr: int | str | None,
    matcher_fuzzy_compare: Callable,
    validate: bool,
    overwrite: bool,
    scorer: Callable | None,
) -> GatedSpanRuler:
    return GatedSpanRuler(
        nlp,
        name,
        spans_key=spans_key,
        spans_filter=spans_filter,
        annotate_ents=annotate_ents,
        ents_filter=ents_filter,
        phrase_matcher_attr=phrase_matcher_attr,
        matcher_fuzzy_compare=matcher_fuzzy_compare,
        validate=validate,
        overwrite=overwrite,
        scorer=scorer,
    )
