"""Document codes: UNEP/CMS symbols, Resolutions, Decisions, Recommendations.

A regex grammar over the block text (symbols contain "/" and "." that no tokenizer keeps
whole). Canonical forms are documented in README.md; in short:
  symbols        "UNEP/CMS/COP14/Doc.30.3.1", "UNEP/CMS/ScC-SC5/Outcome 7" (whitespace squashed,
                 no space after "Doc.")
  resolutions    "Resolution 11.24", "Resolution 11.24 (Rev.COP13)"
  decisions      "Decision 14.167" (cited sub-paragraph in attrs["subparagraph"]),
                 "draft Decision 14.AA"
  ranges         "Decisions 13.113 to 13.116" -> four mentions sharing the span
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .hits import Hit, hits_of
from .text import normalise

VERSION = 1  # bump when the behaviour changes: the factory and every mention name it
NAME = f"cami_codes_v{VERSION}"  # the registered factory (spaCy forbids "." in factory names, E853)
EXTRACTOR = f"document_code.v{VERSION}"  # stored with each mention
MAX_RANGE = 60  # "Decisions 13.1 to 13.900" is a typo, not 900 decisions

_SECRETARIATS = r"(?:CMS|AEWA|EUROBATS|ASCOBANS|ACCOBAMS|ACAP|IOSEA|CITES-CMS|CMS-CITES|CITES)"
_KINDS = r"(?:Doc|Inf|Outcome|Report|CRP|Conf|Res|Rec|Dec|Form)"
SYMBOL = re.compile(
    rf"""\b(?:UNEP/)?{_SECRETARIATS}
        (?:/(?!{_KINDS}\b)[A-Za-z][A-Za-z0-9-]*)*      # meeting segments: COP14, ScC-SC5, Saiga/MOS4
        /{_KINDS}
        (?:(?:\.\s?|\s)\d+[a-z]?(?:\.\d+[a-z]?)*)?      # number: .7  .30.3.1  " 7"
        (?:/(?:Rev|Add|Corr|Annex)\.?\s?\d+)*           # /Rev.1 /Add.1 /Corr.1
    """,
    re.X,
)

_NUM = r"\d{1,2}\.(?:\d{1,3}|[A-Z]{1,3})\b"
_REV = r"(?:\s*\(\s*Rev\.?\s*(?:COP|CoP)\s*\d+\s*\))"
_SUB1 = r"(?:\(\s*[a-z]{1,4}\s*\)|\b[a-z]{1,4}\))"
_SUB = rf"(?:\s*{_SUB1}(?:\s*(?:,|and|or|to|-)\s*{_SUB1})*)"
_SEP = r"\s*(?:,\s*and|,|and|to|-)\s*"
NUMBERED = re.compile(
    rf"""\b(?P<draft>draft\s+)?
        (?P<kw>Resolutions?|Res\.|Recommendations?|Rec\.|Decisions?|Dec\.)\s+
        (?P<list>(?:Conf\.\s*)?{_NUM}{_REV}?{_SUB}?(?:{_SEP}(?:Conf\.\s*)?{_NUM}{_REV}?{_SUB}?)*)
    """,
    re.X,
)
_ITEM = re.compile(rf"(?P<conf>Conf\.\s*)?(?P<num>{_NUM})(?P<rev>{_REV})?(?P<sub>{_SUB})?")
_KEYWORDS = {"res": "Resolution", "rec": "Recommendation", "dec": "Decision"}


def canonical_symbol(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r"\b(Doc|Inf|CRP|Rev|Add|Corr|Annex)\.\s+", r"\1.", text)


def _keyword(kw: str) -> str:
    return _KEYWORDS[kw[:3].lower()]


def _expand(first: str, last: str) -> list[str] | None:
    a_meeting, a_no = first.split(".")
    b_meeting, b_no = last.split(".")
    if a_meeting != b_meeting or not (a_no.isdigit() and b_no.isdigit()):
        return None
    lo, hi = int(a_no), int(b_no)
    if not 0 < hi - lo <= MAX_RANGE:
        return None
    return [f"{a_meeting}.{n}" for n in range(lo, hi + 1)]


def find_codes(text: str) -> Iterator[Hit]:
    text = normalise(text)  # same length: offsets stay valid
    for m in SYMBOL.finditer(text):
        yield Hit("document_code", m.start(), m.end(), canonical_symbol(m.group()), EXTRACTOR, attrs={"kind": "symbol"})
    for m in NUMBERED.finditer(text):
        keyword = _keyword(m.group("kw"))
        prefix = "draft " if m.group("draft") else ""
        items = list(_ITEM.finditer(text, m.start("list"), m.end("list")))
        previous = None
        for i, item in enumerate(items):
            between = text[items[i - 1].end() : item.start()] if i else ""
            number = item.group("num")
            conf = "Conf. " if item.group("conf") else ""
            attrs = {"kind": keyword.lower()}
            if item.group("sub"):
                attrs["subparagraph"] = re.sub(r"\s+", " ", item.group("sub").strip())
            if prefix:
                attrs["draft"] = "yes"
            rev = ""
            if item.group("rev"):
                rev_no = re.sub(r"\D", "", item.group("rev"))
                rev = f" (Rev.COP{rev_no})"
                attrs["revision"] = f"Rev.COP{rev_no}"
                attrs["base"] = f"{keyword} {conf}{number}"
            if previous and re.fullmatch(r"\s*(?:to|-)\s*", between):
                expanded = _expand(previous, number)
                if expanded:
                    # one mention per value, all on the span of the whole range expression
                    for value in expanded[1:-1]:
                        yield Hit(
                            "document_code",
                            m.start(),
                            m.end("list"),
                            f"{prefix}{keyword} {value}",
                            EXTRACTOR,
                            attrs={**attrs, "expanded_from": text[m.start() : m.end("list")]},
                        )
            # the first item carries the keyword in its span, later items only their number
            start = m.start() if i == 0 else item.start()
            yield Hit(
                "document_code", start, item.end(), f"{prefix}{keyword} {conf}{number}{rev}", EXTRACTOR, attrs=attrs
            )
            previous = number


@Language.factory(NAME, assigns=["doc._.cami_hits"], requires=[])
def make_codes(nlp: Language, name: str) -> CodesComponent:
    return CodesComponent()


class CodesComponent:
    def __call__(self, doc: Doc) -> Doc:
        hits_of(doc).extend(find_codes(doc.text))
        return doc
