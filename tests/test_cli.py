"""The command line, as a user runs it: ingest, export, list, locate; docs cover every command."""

import json
import re

import pytest
from click.testing import CliRunner

from cami_extract.cli import cli
from cami_extract.export import FIELDS
from tests.conftest import CORPUS, CORPUS_PDFS, HOSTILE, ROOT

pytestmark = pytest.mark.slow


def run(*args, ok=True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("cli") / "cami.sqlite")
    first = run("--db", db, "ingest", "--quiet", "--no-extract", str(CORPUS))
    return db, first.output


def test_ingest_reports_a_summary(ingested):
    _, output = ingested
    assert f"{len(CORPUS_PDFS)} ingested, 0 unchanged, 0 failed" in output
    assert "not English" not in output  # French and Spanish papers have their own pipelines


def test_second_ingest_reports_every_file_unchanged_and_exports_stay_byte_identical(ingested, tmp_path):
    db, _ = ingested
    for fmt in ("jsonl", "csv", "parquet"):
        run("--db", db, "export", "--format", fmt, "--out", str(tmp_path / "a"))
    again = run("--db", db, "ingest", "--quiet", "--no-extract", str(CORPUS))
    assert f"0 ingested, {len(CORPUS_PDFS)} unchanged, 0 failed" in again.output
    for fmt in ("jsonl", "csv", "parquet"):
        run("--db", db, "export", "--format", fmt, "--out", str(tmp_path / "b"))
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 3 * len(FIELDS)  # every table in every format, the activity register included
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_export_fields_and_the_seed_paragraphs(ingested, tmp_path):
    db, _ = ingested
    run("--db", db, "export", "--format", "jsonl", "--out", str(tmp_path))
    docs = [json.loads(line) for line in (tmp_path / "documents.jsonl").read_text().splitlines()]
    assert {"symbol", "title", "issue_date", "language", "meeting", "sha256", "path", "pages"} <= set(docs[0])
    seed = next(d for d in docs if d["symbol"] == "UNEP/CMS/CAMI3/Doc.7" and d["language"] == "en")
    assert (seed["issue_date"], seed["pages"]) == ("2025-06-02", 6)
    paras = [json.loads(line) for line in (tmp_path / "paragraphs.jsonl").read_text().splitlines()]
    assert {"document", "label", "kind", "page", "text"} <= set(paras[0])
    seed_paras = [p for p in paras if p["document"] == "UNEP/CMS/CAMI3/Doc.7" and p["language"] == "en"]
    assert [p["label"] for p in seed_paras if p["kind"] == "paragraph"] == [str(n) for n in range(1, 27)]
    assert [(p["label"], p["page"]) for p in seed_paras if p["kind"] == "footnote"] == [("fn1", 2), ("fn2", 2)]
    header = tmp_path / "mentions.jsonl"
    assert header.exists()


def test_failures_make_the_exit_code_nonzero_and_are_listed(tmp_path):
    db = str(tmp_path / "f.sqlite")
    result = run(
        "--db",
        db,
        "ingest",
        "-q",
        "--no-extract",
        str(HOSTILE / "zero-bytes.pdf"),
        str(HOSTILE / "valid-minimal.pdf"),
        ok=False,
    )
    assert result.exit_code == 1
    assert "1 ingested, 0 unchanged, 1 failed" in result.output
    listed = run("--db", db, "failures").output
    assert re.search(r"E102 +empty_file", listed) and "zero-bytes.pdf" in listed


def test_where_resolves_offsets_to_page_bbox_and_sentence(ingested):
    db, _ = ingested
    out = run("--db", db, "where", "UNEP/CMS/CAMI3/Doc.7", "5", "49", "69").output
    assert "text [49:69]: 'online workshop from'" in out
    assert "source: text_layer\n" in out
    assert re.search(r"page 2: bbox x0=\d", out)
    assert "sentence: The Secretariat and BfN INA jointly conducted an online workshop" in out


def test_unknown_document_is_a_clear_error(ingested):
    db, _ = ingested
    result = run("--db", db, "where", "UNEP/CMS/NOPE", "1", ok=False)
    assert result.exit_code == 3 and "E204" in result.output and "cami documents" in result.output


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_with_examples_and_is_documented(command):
    help_text = run(command, "--help").output
    assert "Example" in help_text
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"cami {command}" in docs
    for option in re.findall(r"(--[a-z][a-z-]+)", help_text):
        assert option in docs, f"{option} of `cami {command}` is not in docs/cli.md"


def test_spreadsheet_exports_open_with_their_header_and_accents(ingested, tmp_path):
    import pandas as pd

    db, _ = ingested
    run("--db", db, "export", "--format", "xlsx", "--out", str(tmp_path))
    run("--db", db, "export", "--format", "csv", "--bom", "--out", str(tmp_path))
    sheet = pd.read_excel(tmp_path / "paragraphs.xlsx", sheet_name="paragraphs")
    from_csv = pd.read_csv(tmp_path / "paragraphs.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(sheet.columns) == list(from_csv.columns)[: len(sheet.columns)]
    assert len(sheet) == len(from_csv)
    assert (tmp_path / "paragraphs.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    french = sheet[sheet["language"] == "fr"]["text"].str.cat()
    assert "é" in french  # the French paper's accents survive
