"""The ingest pipeline: files -> sandboxed parse -> extract -> store, one writer.

Each document commits in its own transaction, in the order of the input, so a crash
mid-batch leaves the documents before it complete and none half-stored, and the same
input always gives the same rows. A file that fails is recorded and the batch goes on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import __version__
from .config import Settings
from .errors import CamiError, ExtractFailed
from .inputs import list_pdfs, sha256_of
from .languages import LANGUAGES, language_of
from .model import Failure, Mention, ParsedDocument
from .parse import PARSER_VERSION
from .parse.sandbox import Limits, ParsePool, failure_from, parse_one
from .reconcile import reconcile_batch
from .store.repository import Store

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
    if doc.cover.symbol is None:
        flags.append("no_symbol")
    if doc.cover.header_symbol and doc.cover.symbol and doc.cover.header_symbol != doc.cover.symbol:
        flags.append("symbol_mismatch")
    return flags


def load_extractor(settings: Settings):
    if not settings.extract:
        return None
    from .extract import Extractor

    return Extractor.load(settings.pipeline or None)


def ingest(
    paths: Iterable[str | Path], store: Store, settings: Settings, *, progress: Progress | None = None, extractor=None
) -> IngestReport:
    files = collect_pdfs(paths)
    report = IngestReport()
    if extractor is None and settings.extract:
        extractor = load_extractor(settings)
    version = pipeline_version(getattr(extractor, "version", None))
    with store.writer(settings.lock_timeout):
        report.run_id = run_id = store.start_run("ingest", version, settings.as_dict())
        known = store.known_sha256()
        jobs: list[tuple[int, str, str]] = []
        first_job: dict[str, int] = {}  # sha256 -> key of the job that parses it in this batch
        copies: dict[int, list[str]] = {}  # job key -> later files with the same bytes
        for i, f in enumerate(files):
            try:
                sha = sha256_of(f)  # E112 for a FIFO or device, E101 when unreadable: never blocks
            except CamiError as e:
                failure = failure_from(e, str(f), None, stage="read")
                _record(store, failure, run_id)
                report.failed.append(failure)
                _tell(progress, str(f), "failed")
                continue
            if sha in known:
                report.unchanged.append(str(f))
                _tell(progress, str(f), "unchanged")
                continue
            if sha in first_job:  # the same bytes twice in one batch: parsed once, both get its outcome
                copies.setdefault(first_job[sha], []).append(str(f))
                continue
            first_job[sha] = i
            jobs.append((i, str(f), sha))
        for key, outcome in _parse_in_order(jobs, settings):
            stored = _store_outcome(outcome, store, extractor, run_id, version, report, progress)
            for copy in copies.pop(key, []):
                _copy_outcome(copy, stored, store, run_id, report, progress)
        reconcile_batch(store, settings, run_id)  # activities of the new documents (issue 8): one call per batch
        store.finish_run(run_id, report.counts())
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


def _parse_in_order(jobs: list[tuple[int, str, str]], settings: Settings):
    """Parse in parallel, hand results on in input order (so stored rows do not depend on timing)."""
    if not jobs:
        return
    workers = settings.workers or os.cpu_count() or 1
    limits = Limits(
        memory_mb=settings.memory_limit,
        timeout_s=settings.timeout,
        cpu_s=settings.cpu_limit,
        recycle_after=settings.recycle_after,
    )
    outcomes: Iterable[tuple[int, object]]
    if settings.dask_scheduler or settings.dask_local:  # the same sandboxed pool, built on each Dask worker
        from .dask_executor import dask_imap

        make_pool = partial(ParsePool, 1, limits)
        outcomes = dask_imap(
            jobs,
            make_pool,
            scheduler=settings.dask_scheduler,
            local_workers=settings.dask_local,
            chunk_size=settings.recycle_after,
        )
    else:
        outcomes = ParsePool(min(workers, len(jobs)), limits).imap(jobs)
    order = [key for key, _, _ in jobs]
    waiting: dict[int, object] = {}
    nxt = 0
    for key, outcome in outcomes:
        waiting[key] = outcome
        while nxt < len(order) and order[nxt] in waiting:
            yield order[nxt], waiting.pop(order[nxt])
            nxt += 1


def _store_outcome(
    outcome, store: Store, extractor, run_id: int, version: str, report: IngestReport, progress: Progress | None
) -> Failure | None:
    """Store one parse outcome; returns the failure, or None when the file is stored."""
    if isinstance(outcome, Failure):
        _record(store, outcome, run_id)
        report.failed.append(outcome)
        _tell(progress, outcome.path, "failed")
        return outcome
    doc: ParsedDocument = outcome
    flags = _flags(doc)
    mentions: list[Mention] = []
    # English, French and Spanish papers each have their pipeline; another language is stored and flagged.
    if extractor is not None and extractor.supports(doc.language):
        try:
            mentions = extractor.extract(doc)
        except Exception as e:  # the document is still worth storing; say why it has no mentions
            err = ExtractFailed(f"{type(e).__name__}: {e}", path=doc.path)
            log.exception("extraction failed for %s", doc.path)
            failure = failure_from(err, doc.path, doc.sha256, stage="extract")
            _record(store, failure, run_id)
            flags.append("extract_failed")
    try:
        result = store.save_document(doc, mentions, run_id=run_id, pipeline_version=version, flags=flags)
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


def parse_here(path: str | Path) -> ParsedDocument | Failure:
    """Parse one file in this process (no sandbox): for debugging and the `cami parse` command."""
    try:
        sha = sha256_of(path)
    except CamiError as e:
        return failure_from(e, str(path), None, stage="read")
    return parse_one(str(path), sha)
