"""Document codes: document symbols, Resolutions, Decisions, Recommendations.

A regex grammar over the block text (symbols contain "/" and "." that no tokenizer keeps
whole). Symbols come from the one grammar the parser's cover reader uses too
(cami_extract/symbols.py). Canonical forms are documented in README.md; in short:
  symbols        "UNEP/CMS/COP14/Doc.30.3.1", "UNEP/CMS/ScC-SC5/Outcome 7", "A/AC.296/2026/9"
                 (whitespace squashed, no space after "Doc.")
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

from ..symbols import find_symbols
from ..text import normalise
from .hits import Hit, hits_of, text_of

VERSION = 6  # bump when the behaviour changes; v6: a plural keyword's next number after a topic ("Resolutions 12.22 on Bycatch and 12.15 on ..."); v5: Roman meeting numbers ("Resolution VIII.39"), "PNUMA/CMS/..." and "PNUE/CMS/..." symbols; v4: French "(Rév.COP13)" kept as the revision; v3: a CITES "Resolution Conf." keeps "CoP" in its revision
NAME = f"cami_codes_v{VERSION}"  # the registered factory (spaCy forbids "." in factory names, E853)
EXTRACTOR = f"document_code.v{VERSION}"  # stored with each mention
MAX_RANGE = 60  # "Decisions 13.1 to 13.900" is a typo, not 900 decisions

# a meeting number in Arabic or, as Ramsar numbers its COPs, Roman numerals ("Resolution VIII.39")
_NUM = r"(?:\d{1,2}|[IVX]{1,5})\.(?:\d{1,3}|[A-Z]{1,3})\b"
_REV = r"(?:\s*\(\s*R[eé]v\.?\s*(?:COP|CoP)\s*\d+\s*\))"  # French prints "Rév."
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
# after a topic's number, the list goes on plain ("on landbirds, 12.2 and 12.7")
_PLAIN_NEXT = re.compile(rf"\s*(?:,\s*and|,\s*et|,\s*y|and|et|y|,)\s+(?P<item>{_NUM}{_REV}?)")
# "Resolutions 12.22 on Bycatch and 12.15 on Aquatic Wild Meat", "Résolutions 12.22 sur les prises
# accessoires et 12.15 sur ...": after a plural keyword, a topic and a joiner before the next number
_TOPIC_NEXT = re.compile(
    rf"\s+(?:on|sur|sobre|concerning|regarding|relative\s+(?:à|aux?)|relativa\s+a)\s+[^.;:()\d]{{1,70}}?"
    rf"\s*(?:,\s*and|,\s*et|,\s*y|and|et|y|,)\s+(?P<item>{_NUM}{_REV}?)"
)
_KEYWORDS = {"res": "Resolution", "rec": "Recommendation", "dec": "Decision"}


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


def _revision(item: re.Match[str], keyword: str, conf: str, attrs: dict[str, str]) -> str:
    """The item's " (Rev.COP13)" for its canonical value, noting revision and base in ``attrs``."""
    if not item.group("rev"):
        return ""
    rev_no = re.sub(r"\D", "", item.group("rev"))
    # "Resolution Conf. 12.6 (Rev. CoP18)" is CITES's numbering, written with CITES's "CoP"
    cop = "CoP" if conf else "COP"
    attrs["revision"] = f"Rev.{cop}{rev_no}"
    attrs["base"] = f"{keyword} {conf}{item.group('num')}"
    return f" (Rev.{cop}{rev_no})"


def find_codes(text: str) -> Iterator[Hit]:
    text = normalise(text)  # same length: offsets stay valid
    for sym in find_symbols(text):
        attrs = {"kind": "symbol", "series": sym.family}
        yield Hit("document_code", sym.start, sym.end, sym.canonical, EXTRACTOR, attrs=attrs)
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
            rev = _revision(item, keyword, conf, attrs)
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
        if m.group("kw").endswith("s"):
            at = m.end("list")
            while nxt := _TOPIC_NEXT.match(text, at) or (_PLAIN_NEXT.match(text, at) if at > m.end("list") else None):
                following = _ITEM.match(text, nxt.start("item"))
                if following is None:
                    break
                item = following
                attrs = {"kind": keyword.lower(), "after_topic": "yes"}
                rev = _revision(item, keyword, "", attrs)
                yield Hit(
                    "document_code",
                    item.start(),
                    item.end(),
                    f"{prefix}{keyword} {item.group('num')}{rev}",
                    EXTRACTOR,
                    attrs=attrs,
                )
                at = item.end()


@Language.factory(NAME, assigns=["doc._.cami_hits"], requires=[])
def make_codes(nlp: Language, name: str) -> CodesComponent:
    return CodesComponent()


class CodesComponent:
    def __call__(self, doc: Doc) -> Doc:
        hits_of(doc).extend(find_codes(text_of(doc)))
        return doc
