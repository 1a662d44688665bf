"""A W3C Reconciliation Service API 0.2 endpoint (the version OpenRefine speaks), over rapidfuzz.

Why not datasette-reconcile: it depends on fuzzywuzzy and python-Levenshtein (GPL-2), which
the project's licence policy keeps out, reconciles one table at a time, and fails on Datasette
1.0a. This endpoint is small: candidates are read once from the store's export projections
(entities, activities, documents) into memory, so it never writes and never holds the database.
It is served by ``cami serve`` inside Datasette (``site.py`` mounts :func:`respond` as plugin
routes); this module knows nothing of the web server.

Endpoints (all GET or POST, form or query string; ``callback`` gives JSONP):
  /reconcile                   the service manifest
  /reconcile?queries={...}     {"q0": {"result": [{id, name, type, score, match}]}}
  /entity/<id>                 the candidate as JSON (the manifest's view URL)
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote

from rapidfuzz import fuzz

from ..export import rows
from ..store.repository import Store

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


def respond(index: ReconcileIndex, path: str, params: dict[str, str], base_url: str) -> tuple[int, object]:
    """(HTTP status, JSON payload) for one request to the endpoint; the web server only transports.

    ``path`` is the request path (``/reconcile``, ``/entity/<id>``), ``params`` the query string
    and form fields merged, ``base_url`` the site's own URL (for the manifest's view URL).
    """
    path = path.rstrip("/")
    if path == "/reconcile":
        if "queries" not in params:
            return 200, index.manifest(base_url)
        try:
            queries = json.loads(params["queries"])
            if not isinstance(queries, dict):
                raise ValueError("queries must be a JSON object")
        except ValueError as e:
            return 400, {"error": f"bad queries: {e}"}
        return 200, index.answer(queries)
    if path.startswith("/entity/"):
        c = index.by_id.get(unquote(path[len("/entity/") :]))
        if c is None:
            return 404, {"error": "no such id"}
        return 200, {**c.as_result(100.0, True), "names": c.names, **c.detail}
    return 404, {"error": "not found"}


def encode(payload: object, callback: str | None = None) -> tuple[bytes, str]:
    """(body, content type): JSON, or JSONP when ``callback`` is a plain JavaScript name."""
    body = json.dumps(payload, ensure_ascii=False)
    kind = "application/json"
    if callback and re.fullmatch(r"[\w.$]+", callback):
        body, kind = f"{callback}({body})", "application/javascript"
    return body.encode("utf-8"), f"{kind}; charset=utf-8"
