"""Every typesetting of a corpus source parses to that source's golden: same labels, same texts.

The variants (tests/data/variants/<template>/) are the corpus sources typeset again by
corpus/make_corpus.py --variant NAME: `word` (serif 12 pt, other margins, a full-width
footnote rule), `word-cover` (Word's own cover page: the masthead in the first page's header,
odd/even headers and footers, a one-third footnote rule) and `html` (another engine: WeasyPrint,
CSS paged media, a grid cover, CSS footnotes, pyphen's hyphenation) for every paper, `twocol`
(body in two columns) for the seed paper. tests/parse/variant_score.py prints the same as a figure.
"""

from __future__ import annotations

import json

import pytest

from cami_extract.parse import parse_pdf
from tests.conftest import ROOT

VARIANTS = ROOT / "tests" / "data" / "variants"
GOLDEN = ROOT / "tests" / "data" / "golden"
VARIANT_PDFS = sorted(VARIANTS.glob("*/*.pdf"))
EVERY_PAPER = ("word", "word-cover", "html")  # templates that typeset every source


def _numbered(blocks) -> dict[tuple[str, str], str]:
    # where a page's notes fall among the paragraphs depends on the page breaks: compare by label
    return {(b["kind"], b["label"]): b["text"] for b in blocks if b["kind"] in ("paragraph", "footnote") and b["label"]}


def _unlabelled(blocks, kind: str) -> list[str]:
    return [b["text"] for b in blocks if b["kind"] == kind and not b["label"]]


def _rows(blocks) -> set[str]:
    return {b["text"] for b in blocks if b["kind"] == "table_row"}


def test_each_template_covers_the_corpus():
    assert {p.parent.name for p in VARIANT_PDFS} == {*EVERY_PAPER, "twocol"}
    sources = {p.stem for p in GOLDEN.glob("*.json")}
    for name in EVERY_PAPER:
        assert {p.stem for p in VARIANT_PDFS if p.parent.name == name} == sources, name


@pytest.mark.parametrize("pdf", [pytest.param(p, id=f"{p.parent.name}/{p.stem}") for p in VARIANT_PDFS])
def test_a_variant_parses_to_its_source_golden(pdf):
    golden = json.loads((GOLDEN / f"{pdf.stem}.json").read_text(encoding="utf-8"))
    doc = parse_pdf(pdf)
    got = [{"kind": b.kind, "label": b.label, "text": b.text} for b in doc.blocks]
    assert _numbered(got) == _numbered(golden["blocks"])
    # headings and unnumbered paragraphs in the same order; table rows the same set (a template
    # that breaks a table across pages repeats its header row, or splits a row in two)
    for kind in ("heading", "paragraph"):
        assert _unlabelled(got, kind) == _unlabelled(golden["blocks"], kind), kind
    assert _rows(got) == _rows(golden["blocks"])
    assert doc.cover.symbol == golden["cover"]["symbol"]
    assert doc.cover.issue_date == golden["cover"]["issue_date"]
