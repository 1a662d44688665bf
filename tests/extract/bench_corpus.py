"""Benchmark (not a test): words/s of Extractor.extract over the parsed corpus papers.

Run: .venv/bin/python tests/extract/bench_corpus.py [--repeats N]

The 41 papers of corpus/ in English, French and Spanish are parsed first (untimed); then
every paper is extracted N times and the best pass is reported in words per CPU-second
(time.process_time, which other processes on the shared machine do not inflate). Beside
bench_speed.py (the seed, English only) this covers the French and Spanish pipelines and
the funding-dense papers of the blind rounds.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from cami_extract.extract import Extractor
from cami_extract.parse import parse_pdf

ROOT = Path(__file__).resolve().parents[2]

ap = argparse.ArgumentParser()
ap.add_argument("--repeats", type=int, default=3, help="timed passes; the best is reported")
args = ap.parse_args()

docs = [parse_pdf(p, ocr="never") for p in sorted((ROOT / "corpus").glob("*.pdf"))]
x = Extractor.load()
for d in docs:
    x.extract(d)  # warm up: loads the French and Spanish pipelines
words = sum(len(b.text.split()) for d in docs for b in d.blocks)
cpu = []
for _ in range(args.repeats):
    c = time.process_time()
    for d in docs:
        x.extract(d)
    cpu.append(time.process_time() - c)
langs = {lang: sum(d.language == lang for d in docs) for lang in ("en", "fr", "es")}
print(
    f"{len(docs)} papers {langs}, {words:,} words, best of {args.repeats}: {words / min(cpu):,.0f} words per CPU-second"
)
