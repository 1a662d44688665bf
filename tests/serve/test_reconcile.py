"""The reconciliation endpoint as OpenRefine calls it: a real server on loopback, bounded in time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from cami_extract.serve.reconcile import ReconcileIndex, fold
from cami_extract.store.repository import Store
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# Seconds the server may take to read the store and bind (about 3 s measured on the 2-core machine).
START_TIMEOUT = 60
REQUEST_TIMEOUT = 10


@pytest.fixture(scope="module")
def index(corpus_sqlite):
    store = Store.open(corpus_sqlite)
    try:
        return ReconcileIndex.from_store(store)
    finally:
        store.close()


@pytest.mark.parametrize(
    "query, type_, first",
    [
        ("Snow Leopard", None, "Uncia uncia"),  # the gazetteer's canonical, not the Snow Leopard Trust
        ("snow leopards", "species", "Uncia uncia"),
        ("Przewalski's Horse", "species", "Equus ferus przewalskii"),
        ("Mongolia", "country", "MNG"),
        ("IKI", "organisation", "International Climate Initiative"),
        ("UNEP/CMS/CAMI3/Doc.7", "document", "UNEP/CMS/CAMI3/Doc.7"),
        ("Persian Leopard meeting", "activity", "1st Range States Meeting for the Persian Leopard (PL-RS1)"),
    ],
)
def test_first_candidate(index, query, type_, first):
    results = index.query(query, types=[type_] if type_ else None)
    assert results[0]["name"] == first
    assert results == sorted(results, key=lambda r: -r["score"])


def test_only_a_clear_winner_is_a_match(index):
    assert index.query("Snow Leopard")[0]["match"] is True
    assert index.query("Persian Leopard meeting", types=["activity"])[0]["match"] is False  # a guess: ask the user
    assert index.query("zzzz qqqq") == []


def test_fold_cases():
    assert fold("Przewalski’s  Horse") == fold("przewalskis horse") == "przewalskis horse"
    assert fold("Côte d'Ivoire") == "cote divoire"


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as r:
        return json.loads(r.read().decode("utf-8"))


def test_cami_serve_answers_openrefine_on_loopback_and_stops(corpus_sqlite):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cami_extract", "--db", corpus_sqlite, "serve", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        lines = []
        while not any(line.startswith("reconciliation endpoint:") for line in lines):
            assert time.monotonic() < deadline, "server did not start"
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            lines.append(proc.stdout.readline() if proc.stdout else "")
        site = next(line for line in lines if line.startswith("site:")).split()[1]
        endpoint = next(line for line in lines if line.startswith("reconciliation endpoint:")).split()[2]
        assert site.startswith("http://127.0.0.1:") and endpoint == site + "reconcile"
        manifest = _get(endpoint)
        assert {t["id"] for t in manifest["defaultTypes"]} == {
            "species",
            "country",
            "organisation",
            "document",
            "activity",
        }
        assert "{{id}}" in manifest["view"]["url"]
        queries = json.dumps(
            {"q0": {"query": "Snow Leopard", "limit": 3}, "q1": {"query": "Kazakhstan", "type": "country"}}
        )
        answer = _get(endpoint + "?" + urllib.parse.urlencode({"queries": queries}))
        first = answer["q0"]["result"][0]
        assert (first["name"], first["type"][0]["id"], first["match"]) == ("Uncia uncia", "species", True)
        assert answer["q1"]["result"][0]["name"] == "KAZ"
        # POST, as OpenRefine sends batches, and the view URL of the first candidate.
        req = urllib.request.Request(endpoint, data=urllib.parse.urlencode({"queries": queries}).encode())
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as r:
            assert json.loads(r.read())["q0"]["result"][0]["id"] == first["id"]
        entity = _get(manifest["view"]["url"].replace("{{id}}", first["id"]))
        assert "Snow Leopard" in entity["names"]
    finally:
        proc.terminate()
        proc.wait(timeout=REQUEST_TIMEOUT)
    assert proc.returncode is not None
