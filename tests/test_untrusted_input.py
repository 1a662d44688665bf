"""No input stops the batch: odd file names, FIFOs and devices, long paths and fields, control
characters from a PDF's ToUnicode map, identical bad files, and limits that cannot be set.
Each store case runs on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from cami_extract.cli import cli
from cami_extract.config import load_settings
from cami_extract.errors import BadSetting
from cami_extract.inputs import escape_path, list_pdfs, sha256_of, unescape_path
from cami_extract.model import Block, CharBox, CoverMeta, Page, ParsedDocument
from cami_extract.pipeline import ingest
from cami_extract.safe_text import clean, printable
from cami_extract.store.repository import document_key
from cami_extract.store.schema import BlockRow, Document, FailureRow
from tests.conftest import HOSTILE, ROOT, SEED_PDF

CONTROL_PDF = ROOT / "tests" / "data" / "untrusted" / "control-chars.pdf"
VALID = HOSTILE / "valid-minimal.pdf"
ZERO = HOSTILE / "zero-bytes.pdf"
TERMINAL_DANGER = ("\x1b", "\x00", "\x07", "\u202e", "\ufeff", "\x9b")


def _rows(store, model, *where):
    with store.session() as s:
        return list(s.scalars(select(model).where(*where)))


# -- text made safe -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "stored", "printed"),
    [
        ("plain text, é and – kept", "plain text, é and – kept", "plain text, é and – kept"),
        ("tab\tand\nnewline kept", "tab\tand\nnewline kept", "tab\tand\nnewline kept"),
        ("\x1b[31mred", "\ufffd[31mred", "\\x1b[31mred"),
        ("nul\x00 bel\x07", "nul\ufffd bel\ufffd", "nul\\x00 bel\\x07"),
        ("rlo\u202eolr bom\ufeff", "rlo\ufffdolr bom\ufffd", "rlo\\u202eolr bom\\ufeff"),
        ("c1 csi\x9b del\x7f", "c1 csi\ufffd del\ufffd", "c1 csi\\u009b del\\u007f"),
        ("caf\udce9.pdf", "caf\ufffd.pdf", "caf\\xe9.pdf"),  # a byte that is not UTF-8, as os.fsdecode gives it
    ],
)
def test_unsafe_characters_are_replaced_one_for_one_when_stored_and_escaped_when_printed(raw, stored, printed):
    assert clean(raw) == stored and len(clean(raw)) == len(raw)
    assert printable(raw) == printed


@pytest.mark.parametrize(
    "name",
    [
        b"plain.pdf",
        b"caf\xe9.pdf",
        b"back\\slash\\x41.pdf",
        b"esc\x1b[2J.pdf",
        "rlo\u202efdp.pdf".encode(),
        b"\xff\xfe",
    ],
)
def test_a_file_name_of_any_bytes_is_stored_as_utf8_text_and_comes_back_the_same(name):
    text = escape_path(os.fsdecode(name))
    text.encode("utf-8")  # storable: no surrogates
    assert not any(c in text for c in TERMINAL_DANGER)
    assert os.fsencode(unescape_path(text)) == name


# -- files that are not files ---------------------------------------------------------------------
def test_fifos_devices_and_non_utf8_names_are_recorded_and_the_batch_goes_on(db_url, fast_settings, tmp_path):
    from cami_extract.store.repository import Store

    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a-fifo.pdf")  # would block open() for ever
    os.symlink("/dev/zero", folder / "b-device.pdf")  # would stream without end
    odd = os.fsdecode(b"c-caf\xe9-\x1b[2J.pdf")
    shutil.copy(VALID, os.path.join(folder, odd))
    shutil.copy(SEED_PDF, folder / "d-seed.pdf")
    store = Store.open(db_url)
    try:
        report = ingest([folder], store, fast_settings)
        assert [(os.path.basename(f.path), f.error_code) for f in report.failed] == [
            ("a-fifo.pdf", "E112"),
            ("b-device.pdf", "E112"),
        ]
        assert "FIFO" in report.failed[0].message and "character device" in report.failed[1].message
        assert [os.path.basename(p) for p in report.ingested] == [odd, "d-seed.pdf"]
        paths = sorted(d.path for d in _rows(store, Document))
        assert paths[0].endswith("c-caf\\xe9-\\x1b[2J.pdf")  # escaped, reversible
        assert unescape_path(paths[0]) == os.path.join(folder, odd)
        assert sorted(os.path.basename(f.path) for f in _rows(store, FailureRow)) == ["a-fifo.pdf", "b-device.pdf"]
        again = ingest([folder], store, fast_settings)  # a rerun: the same two failures, nothing new
        assert len(again.unchanged) == 2 and len(again.failed) == 2 and len(_rows(store, FailureRow)) == 2
    finally:
        store.close()


def test_listing_does_not_follow_a_symlinked_folder_loop(tmp_path):
    (tmp_path / "a").mkdir()
    shutil.copy(VALID, tmp_path / "a" / "x.pdf")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    assert list_pdfs([tmp_path]) == [tmp_path / "a" / "x.pdf"]


def test_hashing_a_fifo_fails_at_once_instead_of_blocking(tmp_path):
    os.mkfifo(tmp_path / "x.pdf")
    with pytest.raises(Exception, match=r"E112.*FIFO"):
        sha256_of(tmp_path / "x.pdf")


def test_a_failing_file_with_a_very_long_path_is_recorded_whole(db_url, fast_settings, tmp_path):
    from cami_extract.store.repository import Store

    deep = tmp_path
    for i in range(12):  # ~1.5 kB of path, each component within NAME_MAX
        deep = deep / (f"{i:02d}" + "d" * 120)
    deep.mkdir(parents=True)
    bad = deep / ("z" * 200 + ".pdf")
    shutil.copy(ZERO, bad)
    store = Store.open(db_url)
    try:
        report = ingest([bad, SEED_PDF], store, fast_settings)
        assert [f.error_code for f in report.failed] == ["E102"] and len(report.ingested) == 1
        (row,) = _rows(store, FailureRow)
        assert row.path == str(bad) and len(row.path) > 1500
    finally:
        store.close()


# -- identical bad files --------------------------------------------------------------------------
def test_two_identical_bad_files_both_fail(db_url, fast_settings, tmp_path):
    from cami_extract.store.repository import Store

    for name in ("one.pdf", "two.pdf"):
        shutil.copy(HOSTILE / "html-saved-as.pdf", tmp_path / name)
    shutil.copy(SEED_PDF, tmp_path / "seed-a.pdf")
    shutil.copy(SEED_PDF, tmp_path / "seed-b.pdf")
    store = Store.open(db_url)
    try:
        report = ingest([tmp_path], store, fast_settings)
        assert sorted(os.path.basename(f.path) for f in report.failed) == ["one.pdf", "two.pdf"]
        assert [os.path.basename(p) for p in report.ingested] == ["seed-a.pdf"]
        assert [os.path.basename(p) for p in report.unchanged] == ["seed-b.pdf"]  # stored once, as seed-a
        assert sorted(os.path.basename(f.path) for f in _rows(store, FailureRow)) == ["one.pdf", "two.pdf"]
    finally:
        store.close()


# -- control characters and long fields from a PDF --------------------------------------------------
def test_control_characters_from_a_tounicode_map_are_stored_as_replacement_chars_offsets_kept(db_url, fast_settings):
    from cami_extract.store.repository import Store, unpack_char_map

    store = Store.open(db_url)
    try:
        report = ingest([CONTROL_PDF], store, fast_settings)
        assert len(report.ingested) == 1
        blocks = {b.label: b for b in _rows(store, BlockRow)}
        text = blocks["1"].text
        assert text == "An alert �[31mRED�[0m in paragraph one, with a � null and a � bell."
        assert len(unpack_char_map(blocks["1"].char_map)) == len(text)  # one box per character still
        assert blocks["2"].text.startswith("Reversed \ufffdgnirts and a \ufffd byte order mark")
        assert not any(c in b.text for b in blocks.values() for c in TERMINAL_DANGER)
    finally:
        store.close()


def test_cami_parse_never_prints_terminal_escapes():
    for args in ([str(CONTROL_PDF)], ["--json", str(CONTROL_PDF)]):
        result = CliRunner().invoke(cli, ["parse", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "RED" in result.output
        assert not any(c in result.output for c in TERMINAL_DANGER), repr(result.output)
    lines = CliRunner().invoke(cli, ["parse", "--json", str(CONTROL_PDF)]).output.splitlines()
    assert json.loads(lines[1])["text"].startswith("An alert \ufffd[31mRED")  # valid JSON, as stored


def _hostile_document(path: str) -> ParsedDocument:
    text = "Funded by the \x00Government\x1b of Norway."
    cover = CoverMeta(
        symbol="UNEP/CMS/" + "X" * 200,  # over 128: not a symbol
        original_language="English" * 6,
        agenda_item="1" * 40,
        title="A title with NUL\x00 and RLO\u202e",
        meeting="M" * 5000,  # TEXT: stored whole
    )
    block = Block(seq=0, kind="paragraph", label="9" * 40, text=text, chars=[CharBox(1, 0, 0, 1, 1)] * len(text))
    return ParsedDocument(
        path=path, sha256="ab" * 32, size=1, pages=[Page(1, 612, 792, len(text))], blocks=[block], cover=cover,
        language="en",
    )  # fmt: skip


def test_fields_over_their_limit_are_the_same_on_both_backends_and_never_fail_the_store(store):
    long_name = os.fsdecode(b"/in/" + b"\xe9" * 250 + b".pdf")  # 250 bytes: a legal name, 1000+ chars escaped
    doc = _hostile_document(long_name)
    run = store.start_run("ingest", "test", {})
    store.save_document(doc, [], run_id=run, pipeline_version="test", flags=[])
    (row,) = _rows(store, Document)
    assert (row.symbol, row.original_language, row.agenda_item) == (None, None, None)
    assert len(row.doc_key) <= 255 and row.doc_key == document_key(doc) and row.doc_key.startswith("file:\\xe9")
    assert row.title == "A title with NUL\ufffd and RLO\ufffd" and len(row.meeting) == 5000
    assert unescape_path(row.path) == long_name
    warnings = " ".join(json.loads(row.warnings))
    assert "symbol of 209 characters not stored" in warnings and "label of 40 characters" in warnings
    (block,) = _rows(store, BlockRow)
    assert block.label is None and block.text == "Funded by the \ufffdGovernment\ufffd of Norway."


# -- limits -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("timeout", "nan", "timeout must be"),
        ("timeout", "inf", "timeout must be"),
        ("timeout", "-1", "timeout must be"),
        ("cpu_limit", "0", "cpu_limit must be"),
        ("cpu_limit", str(10**12), "cpu_limit must be"),
        ("memory_limit", str(10**15), "memory_limit must be"),
        ("memory_limit", "100", "memory_limit must be"),
        ("workers", "-2", "workers must be"),
        ("workers", "100000", "workers must be"),
        ("recycle_after", "0", "recycle_after must be"),
        ("lock_timeout", "nan", "lock_timeout must be"),
    ],
)
def test_every_limit_is_checked_up_front(setting, value, says):
    with pytest.raises(BadSetting, match=rf"E401.*{says}"):
        load_settings(env={f"CAMI_{setting.upper()}": value})


@pytest.mark.parametrize(
    "option", [["--timeout", "nan"], ["--timeout", "inf"], ["--memory-limit", str(10**15)], ["--cpu-limit", "-5"]]
)
def test_a_bad_limit_on_the_command_line_is_one_coded_error_not_a_failure_per_file(option, tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.sqlite"), "ingest", *option, str(VALID)])
    assert result.exit_code == 3 and "E401" in result.output and "E109" not in result.output
    assert "Traceback" not in result.output


def test_a_non_utf8_file_name_on_the_command_line_is_ingested_and_printed_escaped(tmp_path):
    odd = os.fsencode(tmp_path) + b"/caf\xe9\x1b[2J.pdf"
    shutil.copy(ZERO, odd)
    shutil.copy(VALID, tmp_path / "ok.pdf")
    proc = subprocess.run(
        [sys.executable, "-m", "cami_extract", "--db", str(tmp_path / "x.sqlite"), "ingest", "-q", "--no-extract",
         os.fsencode(tmp_path)],
        capture_output=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # the bad file fails, the batch goes on
    assert b"Traceback" not in proc.stderr and b"\x1b" not in proc.stderr + proc.stdout
    assert b"failed: E102: " in proc.stderr and b"caf\\xe9\\x1b[2J.pdf: file is empty" in proc.stderr
    assert b"1 ingested, 0 unchanged, 1 failed" in proc.stdout
