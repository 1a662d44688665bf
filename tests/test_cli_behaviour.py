"""The command line as a script or cron job meets it: real processes, real exit codes, no traceback.

Each case runs `python -m cami_extract ...` in a fresh empty folder, as a user would, and checks
the one-paragraph coded message, the exit code documented in docs/errors.md, and that nothing
was created that the user did not ask for.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cami_extract.store.repository import database_url
from tests.conftest import CORPUS, HOSTILE, _pg_database, _pg_drop

SMALL_PDF = CORPUS / "UNEP-CMS-CAMI3-Inf.2.pdf"
DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "pipelines" / "default.cfg"
REPO = Path(__file__).resolve().parents[1]


def cami(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CAMI_")}
    full_env["PYTHONPATH"] = str(REPO)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cami_extract", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,  # not a terminal: what cron and pipes see
    )


def assert_coded(result: subprocess.CompletedProcess, code: str, exit_code: int = 3) -> str:
    message = result.stderr
    assert "Traceback" not in message + result.stdout, message
    assert result.returncode == exit_code, (result.returncode, message)
    assert f"{code}: " in message, message
    assert message.count("\n") == 1, f"one paragraph, got: {message!r}"
    return message


@pytest.mark.parametrize(
    "url",
    ["mysql://root@127.0.0.1/test", "http://example.org/db", "postgresql+psycopg2://127.0.0.1/test", "foo:bar"],
)
def test_an_unsupported_database_url_is_e202_naming_it_and_what_is_accepted(url, tmp_path):
    result = cami("documents", "--db", url, cwd=tmp_path)
    message = assert_coded(result, "E202")
    assert url in message and "postgresql://" in message and "sqlite:///" in message
    assert list(tmp_path.iterdir()) == []  # no file named "foo:bar"


def test_postgres_urls_mean_psycopg_3():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h:5433/db") == "postgresql+psycopg://u@h:5433/db"
    assert database_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    assert database_url("out/x.sqlite") == "sqlite:///out/x.sqlite"


def test_a_read_command_in_another_folder_creates_nothing_and_says_there_is_no_database(tmp_path):
    for command in (["documents"], ["failures"], ["export", "--out", "x"], ["where", "A/B", "1"]):
        result = cami(*command, cwd=tmp_path)
        assert "E205" in assert_coded(result, "E205")
    assert list(tmp_path.iterdir()) == []


def test_a_database_in_a_folder_that_does_not_exist_is_refused_before_any_work(tmp_path):
    result = cami("ingest", str(SMALL_PDF), "--db", "typo/cami.sqlite", cwd=tmp_path)
    assert "typo" in assert_coded(result, "E206")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_read_command_on_an_empty_postgresql_database_says_so_and_creates_no_table():
    from sqlalchemy import create_engine, inspect

    url = _pg_database()
    try:
        result = cami("documents", "--db", url, cwd=REPO)
        assert "holds no cami-extract tables" in assert_coded(result, "E205")
        engine = create_engine(url)
        assert inspect(engine).get_table_names() == []
        engine.dispose()
    finally:
        _pg_drop(url)


def test_an_unreachable_server_is_e207(tmp_path):
    result = cami("documents", "--db", "postgresql://127.0.0.1:1/test", cwd=tmp_path)
    assert "Connection refused" in assert_coded(result, "E207")


@pytest.mark.slow
def test_global_options_work_after_the_subcommand_and_progress_is_one_line_per_file(tmp_path):
    result = cami(
        "ingest", str(SMALL_PDF), str(tmp_path / "missing.pdf"), "--db", "x.sqlite", "--no-extract", cwd=tmp_path
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # a missing path is a recorded failure; the rest of the batch ran
    lines = result.stderr.splitlines()
    assert lines[0] == f"[1/2] ingested: {SMALL_PDF}" or lines[1] == f"[2/2] ingested: {SMALL_PDF}"
    assert any(line.startswith("failed: E101: ") and "missing.pdf" in line for line in lines)
    assert result.stdout == "1 ingested, 0 unchanged, 1 failed (0 superseded, 0 mentions) in run 1\n"
    listed = cami("failures", "--db", "x.sqlite", cwd=tmp_path)
    assert "E101" in listed.stdout and "missing.pdf" in listed.stdout and listed.stdout.endswith("(1 row)\n")
    quiet = cami("--db", "x.sqlite", "ingest", "-q", str(SMALL_PDF), cwd=tmp_path)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    # Nothing new: answered before the store is opened for writing, so no run is recorded for it.
    assert quiet.stdout == "0 ingested, 1 unchanged, 0 failed (0 superseded, 0 mentions); nothing to do, no run\n"


def test_nothing_to_do_is_a_warning_exit_0_and_creates_no_database(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("no pdf here")
    for folder in ("empty", "notes"):
        result = cami("ingest", folder, "--db", "x.sqlite", cwd=tmp_path)
        assert result.returncode == 0 and "Traceback" not in result.stderr
        assert result.stderr.startswith("warning: W101: ") and folder in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_a_broken_pipeline_config_is_e303_naming_the_setting_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.cfg"
    bad.write_text("[nlp\nlang = en\n")
    result = cami("ingest", str(SMALL_PDF), "--db", "x.sqlite", cwd=tmp_path, env={"CAMI_PIPELINE": str(bad)})
    message = assert_coded(result, "E303")
    assert str(bad) in message and "pipeline" in message


def test_a_pipeline_config_naming_an_unknown_component_is_e303_not_a_traceback(tmp_path):
    # valid INI, so it passes the check up front; the workers find the component missing
    bad = tmp_path / "unknown.cfg"
    bad.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace("cami_dates_v", "cami_dates_v99_"))
    result = cami("ingest", str(SMALL_PDF), "--db", "x.sqlite", cwd=tmp_path, env={"CAMI_PIPELINE": str(bad)})
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == 3 and "E303: " in result.stderr and str(bad) in result.stderr


def test_parse_of_a_bad_file_is_its_coded_failure(tmp_path):
    result = cami("parse", str(HOSTILE / "zero-bytes.pdf"), cwd=tmp_path)
    assert "zero-bytes.pdf" in assert_coded(result, "E102")


def test_an_unknown_document_is_e204(tmp_path):
    cami("ingest", "-q", "--no-extract", str(SMALL_PDF), "--db", "x.sqlite", cwd=tmp_path)
    result = cami("where", "UNEP/CMS/NOPE", "1", "--db", "x.sqlite", cwd=tmp_path)
    assert "cami documents" in assert_coded(result, "E204")


def test_a_bad_setting_is_e401(tmp_path):
    result = cami("ingest", str(SMALL_PDF), "--db", "x.sqlite", cwd=tmp_path, env={"CAMI_WORKERS": "many"})
    assert "workers" in assert_coded(result, "E401")


def test_usage_errors_exit_2_without_traceback(tmp_path):
    result = cami("ingest", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "Missing argument" in result.stderr
