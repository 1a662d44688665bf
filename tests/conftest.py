"""Shared fixtures: the shipped corpus, the seed's own text, and real databases.

PostgreSQL tests use the server on 127.0.0.1:5432 for real (CAMI_TEST_PG_URL overrides):
each session creates its own database and drops it at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CORPUS_PDFS = sorted(CORPUS.glob("*.pdf"))  # the tests count papers from here, not by hand
# the project's shared folder (seed, real PDFs, reference data) beside the checkout; a clone made
# elsewhere names it with CAMI_SHARED_DIR (.ci/run does, when ../shared is missing)
SHARED = Path(os.environ.get("CAMI_SHARED_DIR") or ROOT.parent / "shared")
SEED_MD = SHARED / "seed" / "UNEP-CMS-CAMI3-Doc.7.md"
TRICKY = SHARED / "data" / "tricky-pdfs"
HOSTILE = ROOT / "tests" / "data" / "hostile"
SEED_PDF = CORPUS / "UNEP-CMS-CAMI3-Doc.7.pdf"
PG_ADMIN_URL = os.environ.get("CAMI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def seed_expected_texts() -> dict[str, str]:
    """The seed paper's paragraphs and footnotes as the markdown gives them, markup removed.

    This is the independent truth for the parse: the PDF was typeset from this text.
    """
    md = SEED_MD.read_text(encoding="utf-8")

    def clean(t: str) -> str:
        t = re.sub(r"<sup>\d+</sup>(?=\s|[.,;:)]|$)", "", t)  # footnote references leave no trace
        t = re.sub(r"(\d)<sup>(st|nd|rd|th)</sup>", r"\1\2", t)  # ordinals stay with their number
        t = re.sub(r"\[(.*?)\]\(#\)", r"\1", t)  # links become their text
        t = t.replace("\\(", "(").replace("\\)", ")").replace("*", "")
        t = re.sub(r"\n- ", "\n• ", t)  # the PDF's bullet glyph
        return " ".join(t.split())

    expected = {}
    for m in re.finditer(r"^(\d+)\. (.*?)(?=\n\d+\. |\n<sup>|\n## |\n### |\nRecommended|\Z)", md, re.S | re.M):
        expected[m.group(1)] = clean(m.group(2))
    for m in re.finditer(r"^<sup>(\d)</sup> (.*)$", md, re.M):
        expected["fn" + m.group(1)] = clean(m.group(2))
    return expected


@pytest.fixture(scope="session")
def seed_parsed():
    from cami_extract.parse import parse_pdf

    return parse_pdf(SEED_PDF)


# -- scans made from a corpus page: the original text layer is the truth to compare OCR with --------
SCAN_DPI = 200  # a typical office scanner setting
needs_ocr_tools = pytest.mark.skipif(
    not (shutil.which("tesseract") and shutil.which("pdftoppm")), reason="tesseract-ocr / poppler-utils not installed"
)


def _scan(page: int, out: Path) -> Path:
    """Page ``page`` of the seed as an image-only PDF: pdftoppm renders it, Pillow wraps the image."""
    import subprocess

    from PIL import Image

    png = out.with_suffix("")
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-r", str(SCAN_DPI), *pages, "-gray", "-png", "-singlefile", str(SEED_PDF), str(png)], check=True
    )
    Image.open(f"{png}.png").save(out, resolution=SCAN_DPI)
    return out


@pytest.fixture(scope="session")
def scanned_page(tmp_path_factory) -> Path:
    """Page 3 of the seed, scanned: no text layer at all."""
    return _scan(3, tmp_path_factory.mktemp("scan") / "seed-page-3-scanned.pdf")


@pytest.fixture(scope="session")
def partly_scanned(tmp_path_factory) -> Path:
    """The seed's pages 1-2 with their text layer, then page 3 scanned (poppler's pdfunite joins them)."""
    import subprocess

    tmp = tmp_path_factory.mktemp("partly-scanned")
    subprocess.run(["pdfseparate", "-f", "1", "-l", "2", str(SEED_PDF), str(tmp / "text-%d.pdf")], check=True)
    scan = _scan(3, tmp / "scan-3.pdf")
    out = tmp / "seed-pages-1-3-page-3-scanned.pdf"
    # pdfunite warns about the seed's recursive dicts on stderr; the joined file reads fine
    subprocess.run(
        ["pdfunite", str(tmp / "text-1.pdf"), str(tmp / "text-2.pdf"), str(scan), str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="session")
def corpus_pdfs() -> list[Path]:
    return sorted(CORPUS.glob("*.pdf"))


def _pg_database() -> str:
    """Create a fresh database for this test session; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"cami_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _pg_drop(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh, empty database of each kind: a SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "cami.sqlite")
    else:
        url = _pg_database()
        yield url
        _pg_drop(url)


@pytest.fixture
def store(db_url):
    from cami_extract.store.repository import Store

    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture
def fast_settings():
    """Settings for tests: no entity extraction (its own tests load spaCy), short limits."""
    from cami_extract.config import load_settings

    return load_settings(env={}, overrides={"extract": False, "timeout": 20.0, "cpu_limit": 20, "workers": 2})


# -- the whole corpus ingested (extraction and reconcile on) once per session, per backend ----------
# Used by the query, audit and serve tests (tests/audit, tests/serve).
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
