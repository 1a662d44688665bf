"""Tables: a column header gives every cell under it a role.

The parser writes a table row as one block labelled ``t{n}.r{m}`` whose cells are joined
by `` | `` (parse/layout.py). In prose a funder is named next to a cue ("funded by"); in a
table the cue is the header of the column ("Funding", "Donor(s)", "Source of funds") or,
in a two-column key/value table, the first cell of the row. This module finds those cells
for the whole document before the spaCy pass, so the block-level funder component can
read them as it reads the words after "funded by".

A table that continues on the next page without repeating its header is parsed as the next
table; it inherits the funding column of the previous table when it has as many columns
and its first row is not a header.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import TABLE_ROW, Block

CELL_SEP = " | "
_ROW = re.compile(r"^t(\d+)\.r(\d+)$")

# a header naming who pays ...
_FUNDING_HEADER = re.compile(
    r"\b(?:fund(?:ing|ed|ers?|s)?|co-?financ\w*|financ\w*|donors?|sponsors?|sponsorship|contributors?|"
    # "Support received", "Appui", "Apoyo recibido": who backed the row (not "Technical support")
    r"support(?:ers?|ed)?|appuis?|soutiens?|apoyos?|"
    r"contributeurs?|contributrices?|aportantes?|"
    r"donateurs?|donatrices?|bailleurs?|donantes?|patrocinador(?:es)?)\b",
    re.I,
)
# ... not how much, whether, or when ("Funding required (USD)", "Funding status")
_NOT_WHO = re.compile(
    r"\b(?:amount|amounts|gap|gaps|needs?|needed|required|requirements?|status|budget|costs?|total|"
    r"secured|usd|eur|chf|date|dates|period|year|years|technical support|(?:appui|soutien) technique|apoyo técnico|"
    r"montants?|besoins?|statut|coûts?|période|année|monto|montos|necesidades|estado|presupuesto|costos?|periodo|año)\b|[$€£]",
    re.I,
)

# a funding cell that says the money was the implementer's own, and the implementer's column
_OWN_FUNDS = re.compile(
    r"(?:own (?:funds|resources|budget)|fonds propres|ressources propres|"
    r"(?:recursos|fondos) propios)\b",
    re.I,
)
_IMPLEMENTER_HEADER = re.compile(
    r"\b(?:implement\w*|mise en œuvre|mise en oeuvre|exécution|ejecuci[oó]n|ejecutor\w*|"
    r"lead|responsables?|carried out by|réalisé par|realizado por)\b",
    re.I,
)

if not Doc.has_extension("cami_funding_cells"):
    # [(start_char, end_char), ...] of the block's cells in a funding column, or None
    Doc.set_extension("cami_funding_cells", default=None)


def cell_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the cells of a row text "a | b | c" (separators excluded)."""
    spans, start = [], 0
    while True:
        k = text.find(CELL_SEP, start)
        if k < 0:
            spans.append((start, len(text)))
            return spans
        spans.append((start, k))
        start = k + len(CELL_SEP)


def is_funding_header(cell: str) -> bool:
    cell = cell.strip()
    return bool(cell) and len(cell) <= 60 and bool(_FUNDING_HEADER.search(cell)) and not _NOT_WHO.search(cell)


def funding_cells(blocks: list[Block]) -> dict[int, list[tuple[int, int]]]:
    """Block index -> the character spans of its cells that name funders."""
    tables: dict[int, list[tuple[int, int, Block]]] = {}
    for bi, block in enumerate(blocks):
        m = _ROW.match(block.label or "") if block.kind == TABLE_ROW else None
        if m:
            tables.setdefault(int(m.group(1)), []).append((int(m.group(2)), bi, block))
    out: dict[int, list[tuple[int, int]]] = {}
    previous: tuple[int, int] | None = None  # (column count, funding column) of the last table
    for n in sorted(tables):
        rows = sorted(tables[n], key=lambda r: r[0])
        header = [rows[0][2].text[s:e] for s, e in cell_spans(rows[0][2].text)]
        columns = [i for i, cell in enumerate(header) if is_funding_header(cell)]
        implementers = [i for i, cell in enumerate(header) if _IMPLEMENTER_HEADER.search(cell)]
        body = rows[1:]
        if len(header) == 2 and columns == [0]:
            columns, body = [], rows  # key/value table: "Donor | Government of Switzerland"
        elif not columns and previous and previous[0] == len(header):
            columns, body = [previous[1]], rows  # a continuation: its first row is data
        elif not columns:
            body = rows
        previous = (len(header), columns[0]) if columns else None
        for _, bi, block in body:
            spans = cell_spans(block.text)
            cells = [spans[i] for i in columns if i < len(spans)]
            if not columns and len(spans) >= 2 and is_funding_header(block.text[spans[0][0] : spans[0][1]]):
                cells = spans[1:]  # a row whose first cell is its key
            cells = [(s, e) for s, e in cells if block.text[s:e].strip()]
            if len(cells) == 1 and _OWN_FUNDS.match(block.text[cells[0][0] : cells[0][1]].strip()):
                # "NATURAMA | Fonds propres": who carried the activity out paid for it
                cells = [spans[i] for i in implementers if i < len(spans)] or cells
            if cells:
                out[bi] = cells
    return out
