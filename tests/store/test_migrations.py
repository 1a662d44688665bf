"""The schema is made whole or not at all: a kill during the first migration, two first runs
at once, and a database an older version left half-made, on SQLite and on PostgreSQL.

The kill points are the migration's own statements: a child process opens a fresh database
with a hook that SIGKILLs it just before its n-th schema statement. CI tries a spread of
points; ``CAMI_SOAK=1`` tries every one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine, inspect, select

from cami_extract.store.repository import Store
from cami_extract.store.schema import Base, Document, FailureRow, Run
from tests.conftest import HOSTILE, ROOT, SEED_PDF, _pg_database, _pg_drop

pytestmark = pytest.mark.slow

SOAK = os.environ.get("CAMI_SOAK") == "1"
CI_KILL_POINTS = 4  # spread over the statements of the first migration (plus the first two and the last)

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    target, kill_at = sys.argv[1], int(sys.argv[2])
    seen = 0

    @event.listens_for(Engine, "before_cursor_execute")
    def _maybe_die(conn, cursor, statement, parameters, context, executemany):
        global seen
        if statement.lstrip().split(" ", 1)[0].upper() in ("CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "COMMIT"):
            seen += 1
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    from cami_extract.store.repository import Store

    Store.open(target).close()
    print(seen)
    """
)


def _child(target: str, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, target, str(kill_at)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def _fresh(kind: str, tmp_path, n: int) -> str:
    return str(tmp_path / f"kill-{n}.sqlite") if kind == "sqlite" else _pg_database()


def _assert_complete_and_usable(target: str) -> None:
    store = Store.open(target)
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        indexes = {ix["name"] for ix in inspect(store.engine).get_indexes("documents")}
        assert "uq_documents_current_doc_key" in indexes
        run = store.start_run("ingest", "test", {})
        store.finish_run(run, {})
    finally:
        store.close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_kill_at_any_point_of_the_first_migration_leaves_a_database_that_opens(kind, tmp_path):
    probe = _fresh(kind, tmp_path, 0)
    try:
        done = _child(probe, 10**9)
        assert done.returncode == 0, done.stderr
        statements = int(done.stdout.split()[-1])
    finally:
        if kind != "sqlite":
            _pg_drop(probe)
    assert statements > 10  # the hook sees the migration
    points = range(1, statements + 1)
    if not SOAK:
        step = max(1, statements // CI_KILL_POINTS)
        points = sorted({1, 2, *range(1, statements + 1, step), statements})
    for n in points:
        target = _fresh(kind, tmp_path, n)
        try:
            killed = _child(target, n)
            assert killed.returncode == -signal.SIGKILL, (n, killed.stderr)
            _assert_complete_and_usable(target)
        finally:
            if kind != "sqlite":
                _pg_drop(target)
    print(f"{kind}: killed before {len(points)} of the {statements} statements of the first migration")


def test_a_half_made_schema_from_an_older_version_is_finished_on_open(db_url):
    # What the old code left after a kill: some tables committed, no alembic_version.
    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    Base.metadata.tables["runs"].create(engine)
    Base.metadata.tables["documents"].create(engine)
    engine.dispose()
    _assert_complete_and_usable(db_url)


def test_tables_with_data_but_no_schema_version_are_refused_not_dropped(db_url):
    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    Base.metadata.tables["runs"].create(engine)
    with engine.begin() as conn:
        conn.execute(Base.metadata.tables["runs"].insert().values(started_at="x", command="x", pipeline_version="x"))
    engine.dispose()
    with pytest.raises(Exception, match=r"E203.*no schema version"):
        Store.open(db_url)


OPEN_AND_INGEST = textwrap.dedent(
    """
    import sys, time
    target, start_at = sys.argv[1], float(sys.argv[2])
    from cami_extract.config import load_settings
    from cami_extract.pipeline import ingest
    from cami_extract.store.repository import Store
    settings = load_settings(env={}, overrides={"extract": False, "workers": 1, "lock_timeout": 120})
    while time.time() < start_at:  # every child opens at the same moment
        time.sleep(0.005)
    store = Store.open(target, lock_timeout=120)
    report = ingest(sys.argv[3:], store, settings)
    store.close()
    print(len(report.ingested), len(report.unchanged), len(report.failed))
    """
)


def test_first_ingests_at_once_on_a_fresh_database_all_succeed(db_url):
    import time

    files = [str(SEED_PDF), str(HOSTILE / "valid-minimal.pdf")]
    start_at = time.time() + 8  # after the children's imports
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_INGEST, db_url, str(start_at), *files],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(3)
    ]
    results = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        results.append(tuple(int(x) for x in out.split()))
    assert sum(r[0] for r in results) == 2 and all(r[2] == 0 for r in results)  # each file stored once
    store = Store.open(db_url)
    try:
        with store.session() as s:
            assert len(s.scalars(select(Document)).all()) == 2
            assert s.scalars(select(FailureRow)).all() == []
            assert all(r.finished_at for r in s.scalars(select(Run)))
    finally:
        store.close()


def test_a_database_made_at_0001_is_upgraded_with_its_rows_and_a_race_left_two_current_rows_repaired(db_url):
    from alembic import command
    from sqlalchemy import MetaData, insert

    url = db_url if "://" in db_url else f"sqlite:///{db_url}"
    store = Store.open(db_url, migrate=False)
    cfg, _ = store._alembic()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    store.close()
    engine = create_engine(url)
    t = MetaData()  # the tables as 0001 made them, not as the metadata names them now
    t.reflect(engine)
    t = t.tables
    doc = {"doc_key": "UNEP/CMS/X|en", "symbol": "UNEP/CMS/X", "size": 1, "path": "p", "page_count": 1,
           "pipeline_version": "v", "status": "current", "flags": "[]", "warnings": "[]", "run_id": 1}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(t["runs"]).values(id=1, started_at="x", command="ingest", pipeline_version="v",
                                              settings="{}", counts="{}"))  # fmt: skip
        conn.execute(insert(t["documents"]).values(id=1, sha256="a" * 64, **doc))
        conn.execute(insert(t["documents"]).values(id=2, sha256="b" * 64, **doc))  # what the race left
        failure = {"sha256": "", "stage": "read", "error_code": "E101", "reason": "unreadable", "message": "m",
                   "first_run_id": 1, "last_run_id": 1}  # fmt: skip
        conn.execute(insert(t["failures"]).values(path="/in/x.pdf", **failure))
    engine.dispose()
    store = Store.open(db_url)
    try:
        with store.session() as s:
            docs = {d.id: d for d in s.scalars(select(Document))}
            assert (docs[1].status, docs[1].superseded_by, docs[2].status) == ("superseded", 2, "current")
            (row,) = s.scalars(select(FailureRow)).all()
            assert row.path == "/in/x.pdf" and len(row.path_digest) == 64
    finally:
        store.close()


def test_the_known_head_revisions_are_alembics_heads():
    # Opening an up-to-date database compares alembic_version with HEAD_REVISIONS and never
    # imports Alembic; a new migration must name itself there, or every open would re-check.
    from cami_extract.store.repository import HEAD_REVISIONS

    _cfg, scripts = Store._alembic(None)  # type: ignore[arg-type]
    assert set(scripts.get_heads()) == HEAD_REVISIONS


def test_an_up_to_date_database_opens_without_importing_alembic(tmp_path):
    db = tmp_path / "cami.sqlite"
    Store.open(str(db)).close()
    probe = "import sys; from cami_extract.store.repository import Store; Store.open(sys.argv[1]).close(); print('alembic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_database_made_at_0004_with_data_is_upgraded_to_0005_keeping_it_and_filling_the_text_source(db_url):
    from alembic import command
    from sqlalchemy import MetaData, func, insert

    from cami_extract.store.repository import pack_char_map
    from cami_extract.store.schema import BlockRow, MentionRow, PageRow

    url = db_url if "://" in db_url else f"sqlite:///{db_url}"
    store = Store.open(db_url, migrate=False)
    cfg, _ = store._alembic()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004_reconcile")
    store.close()
    engine = create_engine(url)
    t = MetaData()  # the tables as 0004 left them
    t.reflect(engine)
    t = t.tables
    assert "source" not in t["paragraphs"].c and "ocr_pages" not in t["documents"].c
    char_map = pack_char_map([])
    doc = {"size": 1, "path": "p", "pages": 3, "pipeline_version": "v", "status": "current", "flags": "[]",
           "run_id": 1, "language": "en"}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(t["runs"]).values(id=1, started_at="x", command="ingest", pipeline_version="v",
                                              settings="{}", counts="{}"))  # fmt: skip
        # what the parser of 0004's time wrote for a paper whose pages 2 and 3 were scans
        conn.execute(insert(t["documents"]).values(id=1, doc_key="A|en", symbol="A", sha256="a" * 64,
                                                   warnings='["pages [2, 3] read by OCR"]', **doc))  # fmt: skip
        conn.execute(insert(t["documents"]).values(id=2, doc_key="B|en", symbol="B", sha256="b" * 64,
                                                   warnings='["pages [1] are images only and need OCR"]', **doc))  # fmt: skip
        for doc_id in (1, 2):
            for n in (1, 2, 3):
                conn.execute(insert(t["pages"]).values(document_id=doc_id, number=n, width=595.0, height=842.0,
                                                       char_count=10, needs_ocr=doc_id == 2 and n == 1,
                                                       header="", footer=""))  # fmt: skip
        spans = [(1, 1, 1), (2, 1, 2), (3, 3, 3), (4, None, None)]  # block id, page, page_last
        for block_id, first, last in spans:
            conn.execute(insert(t["paragraphs"]).values(id=block_id, document_id=1, seq=block_id, kind="paragraph",
                                                        label=str(block_id), page=first, page_last=last,
                                                        text=f"paragraph {block_id}", char_map=char_map))  # fmt: skip
        conn.execute(insert(t["paragraphs"]).values(id=5, document_id=2, seq=0, kind="cover", page=1, page_last=1,
                                                    text="cover", char_map=char_map))  # fmt: skip
        conn.execute(insert(t["mentions"]).values(document_id=1, block_id=2, entity_type="country", text="paragraph",
                                                  canonical="X", start=0, end=9, page=1, extractor="countries.v1",
                                                  confidence=1.0, attrs="{}"))  # fmt: skip
        conn.execute(insert(t["entity_mentions"]).values(entity_id="ent_1", document_id=1, block_seq=2,
                                                         start_offset=0, end_offset=9, entity_type="country",
                                                         key="X", text="paragraph", page=1, attrs="{}"))  # fmt: skip
    engine.dispose()

    store = Store.open(db_url)
    try:
        with store.session() as s:
            docs = {d.id: d for d in s.scalars(select(Document))}
            assert (docs[1].ocr_pages, docs[2].ocr_pages) == (2, 0)
            pages = {(p.document_id, p.number): p.source for p in s.scalars(select(PageRow))}
            assert pages == {(1, 1): "text_layer", (1, 2): "ocr", (1, 3): "ocr",
                             (2, 1): "text_layer", (2, 2): "text_layer", (2, 3): "text_layer"}  # fmt: skip
            blocks = {b.id: b for b in s.scalars(select(BlockRow))}
            # a block is ocr when one of its pages was read by OCR (block 2 runs from page 1 onto page 2)
            assert {i: b.source for i, b in blocks.items()} == {
                1: "text_layer", 2: "ocr", 3: "ocr", 4: "text_layer", 5: "text_layer"}  # fmt: skip
            assert all((b.ocr_engine, b.ocr_languages, b.ocr_confidence) == (None, None, None) for b in blocks.values())
            assert [b.text for _, b in sorted(blocks.items())] == [f"paragraph {i}" for i in (1, 2, 3, 4)] + ["cover"]
            assert all(b.char_map == char_map for b in blocks.values())
            (mention,) = s.scalars(select(MentionRow)).all()  # no table was copied: the rows pointing at blocks stay
            assert (mention.block_id, mention.text) == (2, "paragraph")
            assert s.scalar(select(func.count()).select_from(t["entity_mentions"])) == 1
    finally:
        store.close()
