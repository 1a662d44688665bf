"""Ingest into SQLite and a real PostgreSQL: versions, idempotence, failures, one writer."""

import csv
import json
import shutil

import pytest
from sqlalchemy import func, select

from cami_extract.errors import DatabaseBusy
from cami_extract.pipeline import ingest
from cami_extract.store.repository import Store, pack_char_map, unpack_char_map
from cami_extract.store.schema import BlockRow, Document, FailureRow, PageRow, Run
from tests.conftest import CORPUS, CORPUS_PDFS, HOSTILE, SEED_PDF

pytestmark = pytest.mark.slow


def _count(store, model, *where):
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_ingesting_the_corpus_stores_every_paper_and_a_second_run_changes_nothing(store, fast_settings):
    first = ingest([CORPUS], store, fast_settings)
    assert len(first.ingested) == len(CORPUS_PDFS) and not first.failed
    assert first.non_english == []  # English, French and Spanish papers are all extracted
    blocks_before = _count(store, BlockRow)
    # every corpus paper has a text layer: no block, page or document says OCR
    assert _count(store, BlockRow, BlockRow.source == "text_layer", BlockRow.ocr_engine.is_(None)) == blocks_before
    assert _count(store, PageRow, PageRow.source != "text_layer") == 0
    assert _count(store, Document, Document.ocr_pages != 0) == 0
    second = ingest([CORPUS], store, fast_settings)
    assert len(second.unchanged) == len(CORPUS_PDFS) and not second.ingested and not second.failed
    assert _count(store, BlockRow) == blocks_before
    assert _count(store, Run) == 2


def test_the_seed_is_stored_with_its_cover_pages_and_labelled_blocks(store, fast_settings):
    ingest([SEED_PDF], store, fast_settings)
    with store.session() as s:
        doc = s.scalars(select(Document)).one()
        assert (doc.symbol, doc.language, doc.issue_date, doc.page_count) == (
            "UNEP/CMS/CAMI3/Doc.7",
            "en",
            "2025-06-02",
            6,
        )
        assert doc.meeting_dates == "2025-06-24/2025-06-26" and doc.status == "current"
        labels = [
            b.label for b in s.scalars(select(BlockRow).where(BlockRow.kind == "paragraph").order_by(BlockRow.seq))
        ]
        assert labels == [str(n) for n in range(1, 27)]
        assert s.scalar(select(func.count()).select_from(PageRow)) == 6


def test_a_changed_file_with_the_same_symbol_supersedes_the_old_version(store, fast_settings, tmp_path):
    target = tmp_path / "paper.pdf"
    shutil.copy(SEED_PDF, target)
    ingest([target], store, fast_settings)
    with target.open("ab") as fh:
        fh.write(b"\n% a re-issued file: same text, other bytes\n")
    report = ingest([target], store, fast_settings)
    assert len(report.ingested) == 1 and report.superseded == 1
    with store.session() as s:
        docs = s.scalars(select(Document).order_by(Document.id)).all()
        assert [d.status for d in docs] == ["superseded", "current"]
        assert docs[0].superseded_by == docs[1].id
        assert s.scalar(select(func.count()).select_from(BlockRow).where(BlockRow.document_id == docs[0].id)) > 0


def test_a_translation_is_not_a_new_version_of_the_english_paper(store, fast_settings):
    ingest([SEED_PDF, CORPUS / "UNEP-CMS-CAMI3-Doc.7-FR.pdf"], store, fast_settings)
    with store.session() as s:
        docs = s.scalars(select(Document).order_by(Document.language)).all()
        assert [(d.language, d.status) for d in docs] == [("en", "current"), ("fr", "current")]
        assert json.loads(docs[1].flags) == []  # French is extracted, not flagged


def test_bad_files_are_recorded_once_and_the_batch_goes_on(store, fast_settings):
    files = [HOSTILE / "zero-bytes.pdf", HOSTILE / "html-saved-as.pdf", SEED_PDF]
    report = ingest(files, store, fast_settings)
    assert [f.error_code for f in report.failed] == ["E103", "E102"]  # input order: sorted paths
    assert report.ingested == [str(SEED_PDF)]
    ingest(files, store, fast_settings)  # failing again updates, does not duplicate
    assert _count(store, FailureRow) == 2


def test_a_store_error_loses_no_earlier_document_and_leaves_no_half_document(store, fast_settings, monkeypatch):
    original = Store._add_blocks

    def explode_on_the_french_paper(s, document_id, blocks, warnings):
        if any(b.text.startswith("Mise en œuvre du Programme de travail de la CAMI") for b in blocks):
            original(s, document_id, blocks, warnings)
            raise __import__("sqlalchemy").exc.OperationalError("INSERT", {}, Exception("disk full"))
        return original(s, document_id, blocks, warnings)

    monkeypatch.setattr(Store, "_add_blocks", staticmethod(explode_on_the_french_paper))
    report = ingest([CORPUS], store, fast_settings)
    assert [f.error_code for f in report.failed] == ["E203"]
    assert len(report.ingested) == len(CORPUS_PDFS) - 1
    with store.session() as s:
        # the other French papers are stored; the CAMI3 one left nothing behind
        french = [
            r for r in csv.DictReader((CORPUS / "MANIFEST.csv").open(encoding="utf-8")) if r["language"][:2] == "fr"
        ]
        assert s.scalar(select(func.count()).select_from(Document).where(Document.language == "fr")) == len(french) - 1
        orphans = s.scalar(
            select(func.count()).select_from(BlockRow).where(BlockRow.document_id.not_in(select(Document.id)))
        )
        assert orphans == 0


def test_a_second_sqlite_writer_waits_then_fails_clearly(tmp_path):
    db = str(tmp_path / "one-writer.sqlite")
    first, second = Store.open(db), Store.open(db)
    with first.writer(), pytest.raises(DatabaseBusy, match=r"E201.*another process is writing"):
        second.acquire_writer(timeout=0.3)
    second.acquire_writer(timeout=0.3)  # free again once the first is done
    second.close()
    first.close()


def test_the_char_map_round_trips():
    from cami_extract.model import CharBox

    boxes = [CharBox(3, 72.25, 100.5, 78.75, 111.5), CharBox(4, 0.0, 1.0, 2.0, 3.0)]
    assert unpack_char_map(pack_char_map(boxes)) == boxes
