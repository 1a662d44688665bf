"""Score the extractor on the hand gold (not a test). Run: .venv/bin/python tests/extract/eval_gold.py"""

import sys

sys.path[:0] = [
    str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    str(__import__("pathlib").Path(__file__).resolve().parent),
]
from seed_blocks import seed_document
from src_blocks import CORPUS_SRC, src_document

from cami_extract.evaluate import load_gold, predictions_from_mentions, score
from cami_extract.extract import Extractor

x = Extractor.load()
gold = load_gold(__import__("pathlib").Path(__file__).resolve().parents[2] / "corpus" / "gold")
pred = {}
docs = [
    ("UNEP/CMS/CAMI3/Doc.7", seed_document()),
    ("UNEP/CMS/COP14/Doc.28.2.1", src_document(CORPUS_SRC / "UNEP-CMS-COP14-Doc.28.2.1.txt")),
]
for sym, d in docs:
    pred.update(predictions_from_mentions(sym, "en", d.blocks, x.extract(d)))
rep = score(pred, gold)
print(rep.render())
for e in rep.errors:
    print(e)
