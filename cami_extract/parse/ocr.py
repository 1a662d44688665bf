"""Read pages that have no text layer by OCR, and tell a text layer that is OCR noise.

The engine is Debian's tesseract-ocr (eng, fra, spa), called on each page rendered by poppler's
pdftoppm. Tesseract's TSV output gives every word with its box and confidence, so the words
become char records with the same keys pdfplumber gives (``text``, ``x0``, ``top``, ``x1``,
``bottom``, ``size``, ``fontname``): line building, layout and the char -> page + bbox map work
on OCR'd pages unchanged, and each block can say how sure the engine was. Tesseract boxes words,
not letters: a word's box is split evenly among its characters, so a char's box is an estimate
within its word's box.

(ocrmypdf wraps the same engine to write a new PDF with a text layer; its output keeps no
confidences, and its worker pool does not belong inside the sandbox child, so the parse stage
calls tesseract itself and ocrmypdf is not a dependency.)

Runs inside the parse sandbox child, under its memory, CPU and wall-clock limits.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..config import OCR_MODES

__all__ = ["OCR_MODES", "engine", "is_noisy", "ocr_page", "tools_available", "wordlike_share"]

OCR_LANGUAGES = "eng+fra+spa"  # tesseract's -l argument, stored as it is with every OCR'd block
ENGINE_NAME_CHARS = 64  # pages.ocr_engine and paragraphs.ocr_engine hold this many
# 300 dpi is tesseract's documented sweet spot; on the corpus pages it gives >= 0.97 similarity.
OCR_DPI = 300
OCR_FONTNAME = "OCR"
# Tesseract's per-word confidence (0-100) below which a word is dropped as a speck or a stamp.
MIN_WORD_CONFIDENCE = 20
# Seconds one page may take in each tool; the sandbox's wall-clock limit still bounds the file.
TOOL_TIMEOUT = 120
# A document's text layer is OCR noise when fewer than this share of its tokens look like words;
# measured on the first ten pages: ST/CS/SER.F/313 (a 1978 scan's OCR layer) 0.69, against 0.82
# (an Illustrator brochure) to 0.98 for the other ten real PDFs and the six corpus papers.
WORDLIKE_SHARE = 0.75
NOISE_MIN_TOKENS = 40  # fewer tokens than this say nothing either way
_L, _U = "a-zß-ÿ", "A-ZÀ-Þ"
_PART = rf"(?:[{_U}]?[{_L}]+|[{_U}]{{2,}}|[AaIiOoYyÀàÉéÈè])"
_WORDLIKE = re.compile(
    rf"^[(\[\"“‘'«]*(?:[{_L}{_U}][’'])?{_PART}(?:[-’']{_PART})*[.,;:)\]!?'’”»\"]*$|^[(\[]?\d[\d.,:/%–-]*[.,;:)\]]*$"
)
_VOWELS = set("aeiouyàâäéèêëíìîïóòôöúùûüAEIOUYÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜ")


@dataclass(slots=True)
class OcrPage:
    # pdfplumber-shaped char records; each also has "ocr_word", its word's index in word_confidences
    chars: list[dict] = field(default_factory=list)
    confidence: float = 0.0  # mean word confidence, 0..1
    words: int = 0
    word_confidences: list[float] = field(default_factory=list)  # 0..1, one per word kept


def tools_available() -> bool:
    return shutil.which("tesseract") is not None and shutil.which("pdftoppm") is not None


@functools.cache
def engine() -> str:
    """The OCR engine and its version as ``tesseract --version`` names it: "tesseract 5.3.0"."""
    done = subprocess.run(["tesseract", "--version"], capture_output=True, timeout=TOOL_TIMEOUT, check=True)
    # tesseract 4 printed its version on stderr, 5 on stdout
    first = (done.stdout or done.stderr).decode("utf-8", "replace").strip().splitlines()
    return (first[0].strip() if first else "tesseract")[:ENGINE_NAME_CHARS]


def ocr_page(pdf_path: Path, page_number: int, width: float, height: float) -> OcrPage:
    """OCR one page (1-based) of ``pdf_path``; coordinates come back in PDF points, top-down."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core: the sandbox pool runs several files
    with tempfile.TemporaryDirectory(prefix="cami-ocr-") as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(OCR_DPI),
                "-f",
                str(page_number),
                "-l",
                str(page_number),
                "-png",
                "-singlefile",
                str(pdf_path),
                str(stem),
            ],
            check=True,
            capture_output=True,
            timeout=TOOL_TIMEOUT,
            env=env,
        )
        done = subprocess.run(
            ["tesseract", f"{stem}.png", "-", "-l", OCR_LANGUAGES, "--psm", "3", "tsv"],
            check=True,
            capture_output=True,
            timeout=TOOL_TIMEOUT,
            env=env,
        )
    return _from_tsv(done.stdout.decode("utf-8", "replace"), 72.0 / OCR_DPI)


def _from_tsv(tsv: str, scale: float) -> OcrPage:
    page = OcrPage()
    confidences: list[float] = []
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    lines: dict[tuple[str, str, str], list[dict]] = {}
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        conf = float(row["conf"])
        if conf < MIN_WORD_CONFIDENCE:
            continue
        row["word"] = len(confidences)
        confidences.append(conf)
        lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    for words in lines.values():
        # one type size per OCR line: the line's word height, so superscript tests see no jumps
        tops = [int(w["top"]) for w in words]
        bottoms = [int(w["top"]) + int(w["height"]) for w in words]
        top, bottom = min(tops) * scale, max(bottoms) * scale
        size = round(bottom - top, 1)
        for w in words:
            text = w["text"].strip()
            x0 = int(w["left"]) * scale
            step = int(w["width"]) * scale / len(text)
            conf = float(w["conf"]) / 100
            for i, ch in enumerate(text):
                page.chars.append(
                    {
                        "text": ch,
                        "x0": x0 + i * step,
                        "x1": x0 + (i + 1) * step,
                        "top": top,
                        "bottom": bottom,
                        "size": size,
                        "fontname": OCR_FONTNAME,
                        "ocr_confidence": conf,
                        "ocr_word": w["word"],
                    }
                )
    page.words = len(confidences)
    page.word_confidences = [round(c / 100, 3) for c in confidences]
    page.confidence = round(sum(confidences) / len(confidences) / 100, 3) if confidences else 0.0
    return page


def wordlike_share(text: str) -> float | None:
    """Share of tokens that look like words (or numbers); None when there are too few to judge."""
    tokens = text.split()
    if len(tokens) < NOISE_MIN_TOKENS:
        return None
    good = sum(1 for t in tokens if _WORDLIKE.match(t) and (any(c in _VOWELS for c in t) or t[0].isdigit()))
    return good / len(tokens)


def is_noisy(text: str) -> bool:
    share = wordlike_share(text)
    return share is not None and share < WORDLIKE_SHARE


# Paragraph numbers drawn as pictures are read in one tesseract call per strip: each picture
# enlarged LABEL_SCALES times (two readings: small glyphs of 18x22 px misread at one scale are
# usually right at the other), on its own row with white padding.
LABEL_SCALES = (4, 6)
LABEL_PAD = 20
LABELS_PER_STRIP = 80
LABEL_CHARS = "0123456789.()"  # numbers only: with letters allowed, "1." reads as "l."


def read_labels(images: list) -> list[list[str]]:
    """Candidate readings (one per scale) of each small picture (pdf.GlyphImage), in order."""
    from PIL import Image

    readings: list[list[str]] = [[] for _ in images]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    for scale in LABEL_SCALES:
        for start in range(0, len(images), LABELS_PER_STRIP):
            chunk = images[start : start + LABELS_PER_STRIP]
            pics = [Image.frombytes(g.mode, (g.width, g.height), g.pixels).convert("L") for g in chunk]
            row = max(p.height for p in pics) * scale + 2 * LABEL_PAD
            strip = Image.new("L", (max(p.width for p in pics) * scale + 2 * LABEL_PAD, row * len(pics)), 255)
            for i, pic in enumerate(pics):
                big = pic.resize((pic.width * scale, pic.height * scale), Image.Resampling.BICUBIC)
                strip.paste(big, (LABEL_PAD, i * row + LABEL_PAD))
            with tempfile.TemporaryDirectory(prefix="cami-ocr-") as tmp:
                png = Path(tmp) / "labels.png"
                strip.save(png)
                done = subprocess.run(
                    ["tesseract", str(png), "-", "--psm", "6", "-c", f"tessedit_char_whitelist={LABEL_CHARS}", "tsv"],
                    check=True,
                    capture_output=True,
                    timeout=TOOL_TIMEOUT,
                    env=env,
                )
            texts: dict[int, str] = {}
            tsv = done.stdout.decode("utf-8", "replace")
            for r in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
                if r.get("level") == "5" and (r.get("text") or "").strip():
                    i = (int(r["top"]) + int(r["height"]) // 2) // row
                    texts[i] = texts.get(i, "") + r["text"].strip()
            for i in range(len(chunk)):
                readings[start + i].append(texts.get(i, ""))
    return readings
