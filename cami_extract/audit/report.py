"""The audit page: one self-contained HTML file, with Markdown and CSV of the same tables beside it.

Offline and byte-identical for the same database: charts are inline SVG (``charts.py``), the
style sheet is inline, there is no script and no date; tables come from ``stats.py`` in their
stable order. Untrusted text from the PDFs is escaped (pandas ``to_html(escape=True)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from ..store.repository import Store
from . import charts, stats

STYLE = """
body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1400px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:12px;margin:.5em 0}
th,td{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}
th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}
.note{color:#555;font-size:13px}nav a{margin-right:1em}
"""

# (file stem, heading, what it shows) in page order: charts and short tables first, the long
# register (one row per source) last.
SECTIONS = [
    ("timeline", "Timeline", "Dated activities by type; a dot at the start, a bar to the end."),
    (
        "own_counts",
        "Reports' own counts",
        'A summary sentence\'s counts ("nine meetings, five studies and two projects") against the numbered paragraphs under the matching heading and the activities read from them.',
    ),
    ("conflicts", "Conflicts", "Where reports disagree on an activity's field: every value, side by side."),
    (
        "pow_coverage",
        "Programme of Work coverage",
        "Each numbered POW item and the reports that cite or implement it; `never` marks items no report has covered.",
    ),
    ("funders", "Funders per activity", "Funders with the amounts as printed, from the best-standing report."),
    ("species_coverage", "Species × report", "Mentions of each species in each current report."),
    ("country_coverage", "Country × report", "Mentions of each country (ISO alpha-3) in each current report."),
    (
        "register",
        "Activity register",
        "Each activity with every source: document, paragraph, page, the sentence the claim was read from and its bounding box (x0 top x1 bottom, PDF points).",
    ),
]


@dataclass(slots=True)
class AuditResult:
    html: Path
    tables: dict[str, pd.DataFrame]
    files: list[Path]


def build_tables(store: Store) -> tuple[stats.AuditData, dict[str, pd.DataFrame]]:
    data = stats.AuditData(store)
    return data, {
        "register": stats.register(data),
        "timeline": stats.timeline(data),
        "species_coverage": stats.coverage(data, "species"),
        "country_coverage": stats.coverage(data, "country"),
        "funders": stats.funders(data),
        "conflicts": stats.conflicts(data),
        "own_counts": stats.own_counts(data),
        "pow_coverage": stats.pow_coverage(data),
    }


def _charts(name: str, frame: pd.DataFrame) -> str:
    if name == "timeline":
        items = [(r.type, r.start, r.end, r.title) for r in frame.itertuples()]
        return charts.timeline(items)
    if name in ("species_coverage", "country_coverage") and not frame.empty:
        key = frame.columns[0]
        reports = [c for c in frame.columns[1:] if c != "reports"]
        cells = {(r[key], c): int(r[c]) for _, r in frame.iterrows() for c in reports}
        return charts.heatmap(list(frame[key]), reports, cells, title=f"{key} mentions per report")
    if name == "pow_coverage":
        return charts.bars(
            [(f"{r.number} {r.item}", r.report_count) for r in frame.itertuples()],
            title="Reports citing each POW item",
            unit=" reports",
        )
    return ""


def _html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p class='note'>Nothing recorded.</p>"
    return frame.to_html(index=False, escape=True, na_rep="", border=0, classes="data")


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (pandas' to_markdown needs tabulate, which is not in the lock)."""
    if frame.empty:
        return "_Nothing recorded._\n"

    def cell(v) -> str:
        text = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def render_html(data: stats.AuditData, tables: dict[str, pd.DataFrame]) -> str:
    types = stats.activity_counts(data)
    summary = (
        f"{len(data.documents)} current documents, {len(data.activities)} activities, "
        f"{len(data.conflicts)} conflicts; by type: "
        + ", ".join(f"{r.type} {r.activities}" for r in types.itertuples())
    )
    parts = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>CAMI activity audit</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>CAMI activity audit</h1>",
        f"<p class='note'>{escape(summary)}. Generated by <code>cami audit</code> from the store; "
        "Markdown and CSV of every table are beside this file.</p>",
        "<nav>" + "".join(f"<a href='#{n}'>{escape(h)}</a>" for n, h, _ in SECTIONS) + "</nav>",
        charts.bars([(r.type, r.activities) for r in types.itertuples()], title="Activities per type"),
    ]
    for name, heading, note in SECTIONS:
        frame = tables[name]
        parts += [
            f"<section id='{name}'><h2>{escape(heading)}</h2>",
            f"<p class='note'>{escape(note)} <a href='{name}.csv'>CSV</a> · <a href='audit.md#{name}'>Markdown</a></p>",
            _charts(name, frame),
            _html_table(frame),
            "</section>",
        ]
    parts.append("</body></html>")
    html = "\n".join(p for p in parts if p) + "\n"
    return re.sub(r"[ \t]+\n", "\n", html)


def render_markdown(tables: dict[str, pd.DataFrame]) -> str:
    parts = ["# CAMI activity audit\n"]
    for name, heading, note in SECTIONS:
        parts += [f"<a id='{name}'></a>\n## {heading}\n", note + "\n", markdown_table(tables[name])]
    return "\n".join(parts)


def write_audit(store: Store, out_dir: str | Path) -> AuditResult:
    """Write audit.html, audit.md and one CSV per table into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data, tables = build_tables(store)
    html = out / "audit.html"
    html.write_text(render_html(data, tables), encoding="utf-8", newline="\n")
    md = out / "audit.md"
    md.write_text(render_markdown(tables), encoding="utf-8", newline="\n")
    files = [html, md]
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        files.append(path)
    return AuditResult(html=html, tables=tables, files=files)
