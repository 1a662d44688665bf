"""Reconciler writes are safe with several writers: on a shared PostgreSQL database, reconcilers
running at once take turns (an advisory lock) and leave the same register as one run alone."""

from __future__ import annotations

import threading

import pytest

from cami_extract.reconcile import reconcile_all
from cami_extract.store.repository import Store
from tests.conftest import _pg_database, _pg_drop
from tests.reconcile.test_order import _dump

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_reconcilers_at_once_on_postgresql_give_the_register_of_one(corpus_extracted):
    url = _pg_database()
    try:
        store = Store.open(url)
        run = store.start_run("test", "test", {})
        for doc, mentions in corpus_extracted:
            store.save_document(doc, mentions, run_id=run, pipeline_version="test", flags=[])
        store.close()
        errors: list[BaseException] = []

        def reconcile() -> None:
            own = Store.open(url)  # each thread a store of its own, as each ingest process has
            try:
                reconcile_all(own)
            except BaseException as e:  # the test reports it below
                errors.append(e)
            finally:
                own.close()

        threads = [threading.Thread(target=reconcile) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        assert not errors, errors
        store = Store.open(url)
        at_once = _dump(store)
        reconcile_all(store, rebuild=True)
        assert _dump(store) == at_once and at_once.count('"activity_id"') > 50
        store.close()
    finally:
        _pg_drop(url)
