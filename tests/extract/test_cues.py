"""The gated cue ruler finds exactly the spans spaCy's own span_ruler finds, only faster."""

from __future__ import annotations

import pytest
import spacy
from conftest import CASES, load_cases
from seed_blocks import seed_document

from cami_extract.extract import cues, read_patterns

PATTERN_FILES = {"en": "funding_cues.jsonl", "fr": "funding_cues_fr.jsonl", "es": "funding_cues_es.jsonl"}


def _texts(language: str) -> list[str]:
    """Every case text of the language (all five types), the seed's blocks for English."""
    paths = [p for p in sorted(CASES.glob("*.csv")) if (p.stem.partition("_")[2] or "en") == language]
    texts = [text for path in paths for text, _, _ in load_cases(path.name)]
    return texts + ([block.text for block in seed_document().blocks] if language == "en" else [])


def _both(language: str, patterns: list[dict]) -> spacy.language.Language:
    nlp = spacy.blank(language)
    nlp.add_pipe("span_ruler", name="plain", config={"spans_key": "plain", "validate": True}).add_patterns(patterns)
    nlp.add_pipe(cues.NAME, name="gated", config={"spans_key": "gated", "validate": True}).add_patterns(patterns)
    return nlp


def _spans(doc: spacy.tokens.Doc, key: str) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.label_, s.id_) for s in doc.spans[key]]


@pytest.mark.parametrize("language", sorted(PATTERN_FILES))
def test_the_shipped_cues_give_the_plain_rulers_spans(language):
    patterns = read_patterns(PATTERN_FILES[language])
    nlp = _both(language, patterns)
    assert nlp.get_pipe("gated")._current_gate(nlp("x")) is not None  # the gate is on for every shipped file
    found = 0
    for doc in nlp.pipe(_texts(language)):
        assert _spans(doc, "gated") == _spans(doc, "plain"), doc.text
        found += len(doc.spans["plain"])
    assert found > 50  # the texts do hold cues


def test_an_anchor_after_a_leading_word_still_finds_the_match_at_the_start():
    # the regex first token cannot anchor; "recursos" can, one token after the start
    patterns = [{"label": "L", "pattern": [{"TEXT": {"REGEX": "ó$"}}, {"LOWER": "con"}, {"LOWER": "recursos"}]}]
    nlp = _both("es", patterns)
    doc = nlp("Financió con recursos propios el taller.")
    assert _spans(doc, "gated") == _spans(doc, "plain") == [(0, 3, "L", "")]


def test_a_pattern_with_no_bounded_anchor_switches_the_gate_off():
    assert cues.gate_of([{"label": "L", "pattern": [{"LOWER": "funded"}, {"OP": "*"}, {"LOWER": "by"}]}]) is None
    assert cues.gate_of([{"label": "L", "pattern": [{"IS_TITLE": True}, {"LOWER": "funds", "OP": "?"}]}]) is None
    assert cues.gate_of([{"label": "L", "pattern": "funded by"}]) is None
    nlp = _both("en", [{"label": "L", "pattern": [{"LOWER": "funded"}, {"OP": "*"}, {"LOWER": "by"}]}])
    doc = nlp("It was funded in 2020 by Norway.")
    assert _spans(doc, "gated") == _spans(doc, "plain") != []


def test_the_window_of_an_anchor_covers_the_tokens_before_and_after_it():
    gate = cues.gate_of(
        [
            {
                "label": "L",
                "pattern": [{"LOWER": "the"}, {"LOWER": "x", "OP": "{0,2}"}, {"LOWER": "donor"}, {"LOWER": "is"}],
            }
        ],
        common=lambda w: w == "the",
    )
    assert gate == {"donor": (3, 2)}


def test_patterns_added_later_are_gated_too():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(cues.NAME, config={"spans_key": "k"})

    def cues_in(text: str) -> list[str]:
        doc = nlp(text)
        return [s.text for s in doc.spans["k"]]

    ruler.add_patterns([{"label": "L", "pattern": [{"LOWER": "funded"}, {"LOWER": "by"}]}])
    assert cues_in("funded by Norway, sponsored by Japan") == ["funded by"]
    ruler.add_patterns([{"label": "L", "pattern": [{"LOWER": "sponsored"}, {"LOWER": "by"}]}])
    assert cues_in("funded by Norway, sponsored by Japan") == ["funded by", "sponsored by"]
    ruler.clear()
    ruler.add_patterns([{"label": "L", "pattern": [{"LOWER": "sponsored"}, {"LOWER": "by"}]}])
    assert cues_in("funded by Norway, sponsored by Japan") == ["sponsored by"]
