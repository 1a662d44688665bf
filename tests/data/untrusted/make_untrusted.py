"""A PDF whose text carries control characters, as a hostile ToUnicode map can make it.

The font is plain Helvetica; its /ToUnicode CMap maps five letters to characters no paper
should print: X -> ESC (U+001B), Y -> NUL, J -> BEL, Z -> RLO (U+202E), Q -> BOM (U+FEFF).
So the page shows ordinary glyphs while the extracted text holds ``ESC[31m`` (a terminal's
"turn red") and friends. Deterministic: ``python tests/data/untrusted/make_untrusted.py``.
"""

from __future__ import annotations

from pathlib import Path

from tests.data.hostile.make_hostile import MEDIABOX, _text_content, build_pdf, stream_obj

HERE = Path(__file__).resolve().parent
CONTROL_CHARS_PDF = HERE / "control-chars.pdf"

# letter in the content stream -> the code point the ToUnicode map gives it
MAPPED = {"X": "\x1b", "Y": "\x00", "J": "\x07", "Z": "\u202e", "Q": "\ufeff"}

LINES = [
    "UNEP/CMS/COP99/Doc.1",
    "Distr: General",
    "1. An alert X[31mREDX[0m in paragraph one, with a Y null and a J bell.",
    "2. Reversed Zgnirts and a Q byte order mark in paragraph two.",
]


def _cmap() -> bytes:
    entries = "\n".join(f"<{ord(k):02X}> <{ord(v):04X}>" for k, v in MAPPED.items())
    text = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(MAPPED)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return text.encode("latin-1")


def control_chars() -> bytes:
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>"
    objs: dict[int, str | bytes] = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox {MEDIABOX} /Resources << /Font << /F1 6 0 R >> >> "
        "/Contents 4 0 R >>",
        4: stream_obj(_text_content(LINES)),
        5: stream_obj(_cmap()),
        6: font,
    }
    return build_pdf(objs, "/Root 1 0 R")


if __name__ == "__main__":
    CONTROL_CHARS_PDF.write_bytes(control_chars())
    print(CONTROL_CHARS_PDF)
