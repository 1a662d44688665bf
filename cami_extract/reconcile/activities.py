"""Paragraph -> activity claims: what one report says was done, read from stored blocks and mentions.

Pure: a :class:`ReportView` (the stored document, its blocks and mentions) in, claims out.
Nothing is re-parsed and no model runs: the type comes from the section heading and the
wording, the dates, places, species and funders from the mentions the extract stage stored.

One claim per numbered paragraph or table row that reports an activity; background,
summary and discussion paragraphs give none (the reason is counted in ``ClaimRun.skipped``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..model import (
    CLAIMS_VERSION,
    FOOTNOTE,
    HEADING,
    PARAGRAPH,
    TABLE_ROW,
    ActivityClaim,
    Block,
    Funding,
    Mention,
    ParsedDocument,
    Span,
)
from ..text import normalise
from .keys import claim_id, name_key


@dataclass(slots=True)
class ReportView:
    """A stored report as the reconcile stage reads it (see ``reconcile_repo.report_view``)."""

    symbol: str  # or the file name when the paper has no symbol
    language: str | None
    sha256: str
    issue_date: str | None
    title: str | None
    blocks: list[Block]  # chars left empty: offsets are enough here
    pages: dict[int, int | None]  # block seq -> first page
    mentions: dict[int, list[tuple[Mention, int | None]]]  # block seq -> (mention, page)

    @classmethod
    def of(cls, doc: ParsedDocument, mentions: list[Mention]) -> ReportView:
        """The view of a document not (yet) stored: for tests and one-off reads."""
        by_seq = {b.seq: b for b in doc.blocks}
        grouped: dict[int, list[tuple[Mention, int | None]]] = {}
        for m in sorted(mentions, key=lambda m: (m.block_seq, m.start, m.end, m.entity_type, m.canonical)):
            chars = by_seq[m.block_seq].chars
            grouped.setdefault(m.block_seq, []).append((m, chars[m.start].page if m.start < len(chars) else None))
        return cls(
            symbol=doc.cover.symbol or Path(doc.path).name,
            language=doc.language,
            sha256=doc.sha256,
            issue_date=doc.cover.issue_date,
            title=doc.cover.title,
            blocks=[Block(seq=b.seq, kind=b.kind, label=b.label, text=b.text) for b in doc.blocks],
            pages={b.seq: b.page for b in doc.blocks},
            mentions=grouped,
        )


@dataclass(slots=True)
class ClaimRun:
    claims: list[ActivityClaim] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> paragraphs that gave no claim


# --- section headings and wording -----------------------------------------------------------
# A heading names the kind of what its paragraphs report (CMS-PRIMER "Body"). Checked in order.
HEADING_TYPES: list[tuple[str, re.Pattern]] = [
    ("none", re.compile(r"\b(background|introduction|discussion|analysis|recommend|conclusion|summary|"
                        r"action requested|next steps|overview of the period)", re.I)),
    ("workshop", re.compile(r"\b(workshops?|trainings?|webinars?)\b", re.I)),
    ("meeting", re.compile(r"\b(meetings?|events?|conferences?|sessions?)\b", re.I)),
    ("study", re.compile(r"\b(stud(y|ies)|research|assessments?|surveys?)\b", re.I)),
    ("project", re.compile(r"\bprojects?\b", re.I)),
    ("publication", re.compile(r"\b(publications?|reports? and guidelines)\b", re.I)),
    ("agreement", re.compile(r"\b(agreements?|memorand(a|um)|instruments signed)\b", re.I)),
]  # fmt: skip

# Wording cues, searched in the paragraph's first sentence; the earliest cue wins.
WORDING_TYPES: list[tuple[str, re.Pattern]] = [
    ("agreement", re.compile(r"\b(was|were|been) signed\b|\bsigned (a|an|the) (memorandum|agreement)\b", re.I)),
    ("workshop", re.compile(r"\b(workshop|webinar|training)\b", re.I)),
    (
        "meeting",
        re.compile(r"\b(meeting|MOS\d*|MOP\d*|conference|consultation|forum|session|met (?:online|in|at))\b", re.I),
    ),
    ("study", re.compile(r"\b(study|assessment|survey|analysis|feasibility)\b", re.I)),
    ("project", re.compile(r"\b(project|grant)\b", re.I)),
    ("publication", re.compile(r"\b(published|publication|guidelines|atlas|report(s)? (on|was|were))\b", re.I)),
]

# A Programme of Work states plans in the imperative: the verb says the kind.
PLAN_TYPES: list[tuple[str, re.Pattern]] = [
    ("meeting", re.compile(r"^(convene|hold|organi[sz]e)\b[^.;]{0,60}\b(meeting|MOS|MOP|conference)\b", re.I)),
    ("workshop", re.compile(r"^(organi[sz]e|hold|run|conduct)\b[^.;]{0,60}\b(training|workshop|course)", re.I)),
    ("publication", re.compile(r"^(develop guidance|develop guidelines|produce|publish|update\b.*\bpublish)", re.I)),
    ("study", re.compile(r"^(assess|compile|review|extend the study|carry out|conduct|analy[sz]e|survey|"
                         r"establish coordinated monitoring|support the genetic monitoring|support\b.*\bassessment)", re.I)),
    ("project", re.compile(r"^(implement (a|the)\b[^.;]{0,40}\bproject|support the reintroduction)", re.I)),
]  # fmt: skip

WORKING_BODY = re.compile(
    r"\b(working group|task force|IWG)\b[^.]{0,120}\b(was|were|been)?\s*(established|set up|created)\b"
    r"|\b(established|set up|created)\s+(an?|the)\s+[^.]{0,60}\b(working group|task force)\b",
    re.I,
)
# "All the activities described below were ... with funding from X", "Unless otherwise stated,
# the activities ... were financed by X": X funds every later activity that names no funder.
BLANKET_FUNDING = re.compile(
    r"\b(all (the )?activities|unless otherwise stated)\b[^.]{0,400}\b(funding|funded|financed|financial support)\b",
    re.I,
)
BLANKET_KINDS = ("meeting", "workshop", "study", "publication", "project")
# The reporting secretariat commissions and organises; it is not a donor of its own work.
NOT_A_FUNDER = {"CMS Secretariat"}

# A paragraph about the report itself, or one that counts activities, reports none.
NOT_AN_ACTIVITY = re.compile(
    r"^\s*(this (report|document)|the (table|annex)|in total\b|as set out above)"
    r"|\b(two|three|four|five|six|seven|eight|nine|ten|\d+) (meetings|studies|projects|workshops)\b",
    re.I,
)
# Under a heading that names no kind, a paragraph must say that something took place.
EVENT_VERB = re.compile(
    r"\b(held|took place|was organi[sz]ed|convened|conducted|commissioned|launched|published|signed|"
    r"started|began|implemented|carried out|established|prepared|adopted|approved|will be held|is planned)\b",
    re.I,
)
TYPE_NOUNS = re.compile(
    r"\b(meeting|workshop|webinar|study|project|report|publication|memorandum|agreement|conference|survey|"
    r"MOS\d*|MOP\d*|consultation|factsheets?|atlas|edition|guidelines|training|review)\b",
    re.I,
)

# --- fields -----------------------------------------------------------------------------------
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}  # fmt: skip
ORDINAL = re.compile(
    r"\b(?:(\d{1,2})(?:st|nd|rd|th)|(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))\s+"
    r"(?:(?:[A-Z][\w'-]*|of|the|to|on|for)\s+){0,6}?(?:meeting|MOS|MOP|session|workshop|conference|forum|"
    r"range states? meeting)\b",
    re.I,
)
SERIES_CODE = re.compile(r"\b(?:MOS|MOP|RS)-?(\d{1,2})\b")
# "paragraph 15 of UNEP/CMS/CAMI3/Doc.7" (CMS-PRIMER: papers are cited by paragraph number)
CITED_PARAGRAPH = re.compile(
    r"\bparagraphs?\s+(\d+(?:\s*(?:,|and|to)\s*\d+)*)\s+of\s+(?:document\s+)?([A-Z][\w-]*(?:/[\w.-]+)+)"
)
# A leading clause that says when or why, not what: skipped when naming the activity.
LEAD_CLAUSE = re.compile(
    r"^(?:(?:In|On|From|Since|Between|During|At|Under|With|In line with|In response to|As per|At the request of)\b[^,]{0,90},\s*)+"
)
# a quote opens after a space or bracket and closes before one: the apostrophe of "Parties'"
# or "Secretariat's" is no quote
QUOTED = re.compile(r"(?<![\w'])'([^']{12,200})'(?![\w'])|\"([^\"]{12,200})\"")
# A name: capitalised words (with short joiners) around a kind noun.
NAMED = re.compile(
    r"(?:(?:\d{1,2}(?:st|nd|rd|th)|First|Second|Third|Fourth|Fifth)\s+)?"
    r"(?:[A-Z][\w'’-]*\s+(?:(?:of|for|on|to|the|and|in)\s+)*){0,8}"
    r"(?:Meeting|Workshop|MOS|MOP|Conference|Forum|Study|Project|Memorandum|Consultative Meeting|Webinar|"
    r"Atlas|Edition|Guidelines)"
    r"(?:\s+(?:(?:of|for|on|to|the|and|in|concerning)\s+)*(?:[A-Z][\w'’-]*|\d{4}(?:-\d{4})?)){0,14}"
)
PREPOSITION_BEFORE = re.compile(r"(?:\b(?:in|on|from|since|between|until|till|during|at|by|of|to)|^|[,(;:])\s*$", re.I)
END_CUE_BEFORE = re.compile(r"\b(until|till|completed in|ends? in|ending in|runs until|to)\s*$", re.I)
ONLINE = re.compile(r"\b(online|virtual(ly)?|by video ?conference)\b", re.I)
UNDER_WAY = re.compile(
    r"\b(under way|underway|ongoing|in the process of|is being|are being|is finali[sz]ing|expected to be|"
    r"will be (completed|finali[sz]ed|published)|runs until|now before|is to be|are to be)\b",
    re.I,
)
PLANNED = re.compile(
    r"\b(will be held|will take place|is planned|are planned|is scheduled|to be held|will convene)\b", re.I
)
ORGANISER_CUE = re.compile(
    r"\b(?:co-organi[sz]ed by|organi[sz]ed by|convened by|hosted by|led by|conducted by|under the lead of|"
    r"in cooperation with|in collaboration with|jointly with|together with)\s+",
    re.I,
)
ORGANISER_SUBJECT = re.compile(
    r"^(?:In [^,]{3,40},\s*)?(?:the\s+)?((?:[A-Z][\w/'-]*\s*)+?(?:\s+and\s+(?:the\s+)?(?:[A-Z][\w/'-]*\s*)+?)?)\s+"
    r"(?:jointly\s+)?(?:conducted|organi[sz]ed|convened|held|commissioned)\b"
)
ORG_STOP = re.compile(
    r"[.;:]|,?\s+(?:with|and hosted|hosted|which|who|that|at the request|was|were|is|are)\b"
    r"|,\s+(?:on|in|from)\b|\s+(?:on|in|from|to|for)\s+(?=[a-z0-9])"
)
AMOUNT = re.compile(
    r"(?:(EUR|USD|CHF|GBP|US\$|€|\$|£)\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(million|thousand|m\b))?)"
    r"|(?:(\d[\d,]*(?:\.\d+)?)\s?(million\s+)?(euros?|US dollars|dollars|Swiss francs))",
    re.I,
)
CURRENCY = {"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "euro": "EUR", "euros": "EUR",
            "us dollars": "USD", "dollars": "USD", "swiss francs": "CHF"}  # fmt: skip
POW_REF = re.compile(
    r"\b(activit(?:y|ies)|measures?)\s+(\d+\.\d+(?:\.\d+)*(?:\s*[a-z]\))?"
    r"(?:\s*(?:,|and|&)\s*\d+\.\d+(?:\.\d+)*)*)",
    re.I,
)
# "as a contribution to activity 1.2", "in line with activity 8.1", "activity 8.1 c)": the claim
# serves a broader plan item; the reference is kept but does not make the two one activity.
RECOMMENDED = re.compile(r"\brecommend(?:s|ed|ing)?\b(?![^.]*\.\s)", re.I)
CONTRIBUTION_BEFORE = re.compile(
    r"\b(contribution to|contributing to|serv(?:e|es|ing)|in support of)\s*$",
    re.I,
)
POW_TITLE = re.compile(r"\b(programme of work|work programme|POW)\b", re.I)
LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)+)\.?\s")
SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)\]'’])[.!?](?=\s+[A-Z(]|\s*$)")
# A full stop that ends no sentence: "Doc. 7", "A. j. soemmeringii", "e.g. Kazakhstan".
NOT_AN_END = re.compile(
    r"(?:\b(?:Doc|Inf|No|Nos|Res|Rev|Corr|Add|Art|para|paras|e\.g|i\.e|cf|spp|ssp|St|Mr|Ms|Dr)|\b[A-Z])$"
)
# Table columns, by header words.
COLUMN_ROLES: list[tuple[str, re.Pattern]] = [
    ("number", re.compile(r"^(no\.?|n°|#|ref\.?|activity no\.?|number)$", re.I)),
    ("dates", re.compile(r"\b(dates?|period|timeline|time ?frame|when|year)\b", re.I)),
    ("place", re.compile(r"\b(place|venue|location|where)\b", re.I)),
    ("funders", re.compile(r"\b(funding|donors?|funders?|financ)", re.I)),
    ("status", re.compile(r"\bstatus\b", re.I)),
    ("species", re.compile(r"\bspecies\b", re.I)),
    ("countries", re.compile(r"\b(countr|range states?|lead)", re.I)),
    ("title", re.compile(r"\b(activit|project|meeting|study|action|title|event|output|concerted)", re.I)),
]
PRECISION = {4: 1, 7: 2, 10: 3}  # ISO length -> year, month, day


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if NOT_AN_END.search(text[max(0, m.start() - 6) : m.start()]):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def heading_type(heading: str | None) -> str | None:
    """The kind a section heading announces: a type, "none" (background) or None (says nothing)."""
    if not heading:
        return None
    for kind, pattern in HEADING_TYPES:
        if pattern.search(heading):
            return kind
    return None


def wording_type(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for kind, pattern in WORDING_TYPES:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


def _precision(value: str) -> int:
    return PRECISION.get(len(value), 0)


def _split_interval(canonical: str) -> tuple[str, str | None]:
    if "/" in canonical:
        a, b = canonical.split("/", 1)
        return a, b
    return canonical, None


def _normalise_amount(m: re.Match) -> str:
    if m.group(2):
        cur = CURRENCY.get(m.group(1), m.group(1).upper())
        number, scale = m.group(2), m.group(3)
    else:
        cur = CURRENCY.get(m.group(6).lower(), m.group(6).upper())
        number, scale = m.group(4), m.group(5)
    scale = (scale or "").strip().lower()
    scale = {"m": "million"}.get(scale, scale)
    return f"{cur} {number.rstrip('.,')}" + (f" {scale}" if scale else "")


def _org_name(raw: str, acronyms: dict[str, str]) -> str | None:
    name = re.sub(r"^(the|a|an)\s+", "", raw.strip(" ,"), flags=re.I).strip()
    name = re.sub(r"\s*\(([A-Z][\w/ -]{1,12})\)$", "", name)  # "Long Form (ACR)" -> long form
    if not name or not name[0].isupper() or len(name) < 2:
        return None
    if name.lower() in ("secretariat", "cms secretariat", "the secretariat"):
        return "CMS Secretariat"
    return acronyms.get(name, name)


def _gazetteer_acronyms() -> dict[str, str]:
    """Acronym -> canonical name of every funder of the gazetteer (``extract/patterns/funders.csv``)."""
    out: dict[str, str] = {}
    with FUNDERS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for acronym in row["acronyms"].split(";"):
                if acronym.strip():
                    out[acronym.strip()] = row["canonical"]
    return out


FUNDERS_CSV = Path(__file__).resolve().parents[1] / "extract" / "patterns" / "funders.csv"
FUNDER_ACRONYMS = _gazetteer_acronyms()


def document_acronyms(view: ReportView) -> dict[str, str]:
    """Acronym -> long form, from funder mentions and "Long Form (ACR)" definitions in the paper."""
    found: dict[str, str] = {}
    for block in view.blocks:
        for m in re.finditer(r"((?:[A-Z][\w'-]*\s+(?:(?:of|for|and|the|on|to)\s+)*){1,10})\(([A-Z][A-Za-z/ ]{1,10})\)",
                             normalise(block.text)):  # fmt: skip
            long_form, acronym = " ".join(m.group(1).split()), m.group(2).strip()
            initials = "".join(w[0] for w in long_form.split() if w[0].isupper())
            if acronym.replace(" ", "").replace("/", "")[:2].upper() in initials.upper():
                found.setdefault(acronym, re.sub(r"^The\s+", "", long_form))
        for mention, _ in view.mentions.get(block.seq, []):
            acronym = mention.attrs.get("acronym")
            if mention.entity_type == "funder" and acronym:
                found[acronym] = mention.canonical
    return found


class ClaimReader:
    """Reads the claims of one report. ``version`` names the logic (CLAIMS_VERSION)."""

    version = CLAIMS_VERSION

    def read(self, view: ReportView) -> ClaimRun:
        run = ClaimRun()
        acronyms = document_acronyms(view)
        is_pow = bool(view.title and POW_TITLE.search(view.title))
        heading: str | None = None
        headers: dict[str, list[str]] = {}  # table -> header cells
        blanket: list[Funding] = []  # funders a "all activities below" paragraph names
        channels_named: set[str] = set()  # organisations that paragraph names as implementing
        counted: list[tuple[Block, Counted]] = []  # "the two Meetings in Almaty": resolved at the end
        for block in view.blocks:
            if block.kind == HEADING:
                heading = block.text
                continue
            if block.kind == FOOTNOTE or block.kind not in (PARAGRAPH, TABLE_ROW) or block.label is None:
                continue
            if block.kind == TABLE_ROW:
                table, _, row = block.label.partition(".")
                cells = [c.strip() for c in block.text.split("|")]
                if row == "r1" or table not in headers:
                    headers[table] = cells
                    run.skipped["table_header"] += 1
                    continue
                if cells == headers[table]:
                    run.skipped["table_header"] += 1  # a header repeated on a new page
                    continue
                claim = self._from_row(view, block, cells, headers[table], acronyms, is_pow)
            else:
                blanket_text = normalise(block.text)
                found = BLANKET_FUNDING.search(blanket_text)
                if found:
                    blanket = [
                        Funding(m.canonical)
                        for m, _ in view.mentions.get(block.seq, [])
                        if m.entity_type == "funder" and found.start() <= m.start < found.end() + 200
                        and m.canonical not in NOT_A_FUNDER
                    ]  # fmt: skip
                    # "implemented as part of the Agreement with INA ..., with funding from BMUV":
                    # the organisations the blanket sentence names besides its funders are channels
                    said = re.sub(r"\s*\([^)]*\)", "", blanket_text[found.start() : found.end() + 200]).lower()
                    channels_named = {
                        name
                        for name, long_form in acronyms.items()
                        if long_form.lower() in said or name.lower() in said
                    } | {long_form for long_form in acronyms.values() if long_form.lower() in said}
                claims, reason = self._from_paragraph(view, block, heading, acronyms, is_pow)
                run.claims.extend(self._references(view, block, claims))
                counted.extend((block, c) for c in _counted(blanket_text, view.mentions.get(block.seq, []), acronyms))
                if not claims:
                    run.skipped[reason] += 1
                    continue
                for claim in claims:
                    only_channels = claim.funders and all(
                        f.funder in channels_named and f.funder not in {b.funder for b in blanket}
                        for f in claim.funders
                    )
                    if only_channels:
                        claim.funders = []  # the money came through the channel from the blanket funder
                    if not claim.funders and blanket and claim.type in BLANKET_KINDS and claim.status != "planned":
                        claim.funders = list(blanket)
                        claim.funders_implied = True
                run.claims.extend(claims)
                continue
            if claim is None:
                run.skipped["no_activity_row"] += 1
                continue
            run.claims.append(claim)
        run.claims.extend(self._resolve_counted(view, counted, run.claims))
        _through_projects(run.claims, acronyms)
        return run

    def _resolve_counted(self, view: ReportView, counted: list, claims: list[ActivityClaim]) -> list[ActivityClaim]:
        """ "the two Meetings in Almaty", "two IKI projects": N things of a kind that the place or
        the donor picks out. Resolved in the paper itself, and only when exactly N of its
        described activities fit: each becomes a claim that cites the paragraph of one of them."""
        out: list[ActivityClaim] = []
        used: Counter = Counter(c.source.block_seq for c in claims)
        for block, phrase in counted:
            fits = sorted(
                {
                    c.source.paragraph
                    for c in claims
                    if not c.reference
                    and not c.plan
                    and c.source.block_seq != block.seq
                    and c.source.paragraph
                    and KIND_GROUP.get(c.type) == KIND_GROUP[phrase.kind]
                    and phrase.fits(c)
                },
                key=_paragraph_order,
            )
            if len(fits) != phrase.count:
                continue
            for paragraph in fits:
                index = COUNTED_INDEX + used[block.seq]
                cites = [f"{view.symbol}|{paragraph}"]
                out.append(
                    _in_passing(view, block, index, phrase.start, phrase.end, phrase.kind, phrase.text, cites=cites)
                )
                used[block.seq] += 1
        return out

    # -- paragraphs --------------------------------------------------------------------------
    def _from_paragraph(
        self, view: ReportView, block: Block, heading: str | None, acronyms: dict[str, str], is_pow: bool
    ) -> tuple[list[ActivityClaim], str]:
        text = normalise(block.text)
        by_heading = heading_type(heading)
        sentences = _sentences(text)
        first = text[sentences[0][0] : sentences[0][1]] if sentences else text
        if by_heading == "none":
            if not _dated_event_opening(first, view.mentions.get(block.seq, [])):
                return [], "background_section"
            by_heading = "meeting"  # "The 3rd Meeting of Range States ... is organized ... 24-26 June 2025"
        if NOT_AN_ACTIVITY.search(first):
            return [], "summary_paragraph"
        by_wording = wording_type(first) or wording_type(text)
        if by_heading is None:
            if not (TYPE_NOUNS.search(text) and (EVENT_VERB.search(text) or is_pow)):
                return [], "no_activity_wording"
            kind = by_wording or "other"
        else:
            kind = by_heading
            if kind == "meeting" and re.search(r"\bworkshop\b", first, re.I):
                kind = "workshop"
        if WORKING_BODY.search(first):
            kind = "other"  # a working group set up is a body, not a meeting or a study
        elif wording_type(first) == "agreement":
            kind = "agreement"  # "The Memorandum ... was signed": under Meetings, still an agreement
        claims: list[ActivityClaim] = []
        for index, (lo, hi, seg_kind) in enumerate(_segments(text, sentences, kind)):
            masked = " " * lo + text[lo:hi] + " " * (len(text) - hi)
            claim = self._claim(view, block, masked, seg_kind, acronyms, is_pow, cells=None, index=index)
            derived = DERIVED_WORK.search(masked)
            if claims and claims[-1].type == claim.type and derived:
                # "commissioned an extension of the study": new work on the named thing, named after it
                claim.title = f"{derived.group(1).lower()} of {claims[-1].title}"
            elif claims and claims[-1].type == claim.type and not re.search(r"\s[A-Z]", claim.title):
                # "the study was updated": the same named thing again, under its name
                claim.title = claims[-1].title
            if claims and not claim.funders and PROJECT_MONEY.search(masked):
                # "developed with the financial support from this project": the project's funders
                claim.funders = list(claims[-1].funders)
            claims.append(claim)
        for m in NOT_HELD.finditer(text):
            # "... and the Working Group meeting could not be held": a meeting that did not take place
            if any(c.type in ("meeting", "workshop") and c.source.start <= m.start() < c.source.end for c in claims):
                continue
            lo, hi = m.start(), m.end()
            masked = " " * lo + text[lo:hi] + " " * (len(text) - hi)
            claim = self._claim(view, block, masked, "meeting", acronyms, is_pow, cells=None, index=len(claims))
            claim.status = "planned"
            claims.append(claim)
        return claims, ""

    def _references(self, view: ReportView, block: Block, primaries: list[ActivityClaim]) -> list[ActivityClaim]:
        """Activities a paragraph names in passing ("updated at the Technical Workshop for the
        Asiatic wild Ass", "endorsed by the 2nd Range States Meeting of CAMI"): claims that carry
        a name and nothing else, matched by name only (``merge.compare``)."""
        text = normalise(block.text)
        mentions = view.mentions.get(block.seq, [])
        own = [c.spans["title"] for c in primaries if "title" in c.spans]
        since = _period_start(text, mentions)
        found: list[tuple[int, int, str]] = []
        for pattern in (QUOTED, NAMED, PLACE_EVENT, ORDINAL, DESCRIBED):
            for m in pattern.finditer(text):
                g = next((i for i in range(1, (m.lastindex or 0) + 1) if m.group(i)), 0) if pattern is QUOTED else 0
                pieces = [(m.start(g), m.end(g))]
                if pattern is NAMED:  # "the Atlas and the Guidelines for ...": two names
                    x0, x1 = pieces[0]
                    joiner = re.search(r"\s+and\s+the\s+", text[x0:x1])
                    if joiner:
                        pieces = [(x0, x0 + joiner.start()), (x0 + joiner.end(), x1)]
                for a, b in pieces:
                    name = text[a:b].strip()
                    if pattern is NAMED and len(name.split()) < 4 and not ORDINAL.search(name):
                        continue  # "Meeting of Signatories", "Range State Meeting": a kind, not a name
                    if pattern is DESCRIBED and len(_describing_words(text, a, b, mentions)) < DESCRIBED_WORDS:
                        continue  # "the updated study", "the report on the Islamic Republic of Iran": which one?
                    if pattern is ORDINAL and GOVERNING_BODY.search(text[a : b + 24]):
                        continue  # "their 11th meeting (COP11)": a session of a governing body
                    if any(t.start <= a < t.end or a <= t.start < b for t in own):
                        continue  # the paragraph's own activity
                    if any(x <= a < y or a <= x < b for x, y, _ in found):
                        continue
                    found.append((a, b, name))
        out = []
        base = len(primaries)
        for i, (a, b, name) in enumerate(sorted(found)):
            # a quoted title takes its kind from the words before it: "the study, 'Title'"
            before = re.sub(
                r"\b(stud)ies\b|\b(meeting|workshop|project|report)s\b",
                lambda w: (w.group(1) and "study") or w.group(2),
                text[max(0, a - 40) : a],
            )
            kind = wording_type(name) or wording_type(before) or "other"
            if kind not in REFERENCE_KINDS or GOVERNING_BODY.search(name):
                continue
            start, end, city, country = _stated_with(text, a, b, view.mentions.get(block.seq, []), kind)
            if city is None:
                # "the Vilm workshop", "their 2nd Meeting in Ulaanbaatar": the place is part of the name
                city, country = _place_in(view.mentions.get(block.seq, []), a, b)
            out.append(
                _in_passing(
                    view,
                    block,
                    base + i,
                    a,
                    b,
                    kind,
                    name,
                    start=start,
                    end=end,
                    city=city,
                    country=country,
                    status=_status(text, "", start, end, view.issue_date, is_pow=False) if start else None,
                    ordinal=_ordinal(name, kind) if kind in ("meeting", "workshop") else None,
                    after=since,
                )
            )
        for q in POW_QUOTE.finditer(text):
            # "in line with activity 8.1 of the CAMI POW (8.1: To support and contribute to ...)":
            # the paper quotes the plan row, so it mentions that row (BLIND-README, seed para 17)
            a, b = q.start(2), q.end(2)
            index = base + len(found) + len(out)
            title = q.group(2).strip()
            out.append(_in_passing(view, block, index, a, b, "other", title, pow_refs=[q.group(1)], after=since))
        for a, b, kind, paragraph in _own_paragraph_refs(text):
            # "reviewed the draft extension of the study on ... hotspots (paragraph 18)": the
            # paper points at its own paragraph; the claim there of this kind is the one meant
            index = base + len(found) + len(out)
            cites = [f"{view.symbol}|{paragraph}"]
            out.append(_in_passing(view, block, index, a, b, kind, text[a:b].strip(), cites=cites, after=since))
        return out

    # -- table rows --------------------------------------------------------------------------
    def _from_row(
        self,
        view: ReportView,
        block: Block,
        cells: list[str],
        header: list[str],
        acronyms: dict[str, str],
        is_pow: bool,
    ) -> ActivityClaim | None:
        roles: dict[str, int] = {}
        for i, name in enumerate(header):
            for role, pattern in COLUMN_ROLES:
                if pattern.search(name) and role not in roles:
                    roles[role] = i
                    break
        if "title" not in roles:
            return None
        # Cell offsets into the block text (cells are joined by " | ").
        offsets, pos = [], 0
        for c in block.text.split("|"):
            lead = len(c) - len(c.lstrip())
            offsets.append((pos + lead, pos + lead + len(c.strip())))
            pos += len(c) + 1
        if len(cells) < len(header):
            # a row with merged cells (a real UN table) is shorter than its header: the missing
            # columns are empty, at the row's end, so every role's index still has a cell
            end = len(block.text)
            cells = cells + [""] * (len(header) - len(cells))
            offsets += [(end, end)] * (len(header) - len(offsets))
        title = cells[roles["title"]]
        filled = [c for c in cells if c]
        if len(filled) <= 2 and len(cells) > 3:
            return None  # "1 | Linear infrastructure | | |": a heading inside the table
        if is_pow:
            kind = next((k for k, pattern in PLAN_TYPES if pattern.search(title)), "other")
        else:
            kind = wording_type(title) or wording_type(" ".join(header)) or "other"
        cite = _cited_column(view, header)
        return self._claim(
            view, block, normalise(block.text), kind, acronyms, is_pow, cells=(roles, offsets, title, cite)
        )

    # -- fields --------------------------------------------------------------------------------
    def _claim(
        self,
        view: ReportView,
        block: Block,
        text: str,
        kind: str,
        acronyms: dict[str, str],
        is_pow: bool,
        *,
        cells: tuple | None,
        index: int = 0,
    ) -> ActivityClaim:
        page = view.pages.get(block.seq)
        lo = len(text) - len(text.lstrip())
        hi = len(text.rstrip())
        mentions = [(m, p) for m, p in view.mentions.get(block.seq, []) if lo <= m.start < hi]
        sentence_spans = _sentences(text)
        first_sentence = text[sentence_spans[0][0] : sentence_spans[0][1]] if sentence_spans else text

        def span(start: int, end: int, mention_page: int | None = None) -> Span:
            return Span(view.symbol, view.language, block.label, block.seq, mention_page or page, start, end)

        spans: dict[str, Span] = {}
        roles, cell_offsets = (cells[0], cells[1]) if cells else ({}, [])

        def in_column(role: str, start: int) -> bool:
            if not cells:
                return True
            if role not in roles:
                return False
            a, b = cell_offsets[roles[role]]
            return a <= start < b

        # title
        if cells:
            a, b = cell_offsets[roles["title"]]
            title, spans["title"] = cells[2], span(a, b)
        else:
            title, (a, b) = _title(text, kind)
            spans["title"] = span(a, b)
        ordinal = _ordinal(title, kind) if kind in ("meeting", "workshop") else None
        if ordinal is None and kind in ("meeting", "workshop") and not cells:
            ordinal = _ordinal(text[: max(b, 1) + 120], kind)

        # dates
        dates = [(m, p) for m, p in mentions if m.entity_type == "date"]
        funders_m = [(m, p) for m, p in mentions if m.entity_type == "funder"]
        start = end = None
        candidates = [
            (m, p)
            for m, p in dates
            if (
                in_column("dates", m.start)
                if cells
                else PREPOSITION_BEFORE.search(text[max(0, m.start - 14) : m.start])
            )
        ]
        if cells and not candidates and "dates" not in roles:
            candidates = dates
        if candidates:
            if kind in ("meeting", "workshop", "agreement"):
                chosen, cpage = max(
                    candidates, key=lambda mp: (_precision(_split_interval(mp[0].canonical)[0]), -mp[0].start)
                )
            else:
                chosen, cpage = candidates[0]
            start, end = _split_interval(chosen.canonical)
            spans["start"] = span(chosen.start, chosen.end, cpage)
            if end is None:
                for m, p in candidates:
                    if m.start > chosen.start and END_CUE_BEFORE.search(text[max(0, m.start - 16) : m.start]):
                        end = _split_interval(m.canonical)[-1] or m.canonical
                        spans["end"] = span(m.start, m.end, p)
                        break
            if end is None and kind in ("meeting", "workshop", "agreement"):
                end = start  # a one-day (or one-month) event ends when it starts
            elif end is None and not cells:
                # "published in 2019", "carried out in April 2023": done within that date;
                # "commissioned in October 2022" says only when it began
                sentence = next((text[a:b] for a, b in _sentences(text) if a <= chosen.start < b), "")
                if DONE_WITHIN.search(sentence) and not BEGUN.search(sentence):
                    end = start
            if end is not None and "end" not in spans:
                spans["end"] = spans["start"]

        # place: only events have one (a project "led by the office in Vienna" is not in Vienna)
        city = country = None
        if kind in ("meeting", "workshop", "agreement") or (cells and "place" in roles):
            for m, p in mentions:
                if m.entity_type == "country" and m.attrs.get("city") and in_column("place", m.start):
                    city, country = m.attrs["city"], m.canonical
                    spans["place"] = span(m.start, m.end, p)
                    break
            if city is None:
                if cells and "place" in roles:
                    base = cell_offsets[roles["place"]][0]
                    om = ONLINE.search(text, base, cell_offsets[roles["place"]][1])
                else:
                    om = ONLINE.search(text)
                if om:
                    city = "online"
                    spans["place"] = span(om.start(), om.end())

        if city is None and kind in ("study", "project", "publication"):
            # a study confined to one country is placed there (no city); several countries: none
            own_countries = {
                m.canonical
                for m, _ in mentions
                if m.entity_type == "country"
                and in_column("title", m.start)  # a plan row: its task, not its responsible actors
                # "the Government of the United Kingdom (UK)": the bracket repeats the funder
                and not any(0 <= m.start - fm.end <= 3 for fm, _ in mentions if fm.entity_type == "funder")
                and m.attrs.get("via") != "city"  # "discussed at the meetings in Almaty": not where it is
                and not any(fm.start <= m.start < fm.end for fm, _ in mentions if fm.entity_type == "funder")
            }
            if len(own_countries) == 1:
                country = next(iter(own_countries))

        # funders, with amounts stated in the same sentence (nearest funder takes the amount)
        funder_spans = [(m.start, m.end) for m, _ in funders_m]
        amounts: dict[int, str] = {}
        sentences = _sentences(text)
        for am in AMOUNT.finditer(text):
            sent = next(((s, e) for s, e in sentences if s <= am.start() < e), (0, len(text)))
            near = [
                (abs(m.start - am.start()), i) for i, (m, _) in enumerate(funders_m) if sent[0] <= m.start < sent[1]
            ]
            if near:
                amounts.setdefault(min(near)[1], _normalise_amount(am))
        funders: dict[str, str | None] = {}
        # "BMUV via BfN INA": the money is BMUV's; the agency it passed through is a channel
        channels = {
            i + 1
            for i in range(len(funders_m) - 1)
            if re.fullmatch(r"\s*(via|through)\s+(the\s+)?", text[funders_m[i][0].end : funders_m[i + 1][0].start])
        }
        for i, (m, p) in enumerate(funders_m):
            if i in channels:
                continue
            if not in_column("funders", m.start) and cells and "funders" in roles:
                continue
            if m.canonical in NOT_A_FUNDER:
                continue
            funders.setdefault(m.canonical, None)
            if amounts.get(i):
                funders[m.canonical] = amounts[i]
            spans.setdefault(f"funder:{m.canonical}", span(m.start, m.end, p))

        species = sorted({m.canonical for m, _ in mentions if m.entity_type == "species"})
        countries = sorted(
            {
                m.canonical
                for m, _ in mentions
                if m.entity_type == "country" and not any(a <= m.start < b for a, b in funder_spans)
            }
        )
        own = {view.symbol}
        outputs = sorted(
            {
                m.canonical
                for m, _ in mentions
                if m.entity_type == "document_code" and m.attrs.get("kind") == "symbol" and m.canonical not in own
            }
        )
        pow_refs, pow_implements = _pow_refs(text)
        cites = _cited_paragraphs(text)
        if cells and len(cells) > 3 and cells[3]:
            column, symbol = cells[3]
            cell = text[slice(*cell_offsets[column])]
            cites = sorted(set(cites) | {f"{symbol}|{n}" for n in re.findall(r"\d+", cell)})
        number = None
        if cells:
            first_cell = text[slice(*cell_offsets[0])] + " " if cell_offsets else ""
            found = LEADING_NUMBER.match(first_cell)
            number = found.group(1) if found else None
        if is_pow and (number or LEADING_NUMBER.match(text)):
            row_number = number or LEADING_NUMBER.match(text).group(1)  # type: ignore[union-attr]
            pow_refs = sorted(set(pow_refs) | {row_number})
            pow_implements = sorted(set(pow_implements) | {row_number})
        aliases = sorted(
            {
                n.group(0).strip()
                for pattern in (NAMED, QUOTED)
                for n in pattern.finditer(text)
                if not GOVERNING_BODY.search(n.group(0))
                and (pattern is QUOTED or len(n.group(0).split()) >= 4 or ORDINAL.search(n.group(0)))
            }
            - {title}
        )
        return ActivityClaim(
            claim_id=claim_id(view.sha256, block.label, block.seq, index),
            aliases=[a.strip("'\"") for a in aliases],
            words=content_words(text),
            document_sha256=view.sha256,
            source=span(lo, hi),
            type=kind,
            title=title,
            start=start,
            end=end,
            city=city,
            country=country,
            status=_status(text, first_sentence, start, end, view.issue_date, is_pow=is_pow),
            organisers=_organisers(text.strip(), acronyms) if not cells else [],
            funders=[Funding(f, a) for f, a in sorted(funders.items())],
            species=species,
            countries=countries,
            outputs=outputs,
            pow_refs=pow_refs,
            pow_implements=pow_implements,
            plan=is_pow and number is not None,
            ordinal=ordinal,
            number=number,
            cites=cites,
            spans=spans,
            extractor=CLAIMS_VERSION,
        )


# A sentence that goes on about the activity before it: "The meeting ...", "It ...".
ANAPHORA = re.compile(
    r"^\s*(?:(?:the|this|these|its|their)\s+(?-i:[a-z-]+\s+){0,2}?(?-i:meeting|study|workshop|project|report|"
    r"document|participants|working group|signatory states|range states|strategy|roadmap|consortium|proposal)s?\b"
    r"|it\b|they\b|in addition\b|however\b)",
    re.I,
)
# "the Vilm workshop": a place name before the kind noun
PLACE_EVENT = re.compile(r"(?<=\bthe )[A-Z][a-z]+\s+(?:workshop|meeting)\b")
REFERENCE_KINDS = ("meeting", "workshop", "study", "project", "publication")
# Sessions of governing bodies are venues and sources of mandates, not activities reported.
GOVERNING_BODY = re.compile(
    r"\b(Conference of the Parties|COP\d*|Standing Committee|Scientific Council|Sessional Committee|CoP\d*)\b"
)
NOT_HELD = re.compile(
    r"\b(?:the\s+)?(?:[A-Z][\w-]*\s+){0,4}(?:meeting|workshop)\s+(?:could not be held|was not held|"
    r"has not been held|was cancelled|was canceled)\b"
)
DONE_WITHIN = re.compile(r"\b(published|carried out|conducted|completed|finali[sz]ed|produced)\b", re.I)
BEGUN = re.compile(r"\b(commissioned|started|began|established|initiated|launched|is being|are being)\b", re.I)
REFERENCE_NOUN = re.compile(r"\b(meetings?|workshops?|stud(?:y|ies)|projects?|reports?|trainings?)\b", re.I)
REFERENCE_NOUN_KIND = {"meeti": "meeting", "works": "workshop", "study": "study", "studi": "study",
                       "proje": "project", "repor": "publication", "train": "workshop"}  # fmt: skip
DERIVED_WORK = re.compile(
    r"\b(?:an?|the)\s+(extension|update|revision|second phase|follow-up|new edition)\b"
    r"(?:\s+of\s+the\s+(?:study|project|report|atlas)\b)?",
    re.I,
)
# "the first draft of the extended hotspots study": a thing described in lower case; the words
# before the kind noun pick it out (matched by words: ``merge._by_name``)
DESCRIBED = re.compile(
    r"(?<=\bthe )(?:(?:[a-z][\w-]*\s+){1,3}(?:study|workshop|project)\b"
    r"|report on (?:the )?(?:(?!(?:has|have|had|was|were|is|are|will|could|be|been)\b)[\w-]+\s+){0,7}?"
    r"(?!(?:has|have|had|was|were|is|are|will|could|be|been)\b)[\w-]+(?=\s+and\b|[,;.)]|\s*$))"
)
DESCRIBED_GENERIC = frozenset(
    {"study", "workshop", "project", "report", "situation", "first", "second", "draft", "new", "updated", "final", "interim", "full",
     "same", "above", "present", "whole", "current", "regional", "national", "technical", "expert"}
)  # fmt: skip
# content words besides the generic ones and country names: "extended hotspots" (2); "the report
# on the Islamic Republic of Iran" has none left (it joined a wild-ass paragraph of COP15 by its
# country words alone, a false link outside the gold, before country names were left out)
DESCRIBED_WORDS = 2
REF_WINDOW = 140  # characters after a name in passing where its place and date may be stated
PROJECT_MONEY = re.compile(r"\b(?:from|by|of|with) (?:this|the) project\b|\bproject funds\b", re.I)
NEW_PUBLICATION = re.compile(r"\b(edition|factsheets?|handbook|guidelines|atlas)\b", re.I)
DATE_LEAD = re.compile(r"^\s*(?:in|on|from|since|between)\s+[^,]{0,30}\b\d{4}\b", re.I)
MORE_EVENT_VERBS = re.compile(r"\b(developed|launched|was provided|were developed|is being prepared)\b", re.I)
KIND_GROUP = {"meeting": "event", "workshop": "event", "agreement": "agreement", "study": "study",
              "publication": "publication", "project": "project", "other": "other"}  # fmt: skip


WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "for",
        "on",
        "to",
        "and",
        "in",
        "at",
        "by",
        "with",
        "from",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "are",
        "its",
        "their",
        "this",
        "that",
        "which",
        "who",
        "whom",
        "it",
        "they",
        "also",
        "has",
        "have",
        "had",
        "not",
        "into",
        "under",
        "per",
        "via",
    ]
)


def content_words(text: str) -> list[str]:
    """The words that say what a paragraph is about, lower case, plural s off: what a name in
    passing is looked up in."""
    out = set()
    for w in WORD.findall(text):
        w = w.lower().strip("'")
        if w in FUNCTION_WORDS or len(w) < 3:
            continue
        out.add(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return sorted(out)


def _segments(text: str, sentences: list[tuple[int, int]], kind: str) -> list[tuple[int, int, str]]:
    """Split a paragraph where a sentence reports another activity: one of another kind ("The
    First Meeting of the Parties ... took place" after a signed Memorandum), or one of the same
    kind with its own date ("In 2021, ... commissioned an extension of the study")."""
    if not sentences:
        return [(0, len(text), kind)]
    segments: list[tuple[int, int, str]] = [(sentences[0][0], sentences[0][1], kind)]
    for lo, hi in sentences[1:]:
        sentence = text[lo:hi]
        found = wording_type(sentence)
        if found == "publication" and not NEW_PUBLICATION.search(sentence):
            found = None  # a report prepared for a meeting is that meeting's output, not an activity
        acts = EVENT_VERB.search(sentence) or MORE_EVENT_VERBS.search(sentence)
        current = segments[-1][2]
        starts_new = bool(
            found
            and acts
            and not ANAPHORA.match(sentence)
            and (
                (KIND_GROUP[found] != KIND_GROUP[current] and current != "other")
                or (found == current and DATE_LEAD.match(sentence))
            )
        )
        # "In 2021 the Secretariat therefore commissioned an extension": new work on the same thing
        starts_new = starts_new or bool(acts and DATE_LEAD.match(sentence) and DERIVED_WORK.search(sentence))
        found = found or current
        if starts_new and found:
            segments.append((lo, hi, found))
        else:
            segments[-1] = (segments[-1][0], hi, current)
    return [piece for segment in segments for piece in _coordinated(text, segment)]


# "... to convene the 3rd Meeting of the Signatories ... and a Range State meeting to review ...":
# two events joined in one clause; "a" or "an" introduces the second as a new one ("and the
# meeting" goes back to the first)
COORDINATED = re.compile(
    r"\s(?:and|as well as)\s+(?=(?:a|an)\s+(?:[\w-]+\s+){0,4}?(meeting|workshop|study|project)\b)", re.I
)
EVENT_NOUN = re.compile(r"\b(meeting|workshop|study|project|MOS\d*|MOP\d*)\b", re.I)


def _coordinated(text: str, segment: tuple[int, int, str]) -> list[tuple[int, int, str]]:
    lo, hi, kind = segment
    for m in COORDINATED.finditer(text, lo, hi):
        if not EVENT_NOUN.search(text, lo, m.start()):
            continue  # "the Secretariat and a consultant ...": nothing of the kind before
        second = KIND_GROUP.get(wording_type(text[m.end() : hi]) or kind, "other")
        if second != KIND_GROUP.get(kind):
            continue  # "a meeting and a study": the study is named by its own sentence, if at all
        return [(lo, m.start(), kind), (m.end(), hi, kind)]
    return [segment]


def _stated_with(text: str, a: int, b: int, mentions, kind: str) -> tuple:
    """Dates and city said of a name in passing in its own clause: "the 2nd Meeting of Range
    States ... held in Ulaanbaatar, Mongolia, in 2019"; nothing when no event verb joins them."""
    sentence_end = next((e for s_, e in _sentences(text) if s_ <= a < e), len(text))
    window = text[b : min(sentence_end, b + REF_WINDOW)]
    if kind not in ("meeting", "workshop") or not EVENT_VERB.search(window):
        return None, None, None, None
    start = end = city = country = None
    for m, _ in mentions:
        if not b <= m.start < b + len(window):
            continue
        if m.entity_type == "date" and start is None:
            start, end = _split_interval(m.canonical)
            end = end or start
        if m.entity_type == "country" and m.attrs.get("city") and city is None:
            city, country = m.attrs["city"], m.canonical
    return start, end, city, country


COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# "the two Meetings in Almaty", "two IKI projects", "two projects under the International Climate
# Initiative": a count, a kind, and around the kind the words that pick the things out
COUNTED = re.compile(
    r"\b(?P<the>the\s+)?(?P<n>two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<pre>(?:(?-i:[A-Z])[\w-]*\s+){0,3})(?P<noun>meetings|workshops|studies|projects)\b"
    r"(?P<post>\s+(?:in|under|of|funded by|financed by)\s+(?:the\s+)?(?-i:[A-Z])[\w-]*"
    r"(?:\s+(?:of\s+the\s+)?(?-i:[A-Z])[\w-]*)*)?",
    re.I,
)
COUNTED_INDEX = 1000  # claim index of resolved counted references: after every other claim of the paragraph


@dataclass(frozen=True, slots=True)
class Counted:
    start: int
    end: int
    text: str
    count: int
    kind: str
    city: str | None
    organisations: frozenset[str]  # name keys of the donor named (long forms and acronyms)

    def fits(self, claim: ActivityClaim) -> bool:
        if self.city is not None:
            return claim.city is not None and name_key(claim.city) == name_key(self.city)
        names = {name_key(f.funder) for f in claim.funders}
        return bool(names & self.organisations)


def _counted(text: str, mentions, acronyms: dict[str, str]) -> list[Counted]:
    """Counted references of a paragraph. A count of one kind among counts of others in a
    sentence naming nothing ("organized nine meetings, ... and raised funds for two projects
    under the IKI") is a tally, not a mention (BLIND-README "a summary count"); a definite count
    ("the two Meetings in Almaty") or one in a sentence that lists named activities is."""
    out = []
    sentences = _sentences(text)
    for m in COUNTED.finditer(text):
        lo, hi = next(((a, b) for a, b in sentences if a <= m.start() < b), (0, len(text)))
        sentence = text[lo:hi]
        names = [n for n in QUOTED.finditer(sentence)] + [
            n for n in NAMED.finditer(sentence) if len(n.group(0).split()) >= 3
        ]
        if not m.group("the") and not names:
            continue
        a, b = m.start(), m.end()
        city, _ = _place_in(mentions, a, b)
        organisations: set[str] = set()
        if city is None:
            words = re.findall(
                r"[A-Z][\w-]*(?:\s+(?:of\s+the\s+)?[A-Z][\w-]*)*", (m.group("pre") or "") + (m.group("post") or "")
            )
            for w in words:
                for form in (w, acronyms.get(w), FUNDER_ACRONYMS.get(w)):
                    if form:
                        organisations.add(name_key(form))
                        organisations.add(name_key(FUNDER_ACRONYMS.get(form, form)))
            organisations |= {
                name_key(fm.canonical) for fm, _ in mentions if fm.entity_type == "funder" and a <= fm.start < b
            }
            if not organisations:
                continue  # "two studies": nothing says which
        kind = REFERENCE_NOUN_KIND[m.group("noun").lower().rstrip("s")[:5]]
        out.append(
            Counted(a, b, m.group(0).strip(), COUNT_WORDS[m.group("n").lower()], kind, city, frozenset(organisations))
        )
    return out


def _through_projects(claims: list[ActivityClaim], acronyms: dict[str, str]) -> None:
    """ "with funds from the CAMCA project": a project the paper reports is a channel, and the
    money is its donors' (BLIND-README: activities funded through CAMCA are given IKI)."""
    projects = [c for c in claims if c.type == "project" and not c.reference and c.funders]
    for claim in claims:
        if not claim.funders or claim.type == "project":
            continue
        replaced: dict[str, str | None] = {}
        for f in claim.funders:
            project = next((p for p in projects if _names_project(f.funder, p.title, acronyms)), None)
            if project is None:
                replaced.setdefault(f.funder, f.amount)
                continue
            for g in project.funders:
                replaced.setdefault(g.funder, None)
        claim.funders = [Funding(f, a) for f, a in sorted(replaced.items())]


def _names_project(funder: str, title: str, acronyms: dict[str, str]) -> bool:
    key = name_key(funder)
    if len(key) >= 4 and key in name_key(title):
        return True
    return any(
        name_key(long_form) == key and re.search(rf"\b{re.escape(acronym)}\b", title)
        for acronym, long_form in acronyms.items()
    )


def _paragraph_order(label: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"\D+", label) if p) or (0,)


SINCE = re.compile(r"^\s*(?:Since|From)\s+", re.I)


def _period_start(text: str, mentions) -> str | None:
    """ "Since February 2020, the Secretariat has organized ...": the paragraph speaks of what was
    done from that date on, so the things it names in passing are not older."""
    lead = SINCE.match(text)
    if not lead:
        return None
    first = next((m for m, _ in mentions if m.entity_type == "date" and m.start == lead.end()), None)
    return _split_interval(first.canonical)[0] if first else None


# A background paragraph that opens with a numbered meeting as its subject, held or organised on
# given days, reports that meeting (seed para 3); background dates of years ("revised by the 2nd
# Meeting ... in 2019") stay background.
OPENING_EVENT = re.compile(
    r"^\s*The\s+(?:\d{1,2}(?:st|nd|rd|th)|First|Second|Third|Fourth|Fifth)\s+Meeting\b[^.;]{0,80}?\b"
    r"(?:is|was|will be)\s+(?:organi[sz]ed|held|convened)\b"
)


def _dated_event_opening(first: str, mentions) -> bool:
    if not OPENING_EVENT.match(first) or GOVERNING_BODY.search(first[:120]):
        return False
    return any(m.entity_type == "date" and len(_split_interval(m.canonical)[0]) == 10 and m.start < len(first)
               for m, _ in mentions)  # fmt: skip


def _describing_words(text: str, a: int, b: int, mentions) -> set[str]:
    """The words of a lower-case description that say which thing: not the generic ones, and not
    a country's name (a country says where, and many things are there)."""
    places = [(m.start, m.end) for m, _ in mentions if m.entity_type == "country" and a <= m.start < b]
    kept = "".join(" " if any(x <= i < y for x, y in places) else ch for i, ch in enumerate(text[a:b], start=a))
    return set(content_words(kept)) - DESCRIBED_GENERIC


def _place_in(mentions, a: int, b: int) -> tuple[str | None, str | None]:
    """The city a name itself contains ("the Vilm workshop"), from the place mentions in [a, b)."""
    for m, _ in mentions:
        if a <= m.start < b and m.entity_type == "country" and m.attrs.get("city"):
            return m.attrs["city"], m.canonical
    return None, None


# "(8.1: To support and contribute to an analysis ... threat)": a plan row quoted with its number
POW_QUOTE = re.compile(r"\((\d+(?:\.\d+)+):\s+(.{20,600}?)\)(?=[.,;]|\s*$)")
# "(paragraph 18)", "(see paragraphs 14 and 18)": a paper pointing at its own paragraph
OWN_PARAGRAPH = re.compile(r"\((?:see\s+)?paragraphs?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)\)")
# "with funds from the CAMCA project (see paragraph 21)": a project named as the source of money
# is no mention of that project (BLIND-README "a project named only as a funder")
FUNDING_BEFORE = re.compile(
    r"\b(?:funds?|funding|financ\w*|financial support|paid|grant)\s+(?:from|by|of|through)\b[^.;]*$", re.I
)
# characters before "(paragraph N)" where the thing pointed at is named (ScC-SC6 14: the noun
# "study" is 62 characters before its pointer), cut at the clause start
OWN_REF_WINDOW = 90


def _own_paragraph_refs(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, paragraph) of each thing the paragraph points at in its own paper."""
    out = []
    for m in OWN_PARAGRAPH.finditer(text):
        lo = max(0, m.start() - OWN_REF_WINDOW)
        clause_start = max(text.rfind(c, lo, m.start()) for c in (",", ";", ":", ". "))
        lo = clause_start + 1 if clause_start >= 0 else lo
        before = text[lo : m.start()]
        if FUNDING_BEFORE.search(before):
            continue
        nouns = list(REFERENCE_NOUN.finditer(before))
        if not nouns:
            continue
        kind = REFERENCE_NOUN_KIND[nouns[-1].group(1).lower().rstrip("s")[:5]]
        start = lo + (len(before) - len(before.lstrip()))
        for number in re.findall(r"\d+", m.group(1)):
            out.append((start, m.start(), kind, number))
    return out


def _title(text: str, kind: str = "other") -> tuple[str, tuple[int, int]]:
    """The activity's own name: a quoted title, else a capitalised name around a kind noun,
    else the paragraph's first clause."""
    first_end = _sentences(text)[0][1] if text.strip() else len(text)
    q = QUOTED.search(text, 0, first_end) or QUOTED.search(text)
    named = [m for m in NAMED.finditer(text, 0, first_end) if len(m.group(0).split()) >= 2]
    if q and (not named or q.start() < named[0].start() + 60):
        g = 1 if q.group(1) else 2
        return q.group(g).strip(), (q.start(g), q.end(g))
    if named:
        m = max(named[:3], key=lambda m: len(m.group(0)))
        return m.group(0).strip(), (m.start(), m.start() + len(m.group(0).strip()))
    # "met online ... to comment on the first draft of the extended hotspots study": a noun of
    # another kind than the claim's names what the activity was about, not the activity
    noun = next(
        (
            n
            for n in TYPE_NOUNS.finditer(text, 0, first_end)
            if kind == "other" or KIND_GROUP.get(wording_type(n.group(0)) or kind) == KIND_GROUP.get(kind)
        ),
        None,
    )
    if noun:
        # "a consultative meeting in Astana ... on solutions to human-wildlife conflict": the
        # kind noun with the words before it back to a verb or comma, on to the clause end
        begin = max(
            text.rfind(",", 0, noun.start()), text.rfind(" the ", 0, noun.start()), text.rfind(" a ", 0, noun.start())
        )
        begin = begin + 1 if begin >= 0 else 0
        stop = re.search(r"[,;:]|\.(?=\s|$)", text[noun.end() : first_end])
        end = noun.end() + (stop.start() if stop else first_end - noun.end())
        phrase = text[begin:end].strip()
        phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase)
        if len(phrase.split()) >= 2:
            offset = text.find(phrase, begin)
            return phrase, (offset, offset + len(phrase))
    base = len(text) - len(text.lstrip())
    lead = LEAD_CLAUSE.match(text, base)
    skip = lead.end() if lead else base
    clause = re.match(r"[^,;:.]{10,120}", text[skip:])
    if clause:
        return clause.group(0).strip(), (skip + clause.start(), skip + clause.end())
    return text[base : base + 80].strip(), (base, min(base + 80, len(text)))


def _ordinal(text: str, kind: str) -> int | None:
    m = ORDINAL.search(text)
    if m:
        return int(m.group(1)) if m.group(1) else ORDINAL_WORDS[m.group(2).lower()]
    code = SERIES_CODE.search(text)
    return int(code.group(1)) if code else None


def _status(text: str, first: str, start: str | None, end: str | None, issued: str | None, *, is_pow: bool) -> str:
    if PLANNED.search(first):
        return "planned"
    if issued and start:
        issued_at = issued[: len(start)]
        if start > issued_at:
            return "planned"
        if end and end >= issued[: len(end)] and start <= issued_at and end != start:
            return "under_way"
    if UNDER_WAY.search(text):
        return "under_way"
    if is_pow and not start:
        return "planned"
    return "done"


def _organisers(text: str, acronyms: dict[str, str]) -> list[str]:
    found: list[str] = []
    subject = ORGANISER_SUBJECT.match(text)
    raws: list[str] = []
    if subject:
        raws.extend(re.split(r"\s+and\s+", subject.group(1)))
    for cue in ORGANISER_CUE.finditer(text):
        rest = text[cue.end() : cue.end() + 240]
        stop = ORG_STOP.search(rest)
        chunk = rest[: stop.start()] if stop else rest
        raws.extend(p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+(?=the\s+)", chunk) if p.strip())
    for raw in raws:
        name = _org_name(raw, acronyms)
        if name and name not in found:
            found.append(name)
    return sorted(set(found))


def _cited_paragraphs(text: str) -> list[str]:
    out = set()
    for m in CITED_PARAGRAPH.finditer(text):
        for n in re.findall(r"\d+", m.group(1)):
            out.add(f"{m.group(2).rstrip('.,')}|{n}")
    return sorted(out)


SYMBOL_TAIL = re.compile(r"^(?:Doc|Inf|Outcome|Report|CRP)\.?\s?\d+(?:\.\d+)*$")


def _cited_column(view: ReportView, header: list[str]) -> tuple[int, str] | None:
    """A column headed with the tail of a symbol the paper cites ("Doc.7" for
    UNEP/CMS/CAMI3/Doc.7) gives, per row, the paragraphs of that paper the row restates."""
    for i, name in enumerate(header):
        if SYMBOL_TAIL.match(name.strip()):
            tail = "/" + name.strip().replace(" ", "")
            cited = sorted(
                {
                    m.canonical
                    for items in view.mentions.values()
                    for m, _ in items
                    if m.entity_type == "document_code" and m.canonical.endswith(tail)
                }
            )
            if len(cited) == 1:
                return i, cited[0]
    return None


def _pow_refs(text: str) -> tuple[list[str], list[str]]:
    """(every POW number cited, those the claim implements rather than contributes to)."""
    refs: set[str] = set()
    implements: set[str] = set()
    for m in POW_REF.finditer(text):
        serves = bool(CONTRIBUTION_BEFORE.search(text[max(0, m.start() - 30) : m.start()]))
        # "the IWG recommended that the Atlas be updated (activity 1.1)": the plan item is what
        # was recommended, not what this paragraph's activity carries out
        serves = serves or bool(RECOMMENDED.search(text[max(0, m.start() - 200) : m.start()]))
        sub_item = bool(re.search(r"\d\s*[a-z]\)", m.group(2)))
        for number in re.findall(r"\d+\.\d+(?:\.\d+)*", m.group(2)):
            refs.add(number)
            if not serves and not sub_item:
                implements.add(number)
    return sorted(refs), sorted(implements)


def _in_passing(
    view: ReportView, block: Block, index: int, a: int, b: int, kind: str, title: str, **fields
) -> ActivityClaim:
    """A claim for an activity a paragraph names in passing (``reference``): the name's span is
    its source and its title span; what the paragraph states of it comes in ``fields``."""
    span = Span(view.symbol, view.language, block.label, block.seq, view.pages.get(block.seq), a, b)
    stated = {"start": None, "end": None, "city": None, "country": None, "status": None, **fields}
    return ActivityClaim(
        claim_id=claim_id(view.sha256, block.label, block.seq, index),
        document_sha256=view.sha256,
        source=span,
        type=kind,
        title=title,
        spans={"title": span},
        reference=True,
        extractor=CLAIMS_VERSION,
        **stated,
    )
