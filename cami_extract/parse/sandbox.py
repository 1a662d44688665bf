"""Run the parser in child processes that cannot hang or sink the batch.

pdfminer can loop forever on a 673-byte file whose /Length objects refer to each other,
and a 1 MB stream can inflate to gigabytes. So each parse runs in a child process with
an address-space limit (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU) and a wall-clock
deadline after which the parent kills it. Children are started by a forkserver (never
forked from a parent holding a database connection) and recycled after a number of
files, since pdfplumber's caches grow. Every outcome comes back as the task's result or
a Failure: a dead child becomes ``timeout``, ``cpu_limit``, ``memory_limit`` or
``parser_crash``.

The pool runs a *task* on each job: by default :func:`parse_job` (parse only); the pipeline
passes ``cami_extract.work.run_job`` (parse + extract). A job is any picklable object with
``key``, ``path`` and ``sha256``. The CPU limit is the guard against loops; the wall clock
only against a child that stops using CPU, so a file killed at the wall clock while other
children were busy is run once more alone (nothing else running) before it counts as failed.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, NamedTuple

from .. import errors
from ..model import Failure, ParsedDocument

log = logging.getLogger(__name__)


class ParseJob(NamedTuple):
    """The default task's job; a plain ``(key, path, sha256)`` tuple is read as one."""

    key: int
    path: str
    sha256: str


Outcome = Any  # the task's result, or a Failure


@dataclass(frozen=True, slots=True)
class Limits:
    memory_mb: int = 1536
    timeout_s: float = 240.0  # wall clock, per file (config.WALL_PER_CPU x cpu_s)
    cpu_s: int = 60  # CPU time, per file
    recycle_after: int = 25  # files per child before it is replaced
    retry_alone: bool = True  # a wall-clock timeout beside other work is retried once alone


def failure_from(error: errors.CamiError, path: str, sha256: str | None, stage: str = "parse") -> Failure:
    return Failure(
        path=path, sha256=sha256, stage=stage, error_code=error.code, reason=error.reason, message=str(error)
    )


def parse_one(path: str, sha256: str, *, char_source: str | None = None, ocr: str = "auto") -> ParsedDocument | Failure:
    """Parse in this process, turning every error into a Failure."""
    from . import DEFAULT_CHAR_SOURCE, parse_pdf

    try:
        return parse_pdf(path, sha256=sha256, char_source=char_source or DEFAULT_CHAR_SOURCE, ocr=ocr)
    except errors.CamiError as e:
        return failure_from(e, path, sha256)
    except MemoryError:
        return failure_from(errors.ParseMemoryLimit("the parser ran out of memory", path=path), path, sha256)
    except RecursionError:
        return failure_from(errors.ParseRecursion("objects nest too deeply", path=path), path, sha256)
    except Exception as e:
        from .pdf import to_coded_error

        if type(e).__name__ == "PdfminerException":  # pdfplumber's wrapper, raised lazily from any page access
            return failure_from(to_coded_error(e, Path(path)), path, sha256)  # type: ignore[arg-type]
        # Otherwise a bug in pdfminer/pdfplumber on this file: record it, keep going.
        return failure_from(errors.ParserCrash(f"{type(e).__name__}: {e}", path=path), path, sha256)


def parse_job(job: ParseJob) -> ParsedDocument | Failure:
    """The default task: parse only."""
    return parse_one(job.path, job.sha256)


def _child(conn, limits: Limits, task: Callable[[Any], Outcome]) -> None:
    # The child must not outlive a killed batch, and ^C is the parent's business.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # pdfminer warns on stderr about every odd object; the outcome says what matters.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    # PLAYA's warnings stay off stderr too, but must still be emitted: chars.py listens for them.
    logging.getLogger("playa").propagate = False
    limit = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    done = 0
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        key, path, sha = job.key, job.path, job.sha256
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu_now = int(used.ru_utime + used.ru_stime) + 1
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]  # ours to lower, never to raise
        soft = cpu_now + limits.cpu_s
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        outcome = task(job)
        try:
            conn.send((key, outcome))
        except MemoryError:
            conn.send((key, failure_from(errors.ParseMemoryLimit("result too large to return", path=path), path, sha)))
        done += 1
        ran_out = isinstance(outcome, Failure) and outcome.reason == "memory_limit"
        if done >= limits.recycle_after or ran_out:
            return  # a fresh child replaces this one


class _Worker:
    def __init__(self, ctx, limits: Limits, task: Callable[[Any], Outcome]):
        self.conn, child_conn = ctx.Pipe()
        self.process = ctx.Process(target=_child, args=(child_conn, limits, task), daemon=True)
        self.process.start()
        child_conn.close()
        self.job: Any = None
        self.crowded = False  # another child of this pool was busy while this job ran
        self.deadline = 0.0
        self.sent = 0

    def send(self, job: Any, timeout: float) -> None:
        self.job = job
        self.deadline = time.monotonic() + timeout
        self.sent += 1
        self.conn.send(job)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


def _death_failure(worker: _Worker, limits: Limits) -> Failure:
    path, sha = worker.job.path, worker.job.sha256
    worker.process.join(5)
    code = worker.process.exitcode
    if code == -signal.SIGXCPU:
        err: errors.CamiError = errors.ParseCpuLimit(f"CPU time over {limits.cpu_s} s", path=path)
    elif code in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS) or code is None or code >= 0:
        err = errors.ParserCrash(f"parser process died (exit code {code})", path=path)
    elif code == -signal.SIGKILL:
        # Nobody but the kernel's OOM killer sends SIGKILL to a child we did not kill.
        err = errors.ParseMemoryLimit("parser process was killed (out of memory?)", path=path)
    else:
        err = errors.ParserCrash(f"parser process died on signal {-code}", path=path)
    return failure_from(err, path, sha)


def _start_forkserver() -> None:
    """Start the forkserver (if it is not running) with ``PYTHONSAFEPATH`` set.

    The forkserver runs as ``python -c`` and Python 3.11 ignores the ``sys.path`` the parent sends
    it, so its path would start with the working directory: run from inside another checkout, its
    ``cami_extract/`` folder would be preloaded in place of the installed package.
    """
    from multiprocessing import forkserver

    old = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        if old is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = old


class ParsePool:
    """Run ``task`` on jobs in sandboxed children; ``imap`` yields ``(key, outcome)`` as they finish.

    ``preload`` names modules the forkserver imports once, so children start with them loaded.
    """

    def __init__(
        self,
        workers: int | None = None,
        limits: Limits | None = None,
        start_method: str = "forkserver",
        *,
        task: Callable[[Any], Outcome] = parse_job,
        preload: tuple[str, ...] = ("cami_extract.parse",),
    ):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.limits = limits or Limits()
        self.task = task
        self.ctx = mp.get_context(start_method)
        if start_method == "forkserver":
            self.ctx.set_forkserver_preload(list(preload))
            _start_forkserver()
        self.counts = {"children_started": 0, "children_killed": 0, "retried_alone": 0}

    def _new(self) -> _Worker:
        self.counts["children_started"] += 1
        return _Worker(self.ctx, self.limits, self.task)

    def imap(self, jobs: Iterable[Any]) -> Iterator[tuple[int, Outcome]]:
        queue: deque[Any] = deque(ParseJob(*j) if type(j) is tuple else j for j in jobs)
        retry: deque[Any] = deque()  # timed out beside other work: run again alone at the end
        retried: set[int] = set()
        idle: list[_Worker] = []
        busy: list[_Worker] = []
        try:
            while queue or busy or retry:
                if not queue and not busy:  # only retries are left: one at a time, nothing beside
                    job = retry.popleft()
                    retried.add(job.key)
                    self.counts["retried_alone"] += 1
                    log.info("retrying %s alone after a wall-clock timeout beside other work", job.path)
                    queue.append(job)
                while queue and len(idle) + len(busy) < self.workers:
                    idle.append(self._new())
                while queue and idle:
                    w = idle.pop()
                    w.send(queue.popleft(), self.limits.timeout_s)
                    w.crowded = bool(busy)
                    for other in busy:
                        other.crowded = True
                    busy.append(w)
                now = time.monotonic()
                timeout = max(0.0, min(w.deadline for w in busy) - now) if busy else 0.0
                ready = wait([w.conn for w in busy], timeout=timeout)
                for w in list(busy):
                    if w.conn in ready:
                        busy.remove(w)
                        try:
                            key, outcome = w.conn.recv()
                        except (EOFError, OSError):
                            outcome, key = _death_failure(w, self.limits), w.job.key
                            w.kill()
                            yield key, outcome
                            continue
                        yield key, outcome
                        if w.sent >= self.limits.recycle_after or (
                            isinstance(outcome, Failure) and outcome.reason == "memory_limit"
                        ):
                            w.stop()
                        else:
                            idle.append(w)
                    elif time.monotonic() >= w.deadline:
                        busy.remove(w)
                        job, crowded = w.job, w.crowded
                        w.kill()
                        self.counts["children_killed"] += 1
                        if self.limits.retry_alone and crowded and job.key not in retried:
                            retry.append(job)  # the machine was shared with our other children
                            continue
                        err = errors.ParseTimeout(f"no result within {self.limits.timeout_s:g} s", path=job.path)
                        yield job.key, failure_from(err, job.path, job.sha256)
        finally:
            for w in idle + busy:
                w.kill() if w in busy else w.stop()
