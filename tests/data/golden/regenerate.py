"""Rewrite the parse goldens from the current parser: review the diff before committing.

python tests/data/golden/regenerate.py
"""

import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from cami_extract.parse import parse_pdf  # noqa: E402


def golden(pdf: Path) -> dict:
    doc = parse_pdf(pdf)
    return {
        "file": pdf.name,
        "language": doc.language,
        "pages": doc.page_count,
        "cover": asdict(doc.cover),
        "blocks": [{"kind": b.kind, "label": b.label, "pages": b.pages, "text": b.text} for b in doc.blocks],
    }


if __name__ == "__main__":
    for pdf in sorted((ROOT / "corpus").glob("*.pdf")):
        out = Path(__file__).with_name(pdf.stem + ".json")
        out.write_text(json.dumps(golden(pdf), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(out)
