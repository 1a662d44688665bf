"""Build a ParsedDocument from a corpus source text (corpus/src/*.txt) as the parser would.

Stand-in for the parse stage in extractor tests and gold checks: markup removed, ordinals
kept ("11th"), footnote markers removed, links reduced to their text, footnotes as blocks
"fn1"... placed after the body (the parser puts them at their page foot; block order only
matters for abbreviations, which prefer earlier full names and fall back to any).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from cami_extract.model import Block, CoverMeta, ParsedDocument

CORPUS_SRC = Path(__file__).resolve().parents[2] / "corpus" / "src"
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}


def clean(text: str) -> str:
    text = re.sub(r"(\d)<sup>(st|nd|rd|th)</sup>", r"\1\2", text)
    text = re.sub(r"<sup>\d+</sup>|\[\^\d+\]", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")").replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def _iso(date_text: str) -> str | None:
    m = re.match(r"(\d{1,2}) (\w+) (\d{4})", date_text.strip())
    if m and m.group(2).lower() in _MONTHS:
        return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
    return None


def src_document(path: Path) -> ParsedDocument:
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    fields = dict(re.findall(r"^(\w+): (.*)$", head, re.M))
    blocks: list[Block] = []
    cover_text = " ".join(
        clean(fields.get(k, "")) for k in ("meeting", "place", "symbol", "date", "agenda", "title", "summary")
    )
    blocks.append(Block(seq=0, kind="cover", label=None, text=cover_text.replace(" | ", " ")))
    notes: list[tuple[str, str]] = []
    for line in body.splitlines():
        line = line.rstrip()
        if not line:
            continue
        if m := re.match(r"^\[\^(\d+)\]:\s*(.*)$", line):
            notes.append((f"fn{m.group(1)}", clean(m.group(2))))
        elif m := re.match(r"^(\d+)\.\s+(.*)$", line):
            blocks.append(Block(seq=len(blocks), kind="paragraph", label=m.group(1), text=clean(m.group(2))))
        elif line.startswith("#"):
            blocks.append(Block(seq=len(blocks), kind="heading", label=None, text=clean(line.lstrip("# "))))
        elif line.startswith("- ") and blocks and blocks[-1].kind == "paragraph":
            blocks[-1].text += " " + clean(line[2:])
        elif blocks and blocks[-1].kind == "paragraph" and not line.startswith("|"):
            blocks[-1].text += " " + clean(line)
    for label, text in sorted(notes, key=lambda n: int(n[0][2:])):
        blocks.append(Block(seq=len(blocks), kind="footnote", label=label, text=text))
    cover = CoverMeta(symbol=fields.get("symbol"), issue_date=_iso(fields.get("date", "")))
    return ParsedDocument(
        path=str(path),
        sha256="",
        size=0,
        pages=[],
        blocks=blocks,
        cover=cover,
        language=(fields.get("language") or "en")[:2],
    )
