"""Build a ParsedDocument from the seed markdown the way the parser will see the PDF.

Until the parse stage exists this stands in for it: markup removed, superscript ordinals
kept as "11th", footnote markers removed from the text, links reduced to their text,
footnotes as blocks labelled "fn1", "fn2".
"""

from __future__ import annotations

import re
from pathlib import Path

from cami_extract.model import Block, CoverMeta, ParsedDocument

SEED = Path("/work/shared/seed/UNEP-CMS-CAMI3-Doc.7.md")


def clean(text: str) -> str:
    text = re.sub(r"(\d)<sup>(st|nd|rd|th)</sup>", r"\1\2", text)
    text = re.sub(r"<sup>\d+</sup>", "", text)  # footnote markers are removed by the parser
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def seed_document(path: Path = SEED) -> ParsedDocument:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    cover: list[str] = []
    in_cover = True
    for line in lines:
        if not line.strip() or line.strip() == "---":
            continue
        if in_cover and line.startswith("## "):
            in_cover = False
            blocks.append(Block(seq=0, kind="cover", label=None, text=clean(" ".join(cover))))
        if in_cover:
            cover.append(line)
            continue
        m_par = re.match(r"^(\d+)\.\s+(.*)$", line)
        m_fn = re.match(r"^<sup>(\d+)</sup>\s+(.*)$", line)
        if m_par:
            blocks.append(Block(seq=len(blocks), kind="paragraph", label=m_par.group(1), text=clean(m_par.group(2))))
        elif m_fn:
            blocks.append(
                Block(seq=len(blocks), kind="footnote", label=f"fn{m_fn.group(1)}", text=clean(m_fn.group(2)))
            )
        elif line.startswith("#") or (not line.startswith("-") and len(line) < 40):
            blocks.append(Block(seq=len(blocks), kind="heading", label=None, text=clean(line.lstrip("# "))))
        elif line.startswith("- ") and blocks and blocks[-1].kind == "paragraph":
            last = blocks[-1]
            last.text = f"{last.text} {clean(line[2:])}"
    cover_meta = CoverMeta(symbol="UNEP/CMS/CAMI3/Doc.7", issue_date="2025-05-28", original_language="English")
    return ParsedDocument(path=str(path), sha256="", size=0, pages=[], blocks=blocks, cover=cover_meta, language="en")
