"""A W3C Reconciliation Service API 0.2 endpoint (the version OpenRefine speaks), over rapidfuzz.

Why not datasette-reconcile: it depends on fuzzywuzzy and python-Levenshtein (GPL-2), which
the project's licence policy keeps out, and it needs Datasette, which is not in the lock. This
endpoint is small: candidates are read once from the store's export projections (entities,
activities, documents) into memory, so the server never writes and never holds the database.

Endpoints (all GET or POST, form or query string; ``callback`` gives JSONP):
  /reconcile                   the service manifest
  /reconcile?queries={...}     {"q0": {"result": [{id, name, type, score, match}]}}
  /entity/<id>                 the candidate as JSON (the manifest's view URL)
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

from rapidfuzz import fuzz

from ..export import rows
from ..store.repository import Store

log = logging.getLogger(__name__)

# Reconciliation types: (id, name). Organisations are funders and organisers, as the entities table has them.
TYPES = [
    ("species", "Species"),
    ("country", "Country"),
    ("organisation", "Organisation"),
    ("document", "Document"),
    ("activity", "Activity"),
]
DEFAULT_LIMIT = 5
# A candidate is a "match" (OpenRefine accepts it without asking) at this score when no other
# candidate comes within MATCH_MARGIN of it. 100 is an exact name after case and accent folding;
# "Snow Leopard" against "Snow Leopard Trust" scores 80 with fuzz.ratio, so 95 leaves room for
# a missing hyphen or plural and none for another name that merely contains the query.
MATCH_SCORE = 95.0
MATCH_MARGIN = 10.0
# Candidates scoring below this are not returned at all (measured: unrelated corpus names score < 50).
MIN_SCORE = 50.0
# Activity titles are long ("1st Range States Meeting for the Persian Leopard (PL-RS1)") and
# users type a few of their words: for activities the token-set ratio counts too, discounted so
# an exact title still ranks first.
ACTIVITY_TOKEN_WEIGHT = 0.9
IDENTIFIER_SPACE = "http://localhost/cami-extract/entity/"
SCHEMA_SPACE = "http://localhost/cami-extract/type/"


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing folded: "Przewalski’s Horse" ~ "przewalskis horse"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s]", "", text).split())


@dataclass(slots=True)
class Candidate:
    id: str
    name: str
    type: str
    names: list[str]  # the name, aliases, acronyms, titles: every form a user may type
    weight: int = 0  # mentions or sources: breaks ties towards the better attested
    detail: dict = field(default_factory=dict)

    def as_result(self, score: float, match: bool) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "type": [{"id": self.type, "name": dict(TYPES)[self.type]}],
            "score": round(score, 2),
            "match": match,
        }


class ReconcileIndex:
    """Every candidate, read once from the store."""

    def __init__(self, candidates: list[Candidate]):
        self.candidates = sorted(candidates, key=lambda c: c.id)
        self.by_id = {c.id: c for c in self.candidates}
        self._folded = [(c, sorted({fold(n) for n in c.names if n})) for c in self.candidates]

    @classmethod
    def from_store(cls, store: Store) -> ReconcileIndex:
        out = []
        for e in rows(store, "entities"):
            if e["type"] not in ("species", "country", "organisation", "document"):
                continue
            out.append(
                Candidate(
                    id=e["entity_id"],
                    name=e["name"],
                    type=e["type"],
                    names=[e["name"], *e["aliases"], *e["acronyms"]],
                    weight=e["mention_count"],
                    detail={"mentions": e["mention_count"], "aliases": e["aliases"], "acronyms": e["acronyms"]},
                )
            )
        cited = {c.name for c in out if c.type == "document"}
        for d in rows(store, "documents"):
            if d["symbol"] and d["symbol"] not in cited:
                out.append(
                    Candidate(
                        id="doc_" + d["sha256"][:16],
                        name=d["symbol"],
                        type="document",
                        names=[d["symbol"], d["title"] or ""],
                        detail={"title": d["title"], "sha256": d["sha256"], "language": d["language"]},
                    )
                )
        for a in rows(store, "activities"):
            out.append(
                Candidate(
                    id=a["activity_id"],
                    name=a["title"],
                    type="activity",
                    names=[a["title"]],
                    weight=len(a["sources"]),
                    detail={k: a[k] for k in ("type", "start", "end", "place", "status", "sources")},
                )
            )
        return cls(out)

    def query(self, text: str, *, types: list[str] | None = None, limit: int = DEFAULT_LIMIT) -> list[dict]:
        """Candidates for one query, best first: score, then weight, then type order, then id."""
        q = fold(text)
        if not q:
            return []
        order = {t: i for i, (t, _) in enumerate(TYPES)}
        scored = []
        for c, names in self._folded:
            if types and c.type not in types:
                continue
            score = max((fuzz.ratio(q, n) for n in names), default=0.0)
            if c.type == "activity":
                score = max(score, ACTIVITY_TOKEN_WEIGHT * max(fuzz.token_set_ratio(q, n) for n in names))
            if score >= MIN_SCORE:
                scored.append((score, c))
        scored.sort(key=lambda sc: (-sc[0], -sc[1].weight, order[sc[1].type], sc[1].id))
        scored = scored[: max(1, limit)]
        results = []
        for i, (score, c) in enumerate(scored):
            runner_up = scored[1][0] if len(scored) > 1 else 0.0
            match = i == 0 and score >= MATCH_SCORE and score - runner_up >= MATCH_MARGIN
            results.append(c.as_result(score, match))
        return results

    def manifest(self, base_url: str) -> dict:
        return {
            "versions": ["0.1", "0.2"],
            "name": "cami-extract register",
            "identifierSpace": IDENTIFIER_SPACE,
            "schemaSpace": SCHEMA_SPACE,
            "defaultTypes": [{"id": t, "name": n} for t, n in TYPES],
            "view": {"url": f"{base_url}/entity/{{{{id}}}}"},
        }

    def answer(self, queries: dict) -> dict:
        out = {}
        for key, q in queries.items():
            if isinstance(q, str):
                q = {"query": q}
            t = q.get("type")
            types = [t] if isinstance(t, str) else list(t or []) or None
            try:
                limit = int(q.get("limit") or DEFAULT_LIMIT)
            except (TypeError, ValueError):
                limit = DEFAULT_LIMIT
            out[key] = {"result": self.query(str(q.get("query", "")), types=types, limit=limit)}
        return out


class _Handler(BaseHTTPRequestHandler):
    index: ReconcileIndex  # set on the subclass made by make_server

    def log_message(self, format: str, *args) -> None:
        log.info("%s " + format, self.address_string(), *args)

    def _params(self) -> dict[str, str]:
        parsed = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            params.update({k: v[-1] for k, v in parse_qs(body).items()})
        return params

    def _send(self, status: int, payload, callback: str | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False)
        kind = "application/json"
        if callback and re.fullmatch(r"[\w.$]+", callback):
            body, kind = f"{callback}({body})", "application/javascript"
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")  # OpenRefine's browser page calls it
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        path = urlparse(self.path).path.rstrip("/")
        params = self._params()
        callback = params.get("callback")
        if path == "/reconcile":
            if "queries" not in params:
                host = self.headers.get("Host") or "127.0.0.1"
                self._send(200, self.index.manifest(f"http://{host}"), callback)
                return
            try:
                queries = json.loads(params["queries"])
                if not isinstance(queries, dict):
                    raise ValueError("queries must be a JSON object")
            except ValueError as e:
                self._send(400, {"error": f"bad queries: {e}"}, callback)
                return
            self._send(200, self.index.answer(queries), callback)
        elif path.startswith("/entity/"):
            c = self.index.by_id.get(unquote(path[len("/entity/") :]))
            if c is None:
                self._send(404, {"error": "no such id"}, callback)
            else:
                self._send(200, {**c.as_result(100.0, True), "names": c.names, **c.detail}, callback)
        elif path == "":
            self._send(200, {"reconcile": "/reconcile", "entity": "/entity/<id>", "types": dict(TYPES)}, callback)
        else:
            self._send(404, {"error": "not found"}, callback)

    do_GET = _handle
    do_POST = _handle


def make_server(index: ReconcileIndex, host: str = "127.0.0.1", port: int = 8001) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0: any free port); call serve_forever() and shutdown()."""
    handler = type("ReconcileHandler", (_Handler,), {"index": index})
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(index: ReconcileIndex, host: str = "127.0.0.1", port: int = 0):
    """(server, thread) running in the background; for tests and notebooks."""
    server = make_server(index, host, port)
    thread = threading.Thread(target=server.serve_forever, name="cami-reconcile", daemon=True)
    thread.start()
    return server, thread
