"""The re-ingest probe says "nothing to do" only when that is certain; every doubt is a no."""

import shutil

import pytest
from sqlalchemy import delete, update

from cami_extract.config import load_settings
from cami_extract.model import CLAIMS_VERSION
from cami_extract.pipeline import ingest
from cami_extract.store.probe import nothing_to_do, sqlite_file
from cami_extract.store.reconcile_schema import ClaimRunRow
from cami_extract.store.repository import Store
from tests.conftest import CORPUS_PDFS, SEED_PDF

pytestmark = pytest.mark.slow


@pytest.fixture
def stored(tmp_path):
    """A SQLite store holding the seed, read by the reconciler (extraction off: it is not needed here)."""
    db = tmp_path / "cami.sqlite"
    settings = load_settings(env={}, overrides={"db": str(db), "extract": False, "workers": 1})
    store = Store.open(str(db))
    try:
        assert not ingest([SEED_PDF], store, settings).failed
    finally:
        store.close()
    return db


def test_an_unchanged_file_in_an_up_to_date_store_is_nothing_to_do(stored):
    assert nothing_to_do(str(stored), [SEED_PDF], claims_version=CLAIMS_VERSION)
    assert nothing_to_do(f"sqlite:///{stored}", [SEED_PDF], claims_version=CLAIMS_VERSION)


def test_a_new_file_is_something_to_do_wherever_it_is_in_the_batch(stored):
    other = next(p for p in CORPUS_PDFS if p != SEED_PDF)
    assert not nothing_to_do(str(stored), [SEED_PDF, other], claims_version=CLAIMS_VERSION)
    assert not nothing_to_do(str(stored), [other, SEED_PDF], claims_version=CLAIMS_VERSION)


def test_a_document_the_reconciler_has_not_read_is_something_to_do(stored):
    store = Store.open(str(stored))
    try:
        with store.session() as s, s.begin():
            s.execute(delete(ClaimRunRow))
    finally:
        store.close()
    assert not nothing_to_do(str(stored), [SEED_PDF], claims_version=CLAIMS_VERSION)
    assert nothing_to_do(str(stored), [SEED_PDF], claims_version=None)  # reconcile switched off


def test_a_run_that_did_not_finish_is_something_to_do(stored):
    # a killed ingest may have written its claims and not yet its activities: the next run repairs
    from cami_extract.store.schema import Run

    store = Store.open(str(stored))
    try:
        with store.session() as s, s.begin():
            s.execute(update(Run).values(finished_at=None))
    finally:
        store.close()
    assert not nothing_to_do(str(stored), [SEED_PDF], claims_version=CLAIMS_VERSION)


def test_an_older_schema_a_missing_or_foreign_database_and_an_unreadable_file_are_not_nothing(stored, tmp_path):
    from sqlalchemy import Column, MetaData, String, Table

    store = Store.open(str(stored))
    try:
        version = Table("alembic_version", MetaData(), Column("version_num", String))
        with store.engine.begin() as conn:
            conn.execute(update(version).values(version_num="0004_older"))
    finally:
        store.close()
    assert not nothing_to_do(str(stored), [SEED_PDF], claims_version=CLAIMS_VERSION)
    assert not nothing_to_do(str(tmp_path / "none.sqlite"), [SEED_PDF], claims_version=None)
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all")
    assert not nothing_to_do(str(tmp_path / "junk.sqlite"), [SEED_PDF], claims_version=None)
    assert not nothing_to_do("postgresql://127.0.0.1/test", [SEED_PDF], claims_version=None)
    assert not nothing_to_do(str(stored), [tmp_path / "missing.pdf"], claims_version=None)


def test_a_path_with_uri_characters_is_opened_as_a_file(stored, tmp_path):
    odd = tmp_path / "a ?b#c%20" / "cami.sqlite"
    odd.parent.mkdir()
    shutil.copy(stored, odd)
    assert nothing_to_do(str(odd), [SEED_PDF], claims_version=CLAIMS_VERSION)


def test_sqlite_targets_are_told_from_other_urls():
    assert sqlite_file("outputs/cami.sqlite").as_posix() == "outputs/cami.sqlite"
    assert sqlite_file("sqlite:////tmp/x.sqlite").as_posix() == "/tmp/x.sqlite"
    assert sqlite_file("sqlite:///rel.sqlite").as_posix() == "rel.sqlite"
    assert sqlite_file("postgresql://h/db") is None
    assert sqlite_file("foo:bar") is None
    assert sqlite_file("sqlite://") is None
