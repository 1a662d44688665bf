"""The unit of work: one file in, one outcome out.

    outcome = run_job(Job(key=0, path="paper.pdf", sha256=file_sha256("paper.pdf")))
    # -> Processed(document, mentions, ...)  or  Failure(path, stage, error_code, ...)

``run_job`` parses the file and, for an English, French or Spanish paper, extracts its mentions, in the process
that calls it. It never raises for a bad file and never writes anything: the caller stores the
outcome. The local pool runs it in sandboxed children (``parse/sandbox.py``); a distributed
engine (Dask) can call the same function: a :class:`Job` and both outcomes are plain picklable
dataclasses, and the only state kept between calls is the spaCy pipeline, loaded once per
process on first use (``_extractor``).

Importing this module is cheap (no spaCy): the parent imports it to build jobs even when the
batch has nothing new to do.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import CamiError, ExtractFailed
from .languages import LANGUAGES, language_of
from .model import Failure, Mention, ParsedDocument
from .parse.chars import DEFAULT_CHAR_SOURCE
from .parse.sandbox import failure_from, parse_one

if TYPE_CHECKING:
    from .extract import Extractor

log = logging.getLogger(__name__)

# English, French and Spanish papers each have their pipeline (pipelines/*.cfg); papers in other
# languages are stored and flagged, never read with another language's rules.
EXTRACT_LANGUAGES = LANGUAGES


@dataclass(frozen=True, slots=True)
class Job:
    """One file to process, and how. Picklable; carries no open handles."""

    key: int  # the caller's handle for the outcome (the pipeline uses the input order)
    path: str
    sha256: str
    char_source: str = DEFAULT_CHAR_SOURCE  # "playa" | "pdfplumber"
    ocr: str = "auto"  # pages without a text layer: "auto" | "always" | "never" (parse/ocr.py)
    extract: bool = True  # run entity extraction (English, French and Spanish papers)
    pipeline: str = ""  # spaCy pipeline config path; "" = pipelines/default.cfg


@dataclass(slots=True)
class Processed:
    """A parsed document and its mentions, ready to store."""

    document: ParsedDocument
    mentions: list[Mention] = field(default_factory=list)
    extractor_version: str | None = None  # None when extraction did not run
    extract_failure: Failure | None = None  # extraction raised: store the document without mentions
    seconds: dict[str, float] = field(default_factory=dict)  # {"parse", "model" (load; ~0 once cached), "extract"}


Outcome = Processed | Failure


@lru_cache(maxsize=2)
def _extractor(pipeline: str) -> Extractor:
    """The spaCy pipeline, loaded once per process (per config) and kept for later jobs."""
    from .extract import Extractor

    return Extractor.load(pipeline or None)


def run_job(job: Job) -> Outcome:
    """Parse ``job.path`` and extract its mentions. Never raises for bad input.

    Returns a :class:`Processed` (the document, its mentions, timings) or a
    :class:`~cami_extract.model.Failure` when the file cannot be parsed. Extraction runs only
    when ``job.extract`` is set and the paper's language is in ``EXTRACT_LANGUAGES``; if it
    raises, the document comes back with ``extract_failure`` set and no mentions.
    """
    started = time.perf_counter()
    parsed = parse_one(job.path, job.sha256, char_source=job.char_source, ocr=job.ocr)
    parse_s = time.perf_counter() - started
    if isinstance(parsed, Failure):
        return parsed
    result = Processed(document=parsed, seconds={"parse": parse_s})
    if not job.extract or language_of(parsed.language) not in EXTRACT_LANGUAGES:
        return result
    started = time.perf_counter()
    try:
        extractor = _extractor(job.pipeline)
        loaded = time.perf_counter()
        result.seconds["model"] = loaded - started
        started = loaded
        result.extractor_version = extractor.version
        result.mentions = extractor.extract(parsed)
    except Exception as e:  # the document is still worth storing; say why it has no mentions
        # one line, no traceback: a coded error (a broken pipeline config, E303) says what to do;
        # anything else is our bug, its traceback kept for --verbose (debug)
        log.error("extraction failed for %s: %s", job.path, e if isinstance(e, CamiError) else type(e).__name__)
        log.debug("extraction failed for %s", job.path, exc_info=True)
        err = ExtractFailed(f"{type(e).__name__}: {e}", path=job.path)
        result.mentions = []
        result.extract_failure = failure_from(err, job.path, job.sha256, stage="extract")
    result.seconds["extract"] = time.perf_counter() - started
    return result
