"""Score every typesetting in tests/data/variants/ against its source's parse golden.

python tests/parse/variant_score.py            # one row per variant PDF, a total per template
python tests/parse/variant_score.py --verbose  # also each golden block not matched, with what came out

A PDF passes when its numbered paragraphs and footnotes (compared by kind and label: where a
page's notes fall among the paragraphs depends on the page breaks), its cover symbol and its
issue date are the golden's; `blocks` counts the golden's labelled blocks given with the same text.
This is what tests/parse/test_variants.py asserts, as a figure.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cami_extract.parse import parse_pdf  # noqa: E402

VARIANTS = ROOT / "tests" / "data" / "variants"
GOLDEN = ROOT / "tests" / "data" / "golden"


def numbered(blocks: list[dict]) -> dict[tuple[str, str], str]:
    return {(b["kind"], b["label"]): b["text"] for b in blocks if b["kind"] in ("paragraph", "footnote") and b["label"]}


def score(pdf: Path) -> tuple[int, int, bool, bool, list[str]]:
    golden = json.loads((GOLDEN / f"{pdf.stem}.json").read_text(encoding="utf-8"))
    doc = parse_pdf(pdf)
    want = numbered(golden["blocks"])
    got = numbered([{"kind": b.kind, "label": b.label, "text": b.text} for b in doc.blocks])
    misses = [
        f"  {k}: want {v[:90]!r}\n  {' ' * len(str(k))}  got  {str(got.get(k))[:90]!r}"
        for k, v in want.items()
        if got.get(k) != v
    ]
    misses += [f"  {k}: invented {v[:90]!r}" for k, v in got.items() if k not in want]
    right = sum(1 for k, v in want.items() if got.get(k) == v)
    return (
        right,
        len(want),
        doc.cover.symbol == golden["cover"]["symbol"],
        doc.cover.issue_date == golden["cover"]["issue_date"],
        misses,
    )


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    print(f"{'variant':60} {'blocks':>9} symbol date  pass")
    for pdf in sorted(VARIANTS.glob("*/*.pdf")):
        right, want, sym, date, misses = score(pdf)
        ok = right == want and sym and date and not misses
        t = totals[pdf.parent.name]
        t[0] += right
        t[1] += want
        t[2] += ok
        t[3] += 1
        print(
            f"{pdf.parent.name + '/' + pdf.stem:60} {right:>4}/{want:<4} {'ok' if sym else 'NO':>6} {'ok' if date else 'NO':>4}  {'yes' if ok else 'NO'}"
        )
        if verbose and misses:
            print("\n".join(misses))
    for name, (right, want, passed, n) in sorted(totals.items()):
        print(f"TOTAL {name:12} {passed}/{n} PDFs pass; blocks {right}/{want}")
    right, want, passed, n = (sum(t[i] for t in totals.values()) for i in range(4))
    print(f"TOTAL {passed}/{n} PDFs pass; blocks {right}/{want}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
