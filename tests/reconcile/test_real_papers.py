"""A real UN paper through ingest and the reconciler: unnumbered paragraphs are claims too."""

from cami_extract.config import load_settings
from cami_extract.export import rows
from cami_extract.pipeline import ingest
from cami_extract.store.repository import Store
from tests.conftest import SHARED

# The 1995 Straddling Stocks conference paper: most of its paragraphs carry no number, and
# several of them report a meeting each (before activities.v3 their claims shared one key, so
# two activities got one id and the batch's reconcile failed with E501).
PAPER = SHARED / "real-pdfs" / "A-CONF.164-37.pdf"


def test_a_paper_of_unnumbered_paragraphs_is_reconciled_into_activities_with_their_own_ids(tmp_path):
    store = Store.open(str(tmp_path / "cami.sqlite"))
    try:
        report = ingest([PAPER], store, load_settings(env={}, overrides={"workers": 1}))
        assert report.ingested and not report.failed
        failures = list(rows(store, "failures"))
        assert not [f for f in failures if f["stage"] == "reconcile"], failures
        ids = [a["activity_id"] for a in rows(store, "activities")]
        assert ids and len(ids) == len(set(ids))
    finally:
        store.close()


def test_a_reconcile_that_fails_is_one_coded_line_and_a_recorded_failure(tmp_path, monkeypatch, caplog):
    import cami_extract.reconcile as reconcile

    def broken(*args, **kwargs):
        raise RuntimeError("UNIQUE constraint failed: activities.activity_id\n[parameters: every row]")

    monkeypatch.setattr(reconcile, "reconcile_all", broken)
    store = Store.open(str(tmp_path / "cami.sqlite"))
    try:
        run_id = store.start_run("ingest", "test", {})
        assert reconcile.reconcile_batch(store, load_settings(env={}), run_id) is None
        (failure,) = [f for f in rows(store, "failures") if f["stage"] == "reconcile"]
        assert failure["error_code"] == "E501" and "every row" not in failure["message"]
    finally:
        store.close()
    (record,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.exc_info is None and "E501" in record.getMessage()
