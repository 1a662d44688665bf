"""The unit of work: one file in, (document, mentions) or a failure out; the parent only writes."""

import pickle
import subprocess
import sys

import pytest

from cami_extract import pipeline, work
from cami_extract.model import Failure
from cami_extract.parse import file_sha256
from cami_extract.pipeline import ingest
from cami_extract.work import Job, Processed, run_job
from tests.conftest import CORPUS, HOSTILE, SEED_PDF

FRENCH = CORPUS / "UNEP-CMS-CAMI3-Doc.7-FR.pdf"


def _job(path, key=0, **kw) -> Job:
    return Job(key, str(path), file_sha256(path), **kw)


@pytest.mark.slow
def test_an_english_paper_comes_back_parsed_with_its_mentions_and_the_model_loads_once():
    work._extractor.cache_clear()
    first = run_job(_job(SEED_PDF))
    again = run_job(_job(SEED_PDF, key=1))
    assert isinstance(first, Processed) and first.document.cover.symbol == "UNEP/CMS/CAMI3/Doc.7"
    assert first.mentions and {m.entity_type for m in first.mentions} >= {"species", "country", "date"}
    assert first.extractor_version and set(first.seconds) == {"parse", "model", "extract"}
    assert [(m.text, m.start) for m in again.mentions] == [(m.text, m.start) for m in first.mentions]
    assert work._extractor.cache_info().misses == 1  # the spaCy pipeline, once per process


@pytest.mark.slow
def test_a_french_paper_is_read_with_the_french_pipeline_and_no_extract_means_none():
    out = run_job(_job(FRENCH))
    assert isinstance(out, Processed) and out.document.language == "fr"
    assert out.extractor_version and "fr[" in out.extractor_version
    symbols = {m.canonical for m in out.mentions if m.entity_type == "document_code"}
    assert "UNEP/CMS/CAMI3/Doc.7" in symbols  # canonical values do not depend on the language
    bare = run_job(_job(FRENCH, extract=False))
    assert bare.mentions == [] and bare.extractor_version is None and "extract" not in bare.seconds


def test_a_bad_file_is_a_failure_not_an_exception():
    out = run_job(_job(HOSTILE / "html-saved-as.pdf"))
    assert isinstance(out, Failure) and (out.stage, out.error_code) == ("parse", "E103")


def test_jobs_and_outcomes_are_plain_picklable_records():
    job = _job(SEED_PDF, char_source="pdfplumber", extract=False)
    assert pickle.loads(pickle.dumps(job)) == job
    out = run_job(job)
    back = pickle.loads(pickle.dumps(out))
    assert [b.text for b in back.document.blocks] == [b.text for b in out.document.blocks]


@pytest.mark.slow
def test_an_unchanged_corpus_costs_its_hashing_only(monkeypatch, tmp_path, fast_settings):
    from cami_extract.store.repository import Store

    store = Store.open(str(tmp_path / "cami.sqlite"))
    first = ingest([CORPUS], store, fast_settings)
    assert first.ingested and not first.failed

    def must_not_run(*args, **kwargs):
        raise AssertionError("a re-ingest of unchanged files started workers or loaded the extractor")

    monkeypatch.setattr(pipeline, "ParsePool", must_not_run)
    monkeypatch.setattr(pipeline, "extractor_version", must_not_run)
    queries = []
    known = store.known_sha256
    monkeypatch.setattr(store, "known_sha256", lambda: queries.append(1) or known())
    second = ingest([CORPUS], store, fast_settings)
    assert len(second.unchanged) == len(first.ingested) and not second.ingested
    assert queries == [1]
    store.close()


def test_a_re_ingest_of_an_unchanged_corpus_imports_neither_spacy_nor_the_parser_nor_sqlalchemy(tmp_path):
    # What a no-op `cami ingest` costs is mostly imports: the CLI must not pull spaCy, thinc,
    # the PDF libraries or even SQLAlchemy (0.2-0.3 s alone) in before there is a file to read.
    db = tmp_path / "cami.sqlite"
    seed = str(SEED_PDF)
    run = [sys.executable, "-m", "cami_extract", "--db", str(db), "ingest", "--quiet", seed]
    subprocess.run(run, check=True, capture_output=True)
    probe = (
        "import runpy, sys; sys.argv = ['cami', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('cami_extract', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'thinc', 'playa', 'pdfplumber', 'pdfminer', 'alembic', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe, *run[3:]], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]", out.stdout
    assert "0 ingested, 1 unchanged" in out.stdout
