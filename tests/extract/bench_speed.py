"""Benchmark (not a test): words/s of Extractor.extract on the seed.

Run: .venv/bin/python tests/extract/bench_speed.py [--repeats N]

The machine is shared, so wall-clock timings swing by 2x with the other processes; the figure
to compare is CPU time (time.process_time: this process's own seconds, which other processes
do not inflate), best of N passes (each pass = 5 x the seed). Wall-clock is printed too.
Compare two versions by running this same script against each checkout (it imports the
package two folders up).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]
from seed_blocks import seed_document

from cami_extract.extract import Extractor
from cami_extract.model import Block, ParsedDocument

PASS_COPIES = 5  # seed copies per timed pass (~14,000 words)

ap = argparse.ArgumentParser()
ap.add_argument("--repeats", type=int, default=7, help="timed passes; the best is reported")
args = ap.parse_args()

x = Extractor.load()
seed = seed_document()
words_one = sum(len(b.text.split()) for b in seed.blocks)
x.extract(seed)  # warm up
times, cpu = [], []
for _ in range(args.repeats):
    t, c = time.perf_counter(), time.process_time()
    for _ in range(PASS_COPIES):
        x.extract(seed)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
words = PASS_COPIES * words_one
print(
    f"{PASS_COPIES} x seed ({words_one} words, {len(seed.blocks)} blocks), best of {args.repeats}: "
    f"{words / min(cpu):,.0f} words per CPU-second; wall clock {words / min(times):,.0f} words/s "
    f"(median {words / sorted(times)[len(times) // 2]:,.0f})"
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
