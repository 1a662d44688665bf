"""Score OCR on scans of corpus papers: do a scanned paper's numbered paragraphs and footnotes
come back with their labels and their text?

python tests/parse/scan_score.py                 # the three papers tests/parse/test_scans.py scores
python tests/parse/scan_score.py STEM [STEM ...]  # corpus/<STEM>.pdf, scored against its parse golden
python tests/parse/scan_score.py tests/data/variants/twocol/UNEP-CMS-CAMI3-Doc.7.pdf  # any typesetting

Each paper is scanned at test time (every page rendered by pdftoppm at SCAN_DPI in grey, the
images wrapped by Pillow into a PDF with no text layer: what an office scanner gives), parsed with
``ocr="auto"`` and compared with its parse golden (tests/data/golden/<stem>.json). A golden
numbered paragraph or footnote counts as found when a block of the same kind has the same label
and its words match the golden's with a similarity of at least MIN_WORD_SIMILARITY.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cami_extract.model import FOOTNOTE, PARAGRAPH, ParsedDocument  # noqa: E402

CORPUS = ROOT / "corpus"
GOLDEN_DIR = ROOT / "tests" / "data" / "golden"
SCANNED_PAPERS = ("UNEP-CMS-CAMI3-Doc.7", "UNEP-CMS-COP14-Doc.28.2.1", "UNEP-CMS-ScC-SC6-Inf.9")
SCAN_DPI = 200  # a typical office scanner setting (tests/conftest.py's scans use the same)
# OCR misreads a word here and there ("CAMl" for "CAMI"); a paragraph cut short or glued to the
# next one falls far below this.
MIN_WORD_SIMILARITY = 0.9


def scan(pdf: Path, out: Path) -> Path:
    """``pdf`` as an image-only PDF: every page rendered by pdftoppm, the images wrapped by Pillow."""
    from PIL import Image

    stem = out.parent / (out.stem + "-page")
    subprocess.run(["pdftoppm", "-r", str(SCAN_DPI), "-gray", "-png", str(pdf), str(stem)], check=True)
    pngs = sorted(out.parent.glob(f"{stem.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    images = [Image.open(p) for p in pngs]
    images[0].save(out, save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    for p in pngs:
        p.unlink()
    return out


def words(text: str) -> list[str]:
    return re.sub(r"[\u2010-\u2015]", "-", text).split()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


@dataclass
class ScanScore:
    stem: str
    golden: int = 0
    found: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.found / self.golden if self.golden else 1.0


def score(stem: str, doc: ParsedDocument) -> ScanScore:
    golden = json.loads((GOLDEN_DIR / f"{stem}.json").read_text(encoding="utf-8"))
    result = ScanScore(stem)
    for g in golden["blocks"]:
        if g["kind"] not in (PARAGRAPH, FOOTNOTE) or g["label"] is None:
            continue
        result.golden += 1
        same = [b for b in doc.blocks if b.kind == g["kind"] and b.label == g["label"]]
        best = max((similarity(g["text"], b.text) for b in same), default=0.0)
        if best >= MIN_WORD_SIMILARITY:
            result.found += 1
        else:
            result.missed.append(f"{g['label']} ({best:.2f})" if same else f"{g['label']} (none)")
    return result


def score_scan(paper: str) -> ScanScore:
    """Scan corpus/<paper>.pdf (or the PDF at path ``paper``), parse the scan, score it."""
    from cami_extract.parse import parse_pdf

    pdf = Path(paper) if paper.endswith(".pdf") else CORPUS / f"{paper}.pdf"
    with tempfile.TemporaryDirectory(prefix="cami-scan-") as tmp:
        doc = parse_pdf(scan(pdf, Path(tmp) / f"{pdf.stem}-scanned.pdf"), ocr="auto")
    return score(pdf.stem, doc)


def main(argv: list[str]) -> int:
    stems = argv or list(SCANNED_PAPERS)
    total = found = 0
    for paper in stems:
        s = score_scan(paper)
        total, found = total + s.golden, found + s.found
        missed = f"  missed: {', '.join(s.missed)}" if s.missed else ""
        print(f"{paper:32} {s.found:3}/{s.golden:<3} {s.share:6.1%}{missed}", flush=True)
    print(f"{'total':32} {found:3}/{total:<3} {found / total if total else 1:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
