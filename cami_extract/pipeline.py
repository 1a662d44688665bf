"""The ingest pipeline: files -> sandboxed workers (parse + extract) -> store, one writer.

1. The files are listed and hashed, and ONE query asks the store which hashes it knows;
   an unchanged batch stops there (no worker, no spaCy).
2. Each new file becomes a :class:`~cami_extract.work.Job`; sandboxed children (a local pool,
   or a pool on each Dask worker) run :func:`~cami_extract.work.run_job` on it: parse, then
   extract for English, French and Spanish papers, the spaCy pipelines loaded once per child.
3. This process only writes: each document commits in its own transaction, in the order of
   the input, so a crash mid-batch leaves the documents before it complete and none
   half-stored, and the same input always gives the same rows. A file that fails is
   recorded and the batch goes on.
"""

from __future__ import annotations

import configparser
import itertools
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import __version__
from .config import Settings, wall_clock_limit
from .errors import CamiError, PipelineConfigError
from .inputs import list_pdfs, sha256_of
from .languages import LANGUAGES, language_of
from .model import Failure, ParsedDocument
from .parse import PARSER_VERSION
from .parse.sandbox import Limits, ParsePool, failure_from, parse_one
from .reconcile import reconcile_batch
from .store.repository import Store
from .work import Job, Processed, run_job

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]  # (path, outcome) after each file


def pipeline_version(extractor_version: str | None) -> str:
    return f"cami-extract/{__version__} {PARSER_VERSION}" + (f" {extractor_version}" if extractor_version else "")


def collect_pdfs(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders searched recursively for *.pdf (any case), sorted, each once."""
    return list_pdfs(paths)


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
    if language_of(doc.language) not in LANGUAGES:  # en, fr, es are extracted
        flags.append("non_english" if doc.language else "language_unknown")
    if any(p.needs_ocr for p in doc.pages):
        flags.append("needs_ocr")
    if doc.ocr_pages:
        flags.append("ocr")  # documents.ocr_pages says how many pages, paragraphs.source which blocks
    if doc.ocr_noisy:
        flags.append("ocr_noisy")  # a text layer that looks like OCR noise: stored, not trusted
    if doc.cover.symbol is None:
        flags.append("no_symbol")
    if doc.cover.header_symbol and doc.cover.symbol and doc.cover.header_symbol != doc.cover.symbol:
        flags.append("symbol_mismatch")
    return flags


def check_pipeline_config(settings: Settings) -> None:
    """A pipeline config that is not even a config is one E303 up front, not an E301 per file.

    Read as plain INI (what spaCy's format is), so this process need not import spaCy; whether
    its components exist is for the workers to find out.
    """
    if not settings.extract or not settings.pipeline:
        return
    path = Path(settings.pipeline)
    try:
        text = path.read_text(encoding="utf-8")
        configparser.ConfigParser(interpolation=None, strict=False).read_string(text, source=str(path))
    except (OSError, UnicodeDecodeError, configparser.Error) as e:
        raise PipelineConfigError(
            f"cannot load the pipeline config ({' '.join(str(e).split())})", path=str(path)
        ) from e


def extractor_version(settings: Settings) -> str | None:
    """The extractor's version for the run record, when the first outcome did not carry it (a
    failure or a paper without extraction came first); imports spaCy, so asked only then."""
    if not settings.extract:
        return None
    from .extract import Extractor

    return Extractor.load(settings.pipeline or None).version


def ingest(
    paths: Iterable[str | Path], store: Store, settings: Settings, *, progress: Progress | None = None
) -> IngestReport:
    began = time.perf_counter()
    files = collect_pdfs(paths)
    report = IngestReport()
    check_pipeline_config(settings)
    with store.writer(settings.lock_timeout):
        # Hash everything, then ask the store once, before any worker or model starts.
        hashed: list[tuple[int, Path, str | None, CamiError | None]] = []
        for i, f in enumerate(files):
            try:
                hashed.append((i, f, sha256_of(f), None))  # E112 for a FIFO or device, E101 unreadable
            except CamiError as e:
                hashed.append((i, f, None, e))
        report.add_ms("hash", time.perf_counter() - began)
        mark = time.perf_counter()
        known = store.known_sha256()
        report.add_ms("query", time.perf_counter() - mark)
        mark = time.perf_counter()
        jobs: list[Job] = []
        first_job: dict[str, int] = {}  # sha256 -> key of the job that parses it in this batch
        copies: dict[int, list[str]] = {}  # job key -> later files with the same bytes
        for i, f, sha, _ in hashed:
            if sha is None or sha in known:
                continue
            if sha in first_job:  # the same bytes twice in one batch: parsed once, both get its outcome
                copies.setdefault(first_job[sha], []).append(str(f))
                continue
            first_job[sha] = i
            jobs.append(
                Job(
                    i,
                    str(f),
                    sha,
                    char_source=settings.char_source,
                    ocr=settings.ocr,
                    extract=settings.extract,
                    pipeline=settings.pipeline,
                )
            )
        report.add_ms("start", time.perf_counter() - mark)
        # The run record names the extractor's version. The workers report it with their first
        # outcome, so this process need not import spaCy just to name it.
        outcomes = _run_in_order(jobs, settings)
        first = next(outcomes, None)
        mark = time.perf_counter()
        found = getattr(first[1], "extractor_version", None) if first else None
        version = pipeline_version(found or (extractor_version(settings) if jobs else None))
        report.run_id = run_id = store.start_run("ingest", version, settings.as_dict())
        report.add_ms("start", time.perf_counter() - mark)
        queued = {job.key for job in jobs} | {k for k in copies}
        copied = {path for paths_ in copies.values() for path in paths_}
        for i, f, _sha, error in hashed:
            if error is not None:
                failure = failure_from(error, str(f), None, stage="read")
                _record(store, failure, run_id)
                report.failed.append(failure)
                _tell(progress, str(f), "failed")
            elif i not in queued and str(f) not in copied:
                report.unchanged.append(str(f))
                _tell(progress, str(f), "unchanged")
        for key, outcome in itertools.chain([first] if first else [], outcomes):
            mark = time.perf_counter()
            stored = _store_outcome(outcome, store, run_id, version, report, progress)
            for copy in copies.pop(key, []):
                _copy_outcome(copy, stored, store, run_id, report, progress)
            report.add_ms("store", time.perf_counter() - mark)
            for stage, seconds in getattr(outcome, "seconds", {}).items():
                report.add_ms(stage, seconds)
        reconcile_batch(store, settings, run_id)  # activities of the new documents (issue 8): one call per batch
        report.add_ms("wall", time.perf_counter() - began)
        store.finish_run(run_id, {**report.counts(), "stage_ms": report.stage_ms})
    return report


def _record(store: Store, failure: Failure, run_id: int) -> None:
    try:
        store.record_failure(failure, run_id=run_id)
    except CamiError:  # the batch goes on; the report still lists the failure
        log.exception("could not record the failure of %s", failure.path)


def _copy_outcome(
    path: str, stored: Failure | None, store: Store, run_id: int, report: IngestReport, progress: Progress | None
) -> None:
    """A file with the same bytes as one just handled: stored once, or failed for the same reason."""
    if stored is None:
        report.unchanged.append(path)
        _tell(progress, path, "unchanged")
        return
    failure = Failure(path, stored.sha256, stored.stage, stored.error_code, stored.reason, stored.message)
    _record(store, failure, run_id)
    report.failed.append(failure)
    _tell(progress, path, "failed")


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
    outcomes: Iterable[tuple[int, object]]
    if settings.dask_scheduler or settings.dask_local:  # the same sandboxed pool, built on each Dask worker
        from .dask_executor import dask_imap

        make_pool = partial(ParsePool, 1, sandbox_limits(settings), task=run_job, preload=preload)
        outcomes = dask_imap(
            jobs,
            make_pool,
            scheduler=settings.dask_scheduler,
            local_workers=settings.dask_local,
            chunk_size=settings.recycle_after,
        )
    else:
        pool = ParsePool(min(workers, len(jobs)), sandbox_limits(settings), task=run_job, preload=preload)
        outcomes = pool.imap(_biggest_first(jobs, DISPATCH_WINDOW * max(1, workers)))
    order = [job.key for job in jobs]
    waiting: dict[int, object] = {}
    nxt = 0
    for key, outcome in outcomes:
        waiting[key] = outcome
        while nxt < len(order) and order[nxt] in waiting:
            yield order[nxt], waiting.pop(order[nxt])
            nxt += 1


def _store_outcome(
    outcome, store: Store, run_id: int, version: str, report: IngestReport, progress: Progress | None
) -> Failure | None:
    """Store one outcome; returns the failure, or None when the file is stored."""
    if isinstance(outcome, Failure):
        _record(store, outcome, run_id)
        report.failed.append(outcome)
        _tell(progress, outcome.path, "failed")
        return outcome
    done: Processed = outcome
    doc = done.document
    flags = _flags(doc)
    if done.extract_failure is not None:
        _record(store, done.extract_failure, run_id)
        flags.append("extract_failed")
    try:
        result = store.save_document(doc, done.mentions, run_id=run_id, pipeline_version=version, flags=flags)
    except CamiError as e:
        failure = failure_from(e, doc.path, doc.sha256, stage="store")
        _record(store, failure, run_id)
        report.failed.append(failure)
        _tell(progress, doc.path, "failed")
        return failure
    if result.already_stored:  # another writer stored these bytes while we parsed them
        report.unchanged.append(doc.path)
        _tell(progress, doc.path, "unchanged")
        return None
    report.ingested.append(doc.path)
    report.superseded += len(result.superseded)
    report.mentions += result.mentions
    if "needs_ocr" in flags:
        report.needs_ocr.append(doc.path)
    if "non_english" in flags:
        report.non_english.append(doc.path)
    _tell(progress, doc.path, "ingested")
    return None


def parse_here(path: str | Path, *, char_source: str | None = None, ocr: str = "auto") -> ParsedDocument | Failure:
    """Parse one file in this process (no sandbox): for debugging and the `cami parse` command."""
    try:
        sha = sha256_of(path)
    except CamiError as e:
        return failure_from(e, str(path), None, stage="read")
    return parse_one(str(path), sha, char_source=char_source, ocr=ocr)
