"""Species: common names, scientific names, subspecies, "Genus spp.", abbreviations and
the document's own definitions "Common Name (Scientific name)".

Block level (this component): gazetteer common names (PhraseMatcher on lower-cased
tokens), scientific names by a regex over the text restricted to genera in the gazetteer,
abbreviated names ("A. j. soemmeringii", left for the document resolver to expand) and
definitions. Canonical = the scientific name as CMS lists it, synonyms mapped
(patterns/species_synonyms.csv). Document level (document.py): definitions override the
gazetteer for that document, abbreviations are expanded from earlier full names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..text import fold, normalise, phrase_patterns, strip_accents
from .gazetteer import SpeciesGazetteer, country_gazetteer, species_gazetteer
from .hits import Hit, hits_of, text_of

VERSION = 17  # bump when the behaviour changes; v17: "boto" and "tonina del Orinoco" in Spanish; v16: "tucuxi" and "bufeo boliviano" in Spanish, "tonina" (Inia, Sotalia or the franciscana by country) names none, no epithet in "-ays/-eys/-oys" ("Addax surveys"); v15: "luth" alone for the leatherback, "tordo amarillo" (Agelaius flavus), English plurals of names used both ways ("dugongs", "saigas", "kulans"), a second modifier in the plural and with accents ("tortues vertes et imbriquées"); v14: French and Spanish names of the vultures uplisted at COP12 ("vautour oricou", "buitre leonado", ...; "les vautours africains" is the group), a head word the document uses for two species never resolves alone to one ("les vautours" beside "le vautour charognard" and "les vautours percnoptères"); v13: the Chilean flamingo (covered by the family listing Phoenicopteridae spp.) with its Spanish and French names, "percnoptère" alone, a name after an organisation's head word ("International Fund for Houbara Conservation") names no animal, Latin epithets in "-ipes" ("Falco cherrug milvipes"), a listed name inside a Spanish/French definition run ends it ("de huemul y hábitat clave del huillín (...)"), a listed head before a named site ("huemules del Parque Nacional ...") is the listed animal; v12: French and Spanish names of the African wild dog (lycaon, licaón), which SAPI lacks; v11: the first of two names sharing a head noun ("Mongolian and goitered gazelles"), South American Spanish common names of the buff-breasted sandpiper (playerito canela, playero canelo); v10: a third word after an abbreviated binomial is its subspecies only if a listed trinomial has it ("E. hemionus kulan"; not "P. andinus figura"); v9: no name inside a cited document symbol ("UNEP/CMS/Gorillas/MOP3/Doc.5"); v8: a family named by its common name ("flamingos", "flamencos") names no species; a definition after a bare "y"/"et" before a two-word name, or after "del"/"du"/"de la" in a name the lists lack ("el seguimiento del playero occidental (...)"); v7: the listings of COP11-COP14 added to the base (lion, leopard's French and Spanish names, sharks, rays, bustards ...), French/Spanish plurals of their own names read in lower case; v6: defined names in the plural, new epithets of the genus named, the listed name at the end of a French/Spanish run, its head alone after it, no "-es" Latin guesses; v5: a second modifier sharing a defined head ("gazelles dama et dorcas"), group words off the French/Spanish names ("albatros"); v4: definitions without their article, listed families by Latin name, bracketed binomial over an ambiguous common name
NAME = f"cami_species_v{VERSION}"  # the registered factory (spaCy forbids "." in factory names, E853)
EXTRACTOR = f"species.v{VERSION}"  # stored with each mention

_GENUS = re.compile(r"\b(?:genus|genera|genre|genres|género|géneros)\s+([A-Z][a-z]+)\b")
# a family by its Latin name: "the family Phoenicopteridae", "la familia Phoenicopteridae"
_FAMILY = re.compile(r"\b([A-Z][a-z]+idae)\b")
_SPP = re.compile(r"\b([A-Z][a-z]+)\s+(spp|sp)\.")
_SCI = re.compile(r"\b([A-Z][a-z]+)\s+([a-z]{3,}(?:-[a-z]+)?)(?:\s+([a-z]{3,}(?:-[a-z]+)?))?\b")
_ABBR3 = re.compile(r"\b([A-Z])\.\s?([a-z])\.\s?([a-z]{3,})\b")
_ABBR2 = re.compile(r"\b([A-Z])\.\s([a-z]{3,})(?:\s([a-z]{3,}))?\b")
# Latin epithets end like this; English words that happen to follow a binomial mostly do not.
# not "-es": "(Questions diverses)" is French; Latin epithets in -es are rare enough to list when met
# ("milvipes" in -ipes; "-ys" but not English plurals in -ays, -eys, -oys: "Addax surveys")
_LATIN = re.compile(
    r"(?:us|a|ae|i|ii|is|um|or|ix|ax|ex|ensis|oides|ata|ina|ana|ica|ii|ei|ae|on|yx|ops|(?<![aeo])ys|ipes)$"
)
_NOT_EPITHET = frozenset(
    [
        "and",
        "or",
        "the",
        "in",
        "of",
        "to",
        "from",
        "for",
        "with",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "which",
        "that",
        "as",
        "at",
        "on",
        "by",
        "also",
        "only",
        "not",
        "being",
        "into",
        "data",
        "via",
        "thus",
        "plus",
        "area",
        "areas",
        "populations",
        "population",
        "species",
        "range",
        "ranges",
        "took",
        "makes",
        "plan",
        "its",
        "their",
        "this",
        "these",
        "those",
        "well",
        "such",
        "than",
        "then",
        "there",
        "here",
        "were",
        "will",
        "would",
        "should",
        "could",
        "may",
        "might",
        "can",
        # French and Spanish words after a binomial ("Camelus bactrianus para el camello")
        "para",
        "pour",
        "como",
        "comme",
        "sous",
        "sobre",
        "entre",
        "contra",
        "dans",
        "avec",
        "sans",
        "sont",
        "est",
        "una",
        "los",
        "las",
        "del",
        "con",
        "por",
        "que",
        "qui",
        "ainsi",
        "aussi",
        "también",
        "ont",
        "han",
    ]
)
_DEF_RUN = re.compile(r"((?:[A-Z][\w'-]*\s+){0,3}[A-Z][\w'-]*)\s*$")
_LOCAL_ARTICLES = frozenset({"le", "la", "les", "un", "une", "el", "los", "las", "una", "uno"})
_FUNCTION_WORDS = frozenset({"the", "in", "of", "a", "an", "and", "for", "on", "to", "at", "by", "with"})


def _epithet(word: str | None) -> bool:
    return word is not None and word not in _NOT_EPITHET and bool(_LATIN.search(word))


def _taxon_attrs(gaz: SpeciesGazetteer, canonical: str) -> dict[str, str]:
    taxon = gaz.taxa.get(canonical)
    if taxon and (taxon.appendices or taxon.instruments):
        return taxon.attrs()
    # an unlisted (or listing-less) subspecies is covered by its species' listing
    parent = " ".join(canonical.split()[:2])
    if parent in gaz.taxa and parent != canonical:
        return {"listed_as": parent, **gaz.taxa[parent].attrs()}
    return {}


def scientific_hits(text: str, gaz: SpeciesGazetteer) -> Iterator[Hit]:
    """Full scientific names, "Genus spp." and abbreviations (canonical left to resolve)."""
    taken: list[tuple[int, int]] = []
    for m in _SPP.finditer(text):
        genus = m.group(1)
        conf = 1.0 if genus in gaz.genera else 0.7
        taken.append(m.span())
        yield Hit("species", m.start(), m.end(), f"{genus} spp.", EXTRACTOR, conf, {"rank": "genus"})
    for m in _GENUS.finditer(text):
        # "the eight species of the genus Gyps": the genus as a taxon
        if m.group(1) in gaz.genera and not any(a <= m.start(1) < b for a, b in taken):
            yield Hit(
                "species",
                m.start(1),
                m.end(1),
                f"{m.group(1)} spp.",
                EXTRACTOR,
                0.9,
                {"rank": "genus", "form": "genus"},
            )
    for m in _FAMILY.finditer(text):
        taxon = gaz.taxa.get(m.group(1))
        if taxon is not None and taxon.rank == "family":  # a listed family ("Carcharhinidae" is not)
            taken.append(m.span())
            yield Hit(
                "species",
                m.start(),
                m.end(),
                taxon.name,
                EXTRACTOR,
                1.0,
                {"rank": "family", "form": "scientific", **_taxon_attrs(gaz, taxon.name)},
            )
    for m in _SCI.finditer(text):
        genus, epithet, sub = m.groups()
        if any(a <= m.start() < b for a, b in taken):
            continue
        if genus not in gaz.genera:
            # an unknown genus counts only as a parenthesised binomial after a name:
            # "Markhor (Capra falconeri)" - the genre's way of defining a species
            closes = m.end(3) if sub else m.end(2)
            if not (
                text[m.start() - 1 : m.start()] == "("
                and text[closes : closes + 1] == ")"
                and _epithet(epithet)
                and (not sub or _epithet(sub))
            ):
                continue
        # "Neophron per-cnopterus": a line-end hyphen the parser could not repair
        if "-" in epithet and gaz.canonical_scientific(f"{genus} {epithet.replace('-', '')}"):
            epithet = epithet.replace("-", "")
        if (
            sub
            and "-" in sub
            and gaz.canonical_scientific(f"{genus} {m.group(2).replace('-', '')} {sub.replace('-', '')}")
        ):
            sub = sub.replace("-", "")
        tri = f"{genus} {epithet} {sub}" if sub else None
        bi = f"{genus} {epithet}"
        if tri and (
            gaz.canonical_scientific(tri) or (_epithet(sub) and (gaz.canonical_scientific(bi) or _epithet(epithet)))
        ):
            canonical, end = gaz.canonical_scientific(tri) or _resolve_parent(gaz, tri), m.end(3)
        elif gaz.canonical_scientific(bi) or _epithet(epithet):
            canonical, end = gaz.canonical_scientific(bi) or bi, m.end(2)
        else:
            continue
        conf = 1.0 if gaz.canonical_scientific(canonical) else 0.8
        yield Hit(
            "species",
            m.start(),
            end,
            canonical,
            EXTRACTOR,
            conf,
            {"form": "scientific", **_taxon_attrs(gaz, canonical)},
        )
    for m in _ABBR3.finditer(text):
        yield Hit(
            "species", m.start(), m.end(), "", EXTRACTOR, 0.9, {"form": "abbreviation", "abbrev": "|".join(m.groups())}
        )
    for m in _ABBR2.finditer(text):
        if _ABBR3.match(text, m.start()):
            continue
        # "F. cherrug": a Latin-looking epithet, or one a listed binomial with that initial has
        if not (_epithet(m.group(2)) or gaz.expand_abbreviation(m.group(1), m.group(2))):
            continue
        sub = m.group(3) if _epithet(m.group(3)) and m.group(3).lower() in gaz.subspecies_epithets() else None
        end = m.end(3) if sub else m.end(2)
        yield Hit(
            "species",
            m.start(),
            end,
            "",
            EXTRACTOR,
            0.9,
            {"form": "abbreviation", "abbrev": "|".join((m.group(1), m.group(2), sub or ""))},
        )


def _resolve_parent(gaz: SpeciesGazetteer, trinomial: str) -> str:
    """An unlisted subspecies keeps its own name, with the species' synonym mapped."""
    genus, epithet, sub = trinomial.split()
    parent = gaz.canonical_scientific(f"{genus} {epithet}") or f"{genus} {epithet}"
    return f"{parent} {sub}"


# French/Spanish names are in sentence case ("Léopard des neiges (Uncia uncia)"): the name is
# the run of words after a list separator or an article, at most five words.
_DEF_RUN_LOCAL = re.compile(
    r"(?:^|[,:;.]\s*|\b(?:les|le|la|du|des|del|de|el|los|las)\s+|\b[ld]')"
    r"((?:[^\W\d_][\w'-]*)(?:\s+(?:[\w'-]+)){0,5}?)\s*$"
)


_ALTERNATIVE_NAMES = re.compile(r"\s+(?:o|ou|u)\s+")
_COORD_ARTICLES = frozenset({"des", "les", "le", "la", "l'", "du", "los", "las", "el", "del", "de"})


def definition_hits(text: str, scientific: list[Hit], gaz: SpeciesGazetteer) -> Iterator[Hit]:
    """ "Common Name (Scientific name)" -> a hit on the common name, canonical from the parenthesis."""
    countries = country_gazetteer(gaz.language)
    local = gaz.language != "en"
    for sci in scientific:
        if not sci.canonical or text[sci.start - 1 : sci.start] != "(" or text[sci.end : sci.end + 1] != ")":
            continue
        window = max(0, sci.start - 1 - 80)
        m = (_DEF_RUN_LOCAL if local else _DEF_RUN).search(text, window if local else 0, sci.start - 1)
        if not m:
            continue
        run_start = m.start(1)
        words = m.group(1).split()
        if local:
            # "des grands dauphins et des dauphins communs (Delphinus delphis)": the name is the
            # last of a coordination, after its conjunction and article
            cut = [
                k
                for k in range(len(words) - 2)
                if words[k] in ("et", "y", "ou", "o") and words[k + 1] in _COORD_ARTICLES
            ]
            # and without an article when the last conjunct is a name of two words ("parina
            # chica y flamenco austral (...)"), not one modifier sharing a head ("dama et dorcas")
            if cut:
                k = cut[-1] + 2
            elif len(words) >= 4 and words[-3] in ("et", "y", "e") and words[-2].islower():
                k = len(words) - 2
            else:
                k = 0
            if k:
                run_start = text.index(words[k], run_start + len(" ".join(words[:k])))
                words = words[k:]
            # "el seguimiento del playero occidental (...)": a name not in the lists begins after
            # the last "del"/"du"/"de la" that a name of two lower-case words follows
            # ("gorille de la rivière Cross (...)" opens with a listed name's head: no cut)
            if (
                gaz.key(" ".join(words)) not in gaz.common
                and len(words) >= 4
                and not any(_opens_a_name(gaz, w) for w in words[:2] if w.lower() not in _LOCAL_ARTICLES)
            ):
                for k in range(len(words) - 3, 0, -1):
                    after = k + 2 if words[k] == "de" and words[k + 1] in ("la", "los", "las") else k + 1
                    if (words[k] in ("del", "du", "des") or after == k + 2) and len(words) - after == 2:
                        if words[after].islower():
                            run_start = text.index(words[after], run_start + len(" ".join(words[:after])))
                            words = words[after:]
                        break
        if local:
            # "populations importantes de lamantins d'Afrique (Trichechus senegalensis)": the
            # longest end of the run that is a name of the lists is the name
            for k in range(1 if gaz.key(" ".join(words)) not in gaz.common else len(words), len(words)):
                bare = words[k][2:] if words[k][:2].lower() in ("l'", "d'") else words[k]
                if (
                    gaz.key(" ".join(words[k:])) in gaz.common
                    or gaz.key(" ".join([bare, *words[k + 1 :]])) in gaz.common
                ):
                    run_start = text.index(words[k], run_start + len(" ".join(words[:k])))
                    words = words[k:]
                    break
            # "registros de huemul y hábitat clave del huillín (Lontra provocax)": a listed name of
            # another species inside the run ends what it could define
            for k in range(len(words) - 2, -1, -1):
                other = gaz.common.get(gaz.key(words[k]))
                # a species' own name (not a group word: "flamenco de James" is one name)
                if (
                    other
                    and other != sci.canonical
                    and " " in other
                    and words[k + 1].lower() in ("y", "e", "et", "o", "ou", "and", "or")
                ):
                    rest = words[k + 1 :]
                    while len(rest) > 1 and rest[0].lower() in ("y", "e", "et", "o", "ou", "and", "or"):
                        rest = rest[1:]
                    run_start = text.index(rest[0], run_start + len(" ".join(words[: len(words) - len(rest)])))
                    words = rest
                    break
            if words and words[0][:2].lower() in ("l'", "d'") and len(words[0]) > 2:
                run_start += 2  # "l'oryx algazelle": the elided article is not the name's
                words = [words[0][2:], *words[1:]]
        # drop leading words that are not part of the name: "In", "The", a country, an acronym
        start_word = 0
        while start_word < len(words) - 1 and (
            words[start_word].lower() in _FUNCTION_WORDS
            or (local and words[start_word].lower() in _LOCAL_ARTICLES)  # ", la tortue verte (...)"
            or fold(words[start_word]) in countries.names
            or words[start_word].isupper()
        ):
            start_word += 1
        name = " ".join(words[start_word:])
        key = gaz.key(name)
        if key in countries.names or key in countries.cities or key in countries.regions or name.isupper():
            continue  # "Cheetah in Iran (Acinonyx jubatus venaticus)": Iran is not the animal
        start = run_start + len(" ".join(words[:start_word])) + (1 if start_word else 0)
        start = text.index(words[start_word], start)
        # "la parina chica o flamenco de James (Phoenicopterus jamesi)": two names of one species
        parts = _ALTERNATIVE_NAMES.split(name) if local else [name]
        offset = 0
        for n, part in enumerate(parts):
            at = name.index(part, offset)
            offset = at + len(part)
            if n and " " not in part:
                continue  # "el flamenco austral o chileno": an adjective of the same head, no name
            yield Hit(
                "species",
                start + at,
                start + at + len(part),
                sci.canonical,
                EXTRACTOR,
                1.0,
                {"form": "definition", "defines": gaz.key(part), **_taxon_attrs(gaz, sci.canonical)},
            )


@Language.factory(NAME, assigns=["doc._.cami_hits"], requires=[])
def make_species(nlp: Language, name: str) -> SpeciesComponent:
    return SpeciesComponent(nlp)


class SpeciesComponent:
    def __init__(self, nlp: Language):
        self.gaz = species_gazetteer(nlp.lang)
        self.common = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.local: re.Pattern[str] | None = None
        if self.gaz.language == "en":
            self.common.add("COMMON", phrase_patterns(nlp, sorted(self.gaz.common)))
        else:
            # French/Spanish: over the accent-free lower-cased text, so "Ane sauvage d'Asie"
            # printed without its accent and a name broken across a line both match
            names = sorted(self.gaz.common, key=len, reverse=True)
            alternation = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names)
            self.local = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")

    def _local_hits(self, text: str) -> Iterator[Hit]:
        assert self.local is not None
        folded = strip_accents(text.lower()) if len(text.lower()) == len(text) else strip_accents(text)
        for m in self.local.finditer(folded):
            key = re.sub(r"\s+", " ", m.group())
            canonical = self.gaz.common.get(key)
            if canonical is None:
                continue
            surface = text[m.start() : m.end()]
            if " " not in key and _qualified(text, m.end(), self.gaz.language):
                continue  # "gorille de Grauer": a longer name than the listed head
            # an English name inside French or Spanish prose counts only capitalised (a cited title)
            if key not in self.gaz.native and not surface[:1].isupper():
                continue
            yield Hit(
                "species",
                m.start(),
                m.end(),
                canonical,
                EXTRACTOR,
                1.0 if surface[:1].isupper() or " " in key else 0.8,
                {"form": "common", **_taxon_attrs(self.gaz, canonical)},
            )

    def _shared_head(self, doc: Doc, start: int, end: int) -> Hit | None:
        """The first of two names sharing their head noun: "Mongolian and goitered gazelles" names
        the Mongolian gazelle too, when that is a name of the gazetteer."""
        if end - start < 2 or start < 2 or doc[start - 1].lower_ not in ("and", "or", ","):
            return None
        word = doc[start - 2]
        if not word.is_alpha:
            return None
        canonical = self.gaz.common.get(fold(" ".join([word.text, *(t.text for t in doc[start + 1 : end])])))
        if canonical is None:
            return None
        return Hit(
            "species",
            word.idx,
            word.idx + len(word),
            canonical,
            EXTRACTOR,
            0.9,
            {"form": "common", "shared_head": doc[start + 1 : end].text, **_taxon_attrs(self.gaz, canonical)},
        )

    def __call__(self, doc: Doc) -> Doc:
        text = normalise(text_of(doc))
        found = list(scientific_hits(text, self.gaz))
        found.extend(definition_hits(text, found, self.gaz))
        if self.local is not None:
            found.extend(self._local_hits(text))
            hits_of(doc).extend(_outside_codes(doc, found))
            return doc
        # "the blue shark (Prionace glauca)": the binomial in brackets says which animal a
        # common name means here, whatever else the gazetteer gives that name
        bracketed = {h.start - 1: h for h in found if h.canonical and h.attrs.get("form") != "definition"}
        for _, start, end in self.common(doc):
            span = doc[start:end]
            canonical = self.gaz.common.get(fold(span.text))
            if canonical is None:  # tokenisation differs from the key ("Przewalski 's")
                continue
            gap = len(text[span.end_char :]) - len(text[span.end_char :].lstrip(" "))
            sci = bracketed.get(span.end_char + gap)
            if (
                sci is not None
                and text[span.end_char + gap : span.end_char + gap + 1] == "("
                and sci.canonical != canonical
            ):
                if text[sci.end : sci.end + 1] == ")":
                    key = fold(span.text)
                    found.append(
                        Hit(
                            "species",
                            span.start_char,
                            span.end_char,
                            sci.canonical,
                            EXTRACTOR,
                            1.0,
                            {"form": "definition", "defines": key, **_taxon_attrs(self.gaz, sci.canonical)},
                        )
                    )
                    continue
            elliptic = self._shared_head(doc, start, end)
            if elliptic is not None:
                found.append(elliptic)
            if len(span) == 1 and span.text.islower() and span.text.upper() != span.text:
                conf = 0.8  # "argali" in lower case is still the animal, but less sure
            else:
                conf = 1.0
            found.append(
                Hit(
                    "species",
                    span.start_char,
                    span.end_char,
                    canonical,
                    EXTRACTOR,
                    conf,
                    {"form": "common", **_taxon_attrs(self.gaz, canonical)},
                )
            )
        hits_of(doc).extend(_outside_codes(doc, found))
        return doc


@cache
def _heads(language: str) -> frozenset[str]:
    """First words of the language's listed common names ("gorille", "playero")."""
    return frozenset(k.split()[0] for k in species_gazetteer(language).common)


def _opens_a_name(gaz: SpeciesGazetteer, word: str) -> bool:
    return gaz.key(word) in _heads(gaz.language)


# "Dian Fossey Gorilla Fund", "International Gorilla Conservation Programme": a name inside an
# organisation's or a programme's title-case name names no animal (the guide: optional at most)
_ORG_TAIL = re.compile(
    r"^(?:\s+[A-Z][\w'-]*){0,3}\s+(?:Fund|Foundation|Trust|Programme|Program|Society|Alliance|Project|Network|"
    r"Partnership|Initiative|Institute|Centre|Center|Council|Conservancy)\b"
)


# "International Fund for Houbara Conservation": the organisation's head word before the name
_ORG_HEAD_BEFORE = re.compile(
    r"\b(?:Fund|Foundation|Trust|Society|Alliance|Institute|Centre|Center|Council)\s+for\s+(?:the\s+)?$"
)


def _in_an_org_name(text: str, h: Hit) -> bool:
    surface = text[h.start : h.end]
    return (
        h.attrs.get("form") == "common"
        and surface[:1].isupper()
        and (
            bool(_ORG_TAIL.match(text[h.end : h.end + 80]))
            or bool(_ORG_HEAD_BEFORE.search(text[max(0, h.start - 40) : h.start]))
        )
    )


# "gorille de Grauer", "gorille des plaines de l'Est": a listed head word going on with a
# qualifier that names something (a capital within three words) is a longer name the lists lack
_QUALIFIED = re.compile(
    r"\s+(?:de la|de l['’]|del|des|du|de|d['’])\s*(?:[\w'’-]+\s+){0,2}?[ldLD]?['’]?([A-ZÀ-Ý][a-zà-ÿ][\w'’-]*)"
)


def _qualified(text: str, end: int, language: str) -> bool:
    """A qualifier naming something that is not a place ("de Grauer", not "du Ghana")."""
    m = _QUALIFIED.match(text, end)
    return m is not None and fold(m.group(1)) not in _place_words(language)


@cache
def _place_words(language: str) -> frozenset[str]:
    """First words of country, city and region names ("côte", "ghana", "pendjari" is none)."""
    places = country_gazetteer(language)
    # and the heads of named sites: "huemules del Parque Nacional Cerro Castillo" are huemuls
    sites = {"parque", "parc", "reserva", "réserve", "refugio", "refuge", "lago", "lac", "laguna", "lagune", "río",
             "rio", "fleuve", "golfo", "golfe", "isla", "île", "bahía", "baie", "salar", "delta", "santuario",
             "sanctuaire", "monumento", "área", "aire", "zona", "zone", "región", "provincia", "province",
             "departamento", "département", "estado", "état", "valle", "vallée", "cordillera", "sierra", "massif",
             "mont", "monte", "cerro", "volcán", "desierto", "désert"}  # fmt: skip
    return frozenset(fold(w) for w in sites) | frozenset(
        k.split()[0] for names in (places.names, places.cities, places.regions) for k in names
    )


def _outside_codes(doc: Doc, found: list[Hit]) -> list[Hit]:
    """ "UNEP/CMS/Gorillas/MOP3/Doc.5": a name inside a cited document symbol names no animal."""
    codes = [(h.start, h.end) for h in hits_of(doc) if h.entity_type == "document_code"]
    text = text_of(doc)
    return [h for h in found if not any(a <= h.start < b for a, b in codes) and not _in_an_org_name(text, h)]
