"""Inline SVG charts written by hand: no plotting library, no script, no font from a network.

Each function returns an ``<svg>`` element as text; the same data gives the same bytes (fixed
sizes, coordinates rounded to 0.1, items in a given order). Text is escaped.
"""

from __future__ import annotations

from html import escape

# Colours per activity type (ColorBrewer Set2, readable on white and in greyscale print).
TYPE_COLOURS = {
    "meeting": "#66c2a5",
    "workshop": "#fc8d62",
    "study": "#8da0cb",
    "project": "#e78ac3",
    "publication": "#a6d854",
    "agreement": "#ffd92f",
    "other": "#b3b3b3",
}
FONT = "font-family='sans-serif' font-size='11'"  # the reader's own sans-serif: nothing to download
LANE = 26  # px per activity type in the timeline
LEFT = 110  # px for the lane labels
WIDTH = 900


def _year(iso: str) -> float:
    """'2022-09-20' -> 2022.72: a date at the precision printed, placed at the start of its period."""
    parts = [int(p) for p in iso.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    return year + (month - 1) / 12 + (day - 1) / 366


def _n(v: float) -> str:
    return f"{v:.1f}"


def timeline(items: list[tuple[str, str, str, str]], *, title: str = "Activities by type and date") -> str:
    """items: (type, start ISO, end ISO, title). One lane per type; a dot at the start, a bar to the end."""
    types = [t for t in TYPE_COLOURS if any(i[0] == t for i in items)]
    types += sorted({i[0] for i in items} - set(types))
    if not items:
        return _empty(title)
    first = int(min(_year(i[1]) for i in items))
    last = int(max(_year(i[2] or i[1]) for i in items)) + 1
    span = max(1, last - first)
    plot = WIDTH - LEFT - 20
    height = 40 + LANE * len(types) + 30

    def x(v: float) -> float:
        return LEFT + (v - first) / span * plot

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' class='chart' width='{WIDTH}' height='{height}' "
        f"viewBox='0 0 {WIDTH} {height}' {FONT}>",
        f"<title>{escape(title)}</title>",
        f"<text x='{LEFT}' y='16' font-size='13' font-weight='bold'>{escape(title)}</text>",
    ]
    bottom = 30 + LANE * len(types)
    for year in range(first, last + 1):
        out.append(f"<line x1='{_n(x(year))}' y1='28' x2='{_n(x(year))}' y2='{bottom}' stroke='#ddd'/>")
        out.append(f"<text x='{_n(x(year))}' y='{bottom + 14}' text-anchor='middle'>{year}</text>")
    for lane, t in enumerate(types):
        y = 30 + LANE * lane + LANE / 2
        colour = TYPE_COLOURS.get(t, "#999")
        out.append(f"<text x='{LEFT - 8}' y='{_n(y + 4)}' text-anchor='end'>{escape(t)}</text>")
        for _kind, start, end, name in (i for i in items if i[0] == t):
            x0, x1 = x(_year(start)), x(_year(end or start))
            label = escape(f"{name} ({start}{' – ' + end if end and end != start else ''})")
            if x1 - x0 > 3:
                out.append(
                    f"<rect x='{_n(x0)}' y='{_n(y - 4)}' width='{_n(x1 - x0)}' height='8' fill='{colour}' "
                    f"opacity='0.6'><title>{label}</title></rect>"
                )
            out.append(
                f"<circle cx='{_n(x0)}' cy='{_n(y)}' r='5' fill='{colour}' stroke='#333' stroke-width='0.5'>"
                f"<title>{label}</title></circle>"
            )
    out.append("</svg>")
    return "\n".join(out)


def bars(values: list[tuple[str, float]], *, title: str, colour: str = "#8da0cb", unit: str = "") -> str:
    """Horizontal bars, one per (label, value), in the order given."""
    if not values:
        return _empty(title)
    height = 30 + 18 * len(values) + 10
    top = max(v for _, v in values) or 1
    plot = WIDTH - 300 - 60
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' class='chart' width='{WIDTH}' height='{height}' "
        f"viewBox='0 0 {WIDTH} {height}' {FONT}>",
        f"<title>{escape(title)}</title>",
        f"<text x='300' y='16' font-size='13' font-weight='bold'>{escape(title)}</text>",
    ]
    for i, (label, value) in enumerate(values):
        y = 28 + 18 * i
        w = value / top * plot
        short = label if len(label) <= 48 else label[:47] + "…"
        out.append(f"<text x='292' y='{y + 11}' text-anchor='end'>{escape(short)}<title>{escape(label)}</title></text>")
        out.append(f"<rect x='300' y='{y}' width='{_n(w)}' height='14' fill='{colour}'/>")
        out.append(f"<text x='{_n(300 + w + 4)}' y='{y + 11}'>{value:g}{escape(unit)}</text>")
    out.append("</svg>")
    return "\n".join(out)


def heatmap(rows: list[str], columns: list[str], cells: dict[tuple[str, str], int], *, title: str) -> str:
    """A grid of counts: darker is more. Rows and columns in the order given."""
    if not rows or not columns:
        return _empty(title)
    cell, left, top_margin = 16, 230, 150
    width = left + cell * len(columns) + 20
    height = top_margin + cell * len(rows) + 10
    top = max(cells.values(), default=1) or 1
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' class='chart' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' {FONT}>",
        f"<title>{escape(title)}</title>",
        f"<text x='4' y='16' font-size='13' font-weight='bold'>{escape(title)}</text>",
    ]
    for j, c in enumerate(columns):
        cx = left + cell * j + cell / 2
        out.append(
            f"<text x='{_n(cx)}' y='{top_margin - 6}' transform='rotate(-60 {_n(cx)} {top_margin - 6})'>"
            f"{escape(c)}</text>"
        )
    for i, r in enumerate(rows):
        y = top_margin + cell * i
        out.append(f"<text x='{left - 6}' y='{y + 12}' text-anchor='end'>{escape(r)}</text>")
        for j, c in enumerate(columns):
            n = cells.get((r, c), 0)
            shade = 0 if n == 0 else 0.15 + 0.85 * n / top
            fill = "#f4f4f4" if n == 0 else f"rgba(49,130,189,{shade:.2f})"
            out.append(
                f"<rect x='{left + cell * j}' y='{y}' width='{cell - 1}' height='{cell - 1}' fill='{fill}'>"
                f"<title>{escape(r)} in {escape(c)}: {n}</title></rect>"
            )
    out.append("</svg>")
    return "\n".join(out)


def _empty(title: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' class='chart' width='400' height='30' {FONT}>"
        f"<title>{escape(title)}</title><text x='4' y='18'>{escape(title)}: nothing to show</text></svg>"
    )
