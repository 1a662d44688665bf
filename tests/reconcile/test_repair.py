"""A run killed after it wrote its claims and before it merged them is repaired by the next."""

import pytest
from sqlalchemy import delete, func, select

from cami_extract.config import load_settings
from cami_extract.pipeline import ingest
from cami_extract.reconcile import reconcile_all
from cami_extract.store.reconcile_schema import ActivityMemberRow, ActivityRow
from cami_extract.store.repository import Store
from tests.conftest import SEED_PDF

pytestmark = pytest.mark.slow


def _activities(store):
    with store.session() as s:
        return sorted(s.scalars(select(ActivityRow.activity_id)))


def test_claims_without_their_activities_are_merged_by_the_next_reconcile(tmp_path):
    db = str(tmp_path / "cami.sqlite")
    store = Store.open(db)
    try:
        assert not ingest([SEED_PDF], store, load_settings(env={}, overrides={"db": db, "workers": 1})).failed
        before = _activities(store)
        assert before
        with store.session() as s, s.begin():  # what a kill between the two commits leaves
            s.execute(delete(ActivityMemberRow))
            s.execute(delete(ActivityRow))
            assert s.scalar(select(func.count()).select_from(ActivityRow)) == 0
        reconcile_all(store)
        assert _activities(store) == before
    finally:
        store.close()
