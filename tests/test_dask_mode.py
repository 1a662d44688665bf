"""Dask mode: the unit of work on a LocalCluster of 2 workers, stored into the real PostgreSQL.

The result must be the same database as a local ingest (compared through the export), and a
hostile file must end as a coded failure in its sandbox without taking a Dask worker down.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pytest

from cami_extract.dask_executor import dask_imap
from cami_extract.export import FIELDS, rows
from cami_extract.inputs import sha256_of
from cami_extract.model import Failure, ParsedDocument
from cami_extract.parse.sandbox import Limits, ParsePool
from cami_extract.pipeline import ingest
from cami_extract.store.repository import Store
from tests.conftest import CORPUS, CORPUS_PDFS, HOSTILE, _pg_database, _pg_drop

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

INPUTS = [CORPUS, HOSTILE / "html-saved-as.pdf", HOSTILE / "zero-bytes.pdf", HOSTILE / "valid-minimal.pdf"]


def _ingest_and_export(settings) -> tuple[dict, dict]:
    url = _pg_database()
    try:
        store = Store.open(url)
        try:
            report = ingest(INPUTS, store, replace(settings, db=url))
            return report.counts(), {table: list(rows(store, table)) for table in FIELDS}
        finally:
            store.close()
    finally:
        _pg_drop(url)


def test_a_dask_ingest_gives_the_same_database_as_a_local_one(fast_settings):
    local_counts, local = _ingest_and_export(fast_settings)
    dask_counts, on_dask = _ingest_and_export(replace(fast_settings, dask_local=2))
    assert local_counts["ingested"] == len(CORPUS_PDFS) + 1 and local_counts["failed"] == 2
    assert dask_counts == local_counts
    assert on_dask == local


def test_a_hostile_file_fails_in_its_sandbox_on_the_worker_and_the_cluster_goes_on():
    files = [HOSTILE / "length-loop.pdf", HOSTILE / "valid-minimal.pdf", HOSTILE / "not-a-pdf.txt.pdf"]
    jobs = [(i, str(f), sha256_of(f)) for i, f in enumerate(files)]
    make_pool = partial(ParsePool, 1, Limits(timeout_s=3.0, cpu_s=3, recycle_after=1))
    outcomes = dict(dask_imap(jobs, make_pool, local_workers=2, chunk_size=1))
    assert isinstance(outcomes[0], Failure) and outcomes[0].error_code in ("E107", "E110")
    assert isinstance(outcomes[1], ParsedDocument)
    assert isinstance(outcomes[2], Failure) and outcomes[2].error_code == "E103"


def test_an_unreachable_scheduler_is_one_coded_error(monkeypatch):
    from cami_extract import dask_executor
    from cami_extract.errors import DaskUnavailable

    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT_S", 2)
    jobs = [(0, str(HOSTILE / "valid-minimal.pdf"), "")]
    with pytest.raises(DaskUnavailable, match=r"E403.*tcp://127.0.0.1:9"):
        list(dask_imap(jobs, partial(ParsePool, 1, Limits()), scheduler="tcp://127.0.0.1:9"))
