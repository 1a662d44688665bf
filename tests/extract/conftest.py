"""Shared fixtures: the pipeline is loaded once per test session (it takes seconds)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # seed_blocks, src_blocks

from cami_extract.extract import Extractor
from cami_extract.model import Block, CoverMeta, ParsedDocument

CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor.load()


def make_document(
    *texts: str, issue_date: str | None = "2025-06-02", kind: str = "paragraph", language: str = "en"
) -> ParsedDocument:
    blocks = [Block(seq=i, kind=kind, label=str(i + 1), text=t) for i, t in enumerate(texts)]
    return ParsedDocument(
        path="<test>",
        sha256="",
        size=0,
        pages=[],
        blocks=blocks,
        cover=CoverMeta(issue_date=issue_date),
        language=language,
    )


def load_cases(name: str) -> list[tuple[str, set[str], str]]:
    with (CASES / name).open(newline="", encoding="utf-8") as fh:
        return [(r["text"], {v for v in r["expected"].split(";") if v}, r["note"]) for r in csv.DictReader(fh)]
