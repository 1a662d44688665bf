"""SIGKILL at a random moment of an ingest (the first migration included), then a rerun.

Each round starts ``cami ingest`` on a fresh database, kills its whole process group at a
random moment between start-up and the end of a clean run, then checks that the database
opens, holds no half document and no orphan row, and that a rerun exports exactly what a
clean ingest exports. A failing round's database is kept (its path is in the message).

CI runs ``CI_ROUNDS`` per backend; the soak:
``CAMI_KILL_ROUNDS=100 pytest tests/store/test_kill_soak.py`` (``CAMI_KILL_SEED`` picks
the moments; ``CAMI_KILL_KEEP`` the folder for failing rounds' databases).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cami_extract.export import FIELDS, rows
from cami_extract.store.repository import Store
from cami_extract.store.schema import BlockRow, Document, MentionRow, PageRow
from tests.conftest import HOSTILE, ROOT, SEED_PDF, _pg_database, _pg_drop

pytestmark = pytest.mark.slow

CI_ROUNDS = 2
ROUNDS = int(os.environ.get("CAMI_KILL_ROUNDS", CI_ROUNDS))
SEED = int(os.environ.get("CAMI_KILL_SEED", "20261201"))
KEEP = Path(os.environ.get("CAMI_KILL_KEEP", ROOT / "outputs" / "kill-soak-failures"))
INPUTS = [SEED_PDF, HOSTILE / "valid-minimal.pdf", HOSTILE / "zero-bytes.pdf", HOSTILE / "html-saved-as.pdf"]


def _cami(db: str, folder: Path) -> list[str]:
    return [sys.executable, "-m", "cami_extract", "--db", db, "ingest", "-q", "--no-extract", "--workers", "1",
            str(folder)]  # fmt: skip


def _export(db: str) -> dict[str, list[dict]]:
    store = Store.open(db)
    try:
        return {table: list(rows(store, table)) for table in FIELDS}
    finally:
        store.close()


def _no_half_document(db: str) -> None:
    store = Store.open(db)  # the open itself must work after any kill
    try:
        with store.session() as s:
            for d in s.scalars(select(Document)):
                pages = s.scalar(select(func.count()).select_from(PageRow).where(PageRow.document_id == d.id))
                blocks = s.scalar(select(func.count()).select_from(BlockRow).where(BlockRow.document_id == d.id))
                assert pages == d.page_count and blocks > 0, f"half document {d.path}"
            for model in (BlockRow, PageRow, MentionRow):
                orphan = select(func.count()).select_from(model).where(model.document_id.not_in(select(Document.id)))
                assert s.scalar(orphan) == 0, f"orphan {model.__tablename__}"
    finally:
        store.close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_kill_at_any_moment_then_a_rerun_gives_the_clean_result(kind, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for f in INPUTS:
        shutil.copy(f, folder / f.name)
    fresh = (lambda n: str(tmp_path / f"round{n}.sqlite")) if kind == "sqlite" else (lambda n: _pg_database())

    clean_db = fresh("clean")
    started = time.monotonic()
    subprocess.run(_cami(clean_db, folder), capture_output=True, timeout=300, cwd=ROOT)
    clean_seconds = time.monotonic() - started
    expected = _export(clean_db)
    assert len(expected["documents"]) == 2 and len(expected["failures"]) == 2
    if kind != "sqlite":
        _pg_drop(clean_db)

    rng = random.Random(f"{SEED}-{kind}")
    killed_during = []
    for n in range(ROUNDS):
        db = fresh(n)
        moment = rng.uniform(0.2, clean_seconds)
        began = time.monotonic()
        proc = subprocess.Popen(
            _cami(db, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, start_new_session=True
        )
        try:
            proc.wait(timeout=moment)
            killed_during.append(None)  # finished before the kill
            # The machine is less loaded than when the clean run was timed: aim within this run's length.
            clean_seconds = max(0.5, min(clean_seconds, time.monotonic() - began))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its parser children, as a power cut would
            proc.wait()
            killed_during.append(round(moment, 2))
        try:
            _no_half_document(db)
            rerun = subprocess.run(_cami(db, folder), capture_output=True, text=True, timeout=300, cwd=ROOT)
            assert rerun.returncode == 1 and "Traceback" not in rerun.stderr, rerun.stderr  # 1: the two bad files
            assert _export(db) == expected
        except BaseException as e:
            kept = _keep(db, kind, n)
            raise AssertionError(f"round {n} (kill at {moment:.2f} s) failed; database kept: {kept}") from e
        if kind == "sqlite":
            os.remove(db)
        else:
            _pg_drop(db)
    killed = [k for k in killed_during if k is not None]
    print(
        f"{kind}: {ROUNDS} rounds, {len(killed)} killed mid-run, window {clean_seconds:.1f} s, kills at {killed_during}"
    )


def _keep(db: str, kind: str, n: int) -> str:
    if kind != "sqlite":
        return db  # not dropped: inspect it with psql
    KEEP.mkdir(parents=True, exist_ok=True)
    target = KEEP / f"round{n}-{os.getpid()}.sqlite"
    shutil.copy(db, target)
    return str(target)
