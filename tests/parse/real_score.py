"""Score the parser on real third-party PDFs against goldens written by reading the pages.

python tests/parse/real_score.py            # all goldens in tests/data/real/, one row each
python tests/parse/real_score.py --verbose  # also list every golden block missed and label invented

The goldens (tests/data/real/<stem>.json) were written blind, from the page images, by people
who did not see the parser's output; the PDFs stay outside the repository, in ../shared/real-pdfs/.
Per file the score reports:
  found      golden paragraphs and footnotes for which a block of the same kind has the same label
             and whose text starts with the golden's first words and ends with its last words
             (compared with all whitespace removed, so a text layer's stray spaces do not count)
  symbol     the cover symbol equals the golden's (None when the paper prints none)
  date       the issue date equals the golden's
  furniture  golden furniture strings (running headers, footers, job numbers) found inside a
             paragraph, heading or footnote of the page range (must be 0)
  invented   numbered blocks in the page range that the golden does not have (must be 0)
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cami_extract.model import FOOTNOTE, HEADING, PARAGRAPH, Block, ParsedDocument  # noqa: E402

GOLDEN_DIR = ROOT / "tests" / "data" / "real"
PDF_DIR = Path(os.environ.get("CAMI_SHARED_DIR") or ROOT.parent / "shared") / "real-pdfs"  # as tests/conftest.py SHARED
# A furniture string this short ("1", "ii", "-i-") also occurs in body text: it counts as a leak
# only as a whole word at a block's edge or either side of a page crossing, where page numbers leak.
SHORT_FURNITURE = 4


def squash(text: str) -> str:
    """Comparable form: NFKC, curly quotes and dashes made plain, all whitespace removed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": ""}))
    return re.sub(r"\s+", "", text)


def _kind_label(kind: str, label: str | None) -> tuple[str, str] | None:
    if label is None:
        return None
    if kind == FOOTNOTE:
        return FOOTNOTE, label.removeprefix("fn")
    return kind, label


@dataclass
class FileScore:
    stem: str
    golden_blocks: int = 0
    found: int = 0
    symbol_right: bool = False
    date_right: bool = False
    furniture_leaks: int = 0
    invented: int = 0
    parsed_symbol: str | None = None
    parsed_date: str | None = None
    missed: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    invented_labels: list[str] = field(default_factory=list)


def _in_range(block: Block, first: int, last: int) -> bool:
    return block.page is not None and first <= block.page <= last


def _page_crossings(block: Block) -> list[int]:
    return [i for i in range(1, len(block.chars)) if block.chars[i].page != block.chars[i - 1].page]


def _edge_tokens(block: Block) -> list[str]:
    """The first and last words of a block and the words either side of each page crossing."""
    text = block.text
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    if not words:
        return []
    # a heading's first word is its own section number ("2 Background"), not a page number
    picked = [words[-1][1]] if block.kind == HEADING else [words[0][1], words[-1][1]]
    for i in _page_crossings(block):
        before = [w for s, w in words if s < i]
        after = [w for s, w in words if s >= i]
        picked += before[-1:] + after[:1]
    return picked


def _leaks(furniture: str, block: Block) -> bool:
    f = " ".join(furniture.split())
    if len(f) >= SHORT_FURNITURE and not f.isdigit():
        return bool(re.search(rf"(?<!\S){re.escape(f)}(?!\S)", " ".join(block.text.split())))
    return f in _edge_tokens(block)


def score(golden: dict, doc: ParsedDocument) -> FileScore:
    first, last = golden["pages"]
    s = FileScore(stem=Path(golden["file"]).stem)
    blocks = [b for b in doc.blocks if _in_range(b, first, last)]
    by_key: dict[tuple[str, str], list[Block]] = {}
    for b in blocks:
        key = _kind_label(b.kind, b.label)
        if key and b.kind in (PARAGRAPH, FOOTNOTE):
            by_key.setdefault(key, []).append(b)
    wanted: Counter[tuple[str, str]] = Counter()
    for g in golden["blocks"]:
        key = (g["kind"], str(g["label"]))
        wanted[key] += 1
        s.golden_blocks += 1
        head, tail = squash(g["first"]), squash(g["last"])
        if any(squash(b.text).startswith(head) and squash(b.text).endswith(tail) for b in by_key.get(key, [])):
            s.found += 1
        else:
            got = [b.text[:60] + " … " + b.text[-40:] for b in by_key.get(key, [])]
            s.missed.append(f"{g['kind']} {g['label']} p{g['page']}: {g['first']!r} … {g['last']!r}; got {got}")
    for key, got in by_key.items():
        extra = len(got) - wanted.get(key, 0)
        if extra > 0:
            s.invented += extra
            s.invented_labels.append(f"{key[0]} {key[1]} x{extra} (p{got[0].page}: {got[0].text[:50]!r})")
    for f in golden.get("furniture", []):
        for b in blocks:
            if b.kind in (PARAGRAPH, HEADING, FOOTNOTE) and _leaks(f, b):
                s.furniture_leaks += 1
                s.leaks.append(f"{f!r} in {b.kind} {b.label} p{b.page}: {b.text[:70]!r}")
    s.parsed_symbol, s.parsed_date = doc.cover.symbol, doc.cover.issue_date
    norm = lambda v: squash(v) if v else None  # noqa: E731
    s.symbol_right = norm(doc.cover.symbol) == norm(golden.get("symbol"))
    s.date_right = doc.cover.issue_date == golden.get("issue_date")
    return s


def goldens() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLDEN_DIR.glob("*.json"))]


def score_all(parse=None) -> list[FileScore]:
    if parse is None:
        from cami_extract.parse import parse_pdf as parse
    return [score(g, parse(PDF_DIR / g["file"])) for g in goldens()]


def summary(scores: list[FileScore]) -> dict[str, float]:
    total = sum(s.golden_blocks for s in scores)
    return {
        "found": sum(s.found for s in scores) / total if total else 1.0,
        "found_n": sum(s.found for s in scores),
        "golden_n": total,
        "symbol_right": sum(s.symbol_right for s in scores),
        "date_right": sum(s.date_right for s in scores),
        "files": len(scores),
        "furniture_leaks": sum(s.furniture_leaks for s in scores),
        "invented": sum(s.invented for s in scores),
    }


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    if not PDF_DIR.is_dir():
        print(f"{PDF_DIR} is absent: nothing to score")
        return 1
    scores = score_all()
    print(f"{'file':58} {'found':>9} {'symbol':>6} {'date':>5} {'furn':>5} {'invent':>6}")
    for s in scores:
        print(
            f"{s.stem:58} {s.found:>4}/{s.golden_blocks:<4} {'ok' if s.symbol_right else 'NO':>6} "
            f"{'ok' if s.date_right else 'NO':>5} {s.furniture_leaks:>5} {s.invented:>6}"
        )
        if verbose:
            print(f"    symbol={s.parsed_symbol!r} date={s.parsed_date!r}")
            for line in s.missed + s.leaks + s.invented_labels:
                print("    -", line)
    t = summary(scores)
    print(
        f"TOTAL found {t['found_n']}/{t['golden_n']} = {t['found']:.1%}; symbol {t['symbol_right']}/{t['files']}; "
        f"date {t['date_right']}/{t['files']}; furniture {t['furniture_leaks']}; invented {t['invented']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
