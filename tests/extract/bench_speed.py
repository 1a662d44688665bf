"""Benchmark (not a test): words/s of Extractor.extract on the seed. Run: .venv/bin/python tests/extract/bench_speed.py"""

import sys
import time

sys.path[:0] = [
    str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    str(__import__("pathlib").Path(__file__).resolve().parent),
]
from seed_blocks import seed_document

from cami_extract.extract import Extractor
from cami_extract.model import Block, ParsedDocument

x = Extractor.load()
seed = seed_document()
words_one = sum(len(b.text.split()) for b in seed.blocks)
x.extract(seed)  # warm up
for reps in (1, 20):
    docs = [seed] * reps
    t = time.perf_counter()
    for d in docs:
        x.extract(d)
    el = time.perf_counter() - t
    print(
        f"{reps} x seed ({words_one} words, {len(seed.blocks)} blocks): {el:.3f}s, {reps * words_one / el:,.0f} words/s"
    )
# one big document (seed blocks repeated 20x) to see batching
big = ParsedDocument(
    path="big",
    sha256="",
    size=0,
    pages=[],
    cover=seed.cover,
    language="en",
    blocks=[Block(seq=i, kind=b.kind, label=b.label, text=b.text) for i, b in enumerate(seed.blocks * 20)],
)
t = time.perf_counter()
x.extract(big)
el = time.perf_counter() - t
print(f"one document of 20x seed blocks: {el:.3f}s, {20 * words_one / el:,.0f} words/s")
