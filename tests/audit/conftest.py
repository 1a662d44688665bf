"""The shipped corpus ingested (extraction and reconcile on) once per session, per backend."""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS, _pg_database, _pg_drop


def _ingest(url: str) -> str:
    from cami_extract.config import load_settings
    from cami_extract.pipeline import ingest
    from cami_extract.store.repository import Store

    store = Store.open(url)
    try:
        report = ingest([CORPUS], store, load_settings(env={}, overrides={"db": url, "workers": 2}))
        assert not report.failed
    finally:
        store.close()
    return url


@pytest.fixture(scope="session")
def corpus_sqlite(tmp_path_factory) -> str:
    return _ingest(str(tmp_path_factory.mktemp("audit") / "cami.sqlite"))


@pytest.fixture(scope="session")
def corpus_postgres():
    url = _pg_database()
    try:
        yield _ingest(url)
    finally:
        _pg_drop(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def corpus_db(request) -> str:
    """A database URL holding the whole corpus: SQLite and PostgreSQL."""
    return request.getfixturevalue("corpus_sqlite" if request.param == "sqlite" else "corpus_postgres")
