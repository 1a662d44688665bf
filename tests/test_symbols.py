"""The one grammar of document symbols (cami_extract/symbols.py), as a case table."""

from __future__ import annotations

import csv

import pytest

from cami_extract.symbols import canonical_symbol, find_symbols, symbol_line
from tests.conftest import ROOT

CASES = ROOT / "tests" / "data" / "symbol_cases.csv"


def _cases():
    with CASES.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            expected = [v for v in row["expected"].split(";") if v]
            yield pytest.param(row["text"], expected, row["family"], id=row["note"])


@pytest.mark.parametrize("text, expected, family", list(_cases()))
def test_symbol_case(text, expected, family):
    found = list(find_symbols(text))
    assert [m.canonical for m in found] == expected
    if family:
        assert {m.family for m in found} == {family}
    for m in found:
        assert canonical_symbol(text[m.start : m.end]) == m.canonical


def test_a_cover_line_is_a_symbol_only_when_it_is_nearly_nothing_else():
    assert symbol_line("UNEP/CMS/ScC-SC5/Outcome 7") == "UNEP/CMS/ScC-SC5/Outcome 7"
    assert symbol_line("United Nations A/AC.296/2026/9", slack=15) == "A/AC.296/2026/9"
    assert symbol_line("as set out in UNEP/CMS/COP14/Doc.30.3.1 and its annexes") is None


def _imports(path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_the_grammar_imports_nothing_of_ours_and_parse_never_imports_extract():
    package = ROOT / "cami_extract"
    assert not [m for m in _imports(package / "symbols.py") if m.startswith((".", "cami_extract"))]
    for path in (package / "parse").glob("*.py"):
        assert not [m for m in _imports(path) if "extract" in m.split(".")[-1:] or m.startswith("..extract")], path
