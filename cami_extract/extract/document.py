"""Document-level resolution: from block hits to :class:`Mention` records.

State that spans blocks lives here, not in the spaCy components (which see one block):
  - species definitions "Common Name (Scientific name)" anywhere in the document (footnotes
    come after the paragraphs that use them) override the gazetteer for the document;
    names a definition introduces are then searched for in every block;
  - abbreviations "A. j. soemmeringii" expand from the nearest earlier full name;
  - acronyms defined inline "Long Name (ACR)" resolve bare uses of ACR;
  - a day-month without a year takes the year of the document's issue date.
Dropped hits are counted by reason in ``Resolver.rejections``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from spacy.tokens import Doc

from ..model import Block, Mention
from ..text import fold, normalise, squash, strip_accents
from .dates import MISSING_YEAR
from .frames import REFERENT_HEADS
from .gazetteer import funder_gazetteer, plural, plural_local, species_gazetteer
from .hits import Hit, hits_of, keep_longest
from .species import EXTRACTOR as SPECIES_EXTRACTOR
from .species import _taxon_attrs

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]*[A-Z0-9])\)")
_ACR_CONNECT = {"of", "for", "the", "and", "&", "on", "in", "to", "de", "für"}
# a short form in parentheses right after a name: capitals ("PROFONANPE"), two words of capitals
# ("AGRO RURAL"), or a word and capitals ("Fonds MBZ", "MBZ Fund")
_SHORT_FORM = re.compile(
    r"\s*\(((?:[A-Z][A-Za-z]*[A-Z0-9]|[A-Z][a-zé]+ [A-Z]{2,}|[A-Z]{2,} [A-Z][a-z]+|[A-Z]{2,} [A-Z]{2,}))\)"
)
_ELIDED_ARTICLE = re.compile(r"^[lLdD]['’](?=[A-ZÀ-Ý])")
_WORD = re.compile(r"[\w'-]+|\S")
_INSTRUMENT_WORDS = re.compile(
    r"\b(?:plan|mou|memorandum|concerted action|strategy|agreement|task force|"
    r"working group)\b",
    re.I,
)
# "the two flamingos", "las dos parinas", "les deux tortues": a count, then a plural head word
_COUNT_WORDS = {"two": 2, "both": 2, "dos": 2, "ambas": 2, "ambos": 2, "deux": 2, "three": 3, "tres": 3, "trois": 3}
# "des lamantins", "l'oryx", "el cóndor": an article and a head word (checked against the definitions)
_LONE_HEAD = re.compile(
    r"(?:\b(?:le|la|les|des|de|du|aux|au|el|los|las|del|al)\s+|\b[ld]')(?P<head>[a-zàâçéèêëîïôûùüÿñ]+)\b(?!['’])"
)
# "gazelles dama et dorcas": a head, a modifier, "et/y" and a second modifier
_SECOND_MODIFIER = re.compile(
    r"\b([a-zàâçéèêëîïôûùüÿñ]+)\s+([a-zàâçéèêëîïôûùüÿñ]+)\s+(?:et|y)\s+([a-zàâçéèêëîïôûùüÿñ]+)\b"
)
_SHARED_HEAD = re.compile(r"\b(" + "|".join(_COUNT_WORDS) + r")\s+([a-z]+s)\b")
_FORM_RANK = {"definition": 0, "scientific": 1, "defined_name": 2, "common": 3}


def _schwartz_hearst(short: str, candidate: str) -> str | None:
    """Long form of ``short`` at the end of ``candidate`` (Schwartz & Hearst, PSB 2003).

    Every letter or digit of the short form must occur in the long form in order, read from
    the right, and the first one must start a word: "Environment Agency - Abu Dhabi (EAD)",
    "Saker Falcon Global Action Plan (SakerGAP)".
    """
    s, i = len(short) - 1, len(candidate) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (candidate[i].lower() != c or (s == 0 and i > 0 and candidate[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    long = candidate[candidate.rfind(" ", 0, i + 1) + 1 :].strip()
    long = _ELIDED_ARTICLE.sub("", long)  # "l'Agence française de développement (AFD)"
    return long if long[:1].isupper() and "(" not in long and ")" not in long else None


def find_acronyms(text: str) -> dict[str, str]:
    """ "Saiga Conservation Alliance (SCA)" -> {"SCA": "Saiga Conservation Alliance"}.

    The long form is the shortest run of words before the parenthesis whose capitalised
    words' initials spell the acronym; connectors (of, for, the, and) may sit between.
    Failing that, the Schwartz-Hearst alignment over the last few words.
    """
    found: dict[str, str] = {}
    for m in _ACRONYM.finditer(text):
        acr = m.group(1)
        tokens = text[max(0, m.start() - 300) : m.start()].split()
        fallback = _schwartz_hearst(acr, " ".join(tokens[-min(len(acr) + 5, len(acr) * 2) :]))
        letters = [c for c in acr if c.isupper()]
        words = re.findall(r"[\w'][\w'-]*", text[max(0, m.start() - 200) : m.start()])
        initials: list[str] = []
        for i in range(len(words) - 1, -1, -1):
            w = words[i]
            if w.lower() in _ACR_CONNECT:
                continue
            if not w[:1].isupper():
                break
            parts = [p for p in w.split("-") if p]
            initials = [p[0].upper() for p in parts] + initials
            if initials == letters:
                long = " ".join(words[i:])
                # the name as printed, commas kept: "Department of Climate Change, Energy, ..."
                window = text[max(0, m.start() - 200) : m.start()].rstrip()
                at = window.rfind(words[i])
                if at >= 0 and re.sub(r"[,\s]+", " ", window[at:]) == long:
                    long = squash(window[at:])
                found.setdefault(acr, long)
                break
            if len(initials) > len(letters) or letters[-len(initials) :] != initials:
                break
        window = text[max(0, m.start() - 200) : m.start()].rstrip()
        if acr not in found and fallback and len(fallback.split()) <= 2 * len(acr) + 2:
            found[acr] = _as_printed(squash(fallback), window)
        if acr not in found and (prefix := _prefix_long_form(letters, words)):
            found[acr] = _as_printed(prefix, window)
    return found


def _as_printed(long: str, window: str) -> str:
    """The long form with the commas it is printed with ("Department of National Parks, Wildlife
    and Plant Conservation"), when the text before the acronym ends with it."""
    first = long.split()[0] if long else ""
    at = window.rfind(first)
    while at >= 0:
        if re.sub(r"[,\s]+", " ", window[at:]).strip() == long:
            return squash(window[at:])
        at = window.rfind(first, 0, at)
    return long


def _prefix_long_form(letters: list[str], words: list[str]) -> str | None:
    """ "International Association for Falconry and Conservation of Birds of Prey (IAF)": the
    acronym spells only the first capitalised words of the name before it."""
    run = 0
    for w in reversed(words[-16:]):
        if not (w[:1].isupper() or w.lower() in _ACR_CONNECT):
            break
        run += 1
    names = words[len(words) - run :] if run else []
    for start in range(len(names) - 1, -1, -1):
        caps = [w[0] for w in names[start:] if w[:1].isupper()]
        if names[start][:1].isupper() and len(caps) > len(letters) and caps[: len(letters)] == letters:
            return " ".join(names[start:])
    return None


@cache
def _name_heads(language: str) -> dict[str, frozenset[str]]:
    """Binomial -> the first words of its listed common names and its subspecies' ("gorille")."""
    gaz = species_gazetteer(language)
    heads: dict[str, set[str]] = {}
    for key, canonical in gaz.common.items():
        binomial = " ".join(canonical.split()[:2])
        head = key.split()[0] if gaz.language != "en" else key.split()[-1]
        heads.setdefault(binomial, set()).add(head)
    return {b: frozenset(h) for b, h in heads.items()}


class Resolver:
    def __init__(self, blocks: list[Block], docs: list[Doc], *, issue_date: str | None, language: str = "en"):
        self.language = language
        self.blocks = blocks
        self.docs = docs
        self.issue_year = issue_date[:4] if issue_date and re.match(r"\d{4}", issue_date) else None
        self.rejections: Counter[str] = Counter()
        self.species = species_gazetteer(language)
        self.funders = funder_gazetteer()

    def mentions(self) -> list[Mention]:
        per_block = [self._dedupe(list(hits_of(d))) for d in self.docs]
        texts = [normalise(b.text) for b in self.blocks]
        definitions, redirects = self._species_definitions(per_block)
        # "les gorilles" in a paper on both gorilla species: a bare head word names the genus
        species_of: dict[str, set[str]] = {}
        for hs in per_block:
            for h in hs:
                if h.entity_type == "species" and h.attrs.get("form") in ("scientific", "definition"):
                    parts = h.canonical.split()
                    if len(parts) >= 2 and parts[1] != "spp.":
                        species_of.setdefault(parts[0], set()).add(parts[1])
        self._generic_genera = {g: names for g, names in species_of.items() if len(names) >= 2}
        # the head words of the names this document defines ("gorille des montagnes (...)")
        self._doc_heads: dict[str, set[str]] = {}
        for key, canonical in definitions.items():
            words = key.split()
            if words:
                binomial = " ".join(canonical.split()[:2])
                self._doc_heads.setdefault(binomial, set()).add(words[-1] if self.language == "en" else words[0])
        self._add_defined_names(per_block, texts, definitions)
        self._add_shared_heads(per_block, texts, definitions)
        self._add_second_modifiers(per_block, texts, definitions)
        block_acronyms = [find_acronyms(t) for t in texts]
        self._add_acronym_species(per_block, texts, block_acronyms)
        full_names = [
            (bi, h.start, h.canonical)
            for bi, hs in enumerate(per_block)
            for h in hs
            if h.entity_type == "species" and h.attrs.get("form") == "scientific"
        ]
        acronyms: dict[str, str] = {}
        for found in block_acronyms:
            for acr, long in found.items():
                acronyms.setdefault(acr, long)
        # "l'Agence suédoise de coopération internationale au développement (Asdi)": the funder
        # reader took the name up to its acronym, whose letters need not spell it
        for bi, hits in enumerate(per_block):
            for h in hits:
                acr = h.attrs.get("acronym", "")
                if h.entity_type == "funder" and h.attrs.get("source") == "np" and acr and acr != h.canonical:
                    acronyms[acr] = h.canonical  # the reader's name keeps its commas
                elif h.entity_type == "funder" and h.attrs.get("source") in ("np", "gazetteer"):
                    # "Fondo de Promoción de ... del Perú (PROFONANPE)", "(AGRO RURAL)", "(Fonds MBZ)",
                    # "Servicio de Pesca y Vida Silvestre de los Estados Unidos (USFWS)": a funder's
                    # name followed by its short form defines it, whether or not the letters spell
                    # the name (syllable acronyms, words in the short form, an English acronym)
                    short = _SHORT_FORM.match(texts[bi], h.end)
                    printed = texts[bi][h.start : h.end]
                    if printed.isupper() and " " not in printed:
                        continue  # "BREP (NOAA)": an acronym's bracket names its parent, not its short form
                    if short and short.group(1) != h.canonical:
                        if h.attrs.get("source") == "np":
                            acronyms[short.group(1)] = h.canonical
                        else:
                            acronyms.setdefault(short.group(1), h.canonical)
        # funders named in full in this document, for a short form used elsewhere ("Antamina")
        self._full_funders = sorted(
            {
                h.canonical
                for hs in per_block
                for h in hs
                if h.entity_type == "funder" and h.attrs.get("source") == "np" and len(h.canonical.split()) >= 2
            }
        )
        # ... and each full name as printed -> what it resolved to, for a name cut short elsewhere
        self._printed_names: dict[str, str] = {long: long for long in acronyms.values()}
        for bi, hs in enumerate(per_block):
            for h in hs:
                printed = re.sub(r"\s*\([^)]*\)$", "", normalise(texts[bi][h.start : h.end])).strip()
                if h.entity_type == "funder" and len(printed.split()) >= 3 and printed[:1].isupper():
                    self._printed_names.setdefault(printed, h.canonical)
        # the countries the document names itself: a subdivision counts only for one of them
        named = {
            h.canonical
            for hs in per_block
            for h in hs
            if h.entity_type == "country" and h.attrs.get("via") != "subdivision"
        }
        out: list[Mention] = []
        for bi, (block, hits) in enumerate(zip(self.blocks, per_block)):
            for h in sorted(hits, key=lambda h: (h.start, h.end)):
                canonical = h.canonical
                attrs = dict(h.attrs)
                if h.entity_type == "country" and attrs.get("via") == "subdivision":
                    owners = set(attrs.pop("candidates", "").split()) & named
                    overlaps = any(
                        o is not h and o.entity_type == "country" and o.start < h.end and h.start < o.end for o in hits
                    )
                    if len(owners) != 1 or overlaps:
                        self.rejections["subdivision_of_no_named_country"] += 1
                        continue
                    canonical = owners.pop()
                if h.entity_type == "species":
                    if self._family_word_in_name(h, block.text):
                        self.rejections["family_name_inside_a_proper_name"] += 1
                        continue
                    canonical = self._species(h, bi, full_names, definitions, redirects, attrs)
                elif h.entity_type == "date" and canonical.startswith(MISSING_YEAR):
                    if not self.issue_year:
                        self.rejections["date_without_year"] += 1
                        continue
                    canonical = canonical.replace(MISSING_YEAR, self.issue_year)
                end = h.end
                if h.entity_type == "funder":
                    end, completed = self._completed(texts[bi], h, attrs)
                    canonical = completed or self._funder(canonical, acronyms, attrs)
                    if canonical and _bare_head(canonical, attrs):
                        # "The Agency also paid", "vehicles from the Committee": a body named
                        # before by its full name; a head word that refers back to none is no name
                        canonical = _referent(canonical, out) or _defined_referent(canonical, acronyms)
                        if not canonical:
                            self.rejections["head_word_without_referent"] += 1
                            continue
                        attrs["refers_back"] = h.canonical
                if not canonical:
                    continue
                out.append(
                    Mention(
                        entity_type=h.entity_type,
                        text=block.text[h.start : end],
                        canonical=canonical,
                        block_seq=block.seq,
                        start=h.start,
                        end=end,
                        extractor=h.extractor,
                        confidence=h.confidence,
                        attrs=attrs,
                    )
                )
        return out

    # ------------------------------------------------------------------ helpers
    def _dedupe(self, hits: list[Hit]) -> list[Hit]:
        hits = keep_longest(hits)
        # "Bukhara" in "Bukhara Deer", "Mongolia" in a species name: part of a name, not a place
        names = [(h.start, h.end) for h in hits if h.entity_type == "species"]
        kept = []
        for h in hits:
            if h.entity_type == "country" and any(a <= h.start and h.end <= b for a, b in names):
                self.rejections["country_inside_species_name"] += 1
                continue
            kept.append(h)
        hits = kept
        best: dict[tuple, Hit] = {}
        for h in hits:
            key = (
                (h.entity_type, h.start, h.end)
                if h.entity_type == "species"
                else (h.entity_type, h.start, h.end, h.canonical)
            )
            old = best.get(key)
            if old is None or _FORM_RANK.get(h.attrs.get("form", ""), 9) < _FORM_RANK.get(old.attrs.get("form", ""), 9):
                best[key] = h
        return list(best.values())

    def _family_word_in_name(self, h: Hit, text: str) -> bool:
        """ "Memorando ... de los Flamencos Altoandinos", "Grupo de Conservación Flamencos
        Altoandinos": a family's common name inside a capitalised name (an instrument, a group)
        names the instrument, not the family; the species it covers are named elsewhere."""
        taxon = self.species.taxa.get(h.canonical)
        if h.attrs.get("form") != "common" or taxon is None or taxon.rank != "family":
            return False
        after = text[h.end :].split(maxsplit=1)
        before = text[: h.start].rstrip()
        words_before = before.split()
        capital_after = bool(after) and after[0][:1].isupper()
        capital_before = bool(words_before) and words_before[-1][:1].isupper() and not before.endswith((".", ":", ";"))
        return capital_after or capital_before

    def _species_definitions(self, per_block: list[list[Hit]]) -> tuple[dict[str, str], dict[str, str]]:
        definitions: dict[str, str] = {}
        redirects: dict[str, str] = {}
        for hits in per_block:
            for h in hits:
                if h.entity_type == "species" and h.attrs.get("form") == "definition":
                    key = h.attrs["defines"]
                    definitions.setdefault(key, h.canonical)
                    base = self.species.common.get(key)
                    # "Saiga Antelope (Saiga spp.)": the document speaks of the genus, so every
                    # gazetteer name of Saiga tatarica means Saiga spp. here
                    if (
                        base
                        and base != h.canonical
                        and h.canonical.endswith(" spp.")
                        and base.split()[0] == h.canonical.split()[0]
                    ):
                        redirects[base] = h.canonical
        return definitions, redirects

    def _add_defined_names(self, per_block, texts, definitions) -> None:
        # "Rustic Bunting (Emberiza rustica)", then "Rustic Buntings": the plurals too
        forms: dict[str, str] = {}
        for k in (k for k in definitions if k not in self.species.common):
            plurals = {plural(k)} if self.language == "en" else plural_local(k, self.language)
            for form in (k, *plurals):
                forms.setdefault(form, k)
        new = sorted(forms, key=len, reverse=True)
        if not new:
            return
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in new) + r")\b", re.I)
        for bi, text in enumerate(texts):
            if self.language != "en":  # French/Spanish keys are accent-free
                text = strip_accents(text)
            hits = per_block[bi]
            for m in pattern.finditer(text):
                if any(h.entity_type == "species" and h.start <= m.start() and m.end() <= h.end for h in hits):
                    continue
                if any(h.entity_type == "document_code" and h.start <= m.start() < h.end for h in hits):
                    continue  # "UNEP/CMS/Gorillas/MOP3/Doc.5"
                hits[:] = [
                    h for h in hits if not (h.entity_type == "species" and m.start() <= h.start and h.end <= m.end())
                ]
                canonical = definitions[forms.get(self.species.key(m.group()), self.species.key(m.group()))]
                hits.append(
                    Hit(
                        "species",
                        m.start(),
                        m.end(),
                        canonical,
                        SPECIES_EXTRACTOR,
                        1.0,
                        {"form": "defined_name", **_taxon_attrs(self.species, canonical)},
                    )
                )

    def _add_shared_heads(self, per_block, texts, definitions) -> None:
        """ "las dos parinas" after "la parina grande (P. andinus)" and "la parina chica (P.
        jamesi)": "the two <head>" names every species the document defined with that head
        word (the first word in French/Spanish, the last in English), when there are as many."""
        by_head: dict[str, set[str]] = {}
        for key, canonical in definitions.items():
            words = key.split()
            head = words[0] if self.language != "en" else words[-1]
            by_head.setdefault(head, set()).add(canonical)
        if not any(len(v) >= 2 for v in by_head.values()):
            return
        for bi, text in enumerate(texts):
            folded = text.lower()  # same length for the texts of CMS papers; the heads are plain words
            if len(folded) != len(text):
                continue
            for m in _SHARED_HEAD.finditer(folded):
                count = _COUNT_WORDS[m.group(1)]
                head = m.group(2)
                for form in (
                    head,
                    head[:-1] if head.endswith("s") else head,
                    head[:-2] if head.endswith("es") else head,
                ):
                    named = by_head.get(form, set())
                    if len(named) == count:
                        break
                else:
                    continue
                if any(h.entity_type == "species" and h.start < m.end() and m.start(2) < h.end for h in per_block[bi]):
                    continue
                for canonical in sorted(named):
                    per_block[bi].append(
                        Hit(
                            "species",
                            m.start(2),
                            m.end(2),
                            canonical,
                            SPECIES_EXTRACTOR,
                            0.9,
                            {"form": "defined_name", "shared_head": head, **_taxon_attrs(self.species, canonical)},
                        )
                    )

    def _add_second_modifiers(self, per_block, texts, definitions) -> None:
        """ "des gazelles dama et dorcas" after "la gazelle dorcas (Gazella dorcas)": a second
        modifier sharing the head of the first names the species the document defined with it;
        and a defined name's head alone (French and Spanish, where the head comes first)."""
        if self.language == "en":
            return
        lone_heads: dict[str, set[str]] = {}
        for key, canonical in definitions.items():
            words = key.split()
            if len(words) >= 2:
                lone_heads.setdefault(words[0], set()).add(canonical)
        # a head counts alone only for a name of the lists (not "censo de la vicuña", "que ..."):
        # the defined name itself, or a listed name of the same species with that head
        # ("le lamantin d'Afrique de l'Ouest (T. senegalensis)": "lamantin d'Afrique" is listed)
        # the species the document names with each head word, in any form ("le vautour
        # charognard", "vautours percnoptères (...)"): a head shared by two names no one species
        named_by_head: dict[str, set[str]] = {}
        for bi, hs in enumerate(per_block):
            for h in hs:
                if h.entity_type == "species" and h.canonical and h.attrs.get("form") in ("common", "definition"):
                    words = strip_accents(texts[bi][h.start : h.end].lower()).split()
                    if len(words) >= 2:
                        head = words[0][:-1] if words[0].endswith(("s", "x")) else words[0]
                        named_by_head.setdefault(head, set()).add(h.canonical)
        lone_heads = {
            h: v
            for h, v in lone_heads.items()
            if (
                any(k.split()[0] == h and k in self.species.common for k in definitions)
                or any(k.split()[0] == h and c in v for k, c in self.species.common.items() if " " in k)
            )
        }
        # "les dauphins à bosse" after "le dauphin à bosse de l'Atlantique (Sousa teuszii)": a
        # defined name cut before its "de" qualifier names the species too, when no other defined
        # species shares that cut
        cuts: dict[str, set[str]] = {}
        for key, canonical in definitions.items():
            m = re.match(r"(\S+(?: \S+){1,2}?) (?:de|du|des|del|d')\b", key)
            if m and m.group(1).split()[0] in lone_heads:
                cuts.setdefault(m.group(1), set()).add(canonical)
        cut_re = (
            re.compile(
                r"\b(?:le|la|les|des|du|aux|au|el|los|las|del|al)\s+(?P<cut>"
                + "|".join(
                    re.escape(c).replace(re.escape(c.split()[0]), re.escape(c.split()[0]) + "[sx]?", 1)
                    for c in sorted(cuts, key=len, reverse=True)
                    if len(cuts[c]) == 1
                )
                + r")(?![\w'-])"
            )
            if any(len(v) == 1 for v in cuts.values())
            else None
        )
        for bi, text in enumerate(texts):
            folded = text.lower()
            if len(folded) != len(text):
                continue
            taken = [(h.start, h.end) for h in per_block[bi] if h.entity_type == "species"]
            found: list[tuple[int, int, str]] = []
            # "des lamantins" after "le lamantin d'Afrique (Trichechus senegalensis)": the head of a
            # listed common name the document defined, with an article, when no other defined
            # species shares that head
            if cut_re is not None:
                for m in cut_re.finditer(strip_accents(folded)):
                    key = re.sub(r"^(\S+?)[sx]?( )", r"\1\2", m.group("cut"))
                    named = cuts.get(key) or cuts.get(m.group("cut"))
                    if named and len(named) == 1:
                        found.append((m.start("cut"), m.end("cut"), next(iter(named))))
            for m in _LONE_HEAD.finditer(folded):
                head = strip_accents(m.group("head"))  # the definitions' keys are accent-free ("elephant")
                singular = head[:-1] if head.endswith(("s", "x")) else head
                named = lone_heads.get(head) or lone_heads.get(singular)
                if singular in self.species.groups or head in self.species.groups:
                    continue  # a group word ("los flamencos altoandinos", "aux vautours") names no one species
                if named and len(named | named_by_head.get(singular, set())) == 1:
                    found.append((m.start("head"), m.end("head"), next(iter(named))))
            for m in _SECOND_MODIFIER.finditer(folded):
                head = m.group(1)[:-1] if m.group(1).endswith("s") else m.group(1)

                first, second = _defined(definitions, head, m.group(2)), _defined(definitions, head, m.group(3))
                if first and second and first != second:
                    found.append((m.start(3), m.end(3), second))
            for start, end, canonical in found:
                if any(a < end and start < b for a, b in taken):
                    continue
                taken.append((start, end))
                per_block[bi].append(
                    Hit(
                        "species",
                        start,
                        end,
                        canonical,
                        SPECIES_EXTRACTOR,
                        0.85,
                        {
                            "form": "defined_name",
                            "second_modifier": text[start:end],
                            **_taxon_attrs(self.species, canonical),
                        },
                    )
                )

    def _add_acronym_species(
        self, per_block: list[list[Hit]], texts: list[str], block_acronyms: list[dict[str, str]]
    ) -> None:
        """ "Saker Falcon Global Action Plan (SakerGAP)": a bare SakerGAP later names the falcon.

        Only for acronyms of instruments (plans, MOUs, task forces ...), whose name is about
        one species - an organisation named after an animal is not that animal.
        """
        species_of: dict[str, str] = {}
        for bi, text in enumerate(texts):
            for acr, long in block_acronyms[bi].items():
                if not _INSTRUMENT_WORDS.search(long):
                    continue
                at = text.find(f"({acr})")
                first = text.rfind(long.split()[0], 0, at)
                named = {
                    h.canonical
                    for h in per_block[bi]
                    if h.entity_type == "species" and h.canonical and first <= h.start < at
                }
                if len(named) == 1:
                    species_of.setdefault(acr, named.pop())
        for acr, canonical in species_of.items():
            pattern = re.compile(rf"(?<![\w/-]){re.escape(acr)}(?![\w-])")
            for bi, text in enumerate(texts):
                for m in pattern.finditer(text):
                    if any(
                        h.entity_type == "species" and h.start < m.end() and m.start() < h.end for h in per_block[bi]
                    ):
                        continue
                    per_block[bi].append(
                        Hit(
                            "species",
                            m.start(),
                            m.end(),
                            canonical,
                            SPECIES_EXTRACTOR,
                            0.8,
                            {"form": "acronym", "acronym_of": canonical, **_taxon_attrs(self.species, canonical)},
                        )
                    )

    def _species(self, h: Hit, bi: int, full_names, definitions, redirects, attrs) -> str:
        form = h.attrs.get("form")
        if form == "abbreviation":
            g, e, sub = h.attrs["abbrev"].split("|")
            canonical = _expand_abbreviation(g, e, sub, bi, h.start, full_names)
            if not canonical and len(e) > 1:
                # no full name in the document: the gazetteer, if one listed binomial fits
                binomial = self.species.expand_abbreviation(g, e)
                canonical = f"{binomial} {sub}" if binomial and sub else binomial
            if not canonical:
                self.rejections["species_abbreviation_unresolved"] += 1
                return ""
            canonical = self.species.canonical_scientific(canonical) or canonical
            attrs.update(_taxon_attrs(self.species, canonical))
            attrs["expanded"] = "yes"
            return canonical
        if form == "common":
            key = self.species.key(self.blocks[bi].text[h.start : h.end])
            if key in definitions:
                attrs["defined_in_document"] = "yes"
                return definitions[key]
            genus = h.canonical.split()[0] if h.canonical else ""
            epithets = self._generic_genera.get(genus, set())
            heads = _name_heads(self.language)
            forms = {key, key[:-1], key[:-2]}  # "gorilles", "gorillas": the plural of the head
            sharing = [
                e
                for e in epithets
                if forms & (heads.get(f"{genus} {e}", frozenset()) | self._doc_heads.get(f"{genus} {e}", set()))
            ]
            if " " not in key and len(sharing) >= 2:
                attrs["rank"] = "genus"
                return f"{genus} spp."
        if form == "scientific":
            return h.canonical  # an explicit binomial means what it says, whatever a definition redirects
        return redirects.get(h.canonical, h.canonical)

    def _completed(self, text: str, h: Hit, attrs: dict[str, str]) -> tuple[int, str | None]:
        """ "pris en charge par l'Agence pour l'environnement d'Abou Dhabi": a French or Spanish
        name read up to its first lower-case word ("Agence") is the full name the document
        prints elsewhere, when that name is printed here too: (end, what it resolved to there)."""
        if attrs.get("source") != "np":
            return h.end, None
        here = normalise(text[h.start : h.start + 200])
        cut = normalise(text[h.start : h.end])
        best = max(
            (n for n in self._printed_names if len(n) > len(cut) and here.startswith(n) and n.startswith(cut + " ")),
            key=len,
            default="",
        )
        if not best or (len(here) > len(best) and here[len(best)].isalnum()):
            return h.end, None
        attrs["surface"] = best
        attrs.pop("unresolved", None)
        return h.start + len(best), self._printed_names[best]

    def _funder(self, canonical: str, acronyms: dict[str, str], attrs: dict[str, str]) -> str:
        if attrs.get("source") not in ("np", "ner"):
            return canonical
        name = re.sub(r"^(?:the|The)\s+", "", canonical).strip()
        name = re.sub(r"\s*\([^)]*\)$", "", name)
        if name in acronyms:
            attrs["acronym"] = name
            name = acronyms[name]
        known = self.funders.names.get(fold(name)) or self.funders.acronyms.get(name)
        if known:
            return known
        if " " not in name and not name.isupper():
            # "Antamina" in a table cell for the "Compañía Minera Antamina" of a paragraph: a
            # one-word name that ends exactly one full name the document gives
            longer = [f for f in self._full_funders if f.endswith(" " + name)]
            if len(longer) == 1:
                attrs["short_form"] = name
                return longer[0]
        attrs["unresolved"] = "yes"
        return name


def _expand_abbreviation(g: str, e: str, sub: str, bi: int, start: int, full_names) -> str | None:
    """ "A. j. soemmeringii" -> the nearest earlier "Acinonyx jubatus ..." (or any, if none earlier)."""

    def fits(name: str) -> bool:
        parts = name.split()
        return len(parts) >= 2 and parts[0][0] == g and (parts[1] == e if len(e) > 1 else parts[1][0] == e)

    earlier = [n for b, s, n in full_names if (b, s) < (bi, start) and fits(n)]
    pool = earlier or [n for _, _, n in full_names if fits(n)]
    if not pool:
        # "Yellow-breasted (Emberiza aureola) and Chestnut Buntings (E. rutila)": a new epithet
        # in the one genus of that initial the document names
        genera = {n.split()[0] for _, _, n in full_names if n[:1] == g}
        if len(genera) == 1 and len(e) > 1:
            return f"{genera.pop()} {e}" + (f" {sub}" if sub else "")
        return None
    parts = pool[-1 if earlier else 0].split()
    epithet = e if len(e) > 1 else parts[1]
    return f"{parts[0]} {epithet}" + (f" {sub}" if sub else "")


def _bare_head(canonical: str, attrs: dict) -> bool:
    """A funder read as one head word of a name ("Agency", "Committee", "Ministère")."""
    return attrs.get("source") == "np" and " " not in canonical and canonical.lower() in _HEADS


def _referent(head: str, earlier: list[Mention]) -> str:
    """The nearest funder named before whose name holds the head word, or ""."""
    word = head.lower()
    for m in reversed(earlier):
        if m.entity_type == "funder" and m.canonical.lower() != word and word in m.canonical.lower().split():
            return m.canonical
    return ""


_HEADS = REFERENT_HEADS


def _defined_referent(head: str, acronyms: dict[str, str]) -> str:
    """The one name defined with an acronym in the document that holds the head word ("l'Office"
    after "l'Office national de l'électricité et de l'eau potable (ONEE)"), or "" when none or
    several do."""
    word = head.lower()
    names = {long for long in acronyms.values() if word in fold(long).lower().split()}
    return names.pop() if len(names) == 1 else ""


def _defined(definitions: dict[str, str], head: str, adjective: str) -> str | None:
    """The species a document defined as "<head> <adjective>"; "tortues vertes et imbriquées": the
    definitions' keys are singular and accent-free."""
    plain = strip_accents(adjective)
    forms = (adjective, plain, plain[:-1] if plain.endswith("s") else plain)
    heads = (head, strip_accents(head))
    return next((definitions[f"{h} {a}"] for h in heads for a in forms if f"{h} {a}" in definitions), None)
