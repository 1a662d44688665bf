"""One grammar of document symbols, shared by the parse stage (cover, running header) and the
document-code extractor. It imports nothing of ours, so both can use it.

A symbol names one meeting paper and all its language versions. The families below are the ones
CMS papers cite and the UN-system papers they sit among (CMS-PRIMER.md, "Document symbols"):

  cms      UNEP/CMS/COP14/Doc.30.3.1, UNEP/CMS/ScC-SC5/Outcome 7, UNEP/AEWA/MOP8/Inf.2/Rev.1,
           IOSEA/MOS8/Doc.5, CITES-CMS/ACI2/Doc.3, CITES/CoP19/Doc.12, UNEP/CMS/PL-RS1/Outcome
  un       A/AC.296/2026/9, A/RES/77/321, A/79/L.12, A/CONF.164/37, UNEP/CBD/COP/14/1,
           CBD/COP/DEC/15/4, UNEP/EA.6/L.1, ST/CS/SER.F/313
  cites    CoP19 Doc. 12, SC70 Doc. 26.2 (CITES cites its own papers without a prefix)
  rfmo     WCPFC17-2020-OP04, WCPFC17-2020-06_rev1, WCPFC4-2007-OP01 Suppl.
  atcm     XXXIX ATCM/WP 12, ATCM XL/IP 5

Each may carry revision suffixes: /Rev.1, /Corr.1, /Add.2, /Annex 1 (and "_rev1" in RFMO
series). The canonical form squashes whitespace and drops the space after an abbreviated kind
("Doc. 12" -> "Doc.12"), so the cover, the running header and a citation agree on one key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Suffixes that make a new paper of the same series: revision, corrigendum, addendum, annex.
# An annex may be unnumbered ("UNEP/CMS/COP13/Doc.26.4.3/Annex").
_SUFFIX = r"(?:\s?/\s?(?:(?:Rev|Add|Corr|Amend)\.?\s?\d+|Annex(?:\s?\d+)?))*"

# CMS family: the Convention, its Agreements and MOUs, the joint CITES-CMS series, and CITES's
# own slashed form. Meeting segments ("COP14", "ScC-SC5", "Saiga/MOS4") come before the kind.
_CMS_SECRETARIATS = r"(?:CMS|AEWA|EUROBATS|ASCOBANS|ACCOBAMS|ACAP|IOSEA|CITES-CMS|CMS-CITES|CITES)"
_CMS_KINDS = r"(?:Doc|Inf|Outcome|Report|CRP|Conf|Res|Rec|Dec|Form|Com)"
CMS = rf"""
    (?:(?:UNEP|PNUMA|PNUE)/)?{_CMS_SECRETARIATS}            # the French and Spanish papers' own prefix
    (?:/(?!{_CMS_KINDS}\b)[A-Za-z][A-Za-z0-9-]*)*          # meeting segments: COP14, ScC-SC5, Saiga/MOS4
    /{_CMS_KINDS}\b
    (?:(?:\.\s?|\s)\d+[a-z]?(?:\.\d+[a-z]?)*)?             # number: .7  .30.3.1  " 7"
    {_SUFFIX}
"""

# UN system: an organ's prefix and two or more slashed segments, at least one with a digit.
_UN_PREFIXES = r"(?:UNEP|CBD|FCCC|ICCD|IPBES|ST|A|S|E|TD|DP|HRC)"
_UN_SEGMENT = r"(?:[A-Z][A-Za-z]*(?:\.\d+(?:\.\d+)*|\.[A-Z]+)?|\d+(?:\.\d+)*|L\.\d+)"
UN = rf"""
    {_UN_PREFIXES}
    (?=(?:/{_UN_SEGMENT})*?/[A-Za-z.]*\d)                  # some segment carries a number
    (?:/{_UN_SEGMENT}){{2,8}}
    {_SUFFIX}
"""

# CITES papers cite their own series unprefixed and with a space: "CoP19 Doc. 12".
CITES = r"(?:CoP|SC|AC|PC)\d{1,3}\s(?:Doc|Inf|Com\.\s?I{1,2}\s?Rec|Com\.\s?I{1,2})\.\s?\d+(?:\.\d+)*" + _SUFFIX

# Regional fisheries bodies: WCPFC17-2020-OP04, WCPFC-SC16-2020/GN-IP-01, WCPFC17-2020-06_rev1.
RFMO = r"""
    (?:WCPFC|IOTC|CCSBT|NPFC|SPRFMO|IATTC|ICCAT)\d{0,3}
    (?:-[A-Z]{1,6}\d{1,3})?
    -\d{4}[-/][A-Za-z]{0,6}-?\d{1,3}[A-Za-z]?(?:-\d{1,3})?
    (?:_rev\d+|\s?\(?Rev\.?\s?\d+\)?)?
    (?:\s(?:Suppl|Add)\.(?:\s?\d+)?)?
"""

# Antarctic Treaty Consultative Meetings: "XXXIX ATCM/WP 12", "ATCM XL/IP 5 rev. 1".
ATCM = r"(?:[IVXLC]{1,7}\s)?ATCM(?:\s[IVXLC]{1,7})?/(?:WP|IP|SP|BP)\s?\d{1,3}(?:\s?rev\.\s?\d+)?"

FAMILIES = {"cms": CMS, "un": UN, "cites": CITES, "rfmo": RFMO, "atcm": ATCM}

# Order matters where two families could match at the same place: the CMS form first (it knows
# "Outcome 7" with a space), the generic UN form after it.
SYMBOL = re.compile(
    r"(?<![\w/.\-])(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in FAMILIES.items())
    + r")(?![\w/]|\.\d)",  # never a symbol cut short inside its own number
    re.X,
)

# Abbreviated kinds lose the space before their number in the canonical form ("Doc. 12").
_ABBREVIATED = re.compile(r"\b(Doc|Inf|CRP|Rev|Add|Corr|Annex|Com|Amend)\.\s+")


@dataclass(frozen=True, slots=True)
class SymbolMatch:
    start: int
    end: int
    text: str  # as printed
    canonical: str
    family: str  # key of FAMILIES


def canonical_symbol(text: str) -> str:
    """The form a symbol is stored and compared in: whitespace squashed, "Doc. 12" -> "Doc.12"."""
    text = re.sub(r"\s+", " ", text.strip())
    text = re.sub(r"\s?/\s?", "/", text)
    return _ABBREVIATED.sub(r"\1.", text)


def find_symbols(text: str) -> Iterator[SymbolMatch]:
    """Every symbol in ``text``, left to right, with half-open offsets."""
    for m in SYMBOL.finditer(text):
        raw = m.group().rstrip()
        family = m.lastgroup or "un"
        yield SymbolMatch(m.start(), m.start() + len(raw), raw, canonical_symbol(raw), family)


def first_symbol(text: str) -> SymbolMatch | None:
    return next(find_symbols(text), None)


def symbol_line(line: str, *, slack: int = 4) -> str | None:
    """The canonical symbol if ``line`` is (nearly) only a symbol, as a cover or header prints it.

    ``slack`` chars of other text are allowed ("Doc: UNEP/CMS/...", a stray bullet).
    """
    m = first_symbol(line)
    if m and len(line.strip()) <= len(m.text) + slack:
        return m.canonical
    return None
