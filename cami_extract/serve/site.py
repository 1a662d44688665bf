"""`cami serve`: Datasette 0.65.5 over the database, read-only, with our reconciliation endpoint inside.

One process, one port: Datasette serves the tables (metadata from ``metadata.py``) and an
in-process plugin (:class:`CamiPlugin`, registered on Datasette's plugin manager, no entry point
to install) mounts ``/reconcile`` and ``/entity/<id>`` from ``reconcile.py``.

A SQLite store is served as it is, opened immutable (``mode=ro&immutable=1``: Datasette never
writes it and takes no lock). A PostgreSQL store is first copied into a SQLite file
(:func:`sqlite_copy`), which is served the same way: Datasette reads only SQLite.
"""

from __future__ import annotations

import shutil
import signal
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl

from datasette import hookimpl
from datasette.utils.asgi import Response
from sqlalchemy import insert, select

from ..store.repository import Store
from ..store.schema import Base
from .metadata import blob_columns, datasette_metadata
from .reconcile import ReconcileIndex, encode, respond
from .register import REGISTER_NAME, register_metadata

# Rows copied per INSERT from PostgreSQL into the served SQLite copy (keeps memory flat).
COPY_BATCH = 2000
# The name the database has in Datasette's URLs (/cami/documents), whatever the file is called.
DATABASE_NAME = "cami"
RECONCILE_PATHS = ("/reconcile", "/entity/")


def sqlite_copy(source: Store, path: Path) -> Path:
    """Every table of ``source`` copied, row ids kept, into a new SQLite store at ``path``.

    The copy is a cami-extract database like any other (migrated schema, the full-text index
    built), so ids in Datasette are the ids `cami where` takes on the PostgreSQL store.
    """
    from ..audit.search import ensure_index

    dest = Store.open(str(path), create=True)
    try:
        with source.engine.connect() as src, dest.engine.begin() as out:
            # documents.superseded_by_id may point at a later row: check keys at commit.
            out.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            for table in Base.metadata.sorted_tables:
                result = src.execution_options(stream_results=True, yield_per=COPY_BATCH).execute(select(table))
                for batch in result.mappings().partitions(COPY_BATCH):
                    out.execute(insert(table), [dict(r) for r in batch])
        ensure_index(dest)
    finally:
        dest.close()
    return path


class CamiPlugin:
    """Datasette hooks: the reconciliation routes, and table pages without blob columns by default."""

    def __init__(self, index: ReconcileIndex, blobs: dict[str, list[str]]):
        self.index = index
        self.blobs = blobs  # table -> its BLOB columns (paragraphs.char_map)
        # Datasette lists plugins by module name (/-/plugins) and looks for static/ beside it.
        self.__name__ = "cami_extract.serve"

    @hookimpl
    def register_routes(self, datasette):
        async def reconcile_view(request):
            params = dict(parse_qsl(request.query_string))  # the last value of a repeated name wins
            if request.method == "POST":
                params.update(parse_qsl((await request.post_body()).decode("utf-8")))
            status, payload = respond(self.index, request.path, params, f"{request.scheme}://{request.host}")
            body, kind = encode(payload, params.get("callback"))
            # OpenRefine's page in the browser calls the endpoint from another origin.
            return Response(body, status=status, content_type=kind, headers={"Access-Control-Allow-Origin": "*"})

        return [(r"^/reconcile/?$", reconcile_view), (r"^/entity/(?P<id>.+)$", reconcile_view)]

    @hookimpl
    def skip_csrf(self, datasette, scope):
        # OpenRefine POSTs batches of queries without Datasette's CSRF token; these routes change nothing.
        return scope.get("type") == "http" and scope.get("path", "").startswith(RECONCILE_PATHS)

    @hookimpl
    def asgi_wrapper(self, datasette):
        """A table page (HTML, JSON, CSV) that names no columns leaves the blob columns out
        (``_nocol``): the char map is 20 bytes a character, base64 in JSON, and nobody reads it
        there (`cami where` does). ``?_col=char_map`` still shows it."""
        pages = {
            f"/{DATABASE_NAME}/{table}{suffix}": cols
            for table, cols in self.blobs.items()
            for suffix in ("", ".json", ".csv")
        }

        def wrap(app):
            async def without_blobs(scope, receive, send):
                cols = pages.get(scope.get("path", "")) if scope.get("type") == "http" else None
                if cols:
                    query = scope.get("query_string", b"").decode("latin-1")
                    names = {k for k, _ in parse_qsl(query, keep_blank_values=True)}
                    if not names & {"_col", "_nocol"}:
                        extra = "&".join(f"_nocol={c}" for c in cols)
                        scope = {**scope, "query_string": (f"{query}&{extra}" if query else extra).encode("latin-1")}
                await app(scope, receive, send)

            return without_blobs

        return wrap


@contextmanager
def served_file(store: Store) -> Iterator[tuple[Path, Path | None]]:
    """(the SQLite file to serve, the temporary folder of a copy or None), the index current.

    SQLite: the database itself, its full-text index brought up to date first (the only write,
    the one `cami search` makes, under the writer lock). PostgreSQL: a copy in a temporary
    folder, removed when the server stops.
    """
    from ..audit.search import ensure_index

    if store.engine.dialect.name == "sqlite":
        ensure_index(store)
        database = store.engine.url.database
        assert database  # a served store is a file: Store.open refuses an in-memory URL for reads
        yield Path(database), None
        return
    folder = Path(tempfile.mkdtemp(prefix="cami-serve-"))
    try:
        yield sqlite_copy(store, folder / f"{DATABASE_NAME}.sqlite"), folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def make_datasette(path: Path, index: ReconcileIndex, register: Path | None = None):
    """Datasette over ``path`` opened immutable, with the metadata and the plugin registered;
    ``register`` (serve/register.py) is served beside it for the activity facets."""
    from datasette.app import Database, Datasette
    from datasette.plugins import pm

    plugin = CamiPlugin(index, blob_columns(path))
    for old in [p for name, p in pm.list_name_plugin() if name == "cami_extract"]:
        pm.unregister(old)  # a second server in one process (tests) replaces the first's plugin
    pm.register(plugin, name="cami_extract")
    metadata = datasette_metadata(path, DATABASE_NAME)
    if register is not None:
        metadata["databases"][REGISTER_NAME] = register_metadata()
    ds = Datasette(files=[], metadata=metadata)
    # Immutable (sqlite3 ``?immutable=1``), as `datasette --immutable` opens a file: never written,
    # no lock taken. Named DATABASE_NAME in URLs whatever the file is called.
    ds.add_database(Database(ds, path=str(path), is_mutable=False), name=DATABASE_NAME)
    if register is not None:
        ds.add_database(Database(ds, path=str(register), is_mutable=False), name=REGISTER_NAME)
    return ds


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free one), so the URL printed is the one that answers."""
    sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.set_inheritable(True)
    return sock


class _Stopped(Exception):
    """SIGTERM, raised once uvicorn has shut down (it re-raises the signal it caught)."""


def _stop(signum, frame) -> None:
    raise _Stopped


def run(ds, sock: socket.socket) -> None:
    """Serve until Ctrl-C or SIGTERM, then return (so a PostgreSQL copy is removed)."""
    import uvicorn

    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on")
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
