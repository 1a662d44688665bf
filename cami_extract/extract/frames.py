"""Funding roles from the syntax: frames of giving money read off the dependency parse.

The cue grammar of funders.py reads the words after "funded by"; a paper written by someone
else says "Germany, the largest voluntary donor, renewed its contribution", "a grant awarded
by Norway through its NORAD programme", "thanks Switzerland and Monaco for their voluntary
contributions". Those are frames: a predicate or a noun of giving money (the frame table,
patterns/role_frames.csv) and the organisation in a syntactic relation to it:

  verb     subject (active) or agent ("by X", French "par X")      "BMUV funded", "financé par X"
  noun     possessor, "from/of/by X" (French "de/du/des/par X")     "X's contribution", "a grant from X"
  agent    apposition or predicate of a donor noun                 "X, the largest donor"
  source   "from X" / "auprès de X" after received, raised ...     "funds raised from X"
  support  subject (or agent) of a giving verb whose object is money "X provided EUR 50,000"
  thank    the thanked organisation, when the sentence names money "thanks X for its contribution"
  via      "through X" after a money frame: the channel, not the payer

The same table gives host, organiser, implementer and administrator verbs: an organisation
in such a relation is kept apart from the funders of the sentence (``roles``).

The relations are spaCy DependencyMatcher patterns over the statistical model's parser
(en_core_web_sm for English, fr_core_news_sm for French; their label sets differ, so each
has its patterns). Spanish has no parser for spaCy 3.8 and is read by the cue grammar alone.
The parser is ~5x slower than all rules together, so only sentences that hold a frame word
are parsed - and in English only those whose funder the cue grammar did not already read.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token

from ..currencies import CODES, CURRENCY_WORDS
from ..errors import PatternFileError
from .gazetteer import PATTERNS
from .tokens import split_acronym_stops

# sentences parsed together; the whole of a typical paper's frame sentences (10-40) in one call
PARSE_BATCH = 64
KINDS = ("verb", "support_verb", "noun", "noun_financial", "agent", "source", "thank")
ROLES = ("funder", "host", "organiser", "implementer", "administrator", "partner")
# a sentence: up to a full stop, semicolon or question mark followed by a capital or a quote
# an amount and its giver with no frame word: "EUR 43,000 from the Government of Norway"
_AMOUNT_FROM = re.compile(
    r"\b(?:"
    + "|".join(sorted((c.upper() for c in CODES), key=len, reverse=True))
    + r")\s?[\d.,]+(?:\s(?:million|thousand|m))?"
    r"(?:\s\([^)]{1,20}\))?\s(?:from|de|del|du|des|d')\s"
)
# a bullet starts an item of its own ("received as follows: • EUR 43,000 from X; • AUD ...")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZÀ-ÝÉ«\"(])|\s*•\s*")
_CURRENCY = set(CURRENCY_WORDS)
# what a giving verb may have as object instead of a money noun: "the costs were borne by X"
_COSTS = {
    "cost",
    "costs",
    "expenses",
    "fees",
    "frais",
    "coûts",
    "coût",
    "dépenses",
    "gastos",
    "costes",
    "costos",
    "salary",
    "salaries",
    "salaire",
    "salaires",
    # a budget met or covered ("the core budget had been met entirely by EAD")
    "budget",
    "budgets",
    "presupuesto",
    "presupuestos",
    # amounts due, settled or cleared ("a réglé les montants dus", "a apuré les sommes dues")
    "montants",
    "sommes",
    "arriérés",
    "cotisations",
}  # "continued to pay his salary": a post paid
# gifts in kind a giving verb may have as object ("Sabah Parks provided boats and lodging", "WWF
# Kenya covered the travel of ..."): the guide's in-kind support (equipment, vehicles, staff,
# lodging, travel paid); not a venue: the golds read a host that "provides the venue" as a host
_IN_KIND_GIFTS = {"travel", "lodging", "accommodation", "boats", "vehicles", "vehicle", "equipment", "fuel",
                  "vessels", "vessel", "crews", "guards", "lorries", "trucks", "cars", "drivers", "traps",
                  "cameras", "collars", "transmitters", "drones", "tents", "materials", "staff", "team", "trainers",
                  "interpretation", "boat", "crew", "aircraft",
                  "hébergement", "véhicules", "véhicule", "équipement", "carburant", "matériel", "embarcations",
                  "pièges", "colliers", "balises", "formateurs", "personnel", "équipe", "navire", "navires",
                  "bateau", "bateaux", "vedette", "vedettes", "équipage",
                  "alojamiento", "vehículos", "vehículo", "embarcaciones", "equipos", "combustible", "camionetas",
                  "trampas", "collares", "materiales", "personal", "instructores", "buque", "buques", "lancha",
                  "lanchas", "barco", "barcos", "tripulación", "avioneta", "avión", "aeronave", "helicóptero", "avion",
                  "medicamentos", "médicaments", "medicines", "veterinarios", "vétérinaires", "veterinarians",
                  "agents", "agentes",
                  "hélicoptère", "helicopter", "plane", "interprétation", "interpretación"}  # fmt: skip
_GIFTS = {"enveloppe", "enveloppes", "aportación", "aportaciones", "contribution", "contributions", "grant", "grants", "donation", "donations", "funds", "funding",
          "subvention", "subventions", "don", "dons", "fonds", "financement", "subvención", "subvenciones",
          "donación", "donaciones", "fondos", "financiación", "contribución", "contribuciones"}  # fmt: skip
_VEHICLES = {"project", "projects", "projet", "projets", "proyecto", "proyectos", "programme", "programa"}
_RELATIVE = {"which", "who", "that", "qui", "lequel", "laquelle", "que", "quien", "quienes", "cual"}
_PRONOUNS = {"it", "its", "they", "their", "them", "il", "elle", "ils", "elles", "lui", "eux", "ello", "ellos"}
_FINANCIAL = {"financial", "financially", "monetary", "financier", "financière", "financiers", "financières",
              "financiero", "financiera", "financieros", "financieras"}  # fmt: skip
# what a thanks must name as its reason to thank a giver: money, costs, or a gift in kind
# ("thanks X for its contribution", "a Y el alojamiento"); not a host's team
GIVING_WORDS = (_GIFTS | _IN_KIND_GIFTS | _COSTS | _FINANCIAL) - {"team", "équipe", "equipos"}
COSTS = frozenset(_COSTS)
# French nominal relations: the preposition decides the role ("contribution du WWF" pays,
# "contribution au Secrétariat" receives)
_FR_FROM = {"de", "du", "des", "d'", "par"}
_FR_SOURCE = {"auprès", "de", "du", "des", "d'"}
_EN_FROM = {"from", "of", "by"}
# English money nouns whose "of X" is the thing paid for ("funding of the project"), not the payer
_EN_FUNDED_OF = {"funding", "financing", "co-financing", "cofinancing", "co-funding", "sponsorship"}
_GOVERNMENTS = {"governments", "gouvernements", "gobiernos"}
# heads of a post or a person, never a payer ("a Junior Professional Officer financed by X")
_PERSON_HEADS = {
    "officer",
    "officers",
    "coordinator",
    "coordinators",
    "consultant",
    "consultants",
    "expert",
    "experts",
    "assistant",
    "assistants",
    "intern",
    "interns",
    "director",
    "minister",  # "The Minister ... announced a contribution": a person speaks for a government
    "ministers",
    "secretary",
    "staff",  # "Staff on loan have added capacity at no cost": people, not a payer
    "personnel",
}
# prepositions that introduce a payer after a money noun, in the three languages
_SOURCE_PREPS = {"from", "of", "by", "de", "du", "des", "d'", "par", "del", "por", "auprès"}
_FROM_PREPS = {"from", "de", "du", "des", "d'", "del", "auprès"}
# what may follow a donor noun used as a noun, not as a modifier ("donor agreement")
_AFTER_AGENT = {"to", "of", "for", "in", "and", "à", "au", "de", "du", "des", "para", "pour", "del", "y", "et"}
_POSSESSIVES = {"its", "their", "his", "her", "son", "sa", "ses", "leur", "leurs", "su", "sus"}
# head words of organisation names ("Frankfurt Zoological Society", "Ministry of ..."), in English
ORG_HEADS = {
    "fund",
    "foundation",
    "trust",
    "ministry",
    "agency",
    "programme",
    "program",
    "initiative",
    "bank",
    "union",
    "commission",
    "society",
    "council",
    "institute",
    "zoo",
    "conservancy",
    "government",
    "office",
    "organization",
    "organisation",
    "facility",
    "alliance",
    "association",
    "network",
    "partnership",
    "federation",
    "department",
    "service",
    "authority",
    "centre",
    "center",
    "university",
    "academy",
    "embassy",
    "cooperation",
    "corporation",
    "company",
    "secretariat",
}
# the first word of a French or Spanish body's name: its name runs on in lower case
BODY_HEADS_FR_ES = {
    "agence", "service", "fonds", "fondation", "office", "ministère", "institut", "programme", "direction",
    "société", "banque", "commission", "conseil", "centre", "université", "organisation", "association",
    "fundación", "fondo", "ministerio", "servicio", "instituto", "programa", "sociedad", "corporación",
    "universidad", "agencia", "banco", "comisión", "consejo", "centro", "oficina", "organización",
    "administración", "dirección", "secretaría", "asociación", "ligue", "liga", "réseau", "fédération", "federación",
    "parc", "parque", "jardin", "jardín",
    "autorité", "autoridad", "marine", "marina", "armada", "armée", "ejército", "gendarmerie", "garde", "guardia",
}  # fmt: skip
# a body's head word that refers back to its full name named before ("the Ministry also paid"):
# the funder reader keeps it, the document's resolver finds the name or drops it
REFERENT_HEADS = (ORG_HEADS | BODY_HEADS_FR_ES) - {"government", "secretariat"}
# verbs of writing: "contributions" to what they made are texts, not money
WRITING_VERBS = {"drafted", "written", "prepared", "compiled", "edited", "rédigé", "rédigée", "préparé", "préparée",
                  "élaboré", "élaborée", "compilé", "compilée", "redactado", "redactada", "elaborado", "elaborada",
                  "preparado", "preparada", "compilado", "compilada"}  # fmt: skip
_NAME_CONNECTORS = {"of", "for", "the", "and", "de", "del", "du", "des", "la", "le", "y", "et", "d'", "l'"}
# a gift that is not money (the cue grammar of funders.py reads the same words)
IN_KIND = re.compile(
    r"\bin[- ]kind\b|\bfree of charge\b|\bat no cost\b|\ben nature\b|\bgracieusement\b|\bà titre gracieux\b|"
    r"\ben especie\b|\bgratuitamente\b|\bsin (?:coste|costo|cargo)\b|"
    # the giver's own money: "provided, at its own expense, a coordinator", "sur ses fonds propres"
    r"\bat (?:its|their|the \w+'s) own (?:expense|cost)s?\b|\bsur (?:ses|leurs) (?:propres fonds|fonds propres)\b|"
    r"\bà (?:ses|leurs) (?:propres )?frais\b|\bcon (?:sus )?(?:fondos|recursos) propios\b",
    re.IGNORECASE,
)
# the subject's own money, whatever the verb: "X carried out the survey at its own expense", "l'ANEF
# a procédé, sur ses fonds propres, au lâcher" (the possessive refers back to the subject)
OWN_MEANS = re.compile(
    r"\bat (?:its|their) own (?:expense|cost)s?\b|\bsur (?:ses|leurs) (?:propres fonds|fonds propres|"
    r"ressources propres|propres ressources)\b|\bà (?:ses|leurs) (?:propres )?frais\b|"
    # "flown its latest survey from its own budget", "supportés par X sur son budget propre"
    r"\b(?:from|with|out of) (?:its|their) own (?:budget|funds|resources)\b|"
    r"\bsur (?:son|leur) (?:propre )?budget(?: propre| ordinaire)?\b",
    re.IGNORECASE,
)
# words between a money noun and its "from/of/by": "a grant of EUR 240,000 from X" (measured:
# the longest in the corpus is "une petite subvention de 38 000 GBP de l'Initiative", 6 words)
NOUN_REACH = 7
# a capitalised word, also after an elided article: "Office", "l'Office", "d'Abou"
_NAMED = re.compile(r"(?:[ldLD]')?[A-ZÀ-Ý]")


def _capitalised_within(words: list[str], k: int, reach: int = 4) -> bool:
    return any(w[:1].isupper() for w in words[k + 1 : k + 1 + reach])


@dataclass(frozen=True, slots=True)
class Frame:
    kind: str
    role: str


@cache
def frame_table(language: str) -> dict[str, list[Frame]]:
    """Surface form (lower case) -> its frames ("grant" is a verb and a noun), for one
    language; validated when loaded."""
    path = PATTERNS / "role_frames.csv"
    table: dict[str, list[Frame]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), 2):
            if None in row or row["kind"] not in KINDS or row["role"] not in ROLES or not (row["source"] or "").strip():
                raise PatternFileError(
                    f"line {n}: five columns (quote a source that holds a comma), kind one of {KINDS}, role one "
                    f"of {ROLES}, and a source given.",
                    path=str(path),
                )
            if row["language"] == language:
                frames = table.setdefault(row["form"].lower(), [])
                if Frame(row["kind"], row["role"]) not in frames:
                    frames.append(Frame(row["kind"], row["role"]))
    return table


# verbs whose subject is also the subject of the verb they govern ("continued to fund")
CONTROL_VERBS = {
    "en": {"continue", "continues", "continued", "continuing", "agree", "agrees", "agreed", "decide", "decides",
           "decided", "offer", "offers", "offered", "undertake", "undertakes", "undertook", "begin", "begins",
           "began", "start", "starts", "started", "kept", "keeps", "help", "helps", "helped"},
    "fr": {"continue", "continuent", "continué", "accepté", "accepte", "décidé", "décide", "proposé", "propose",
           "commencé", "entrepris", "aidé", "engagé", "engagée", "engagés", "engage", "engagent"},
}  # fmt: skip

# which frame of a form a dependency relation reads
_RELATION_KINDS = {
    "subject": ("verb", "support_verb"),
    "control": ("verb", "support_verb"),
    "control_conj": ("verb", "support_verb"),
    "progressive": ("verb", "support_verb"),
    "shared_subject": ("verb", "support_verb"),
    "agent": ("verb", "support_verb"),
    "noun_of": ("noun", "noun_financial"),
    "possessor": ("noun", "noun_financial"),
    "with_money": ("noun", "noun_financial"),
    "appos": ("agent",),
    "predicate": ("agent",),
    "source": ("source",),
    "thank": ("thank",),
}


@dataclass(slots=True)
class Reading:
    """An organisation token of the parsed sentence in a role, with the frame that says so."""

    token: Token
    role: str
    relation: str
    via: str = ""


def _in(forms: list[str]) -> dict[str, Any]:
    return {"LOWER": {"IN": forms}}


def _patterns(language: str, table: dict[str, list[Frame]]) -> dict[str, list[list[dict[str, Any]]]]:
    by_kind: dict[str, list[str]] = {k: [] for k in KINDS}
    for form, frames in table.items():
        for frame in frames:
            if form not in by_kind[frame.kind]:
                by_kind[frame.kind].append(form)
    verbs = by_kind["verb"] or ["<none>"]
    support = by_kind["support_verb"] or ["<none>"]
    nouns = (by_kind["noun"] + by_kind["noun_financial"]) or ["<none>"]
    agents = by_kind["agent"] or ["<none>"]
    sources = by_kind["source"] or ["<none>"]
    thanks = by_kind["thank"] or ["<none>"]

    def t(forms: list[str]) -> dict[str, Any]:
        return {"RIGHT_ID": "trigger", "RIGHT_ATTRS": _in(forms)}

    def child(dep: str | list[str], name: str = "org", parent: str = "trigger", attrs=None) -> dict[str, Any]:
        deps = {"IN": dep} if isinstance(dep, list) else dep
        return {"LEFT_ID": parent, "REL_OP": ">", "RIGHT_ID": name, "RIGHT_ATTRS": {"DEP": deps, **(attrs or {})}}

    def control_conj(dep: str) -> list[dict[str, Any]]:
        # "EAD would continue to host and fund the Secretariat": the giving verb is the conjunct
        return [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": _in(sorted(CONTROL_VERBS[language]))},
            child("nsubj", "org", "verb"),
            child(dep, "first", "verb"),
            child("conj", "trigger", "first", attrs=_in(verbs + support)),
        ]

    def control(dep: str) -> list[dict[str, Any]]:
        # "Hungary has continued to provide a coordinator", "la Suisse a accepté de financer": the
        # subject of a verb that hands its subject to the giving verb under it
        return [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": _in(sorted(CONTROL_VERBS[language]))},
            child("nsubj", "org", "verb"),
            child(dep, "trigger", "verb", attrs=_in(verbs + support)),
        ]

    # "X, the largest donor": the organisation heads an apposition (same label in both parsers)
    appos = [[{"RIGHT_ID": "org", "RIGHT_ATTRS": {}}, child("appos", "trigger", "org", attrs=_in(agents))]]

    if language == "fr":  # Universal Dependencies labels (fr_core_news_sm)
        return {
            "subject": [[t(verbs + support), child("nsubj")]],
            "shared_subject": [
                [
                    {"RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
                    child("nsubj", "org", "verb"),
                    child("conj", "trigger", "verb", attrs=_in(verbs + support)),
                ]
            ],
            "control": [control("xcomp")],
            "control_conj": [control_conj("xcomp")],
            "agent": [[t(verbs + support), child("obl:agent")]],
            "noun_of": [[t(nouns), child("nmod")]],
            "appos": appos,
            "predicate": [[t(agents), child("nsubj")]],
            "source": [[t(sources), child(["obl", "obl:arg", "obl:mod", "obl:agent", "nmod"])]],
            "thank": [[t(thanks), child("obj")]],
            "via": [[t(verbs + support + nouns), child(["obl", "obl:mod", "nmod"], "via")]],
            # "la Suisse a rejoint le programme avec une contribution de 90 000 CHF"
            "with_money": [
                [
                    {"RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
                    child("nsubj", "org", "verb"),
                    child(["obl", "obl:mod"], "trigger", "verb", attrs=_in(nouns)),
                ]
            ],
            "own_means": [
                [
                    {"RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
                    child("nsubj", "org", "verb"),
                    child(["obl", "obl:mod"], "trigger", "verb", attrs=_in(["fonds", "frais", "ressources", "budget"])),
                ]
            ],
            # "un appui de 45 000 euros de l'OFB": an amount's giver, whatever noun the amount measures
            "amount_from": [[{"RIGHT_ID": "trigger", "RIGHT_ATTRS": _in(sorted(_CURRENCY))}, child("nmod")]],
            # "la contribution du Royaume-Uni ... celle de la Suisse"
            "ellipsis": [
                [
                    {"RIGHT_ID": "anchor", "RIGHT_ATTRS": _in(["celle", "celles", "celui", "ceux"])},
                    child("nmod", "org", "anchor"),
                ]
            ],
        }
    # English: ClearNLP labels (en_core_web_sm)
    return {
        "subject": [[t(verbs + support), child("nsubj")]],
        # "the Government of Brazil hosted COP15 ... and bore the costs": a second verb shares the subject
        "shared_subject": [
            [
                {"RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
                child("nsubj", "org", "verb"),
                child("conj", "trigger", "verb", attrs=_in(verbs + support)),
            ]
        ],
        "control": [control("xcomp")],
        "control_conj": [control_conj("xcomp")],
        # "IKI is financing, with EUR 3.1 million, the second phase": the parser may read a
        # progressive as a copula and a noun
        "progressive": [
            [
                {"RIGHT_ID": "copula", "RIGHT_ATTRS": _in(["is", "are", "was", "were", "been", "be"])},
                child("nsubj", "org", "copula"),
                child("attr", "trigger", "copula", attrs=_in([f for f in verbs + support if f.endswith("ing")])),
            ]
        ],
        "agent": [[t(verbs + support), child("agent", "by"), child("pobj", "org", "by")]],
        "noun_of": [[t(nouns), child("prep", "prep", attrs=_in(sorted(_EN_FROM))), child("pobj", "org", "prep")]],
        "possessor": [[t(nouns), child(["poss", "compound"])]],
        "appos": appos,
        "predicate": [
            [
                {
                    "RIGHT_ID": "copula",
                    "RIGHT_ATTRS": {"LOWER": {"IN": ["is", "was", "are", "were", "remains", "remained", "became"]}},
                },
                child("nsubj", "org", "copula"),
                child("attr", "trigger", "copula", attrs=_in(agents)),
            ]
        ],
        "source": [[t(sources), child("prep", "prep", attrs=_in(["from"])), child("pobj", "org", "prep")]],
        # "supported with AUD 240,000 from Australia's DFAT", "EUR 40,000 from OFB": an amount's giver
        "amount_from": [
            [
                {"RIGHT_ID": "trigger", "RIGHT_ATTRS": _in(sorted(CODES))},
                child("prep", "prep", attrs=_in(["from"])),
                child("pobj", "org", "prep"),
            ]
        ],
        # "supported with AUD 240,000 from X": the amount and its giver both hang on the verb
        "amount_from_verb": [
            [
                {"RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
                child("prep", "with", "verb", attrs=_in(["with"])),
                child("pobj", "trigger", "with", attrs=_in(sorted(CODES))),
                child("prep", "prep", "verb", attrs=_in(["from"])),
                child("pobj", "org", "prep"),
            ]
        ],
        "thank": [[t(thanks), child(["dobj", "appos", "npadvmod"])]],
        "via": [
            [
                t(verbs + support + nouns),
                child("prep", "prep", attrs=_in(["through", "via"])),
                child("pobj", "via", "prep"),
            ]
        ],
        # "Italy joined the programme with a pledge of EUR 300,000": the subject gives
        "with_money": [
            [
                {"RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
                child("nsubj", "org", "verb"),
                child("prep", "with", "verb", attrs=_in(["with"])),
                child("pobj", "trigger", "with", attrs=_in(nouns)),
            ]
        ],
        # "the Ministry carried out the survey at its own expense"
        "own_means": [
            [
                {"RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
                child("nsubj", "org", "verb"),
                child("prep", "at", "verb", attrs=_in(["at", "from", "with", "out"])),
                child("pobj", "trigger", "at", attrs=_in(["expense", "expenses", "cost", "costs", "budget", "funds"])),
            ]
        ],
        # "the contribution of the United Kingdom ...; that of Switzerland"
        "ellipsis": [
            [
                {"RIGHT_ID": "anchor", "RIGHT_ATTRS": _in(["that", "those"])},
                child("prep", "of", "anchor", attrs=_in(["of"])),
                child("pobj", "org", "of"),
            ]
        ],
    }


class FrameReader:
    """Parses the sentences that hold a frame word and reads the roles of organisations."""

    def __init__(self, language: str, model: str):
        self.language = language
        self.table = frame_table(language)
        self.money = {f for f, frs in self.table.items() if any(fr.kind in ("noun", "agent") for fr in frs)}
        self.money |= _CURRENCY | _COSTS | _IN_KIND_GIFTS
        # what a giving verb must have near it to be worth a parse: an amount, costs, or a gift
        self.amounts = _CURRENCY | _COSTS | _GIFTS | _IN_KIND_GIFTS
        # the parser alone (its tok2vec): no tagger, lemmatizer or NER is needed for DEP
        self.nlp: Language = split_acronym_stops(
            spacy.load(model, exclude=["ner", "lemmatizer", "attribute_ruler", "tagger", "morphologizer", "senter"])
        )
        self.matcher = DependencyMatcher(self.nlp.vocab, validate=True)
        for name, patterns in _patterns(language, self.table).items():
            self.matcher.add(name, patterns)
        self._trigger = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(f) for f in sorted(self.table, key=len, reverse=True))
            + r")(?![\w-])",
            re.I,
        )

    def sentences(self, text: str) -> Iterator[tuple[int, int]]:
        start = 0
        for m in _SENTENCE_END.finditer(text):
            yield start, m.start()
            start = m.end()
        if start < len(text):
            yield start, len(text)

    def mentions_a_frame(self, text: str) -> bool:
        """Any frame word at all (one regex search: most blocks have none)."""
        return (
            self._trigger.search(text) is not None
            or _AMOUNT_FROM.search(text) is not None
            or OWN_MEANS.search(text) is not None  # "flew its survey from its own budget": no frame word
        )

    def worth_parsing(self, sentence: str) -> bool:
        """A frame word that could have an organisation in a relation to it, judged from the
        words around it (the parse is dear): a noun needs "from/of/by X" after it or a name or
        possessive before it; a source verb "from X"; a giving verb money named."""
        words = re.findall(r"[\w$€£'-]+|[.,;:()]", sentence)
        lower = [w.lower() for w in words]
        if OWN_MEANS.search(sentence) and any(_NAMED.match(w) for w in words[1:]):
            return True  # "X carried out the survey at its own expense": any verb, its subject pays
        # "l'hébergement", "d'équipement": the word behind an elided article
        bag = set(lower) | {w[2:] for w in lower if w[:2] in ("l'", "d'")}
        money = (
            bool(bag & self.amounts)
            or IN_KIND.search(sentence) is not None
            or bool(set(lower) & _FINANCIAL)  # "de leur soutien financier", "financial support"
        )
        for k, w in enumerate(lower):
            if w in CODES and any(
                a == "from" and _capitalised_within(words, k + 1 + i) for i, a in enumerate(lower[k + 1 : k + 9])
            ):
                return True  # "AUD 240,000 from Australia's ..."
            if (
                self.language == "fr"
                and w in _CURRENCY
                and k + 1 < len(lower)
                and (lower[k + 1] in _FR_FROM - {"par"} or lower[k + 1].startswith("d'"))
                and any(_NAMED.match(x) for x in words[k + 1 : k + 4])
            ):
                return True  # "45 000 euros de l'Office français de la biodiversité"
            for frame in self.table.get(w, []):
                if frame.role == "funder" and self._worth(frame, k, words, lower, money):
                    return True
        return False

    def _worth(self, frame: Frame, k: int, words: list[str], lower: list[str], money: bool) -> bool:
        """Whether the words around one frame word could hold its payer."""
        after = lower[k + 1 : k + 1 + NOUN_REACH]
        before = words[k - 1] if k else ""
        named_after = any(a in _SOURCE_PREPS and _capitalised_within(words, k + 1 + i) for i, a in enumerate(after))
        from_after = any(a in _FROM_PREPS and _capitalised_within(words, k + 1 + i) for i, a in enumerate(after))
        if frame.kind == "verb" and (words[k].islower() or k == 0):  # "Caucasus Nature Fund" is a name;
            return True  # a fronted participle is not: "Financé depuis l'origine par X, il ..."
        if frame.kind == "agent" and (
            k + 1 == len(lower) or lower[k + 1] in _AFTER_AGENT or not words[k + 1].isalnum()
        ):
            return True  # "the largest donor," / "a donor to the MOU"; not "the donor agreement"
        if frame.kind in ("noun", "noun_financial"):
            if frame.kind == "noun_financial" and not (
                (k and lower[k - 1] in _FINANCIAL) or "financ" in " ".join(after[:2])
            ):
                return False
            if named_after or before[:1].isupper() or before.lower() in _POSSESSIVES or before.endswith("'s"):
                return True
        elif (frame.kind == "source" and from_after) or (frame.kind in ("support_verb", "thank") and money):
            return True
        return False

    def read(self, sentence: str) -> list[Reading]:
        return self.read_many([sentence])[0]

    def read_many(self, sentences: list[str]) -> list[list[Reading]]:
        """Parse in one batch: the parser's cost is per call as much as per word."""
        return [list(self._readings(doc)) for doc in self.nlp.pipe(sentences, batch_size=PARSE_BATCH)]

    # ------------------------------------------------------------------ relations -> roles
    def _readings(self, doc: Doc) -> Iterator[Reading]:
        vias: dict[int, str] = {}  # trigger token -> the channel named with "through X"
        out: list[tuple[int, Reading]] = []
        for match_id, token_ids in self.matcher(doc):
            relation = self.nlp.vocab.strings[match_id]
            names = [p["RIGHT_ID"] for p in self.matcher.get(relation)[1][0]]
            slots = dict(zip(names, token_ids))
            if relation == "ellipsis":
                # "that of X" stands for a money noun named before it in the sentence
                org = doc[slots["org"]]
                if any(self._is_money(t) for t in doc[: slots["anchor"]] if t.lower_ not in _CURRENCY):
                    out.extend((-1, Reading(o, "funder", relation)) for o in (org, *_conjuncts(org)))
                continue
            trigger = doc[slots["trigger"]]
            if (
                trigger.text[:1].isupper()
                and trigger.i > trigger.sent.start
                and relation not in ("amount_from", "amount_from_verb")  # "AUD 240,000 from X"
            ):
                continue  # a frame word inside a name: "the CMS Small Grants Programme"
            kinds = _RELATION_KINDS.get(relation, KINDS)
            frame = next((f for f in self.table.get(trigger.lower_, []) if f.kind in kinds), None)
            if relation in ("amount_from", "amount_from_verb", "own_means"):
                frame = Frame("noun", "funder")  # a currency or one's own means: money, not in the table
            if frame is None:
                continue
            if relation == "via":
                v = doc[slots["via"]]
                if self.language == "fr" and not {c.lower_ for c in v.children if c.dep_ == "case"} & {
                    "par",
                    "via",
                }:
                    continue  # "par l'intermédiaire de" reads as nmod of "intermédiaire"; only "via X" here
                if not v.text[:1].isupper():
                    continue  # "le transport par route": a way, not a channel
                vias[trigger.i] = v.text
                continue
            org = subject = doc[slots["org"]]
            if not self._relation_holds(relation, trigger, subject, frame):
                continue
            if not org.text[:1].isupper():
                # "the Lithuanian manufacturer Ornitela donated ...": the name is the apposition
                org = next((c for c in org.children if c.dep_ == "appos" and c.text[:1].isupper()), org)
            if org.lower_ in _RELATIVE and trigger.dep_ in ("relcl", "acl:relcl"):
                org = _antecedent(org, trigger.head)  # "the Government of the UAE, which bears the costs"
            elif org.lower_ in _RELATIVE:
                org = _antecedent(org, org)  # the parser missed the relative clause: the brackets still say
            members = [org, *_conjuncts(org)]
            if org.lower_ in _GOVERNMENTS:
                # "the Governments of Germany, Switzerland and Monaco": each country named after "of"
                for prep in (c for c in org.children if c.dep_ in ("prep", "nmod") or c.lower_ in ("of", "de", "del")):
                    members.extend(
                        g for p in (prep, *prep.children) if p.dep_ in ("pobj", "nmod") for g in (p, *_conjuncts(p))
                    )
            for o in members:
                if o.lower_ in _PERSON_HEADS:
                    continue  # "a Junior Professional Officer financed by X": a post, not a payer
                out.append((trigger.i, Reading(o, frame.role, relation)))
        for trigger_i, reading in out:
            reading.via = vias.get(trigger_i, "")
            yield reading

    def _relation_holds(self, relation: str, trigger: Token, org: Token, frame: Frame) -> bool:
        passive = any(c.dep_ in ("auxpass", "aux:pass", "nsubjpass", "nsubj:pass") for c in trigger.children)
        if frame.kind == "noun_financial" and not any(c.lower_ in _FINANCIAL for c in trigger.children):
            return False  # "support" pays only as "financial support"
        if relation == "with_money" and any(
            c.lower_ in ("external", "outside", "extérieur", "externe", "externo") for c in trigger.children
        ):
            return False  # "the Unit supports four projects with external funding": others' money
        if relation == "shared_subject" and any(
            c.dep_ in ("nsubj", "nsubjpass", "nsubj:pass") for c in trigger.children
        ):
            return False  # the second verb has a subject of its own
        if relation in ("subject", "shared_subject", "control", "control_conj", "progressive"):
            if passive:
                return False  # "the grant was awarded": the subject is the money, not the payer
            if frame.kind == "support_verb" and trigger.lower_.startswith(("confirm", "announc")):
                # "Germany confirmed a contribution of EUR 45,000", "Monaco announced EUR 180,000":
                # the money is what is confirmed, not in a clause ("X confirmed that it intended to
                # make a contribution")
                objects = [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
                return any(self._money_in(o, exclude=org) for o in objects)
            if frame.kind == "support_verb":
                # "les deux véhicules que la DEFCCS a prêtés": the gift is the relative clause's head
                return self._money_in(trigger, exclude=org) or (
                    trigger.dep_ in ("relcl", "acl:relcl")
                    and (self._is_money(trigger.head) or self._money_closes(trigger))
                )
            return True
        if relation == "agent":
            if frame.kind == "support_verb":
                subjects = [c for c in trigger.children if c.dep_ in ("nsubjpass", "nsubj:pass")]
                if not subjects and trigger.dep_ == "xcomp":
                    # "the running costs continue to be met by the UAE": the subject of the verb above
                    subjects = [c for c in trigger.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subjects and any(self._is_money(x) for s in subjects for x in (s, *_conjuncts(s))):
                    return True  # "the staff and running costs ... to be met by": any conjunct
                if subjects:
                    # "dont les experts ont été détachés à titre gracieux par le CSIC": given in kind
                    return IN_KIND.search("".join(t.text_with_ws for t in trigger.subtree)) is not None
                # "EUR 45,000 contributed by the Principality of Monaco": the money is the
                # participle's head or hangs on it
                before = trigger.doc[max(0, trigger.i - 3) : trigger.i]  # "EUR 20,000 contributed by"
                return (
                    self._is_money(trigger.head)
                    or any(self._is_money(t) for t in before)
                    or self._money_in(trigger, exclude=org)
                )
            return True
        if (
            relation in ("noun_of", "possessor")
            and trigger.lower_.startswith("contribu")
            and any(t.lower_ in WRITING_VERBS for t in trigger.doc)
        ):
            return False  # "le rapport a été rédigé ... avec les contributions de X": input to a text
        if relation == "noun_of" and self.language == "en":
            # "the funding of the CAMI POW": what is funded; "a contribution of X": who gives
            prep = org.head.lower_ if org.head is not None else ""
            return not (prep == "of" and trigger.lower_ in _EN_FUNDED_OF)
        if relation == "source" and self.language == "en":
            # "received technical support from X": help, not money; what was received says
            objects = [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
            return any(self._money_in(o, exclude=org) for o in objects or [trigger])
        if relation == "noun_of" and self.language == "fr":
            if trigger.i >= 2 and trigger.doc[trigger.i - 2].lower_ in ("bailleur", "bailleurs"):
                return False  # "le premier bailleur de fonds de la Convention": the receiver
            cases = {c.lower_ for c in org.children if c.dep_ == "case"}
            return bool(cases & _FR_FROM) and not (cases & {"à", "au", "aux", "pour"})
        if relation == "own_means":
            return not passive and OWN_MEANS.search(" ".join(t.text for t in trigger.head.subtree)) is not None
        if relation == "amount_from" and self.language == "fr":  # "de X", not "à X" nor "pour X"
            cases = {c.lower_ for c in org.children if c.dep_ == "case"}
            if org.i - trigger.i <= 3 and org.lower_ in _CURRENCY_COUNTRIES:
                return False  # "2 000 000 dollars des États-Unis": the currency's name
            return bool(cases & (_FR_FROM - {"par"})) and org.text[:1].isupper() and org.lower_ not in _CURRENCY
        if relation == "source" and self.language == "fr":
            if not {c.lower_ for c in org.children if c.dep_ in ("case", "fixed")} & _FR_SOURCE:
                return False
            # "aucune information n'a été reçue de la Libye": what was received says (as in English)
            themes = [c for c in trigger.children if c.dep_ in ("obj", "nsubj:pass")]
            return not themes or any(self._money_in(t, exclude=org) for t in themes)
        if relation == "with_money":
            if frame.kind == "noun_financial" or frame.role != "funder":
                return False
            # the money has no payer of its own ("with a grant from X": X pays, read as noun_of)
            for c in trigger.children:
                if c.dep_ in ("prep", "nmod") and c.lower_ in ("from", "by", "par"):
                    return False
                if c.dep_ == "nmod" and any(g.lower_ in _FR_FROM for g in c.children if g.dep_ == "case"):
                    if c.text[:1].isupper() and c.lower_ not in _CURRENCY:
                        return False
            # French: only "avec une contribution" (not "pour une contribution")
            return self.language != "fr" or any(g.lower_ == "avec" for g in trigger.children if g.dep_ == "case")
        if relation == "thank":
            # "thanked Mozambique for its hospitality and the UAE for having borne the costs": what
            # the organisation is thanked for is the "for" phrase after it; without money there, a host
            reason = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "for" and c.i > org.i), None)
            if reason is not None:
                return self._money_in(reason, exclude=org)
            # French hangs "de leur soutien financier" under the thanked name: any money of the
            # sentence but the name's own word counts
            root = trigger.sent.root if trigger.sent is not None else trigger
            return any(self._is_money(t) for t in root.subtree if t.i != org.i)
        return True

    def _money_closes(self, verb: Token) -> bool:
        """Money among the nouns after a relative clause's verb, up to the next verb or the end of
        the sentence: "..., which covered the venue, the accommodation and the local transport."
        (the parser may hang the clause's later objects on the main verb)."""
        sent_end = verb.sent.end if verb.sent is not None else len(verb.doc)
        for t in verb.doc[verb.i + 1 : sent_end]:
            if t.pos_ in ("VERB", "AUX") or t.text in (";", ":"):
                return False
            if self._is_money(t):
                return True
        return False

    def _is_money(self, token: Token) -> bool:
        return token.lower_ in self.money or (
            any(f.kind == "noun_financial" for f in self.table.get(token.lower_, []))
            and any(c.lower_ in _FINANCIAL for c in token.children)
        )

    def _money_in(self, head: Token, *, exclude: Token) -> bool:
        """Money, costs or a gift in kind ("provided in-kind support") among the words of ``head``."""
        skip = set(t.i for t in exclude.subtree)
        # a relative clause has a verb and a giver of its own: "X met at the invitation of Y, which
        # covered the accommodation" says Y gave, not that X met anything costly (and what follows a
        # relative clause after the verb is the clause's, however the parser hangs it)
        relatives = [t for t in head.subtree if t is not head and t.dep_ in ("relcl", "acl:relcl")]
        for t in relatives:
            skip.update(u.i for u in t.subtree)
        after = min((t.i for t in relatives if t.i > head.i), default=None)
        words = [t for t in head.subtree if t.i not in skip and (after is None or t.i < after)]
        if IN_KIND.search("".join(t.text_with_ws for t in words)):
            return True
        return any(self._is_money(t) for t in words)


# the country in a currency's name ("dollars des États-Unis", "dollars de Hong Kong")
_CURRENCY_COUNTRIES = {"états-unis", "canada", "australie", "singapour", "hong", "nouvelle-zélande"}
_PLACE_CASES = {"à", "au", "en", "in", "at", "a"}


def _antecedent(pronoun: Token, head: Token) -> Token:
    """What a relative pronoun stands for. The parser hangs it on the nearest noun, which may be
    the seat or country named after the organisation: "fournis par l'EEZA, à Almería, qui en a
    assumé le transport", "Marwell Wildlife (Royaume-Uni), qui a pris à sa charge" - then it is
    the name before the seat's comma or before the brackets."""
    doc, q = pronoun.doc, pronoun.i
    if q >= 3 and doc[q - 1].text == "," and doc[q - 2].text == ")":
        opening = next((k for k in range(q - 3, max(-1, q - 12), -1) if doc[k].text == "("), None)
        # only when the parser hung the clause inside the brackets (or on nothing): "the National
        # Center for Wildlife (NCW), which" hung on "Center" is right as it is
        if opening and not (head.text[:1].isupper() and head.i < opening and head in doc[opening - 1].ancestors):
            name = doc[opening - 1]
            # up the name's own parts: "Wildlife" -> "Marwell", "Ain" (appos) -> "zoo"
            while (
                name.head.i < name.i
                and (
                    name.dep_ in ("flat:name", "flat", "appos")
                    or (  # "BirdLife Afrique", "Fondation pour la nature": one name's parts
                        name.dep_ == "nmod"
                        and name.head.text[:1].isupper()
                        and all(t.lower_ in _NAME_CONNECTORS for t in doc[name.head.i + 1 : name.i])
                    )
                )
            ):
                name = name.head
            return name
    if not any(c.dep_ == "case" and c.lower_ in _PLACE_CASES for c in head.children):
        return head
    k = head.left_edge.i - 1
    if k < 1 or head.doc[k].text != ",":
        return head
    # (the frame parser has no tagger: a name is a capitalised word that heads the phrase)
    before = [t for t in head.doc[:k] if t.right_edge.i == k - 1 and t.text[:1].isupper()]
    return min(before, key=lambda t: t.left_edge.i) if before else head


def _conjuncts(token: Token) -> list[Token]:
    """ "Switzerland and Monaco", "Panthera et le Snow Leopard Trust": every conjunct."""
    out = []
    for c in token.children:
        if c.dep_ == "conj" and not _inside_name(token, c):
            out.append(c)
            out.extend(_conjuncts(c))
    return out


def _inside_name(token: Token, conj: Token) -> bool:
    """ "the Committee for Forestry and Wildlife of the Ministry of Ecology and Natural Resources":
    the parser may take a word after an "and" inside one long name for a second giver. It is
    inside when only capitalised words and connectors, a preposition among them, lie between,
    and it is neither an acronym nor a name ending in an organisation noun."""
    between = token.doc[token.i + 1 : conj.left_edge.i]  # up to where the conjunct's own name starts
    if conj.i < token.i or not any(t.lower_ in ("of", "for", "de", "del", "du", "des") for t in between):
        return False
    if not all(t.text[:1].isupper() or t.lower_ in _NAME_CONNECTORS for t in between):
        return False
    return not (conj.is_upper or conj.lower_ in ORG_HEADS)


def name_start(token: Token) -> int:
    """Character offset where the name headed by ``token`` starts: its left edge, without
    determiners, prepositions or punctuation ("the Government of Norway" -> "Government")."""
    left = token
    # a name starts after the last comma before its head: "Au Maroc, l'Agence nationale ..." (the
    # parser hangs a fronted place on the subject)
    commas = [t.i for t in token.subtree if t.i < token.i and t.text == ","]
    # nor in a fronted place or time hung on it: "in Belarus the Royal Society ... provided"
    fronted = {u.i for c in token.children if c.dep_ == "prep" and c.i < token.i for u in c.subtree}
    for t in token.subtree:
        if (commas and t.i <= commas[-1]) or t.i in fronted:
            continue
        if t.i >= token.i:
            break
        if t.dep_ in ("det", "case", "punct", "poss", "nummod", "amod", "advmod", "cc") and not t.text[:1].isupper():
            continue
        if t.dep_ in ("det", "case", "punct", "cc"):
            continue
        left = t
        break
    return left.idx


def is_vehicle(token: Token) -> bool:
    return token.lower_ in _VEHICLES


def owner_of(token: Token) -> Token | None:
    """ "le projet CAMCA de l'IKI": the capitalised nominal after "of/de" that owns a project."""
    for c in token.children:
        if c.dep_ == "nmod" and c.text[:1].isupper():
            return c
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj" and g.text[:1].isupper():
                    return g
    return None


def is_pronoun(token: Token) -> bool:
    return token.lower_ in _PRONOUNS
