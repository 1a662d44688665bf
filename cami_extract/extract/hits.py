"""Candidate mentions as the spaCy components leave them on a ``Doc``.

The components are block-level and stateless; they write :class:`Hit` records to
``doc._.cami_hits``. The document-level resolver (:mod:`.document`) turns hits into
:class:`~cami_extract.model.Mention` records once the whole document has been seen
(definitions in footnotes, acronyms defined later, abbreviations defined earlier).
Hits keep character offsets because regex grammars (dates, codes) need not align
with spaCy tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc


@dataclass(slots=True)
class Hit:
    entity_type: str
    start: int
    end: int
    canonical: str
    extractor: str
    confidence: float = 1.0
    attrs: dict[str, str] = field(default_factory=dict)


if not Doc.has_extension("cami_hits"):
    # default None, not [], because a default list would be shared by every Doc
    Doc.set_extension("cami_hits", default=None)


def hits_of(doc: Doc) -> list[Hit]:
    if doc._.cami_hits is None:
        doc._.cami_hits = []
    return doc._.cami_hits


def text_of(doc: Doc) -> str:
    """``doc.text``, joined once: spaCy rebuilds it from the tokens on every access, which the
    components of a block did seven times (a quarter of the extraction time on the seed)."""
    text = doc.user_data.get("cami_text")
    if text is None:
        text = doc.user_data["cami_text"] = doc.text
    return text


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def keep_longest(hits: list[Hit]) -> list[Hit]:
    """Drop hits covered by a longer hit of the same type (earliest-longest wins)."""
    ordered = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for hit in ordered:
        if hit.entity_type == "document_code":
            # the code grammar yields no nested matches; a range yields items inside its span
            kept.append(hit)
            continue
        # identical spans with different canonicals are kept: an expanded range
        # ("Decisions 13.113 to 13.116") yields several values from one span
        if any(
            k.entity_type == hit.entity_type
            and overlaps(k.start, k.end, hit.start, hit.end)
            and (k.start, k.end) != (hit.start, hit.end)
            for k in kept
        ):
            continue
        kept.append(hit)
    return kept
