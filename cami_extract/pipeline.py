"""The ingest pipeline: files -> sandboxed workers (parse + extract) -> store, one writer.

1. The files are listed and hashed, and ONE query asks the store which hashes it knows;
   an unchanged batch stops there (no worker, no spaCy).
2. Each new file becomes a :class:`~cami_extract.work.Job`; sandboxed children run
   :func:`~cami_extract.work.run_job` on it (parse, then extract for English papers; the
   spaCy pipeline is loaded once per child).
3. This process only writes: each document commits in its own transaction, in the order of
   the input, so a crash mid-batch leaves the documents before it complete and none
   half-stored, and the same input always gives the same rows. A file that fails is
   recorded and the batch goes on.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import Settings, wall_clock_limit
from .errors import CamiError, FileUnreadable
from .model import Failure, ParsedDocument
from .parse import PARSER_VERSION, file_sha256
from .parse.sandbox import Limits, ParsePool, failure_from, parse_one
from .store.repository import Store
from .work import Job, Processed, run_job

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]  # (path, outcome) after each file


def pipeline_version(extractor_version: str | None) -> str:
    return f"cami-extract/{__version__} {PARSER_VERSION}" + (f" {extractor_version}" if extractor_version else "")


def collect_pdfs(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders searched recursively for *.pdf (any case), sorted, each once."""
    found: dict[str, Path] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in p.rglob("*"):
                if f.is_file() and f.suffix.lower() == ".pdf":
                    found[str(f)] = f
        else:
            found[str(p)] = p
    return [found[k] for k in sorted(found)]


@dataclass
class IngestReport:
    run_id: int = 0
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    superseded: int = 0
    failed: list[Failure] = field(default_factory=list)
    mentions: int = 0
    needs_ocr: list[str] = field(default_factory=list)
    non_english: list[str] = field(default_factory=list)
    # Milliseconds per stage: hash, query, start (run record + extractor version), store and wall
    # in this process; parse, model, extract summed over the workers. Kept in the run's counts.
    stage_ms: dict[str, int] = field(default_factory=dict)

    def add_ms(self, stage: str, seconds: float) -> None:
        self.stage_ms[stage] = self.stage_ms.get(stage, 0) + round(1000 * seconds)

    def counts(self) -> dict[str, int]:
        return {
            "files": len(self.ingested) + len(self.unchanged) + len(self.failed),
            "ingested": len(self.ingested),
            "unchanged": len(self.unchanged),
            "failed": len(self.failed),
            "superseded": self.superseded,
            "mentions": self.mentions,
            "needs_ocr": len(self.needs_ocr),
            "non_english": len(self.non_english),
        }


def _flags(doc: ParsedDocument) -> list[str]:
    flags = []
    if doc.language != "en":
        flags.append("non_english" if doc.language else "language_unknown")
    if any(p.needs_ocr for p in doc.pages):
        flags.append("needs_ocr")
    if doc.cover.symbol is None:
        flags.append("no_symbol")
    if doc.cover.header_symbol and doc.cover.symbol and doc.cover.header_symbol != doc.cover.symbol:
        flags.append("symbol_mismatch")
    return flags


def extractor_version(settings: Settings) -> str | None:
    """The extractor's version, for the run record; imports spaCy, so only asked when the first
    outcome did not say (a failure or a non-English paper came first)."""
    if not settings.extract:
        return None
    from .extract import VERSION

    return VERSION


def ingest(
    paths: Iterable[str | Path], store: Store, settings: Settings, *, progress: Progress | None = None
) -> IngestReport:
    began = time.perf_counter()
    files = collect_pdfs(paths)
    report = IngestReport()
    with store.writer(settings.lock_timeout):
        # Hash everything, then ask the store once, before any worker or model starts.
        hashed: list[tuple[int, Path, str | None, OSError | None]] = []
        for i, f in enumerate(files):
            try:
                hashed.append((i, f, file_sha256(f), None))
            except OSError as e:
                hashed.append((i, f, None, e))
        report.add_ms("hash", time.perf_counter() - began)
        mark = time.perf_counter()
        known = store.known_sha256()
        report.add_ms("query", time.perf_counter() - mark)
        mark = time.perf_counter()
        jobs: list[Job] = []
        for i, f, sha, _ in hashed:
            if sha is not None and sha not in known:
                known.add(sha)  # the same bytes twice in one batch are one document
                jobs.append(
                    Job(
                        i,
                        str(f),
                        sha,
                        char_source=settings.char_source,
                        extract=settings.extract,
                        pipeline=settings.pipeline,
                    )
                )
        report.add_ms("start", time.perf_counter() - mark)
        # The run record names the extractor's version. The workers report it with their first
        # outcome, so this process need not import spaCy just to read a constant.
        outcomes = _run_in_order(jobs, settings)
        first = next(outcomes, None)
        mark = time.perf_counter()
        found = getattr(first[1], "extractor_version", None) if first else None
        version = pipeline_version(found or (extractor_version(settings) if jobs else None))
        report.run_id = run_id = store.start_run("ingest", version, settings.as_dict())
        report.add_ms("start", time.perf_counter() - mark)
        queued = {job.key for job in jobs}
        for i, f, _sha, error in hashed:
            if error is not None:
                failure = failure_from(FileUnreadable(str(error), path=str(f)), str(f), None, stage="read")
                store.record_failure(failure, run_id=run_id)
                report.failed.append(failure)
                _tell(progress, str(f), "failed")
            elif i not in queued:
                report.unchanged.append(str(f))
                _tell(progress, str(f), "unchanged")
        for _, outcome in itertools.chain([first] if first else [], outcomes):
            mark = time.perf_counter()
            _store_outcome(outcome, store, run_id, version, report, progress)
            report.add_ms("store", time.perf_counter() - mark)
            for stage, seconds in getattr(outcome, "seconds", {}).items():
                report.add_ms(stage, seconds)
        report.add_ms("wall", time.perf_counter() - began)
        store.finish_run(run_id, {**report.counts(), "stage_ms": report.stage_ms})
    return report


def _tell(progress: Progress | None, path: str, what: str) -> None:
    if progress:
        progress(path, what)


def sandbox_limits(settings: Settings) -> Limits:
    return Limits(
        memory_mb=settings.memory_limit,
        timeout_s=wall_clock_limit(settings),
        cpu_s=settings.cpu_limit,
        recycle_after=settings.recycle_after,
    )


# Jobs are handed to the workers biggest file first within windows of this many jobs per worker:
# one 81-page report dispatched last leaves the other worker idle (measured on the benchmark's
# 8 papers: the ingest took as long as the sum of the workers' parse times). The window bounds
# how many finished documents wait in this process for the one before them to be written.
DISPATCH_WINDOW = 4


def _biggest_first(jobs: list[Job], window: int) -> list[Job]:
    def size(job: Job) -> int:
        try:
            return os.path.getsize(job.path)
        except OSError:
            return 0

    out: list[Job] = []
    for start in range(0, len(jobs), window):
        out += sorted(jobs[start : start + window], key=size, reverse=True)
    return out


def _run_in_order(jobs: list[Job], settings: Settings):
    """Run jobs in parallel, hand results on in input order (so stored rows do not depend on timing)."""
    if not jobs:
        return
    workers = settings.workers or os.cpu_count() or 1
    preload = ("cami_extract.parse", "cami_extract.work") + (("cami_extract.extract",) if settings.extract else ())
    pool = ParsePool(min(workers, len(jobs)), sandbox_limits(settings), task=run_job, preload=preload)
    order = [job.key for job in jobs]
    waiting: dict[int, object] = {}
    nxt = 0
    for key, outcome in pool.imap(_biggest_first(jobs, DISPATCH_WINDOW * max(1, workers))):
        waiting[key] = outcome
        while nxt < len(order) and order[nxt] in waiting:
            yield order[nxt], waiting.pop(order[nxt])
            nxt += 1


def _store_outcome(
    outcome, store: Store, run_id: int, version: str, report: IngestReport, progress: Progress | None
) -> None:
    if isinstance(outcome, Failure):
        store.record_failure(outcome, run_id=run_id)
        report.failed.append(outcome)
        _tell(progress, outcome.path, "failed")
        return
    done: Processed = outcome
    doc = done.document
    flags = _flags(doc)
    if done.extract_failure is not None:
        store.record_failure(done.extract_failure, run_id=run_id)
        flags.append("extract_failed")
    try:
        result = store.save_document(doc, done.mentions, run_id=run_id, pipeline_version=version, flags=flags)
    except CamiError as e:
        failure = failure_from(e, doc.path, doc.sha256, stage="store")
        store.record_failure(failure, run_id=run_id)
        report.failed.append(failure)
        _tell(progress, doc.path, "failed")
        return
    report.ingested.append(doc.path)
    report.superseded += len(result.superseded)
    report.mentions += result.mentions
    if "needs_ocr" in flags:
        report.needs_ocr.append(doc.path)
    if "non_english" in flags:
        report.non_english.append(doc.path)
    _tell(progress, doc.path, "ingested")


def parse_here(path: str | Path, *, char_source: str | None = None) -> ParsedDocument | Failure:
    """Parse one file in this process (no sandbox): for debugging and the `cami parse` command."""
    return parse_one(str(path), file_sha256(Path(path)), char_source=char_source)
