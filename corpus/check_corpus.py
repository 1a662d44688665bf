#!/usr/bin/env python3
"""Check the typeset corpus PDFs (run after make_corpus.py).

    /work/main/.venv/bin/python corpus/check_corpus.py [PDF ...]

For every PDF listed in corpus/MANIFEST.csv (or given on the command line) it
reports: pages, size, text layer, embedded fonts, running header (symbol) on
pages 2+ and none on the cover, page number in the footer, footnotes (small
type below a separator rule at the page foot), link annotations, superscripts,
hyphenated line ends (with paragraph number and page) and numbered paragraphs
that continue across a page break.  Exit status 1 if a hard check fails.
Needs pdfplumber (in the project venv).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pdfplumber

HERE = Path(__file__).resolve().parent
BODY_MIN, BODY_MAX = 10.5, 11.5  # body text size (pt)


def fonts_embedded(pdf) -> dict:
    out = {}
    for page in pdf.pages:
        res = page.page_obj.resources or {}
        fonts = res.get("Font")
        fonts = fonts.resolve() if hasattr(fonts, "resolve") else fonts
        for ref in (fonts or {}).values():
            f = ref.resolve() if hasattr(ref, "resolve") else ref
            name = str(f.get("BaseFont"))
            desc = f.get("FontDescriptor")
            if desc is None and f.get("DescendantFonts"):
                d0 = f["DescendantFonts"]
                d0 = d0.resolve() if hasattr(d0, "resolve") else d0
                d0 = d0[0].resolve() if hasattr(d0[0], "resolve") else d0[0]
                desc = d0.get("FontDescriptor")
            desc = desc.resolve() if hasattr(desc, "resolve") else desc
            out[name] = bool(desc) and any(k in desc for k in ("FontFile", "FontFile2", "FontFile3"))
    return out


def body_lines(page):
    """Text lines of the page body (no header/footer, no footnotes), with size."""
    lines = []
    for ln in page.extract_text_lines(return_chars=True):
        sizes = [c["size"] for c in ln["chars"] if c["text"].strip()]
        if not sizes:
            continue
        size = max(set(sizes), key=sizes.count)
        lines.append({"text": ln["text"], "top": ln["top"], "x0": ln["x0"], "size": size})
    return lines


def check(pdf_path: Path, symbol: str | None) -> bool:
    ok = True
    print(f"== {pdf_path.name} ({pdf_path.stat().st_size // 1024} KiB)")
    with pdfplumber.open(pdf_path) as pdf:
        n = len(pdf.pages)
        print(f"   pages: {n}, A4: {all(abs(p.width - 595.3) < 2 and abs(p.height - 841.9) < 2 for p in pdf.pages)}")
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        print(f"   text layer: {len(text)} characters")
        ok &= len(text) > 500
        fe = fonts_embedded(pdf)
        listing = ", ".join(k + ("" if v else " (NOT EMBEDDED)") for k, v in sorted(fe.items()))
        print(f"   fonts: {listing}")
        ok &= all(fe.values())
        # running header / footer
        p1 = pdf.pages[0]
        head1 = p1.within_bbox((0, 0, p1.width, 60)).extract_text() or ""
        cover_ok = symbol is None or symbol not in head1
        hdr, ftr = [], []
        for i, p in enumerate(pdf.pages[1:], start=2):
            top = p.within_bbox((p.width / 2, 0, p.width, 60)).extract_text() or ""
            bottom = p.within_bbox((0, p.height - 60, p.width, p.height)).extract_text() or ""
            hdr.append(symbol is None or top.strip() == symbol)
            ftr.append(bottom.strip() == str(i))
        print(
            f"   cover without running header: {cover_ok}; header '{symbol}' on pages 2+: {all(hdr)}; "
            f"page number in footer on pages 2+: {all(ftr)}"
        )
        ok &= cover_ok and all(hdr) and all(ftr)
        # footnotes, links, superscripts, hyphenation, cross-page paragraphs
        notes, links, sups, hyph, cross = [], 0, 0, [], []
        current_para, _last_kind = None, None
        for i, p in enumerate(pdf.pages, start=1):
            links += len(p.hyperlinks)
            rules = [
                r
                for r in p.lines + p.rects
                if 60 < r["width"] < 150 and r["height"] < 1.5 and r["top"] > p.height * 0.4
            ]
            lines = [ln for ln in body_lines(p) if 60 < ln["top"] < p.height - 60]
            for ln in lines:
                if ln["size"] < 9.5 and rules and ln["top"] > min(r["top"] for r in rules):
                    m = re.match(r"^(\d+)\s", ln["text"])
                    if m:
                        notes.append((m.group(1), i))
            chars = [c for c in p.chars if c["text"].strip()]
            sups += sum(1 for c in chars if 5 < c["size"] < 8 and c["text"].isalnum())
            if i == 1:
                continue
            body = [ln for ln in lines if BODY_MIN <= ln["size"] <= BODY_MAX]
            for k, ln in enumerate(body):
                m = re.match(r"^(\d+)\.\s", ln["text"])
                if m and ln["x0"] < 75:
                    current_para = int(m.group(1))
                    if k == 0:
                        pass
                elif k == 0 and current_para is not None and ln["x0"] > 80 and not re.match(r"^\d+\.", ln["text"]):
                    cross.append((current_para, i - 1, i))
                if re.search(r"[a-zà-ÿ]-$", ln["text"]) and current_para is not None:
                    nxt = body[k + 1]["text"] if k + 1 < len(body) else ""
                    word = ln["text"].rsplit(" ", 1)[-1]
                    hyph.append((current_para, i, word + (nxt.split(" ", 1)[0] if nxt else "")))
        print(f"   footnotes at page foot (number, page): {notes}")
        print(f"   link annotations: {links}; superscript glyphs: {sups}")
        print(f"   hyphenated line ends (para, page, word): {hyph}")
        print(f"   paragraphs continuing across a page break (para, from page, to page): {cross}")
    return ok


def main(argv: list) -> int:
    targets = []
    if argv:
        targets = [(Path(a), None) for a in argv]
    else:
        with open(HERE / "MANIFEST.csv", encoding="utf-8") as f:
            targets = [(HERE / r["file"], r["symbol"]) for r in csv.DictReader(f)]
    ok = True
    for path, symbol in targets:
        ok &= check(path, symbol)
    print("ALL CHECKS PASSED" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
