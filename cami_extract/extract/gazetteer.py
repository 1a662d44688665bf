"""Gazetteers loaded from ``patterns/`` (and pycountry), validated and cached per process.

Each loader reads data files only; the provenance of every file is in patterns/SOURCES.md.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from ..errors import PatternFileError
from ..text import fold, fold_accents

PATTERNS = Path(__file__).resolve().parent / "patterns"


def _rows(name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    path = PATTERNS / name
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if rows:
        missing = [c for c in required if c not in rows[0]]
        if missing:
            raise PatternFileError(f"{path} lacks columns {missing}; regenerate or fix the header", path=str(path))
    return rows


def _lines(name: str) -> list[str]:
    path = PATTERNS / name
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


# ----------------------------------------------------------------------------- species
_SCI_LEAD = re.compile(r"^([A-Z][a-z]+(?: [a-z][a-z-]+){1,2})")
_FORMERLY = re.compile(r"[Ff]ormerly listed as ([A-Z][a-z]+(?: [a-z]+){1,2})")


@dataclass(slots=True)
class Taxon:
    name: str
    rank: str
    genus: str
    appendices: set[str] = field(default_factory=set)
    instruments: set[str] = field(default_factory=set)

    def attrs(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.appendices:
            out["cms_appendix"] = "/".join(sorted(self.appendices))
        if self.instruments:
            out["cms_instrument"] = "; ".join(sorted(self.instruments))
        return out


# per loaded gazetteer (slotted dataclasses have no __dict__ for a cached property)
_SUBSPECIES_EPITHETS: dict[int, frozenset[str]] = {}


@dataclass(slots=True)
class SpeciesGazetteer:
    taxa: dict[str, Taxon]  # canonical name -> taxon
    scientific: dict[str, str]  # folded scientific name or synonym -> canonical
    common: dict[str, str]  # folded common name -> canonical (ambiguous names removed)
    genera: set[str]
    stoplist: set[str]

    def canonical_scientific(self, name: str) -> str | None:
        return self.scientific.get(fold(name))

    abbreviations: dict[tuple[str, str], set[str]]  # ("f", "cherrug") -> {"Falco cherrug"}
    language: str = "en"
    native: frozenset[str] = frozenset()  # fr/es: keys that are names in the language itself
    # a listed family's common names and their singulars ("flamencos", "flamenco"): group words
    groups: frozenset[str] = frozenset()

    def key(self, name: str) -> str:
        """Lookup key of a common name: French and Spanish keys ignore accents."""
        return fold(name) if self.language == "en" else fold_accents(name)

    def subspecies_epithets(self) -> frozenset[str]:
        """The third words of the listed trinomials ("kulan", "polii"): what may follow an
        abbreviated binomial as its subspecies ("E. hemionus kulan"; not "P. andinus figura")."""
        key = id(self.taxa)
        if key not in _SUBSPECIES_EPITHETS:
            _SUBSPECIES_EPITHETS[key] = frozenset(n.split()[2].lower() for n in self.taxa if len(n.split()) == 3)
        return _SUBSPECIES_EPITHETS[key]

    def expand_abbreviation(self, initial: str, epithet: str) -> str | None:
        """ "F." + "cherrug" -> "Falco cherrug" when exactly one listed binomial fits."""
        fits = self.abbreviations.get((initial.lower(), epithet.lower()), set())
        return next(iter(fits)) if len(fits) == 1 else None


# plurals the same as the singular; the names of animals used both ways ("saiga"/"saigas",
# "dugong"/"dugongs", "kulan"/"kulans") take "-s" here, their singular key matching the other
_SAME_PLURAL = ("deer", "sheep", "fish", "bison", "moose", "elk", "chamois")
_IRREGULAR = {"goose": "geese", "mouse": "mice", "wolf": "wolves", "calf": "calves", "ox": "oxen"}


def plural(name: str) -> str:
    """English plural of a folded common name's last word ("snow leopard" -> "snow leopards")."""
    head, _, last = name.rpartition(" ")
    if last.endswith(_SAME_PLURAL):
        word = last
    elif last in _IRREGULAR:
        word = _IRREGULAR[last]
    elif last.endswith(("s", "x", "ch", "sh", "z")):
        word = last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        word = last[:-1] + "ies"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def plural_local(name: str, language: str) -> set[str]:
    """French/Spanish plurals of a folded common name: the words before the first preposition
    take the plural ("leopard des neiges" -> "leopards des neiges", "camello salvaje" ->
    "camellos salvajes"), or only the first word of them."""
    words = name.split()
    stops = {"de", "des", "du", "d'", "a", "à", "del", "la", "las", "los", "el", "le", "les"}
    head = []
    for w in words:
        if w in stops or w.startswith("d'"):
            break
        head.append(w)
    rest = words[len(head) :]

    def pl(w: str) -> str:
        if language == "fr":
            if w.endswith(("s", "x", "z")):
                return w
            if w.endswith("al"):
                return w[:-2] + "aux"
            if w.endswith(("eau", "au")):
                return w + "x"
            return w + "s"
        if w.endswith(("s", "x")):
            return w
        if w[-1:] in "aeiouéó":
            return w + "s"
        return (w[:-1] + "ces") if w.endswith("z") else w + "es"

    out = set()
    if head:
        out.add(" ".join([pl(head[0]), *head[1:], *rest]))
        out.add(" ".join([*(pl(w) for w in head), *rest]))
    return out - {name}


@cache
def species_gazetteer(language: str = "en") -> SpeciesGazetteer:
    """The CMS listing; common names of ``language`` (English ones kept behind them for fr/es)."""
    base = _rows(
        "species_cms_2013.csv",
        ("scientific_name", "taxon_rank", "genus", "listing", "listing_kind", "common_names_en", "synonyms"),
    )
    additions = _rows(
        "species_additions.csv",
        ("scientific_name", "taxon_rank", "genus", "listing", "common_names_en", "synonyms", "source"),
    )
    curated = {
        fold(r["synonym"]): r["canonical"] for r in _rows("species_synonyms.csv", ("synonym", "canonical", "source"))
    }
    stoplist = {fold(w) for w in _lines("species_stoplist.txt")}
    local_stoplist = {
        fold_accents(w.split(":", 1)[1]) for w in _lines("species_stoplist_fr_es.txt") if w.startswith(f"{language}:")
    }
    local_commons: dict[str, set[str]] = {}
    groups: set[str] = set()
    native: frozenset[str] = frozenset()

    taxa: dict[str, Taxon] = {}
    synonyms: dict[str, str] = {}
    commons: dict[str, set[str]] = {}

    def canon(name: str) -> str:
        return curated.get(fold(name), name)

    for row in [*base, *additions]:
        name = canon(row["scientific_name"].strip())
        genus = row["genus"] or name.split()[0]
        taxon = taxa.setdefault(name, Taxon(name=name, rank=row["taxon_rank"], genus=genus))
        listing = row["listing"].strip()
        if listing in ("I", "II"):
            taxon.appendices.add(listing)
        elif listing:
            taxon.instruments.add(listing)
        if taxon.rank == "family":
            # "flamingos", "falcons": a family by its common name is a group word and names
            # no species; only its Latin name ("la familia Phoenicopteridae") names the listing
            for column in ("common_names_en", f"common_names_{language}"):
                for group in filter(None, (c.strip() for c in (row.get(column) or "").split(";"))):
                    folded = fold_accents(group)
                    groups.update({folded, re.sub(r"(?:es|s)$", "", folded), re.sub(r"s$", "", folded)})
            continue
        for common in filter(None, (c.strip() for c in row["common_names_en"].split(";"))):
            commons.setdefault(fold(common), set()).add(name)
        if language != "en":
            for common in filter(None, (c.strip() for c in (row.get(f"common_names_{language}") or "").split(";"))):
                local_commons.setdefault(fold_accents(common), set()).add(name)
        for syn in filter(None, (s.strip() for s in row["synonyms"].split(";"))):
            m = _SCI_LEAD.match(syn)
            if m and m.group(1).count(" ") == name.count(" "):
                synonyms.setdefault(fold(m.group(1)), name)
        m = _FORMERLY.search(row.get("note", "") or "")
        if m and m.group(1).count(" ") == name.count(" "):
            synonyms.setdefault(fold(m.group(1)), name)
    # English names of listed species the 2013 file gives none for (marine turtles, albatrosses)
    for row in _rows("species_common_names_en.csv", ("scientific_name", "common_name", "source")):
        if not row["source"].strip():
            raise PatternFileError(f"row {row} has no source.", path=str(PATTERNS / "species_common_names_en.csv"))
        commons.setdefault(fold(row["common_name"]), set()).add(canon(row["scientific_name"]))
    if language != "en":
        for row in _rows("species_common_names_fr_es.csv", ("language", "scientific_name", "common_name", "source")):
            if row["language"] == language:
                if not row["source"].strip():
                    raise PatternFileError(
                        f"row {row} has no source.", path=str(PATTERNS / "species_common_names_fr_es.csv")
                    )
                target = canon(row["scientific_name"])
                if target in taxa and taxa[target].rank == "family":
                    continue
                local_commons.setdefault(fold_accents(row["common_name"]), set()).add(target)
    if row_missing := [r for r in additions if not r["source"].strip()]:
        raise PatternFileError(
            f"species_additions.csv rows without a source: {row_missing}", path=str(PATTERNS / "species_additions.csv")
        )

    # the annotation guide's groups that are no listed family ("vultures", "sharks"): curated
    for line in (PATTERNS / "species_group_words.txt").read_text(encoding="utf-8").splitlines():
        lang, _, word = line.partition(":")
        if line.strip() and not line.startswith("#") and lang in ("en", language):
            groups.add(fold_accents(word.strip()))
    scientific = {fold(n): n for n in taxa}
    for syn, target in synonyms.items():
        scientific.setdefault(syn, target)
    for syn, target in curated.items():
        scientific[syn] = target
    # "Saiga tatarica tatarica" (a "formerly listed as" note) names the nominate subspecies, a
    # narrower taxon than the species now listed: it keeps its trinomial (listed_as = species)
    for key in [k for k, v in scientific.items() if k.count(" ") == 2 and fold(v) == " ".join(k.split()[:2])]:
        del scientific[key]
    # A common name shared by distinct taxa ("Sand Gazelle") names none of them.
    common_names = {k: next(iter(v)) for k, v in commons.items() if len(v) == 1 and k not in stoplist}
    for key, name in list(common_names.items()):
        common_names.setdefault(plural(key), name)  # "saker falcons", "snow leopards"
    if language != "en":
        # the language's names first; English ones (cited titles) behind them, accent-folded
        local = {k: next(iter(v)) for k, v in local_commons.items() if len(v) == 1 and k not in local_stoplist}
        local_forms = set(local_commons)  # the language's own names and their plurals ("lions", "léopards")
        for key, name in list(local.items()):
            for form in plural_local(key, language):
                local.setdefault(form, name)
                local_forms.add(form)
        for key, name in common_names.items():
            local.setdefault(fold_accents(key), name)
        native = frozenset(k for k in local if k not in common_names or k in local_forms)
        common_names = {k: v for k, v in local.items() if k not in local_stoplist}
    genera = (
        {t.genus for t in taxa.values() if t.genus}
        | {n.split()[0] for n in scientific.values()}
        | {k.split()[0].capitalize() for k in scientific}
    )  # genera of synonyms too ("Clanga clanga")
    abbreviations: dict[tuple[str, str], set[str]] = {}
    for key, target in scientific.items():
        parts = key.split()
        if len(parts) == 2:
            abbreviations.setdefault((key[0], parts[1]), set()).add(target)
    return SpeciesGazetteer(
        taxa=taxa,
        scientific=scientific,
        common=common_names,
        genera=genera,
        stoplist=stoplist,
        abbreviations=abbreviations,
        language=language,
        native=native,
        groups=frozenset(groups),
    )


# ----------------------------------------------------------------------------- countries
@dataclass(slots=True)
class CountryGazetteer:
    names: dict[str, str]  # folded name -> ISO alpha-3
    cities: dict[str, str]  # folded city -> ISO alpha-3
    adjectives: dict[str, str]  # adjective as printed ("German") -> ISO alpha-3
    state_nouns: set[str]
    display: dict[str, str]  # ISO alpha-3 -> short English name for canonical strings
    regions: set[str]
    adjectives_after: dict[str, str] = field(default_factory=dict)  # "allemand" -> DEU (fr/es)
    state_nouns_before: set[str] = field(default_factory=set)  # "gouvernement" (fr/es)
    # folded ISO 3166-2 subdivision name -> the countries that have one so named ("piura" -> {PER});
    # a subdivision names its country only in a document that names that country (document.py)
    subdivisions: dict[str, frozenset[str]] = field(default_factory=dict)


def _inverted(name: str) -> list[str]:
    """pycountry's "Korea, Republic of" -> "Republic of Korea", "Korea (Republic of)"."""
    if ", " not in name:
        return []
    head, tail = name.split(", ", 1)
    tail = re.sub(r"^The ", "", tail)
    return [f"{tail} {head}".replace(" the the ", " the "), f"{head} ({tail})"]


@cache
def country_gazetteer(language: str = "en") -> CountryGazetteer:
    """ISO names (+ the language's own names from pycountry's ISO 3166 translations) behind
    the alias tables. For French and Spanish the English names stay: papers cite English
    titles. ``adjectives`` are English ones; ``adjectives_after`` the French/Spanish ones that
    follow their noun ("Gouvernement allemand")."""
    import pycountry

    names: dict[str, str] = {}
    display: dict[str, str] = {}
    for c in pycountry.countries:
        iso = c.alpha_3
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if not value:
                continue
            for variant in (value, *_inverted(value)):
                names.setdefault(fold(re.sub(r"^the ", "", variant)), iso)
        display[iso] = getattr(c, "common_name", None) or c.name
    adjectives_after: dict[str, str] = {}
    local_nouns: set[str] = set()
    if language != "en":
        for variant, iso in _translated_country_names(language):
            names.setdefault(fold(variant), iso)
    # The project's aliases go in front of pycountry: they fix UN-style names it lacks
    # and override its entries where they differ.
    for row in _rows("country_aliases.csv", ("alias", "iso3", "note")):
        names[fold(row["alias"])] = row["iso3"]
    if language != "en":
        for row in _rows("country_aliases_fr_es.csv", ("language", "alias", "iso3", "note")):
            if row["language"] != language:
                continue
            if row["iso3"]:
                names[fold(row["alias"])] = row["iso3"]
            else:
                names.pop(fold(row["alias"]), None)
        for row in _rows("country_adjectives_fr_es.csv", ("language", "adjective", "iso3", "note")):
            if row["language"] == language:
                for form in _inflections(row["adjective"], language):
                    adjectives_after.setdefault(form, row["iso3"])
        local_nouns = {w.split(":", 1)[1] for w in _lines("state_nouns_fr_es.txt") if w.startswith(f"{language}:")}
    display.update(
        {
            "GBR": "the United Kingdom",
            "USA": "the United States",
            "NLD": "the Netherlands",
            "RUS": "the Russian Federation",
            "IRN": "the Islamic Republic of Iran",
            "KOR": "the Republic of Korea",
            "PRK": "the Democratic People's Republic of Korea",
            "PHL": "the Philippines",
            "ARE": "the United Arab Emirates",
            "CZE": "Czechia",
            "TUR": "Türkiye",
            "COD": "the Democratic Republic of the Congo",
            "TZA": "the United Republic of Tanzania",
            "BOL": "Bolivia",
            "VEN": "Venezuela",
            "MDA": "the Republic of Moldova",
            "SYR": "the Syrian Arab Republic",
            "LAO": "the Lao People's Democratic Republic",
            "GMB": "the Gambia",
            "VNM": "Viet Nam",
        }
    )
    cities = {fold(r["city"]): r["iso3"] for r in _rows("cities.csv", ("city", "iso3", "note"))}
    adjectives = {r["adjective"]: r["iso3"] for r in _rows("country_adjectives.csv", ("adjective", "iso3", "note"))}
    state_nouns = {fold(w) for w in _lines("state_nouns.txt")}
    regions = {fold(w) for w in _lines("regions.txt")}
    for key in regions:
        names.pop(key, None)
    subdivisions = _subdivisions(set(names) | set(cities) | regions)
    return CountryGazetteer(
        subdivisions=subdivisions,
        names=names,
        cities=cities,
        adjectives=adjectives,
        state_nouns=state_nouns,
        display=display,
        regions=regions,
        adjectives_after=adjectives_after,
        state_nouns_before=local_nouns,
    )


# subdivision names that are ordinary words of a paper ("Centre", "Western", "América Latina",
# "Atlantique", "La Réunion" beside "la réunion", "Victoria" the Seychelles' capital)
_GENERIC_PLACE_WORDS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
    "center", "nord", "sud", "est", "ouest", "centro", "norte", "oriental", "occidental", "atlantique",
    "atlantico", "littoral", "maritime", "capital", "latina", "reunion", "victoria", "upper", "lower",
    "coast", "lakes", "islands", "island", "plateau", "plateaux", "savanes", "mara", "national",
}  # fmt: skip


def _subdivisions(taken: set[str]) -> dict[str, frozenset[str]]:
    """pycountry's ISO 3166-2 subdivisions (regions, provinces, states), by folded name, without
    the names that are a country's, a listed city's or a region's ("Niger" state, "Georgia")."""
    import pycountry

    out: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=sub.country_code)
        name = re.sub(r"\s*\[[^]]*\]|\s*\([^)]*\)", "", sub.name).strip()
        key = fold(name)
        if country is None or len(key) < 4 or key in taken or set(key.split()) & _GENERIC_PLACE_WORDS:
            continue
        out.setdefault(key, set()).add(country.alpha_3)
    return {k: frozenset(v) for k, v in out.items()}


def _translated_country_names(language: str) -> list[tuple[str, str]]:
    """pycountry's own ISO 3166-1 translations (its locale files), inverted forms included:
    "Iran, République islamique d'" -> "République islamique d'Iran"."""
    import gettext

    import pycountry

    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return []
    out: list[tuple[str, str]] = []
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if not value:
                continue
            local = tr.gettext(value)
            if local == value:
                continue
            out.append((local, c.alpha_3))
            if ", " in local:
                head, tail = local.split(", ", 1)
                out.append((f"{tail}{head}" if tail.endswith("'") else f"{tail} {head}", c.alpha_3))
    return out


def _inflections(adjective: str, language: str) -> set[str]:
    """Gender and number forms of a nationality adjective: French "allemand" -> "allemande",
    "allemands", "allemandes", "iranien" -> "iranienne"; Spanish "peruano" -> "peruana",
    "peruanos", "peruanas", "burkinés" -> "burkinesa", "burkineses", "iraquí" -> "iraquíes"."""
    forms = {adjective}
    if language == "es":
        if adjective.endswith("o"):
            forms |= {adjective[:-1] + e for e in ("a", "os", "as")}
        elif adjective.endswith("és"):
            forms |= {adjective[:-2] + e for e in ("esa", "eses", "esas")}
        elif adjective.endswith(("e", "a")):
            forms.add(adjective + "s")
        elif adjective.endswith("í"):
            forms |= {adjective + "es", adjective + "s"}
        return forms
    if language == "fr":
        fem = (
            adjective + "ne" if adjective.endswith("ien") else adjective if adjective.endswith("e") else adjective + "e"
        )
        forms |= {fem, fem + "s"}
        forms.add(adjective if adjective.endswith(("s", "x")) else adjective + "s")
    return forms


def government_name(iso3: str) -> str:
    """Canonical funder name of a national government: "Government of Germany"."""
    return f"Government of {country_gazetteer().display.get(iso3, iso3)}"


# ----------------------------------------------------------------------------- funders
@dataclass(slots=True)
class Funder:
    canonical: str
    acronym: str = ""
    country: str = ""
    parent: str = ""


@dataclass(slots=True)
class FunderGazetteer:
    names: dict[str, str]  # folded full name -> canonical
    acronyms: dict[str, str]  # acronym exactly as printed -> canonical
    info: dict[str, Funder]


@lru_cache(maxsize=1)
def funder_gazetteer() -> FunderGazetteer:
    names: dict[str, str] = {}
    acronyms: dict[str, str] = {}
    info: dict[str, Funder] = {}
    for row in _rows("funders_iati_crs.csv", ("code", "name_en")):
        names.setdefault(fold(row["name_en"]), row["name_en"])
        info.setdefault(row["name_en"], Funder(canonical=row["name_en"]))
    # curated entries win over the IATI codelist: they carry acronyms and parents
    for row in _rows("funders.csv", ("canonical", "aliases", "acronyms", "country", "parent", "source")):
        canonical = row["canonical"]
        if not row["source"].strip():
            raise PatternFileError(
                f"funders.csv row {canonical!r} has no source; say where the name comes from",
                path=str(PATTERNS / "funders.csv"),
            )
        acrs = [a.strip() for a in row["acronyms"].split(";") if a.strip()]
        info[canonical] = Funder(
            canonical=canonical, acronym=acrs[0] if acrs else "", country=row["country"], parent=row["parent"]
        )
        names[fold(canonical)] = canonical
        for alias in filter(None, (a.strip() for a in row["aliases"].split(";"))):
            names[fold(alias)] = canonical
        for acr in acrs:
            acronyms[acr] = canonical
    # French and Spanish names of the same organisations: canonical values stay English
    for row in _rows("funders_fr_es.csv", ("language", "alias", "acronyms", "canonical", "source")):
        if not row["source"].strip():
            raise PatternFileError(f"row {row['alias']!r} has no source.", path=str(PATTERNS / "funders_fr_es.csv"))
        canonical = row["canonical"]
        info.setdefault(canonical, Funder(canonical=canonical))
        names.setdefault(fold(canonical), canonical)
        names[fold(row["alias"])] = canonical
        for acr in filter(None, (a.strip() for a in row["acronyms"].split(";"))):
            acronyms.setdefault(acr, canonical)
    return FunderGazetteer(names=names, acronyms=acronyms, info=info)
