"""Run the parser in child processes that cannot hang or sink the batch.

pdfminer can loop forever on a 673-byte file whose /Length objects refer to each other,
and a 1 MB stream can inflate to gigabytes. So each parse runs in a child process with
an address-space limit (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU) and a wall-clock
deadline after which the parent kills it. Children are started by a forkserver (never
forked from a parent holding a database connection) and recycled after a number of
files, since pdfplumber's caches grow. Every outcome comes back as a ParsedDocument or
a Failure: a dead child becomes ``timeout``, ``cpu_limit``, ``memory_limit`` or
``parser_crash``.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from .. import errors
from ..model import Failure, ParsedDocument

log = logging.getLogger(__name__)

Job = tuple[int, str, str]  # (key, path, sha256)
Outcome = ParsedDocument | Failure


@dataclass(frozen=True, slots=True)
class Limits:
    memory_mb: int = 1536
    timeout_s: float = 60.0  # wall clock, per file
    cpu_s: int = 60  # CPU time, per file
    recycle_after: int = 25  # files per child before it is replaced


def failure_from(error: errors.CamiError, path: str, sha256: str | None, stage: str = "parse") -> Failure:
    return Failure(
        path=path, sha256=sha256, stage=stage, error_code=error.code, reason=error.reason, message=str(error)
    )


def parse_one(path: str, sha256: str) -> Outcome:
    """Parse in this process, turning every error into a Failure (the unit of work)."""
    from . import parse_pdf

    try:
        return parse_pdf(path, sha256=sha256)
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


def _child(conn, limits: Limits) -> None:
    # The child must not outlive a killed batch, and ^C is the parent's business.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # pdfminer warns on stderr about every odd object; the outcome says what matters.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
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
        key, path, sha = job
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu_now = int(used.ru_utime + used.ru_stime) + 1
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]  # ours to lower, never to raise
        soft = cpu_now + limits.cpu_s
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        outcome = parse_one(path, sha)
        try:
            conn.send((key, outcome))
        except MemoryError:
            conn.send((key, failure_from(errors.ParseMemoryLimit("result too large to return", path=path), path, sha)))
        done += 1
        ran_out = isinstance(outcome, Failure) and outcome.reason == "memory_limit"
        if done >= limits.recycle_after or ran_out:
            return  # a fresh child replaces this one


class _Worker:
    def __init__(self, ctx, limits: Limits):
        self.conn, child_conn = ctx.Pipe()
        self.process = ctx.Process(target=_child, args=(child_conn, limits), daemon=True)
        self.process.start()
        child_conn.close()
        self.job: Job | None = None
        self.deadline = 0.0
        self.sent = 0

    def send(self, job: Job, timeout: float) -> None:
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
    _key, path, sha = worker.job  # type: ignore[misc]
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


class ParsePool:
    """Parse files in sandboxed children; ``imap`` yields ``(key, outcome)`` as they finish."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None, start_method: str = "forkserver"):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.limits = limits or Limits()
        self.ctx = mp.get_context(start_method)
        if start_method == "forkserver":
            self.ctx.set_forkserver_preload(["cami_extract.parse"])
        self.counts = {"children_started": 0, "children_killed": 0}

    def _new(self) -> _Worker:
        self.counts["children_started"] += 1
        return _Worker(self.ctx, self.limits)

    def imap(self, jobs: Iterable[Job]) -> Iterator[tuple[int, Outcome]]:
        queue: deque[Job] = deque(jobs)
        idle: list[_Worker] = []
        busy: list[_Worker] = []
        try:
            while queue or busy:
                while queue and len(idle) + len(busy) < self.workers:
                    idle.append(self._new())
                while queue and idle:
                    w = idle.pop()
                    w.send(queue.popleft(), self.limits.timeout_s)
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
                            outcome, key = _death_failure(w, self.limits), w.job[0]  # type: ignore[index]
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
                        key, path, sha = w.job  # type: ignore[misc]
                        w.kill()
                        self.counts["children_killed"] += 1
                        err = errors.ParseTimeout(f"no result within {self.limits.timeout_s:g} s", path=path)
                        yield key, failure_from(err, path, sha)
        finally:
            for w in idle + busy:
                w.kill() if w in busy else w.stop()
