"""`cami serve` as a user starts it: Datasette and the reconciliation endpoint on one loopback port.

A real subprocess over the ingested corpus, on SQLite (served immutable) and on PostgreSQL
(served from a SQLite copy); every wait is bounded and the server must stop when asked.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cami_extract.serve.metadata import descriptions
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# Seconds to read the store (and copy a PostgreSQL one) and bind: about 5 s measured on 2 busy cores.
START_TIMEOUT = 60
REQUEST_TIMEOUT = 20
STOP_TIMEOUT = 20


@contextmanager
def serving(db: str) -> Iterator[dict[str, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cami_extract", "--db", db, "serve", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines: list[str] = []
        deadline = time.monotonic() + START_TIMEOUT
        while not any(line.startswith("reconciliation endpoint:") for line in lines):
            assert time.monotonic() < deadline, "server did not start"
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            lines.append(proc.stdout.readline() if proc.stdout else "")
        found = {line.split(": ", 1)[0]: line.split(": ", 1)[1].split()[0] for line in lines if ": " in line}
        yield found
    finally:
        proc.terminate()
        proc.wait(timeout=STOP_TIMEOUT)
    assert proc.returncode == 0  # stopped cleanly on SIGTERM, within the bound (a copy removed)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as r:
        assert r.status == 200
        return r.read().decode("utf-8")


def _json(url: str) -> dict:
    return json.loads(_get(url))


def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_cami_serve_is_datasette_with_metadata_search_queries_and_the_reconcile_endpoint(backend, request):
    db = request.getfixturevalue("corpus_sqlite" if backend == "sqlite" else "corpus_postgres")
    with serving(db) as printed:
        site, endpoint = printed["site"], printed["reconciliation endpoint"]
        assert site.startswith("http://127.0.0.1:") and endpoint == site + "reconcile"
        copy = printed.get("serving a SQLite copy of the PostgreSQL store")
        assert (copy is None) == (backend == "sqlite")
        served = db if backend == "sqlite" else copy
        assert served is not None
        before = _digest(served)

        # Every table and column carries its description from docs/schema.md.
        metadata = _json(site + "-/metadata.json")
        tables = metadata["databases"]["cami"]["tables"]
        assert {"documents", "paragraphs", "mentions", "activities", "entity_mentions", "pages"} <= tables.keys()
        for name, table in tables.items():
            assert table["description"], name
            assert all(table["columns"].values()), (name, [c for c, d in table["columns"].items() if not d])
        table_text, column_text = descriptions()
        page = _get(site + "cami/documents")
        assert html.escape(column_text["documents"]["symbol"], quote=False) in page
        assert html.escape(table_text["documents"], quote=False) in page

        # A mention's document is named by its symbol; facets on the type columns.
        mentions = _json(site + "cami/mentions.json?_shape=objects&_labels=on&_size=5")
        assert all(r["document_id"]["label"].startswith("UNEP/CMS/") for r in mentions["rows"])
        assert {"entity_type", "canonical"} <= mentions["facet_results"].keys()
        by_type = {f["value"]: f["count"] for f in mentions["facet_results"]["entity_type"]["results"]}
        assert by_type["species"] > 0 and by_type["funder"] > 0
        activities = _json(site + "cami/activities.json?_shape=objects&_size=1")
        assert "meeting" in {f["value"] for f in activities["facet_results"]["type"]["results"]}
        claims = _json(site + "cami/activity_claims.json?_shape=objects&_size=1")
        assert {"type", "country"} <= claims["facet_results"].keys()

        # The activity register beside the store: facets on what its activities name.
        assert printed["activity register"] == site + "register/activities"
        register = _json(site + "register/activities.json?_shape=objects&_size=1")
        facets = register["facet_results"]
        assert {"type", "species", "countries", "funders"} <= facets.keys()
        assert "Uncia uncia" in {f["value"] for f in facets["species"]["results"]}
        assert "International Climate Initiative" in {f["value"] for f in facets["funders"]["results"]}
        leopard = _json(site + "register/activities.json?_shape=objects&species__arraycontains=Uncia+uncia")
        assert leopard["rows"] and all("Uncia uncia" in json.loads(r["species"]) for r in leopard["rows"])

        # Full-text search through Datasette's own table search (the FTS5 index on paragraphs).
        hits = _json(site + "cami/paragraphs.json?" + urllib.parse.urlencode({"_search": "IKI", "_shape": "objects"}))
        assert hits["rows"] and all("IKI" in r["text"] for r in hits["rows"])

        # The blocks page shows no blob: no char_map column, no base64, in HTML or JSON.
        blocks = _json(site + "cami/paragraphs.json?_size=5")
        assert "char_map" not in blocks["columns"] and "$base64" not in json.dumps(blocks)
        blocks_page = _get(site + "cami/paragraphs")
        assert 'data-column="char_map"' not in blocks_page and "blob-download" not in blocks_page
        assert 'data-column="text"' in blocks_page
        asked = _json(site + "cami/paragraphs.json?_col=char_map&_size=1")  # still there when asked for
        assert asked["rows"][0][-1]["$base64"] is True

        # The canned queries: documents by symbol, mentions with their document's symbol.
        documents = _json(site + "cami/documents_by_symbol.json?_shape=objects&symbol=")
        symbols = [r["symbol"] for r in documents["rows"]]
        assert "UNEP/CMS/CAMI3/Doc.7" in symbols and symbols == sorted(symbols, key=lambda s: s or "")
        args = {"_shape": "objects", "symbol": "UNEP/CMS/CAMI3/Doc.7", "entity_type": "species"}
        species = _json(site + "cami/mentions_by_symbol.json?" + urllib.parse.urlencode(args))["rows"]
        assert species and {r["document"] for r in species} == {"UNEP/CMS/CAMI3/Doc.7"}
        # Its mention_id is what `cami where` takes, on the store itself (the copy keeps the ids).
        where = subprocess.run(
            [sys.executable, "-m", "cami_extract", "--db", db, "where", str(species[0]["mention_id"]), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        located = json.loads(where.stdout)
        assert (located["document"], located["text"], located["paragraph"]) == (
            "UNEP/CMS/CAMI3/Doc.7",
            species[0]["text"],
            species[0]["paragraph"],
        )

        # The reconciliation endpoint, in the same server.
        queries = json.dumps({"q0": {"query": "Snow Leopard", "limit": 3}})
        answer = _json(endpoint + "?" + urllib.parse.urlencode({"queries": queries}))
        first = answer["q0"]["result"][0]
        assert (first["name"], first["type"][0]["id"], first["match"]) == ("Uncia uncia", "species", True)

        assert _digest(served) == before  # Datasette wrote nothing
    if copy is not None:
        assert not Path(copy).exists()  # the copy went with the server
