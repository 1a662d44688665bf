"""Every extractor on junk text: nothing raised, every mention well-formed.

A seeded generator mixes what a broken PDF yields (control characters, lone surrogates,
``(cid:12)``, combining marks, right-to-left text, runs without spaces) with fragments each
extractor reacts to (symbols, binomials, country names, dates, amounts and funding cues), so
the rules fire on garbage around them. CI: ``CI_DOCUMENTS``; more:
``CAMI_FUZZ_DOCUMENTS=2000 pytest tests/extract/test_junk_fuzz.py``.
"""

from __future__ import annotations

import os
import random

import pytest

from cami_extract.extract import EXTRACTORS
from cami_extract.model import ENTITY_TYPES
from tests.extract.conftest import make_document

pytestmark = pytest.mark.slow

CI_DOCUMENTS = 60
DOCUMENTS = int(os.environ.get("CAMI_FUZZ_DOCUMENTS", CI_DOCUMENTS))
BLOCKS_PER_DOCUMENT = 6

FRAGMENTS = [
    "UNEP/CMS/COP14/Doc.31.4.1", "UNEP/CMS/Resolution 12.",  "CMS/ScC-SC5/Inf.", "Doc.", "Annex 2",
    "Falco cherrug", "F. cherrug", "Saker Falcon", "Gyps", "the genus Gyps", "Acinonyx jubatus soemmeringii",
    "Kazakhstan", "KAZA-", "Republic of", "the United Kingdom of Great Britain and", "Hungarian, Slovak and",
    "31 February 2024", "2025-13-45", "winter 2023/24", "between 1999 and", "from May to", "January 2021 –",
    "funded by", "with financial support from the", "Government of Norway", "EU LIFE programme", "USD 5,000,000",
    "(EAAFP)", "East Asian-Australasian Flyway Partnership (", "| Funding | Donor(s) |", "(cid:12)", "•", "e.g.",
    "(a)", "(iv)", "15.", "fn1", "’", "“", "—", "\u00ad", "ﬁ", "ﬂ",
]  # fmt: skip
ALPHABETS = [
    (0x20, 0x7E), (0xA0, 0x17F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF), (0x300, 0x36F),
    (0x4E00, 0x4E80), (0x1F300, 0x1F6FF), (0x0, 0x1F), (0x7F, 0x9F), (0x2000, 0x206F), (0xD800, 0xDFFF),
    (0xFFF0, 0xFFFF),
]  # fmt: skip


def junk(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 40)):
        roll = rng.random()
        if roll < 0.45:
            parts.append(rng.choice(FRAGMENTS))
        elif roll < 0.85:
            lo, hi = rng.choice(ALPHABETS)
            parts.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 12))))
        elif roll < 0.95:
            parts.append(rng.choice(["", " ", "  ", "\n", "\t", ".", ",", "-", "(", ")", "|"]))
        else:
            parts.append(rng.choice(FRAGMENTS).upper() * rng.randint(1, 30))  # long runs without a space
    return rng.choice([" ", "", "\n"]).join(parts)


def test_every_extractor_on_junk_raises_nothing_and_every_mention_is_well_formed(extractor):
    rng = random.Random(20261201)
    seen = set()
    for n in range(DOCUMENTS):
        texts = [junk(rng) for _ in range(BLOCKS_PER_DOCUMENT)]
        doc = make_document(*texts, issue_date=rng.choice([None, "2025-06-02", "1999-12-31"]))
        mentions = extractor.extract(doc)  # raising fails the test with the document's texts below
        for m in mentions:
            block = doc.blocks[m.block_seq]
            where = f"document {n}, block {m.block_seq}: {block.text!r}"
            assert m.entity_type in ENTITY_TYPES, where
            assert 0 <= m.start < m.end <= len(block.text), where
            assert m.text == block.text[m.start : m.end], where
            assert isinstance(m.canonical, str) and m.canonical.strip(), where
            assert m.extractor in EXTRACTORS and 0.0 <= m.confidence <= 1.0, where
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in m.attrs.items()), where
            seen.add(m.extractor)
    if DOCUMENTS >= CI_DOCUMENTS:
        assert seen == set(EXTRACTORS)  # every extractor fired on some junk: the fragments reached the rules
