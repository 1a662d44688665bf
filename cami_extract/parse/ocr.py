"""Read pages that have no text layer by OCR, and tell a text layer that is OCR noise.

The engine is Debian's tesseract-ocr (eng, fra, spa), called on each page rendered by poppler's
pdftoppm. Tesseract's TSV output gives every word with its box and confidence, so the words
become char records with the same keys pdfplumber gives (``text``, ``x0``, ``top``, ``x1``,
``bottom``, ``size``, ``fontname``): line building, layout and the char -> page + bbox map work
on OCR'd pages unchanged, and each block can say how sure the engine was. Tesseract boxes words,
not letters: a word's box is split evenly among its characters, so a char's box is an estimate
within its word's box. A word's type size is worked out from its ink height and its letters
(_word_size), so the layout's statistics (body size, footnote zone) see points as on a text
layer; a two-column page is read column by column; hanging paragraph numbers and note markers
are read again with digits only (``rereads``), and parse/__init__.py keeps the reading that
continues the document's count.

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
from .pdf import _gutter

__all__ = ["OCR_MODES", "engine", "is_noisy", "ocr_page", "tools_available", "wordlike_share"]

OCR_LANGUAGES = "eng+fra+spa"  # tesseract's -l argument, stored as it is with every OCR'd block
ENGINE_NAME_CHARS = 64  # pages.ocr_engine and paragraphs.ocr_engine hold this many
# 300 dpi is tesseract's documented sweet spot; on the corpus pages it gives >= 0.97 similarity.
OCR_DPI = 300
# Page segmentation mode 6 (one uniform block of text) reads hanging paragraph numbers in their
# line's context; mode 3 (automatic) puts each in a block of its own and misreads it ("1." as
# "i."): on scans of three corpus papers (tests/parse/scan_score.py) mode 3 gave 5 of 78
# numbered paragraphs and notes, 4 gave 29 and 6 gave 31 before the digit re-reads below. Lines
# are rebuilt from word boxes by pdf.py, columns included, so mode 6 does not join two columns.
OCR_PSM = "6"
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
    # word index -> readings of that word with digits only: hanging paragraph numbers and note
    # markers, which tesseract reads without context ("7." as "Te", "1." as "i.", "2" as "?")
    rereads: dict[int, list[str]] = field(default_factory=dict)
    margin_words: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)  # pixel boxes to re-read


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
    from PIL import Image

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
        scale = 72.0 / OCR_DPI
        page = _from_tsv([(_tesseract(Path(f"{stem}.png"), env), 0)], scale)
        with Image.open(f"{stem}.png") as image:
            gray = image.convert("L")
        gutter = _gutter(page.chars, width)
        if gutter is not None:
            # two columns: read as one block, tesseract runs each line across the gutter and
            # misreads both halves; read each column on its own (cut in the gutter's core)
            cut = round((gutter[1] + gutter[2]) / 2 / scale)
            pieces = []
            for n, (left, right) in enumerate(((0, cut), (cut, gray.width)), 1):
                column = Path(tmp) / f"column-{n}.png"
                gray.crop((left, 0, right, gray.height)).save(column)
                pieces.append((_tesseract(column, env), left))
            page = _from_tsv(pieces, scale)
        if page.margin_words:
            crops = [
                gray.crop((x0 - REREAD_PAD, top - REREAD_PAD, x1 + REREAD_PAD, bottom + REREAD_PAD))
                for x0, top, x1, bottom in page.margin_words.values()
            ]
            page.rereads = dict(zip(page.margin_words, read_crops(crops), strict=True))
    return page


# Sizes. Tesseract boxes a word's ink, not its type: "ats" is x-height tall, "Species" cap height
# to descender. A word's type size is its ink height over the share of the em its letters span,
# so OCR'd chars get sizes in points like a text layer's and layout.py's body size, footnote zone
# and superscript tests work unchanged. Shares measured on the seed's scan (Liberation Serif,
# 11 pt body, 9 pt notes, 300 dpi): cap/ascender tops 0.70 em above the baseline, x-height 0.47,
# descenders 0.22 below; its words then give 10.9-11.1 pt and its notes 8.9-9.1 pt.
ASCENDER_SHARE = 0.70
X_HEIGHT_SHARE = 0.47
DESCENDER_SHARE = 0.22
_ASCENDERS = set("bdfhklt0123456789ij!?/\\|()[]{}%&#@$€£ßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåèéêëìíîïñòóôõöùúûüý'\"‘’“”")
_DESCENDERS = set("gjpqyQ,;()[]{}|@$µçÇ")
SIZE_STEP = 0.5  # points: a line's sizes are rounded to this, so a page's body lines share one size
# A word whose ink is under this share of its line's height and whose bottom stands above the
# line's baseline by SUPER_RAISE of the line height is a superscript (a note marker "2", read as
# "?"): it keeps its own smaller size and box, so pdf.py sees it as a marker or a reference.
SUPER_HEIGHT = 0.6
SUPER_RAISE = 0.2


def _word_size(text: str, height: float) -> float | None:
    """A word's type size from its ink height, or None when its letters say nothing (".", "-")."""
    top = ASCENDER_SHARE if any(c.isupper() or c in _ASCENDERS for c in text) else X_HEIGHT_SHARE
    if not any(c.isalnum() for c in text):
        return None
    bottom = DESCENDER_SHARE if any(c in _DESCENDERS for c in text) else 0.0
    return height / (top + bottom)


def _tesseract(png: Path, env: dict) -> str:
    done = subprocess.run(
        ["tesseract", str(png), "-", "-l", OCR_LANGUAGES, "--psm", OCR_PSM, "tsv"],
        check=True,
        capture_output=True,
        timeout=TOOL_TIMEOUT,
        env=env,
    )
    return done.stdout.decode("utf-8", "replace")


def _from_tsv(pieces: list[tuple[str, int]], scale: float) -> OcrPage:
    """Char records from tesseract's TSV of one page, or of its columns: (tsv, the piece's left
    edge in pixels)."""
    page = OcrPage()
    confidences: list[float] = []
    lines: dict[tuple[int, str, str, str], list[dict]] = {}  # one tesseract line's words
    rows = [
        (n, left, row)
        for n, (tsv, left) in enumerate(pieces)
        for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    ]
    for n, left, row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        conf = float(row["conf"])
        if conf < MIN_WORD_CONFIDENCE:
            continue
        word: dict = {k: int(row[k]) for k in ("left", "top", "width", "height")}
        word.update(left=word["left"] + left, word=len(confidences), text=text, conf=conf)
        confidences.append(conf)
        lines.setdefault((n, row["block_num"], row["par_num"], row["line_num"]), []).append(word)
    for words in lines.values():
        raised = _line_chars(words, scale, page.chars)
        first = words[0]
        gap = words[1]["left"] - (first["left"] + first["width"]) if len(words) > 1 else None
        height = sorted(w["height"] for w in words)[len(words) // 2]
        hanging = gap is None or gap >= HANGING_GAP * height
        if len(first["text"]) <= REREAD_MAX_CHARS and (hanging or first["word"] in raised):
            box = (first["left"], first["top"], first["left"] + first["width"], first["top"] + first["height"])
            page.margin_words[first["word"]] = box
    page.words = len(confidences)
    page.word_confidences = [round(c / 100, 3) for c in confidences]
    page.confidence = round(sum(confidences) / len(confidences) / 100, 3) if confidences else 0.0
    return page


def _line_chars(words: list[dict], scale: float, out: list[dict]) -> set[int]:
    """One tesseract line's words as char records: one size and one box height for the line (its
    baseline and its words' median size), as a text layer gives; superscripts keep their own.
    Returns the indices of the superscript words."""
    heights = sorted(w["height"] for w in words)
    median_height = heights[len(heights) // 2]
    # the baseline: where words without descenders end (most words do)
    plain = [w["top"] + w["height"] for w in words if not any(c in _DESCENDERS for c in w["text"])]
    baseline = sorted(plain)[len(plain) // 2] if plain else max(w["top"] + w["height"] for w in words)
    raised = {
        w["word"]
        for w in words
        if w["height"] < SUPER_HEIGHT * median_height
        and w["top"] + w["height"] < baseline - SUPER_RAISE * median_height
    }
    sizes = sorted(
        s for w in words if w["word"] not in raised and (s := _word_size(w["text"], w["height"])) is not None
    )
    size = sizes[len(sizes) // 2] * scale if sizes else median_height * scale
    size = round(round(size / SIZE_STEP) * SIZE_STEP, 1) or SIZE_STEP
    base = baseline * scale
    for w in words:
        text = w["text"]
        if w["word"] in raised:
            top, bottom = w["top"] * scale, (w["top"] + w["height"]) * scale
            own = round(max(bottom - top, SIZE_STEP), 1)
        else:
            top, bottom, own = base - (1 - DESCENDER_SHARE) * size, base + DESCENDER_SHARE * size, size
        x0 = w["left"] * scale
        step = w["width"] * scale / len(text)
        conf = float(w["conf"]) / 100
        for i, ch in enumerate(text):
            out.append(
                {
                    "text": ch,
                    "x0": x0 + i * step,
                    "x1": x0 + (i + 1) * step,
                    "top": top,
                    "bottom": bottom,
                    "size": own,
                    "fontname": OCR_FONTNAME,
                    "ocr_confidence": conf,
                    "ocr_word": w["word"],
                }
            )
    return raised


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
# On a scanned page, a line's first word of at most REREAD_MAX_CHARS chars standing HANGING_GAP
# line heights or more before the next word (a hanging "12." or a note marker; the seed's numbers
# stand 2.5 heights before their text, word spaces 0.3) is read again with digits only, scaled to
# each of REREAD_HEIGHTS pixels, padded by REREAD_PAD; the paragraph count picks a reading.
REREAD_MAX_CHARS = 4
HANGING_GAP = 1.0
REREAD_HEIGHTS = (60, 90)
REREAD_PAD = 4


def read_labels(images: list) -> list[list[str]]:
    """Candidate readings (one per scale) of each small picture (pdf.GlyphImage), in order."""
    from PIL import Image

    pics = [Image.frombytes(g.mode, (g.width, g.height), g.pixels).convert("L") for g in images]
    return _read_numbers(pics, LABEL_SCALES)


def read_crops(crops: list) -> list[list[str]]:
    """Readings, digits only, of words cut from a page image at OCR_DPI (hanging numbers, markers):
    each crop scaled to the heights of REREAD_HEIGHTS."""
    scales = [tuple(max(1.0, h / max(c.height, 1)) for c in crops) for h in REREAD_HEIGHTS]
    readings: list[list[str]] = [[] for _ in crops]
    for per_crop in scales:
        for i, texts in enumerate(_read_numbers(crops, (1,), per_crop)):
            readings[i].extend(texts)
    return readings


def _read_numbers(pics: list, scales: tuple, each: tuple | None = None) -> list[list[str]]:
    from PIL import Image

    readings: list[list[str]] = [[] for _ in pics]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    for scale in scales:
        sized = [
            p.resize(
                (
                    max(1, round(p.width * scale * (each[i] if each else 1))),
                    max(1, round(p.height * scale * (each[i] if each else 1))),
                ),
                Image.Resampling.BICUBIC,
            )
            for i, p in enumerate(pics)
        ]
        for start in range(0, len(sized), LABELS_PER_STRIP):
            chunk = sized[start : start + LABELS_PER_STRIP]
            row = max(p.height for p in chunk) + 2 * LABEL_PAD
            strip = Image.new("L", (max(p.width for p in chunk) + 2 * LABEL_PAD, row * len(chunk)), 255)
            for i, pic in enumerate(chunk):
                strip.paste(pic, (LABEL_PAD, i * row + LABEL_PAD))
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
