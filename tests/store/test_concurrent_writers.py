"""Four ingests at once into one PostgreSQL database, on overlapping and conflicting inputs.

Each round gives four processes (started at the same instant) the same shared files, the
same failing files, the seed paper under another name, and each its own re-issue of the
seed (same symbol, other bytes): five versions of one document key written at once. After
the round the database must hold every version once, exactly one of them current, every
failure once, no store failure, no orphan, and every run finished.

CI runs ``CI_ROUNDS``; the stress run: ``CAMI_STRESS_ROUNDS=20 pytest tests/store/test_concurrent_writers.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from cami_extract.inputs import sha256_of
from cami_extract.store.repository import Store
from cami_extract.store.schema import BlockRow, Document, FailureRow, PageRow, Run
from tests.conftest import HOSTILE, ROOT, SEED_PDF, _pg_database, _pg_drop

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

CI_ROUNDS = 1
ROUNDS = int(os.environ.get("CAMI_STRESS_ROUNDS", CI_ROUNDS))
WRITERS = 4
SEED_KEY = "UNEP/CMS/CAMI3/Doc.7|en"

WRITER = textwrap.dedent(
    """
    import json, sys, time
    target, start_at = sys.argv[1], float(sys.argv[2])
    from cami_extract.config import load_settings
    from cami_extract.pipeline import ingest
    from cami_extract.store.repository import Store
    settings = load_settings(env={}, overrides={"extract": False, "workers": 1})
    store = Store.open(target)
    while time.time() < start_at:
        time.sleep(0.002)
    report = ingest(sys.argv[3:], store, settings)
    store.close()
    print(json.dumps({"ingested": report.ingested, "unchanged": report.unchanged,
                      "failed": [[f.path, f.stage, f.error_code] for f in report.failed]}))
    """
)


def _inputs(folder) -> list[list[str]]:
    shared = folder / "shared"
    shared.mkdir()
    shutil.copy(SEED_PDF, shared / "seed.pdf")  # the same path for all four
    shutil.copy(HOSTILE / "valid-minimal.pdf", shared / "minimal.pdf")
    shutil.copy(HOSTILE / "html-saved-as.pdf", shared / "bad-html.pdf")  # the same failure, four times at once
    shutil.copy(HOSTILE / "zero-bytes.pdf", shared / "bad-empty.pdf")
    per_writer = []
    for w in range(WRITERS):
        own = folder / f"writer{w}"
        own.mkdir()
        shutil.copy(SEED_PDF, own / "seed-copy.pdf")  # the same bytes as shared/seed.pdf, another path
        reissue = own / "seed-reissued.pdf"
        shutil.copy(SEED_PDF, reissue)
        with reissue.open("ab") as fh:
            fh.write(f"\n% re-issue {w}\n".encode())  # same symbol, other bytes: a new version
        per_writer.append([str(shared), str(own)])
    return per_writer


def _one_round(url: str, folder) -> None:
    inputs = _inputs(folder)
    good = {sha256_of(p) for p in folder.rglob("*.pdf") if "bad-" not in p.name}
    start_at = time.time() + 6  # after every writer has imported and opened the store
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(start_at), *paths],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for paths in inputs
    ]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))

    # What the writers said: only the two bad files failed, each good sha ingested by one writer.
    for r in reports:
        assert sorted((os.path.basename(f[0]), f[2]) for f in r["failed"]) == [
            ("bad-empty.pdf", "E102"),
            ("bad-html.pdf", "E103"),
        ]
    ingested = Counter(sha256_of(p) for r in reports for p in r["ingested"])
    assert set(ingested) == good and set(ingested.values()) == {1}

    store = Store.open(url)
    try:
        with store.session() as s:
            docs = s.scalars(select(Document)).all()
            assert sorted(d.sha256 for d in docs) == sorted(good)  # no duplicate, no lost version
            current = Counter(d.doc_key for d in docs if d.status == "current")
            assert set(current.values()) == {1}
            seed_versions = [d for d in docs if d.doc_key == SEED_KEY]
            assert len(seed_versions) == 1 + WRITERS
            by_id = {d.id: d for d in docs}
            for d in seed_versions:
                if d.status == "superseded":
                    assert by_id[d.superseded_by].doc_key == SEED_KEY
            failures = s.scalars(select(FailureRow)).all()
            assert sorted((os.path.basename(f.path), f.stage, f.error_code) for f in failures) == [
                ("bad-empty.pdf", "parse", "E102"),
                ("bad-html.pdf", "parse", "E103"),
            ]
            runs = s.scalars(select(Run)).all()
            assert len(runs) == WRITERS and all(r.finished_at for r in runs)
            for model in (BlockRow, PageRow):
                orphans = s.scalar(
                    select(func.count()).select_from(model).where(model.document_id.not_in(select(Document.id)))
                )
                assert orphans == 0
            blocks = dict(s.execute(select(BlockRow.document_id, func.count()).group_by(BlockRow.document_id)).all())
            assert len({blocks[d.id] for d in seed_versions}) == 1  # every version stored whole
    finally:
        store.close()


def test_four_ingests_at_once_keep_every_invariant(tmp_path):
    for n in range(ROUNDS):
        url = _pg_database()
        folder = tmp_path / f"round{n}"
        folder.mkdir()
        try:
            _one_round(url, folder)
        finally:
            _pg_drop(url)
