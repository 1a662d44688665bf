#!/usr/bin/env python3
"""Typeset the cami-extract corpus: corpus/src/*.txt -> corpus/*.pdf (+ MANIFEST.csv).

Each source text in ``corpus/src/`` holds one CMS meeting paper: a block of
``key: value`` cover fields, a line ``---``, then the body in a small
markdown-like notation (see ``parse_body`` below).  This script writes every
paper as Flat ODT XML (.fodt) with real paragraph/page styles -- cover page
without running header, running header with the document symbol and a centred
page-number field on pages 2+, numbered paragraphs with hanging indent,
justified 11 pt text, automatic hyphenation, real footnotes (text:note),
hyperlinks (text:a), ruled tables -- and lets LibreOffice Writer (headless)
typeset it to PDF.  Nothing is downloaded.

Run (from the repository root):

    /work/main/.venv/bin/python corpus/make_corpus.py            # all papers
    /work/main/.venv/bin/python corpus/make_corpus.py --keep-fodt /tmp/fodt
    /work/main/.venv/bin/python corpus/make_corpus.py --only UNEP-CMS-CAMI3-Doc.7
    /work/main/.venv/bin/python corpus/make_corpus.py --variant word-cover   # tests/data/variants/
    PATH=/tmp/corpus-venv/bin:$PATH python3 corpus/make_corpus.py --variant html  # WeasyPrint

The variants (``word``, ``word-cover``, ``twocol``: LibreOffice templates; ``html``: WeasyPrint,
pinned in requirements/corpus.txt, run as a command) are described in corpus/README.md.

Needs (Debian 12 packages):

    apt-get install -y --no-install-recommends \\
        libreoffice-writer-nogui fonts-liberation \\
        hyphen-en-gb hyphen-fr poppler-utils

(``poppler-utils`` is only needed for checking the result; ``soffice`` must be
on PATH or given with ``--soffice``.)  Only the Python standard library is
used.  The PDFs carry a creation date, so their sha256 changes on every run;
MANIFEST.csv is rewritten with the new hashes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"

# ---------------------------------------------------------------------------
# Source format
# ---------------------------------------------------------------------------
#
# Cover fields (before the line '---'):
#   file, symbol, date, original, distribution, convention, language (en-GB /
#   fr-FR), meeting (use ' | ' for a forced line break), place, agenda, title,
#   prepared, summary_label, summary (may repeat: one paragraph each), kind,
#   provenance, assumed, disagreements, notes  (the last five only feed the
#   manifest).
#
# Body lines (blocks separated by blank lines):
#   '# TITLE'          body title, starts page 2, centred bold
#   '## Heading'       bold heading, not numbered
#   'N. text'          numbered paragraph (number kept as written, checked)
#   '- text'           indented bullet item
#   '|a|b|c|'          table rows; the first row is the header row;
#                      a row of dashes '|---|---|' is ignored
#   '[^n]: text'       footnote text for marker [^n]
#   'text'             plain body paragraph
# Inline: *italic*, **bold**, <sup>x</sup>, [link text](https://...), [^n].


@dataclass
class Paper:
    stem: str
    meta: dict
    summary: list = field(default_factory=list)
    blocks: list = field(default_factory=list)  # (kind, payload)
    notes: dict = field(default_factory=dict)


def read_source(path: Path) -> Paper:
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    meta: dict = {}
    summary: list = []
    for line in head.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "summary":
            summary.append(value)
        else:
            meta[key] = value
    paper = Paper(stem=path.stem, meta=meta, summary=summary)
    parse_body(paper, body)
    return paper


def parse_body(paper: Paper, body: str) -> None:
    table: list | None = None
    expected = 1
    for raw in body.splitlines():
        line = raw.rstrip()
        if table is not None and not line.startswith("|"):
            paper.blocks.append(("table", table))
            table = None
        if not line.strip():
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue
            table = (table or []) + [cells]
            continue
        m = re.match(r"\[\^(\w+)\]:\s*(.*)$", line)
        if m:
            paper.notes[m.group(1)] = m.group(2)
            continue
        if line.startswith("## "):
            paper.blocks.append(("heading", line[3:].strip()))
        elif line.startswith("# "):
            paper.blocks.append(("title", line[2:].strip()))
        elif line.startswith("- "):
            paper.blocks.append(("bullet", line[2:].strip()))
        elif re.match(r"\d+\.\s", line):
            num, _, rest = line.partition(". ")
            if int(num) != expected:
                raise SystemExit(f"{paper.stem}: paragraph {num} found, {expected} expected")
            expected += 1
            paper.blocks.append(("para", (num, rest.strip())))
        else:
            paper.blocks.append(("plain", line.strip()))
    if table is not None:
        paper.blocks.append(("table", table))


# ---------------------------------------------------------------------------
# Inline markup -> ODF XML
# ---------------------------------------------------------------------------

INLINE = re.compile(
    r"(?P<note>\[\^(?P<nid>\w+)\])"
    r"|(?P<link>\[(?P<ltext>[^\]]+)\]\((?P<href>https?://[^)\s]+)\))"
    r"|(?P<sup><sup>(?P<stext>.*?)</sup>)"
    r"|(?P<bold>\*\*(?P<btext>.+?)\*\*)"
    r"|(?P<ital>\*(?P<itext>[^*]+?)\*)"
)


def esc(s: str) -> str:
    out = html.escape(s, quote=False)
    # keep runs of spaces and tabs as ODF elements
    out = out.replace("\t", "<text:tab/>")
    return re.sub(r"  +", lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', out)


class Inline:
    def __init__(self, paper: Paper):
        self.paper = paper
        self.used_notes: list = []

    def __call__(self, s: str, in_note: bool = False) -> str:
        out, pos = [], 0
        for m in INLINE.finditer(s):
            out.append(esc(s[pos : m.start()]))
            pos = m.end()
            if m.group("note"):
                if in_note:
                    raise SystemExit("footnote inside footnote")
                nid = m.group("nid")
                if nid not in self.paper.notes:
                    raise SystemExit(f"{self.paper.stem}: footnote [^{nid}] has no text")
                self.used_notes.append(nid)
                n = len(self.used_notes)
                out.append(
                    f'<text:note text:id="ftn{n}" text:note-class="footnote">'
                    f"<text:note-citation>{n}</text:note-citation><text:note-body>"
                    f'<text:p text:style-name="Footnote">{self(self.paper.notes[nid], True)}</text:p>'
                    f"</text:note-body></text:note>"
                )
            elif m.group("link"):
                out.append(
                    f'<text:a xlink:type="simple" xlink:href="{html.escape(m.group("href"))}" '
                    f'text:style-name="Internet_20_link" '
                    f'text:visited-style-name="Visited_20_Internet_20_Link">'
                    f"{self(m.group('ltext'), in_note)}</text:a>"
                )
            elif m.group("sup"):
                out.append(f'<text:span text:style-name="Sup">{self(m.group("stext"), in_note)}</text:span>')
            elif m.group("bold"):
                out.append(f'<text:span text:style-name="Bold">{self(m.group("btext"), in_note)}</text:span>')
            elif m.group("ital"):
                out.append(f'<text:span text:style-name="Italic">{self(m.group("itext"), in_note)}</text:span>')
        out.append(esc(s[pos:]))
        return "".join(out)


# ---------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"'
)

FONT = "Liberation Sans"  # metric-compatible with Arial, the font of CMS papers
HANG = "1cm"  # hanging indent of numbered paragraphs


def styles_xml(lang: str, country: str) -> str:
    hyph = (
        f'fo:language="{lang}" fo:country="{country}" fo:hyphenate="true" '
        'fo:hyphenation-remain-char-count="3" fo:hyphenation-push-char-count="3"'
    )
    nohyph = 'fo:hyphenate="false"'
    return f"""
<office:font-face-decls>
  <style:font-face style:name="{FONT}" svg:font-family="'{FONT}'" style:font-family-generic="swiss" style:font-pitch="variable"/>
</office:font-face-decls>
<office:styles>
  <style:default-style style:family="paragraph">
    <style:paragraph-properties fo:hyphenation-ladder-count="3" style:writing-mode="lr-tb" style:tab-stop-distance="1.25cm"/>
    <style:text-properties style:font-name="{FONT}" fo:font-size="11pt" {hyph}/>
  </style:default-style>
  <style:default-style style:family="table-cell">
    <style:table-cell-properties style:vertical-align="top"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text">
    <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm"/>
  </style:style>
  <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
    <style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.3cm" fo:orphans="2" fo:widows="2"/>
  </style:style>
  <style:style style:name="NumPara" style:family="paragraph" style:parent-style-name="Body" style:class="text">
    <style:paragraph-properties fo:margin-left="{HANG}" fo:text-indent="-{HANG}">
      <style:tab-stops><style:tab-stop style:position="0cm"/></style:tab-stops>
    </style:paragraph-properties>
  </style:style>
  <style:style style:name="Bullet" style:family="paragraph" style:parent-style-name="Body" style:class="text">
    <style:paragraph-properties fo:margin-left="1.6cm" fo:text-indent="-0.6cm" fo:margin-bottom="0.2cm">
      <style:tab-stops><style:tab-stop style:position="0cm"/></style:tab-stops>
    </style:paragraph-properties>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
    <style:paragraph-properties fo:margin-top="0.2cm" fo:margin-bottom="0.3cm" fo:keep-with-next="always"/>
    <style:text-properties fo:font-weight="bold" {nohyph}/>
  </style:style>
  <style:style style:name="BodyTitle" style:family="paragraph" style:parent-style-name="Heading" style:class="text">
    <style:paragraph-properties fo:text-align="center" fo:margin-top="0cm" fo:margin-bottom="0.6cm"/>
  </style:style>
  <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
    <style:paragraph-properties fo:text-align="justify" fo:margin-left="0.4cm" fo:text-indent="-0.4cm" fo:margin-bottom="0.08cm"/>
    <style:text-properties fo:font-size="9pt"/>
  </style:style>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
    <style:paragraph-properties fo:text-align="end"/>
    <style:text-properties fo:font-size="9pt" {nohyph}/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
    <style:paragraph-properties fo:text-align="center"/>
    <style:text-properties fo:font-size="10pt"/>
  </style:style>
  <style:style style:name="Cover" style:family="paragraph" style:parent-style-name="Standard">
    <style:text-properties {nohyph}/>
  </style:style>
  <style:style style:name="TableText" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
    <style:text-properties fo:font-size="9pt" {nohyph}/>
  </style:style>
  <style:style style:name="TableHead" style:family="paragraph" style:parent-style-name="TableText" style:class="extra">
    <style:paragraph-properties fo:keep-with-next="always"/>
    <style:text-properties fo:font-weight="bold" {nohyph}/>
  </style:style>
  <style:style style:name="Footnote_20_anchor" style:display-name="Footnote anchor" style:family="text">
    <style:text-properties style:text-position="super 58%"/>
  </style:style>
  <style:style style:name="Footnote_20_Symbol" style:display-name="Footnote Symbol" style:family="text">
    <style:text-properties style:text-position="super 58%"/>
  </style:style>
  <style:style style:name="Internet_20_link" style:display-name="Internet link" style:family="text">
    <style:text-properties fo:color="#0563c1" style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Visited_20_Internet_20_Link" style:display-name="Visited Internet Link" style:family="text">
    <style:text-properties fo:color="#0563c1" style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Sup" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
  <style:style style:name="Italic" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
  <style:style style:name="Bold" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_20_anchor"
     text:citation-body-style-name="Footnote_20_Symbol" style:num-format="1" text:start-value="0"
     text:footnotes-position="page" text:start-numbering-at="document"/>
</office:styles>
"""


def automatic_styles(paper: Paper) -> str:
    cols = ""
    table = next((b[1] for b in paper.blocks if b[0] == "table"), None)
    if table:
        widths = [float(w) for w in paper.meta.get("table_widths", "").split()] or [1.0] * len(table[0])
        total = sum(widths)
        for i, w in enumerate(widths):
            cols += (
                f'<style:style style:name="TCol{i}" style:family="table-column">'
                f'<style:table-column-properties style:column-width="{16.0 * w / total:.2f}cm"/></style:style>'
            )
    cell_border = 'fo:border="0.5pt solid #000000" fo:padding="0.08cm"'
    return f"""
<office:automatic-styles>
  <style:page-layout style:name="PLCover">
    <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait"
        fo:margin-top="1.25cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
  </style:page-layout>
  <style:page-layout style:name="PLBody">
    <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait"
        fo:margin-top="1.25cm" fo:margin-bottom="1.25cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm">
      <style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.15cm" style:distance-after-sep="0.1cm"
          style:line-style="solid" style:adjustment="left" style:rel-width="25%" style:color="#000000"/>
    </style:page-layout-properties>
    <style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.6cm"/></style:header-style>
    <style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.6cm"/></style:footer-style>
  </style:page-layout>
  <style:style style:name="PCoverFirst" style:family="paragraph" style:parent-style-name="Cover" style:master-page-name="CoverPage"/>
  <style:style style:name="PBodyStart" style:family="paragraph" style:parent-style-name="BodyTitle" style:master-page-name="BodyPage">
    <style:paragraph-properties style:page-number="auto"/>
  </style:style>
  <style:style style:name="PCLeft" style:family="paragraph" style:parent-style-name="Cover">
    <style:text-properties fo:font-size="12pt" fo:font-weight="bold" fo:color="#1f3864"/>
  </style:style>
  <style:style style:name="PCRight" style:family="paragraph" style:parent-style-name="Cover">
    <style:text-properties fo:font-size="10pt"/>
  </style:style>
  <style:style style:name="PCSymbol" style:family="paragraph" style:parent-style-name="Cover">
    <style:text-properties fo:font-size="12pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="PCRule" style:family="paragraph" style:parent-style-name="Cover">
    <style:paragraph-properties fo:margin-bottom="0.9cm" fo:padding-bottom="0.05cm" fo:border-bottom="1.1pt solid #000000" fo:border-top="none" fo:border-left="none" fo:border-right="none"/>
    <style:text-properties fo:font-size="4pt"/>
  </style:style>
  <style:style style:name="PCMeeting" style:family="paragraph" style:parent-style-name="Cover">
    <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.25cm"/>
    <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="PCPlace" style:family="paragraph" style:parent-style-name="Cover">
    <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.6cm"/>
    <style:text-properties fo:font-style="italic"/>
  </style:style>
  <style:style style:name="PCAgenda" style:family="paragraph" style:parent-style-name="Cover">
    <style:paragraph-properties fo:text-align="end" fo:margin-bottom="0.2cm" fo:padding-bottom="0.25cm" fo:border-bottom="0.75pt solid #000000" fo:border-top="none" fo:border-left="none" fo:border-right="none"/>
  </style:style>
  <style:style style:name="PCTitle" style:family="paragraph" style:parent-style-name="Cover">
    <style:paragraph-properties fo:text-align="center" fo:margin-top="1.4cm" fo:margin-bottom="0.3cm"/>
    <style:text-properties fo:font-size="12pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="PCPrepared" style:family="paragraph" style:parent-style-name="Cover">
    <style:paragraph-properties fo:text-align="center" fo:margin-bottom="1.2cm"/>
    <style:text-properties fo:font-style="italic"/>
  </style:style>
  <style:style style:name="PCBox" style:family="paragraph" style:parent-style-name="Body">
    <style:paragraph-properties fo:margin-left="0.5cm" fo:margin-right="0.5cm" fo:margin-bottom="0cm"
        fo:border="0.75pt solid #000000" fo:padding="0.3cm" style:join-border="true"/>
    <style:text-properties fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="TTop" style:family="table">
    <style:table-properties style:width="16cm" table:align="left"/>
  </style:style>
  <style:style style:name="TTopL" style:family="table-column"><style:table-column-properties style:column-width="9cm"/></style:style>
  <style:style style:name="TTopR" style:family="table-column"><style:table-column-properties style:column-width="7cm"/></style:style>
  <style:style style:name="TTopCell" style:family="table-cell"><style:table-cell-properties fo:padding="0cm" fo:border="none"/></style:style>
  <style:style style:name="TData" style:family="table">
    <style:table-properties style:width="16cm" table:align="left" fo:margin-top="0.2cm" fo:margin-bottom="0.4cm"/>
  </style:style>
  {cols}
  <style:style style:name="TRow" style:family="table-row"><style:table-row-properties fo:keep-together="always"/></style:style>
  <style:style style:name="TCell" style:family="table-cell"><style:table-cell-properties {cell_border}/></style:style>
  <style:style style:name="THead" style:family="table-cell"><style:table-cell-properties {cell_border} fo:background-color="#d9d9d9"/></style:style>
</office:automatic-styles>
"""


# The first page's footer of the `word-cover` template: the economy note of older CMS covers.
ECONOMY_NOTE = {
    "en": "For reasons of economy, documents are printed in a limited number, and will not be distributed at "
    "the meeting. Delegates are kindly requested to bring their copy to the meeting and not to request additional copies.",
    "fr": "Pour des raisons d’économie, les documents sont imprimés en nombre limité et ne seront pas distribués "
    "pendant la réunion. Les délégués sont priés d’apporter leur copie et de ne pas demander de copies supplémentaires.",
    "es": "Por razones de economía, los documentos se imprimen en número limitado y no se distribuirán durante la "
    "reunión. Se ruega a los delegados que lleven su copia y no soliciten copias adicionales.",
}


def word_cover_masters(symbol: str, masthead: str, lang: str) -> str:
    """Word's "different first page" and "different odd and even pages": the masthead in the
    first page's header, the economy note in its footer; on body pages the symbol and the page
    number stand at the outer edge, right on odd pages and left on even ones."""
    number = '<text:page-number text:select-page="current">2</text:page-number>'
    return f"""
<office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="PLBody"/>
  <style:master-page style:name="CoverPage" style:page-layout-name="PLCover" style:next-style-name="BodyPage">
    <style:header>{masthead}</style:header>
    <style:footer><text:p text:style-name="CoverFooter">{esc(ECONOMY_NOTE.get(lang, ECONOMY_NOTE["en"]))}</text:p></style:footer>
  </style:master-page>
  <style:master-page style:name="BodyPage" style:page-layout-name="PLBody">
    <style:header><text:p text:style-name="Header">{esc(symbol)}</text:p></style:header>
    <style:header-left><text:p text:style-name="HeaderLeft">{esc(symbol)}</text:p></style:header-left>
    <style:footer><text:p text:style-name="FooterOdd">{number}</text:p></style:footer>
    <style:footer-left><text:p text:style-name="FooterEven">{number}</text:p></style:footer-left>
  </style:master-page>
</office:master-styles>
"""


def master_styles(symbol: str) -> str:
    return f"""
<office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="PLBody"/>
  <style:master-page style:name="CoverPage" style:page-layout-name="PLCover" style:next-style-name="BodyPage"/>
  <style:master-page style:name="BodyPage" style:page-layout-name="PLBody">
    <style:header><text:p text:style-name="Header">{esc(symbol)}</text:p></style:header>
    <style:footer><text:p text:style-name="Footer"><text:page-number text:select-page="current">2</text:page-number></text:p></style:footer>
  </style:master-page>
</office:master-styles>
"""


# ---------------------------------------------------------------------------
# Document body
# ---------------------------------------------------------------------------


def masthead_xml(paper: Paper, inline: Inline) -> str:
    """The cover's top: convention name on the left, Distribution / symbol / date / Original on the right."""
    m = paper.meta
    right = [
        ("PCRight", m.get("distribution", "Distribution: General")),
        ("PCSymbol", m["symbol"]),
        ("PCRight", m["date"]),
        ("PCRight", m.get("original", "Original: English")),
    ]
    left = m.get("convention", "CONVENTION ON MIGRATORY SPECIES")
    out = [
        '<table:table table:name="CoverTop" table:style-name="TTop">',
        '<table:table-column table:style-name="TTopL"/><table:table-column table:style-name="TTopR"/>',
        '<table:table-row><table:table-cell table:style-name="TTopCell" office:value-type="string">',
        f'<text:p text:style-name="PCLeft">{inline(left)}</text:p>',
        '</table:table-cell><table:table-cell table:style-name="TTopCell" office:value-type="string">',
    ]
    out += [f'<text:p text:style-name="{s}">{inline(t)}</text:p>' for s, t in right]
    out.append("</table:table-cell></table:table-row></table:table>")
    return "\n".join(out)


def cover_xml(paper: Paper, inline: Inline, masthead_in_header: bool = False) -> str:
    m = paper.meta
    # first paragraph carries the cover master page
    out = ['<text:p text:style-name="PCoverFirst"/>']
    if not masthead_in_header:
        out.append(masthead_xml(paper, inline))
    out.append('<text:p text:style-name="PCRule"/>')
    meeting = "<text:line-break/>".join(inline(part.strip()) for part in m["meeting"].split("|"))
    out.append(f'<text:p text:style-name="PCMeeting">{meeting}</text:p>')
    out.append(f'<text:p text:style-name="PCPlace">{inline(m["place"])}</text:p>')
    if m.get("agenda"):
        out.append(f'<text:p text:style-name="PCAgenda">{inline(m["agenda"])}</text:p>')
    else:
        out.append('<text:p text:style-name="PCRule"/>')
    out.append(f'<text:p text:style-name="PCTitle">{inline(m["title"])}</text:p>')
    out.append(
        f'<text:p text:style-name="PCPrepared">{inline(m.get("prepared", "(Prepared by the Secretariat)"))}</text:p>'
    )
    label = m.get("summary_label", "Summary:")
    out.append(
        f'<text:p text:style-name="PCBox"><text:span text:style-name="Bold">{inline(label)}</text:span></text:p>'
    )
    for s in paper.summary:
        out.append(f'<text:p text:style-name="PCBox">{inline(s)}</text:p>')
    return "\n".join(out)


def table_xml(rows: list, inline: Inline) -> str:
    n = len(rows[0])
    out = ['<table:table table:name="Table1" table:style-name="TData">']
    out += [f'<table:table-column table:style-name="TCol{i}"/>' for i in range(n)]
    out.append('<table:table-header-rows><table:table-row table:style-name="TRow">')
    for c in rows[0]:
        out.append(
            f'<table:table-cell table:style-name="THead" office:value-type="string">'
            f'<text:p text:style-name="TableHead">{inline(c)}</text:p></table:table-cell>'
        )
    out.append("</table:table-row></table:table-header-rows>")
    for r in rows[1:]:
        if len(r) != n:
            raise SystemExit(f"table row has {len(r)} cells, {n} expected: {r}")
        out.append('<table:table-row table:style-name="TRow">')
        for c in r:
            paras = "".join(
                f'<text:p text:style-name="TableText">{inline(p.strip())}</text:p>' for p in c.split("<br>")
            )
            out.append(
                f'<table:table-cell table:style-name="TCell" office:value-type="string">{paras}</table:table-cell>'
            )
        out.append("</table:table-row>")
    out.append("</table:table>")
    return "\n".join(out)


def body_xml(paper: Paper, inline: Inline) -> str:
    out = []
    started = False
    for kind, payload in paper.blocks:
        if kind == "title":
            style = "BodyTitle" if started else "PBodyStart"
            started = True
            out.append(f'<text:p text:style-name="{style}">{inline(payload)}</text:p>')
            continue
        if not started:
            raise SystemExit(f"{paper.stem}: body must begin with a '# TITLE' line")
        if kind == "heading":
            out.append(f'<text:h text:style-name="Heading" text:outline-level="1">{inline(payload)}</text:h>')
        elif kind == "para":
            num, text = payload
            out.append(f'<text:p text:style-name="NumPara">{num}.<text:tab/>{inline(text)}</text:p>')
        elif kind == "bullet":
            out.append(f'<text:p text:style-name="Bullet">\u2022<text:tab/>{inline(payload)}</text:p>')
        elif kind == "plain":
            out.append(f'<text:p text:style-name="Body">{inline(payload)}</text:p>')
        elif kind == "table":
            out.append(table_xml(payload, inline))
    return "\n".join(out)


def fodt(paper: Paper, variant: str | None = None) -> str:
    lang, _, country = paper.meta.get("language", "en-GB").partition("-")
    inline = Inline(paper)
    own_cover = variant == "word-cover"
    masthead = masthead_xml(paper, inline) if own_cover else ""
    cover = cover_xml(paper, inline, masthead_in_header=own_cover)
    body = body_xml(paper, inline)
    masters = (
        word_cover_masters(paper.meta["symbol"], masthead, lang) if own_cover else master_styles(paper.meta["symbol"])
    )
    unused = set(paper.notes) - set(inline.used_notes)
    if unused:
        raise SystemExit(f"{paper.stem}: footnote text without marker: {sorted(unused)}")
    title = esc(paper.meta["title"].title() if paper.meta["title"].isupper() else paper.meta["title"])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta>
  <dc:title>{esc(paper.meta["symbol"])} – {title}</dc:title>
  <dc:subject>{esc(re.sub(r"<[^>]+>", "", paper.meta["meeting"].replace("|", " ")))}</dc:subject>
  <dc:language>{lang}-{country}</dc:language>
</office:meta>
{styles_xml(lang, country)}
{automatic_styles(paper)}
{masters}
<office:body><office:text>
{cover}
{body}
</office:text></office:body>
</office:document>
"""


# ---------------------------------------------------------------------------
# HTML + CSS paged media, typeset by WeasyPrint (the `html` variant)
# ---------------------------------------------------------------------------
#
# Another engine, not another template: WeasyPrint (BSD) lays out an HTML page with CSS paged
# media -- @page margin boxes for the running header (the symbol, carried by `string-set`) and the
# page number (`counter(page)`), CSS footnotes (`float: footnote`, a ruled @footnote area),
# pyphen's hyphenation instead of LibreOffice's, and a cover laid out as a grid: a logo text block
# on the left ("CMS / CONVENTION ON / MIGRATORY / SPECIES"), the Distr./symbol/date/Original block
# on the right, as UN papers print them. WeasyPrint runs as a subprocess, so this script stays
# standard-library only; its pinned install is requirements/corpus.txt.

HTML_FONT = "DejaVu Serif"  # fonts-dejavu-core: other metrics than the Liberation faces of the LibreOffice variants

HTML_CSS = """
@page {
  size: A4;
  margin: 2.3cm 2.2cm 2.4cm 2.2cm;
  @top-left { content: string(symbol); font-size: 8.5pt; vertical-align: bottom; padding-bottom: 0.3cm; }
  @bottom-right { content: counter(page); font-size: 9pt; vertical-align: top; padding-top: 0.4cm; }
  @footnote { border-top: 0.5pt solid black; padding-top: 0.15cm; margin-top: 0.4cm; }
}
@page :first {
  margin-top: 1.2cm;
  @top-left { content: none; }
  @bottom-right { content: none; }
}
html { font-family: "FONT"; font-size: 10pt; line-height: 1.28; }
body { margin: 0; }
p { margin: 0 0 0.25cm 0; text-align: justify; hyphens: auto; orphans: 2; widows: 2; }
.masthead { display: grid; grid-template-columns: 9.5cm 1fr; column-gap: 0.5cm; align-items: start;
            border-bottom: 2pt solid black; padding-bottom: 0.3cm; }
.logo { font-family: "Liberation Sans"; font-weight: bold; font-size: 10pt; line-height: 1.15; color: #1f3864; }
.logo .acr { font-size: 22pt; letter-spacing: 1pt; line-height: 1.1; }
.distr p { text-align: left; margin: 0; hyphens: manual; font-size: 9.5pt; }
.distr .sym { font-family: "Liberation Sans"; font-weight: bold; font-size: 13pt; string-set: symbol content(); margin-bottom: 0.1cm; }
.meeting { text-align: left; font-weight: bold; margin-top: 0.8cm; hyphens: manual; }
.place { text-align: left; font-style: italic; hyphens: manual; }
.agenda { text-align: left; font-weight: bold; margin-top: 0.5cm; hyphens: manual; }
.cover-title { text-align: left; font-weight: bold; font-size: 12pt; margin-top: 1.2cm; hyphens: manual; }
.prepared { text-align: left; margin-bottom: 0.9cm; hyphens: manual; }
.summary { border-left: 3pt solid #1f3864; padding: 0.1cm 0 0.1cm 0.4cm; }
.summary p { hyphens: manual; }
.body-title { break-before: page; text-align: center; font-weight: bold; margin-bottom: 0.5cm; hyphens: manual; }
h2 { font-size: 10pt; font-weight: bold; margin: 0.35cm 0 0.25cm 0; break-after: avoid; }
.num { padding-left: 0.9cm; text-indent: -0.9cm; }
.num .n { display: inline-block; width: 0.9cm; text-indent: 0; }
.bullet { padding-left: 1.5cm; text-indent: -0.5cm; }
.bullet .b { display: inline-block; width: 0.5cm; text-indent: 0; }
sup { font-size: 65%; vertical-align: super; line-height: 0; }
a { color: #0563c1; }
.fn { float: footnote; font-size: 8pt; line-height: 1.25; text-align: justify; hyphens: auto; text-indent: 0; }
::footnote-call { content: counter(footnote); font-size: 65%; vertical-align: super; line-height: 0; }
::footnote-marker { content: counter(footnote); font-size: 65%; vertical-align: super; padding-right: 0.15cm; }
table { border-collapse: collapse; width: 100%; margin: 0.2cm 0 0.4cm 0; font-size: 8pt; }
th, td { border: 0.5pt solid black; padding: 0.06cm 0.08cm; vertical-align: top; text-align: left; }
th { background: #d9d9d9; font-weight: bold; }
td p, th p { margin: 0; text-align: left; hyphens: manual; }
tr { break-inside: avoid; }
"""


class HtmlInline:
    """The source's inline notation as HTML; a note becomes a CSS footnote where its marker stands."""

    def __init__(self, paper: Paper):
        self.paper = paper
        self.used_notes: list = []

    def __call__(self, s: str, in_note: bool = False) -> str:
        out, pos = [], 0
        for m in INLINE.finditer(s):
            out.append(html.escape(s[pos : m.start()], quote=False))
            pos = m.end()
            if m.group("note"):
                if in_note:
                    raise SystemExit("footnote inside footnote")
                nid = m.group("nid")
                if nid not in self.paper.notes:
                    raise SystemExit(f"{self.paper.stem}: footnote [^{nid}] has no text")
                self.used_notes.append(nid)
                out.append(f'<span class="fn">{self(self.paper.notes[nid], True)}</span>')
            elif m.group("link"):
                out.append(f'<a href="{html.escape(m.group("href"))}">{self(m.group("ltext"), in_note)}</a>')
            elif m.group("sup"):
                out.append(f"<sup>{self(m.group('stext'), in_note)}</sup>")
            elif m.group("bold"):
                out.append(f"<b>{self(m.group('btext'), in_note)}</b>")
            elif m.group("ital"):
                out.append(f"<i>{self(m.group('itext'), in_note)}</i>")
        out.append(html.escape(s[pos:], quote=False))
        return "".join(out)


def logo_lines(convention: str) -> list[str]:
    """The convention's name as a logo block: the acronym, then the name two words a line at most
    ("CONVENTION ON / MIGRATORY / SPECIES"), the way the CMS logo stacks it."""
    words = convention.split()
    lines: list[str] = []
    for w in words:
        if (lines and len(lines[-1].split()) == 1 and len(lines[-1]) + len(w) <= 14 and len(lines) < 2) or (
            lines and w.lower() in ("on", "sur", "sobre", "les", "las", "de")
        ):
            lines[-1] += " " + w
        else:
            lines.append(w)
    return lines


def html_page(paper: Paper) -> str:
    m = paper.meta
    lang = m.get("language", "en-GB")
    inline = HtmlInline(paper)
    logo = "<br>".join(html.escape(x) for x in logo_lines(m.get("convention", "CONVENTION ON MIGRATORY SPECIES")))
    distribution = m.get("distribution", "Distr.: General")
    out = [
        '<div class="masthead">',
        f'<div class="logo"><span class="acr">CMS</span><br>{logo}</div>',
        '<div class="distr">',
        f"<p>{inline(distribution)}</p>",
        f'<p class="sym">{html.escape(m["symbol"])}</p>',
        f"<p>{inline(m['date'])}</p>",
        f"<p>{inline(m.get('original', 'Original: English'))}</p>",
        "</div></div>",
    ]
    meeting = "<br>".join(inline(part.strip()) for part in m["meeting"].split("|"))
    out.append(f'<p class="meeting">{meeting}</p>')
    out.append(f'<p class="place">{inline(m["place"])}</p>')
    if m.get("agenda"):
        out.append(f'<p class="agenda">{inline(m["agenda"])}</p>')
    out.append(f'<p class="cover-title">{inline(m["title"])}</p>')
    out.append(f'<p class="prepared">{inline(m.get("prepared", "(Prepared by the Secretariat)"))}</p>')
    out.append('<div class="summary">')
    out.append(f"<p><b>{inline(m.get('summary_label', 'Summary:'))}</b></p>")
    out += [f"<p>{inline(s)}</p>" for s in paper.summary]
    out.append("</div>")
    started = False
    for kind, payload in paper.blocks:
        if kind == "title":
            cls = "body-title" if not started else "body-title again"
            started = True
            out.append(f'<p class="{cls}">{inline(payload)}</p>')
            continue
        if not started:
            raise SystemExit(f"{paper.stem}: body must begin with a '# TITLE' line")
        if kind == "heading":
            out.append(f"<h2>{inline(payload)}</h2>")
        elif kind == "para":
            num, text = payload
            out.append(f'<p class="num"><span class="n">{num}.</span>{inline(text)}</p>')
        elif kind == "bullet":
            out.append(f'<p class="bullet"><span class="b">\u2022</span>{inline(payload)}</p>')
        elif kind == "plain":
            out.append(f"<p>{inline(payload)}</p>")
        elif kind == "table":
            out.append(html_table(payload, paper, inline))
    unused = set(paper.notes) - set(inline.used_notes)
    if unused:
        raise SystemExit(f"{paper.stem}: footnote text without marker: {sorted(unused)}")
    title = html.escape(f"{m['symbol']} – {m['title']}")
    css = HTML_CSS.replace("FONT", HTML_FONT)
    body = "\n".join(out)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{css}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def html_table(rows: list, paper: Paper, inline: HtmlInline) -> str:
    n = len(rows[0])
    widths = [float(w) for w in paper.meta.get("table_widths", "").split()] or [1.0] * n
    cols = "".join(f'<col style="width:{100 * w / sum(widths):.1f}%">' for w in widths)
    out = [f"<table><colgroup>{cols}</colgroup><thead><tr>"]
    out += [f"<th>{inline(c)}</th>" for c in rows[0]]
    out.append("</tr></thead><tbody>")
    for r in rows[1:]:
        if len(r) != n:
            raise SystemExit(f"table row has {len(r)} cells, {n} expected: {r}")
        cells = ("".join(f"<p>{inline(p.strip())}</p>" for p in c.split("<br>")) for c in r)
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def weasyprint_version(weasyprint: str) -> str:
    try:
        res = subprocess.run([weasyprint, "--version"], capture_output=True, text=True, timeout=120)
        return res.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "WeasyPrint (version unknown)"


def typeset_html(pages: list, outdir: Path, weasyprint: str) -> None:
    for page in pages:
        target = outdir / f"{page.stem}.pdf"
        res = subprocess.run([weasyprint, str(page), str(target)], capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            sys.stderr.write(res.stdout + res.stderr)
            raise SystemExit(f"WeasyPrint failed on {page.name}")


# ---------------------------------------------------------------------------
# Typesetting and manifest
# ---------------------------------------------------------------------------


# Other typesettings of the same sources, written to tests/data/variants/<name>/ (not under
# corpus/: `cami ingest corpus/` searches folders, and a second typesetting of a paper has its
# symbol and language, so the store would take it for a new version). Each must parse to the
# source's golden (tests/parse/test_variants.py).
VARIANTS = {
    # a Word-like template: serif 12 pt, narrower margins, a full-width footnote rule
    "word": [
        ("Liberation Sans", "Liberation Serif"),
        ('style:font-family-generic="swiss"', 'style:font-family-generic="roman"'),
        ('fo:font-size="11pt" fo:language', 'fo:font-size="12pt" fo:language'),
        ('fo:margin-left="2.5cm" fo:margin-right="2.5cm"', 'fo:margin-left="2.2cm" fo:margin-right="2.2cm"'),
        ('style:rel-width="25%"', 'style:rel-width="100%"'),
    ],
    # the body set in two columns (one paper: CAMI3 Doc.7, which has no table)
    "twocol": [
        (
            '<style:footnote-sep style:width="0.018cm"',
            '<style:columns fo:column-count="2" fo:column-gap="0.8cm"/><style:footnote-sep style:width="0.018cm"',
        ),
    ],
}
# Word's own cover page (with fodt(..., variant="word-cover"), which moves the masthead into the
# first page's header and gives body pages odd/even headers and footers): Liberation Serif 11 pt
# (Times metrics) at 115% line height, Word's 2.54 cm margins and 0.63 cm list indent, Word's
# one-third footnote separator, notes in 10 pt with the number glued to the text, no hanging indent.
WORD_COVER_STYLES = """
  <style:style style:name="HeaderLeft" style:family="paragraph" style:parent-style-name="Header" style:class="extra">
    <style:paragraph-properties fo:text-align="start"/>
  </style:style>
  <style:style style:name="FooterOdd" style:family="paragraph" style:parent-style-name="Footer" style:class="extra">
    <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="FooterEven" style:family="paragraph" style:parent-style-name="Footer" style:class="extra">
    <style:paragraph-properties fo:text-align="start"/>
  </style:style>
  <style:style style:name="CoverFooter" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
    <style:paragraph-properties fo:text-align="justify" fo:padding-top="0.1cm" fo:border-top="0.5pt solid #000000" fo:border-bottom="none" fo:border-left="none" fo:border-right="none"/>
    <style:text-properties fo:font-size="8pt" fo:font-style="italic" fo:hyphenate="false"/>
  </style:style>
</office:styles>"""
VARIANTS["word-cover"] = [
    (
        'fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>\n  </style:page-layout>',
        'fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>\n'
        '    <style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.5cm"/></style:header-style>\n'
        '    <style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.5cm"/></style:footer-style>\n'
        "  </style:page-layout>",
    ),
    ("</office:styles>", WORD_COVER_STYLES),
    ("Liberation Sans", "Liberation Serif"),
    ('style:font-family-generic="swiss"', 'style:font-family-generic="roman"'),
    ('fo:margin-left="2.5cm" fo:margin-right="2.5cm"', 'fo:margin-left="2.54cm" fo:margin-right="2.54cm"'),
    ('style:width="16cm"', 'style:width="15.9cm"'),
    ('style:column-width="9cm"', 'style:column-width="8.9cm"'),
    ('style:rel-width="25%"', 'style:rel-width="33%"'),
    (
        'fo:text-align="justify" fo:margin-bottom="0.3cm" fo:orphans="2"',
        'fo:text-align="justify" fo:margin-bottom="0.21cm" fo:line-height="115%" fo:orphans="2"',
    ),
    ('fo:margin-left="1cm" fo:text-indent="-1cm"', 'fo:margin-left="0.63cm" fo:text-indent="-0.63cm"'),
    (
        'fo:margin-left="0.4cm" fo:text-indent="-0.4cm" fo:margin-bottom="0.08cm"/>\n    <style:text-properties fo:font-size="9pt"/>',
        'fo:margin-left="0cm" fo:text-indent="0cm" fo:margin-bottom="0cm"/>\n    <style:text-properties fo:font-size="10pt"/>',
    ),
]
# Not LibreOffice at all: the HTML page of each source, typeset by WeasyPrint (html_page above).
HTML_VARIANT = "html"
VARIANT_PAPERS = {"twocol": ["UNEP-CMS-CAMI3-Doc.7"]}


def apply_variant(xml: str, name: str) -> str:
    for old, new in VARIANTS[name]:
        if old not in xml:
            raise SystemExit(f"variant {name}: template text {old!r} not found")
        xml = xml.replace(old, new)
    return xml


def soffice_version(soffice: str) -> str:
    try:
        res = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=120)
        return res.stdout.strip().split("\n")[0]
    except (OSError, subprocess.SubprocessError):
        return "LibreOffice (version unknown)"


def typeset(fodt_files: list, outdir: Path, soffice: str) -> None:
    with tempfile.TemporaryDirectory(prefix="cami-lo-profile-") as prof:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{prof}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            *map(str, fodt_files),
        ]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            sys.stderr.write(res.stdout + res.stderr)
            raise SystemExit("LibreOffice conversion failed")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


MANIFEST_FIELDS = [
    "file",
    "symbol",
    "language",
    "kind",
    "title",
    "meeting",
    "issue_date",
    "pages",
    "source_text",
    "engine",
    "text_provenance",
    "assumed_values",
    "deliberate_disagreements",
    "notes",
    "sha256",
]


PAGES_DICT = re.compile(rb"<<[^<>]*?/Type\s*/Pages\b[^<>]*>>")


def page_count(pdf: Path) -> str:
    data = pdf.read_bytes()
    texts = [data]
    if not PAGES_DICT.search(data):  # WeasyPrint keeps its objects in compressed object streams
        for s in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
            try:
                texts.append(zlib.decompress(s.group(1)))
            except zlib.error:
                continue
    for text in texts:
        for d in PAGES_DICT.finditer(text):
            m = re.search(rb"/Count\s+(\d+)", d.group())
            if m:
                return m.group(1).decode()
    return ""


def plain(s: str) -> str:
    """Cover value without markup, as it reads on the page."""
    s = re.sub(r"<[^>]+>", "", s.replace(" | ", " ").replace("|", " "))
    return re.sub(r"\*+|\[\^\w+\]", "", s)


def write_manifest(papers: list, engine: str) -> None:
    rows = []
    for p in papers:
        m = p.meta
        pdf = HERE / m["file"]
        rows.append(
            {
                "file": m["file"],
                "symbol": m["symbol"],
                "language": m.get("language", "en-GB"),
                "kind": m.get("kind", "doc"),
                "title": m["title"],
                "meeting": plain(m["meeting"]),
                "issue_date": m["date"],
                "pages": page_count(pdf),
                "source_text": f"corpus/src/{p.stem}.txt",
                "engine": f"make_corpus.py -> Flat ODT -> {engine} (writer_pdf_Export)",
                "text_provenance": m.get("provenance", ""),
                "assumed_values": m.get("assumed", ""),
                "deliberate_disagreements": m.get("disagreements", ""),
                "notes": m.get("notes", ""),
                "sha256": sha256(pdf),
            }
        )
    with open(HERE / "MANIFEST.csv", "w", newline="", encoding="utf-8") as f:
        # "\n": the committed manifest has LF line ends (csv defaults to CRLF).
        w = csv.DictWriter(f, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    ap.add_argument("--keep-fodt", type=Path, help="also keep the generated .fodt files in this folder")
    ap.add_argument("--only", action="append", help="source stem(s) to build (default: all)")
    ap.add_argument("--weasyprint", default=shutil.which("weasyprint") or "weasyprint", help="for --variant html")
    ap.add_argument(
        "--variant",
        choices=sorted([*VARIANTS, HTML_VARIANT]),
        help="typeset into tests/data/variants/NAME/ with that template (or engine: html)",
    )
    args = ap.parse_args(argv)
    if args.variant == HTML_VARIANT:
        return build_html(args.weasyprint, args.only, args.keep_fodt)
    if args.variant:
        return build_variant(args.variant, args.soffice, args.only)

    sources = sorted(SRC.glob("*.txt"))
    papers = [read_source(s) for s in sources]
    todo = [p for p in papers if not args.only or p.stem in args.only]
    if not todo:
        raise SystemExit("nothing to build")
    with tempfile.TemporaryDirectory(prefix="cami-fodt-") as tmp:
        tmpdir = Path(tmp)
        files = []
        for p in todo:
            target = Path(p.meta["file"]).stem
            f = tmpdir / f"{target}.fodt"
            f.write_text(fodt(p), encoding="utf-8")
            files.append(f)
        if args.keep_fodt:
            args.keep_fodt.mkdir(parents=True, exist_ok=True)
            for f in files:
                shutil.copy(f, args.keep_fodt / f.name)
        typeset(files, HERE, args.soffice)
    missing = [p.meta["file"] for p in todo if not (HERE / p.meta["file"]).exists()]
    if missing:
        raise SystemExit(f"not produced: {missing}")
    built = [p for p in papers if (HERE / p.meta["file"]).exists()]
    write_manifest(built, soffice_version(args.soffice))
    for p in todo:
        pdf = HERE / p.meta["file"]
        print(f"{pdf.name}: {page_count(pdf)} pages, {pdf.stat().st_size // 1024} KiB")
    return 0


def build_variant(name: str, soffice: str, only: list | None) -> int:
    outdir = HERE.parent / "tests" / "data" / "variants" / name
    outdir.mkdir(parents=True, exist_ok=True)
    papers = [read_source(s) for s in sorted(SRC.glob("*.txt"))]
    wanted = only or VARIANT_PAPERS.get(name)
    todo = [p for p in papers if not wanted or Path(p.meta["file"]).stem in wanted or p.stem in wanted]
    with tempfile.TemporaryDirectory(prefix="cami-fodt-") as tmp:
        files = []
        for p in todo:
            f = Path(tmp) / f"{Path(p.meta['file']).stem}.fodt"
            f.write_text(apply_variant(fodt(p, name), name), encoding="utf-8")
            files.append(f)
        typeset(files, outdir, soffice)
    for p in todo:
        pdf = outdir / p.meta["file"]
        print(f"{name}/{pdf.name}: {page_count(pdf)} pages")
    return 0


def build_html(weasyprint: str, only: list | None, keep: Path | None) -> int:
    outdir = HERE.parent / "tests" / "data" / "variants" / HTML_VARIANT
    outdir.mkdir(parents=True, exist_ok=True)
    papers = [read_source(s) for s in sorted(SRC.glob("*.txt"))]
    todo = [p for p in papers if not only or Path(p.meta["file"]).stem in only or p.stem in only]
    with tempfile.TemporaryDirectory(prefix="cami-html-") as tmp:
        pages = []
        for p in todo:
            f = Path(tmp) / f"{Path(p.meta['file']).stem}.html"
            f.write_text(html_page(p), encoding="utf-8")
            pages.append(f)
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for f in pages:
                shutil.copy(f, keep / f.name)
        typeset_html(pages, outdir, weasyprint)
    print(weasyprint_version(weasyprint))
    for p in todo:
        pdf = outdir / p.meta["file"]
        print(f"{HTML_VARIANT}/{pdf.name}: {page_count(pdf)} pages, {pdf.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
