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
            text += ("" if text.endswith((".", "!", "?")) else ".") + f" {self.hint}"
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
    hint = (
        "The pages are images (a scan?) and OCR read no text from them: check that tesseract-ocr and"
        " poppler-utils are installed and the setting ocr is not 'never'."
    )


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
    hint = "The parser used up its CPU-time limit (a loop in the PDF?); raise --cpu-limit if the file is just big."


class ParseRecursion(CamiError):
    code, reason = "E111", "too_deep"
    hint = "The PDF nests objects too deeply to read safely (a hostile file?)."


class NotRegularFile(CamiError):
    code, reason = "E112", "not_a_file"
    hint = "Only regular files are read (not FIFOs, devices or sockets); copy the PDF to a plain file."


class OcrFailed(CamiError):
    code, reason = "E113", "ocr_failed"
    hint = "The OCR engine (tesseract, pdftoppm) failed on a page; set ocr = never to parse the text layer only."


class DistributedTaskFailed(CamiError):
    code, reason = "E114", "dask_task_failed"
    hint = "A Dask worker died or could not run the task; check the worker's log (cami-extract installed?) and re-run."


# --- the store (stage "store") ------------------------------------------------------------------
class DatabaseBusy(CamiError):
    code, reason = "E201", "db_busy"
    hint = "Another ingest is writing to this SQLite file; wait for it to finish (SQLite takes one writer)."


class BadDatabaseUrl(CamiError):
    code, reason = "E202", "bad_db_url"
    hint = "See `--db` in docs/cli.md; CAMI_DB sets the same."


class StoreFailed(CamiError):
    code, reason = "E203", "store_failed"
    hint = "Nothing of this document was stored; earlier documents are kept. Re-run the ingest."


class UnknownDocument(CamiError):
    code, reason = "E204", "unknown_document"
    hint = "List stored documents with `cami documents`."


class UnknownMention(CamiError):
    code, reason = "E208", "unknown_mention"
    hint = "Mention ids are the `id` of the mentions table (Datasette's mentions page, the mentions_by_symbol query)."


class NoDatabase(CamiError):
    code, reason = "E205", "no_database"
    hint = "Ingest first (`cami ingest PATH`), or pass the right --db (or CAMI_DB)."


class DatabaseUnreachable(CamiError):
    code, reason = "E207", "db_unreachable"
    hint = "Check that the server is running and that the URL's host, port, user and database name are right."


class DatabaseFolderMissing(CamiError):
    code, reason = "E206", "db_folder_missing"
    hint = "Create the folder first, or pass another --db; nothing was created."


# --- extraction and settings --------------------------------------------------------------------
class ExtractFailed(CamiError):
    code, reason = "E301", "extract_failed"
    hint = "The document is stored without mentions; report the file with this message."


class PatternFileError(CamiError, ValueError):
    code, reason = "E302", "bad_pattern_file"
    hint = "Fix the named row of the pattern file (cami_extract/extract/patterns/, see its SOURCES.md)."


class PipelineConfigError(CamiError):
    code, reason = "E303", "bad_pipeline_config"
    hint = (
        "Point the `pipeline` setting (CAMI_PIPELINE, or `pipeline =` in the [cami] section of the --config file)"
        " at a valid spaCy config, or unset it to use the shipped pipelines/default.cfg."
    )


class UnsupportedLanguage(CamiError, ValueError):
    code, reason = "E304", "unsupported_language"
    hint = "Extraction pipelines exist for en, fr and es (pipelines/*.cfg); other papers are stored and flagged."


class NoInput(CamiError):
    """A warning, not a failure: the command had nothing to do and exits 0."""

    code, reason = "W101", "no_input"
    hint = "Name PDF files or folders that contain *.pdf files."


class InternalError(CamiError):
    code, reason = "E900", "internal_error"
    hint = "This is a bug in cami-extract: run again with -vv for the traceback and report it with the file."


class BadSetting(CamiError):
    code, reason = "E401", "bad_setting"
    hint = "See `docs/settings.md` for the settings and their values."


class DaskUnavailable(CamiError):
    code, reason = "E403", "dask_unavailable"
    hint = "Start the scheduler and workers (docs/dask.md), check the address, or use --dask-local N."


class GoldError(CamiError):
    code, reason = "E402", "bad_gold"
    hint = "Fix the gold file; its format is in corpus/gold/README.md."


# --- reconcile (stage "reconcile") -------------------------------------------------------------
class ReconcileFailed(CamiError):
    code, reason = "E501", "reconcile_failed"
    hint = "The document is stored; its activities were not updated. Run `cami reconcile` to catch up."


ALL_ERRORS = [c for c in list(globals().values()) if isinstance(c, type) and issubclass(c, CamiError)]
