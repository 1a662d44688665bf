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
from pathlib import Path

from . import __version__
from .config import Settings
from .errors import CamiError, ExtractFailed
from .model import Failure, Mention, ParsedDocument
from .parse import PARSER_VERSION, file_sha256
from .parse.sandbox import Limits, ParsePool, failure_from, parse_one
from .reconcile import reconcile_batch
from .store.repository import Store

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
        for i, f in enumerate(files):
            try:
                sha = file_sha256(f)
            except OSError as e:
                from .errors import FileUnreadable

                failure = failure_from(FileUnreadable(str(e), path=str(f)), str(f), None, stage="read")
                store.record_failure(failure, run_id=run_id)
                report.failed.append(failure)
                _tell(progress, str(f), "failed")
                continue
            if sha in known:
                report.unchanged.append(str(f))
                _tell(progress, str(f), "unchanged")
                continue
            known.add(sha)  # the same bytes twice in one batch are one document
            jobs.append((i, str(f), sha))
        for _, outcome in _parse_in_order(jobs, settings):
            _store_outcome(outcome, store, extractor, run_id, version, report, progress)
        reconcile_batch(store, settings, run_id)  # activities of the new documents (issue 8): one call per batch
        store.finish_run(run_id, report.counts())
    return report


def _tell(progress: Progress | None, path: str, what: str) -> None:
    if progress:
        progress(path, what)


def _parse_in_order(jobs: list[tuple[int, str, str]], settings: Settings):
    """Parse in parallel, hand results on in input order (so stored rows do not depend on timing)."""
    if not jobs:
        return
    workers = settings.workers or os.cpu_count() or 1
    pool = ParsePool(
        min(workers, len(jobs)),
        Limits(
            memory_mb=settings.memory_limit,
            timeout_s=settings.timeout,
            cpu_s=settings.cpu_limit,
            recycle_after=settings.recycle_after,
        ),
    )
    order = [key for key, _, _ in jobs]
    waiting: dict[int, object] = {}
    nxt = 0
    for key, outcome in pool.imap(jobs):
        waiting[key] = outcome
        while nxt < len(order) and order[nxt] in waiting:
            yield order[nxt], waiting.pop(order[nxt])
            nxt += 1


def _store_outcome(
    outcome, store: Store, extractor, run_id: int, version: str, report: IngestReport, progress: Progress | None
) -> None:
    if isinstance(outcome, Failure):
        store.record_failure(outcome, run_id=run_id)
        report.failed.append(outcome)
        _tell(progress, outcome.path, "failed")
        return
    doc: ParsedDocument = outcome
    flags = _flags(doc)
    mentions: list[Mention] = []
    # A paper in French or Spanish is stored and flagged, never read with English rules.
    if extractor is not None and doc.language == "en":
        try:
            mentions = extractor.extract(doc)
        except Exception as e:  # the document is still worth storing; say why it has no mentions
            err = ExtractFailed(f"{type(e).__name__}: {e}", path=doc.path)
            log.exception("extraction failed for %s", doc.path)
            failure = failure_from(err, doc.path, doc.sha256, stage="extract")
            store.record_failure(failure, run_id=run_id)
            flags.append("extract_failed")
    try:
        result = store.save_document(doc, mentions, run_id=run_id, pipeline_version=version, flags=flags)
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


def parse_here(path: str | Path) -> ParsedDocument | Failure:
    """Parse one file in this process (no sandbox): for debugging and the `cami parse` command."""
    return parse_one(str(path), file_sha256(Path(path)))
