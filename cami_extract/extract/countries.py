"""Countries: names, formal names, state adjectives and cities -> ISO 3166-1 alpha-3.

pycountry supplies ISO names; the project's alias table (patterns/country_aliases.csv) goes
in front of it for UN-style names ("Republic of Korea" is KOR - pycountry's fuzzy search
says PRK, so no fuzzy matching is used at all). Matching is on lower-cased tokens, but a
match must start with a capital letter: "turkey" the bird and "chad" the verb are not
countries, "TURKMENISTAN" in a Range-State list is.

In a list of three or more countries that mixes CAPITALISED and normal-case names, CMS
prints Parties in capitals: such hits get attrs["cms_party"] = "yes" / "no".
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ..text import is_all_caps, phrase_patterns
from .gazetteer import country_gazetteer
from .hits import Hit, hits_of, text_of

VERSION = 10  # bump when the behaviour changes; v10: hyphenated French/Spanish adjectives ("équato-guinéens"), "santoméen", the towns and islands of the Gulf of Guinea (Douala, Malabo, Bioko, Franceville, Sao Tomé, ...); v9: Surinam / Suriname in Spanish, Suriname in French (pycountry spells them Surinám, Surinam); v8: Spanish/French names of venues (Samarcanda), port towns of the thirteenth blind round's kind (Guayaquil, Joal, Kayar); v7: a city in the name of a treaty, a plan or a place named after it is no place ("Bern Convention", "Manila Bay"); v6: "in" before an adjective means a language only for a language's name, New England; v5: a nationality adjective alone names its country (not before Ocean, Sea ..., not a language), Spanish gender/number forms generated; v4: two-word adjectives, regions that hold a country name
NAME = f"cami_countries_v{VERSION}"  # the registered factory (spaCy forbids "." in factory names, E853)
EXTRACTOR = f"country.v{VERSION}"  # stored with each mention
_CAPS_SPLIT = re.compile(r"\b([A-Z]{2,})-([A-Z]{2,})\b")
_LIST_GAP = re.compile(
    r"^\s*(?:,|,?\s*(?:and|et|y|e)|&)\s*(?:the\s+|la\s+|le\s+|l'|les\s+|el\s+|los\s+|las\s+)?$", re.I
)


@Language.factory(NAME, assigns=["doc._.cami_hits"], requires=[])
def make_countries(nlp: Language, name: str) -> CountriesComponent:
    return CountriesComponent(nlp)


class CountriesComponent:
    def __init__(self, nlp: Language):
        gaz = country_gazetteer(nlp.lang)
        self.gaz = gaz
        # French/Spanish: the adjective follows its noun, "fédéral" may sit between
        # ("Ministère fédéral allemand", "Gobierno alemán")
        self.adjectives_after = Matcher(nlp.vocab)
        if gaz.adjectives_after:
            self.adjectives_after.add(
                "ADJ_AFTER",
                [
                    [
                        {"LOWER": {"IN": sorted(gaz.state_nouns_before)}},
                        {
                            "LOWER": {"IN": ["fédéral", "fédérale", "federal", "national", "nationale", "nacional"]},
                            "OP": "?",
                        },
                        {"LOWER": {"IN": sorted(gaz.adjectives_after)}},
                    ]
                ],
            )
        # the adjective alone names its country too ("la pesca artesanal peruana", "the Lithuanian
        # manufacturer", "éco-gardes nigériens"): checked in code (_alone), not with a state noun
        self.lang = nlp.lang
        self._adjective_re: re.Pattern[str] | None = None
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        # the keys are lower case; "Rep." tokenises as one word only capitalised ("rep." is two)
        abbreviated = [n.title().replace(" Of ", " of ").replace(" The ", " the ") for n in gaz.names if "." in n]
        self.names.add("NAME", phrase_patterns(nlp, sorted(gaz.names) + sorted(abbreviated)))
        self.names.add("CITY", phrase_patterns(nlp, sorted(gaz.cities)))
        self.names.add("SUBDIVISION", phrase_patterns(nlp, sorted(gaz.subdivisions)))
        # "golfe de Guinée", "Gulf of Guinea": a region whose name holds a country's name
        self.regions = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.regions.add("REGION", phrase_patterns(nlp, sorted(r for r in gaz.regions if " " in r)))
        self.adjectives = Matcher(nlp.vocab)
        self.adjectives.add(
            "ADJ", [[{"ORTH": {"IN": sorted(gaz.adjectives)}}, {"LOWER": {"IN": sorted(gaz.state_nouns)}}]]
        )
        # "Costa Rican Government", "South African Department": adjectives of two words
        multi = sorted(a for a in gaz.adjectives if " " in a)
        if multi:
            self.adjectives.add(
                "ADJ_MULTI",
                [[*({"ORTH": w} for w in a.split()), {"LOWER": {"IN": sorted(gaz.state_nouns)}}] for a in multi],
            )

    @property
    def _adjective_words(self) -> re.Pattern[str]:
        if self._adjective_re is None:
            words = self.gaz.adjectives if self.lang == "en" else self.gaz.adjectives_after
            alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            self._adjective_re = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        return self._adjective_re

    def _alone(self, doc: Doc, tok) -> str | None:
        """The country of a nationality adjective that stands alone (no state noun after it)."""
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if self.lang == "en":
            iso = self.gaz.adjectives.get(tok.text)
            if not iso or " " in tok.text or (nxt is not None and nxt.lower_ in _GEO_NOUNS):
                return None
        else:
            iso = self.gaz.adjectives_after.get(tok.text)  # lower case only: capitalised, a people or a name
            if not iso or tok.text in _LANGUAGE_ADJECTIVES:
                return None
        return None if _languages(doc, tok) else iso

    def __call__(self, doc: Doc) -> Doc:
        found: list[Hit] = []
        for match_id, start, end in self.names(doc):
            span = doc[start:end]
            if not span.text[:1].isupper():
                continue
            key = " ".join(t.lower_ for t in span).replace("\u2019", "'")  # "d’Allemagne": the keys have '
            key = re.sub(r"\s+([-'])\s+|\s+(['-])", lambda m: m.group(1) or m.group(2), key)
            label = doc.vocab.strings[match_id]
            if label == "SUBDIVISION":
                if span.text.isupper() or any(w[:1].islower() and len(w) > 3 for w in span.text.split()):
                    continue  # a heading in capitals, or words of a sentence ("la réunion")
                text = text_of(doc)
                before = text[max(0, span.start_char - 2) : span.start_char]
                after = text[span.end_char : span.end_char + 2]
                if (before[-1:] == "-" and before[:1].isalpha()) or (after[:1] == "-" and after[1:2].isupper()):
                    continue  # "the Sulu-Sulawesi Marine Ecoregion": a region named by two places
                owners = self.gaz.subdivisions.get(key) or self.gaz.subdivisions.get(span.text.lower())
                if owners:  # kept or dropped by the document (document.Resolver), which knows its countries
                    attrs = {"via": "subdivision", "subdivision": span.text, "candidates": " ".join(sorted(owners))}
                    found.append(Hit("country", span.start_char, span.end_char, min(owners), EXTRACTOR, 0.8, attrs))
                continue
            table = self.gaz.cities if label == "CITY" else self.gaz.names
            iso = table.get(span.text.lower().replace("\u2019", "'")) or table.get(key)
            if not iso:
                continue
            if label == "CITY" and _names_an_instrument(doc, start, end):
                continue  # "the Bern Convention", "la Convention de Berne": a treaty, not a place
            attrs = {"via": "city", "city": span.text} if label == "CITY" else {}
            found.append(Hit("country", span.start_char, span.end_char, iso, EXTRACTOR, attrs=attrs))
        for match_id, start, end in self.adjectives(doc):
            noun = doc[end - 1].text
            if doc.vocab.strings[match_id] == "ADJ_MULTI":
                adj_span = doc[start : end - 1]
                found.append(_adjective_hit(adj_span, self.gaz.adjectives[adj_span.text], noun))
                continue
            # "the Hungarian, Slovak and Ukrainian authorities": every adjective of the list
            k = start
            while True:
                adj = doc[k]
                found.append(_adjective_hit(adj, self.gaz.adjectives[adj.text], noun))
                j = k - 1
                while j >= 0 and doc[j].lower_ in (",", "and", "or", "&"):
                    j -= 1
                if j == k - 1 or j < 0 or doc[j].text not in self.gaz.adjectives:
                    break
                k = j
        for _, start, end in self.adjectives_after(doc) if self.gaz.adjectives_after else []:
            adj = doc[end - 1]
            found.append(_adjective_hit(adj, self.gaz.adjectives_after[adj.lower_], doc[start].text))
        taken = {h.start for h in found}
        # only the words that are adjectives of the lists (a regex over the text: walking every
        # token in Python cost more than all the matchers of this component)
        for m in self._adjective_words.finditer(text_of(doc)):
            word = doc.char_span(m.start(), m.end())
            if word is not None and len(word) > 1 and "-" in m.group(0) and self.lang != "en":
                # "équato-guinéens": a hyphenated adjective is three tokens
                iso = self.gaz.adjectives_after.get(m.group(0))
                if iso and word.start_char not in taken and not _languages(doc, word[0]):
                    found.append(_adjective_hit(word, iso, ""))
                continue
            if word is None or len(word) != 1:
                continue
            tok = word[0]
            iso = self._alone(doc, tok)
            if iso and tok.idx not in taken:
                found.append(_adjective_hit(tok, iso, ""))
        # "UZBEK-ISTAN": a name in capitals split at a line end that the parser could not
        # join (the document never spells it whole)
        for m in _CAPS_SPLIT.finditer(text_of(doc)):
            iso = self.gaz.names.get((m.group(1) + m.group(2)).lower())
            if iso:
                found.append(
                    Hit("country", m.start(), m.end(), iso, EXTRACTOR, confidence=0.9, attrs={"joined": "yes"})
                )
        regions = [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1])) for _, a, b in self.regions(doc)]
        found = [h for h in found if not any(a <= h.start and h.end <= b for a, b in regions)]
        found = _longest(found)
        _mark_parties(text_of(doc), found)
        hits_of(doc).extend(found)
        return doc


def _longest(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


def _mark_parties(text: str, hits: list[Hit]) -> None:
    """Set cms_party on hits in a mixed-case list: capitals = CMS Party (the genre's convention)."""
    run: list[Hit] = []

    def flush() -> None:
        if len(run) >= 3:
            caps = [any(is_all_caps(w) for w in text[h.start : h.end].split()) for h in run]
            if any(caps) and not all(caps):
                for h, cap in zip(run, caps):
                    h.attrs["cms_party"] = "yes" if cap else "no"
        run.clear()

    for h in hits:
        if h.attrs.get("via"):
            flush()
            continue
        if run and not _LIST_GAP.match(text[run[-1].end : h.start]):
            flush()
        run.append(h)
    flush()


# a city before (English) or after (French/Spanish "de") these names a treaty or a plan after it
_INSTRUMENT_NOUNS = {
    "convention", "strategic", "plan", "declaration", "protocol", "process", "charter", "statement",
    "agreement", "accord", "principles", "guidelines", "commitments", "convenio", "convención",
    "déclaration", "declaración", "protocole", "protocolo", "processus", "proceso",
    "acuerdo", "charte", "carta", "stratégique", "estratégico",
}  # fmt: skip
_OF = {"de", "d'", "du"}
# ... or a place named after the city ("Manila Bay"): the country is only implied there
_FEATURE_NOUNS = {"bay", "harbour", "harbor", "lagoon", "sound", "river", "lake", "strait", "delta", "estuary"}


def _names_an_instrument(doc: Doc, start: int, end: int) -> bool:
    """ "Bern Convention", "Rome Strategic Plan", "Convention de Berne", "Plan estratégico de Lima"."""
    if end < len(doc) and doc[end].lower_ in _INSTRUMENT_NOUNS | _FEATURE_NOUNS and doc[end].text[:1].isupper():
        return True
    if end + 1 < len(doc) and doc[end].text in ("'s", "’s") and doc[end + 1].lower_ in _FEATURE_NOUNS:
        return True  # "Manila Bay's coastal wetlands"
    if start >= 2 and doc[start - 1].lower_ in _OF:
        before = doc[start - 2]
        return before.lower_ in _INSTRUMENT_NOUNS and before.text[:1].isupper()
    return False


# a nationality adjective before these names a place, not the country ("Indian Ocean")
_GEO_NOUNS = {
    "ocean", "sea", "gulf", "peninsula", "plateau", "subcontinent", "basin", "highlands", "desert",
    "steppe", "mountains", "alps", "plain", "plains", "archipelago", "shelf", "current", "guiana",
}  # fmt: skip
# ... or a language after these ("in Spanish", "the French version", "en français")
_LANGUAGE_NOUNS = {"version", "versions", "translation", "translations", "edition", "editions", "language",
                   "languages", "text", "original", "speaking", "-speaking"}  # fmt: skip
_LANGUAGE_ADJECTIVES = {
    "français", "française", "anglais", "anglaise", "espagnol", "espagnole", "allemand", "allemande",
    "arabe", "russe", "chinois", "chinoise", "portugais", "portugaise", "italien", "italienne",
    "español", "española", "inglés", "inglesa", "francés", "francesa", "alemán", "alemana", "árabe",
    "ruso", "rusa", "chino", "china", "portugués", "portuguesa", "italiano", "italiana", "japonais",
    "japonés", "japonesa", "turc", "turco", "india", "argentina", "mongol",
}  # fmt: skip


_PURE_LANGUAGES = {"english", "arabic", "anglais", "arabe", "inglés", "árabe", "chinese", "chinois", "chino"}
_JOINS = {",", "and", "or", "y", "e", "o", "u", "et", "ou"}
# nationality adjectives that are also a language's name, in the three languages
_LANGUAGE_NAMES = {
    "french", "spanish", "russian", "chinese", "arabic", "portuguese", "german", "japanese", "italian",
    "dutch", "korean", "mongolian", "turkish", "persian", "kazakh", "uzbek", "kyrgyz", "tajik", "turkmen",
    "français", "espagnol", "russe", "chinois", "arabe", "portugais", "allemand", "japonais", "italien",
    "español", "francés", "ruso", "chino", "árabe", "portugués", "alemán", "japonés", "italiano",
}  # fmt: skip


def _languages(doc: Doc, tok) -> bool:
    """ "in English and Russian", "en inglés, ruso, kazajo", "the French and Arabic translations":
    the adjective is one of a list of languages (a pure language name in it, "in/en" before
    it, or a translation noun after it)."""
    i, j = tok.i, tok.i
    while i >= 2 and doc[i - 1].lower_ in _JOINS and doc[i - 2].is_alpha:
        i -= 2
    while j + 2 < len(doc) and doc[j + 1].lower_ in _JOINS and doc[j + 2].is_alpha:
        j += 2
    chain = {doc[k].lower_ for k in range(i, j + 1)}
    before = doc[i - 1].lower_ if i else ""
    after = doc[j + 1].lower_ if j + 1 < len(doc) else ""
    if chain & _PURE_LANGUAGES or after in _LANGUAGE_NOUNS:
        return True
    # "written in French", "en portugais", but not "in Philippine waters": only a language's name
    return (
        before in ("in", "into", "en")
        and tok.lower_ in _LANGUAGE_NAMES
        and (j + 1 >= len(doc) or not doc[j + 1].is_alpha or doc[j + 1].is_stop)
    )


def _adjective_hit(adj, country: str, noun: str) -> Hit:
    """A country named by its adjective ("German Government", "gouvernement allemand")."""
    start = adj.start_char if hasattr(adj, "start_char") else adj.idx  # a token or a span of two
    return Hit(
        "country",
        start,
        start + len(adj.text),
        country,
        EXTRACTOR,
        confidence=0.9,
        attrs={"via": "adjective", "noun": noun},
    )
