"""Coded errors. Each says what went wrong, where, and what to do next.

Codes are stable: they are stored in the ``failures`` table and counted in runs.
"""

from __future__ import annotations


class CamiError(Exception):
    """Base class. ``code`` is stored; ``reason`` is a short slug for humans and filters."""

    code = "E000"
    reason = "error"
    hint = ""

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.path = path
        self.detail = message
        if hint is not None:
            self.hint = hint
        text = f"{self.code}: {path + ': ' if path else ''}{message}"
        if self.hint:
            text += f" {self.hint}"
        super().__init__(text)


# --- reading and parsing a file (stage "read" / "parse") -------------------------------------
class FileUnreadable(CamiError):
    code, reason = "E101", "unreadable"
    hint = "Check that the file exists and is readable."


class EmptyFile(CamiError):
    code, reason = "E102", "empty_file"
    hint = "The file has 0 bytes; download it again."


class NotAPdf(CamiError):
    code, reason = "E103", "not_pdf"
    hint = "The file does not start with %PDF; it may be an HTML page saved with a .pdf name."


class EncryptedPdf(CamiError):
    code, reason = "E104", "encrypted"
    hint = "Decrypt it first (e.g. qpdf --decrypt) or ask the publisher for an open copy."


class MalformedPdf(CamiError):
    code, reason = "E105", "malformed"
    hint = "The PDF structure is broken; try repairing it (qpdf, ghostscript) and ingest again."


class NoTextLayer(CamiError):
    code, reason = "E106", "no_text_layer"
    hint = "The pages are images (a scan?). Run OCR first (ocrmypdf) and ingest the result."


class ParseTimeout(CamiError):
    code, reason = "E107", "timeout"
    hint = "The parser was stopped at the wall-clock limit; raise --timeout if the file is just big."


class ParseMemoryLimit(CamiError):
    code, reason = "E108", "memory_limit"
    hint = "The parser hit the memory limit (a decompression bomb?); raise --memory-limit if the file is genuine."


class ParserCrash(CamiError):
    code, reason = "E109", "parser_crash"
    hint = "The parser process died; report the file with this message."


class ParseCpuLimit(CamiError):
    code, reason = "E110", "cpu_limit"
    hint = "The parser used up its CPU-time limit (a loop in the PDF?); raise --timeout if the file is just big."


class ParseRecursion(CamiError):
    code, reason = "E111", "too_deep"
    hint = "The PDF nests objects too deeply to read safely (a hostile file?)."


class NotRegularFile(CamiError):
    code, reason = "E112", "not_a_file"
    hint = "Only regular files are read (not FIFOs, devices or sockets); copy the PDF to a plain file."


class DistributedTaskFailed(CamiError):
    code, reason = "E113", "dask_task_failed"
    hint = "A Dask worker died or could not run the task; check the worker's log (cami-extract installed?) and re-run."


# --- the store (stage "store") ------------------------------------------------------------------
class DatabaseBusy(CamiError):
    code, reason = "E201", "db_busy"
    hint = "Another ingest is writing to this SQLite file; wait for it to finish (SQLite takes one writer)."


class BadDatabaseUrl(CamiError):
    code, reason = "E202", "bad_db_url"
    hint = "Pass a SQLAlchemy URL (sqlite:///path.sqlite, postgresql+psycopg://host/db) or a file path."


class StoreFailed(CamiError):
    code, reason = "E203", "store_failed"
    hint = "Nothing of this document was stored; earlier documents are kept. Re-run the ingest."


class UnknownDocument(CamiError):
    code, reason = "E204", "unknown_document"
    hint = "List stored documents with `cami documents`."


# --- extraction and settings --------------------------------------------------------------------
class ExtractFailed(CamiError):
    code, reason = "E301", "extract_failed"
    hint = "The document is stored without mentions; report the file with this message."


class BadSetting(CamiError):
    code, reason = "E401", "bad_setting"
    hint = "See `docs/settings.md` for the settings and their values."


class DaskUnavailable(CamiError):
    code, reason = "E403", "dask_unavailable"
    hint = "Start the scheduler and workers (docs/dask.md), check the address, or use --dask-local N."


class GoldError(CamiError):
    code, reason = "E402", "bad_gold"
    hint = "Fix the gold file; its format is in corpus/gold/README.md."


ALL_ERRORS = [c for c in list(globals().values()) if isinstance(c, type) and issubclass(c, CamiError)]
