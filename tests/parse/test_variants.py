"""Every typesetting of a corpus source parses to that source's golden: same labels, same texts.

The variants (tests/data/variants/<template>/) are the corpus sources typeset again by
corpus/make_corpus.py --variant NAME: `word` (serif 12 pt, other margins, a full-width
footnote rule) for every paper, `twocol` (body in two columns) for the seed paper.
"""

from __future__ import annotations

import json

import pytest

from cami_extract.parse import parse_pdf
from tests.conftest import ROOT

VARIANTS = ROOT / "tests" / "data" / "variants"
GOLDEN = ROOT / "tests" / "data" / "golden"
VARIANT_PDFS = sorted(VARIANTS.glob("*/*.pdf"))
# Known: this template breaks "captive-bred" at its hyphen, and nothing in the paper tells that
# compound from a hyphenated word ("captive" is used elsewhere, "bred" and "captivebred" never).
KNOWN = {"word/UNEP-CMS-Raptors-MOS4-Doc.7.1": "line-end 'captive-' + 'bred' is joined to 'captivebred'"}


def _param(pdf):
    key = f"{pdf.parent.name}/{pdf.stem}"
    marks = [pytest.mark.xfail(reason=KNOWN[key], strict=True)] if key in KNOWN else []
    return pytest.param(pdf, id=key, marks=marks)


def _numbered(blocks) -> dict[tuple[str, str], str]:
    # where a page's notes fall among the paragraphs depends on the page breaks: compare by label
    return {(b["kind"], b["label"]): b["text"] for b in blocks if b["kind"] in ("paragraph", "footnote") and b["label"]}


def test_each_template_covers_the_corpus():
    assert {p.parent.name for p in VARIANT_PDFS} == {"word", "twocol"}
    assert len([p for p in VARIANT_PDFS if p.parent.name == "word"]) == len(list(GOLDEN.glob("*.json")))


@pytest.mark.parametrize("pdf", [_param(p) for p in VARIANT_PDFS])
def test_a_variant_parses_to_its_source_golden(pdf):
    golden = json.loads((GOLDEN / f"{pdf.stem}.json").read_text(encoding="utf-8"))
    doc = parse_pdf(pdf)
    got = [{"kind": b.kind, "label": b.label, "text": b.text} for b in doc.blocks]
    assert _numbered(got) == _numbered(golden["blocks"])
    assert doc.cover.symbol == golden["cover"]["symbol"]
    assert doc.cover.issue_date == golden["cover"]["issue_date"]
