"""Stable ids, derived from content (never from insertion order or the clock).

An id is a short prefix plus the first 16 hex digits of a sha256 over the parts that make the
record what it is, so re-ingesting the same files in any order gives the same ids.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

ID_HEX = 16  # 64 bits: no collision expected below ~10^9 records of one kind


def stable_id(prefix: str, *parts: object) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return f"{prefix}_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:ID_HEX]}"


def claim_id(document_sha256: str, paragraph: str | None, block_seq: int, index: int) -> str:
    return stable_id("clm", document_sha256, paragraph, block_seq, index)


def source_key(document: str, language: str | None, paragraph: str | None, index: int) -> str:
    """What a claim is about across versions of its report: the report and the paragraph.

    A new version of a report has a new sha256 (new claim ids) but the same source keys, so
    the activity it belongs to keeps its id.
    """
    return f"{document}|{language or ''}|{paragraph or ''}|{index}"


def activity_id(member_source_keys: list[str]) -> str:
    # The smallest source key names the component: any member would do, the minimum is the
    # one every ingest order agrees on.
    return stable_id("act", min(member_source_keys))


def entity_id(entity_type: str, key: str) -> str:
    return stable_id("ent", entity_type, key)


def link_id(claim_a: str, claim_b: str) -> str:
    a, b = sorted((claim_a, claim_b))
    return stable_id("lnk", a, b)


def conflict_id(activity: str, field: str) -> str:
    return stable_id("cfl", activity, field)


@lru_cache(maxsize=1 << 16)  # the reconciler folds the same few thousand names for every pair
def name_key(text: str) -> str:
    """A folded form of a name for comparison: accents off, lower case, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())
