"""Run the unit of work on a Dask distributed cluster: the same sandbox, the same limits.

A Dask task here is a chunk of jobs handed to a sandboxed pool *on the worker*: the pool
is built there from a picklable factory (``functools.partial(ParsePool, 1, limits, ...)``),
so a hostile PDF kills a sandbox child, never the Dask worker, and the memory, CPU and
wall-clock limits are those of a local ingest. Workers only compute; the outcomes come back
to the client, which stores them through the store's safe writes (so any number of clients
may share one PostgreSQL database). Chunks are ``recycle_after`` jobs long: one sandbox
child's life, so a worker loads the parser (and the spaCy pipeline, where the pool's task
extracts) once per chunk rather than once per file.

Workers must see the input files at the same paths (a shared file system) and have
cami-extract installed from the same lock. Their processes must be allowed children:
``distributed.worker.daemon`` is set False for a LocalCluster here; on a real cluster start
workers with ``DASK_DISTRIBUTED__WORKER__DAEMON=False dask worker ADDRESS --nthreads 1``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .errors import DaskUnavailable, DistributedTaskFailed
from .model import Failure
from .parse.sandbox import failure_from

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 30  # a scheduler that does not answer in this time is unreachable
PoolFactory = Callable[[], Any]  # () -> an object with imap(jobs) -> Iterator[(key, outcome)]


def run_chunk(make_pool: PoolFactory, jobs: Sequence[Any]) -> list[tuple[int, Any]]:
    """On a Dask worker: run ``jobs`` in a sandboxed pool; every job gives one outcome."""
    return list(make_pool().imap(list(jobs)))


def _job_key_path_sha(job: Any) -> tuple[int, str, str | None]:
    if isinstance(job, tuple):
        return job[0], job[1], job[2]
    return job.key, job.path, getattr(job, "sha256", None)


def _lost(jobs: Sequence[Any], error: BaseException) -> Iterator[tuple[int, Failure]]:
    for job in jobs:
        key, path, sha = _job_key_path_sha(job)
        err = DistributedTaskFailed(f"the Dask task failed ({type(error).__name__}: {error})", path=path)
        yield key, failure_from(err, path, sha)


def dask_imap(
    jobs: Sequence[Any],
    make_pool: PoolFactory,
    *,
    scheduler: str = "",
    local_workers: int = 0,
    chunk_size: int = 25,
) -> Iterator[tuple[int, Any]]:
    """Yield ``(key, outcome)`` for every job, as chunks finish on the cluster.

    ``scheduler`` is a Dask scheduler address (``tcp://host:8786``); otherwise a LocalCluster
    of ``local_workers`` processes (one thread each) is started and stopped here.
    """
    import dask
    from distributed import Client, LocalCluster, as_completed

    # distributed logs its cluster's life at INFO on stderr; the batch's own log says what matters.
    quiet = logging.getLogger("distributed")
    if not log.isEnabledFor(logging.DEBUG):
        quiet.setLevel(logging.WARNING)

    chunks = [list(jobs[i : i + chunk_size]) for i in range(0, len(jobs), max(1, chunk_size))]
    with dask.config.set({"distributed.worker.daemon": False}):  # sandbox children need a non-daemon worker
        cluster = None
        try:
            if scheduler:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            else:
                cluster = LocalCluster(
                    n_workers=local_workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                client = Client(cluster)
        except (OSError, TimeoutError) as e:
            raise DaskUnavailable(f"cannot reach the Dask scheduler {scheduler!r} ({e})") from e
        try:
            futures = {client.submit(run_chunk, make_pool, chunk, pure=False): chunk for chunk in chunks}
            for future in as_completed(futures):
                try:
                    results = future.result()
                except Exception as e:  # a lost worker, or one without cami-extract: the batch goes on
                    log.warning("Dask task failed: %s", e)
                    yield from _lost(futures[future], e)
                    continue
                yield from results
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
