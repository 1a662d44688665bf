"""Mutated PDFs through the whole ingest: every file ends as a document or a coded failure.

A seeded generator damages real files the ways downloads and broken writers do: truncation,
byte flips, deleted ranges, inserted junk, a damaged xref table or ``startxref``, a wrong
stream ``/Length``. The sandbox's wall-clock limit bounds every parse, so a hang shows as
E107, not as a stuck test. CI: ``CI_MUTANTS`` per backend; more:
``CAMI_FUZZ_MUTANTS=400 pytest tests/parse/test_mutation_fuzz.py``.
"""

from __future__ import annotations

import os
import random
import re
import time

import pytest

from cami_extract.errors import ALL_ERRORS
from cami_extract.pipeline import ingest
from cami_extract.store.repository import Store
from tests.conftest import HOSTILE, ROOT, SEED_PDF

pytestmark = pytest.mark.slow

CI_MUTANTS = 24
MUTANTS = int(os.environ.get("CAMI_FUZZ_MUTANTS", CI_MUTANTS))
SOURCES = [HOSTILE / "valid-minimal.pdf", ROOT / "tests" / "data" / "untrusted" / "control-chars.pdf", SEED_PDF]
PARSE_CODES = {c.code for c in ALL_ERRORS if c.code.startswith("E1")}
# Wall clock for the whole batch: each parse is bounded by the timeout, and 2 workers share them.
TIMEOUT_S = 20.0


def _truncate(rng, data):
    return data[: rng.randrange(1, len(data))]


def _flip(rng, data):
    out = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _delete_range(rng, data):
    a = rng.randrange(len(data))
    return data[:a] + data[a + rng.randint(1, max(1, len(data) // 8)) :]


def _insert_junk(rng, data):
    a = rng.randrange(len(data))
    return data[:a] + rng.randbytes(rng.randint(1, 512)) + data[a:]


def _damage_xref(rng, data):
    start = data.rfind(b"xref")
    if start < 0:
        return _flip(rng, data)
    head, table = data[:start], bytearray(data[start:])
    digits = [i for i, b in enumerate(table) if 48 <= b <= 57]
    for i in rng.sample(digits, min(len(digits), rng.randint(1, 12))):
        table[i] = rng.randrange(48, 58)
    return head + bytes(table)


def _bad_startxref(rng, data):
    return re.sub(rb"startxref\s+\d+", b"startxref\n" + str(rng.choice([0, 7, len(data) * 3, 2**40])).encode(), data)


def _bad_length(rng, data):
    return re.sub(rb"/Length \d+", lambda m: b"/Length " + str(rng.randint(0, 10**6)).encode(), data, count=1)


MUTATIONS = [_truncate, _flip, _delete_range, _insert_junk, _damage_xref, _bad_startxref, _bad_length]


def mutants(n: int, seed: int = 20261201):
    rng = random.Random(seed)
    sources = [p.read_bytes() for p in SOURCES]
    for i in range(n):
        mutation = MUTATIONS[i % len(MUTATIONS)]
        data = sources[(i // len(MUTATIONS)) % len(sources)]
        for _ in range(rng.choice([1, 1, 2])):
            data = rng.choice([mutation, *MUTATIONS])(rng, data)
        yield f"{i:04d}-{mutation.__name__.strip('_')}.pdf", data


def test_every_mutated_pdf_ends_as_a_document_or_a_coded_failure(db_url, fast_settings, tmp_path):
    for name, data in mutants(MUTANTS):
        (tmp_path / name).write_bytes(data)
    settings = type(fast_settings)(**{**fast_settings.as_dict(), "db": db_url, "timeout": TIMEOUT_S})
    store = Store.open(db_url)
    try:
        started = time.monotonic()
        report = ingest([tmp_path], store, settings)
        took = time.monotonic() - started
    finally:
        store.close()
    assert len(report.ingested) + len(report.unchanged) + len(report.failed) == MUTANTS
    for f in report.failed:
        assert f.error_code in PARSE_CODES and f.stage in ("read", "parse"), f
    assert took < TIMEOUT_S * MUTANTS  # no hang: bounded by the per-file limit
    codes = sorted({f.error_code for f in report.failed})
    print(f"{MUTANTS} mutants: {len(report.ingested)} documents, {len(report.failed)} failures {codes}, {took:.1f} s")
