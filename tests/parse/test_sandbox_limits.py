"""The wall clock does not turn honest files into failures on a busy machine.

A job killed at the wall-clock limit while other children of the pool were busy is run once
more alone, after the rest; only a second timeout (or one with nothing beside it) is E107.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from cami_extract.config import WALL_PER_CPU, load_settings, wall_clock_limit
from cami_extract.model import Failure, ParsedDocument
from cami_extract.parse.sandbox import Limits, ParsePool
from cami_extract.pipeline import sandbox_limits
from tests.conftest import SEED_PDF, SHARED

REAL_81_PAGES = SHARED / "real-pdfs" / "A-AC.296-2026-9.pdf"
# 4 s, not less: the retry alone starts a fresh child, which takes over 2 s on a machine at load 7.
FAST = Limits(timeout_s=4, cpu_s=30, recycle_after=10)


class FakeJob(NamedTuple):
    key: int
    path: str  # a marker file: while it holds a number > 0, the job sleeps past the limit
    sha256: str = "-"


def sleepy_task(job: FakeJob) -> str:
    """Sleeps (without using CPU, like a child starved on a loaded machine) while its marker counts down."""
    marker = Path(job.path)
    left = int(marker.read_text()) if marker.exists() else 0
    if left > 0:
        marker.write_text(str(left - 1))
        time.sleep(30)
    return f"done {job.key}"


def _jobs(tmp_path, slow_times: dict[int, int], n: int) -> list[FakeJob]:
    jobs = []
    for key in range(n):
        marker = tmp_path / f"job{key}"
        marker.write_text(str(slow_times.get(key, 0)))
        jobs.append(FakeJob(key, str(marker)))
    return jobs


def test_a_timeout_beside_other_work_is_retried_alone_and_then_succeeds(tmp_path):
    pool = ParsePool(2, FAST, task=sleepy_task, preload=())
    results = dict(pool.imap(_jobs(tmp_path, {0: 1}, 4)))
    assert results == {k: f"done {k}" for k in range(4)}
    assert pool.counts["retried_alone"] == 1 and pool.counts["children_killed"] == 1


def test_a_file_that_times_out_alone_too_is_recorded_as_a_timeout(tmp_path):
    pool = ParsePool(2, FAST, task=sleepy_task, preload=())
    results = dict(pool.imap(_jobs(tmp_path, {1: 2}, 3)))
    assert isinstance(results[1], Failure) and results[1].error_code == "E107"
    assert results[0] == "done 0" and results[2] == "done 2"
    assert pool.counts["retried_alone"] == 1 and pool.counts["children_killed"] == 2


def test_a_timeout_with_nothing_beside_it_is_not_retried(tmp_path):
    pool = ParsePool(1, FAST, task=sleepy_task, preload=())
    results = dict(pool.imap(_jobs(tmp_path, {0: 1}, 2)))
    assert isinstance(results[0], Failure) and results[0].reason == "timeout"
    assert pool.counts["retried_alone"] == 0


def test_the_default_wall_clock_is_a_multiple_of_the_cpu_limit():
    settings = load_settings(env={})
    assert wall_clock_limit(settings) == WALL_PER_CPU * settings.cpu_limit == sandbox_limits(settings).timeout_s
    assert wall_clock_limit(load_settings(env={"CAMI_TIMEOUT": "30"})) == 30


@pytest.mark.slow
@pytest.mark.skipif(not REAL_81_PAGES.exists(), reason="needs ../shared/real-pdfs")
def test_the_81_page_report_parses_and_is_extracted_inside_the_default_limits():
    from cami_extract.parse import file_sha256
    from cami_extract.work import Job, Processed, run_job

    pool = ParsePool(1, sandbox_limits(load_settings(env={})), task=run_job, preload=("cami_extract.work",))
    [(_key, outcome)] = list(pool.imap([Job(0, str(REAL_81_PAGES), file_sha256(REAL_81_PAGES))]))
    assert isinstance(outcome, Processed), getattr(outcome, "message", "")
    assert isinstance(outcome.document, ParsedDocument) and outcome.document.page_count == 81
    assert outcome.mentions and outcome.extractor_version


def test_workers_use_the_installed_package_not_a_cami_extract_folder_in_the_working_directory(tmp_path):
    # A user running `cami ingest` inside another checkout: its cami_extract/ must not be loaded.
    decoy = tmp_path / "cwd" / "cami_extract"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("open(__file__ + '.imported', 'w').close()\n")
    script = tmp_path / "bin" / "parse_one.py"  # run as a console script is: its folder, not the cwd, on sys.path
    script.parent.mkdir()
    script.write_text(
        "import sys\n"
        "from cami_extract.parse.sandbox import ParsePool\n"
        "if __name__ == '__main__':\n"
        "    [(key, outcome)] = ParsePool(1).imap([(0, sys.argv[1], '-')])\n"
        "    print(type(outcome).__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"}
    done = subprocess.run(
        [sys.executable, str(script), str(SEED_PDF)],
        cwd=decoy.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "ParsedDocument", done.stderr[-2000:]
    assert not (decoy / "__init__.py.imported").exists()
