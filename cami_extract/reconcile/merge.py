"""Matching rules, components and field precedence: pure, deterministic and symmetric.

* :func:`compare` scores one pair of claims from typed keys (type, dates, place, ordinal, name,
  species, funders, outputs, POW references). It is symmetric (``compare(a, b) == compare(b, a)``)
  and either refuses the pair with a reason or returns the rule, score and the evidence.
* :func:`components` links candidate pairs greedily, best score first (ties broken by claim id,
  never by arrival), refusing a link that would put two claims of one report in one activity:
  a report describes an activity once, so shared activities link one to one.
* :func:`assemble` picks each field by document precedence and records conflicts.

Nothing here reads the database: ``reconcile/__init__.py`` does the I/O.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz import fuzz

from ..model import Activity, ActivityClaim, ActivityLink, Conflict, ConflictValue
from .activities import content_words
from .keys import activity_id, name_key

RULES_VERSION = "merge.v2"

# -- named thresholds (measured on the corpus pair UNEP/CMS/CAMI3/Doc.7 + UNEP/CMS/COP14/Doc.28.2.1,
#    whose 14 shared activities score >= 0.62 and whose non-matching same-type pairs score <= 0.45)
LINK_THRESHOLD = 0.55  # a pair scoring this or more is a candidate link (Settings.reconcile_link_threshold)
DATE_NEAR_DAYS = 31  # dates this close but not overlapping: a typo or a reschedule, weak evidence
DATE_APART_DAYS = 120  # day-precise dates further apart than this are two events (MOS4 2021 vs MOS5 2025)
YEAR_APART_DAYS = 400  # any dates further apart than this are two activities
NAME_STRONG = 0.80  # name similarity above this counts as "same name" in the reason text
NAME_IDENTITY = 0.60  # a name this similar identifies an activity on its own
PRECISE_DAYS = 62  # an interval this short (a meeting, a month) is specific enough to identify

# Weights of the evidence; a missing key (no date on one side) drops out of the mean.
W_NAME = 0.30
W_DATES = 0.30
W_PLACE = 0.15
W_SPECIES = 0.15
W_FUNDERS = 0.10
BONUS_OUTPUT = 0.30  # both cite the same adopted or published document code
BONUS_POW = 0.20  # both cite the same Programme-of-Work activity
PENALTY_PLACE = 0.20  # both name a place and the places differ
CITES_BASE = 0.90  # "paragraph 15 of <symbol>" or a column of paragraph numbers: near certain
PENALTY_SPECIES = 0.15
REF_NAME = 0.75  # a name in passing must be this like the activity's own name
REF_REF_NAME = 0.85  # two names in passing, no other evidence: stricter
# content words (besides the kind noun) a name in passing needs to be looked up by words: 2 lets
# "the extended hotspots study" (ScC-SC6 17) find its study; 3 loses 5 gold pairs of the blind
# set and gains no precision (whole corpus, P 1.000 both ways)
REF_WORDS_MIN = 2
REF_COVERED = 0.76
# -- scores of the rules that say which one without a name (issue 8, second round; each is above
#    LINK_THRESHOLD and below CITES_BASE + a typed score, so an explicit citation wins a tie)
QUOTED_ROW = 0.95  # a POW row quoted with its number ("(8.1: To support ...)"): near certain
REF_PLACE = 0.78  # a name in passing made of a kind and a place ("the Vilm workshop"), the event held there
REF_NUMBERED_PLACE = 0.80  # a numbered meeting in passing with the same number and city  # its score: below any name match, so a real name match wins the tie
KIND_WORDS = frozenset({"meeting", "workshop", "study", "project", "report", "publication", "conference"})
COUNTRIES_MIN = 2  # a list of countries says which work only when it names several (one is just "where")
# Jaccard of two country lists that backs a shared month: the One Health application (seed 21,
# ScC-SC6 22, COP14 16: five countries each) scores 1.0; on the corpus any value 0.5-1.0 gives the
# same links (swept with `cami reconcile --rebuild`), above 1.0 loses that activity
SAME_COUNTRIES = 0.8
SAME_MONEY = 0.5  # funders and species Jaccard both at least this
PLAN_WINDOW = 0.5  # a reported date inside a plan's timeframe  # both name species and share none

# Kinds that may describe one activity: an expert workshop replacing a meeting, a study published.
COMPATIBLE = {
    frozenset({"meeting", "workshop"}),
    frozenset({"study", "publication"}),
    frozenset({"meeting", "agreement"}),
}


@dataclass(frozen=True, slots=True)
class MatchConfig:
    link_threshold: float = LINK_THRESHOLD


@dataclass(frozen=True, slots=True)
class Standing:
    """A report's rank for field precedence. Larger tuples win (see :func:`precedence_key`)."""

    document: str  # symbol or file name
    language: str | None
    issue_date: str  # "" when unknown
    revision: int  # /Rev.N -> N, else 0
    kind_rank: int  # meeting report 2 > working document 1 > information document 0
    original: bool  # the original language, not a translation

    @property
    def report(self) -> str:
        return f"{self.document}|{self.language or ''}"


@dataclass(frozen=True, slots=True)
class ClaimInReport:
    claim: ActivityClaim
    standing: Standing
    source_key: str


@dataclass(frozen=True, slots=True)
class PairScore:
    rule: str
    score: float
    reason: str


@dataclass(slots=True)
class MergeStats:
    refused: Counter = field(default_factory=Counter)  # reason -> pairs or merges refused


def standing_of(
    symbol: str | None, name: str, language: str | None, issue_date: str | None, original: str | None
) -> Standing:
    sym = symbol or name
    rev = re.search(r"/Rev\.?\s*(\d+)", sym)
    if re.search(r"/(Report|Outcome)\b", sym):
        kind_rank = 2
    elif re.search(r"/(Doc|CRP)\b", sym):
        kind_rank = 1
    else:
        kind_rank = 0
    is_original = original is None or language is None or original.lower()[:2] == language.lower()[:2]
    return Standing(sym, language, issue_date or "", int(rev.group(1)) if rev else 0, kind_rank, is_original)


def precedence_key(member: ClaimInReport) -> tuple:
    """Sort key, best first: later issue date, revision, meeting report, original language; then
    the source key (content) so equal standing is still a fixed order."""
    s = member.standing
    return (_neg(s.issue_date), -s.revision, -s.kind_rank, not s.original, member.source_key)


def _neg(text: str) -> tuple:
    return (*tuple(-ord(c) for c in text), 0)


# -- dates -------------------------------------------------------------------------------------
@lru_cache(maxsize=1 << 14)  # read for every pair; claims share few distinct dates
def interval(start: str | None, end: str | None) -> tuple[date, date] | None:
    if not start:
        return None
    lo = _bound(start, low=True)
    hi = _bound(end or start, low=False)
    if lo is None or hi is None:
        return None
    return (lo, max(lo, hi))


def _bound(value: str, *, low: bool) -> date | None:
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1) if low else date(parts[0], 12, 31)
        if len(parts) == 2:
            if low:
                return date(parts[0], parts[1], 1)
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return nxt - timedelta(days=1)
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _gap_days(a: tuple[date, date], b: tuple[date, date]) -> int:
    if a[0] <= b[1] and b[0] <= a[1]:
        return 0
    return min(abs((a[0] - b[1]).days), abs((b[0] - a[1]).days))


def compatible_dates(x: str | None, y: str | None) -> bool:
    """Same date, or one a coarser print of the other ("2022-09" and "2022-09-20")."""
    if not x or not y:
        return True
    return x.startswith(y) or y.startswith(x)


# -- one pair ----------------------------------------------------------------------------------
def _binomial(name: str) -> str:
    """ "Acinonyx jubatus venaticus" -> "Acinonyx jubatus"; "Saiga spp." stays."""
    return " ".join(name.split()[:2])


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float | None:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return None
    return len(sa & sb) / len(sa | sb)


# Words that say nothing about which activity: articles, joiners, ordinals (compared apart).
NAME_NOISE = re.compile(
    r"\b(the|a|an|of|for|on|to|and|in|at|by|with|\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth)\b"
)


@lru_cache(maxsize=1 << 16)  # each name is compared with every candidate's
def _name_words(text: str) -> str:
    return " ".join(NAME_NOISE.sub(" ", name_key(text)).split())


def name_similarity(a: str, b: str) -> float:
    # token_set alone scores any subset 1.0 ("in March 2021" inside a long clause): averaged
    # with token_sort, which counts the words the shorter name lacks
    x, y = _name_words(a), _name_words(b)
    return (fuzz.token_set_ratio(x, y) + fuzz.token_sort_ratio(x, y)) / 200.0


def compare(x: ClaimInReport, y: ClaimInReport) -> PairScore | str:
    """Score a pair, or return why it cannot be one activity. Symmetric in x and y."""
    a, b = x.claim, y.claim
    if a.reference or b.reference:
        return _by_name(x, y)
    if x.standing.report == y.standing.report:
        return "same_report"
    key_a = f"{x.standing.document}|{a.source.paragraph}"
    key_b = f"{y.standing.document}|{b.source.paragraph}"
    typed = _typed(x, y)
    if key_b in a.cites or key_a in b.cites:
        # An explicit citation decides; the typed score only orders a row citing two paragraphs.
        rest = typed.score if isinstance(typed, PairScore) else 0.0
        cited = key_b if key_b in a.cites else key_a
        return PairScore(
            f"cites_paragraph.{RULES_VERSION}", round(CITES_BASE + (1 - CITES_BASE) * rest, 4), f"cites {cited}"
        )
    return typed


def _by_name(x: ClaimInReport, y: ClaimInReport) -> PairScore | str:
    """A name mentioned in passing matches an activity by its name alone (and kind, ordinal)."""
    a, b = x.claim, y.claim
    if x.standing.report == y.standing.report and a.source.block_seq == b.source.block_seq:
        return "same_paragraph"
    kinds = frozenset({a.type, b.type})
    if len(kinds) > 1 and kinds not in COMPATIBLE and "other" not in kinds:
        return "type_differs"
    if a.ordinal is not None and b.ordinal is not None and a.ordinal != b.ordinal:
        return "ordinal_differs"
    ref, other = (a, b) if a.reference else (b, a)
    for r, o in ((a, b), (b, a)):
        span, period = interval(o.start, o.end), interval(r.after, None)
        if r.reference and span and period and span[1] < period[0]:
            return "before_the_period"  # "Since February 2020, ...": not the study of 2019
    if not (a.reference and b.reference) and other.plan and other.number and other.number in ref.pow_refs:
        # the row quoted with its number: "(8.1: To support and contribute to ...)"
        return PairScore(f"quotes_plan_row.{RULES_VERSION}", QUOTED_ROW, f"quotes POW row {other.number}")
    if (a.cites and a.reference) or (b.cites and b.reference):
        # "(paragraph 18)", "the two Meetings in Almaty" resolved to paragraphs 11 and 12: the
        # paper says which paragraph; the kind (checked above) says which claim there
        other_in = y if a.reference else x
        other_key = f"{other_in.standing.document}|{other.source.paragraph}"
        if (a.reference and b.reference) or other_key not in ref.cites:
            return "cites_another_paragraph"
        return PairScore(f"cites_paragraph.{RULES_VERSION}", CITES_BASE, f"points at {other_key}")
    if ref.ordinal is not None and other.ordinal is None:
        return "ordinal_unmatched"  # "the 2nd Range States Meeting" is not a meeting without a number
    if a.ordinal is not None and a.ordinal == b.ordinal and a.city and a.city == b.city:
        # "their 2nd meeting, held in Ulaanbaatar": the number and the place name the meeting
        return PairScore(
            f"named_reference.{RULES_VERSION}", REF_NUMBERED_PLACE, "named in passing; same number and place"
        )
    named_by_place = [c for c in (a, b) if c.reference and c.city and name_key(c.city) in name_key(c.title)]
    if (
        named_by_place
        and a.city
        and b.city
        and "online" not in (a.city, b.city)
        and name_key(a.city) == name_key(b.city)
        and not (a.plan or b.plan)
    ):
        # "the Vilm workshop": a kind and the place in its name, the event held there
        return PairScore(f"named_reference.{RULES_VERSION}", REF_PLACE, "named in passing by its place")
    if min(len(set(content_words(a.title)) - KIND_WORDS), len(set(content_words(b.title)) - KIND_WORDS)) < 2:
        return "name_too_generic"  # "their 2nd meeting" says which only with its place
    # a name in passing may be any of the names the describing paragraph uses
    names_a = [a.title] + (a.aliases if not a.reference else [])
    names_b = [b.title] + (b.aliases if not b.reference else [])
    similarity = max(name_similarity(p, q) for p in names_a for q in names_b)
    needed = REF_REF_NAME if a.reference and b.reference else REF_NAME
    if similarity < needed and not (a.reference and b.reference):
        # every word of the name in passing is in the describing paragraph: "the Consultative
        # Meeting on the Saiga Antelope" for the paragraph that reports it under another title
        ref, described = (a, b) if a.reference else (b, a)
        words = set(content_words(ref.title)) - KIND_WORDS
        same_kind = described.type != "other" and (
            ref.type == described.type or frozenset({ref.type, described.type}) in COMPATIBLE
        )
        if same_kind and not described.plan and len(words) >= REF_WORDS_MIN and words <= set(described.words):
            return PairScore(
                f"named_reference.{RULES_VERSION}", REF_COVERED, "named in passing; every word in the paragraph"
            )
    if similarity < needed:
        return "reference_name_differs"
    return PairScore(
        f"named_reference.{RULES_VERSION}", round(similarity, 4), f"named in passing; name {similarity:.2f}"
    )


# The words by which a plan row names a kind of undertaking ("... and revise it at a meeting of
# the Range States"): a row's type is read from its verb ("Review" -> study), the nouns it uses
# are the other kinds it may be carried out as.
KIND_NOUNS = {
    "meeting": {"meeting", "conference"},
    "workshop": {"workshop", "training", "course"},
    "study": {"study", "assessment", "review", "survey", "analysi"},
    "project": {"project"},
    "publication": {"publication", "guideline", "guidance", "edition", "atla"},
    "agreement": {"agreement", "memorandum"},
}


def _plan_names_kind(a: ActivityClaim, b: ActivityClaim, shared_pow: list[str]) -> bool:
    """A report activity that carries out a plan row (its number cited) and is of a kind the row's
    text names: "Review the ... Action Plan ... and revise it at a meeting" and the meeting held."""
    if not shared_pow or a.plan == b.plan:
        return False
    plan, done = (a, b) if a.plan else (b, a)
    return bool(KIND_NOUNS.get(done.type, set()) & set(plan.words))


def _event_serves_broad_row(a: ActivityClaim, b: ActivityClaim) -> bool:
    """A meeting or workshop is one occasion; a plan row of no kind ("To support and contribute
    to an analysis of knowledge gaps", "Cooperate with GSLEP") is carried out by many, each a
    contribution (BLIND-README "POW rows"). Unless the row names an event ("... at a meeting")."""
    if a.plan == b.plan:
        return False
    plan, done = (a, b) if a.plan else (b, a)
    events = KIND_NOUNS["meeting"] | KIND_NOUNS["workshop"]
    return plan.type == "other" and done.type in ("meeting", "workshop") and not events & set(plan.words)


def _typed(x: ClaimInReport, y: ClaimInReport) -> PairScore | str:
    a, b = x.claim, y.claim
    shared_pow = sorted(set(a.pow_implements) & set(b.pow_implements))
    kinds = frozenset({a.type, b.type})
    if len(kinds) > 1 and kinds not in COMPATIBLE and "other" not in kinds and not _plan_names_kind(a, b, shared_pow):
        return "type_differs"
    if _event_serves_broad_row(a, b):
        return "event_serves_plan_row"
    if a.ordinal is not None and b.ordinal is not None and a.ordinal != b.ordinal:
        return "ordinal_differs"
    evidence: list[str] = []
    parts: list[tuple[float, float]] = []  # (weight, value)
    ia, ib = interval(a.start, a.end), interval(b.start, b.end)
    precise_overlap = False
    if ia and ib and (a.plan or b.plan):
        # A plan's timeframe is a window the work may slip out of: weak evidence, never a veto.
        gap = _gap_days(ia, ib)
        parts.append((W_DATES, PLAN_WINDOW if gap == 0 else 0.0))
        evidence.append("within the planned window" if gap == 0 else "outside the planned window")
    elif ia and ib:
        gap = _gap_days(ia, ib)
        precise_overlap = gap == 0 and max((ia[1] - ia[0]).days, (ib[1] - ib[0]).days) <= PRECISE_DAYS
        day_precise = len(a.start or "") == 10 and len(b.start or "") == 10
        if (day_precise and gap > DATE_APART_DAYS) or gap > YEAR_APART_DAYS:
            return "dates_apart"
        value = 1.0 if gap == 0 else (0.4 if gap <= DATE_NEAR_DAYS else 0.0)
        parts.append((W_DATES, value))
        evidence.append("dates overlap" if gap == 0 else f"dates {gap} days apart")
    place_penalty = 0.0
    if a.city and b.city:
        same_place = name_key(a.city) == name_key(b.city)
        parts.append((W_PLACE, 1.0 if same_place else 0.0))
        if not same_place:
            place_penalty = PENALTY_PLACE
        evidence.append(f"place {'same' if same_place else 'differs'}")
    # a plan row is worded as a task ("Convene the 3rd Meeting of the CAMI Range States to review
    # ..."): the names it contains are its names too
    names_a = [a.title] + (a.aliases if a.plan else [])
    names_b = [b.title] + (b.aliases if b.plan else [])
    similarity = max(name_similarity(p, q) for p in names_a for q in names_b)
    parts.append((W_NAME, similarity))
    evidence.append(f"name {similarity:.2f}" + (" (strong)" if similarity >= NAME_STRONG else ""))
    # a subspecies named in one report and its species in the other are the same animals here
    species = _jaccard({_binomial(n) for n in a.species}, {_binomial(n) for n in b.species})
    if species is not None:
        parts.append((W_SPECIES, species))
        evidence.append(f"species {species:.2f}")
    funders = _jaccard([f.funder for f in a.funders], [f.funder for f in b.funders])
    if funders is not None:
        parts.append((W_FUNDERS, funders))
        evidence.append(f"funders {funders:.2f}")
    shared_outputs = sorted(set(a.outputs) & set(b.outputs))
    # Something must say "this one": a name, a shared output or POW activity, or a short
    # shared date backed by place, species or funders. Overlapping multi-year spans and
    # shared donors alone join unrelated work.
    countries = _jaccard(a.countries, b.countries)
    if countries is not None and len(a.countries) >= COUNTRIES_MIN and len(b.countries) >= COUNTRIES_MIN:
        evidence.append(f"countries {countries:.2f}")
    else:
        countries = None
    backed = (
        (a.city and b.city and place_penalty == 0)
        or (species or 0) > 0
        or (funders or 0) > 0
        or (countries or 0) >= SAME_COUNTRIES
    )
    # the same donors for the same species and kind, undated on one side: the same commission
    same_money = (funders or 0) >= SAME_MONEY and (species or 0) >= SAME_MONEY and not (ia and ib)
    if not (similarity >= NAME_IDENTITY or shared_outputs or shared_pow or (precise_overlap and backed) or same_money):
        return "no_identifying_key"
    if (a.plan or b.plan) and not (shared_pow or shared_outputs or similarity >= NAME_STRONG):
        # a plan is worded as a task ("Convene the 3rd Meeting ..."): its number cited, or nearly its name
        return "plan_not_cited"
    total = sum(w for w, _ in parts)
    score = sum(w * v for w, v in parts) / total if total else 0.0
    rule = "typed_keys"
    if species == 0.0:
        place_penalty += PENALTY_SPECIES
    if shared_outputs:
        score += BONUS_OUTPUT
        rule = "shared_output"
        evidence.append("outputs " + ", ".join(shared_outputs))
    if shared_pow:
        score += BONUS_POW
        rule = "pow_ref" if rule == "typed_keys" else rule
        evidence.append("POW " + ", ".join(shared_pow))
    score = round(max(0.0, min(1.0, score - place_penalty)), 4)
    return PairScore(
        f"{rule}.{RULES_VERSION}", score, f"type {'/'.join(sorted((a.type, b.type)))}; " + "; ".join(evidence)
    )


# -- components --------------------------------------------------------------------------------
def candidate_pairs(
    claims: list[ClaimInReport], config: MatchConfig, stats: MergeStats | None = None
) -> list[tuple[str, str, PairScore]]:
    """Every pair scoring at or above the threshold, as (smaller claim id, larger, score)."""
    ordered = sorted(claims, key=lambda c: c.claim.claim_id)
    out = []
    for i, x in enumerate(ordered):
        for y in ordered[i + 1 :]:
            result = compare(x, y)
            if isinstance(result, str):
                if stats is not None and result != "same_report":
                    stats.refused[result] += 1
                continue
            if result.score >= config.link_threshold:
                out.append((x.claim.claim_id, y.claim.claim_id, result))
            elif stats is not None:
                stats.refused["below_threshold"] += 1
    return out


def components(
    claims: list[ClaimInReport], pairs: list[tuple[str, str, PairScore]], stats: MergeStats | None = None
) -> tuple[list[list[str]], list[ActivityLink]]:
    """Greedy linking, best score first: a report describes an activity once (one primary claim
    per report in a component), and a name in passing never joins two described activities."""
    by_id = {c.claim.claim_id: c for c in claims}
    parent = {cid: cid for cid in by_id}
    reports = {cid: ({c.standing.report} if not c.claim.reference else set()) for cid, c in by_id.items()}
    # The claims of one paragraph are different activities (its segments, the names it cites).
    paragraphs = {cid: {(c.standing.report, c.claim.source.block_seq)} for cid, c in by_id.items()}
    # Day-precise dates of the component: an undated claim must not chain two events years apart.
    days: dict[str, list[tuple[date, date]]] = {}
    for cid, c in by_id.items():
        span = interval(c.claim.start, c.claim.end)
        days[cid] = [span] if span and len(c.claim.start or "") == 10 and not c.claim.plan else []

    members = {cid: [cid] for cid in by_id}

    def find(cid: str) -> str:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    links: list[ActivityLink] = []

    def tie_break(p: tuple[str, str, PairScore]) -> tuple:
        # equal scores in the order of the paragraphs' source keys: stable across versions of a
        # report (a new sha256 gives new claim ids, not new paragraphs)
        keys = sorted((by_id[p[0]].source_key, by_id[p[1]].source_key))
        return (-p[2].score, *keys)

    for a, b, s in sorted(pairs, key=tie_break):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        shared = reports[ra] & reports[rb]
        if shared and not _rows_of_one_plan(by_id[a], by_id[b], [by_id[c] for c in members[ra] + members[rb]], shared):
            if stats is not None:
                stats.refused["report_already_in_activity"] += 1
            continue
        if paragraphs[ra] & paragraphs[rb]:
            if stats is not None:
                stats.refused["paragraph_already_in_activity"] += 1
            continue
        if any(_gap_days(x, y) > DATE_APART_DAYS for x in days[ra] for y in days[rb]):
            if stats is not None:
                stats.refused["component_dates_apart"] += 1
            continue
        if (by_id[a].claim.reference or by_id[b].claim.reference) and reports[ra] and reports[rb]:
            if stats is not None:
                stats.refused["reference_would_bridge"] += 1
            continue
        keep, drop = min(ra, rb), max(ra, rb)
        members[keep] += members.pop(drop)
        parent[drop] = keep
        reports[keep] |= reports.pop(drop)
        paragraphs[keep] |= paragraphs.pop(drop)
        days[keep] += days.pop(drop)
        links.append(ActivityLink(a, b, s.rule, s.score, s.reason))
    groups: dict[str, list[str]] = {}
    for cid in sorted(by_id):
        groups.setdefault(find(cid), []).append(cid)
    # A name in passing that matched nothing is no activity of its own.
    kept = [g for g in groups.values() if len(g) > 1 or not by_id[g[0]].claim.reference]
    return sorted(kept), links


def _rows_of_one_plan(x: ClaimInReport, y: ClaimInReport, union: list[ClaimInReport], shared: set[str]) -> bool:
    """The one exception to "a report describes an activity once": a Programme of Work may split
    one undertaking over several rows, and a report that carries it out cites them all ("to
    implement Measures 31.1 and 31.2"). Allowed when the pair is that report's claim and a row,
    and the rows of the shared report are plan rows it implements, every one."""
    plan, done = (x.claim, y.claim) if x.claim.plan else (y.claim, x.claim)
    if not plan.plan or done.plan or done.reference:
        return False
    rows = [c.claim for c in union if c.standing.report in shared]
    return all(r.plan and r.number and r.number in done.pow_implements for r in rows)


# -- fields and conflicts --------------------------------------------------------------------
SCALARS = ("type", "title", "start", "end", "city", "country", "status")
CONFLICT_FIELDS = ("start", "end", "place", "funders")


def _place(c: ActivityClaim) -> str | None:
    """ "Tbilisi, GEO"; "online"; "IRN" for a study confined to one country."""
    if not c.city:
        return c.country
    return c.city if c.country is None else f"{c.city}, {c.country}"


def assemble(members: list[ClaimInReport]) -> tuple[Activity, list[Conflict]]:
    described = [m for m in members if not m.claim.reference] or members
    ordered = sorted(described, key=precedence_key)
    aid = activity_id([m.source_key for m in members])
    fields: dict = {}
    chosen: dict[str, str] = {}
    # Start and end are one field: both from the best report that dates the activity; a plan's
    # window only when no report dates it.
    dated = [m for m in ordered if m.claim.start and not m.claim.plan] or [m for m in ordered if m.claim.start]
    for name in SCALARS:
        fields[name] = None
        if name in ("start", "end"):
            if dated:
                fields[name], chosen[name] = getattr(dated[0].claim, name), dated[0].claim.claim_id
            continue
        for m in ordered:
            value = getattr(m.claim, name)
            if value is not None and not (name == "type" and value == "other" and len(ordered) > 1):
                fields[name], chosen[name] = value, m.claim.claim_id
                break
    if fields["type"] is None:
        fields["type"] = ordered[0].claim.type
    # The place is one field: city and country come from the same claim.
    if "city" in chosen:
        best = next(m for m in ordered if m.claim.claim_id == chosen["city"])
        fields["country"], chosen["country"] = best.claim.country, best.claim.claim_id
    fields["place"] = (
        None if fields["city"] is None else _place(next(m.claim for m in ordered if m.claim.claim_id == chosen["city"]))
    )
    for name in ("species", "countries", "outputs", "pow_refs", "organisers"):
        fields[name] = sorted({v for m in ordered for v in getattr(m.claim, name)})
    # Funders as one field: the list of the best-standing report that names any.
    funded = next((m for m in ordered if m.claim.funders), None)
    fields["funders"] = [{"funder": f.funder, "amount": f.amount} for f in funded.claim.funders] if funded else []
    if funded is not None:
        chosen["funders"] = funded.claim.claim_id
    fields["sources"] = [
        {
            "document": m.standing.document,
            "language": m.standing.language,
            "paragraph": m.claim.source.paragraph,
            "number": m.claim.number,
            "page": m.claim.source.page,
            "claim_id": m.claim.claim_id,
        }
        for m in sorted(members, key=lambda m: m.source_key)
    ]
    # A plan (POW item) never disagrees with what was done: plans change, that is no conflict.
    conflicts = _conflicts(aid, [m for m in ordered if not m.claim.plan], fields)
    activity = Activity(aid, sorted(m.claim.claim_id for m in members), fields, chosen)
    return activity, conflicts


def _conflicts(aid: str, ordered: list[ClaimInReport], fields: dict) -> list[Conflict]:
    out: list[Conflict] = []

    def values_of(getter) -> list[tuple[str, ClaimInReport]]:
        return [(v, m) for m in ordered if (v := getter(m.claim))]

    def record(name: str, vals: list[tuple[str, ClaimInReport]]) -> None:
        cvs = tuple(
            sorted(
                (ConflictValue(v, m.standing.document, m.claim.source.paragraph, m.claim.claim_id) for v, m in vals),
                key=lambda cv: (cv.document, cv.paragraph or "", cv.value),
            )
        )
        out.append(Conflict(aid, name, cvs))

    for name in ("start", "end"):
        vals = values_of(lambda c, n=name: getattr(c, n))
        if any(not compatible_dates(v, w) for v, _ in vals for w, _ in vals):
            record(name, vals)
    kinds = values_of(lambda c: c.type if c.type in ("meeting", "workshop") else None)
    if len({v for v, _ in kinds}) > 1:
        record("type", kinds)
    # Status moves forward with time; a later report saying "not held" of a thing held is news.
    dated = sorted(values_of(lambda c: c.status), key=lambda vm: (vm[1].standing.issue_date, vm[1].source_key))
    if any(earlier == "done" and later == "planned" for (earlier, _), (later, _) in itertools.pairwise(dated)):
        record("status", dated)
    places = values_of(lambda c: c.city and _place(c))  # cities disagree; a country alone is no claim to one
    if len({name_key(v.split(",")[0]) for v, _ in places}) > 1:
        record("place", places)
    funded = values_of(lambda c: None if c.funders_implied else "; ".join(sorted(f.funder for f in c.funders)) or None)
    sets = [set(v.split("; ")) for v, _ in funded]
    # one report naming fewer donors is no disagreement; each naming one the other lacks is
    if any(s - t and t - s for s in sets for t in sets):
        record("funders", funded)
    amounts: dict[str, list[tuple[str, ClaimInReport]]] = {}
    for m in ordered:
        for f in m.claim.funders:
            if f.amount:
                amounts.setdefault(f.funder, []).append((f.amount, m))
    for funder, vals in sorted(amounts.items()):
        if len({v for v, _ in vals}) > 1:
            record(f"amount:{funder}", vals)
    return out


def conflict_json(conflict: Conflict) -> str:
    return json.dumps(
        [
            {"value": v.value, "document": v.document, "paragraph": v.paragraph, "claim_id": v.claim_id}
            for v in conflict.values
        ],
        ensure_ascii=False,
    )
