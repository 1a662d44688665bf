"""Funders: organisations and governments in a FUNDING role only.

A role-cue grammar. A SpanRuler (cues.py, patterns/funding_cues*.jsonl) marks three kinds of cue:
  FUND_RIGHT  "funded by", "with financial support from", "commissioned by" ... - funders follow
  FUND_LEFT   active voice "BfN commissioned a study", "X, which provides financial support"
  OTHER_ROLE  "hosted by", "organized by", "in cooperation with", "with logistical support from"
              - never funding; they end a funder list.
After a FUND_RIGHT cue the component reads a list of organisations ("A, B and C", "A jointly
with B", "the Governments of Germany, Switzerland and UK"). Organisations are recognised, in
order of trust, by the funder gazetteer (names and acronyms), government phrases built on
the country hits, a capitalised noun phrase, and - only if nothing else matched - the
statistical NER of the English model on that one sentence.

Chains: in "the CAMCA project funded by the International Climate Initiative (IKI) of the
Government of Germany" the funder is IKI - the organisation nearest a funding cue. The
project is a vehicle (attrs["via"]), the Government a parent (attrs["parent"]); neither is a
separate funder. An active commissioner pays ("BfN commissioned a study") unless the same
sentence says explicitly who funded it ("... commissioned an extension with funding from
BMUV"), in which case only the named funders are funders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from ..currencies import CODES, CURRENCY_WORDS
from ..months import month_number
from ..text import fold, phrase_patterns, squash
from .frames import BODY_HEADS_FR_ES as _BODY_HEADS_FR_ES
from .frames import COSTS as _COSTS
from .frames import GIVING_WORDS as _GIVING_WORDS
from .frames import IN_KIND as _IN_KIND
from .frames import ORG_HEADS as _ORG_HEADS
from .frames import REFERENT_HEADS as _REFERENT_HEADS
from .frames import WRITING_VERBS as _WRITING_VERBS
from .frames import FrameReader, is_pronoun, is_vehicle, name_start, owner_of
from .gazetteer import country_gazetteer, funder_gazetteer, government_name
from .hits import Hit, hits_of, text_of

VERSION = 24  # bump when the behaviour changes; v24: the twentieth round's Spanish kinds - "recursos propios de", money channelled from its source ("canalizó recursos del BID"), "se financió con el X", "cofinanciamiento de", a giver, its verb and the amount ("aportó R$ 350.000"), bolivianos, reais and soles as currencies, partial and emergency funding ("financiamiento parcial del", "donaciones de emergencia del"); v23: the twentieth round's French kinds - a name read to an acronym stops at "au moyen de", any adjective after a French/Spanish descriptor ("la société hôtelière X"), "doté de N par", a period before the agent ("financée de janvier 2023 à juin 2025 par"), givers and their amounts after colons ("Allemagne (BMUV) : 168 000 euros ;"), promised payments in the future and conditional ("verserait", "reconduirait son soutien"), interpretation paid, "mise en œuvre :" and "appui scientifique :" labels in cells; v22: kinds of blind round 20 - funding cells name gifts ("Pingers donated by", "Travel:"), doers ("run by", "investigated by") and partners ("with X") apart from givers; a ranking opened by "among donors" / "parmi les bailleurs" / "entre los donantes", its list the subject of the verb after it; a possessive country, a descriptor, then the name ("Norway's development agency Norad"); a fronted place hung on the subject is no part of its name; Norad in the gazetteer; v21: a relative possessive on the giver's contribution (", whose contribution", ", dont la contribution", ", cuya contribución"); v20: kinds of blind round 19 - one's own budget or funds after any verb ("from its own budget", "sur son budget"), a budget met by its payer, a control verb whose giving verb is a conjunct ("continue to host and fund"), a company's seat after its legal form ("Ltd of Townsville"), paying staff ("rémunère"), money topped up ("a complété l'enveloppe"), staff put "à la disposition de", "organisation non gouvernementale X", shares between the givers of a list ("35 % par A, 22 % par B"), a capital "À" and the Range States as a whole open no name, a bare "Gouvernement", Spanish "aportación", "en su totalidad por", contributions renewed or extended ("renovó ... su aporte", "prolongara la financiación"), staff and rangers handed over ("facilitó guardaparques", "asignó dos técnicos"), the subject's seat between commas, a colon list after "aportantes"; v19: Spanish kinds of blind rounds 17 and 18 - a clitic and a share or an adverb before the postposed payer ("lo costean a partes iguales A y B"), work done free of charge ("los realizaron gratuitamente A y B", "realizados sin costo por"), costs fronted and reprised ("Sus honorarios los asumió X"), gifts in kind after a clitic or handed over ("les proporcionó binoculares", "facilitó el transporte"), "aportes en especie de", one's own budget ("con cargo a su presupuesto"), "anunció un aporte", "renovará su aporte", "solventar", a share before "por", companies' legal forms ("S.A."), an acronym then its country ("la OFMA de Suiza"), a name ending in its country read back whole ("Fundación Vida Silvestre Argentina"), "y el"/"et la" opens the next name, a seat in brackets is no acronym, kinds of money in cells ("Presupuestos"), "anfitrión:" labels; v18: a fronted participle with its agent ("Financé depuis l'origine par X, il ..."), an amount's giver after the amount in French ("un appui de 45 000 euros de l'OFB"), one's own means whatever the verb ("at its own expense", "sur ses fonds propres"), a fronted place is no part of the subject ("Au Maroc, l'ANEF"), a relative pronoun after a seat or a bracketed country refers to the name before it, "par route" is no channel, costs covered "à parts égales" / "intégralement" by, gifts behind an elided article ("l'hébergement"), offered/assumed/devoted gifts, a promise with an adverb inside it ("s'est en outre engagé"), information received is no money, money received as the parse's agent, the work funded ("l'Action concertée") and possessives and counts ("Son", "Quatorze") open no name, "sans frontières" names, "made available by", paying whatever is paid for, shares and arrears paid, settled or cleared ("s'acquitter", "régler", "apurer"), support renewed ("reconduit"), the owner before "dans le cadre du programme", a new name after ", la Fondation", the subjects of a new clause after a bare comma, a seat after a comma, "The Peregrine Fund"; v17: the progressive ("IKI is financing"), a giver that "continued to provide" or "agreed to fund" (control verbs), "announced" with an amount, a ranking of donors "followed by A, B and C", "at its own expense" and own funds as the giver's money, "by far" opens no agent, a body's head word after an article refers back ("the Ministry also paid"); v16: staff seconded or their time contributed, costs "shared between", "the largest share came from", "added" and "confirmed" with money, a giver's own programme after its possessive ("the European Union's LIFE Programme"), an acronym that spells only the name after an "and" ends the list item before it, a promise to cover costs with a clitic ("s'est engagé à en couvrir les frais"), "correr con" the costs, "aportes de" with an amount, a thanks' reason ends at the next dative group (", y a todos los donantes su apoyo"), agents made available in kind, pounds and pesos as currency words; v15: Champions of the Champion Programme ("was named Champion", "became a Champion", ", a Champion Extraordinaire,", "renewed its support as Champion"), "committed" with an amount, no giver in "received by", a relative clause's gifts kept from the main verb, staff "made available", amount bullets after a list opened by giving ("• the Swedish EPA, SEK 500,000"), a promise across a date ("s'est engagé le 14 novembre 2025 à verser") or behind its reflexive ("se ha comprometido a destinar"), "ainsi que, pour leurs subventions, à X", kinds of giver with bracketed members ("les fondations (A, B) en ont apporté"), "y por X" after a relative clause, Spanish clitics ("le cedió", "les proporcionó alojamiento la X"), "fondos propios de", a second verb sharing its clause's subject after "y"/"et"/"and", "por intermedio de", "Under the X Programme" opens no subject list; v14: thanks lists read giver by giver, each with its own reason ("thanks A for hosting, B for funding the study"; "agradecen al Gobierno de X su contribución, a la UE el apoyo"), "grateful to"; a giver thanked only for hosting or a text is no funder, the list going on after ";" and a dative; "corrió a cargo de" only after costs; givers in French/Spanish relative clauses on a gift ("que el Gobierno de Suiza aportó", "qu'a prêté la Marine nationale"); subjects after the verb resumed after an amount ("Lo financian A, con N USD, y B"); "anunció que financiará"; a government's own body named as its channel ("a través de su Ministerio ..."), a promise made through a channel, long appositions naming a parent; French/Spanish names in sentence case read back from their verb to a body head word, and a parsed subject's lower-case modifiers ("la Marine nationale"); a descriptor with its adjective after the noun ("el ministerio canadiense X"); sentence adverbs and "Lo" open no name; English: a time phrase before the agent, "totalling ... from", support "in kind", a list ending at the next clause, from-lists, a government's own agency in frames; "le Gouvernement princier"; a named programme before its owner ("el programa EUROCLIMA de la UE") pays too; French: a passive's agent ends a name read to an acronym, lower-case ministries, the principal donor, approved grants, a currency's country, in-kind thanks, colon lists of payers, arrears paid, amount bullets; v13: a passive's agent list resumed after an aside (", and by" / ", et par" / ", y por"), any -ly/-ment/-mente adverb before the agent, "financé à hauteur de ... par", boats, crews and lent vessels as gifts in kind (French, Spanish "prestó dos lanchas"), Spanish money "concedida por", "corrieron a cargo de", "N euros del X", "los donantes fueron A, B y C", costs "shared by", "the largest coming from", a salary paid, a "Support received" column; v12: "<gift> supplied/lent by", "at the expense of", "concours financier", a state's gift or budget named by its adjective ("la contribution monégasque") or "the national budget of X", a second verb sharing the subject, amounts "from" a giver in bullets, ministries listing portfolios with commas, own funds ("sur fonds propres"), appositions before the verb, thanks resumed after "ainsi qu'à", labelled roles in cells, head-word back-references (document level), camel-case acronyms before a stop; v11: "free of charge" and "gracieusement" are gifts in kind, "<equipment> lent by", a seat after "in" ends a name ("OTOP in Warsaw"), "Se"/"En" open no name, ", y la" ends a name read up to an acronym; v10: a funding window and its owner both ("the LIFE Programme of the European Union", "Programme de microfinancements du FEM"), "and" after an acronym ends a name ("REN and Red Eléctrica"), a frame subject inside a foreign name ("the Office National de l'Électricité ... (ONEE) supplied"), names behind an elided article ("l'Eau"), a name with its acronym is an organisation in a frame; v9: "contributions came from", "funding under", "with funds of", the Governments of A, B and C, a descriptor before the giver's name, "offert par", "mis gracieusement à disposition", "a par ailleurs versé", a government with an adjective before "de <country>"; v8: frames read in English sentences whose first funder the cue grammar read (not in table rows, never over its names), no payer in "the funding of X", in help received, in a post ("Officer") or in a frame word inside a name; a promise to give ("se ha comprometido a aportar"); amounts "proceden de" a giver; "con recursos de"; a state by title and adjective ("la Confédération suisse"); a fronted place is no co-subject; v7: thanks hung under the name (French), amounts "de"/"del" a giver, becas, in-kind and "se hace cargo" cues, relative clauses before the verb, bodies before "du <country>", French/Spanish names in lower case back to their head, names going on after an acronym, other bodies' secretariats, plural possessives, adjective governments' possessives, grants named after their giver; v6: in-kind cells and frames, "meet the costs", amounts "from" a giver, a thanked host, programme phrases inside lists, initials, seats after "in", the EU kept as the European Union; v5: names closed by the acronym their initials spell ("... Fund Management and Planning Authority (CAMPA)"), French/Spanish bodies with an English acronym or a two-word short form; v4: names read whole up to their acronym (sentence case, commas), possessive countries, repeated prepositions, in-kind cells, more cue kinds
NAME = f"cami_funders_v{VERSION}"  # the registered factory (spaCy forbids "." in factory names, E853)
EXTRACTOR = f"funder.v{VERSION}"  # stored with each mention
CUES_KEY = "cami_funding_cues"
# A French/Spanish organisation name before its acronym ("Ministère fédéral allemand de
# l'environnement, de la protection de la nature, de la sûreté nucléaire et de la protection
# des consommateurs (BMUV)" is 26 tokens): measured on the French CAMI3 paper.
MAX_LOCAL_NAME_TOKENS = 40
# ", through BfN INA," between a payer and its verb: the channel's words (the longest in the
# corpus, ", a través de la BfN INA,", is 6 tokens)
MAX_CHANNEL_TOKENS = 12
# "a través de su Ministerio de Agricultura, Pesca, Seguridad Alimentaria y Naturaleza (LVVN)": 16
MAX_CHANNEL_NAME_TOKENS = 24
MAX_CLAUSE_TOKENS = 40  # how far back a second verb looks for the subject it shares
CUE_REACH_CHARS = 40  # a cue this near a funder it read (either side) is that funder's
# "Programa de Pequeñas Donaciones del FMAM": a programme's own words before "of <owner>"
MAX_OWNED_NAME_TOKENS = 8
# "(240 000 EUR au titre du PESCAO)": an amount in brackets after a donor, skipped in a list
MAX_AMOUNT_TOKENS = 12
_CHANNEL_OPENERS = (
    "through",
    "via",
    "a través",
    "par l'intermédiaire",
    "par le biais",
    "par l'entremise",
    "por medio",
    "por conducto",
    "por intermedio",
    "por mediación",
)

# French and Spanish function words sit in the same sets: they do not occur as English words
# in an English funder list, and one grammar reads the three languages' lists.
_ARTICLES = {"the", "its", "a", "an", "their", "generous"} | {
    "le", "la", "les", "l'", "un", "une", "son", "sa", "ses", "leur", "leurs",
    "el", "los", "las", "una", "su", "sus", "del", "du", "des",
}  # fmt: skip
_SENTENCE_ARTICLES = {"The", "A", "An", "Le", "La", "Les", "L'", "Un", "Une", "El", "Los", "Las", "Una"}
_GOVERNMENT = {"government", "governments", "gouvernement", "gouvernements", "gobierno", "gobiernos"}
_OF = {"of", "de", "du", "d'", "del", "des"}
_STATE_WORDS = {"Estado", "État", "State"}  # capitalised: "el Estado de Chile", not "los Estados del área"
# a state named by its title and its adjective: "la Confédération suisse", "la República Argentina"
_STATE_TITLES = {"confédération", "république", "royaume", "confederación", "república", "reino"}
_CONNECT = {
    "of",
    "for",
    "the",
    "and",
    "&",
    "on",
    "in",
    "de",
    "für",
    "fur",
    "du",
    "la",
    "to",
    "bin",
    "al",
    "von",
    "van",
    "der",
    "des",
    "le",
    "di",
    "da",
    "pour",
    "et",
    "d'",
    "l'",
    "d’",
    "l’",
    "y",
    "del",
    "para",
    "el",
    "los",
    "las",
    "en",
    # Portuguese, for Brazilian names in Spanish papers ("Fundação ... de Proteção à Natureza")
    "à",
    "do",
    "dos",
    "das",
}
_VEHICLES = {"project", "projects", "programme", "programmes", "program", "grant", "initiative"} | {
    "projet", "projets", "proyecto", "proyectos", "programa", "programas",
}  # fmt: skip
# a programme named right after a funding cue is a funding instrument, not a project vehicle
_INSTRUMENTS = {"programme", "programmes", "program", "initiative", "programa"}
# what a thanks must name after its list to thank a giver ("pour leur appui financier")
_FINANCIAL_WORDS = {"financial", "financially", "financier", "financière", "financiers", "financières",
                    "financiero", "financiera", "contribution", "contributions", "contribución",
                    "contribuciones", "funding", "financement", "financiación", "donation", "don", "donación"}  # fmt: skip
_PROGRAMME_WORDS = {"programme", "program", "initiative", "facility", "fund"}  # a funding programme's name ends so
_PASSIVE_AUX = {"was", "were", "been", "be", "being", "is", "are", "had", "has", "have", "get", "got"} | {
    "été", "est", "sont", "était", "fue", "fueron", "sido", "es", "son", "era",
}  # fmt: skip
# "the contribution of X ...; for that of Y": a second giver of the same money noun
_ELLIPSIS = re.compile(r"\b(?:that|those) of [A-Z]")
# before a name fronted ahead of the subject, these make it a place or a circumstance
_PLACE_PREPOSITIONS = {"in", "at", "on", "en", "dans", "à", "au", "aux", "sur", "para", "desde", "hacia"}
# a promise before the giving verb: "X has committed to provide", "X s'est engagé à verser"
_PROMISE_TO = (
    ("se", "ha", "comprometido", "a"), ("se", "han", "comprometido", "a"), ("se", "comprometió", "a"),
    ("se", "comprometieron", "a"), ("s'", "est", "engagé", "à"), ("s'", "est", "engagée", "à"),
    ("s'", "engage", "à"), ("s'", "sont", "engagés", "à"), ("has", "committed", "to"), ("have", "committed", "to"),
    ("committed", "to"), ("has", "agreed", "to"), ("agreed", "to"), ("has", "offered", "to"), ("offered", "to"),
    ("has", "pledged", "to"), ("pledged", "to"), ("a", "accepté", "de"), ("ont", "accepté", "de"),
    ("aceptó",), ("acordó",),
)  # fmt: skip
# auxiliaries of an active past ("X a financé", "X ha financiado"): skipped back to the subject
_ACTIVE_AUX = {"a", "ont", "avait", "avaient", "ayant", "ha", "han", "había", "habían", "habiendo"}
# how money reached a channel: "une contribution de la Suisse, versée par l'intermédiaire de l'OFEV"
_PAID_PARTICIPLES = {"versée", "versé", "versées", "versés", "paid", "channelled", "canalizada", "canalizado",
                     "transférée", "transféré", "transferida", "transferido", "entregada", "entregado",
                     "aportada", "aportado", "aportadas", "aportados"}  # fmt: skip
# a short aside between a subject and its verb: "Le ministère ... a, pour sa part, mis à disposition"
_ASIDES = ("pour sa part", "pour leur part", "de son côté", "quant à lui", "quant à elle", "por su parte",
           "for its part", "in turn", "en outre", "además", "también", "par ailleurs", "asimismo")  # fmt: skip
_SEPARATORS = (
    (",", "and"),
    (",",),
    ("and",),
    ("&",),
    ("as", "well", "as"),
    ("jointly", "with"),
    ("together", "with"),
    ("along", "with"),
    ("plus",),
    (",", "et"),
    ("et",),
    (",", "y"),
    ("y",),
    ("ainsi", "que"),
    ("así", "como"),
    ("conjointement", "avec"),
    ("junto", "con"),
)
# thanks that list givers, each with what it is thanked for ("thanks A for its contribution, B for
# its support and C for funding the study", "agradecen al Gobierno de X su contribución ..., a la UE
# el apoyo ..."): a giver thanked for money or a gift in kind is a funder
_THANKS = {"thank", "thanks", "thanked", "thanking", "grateful", "gratitude", "appreciation",
           "remercie", "remercient", "remercié", "remerciés", "remercier", "remerciant", "remerciements",
           "reconnaissant", "reconnaissants", "reconnaissance",
           "agradece", "agradecen", "agradeció", "agradecieron", "agradecer", "agradeciendo", "agradecimiento",
           "agradecimientos", "reconocimiento", "agradecido", "agradecida", "agradecidos", "gratitud"}  # fmt: skip
_THANKS_OPENERS = {"to", "à", "au", "aux", "a", "al", "also", "especially", "particularly", "notamment",
                   "particulièrement", "especialmente", "sincèrement", "vivement", "sinceramente"}  # fmt: skip
# a reason that names a text, not money: "thanks X for its contribution to the report"
_TEXT_INPUTS = {"report", "reports", "document", "draft", "comments", "text", "review", "rapport", "rapports",
                "commentaires", "texte", "informe", "informes", "documento", "comentarios", "texto", "list",
                "lists", "information", "data", "liste", "listes", "lista", "listas", "données", "datos",
                "información", "informations"}  # fmt: skip
_RELATIVES = {"which", "who", "that", "qui", "que", "dont", "quien", "cual"}
# Spanish gift words that are English words of another sense ("his personal assistant")
_NOT_ENGLISH_GIFTS = {"personal"}
# a reason ends where a new predicate starts ("thanked Kenya for its hospitality and announced a contribution")
_REASON_GOES_ON = {"for", "pour", "por", "de", "du", "des", "d'", "its", "their", "his", "her", "son", "sa", "ses",
                   "leur", "leurs", "su", "sus", "to", "à", "au", "aux", "a", "al", "in", "en", "of", "del",
                   "having", "avoir", "haber", "le", "la", "les", "l'", "el", "los", "las", "the"}  # fmt: skip
# cues after which the givers are the verb's subjects, put after it ("lo financian A y B")
_SUBJECT_AFTER_VERB = {"es-clitic-verb-subject", "es-verbo-sujeto-pospuesto"}
# giving verbs of a relative clause on a gift ("que el Gobierno de Suiza aportó", "qu'a prêtée la Marine")
_RELATIVE_GIVING_VERBS = {
    "aportó", "aporta", "aportan", "aportaron", "aportará", "facilitó", "facilita", "facilitan", "facilitaron",
    "cedió", "cede", "ceden", "cedieron", "prestó", "presta", "prestan", "prestaron", "donó", "dona", "donan",
    "donaron", "proporcionó", "proporciona", "proporcionan", "proporcionaron", "financió", "financia", "financian",
    "financiaron", "costeó", "costea", "costearon", "sufragó", "sufraga", "sufragaron", "pagó", "paga", "pagan",
    "pagaron", "otorgó", "otorga", "concedió", "concede", "entregó", "entrega", "aportado", "donado", "cedido",
    "prestado", "concedido", "otorgado", "financiado", "pagado",
    "versé", "versée", "versés", "versées", "verse", "versent", "accordé", "accordée", "accordés", "accordées",
    "accorde", "apporté", "apportée", "apportés", "apportées", "apporte", "offert", "offerte", "offerts",
    "offertes", "prêté", "prêtée", "prêtés", "prêtées", "prête", "fourni", "fournie", "fournis", "fournies",
    "fournit", "financé", "financée", "financés", "financées", "finance", "financent", "mis", "mise",
}  # fmt: skip
_RELATIVE_AUX = {"ha", "han", "había", "habían", "a", "ont", "avait", "avaient"}
# left cues that hold their object ("réglé ... leur contribution"): a "par" after the verb is no agent
_OBJECT_CUES = {"fr-a-regle-sa-contribution", "es-pago-su-contribucion", "paid-its-contribution",
                "fr-a-approuve-une-subvention", "es-aprobo-una-subvencion", "approved-grant"}  # fmt: skip
# kinds of giver whose members a bracket names: "les fondations (Fondation Segré, ...) ont apporté"
_GIVER_KINDS = {"foundations", "fondations", "fundaciones", "ngos", "ong", "ongs", "organisations", "organizations",
                "organizaciones", "donors", "donateurs", "donantes", "companies", "entreprises", "empresas",
                "agencies", "agences", "agencias", "governments", "gouvernements", "gobiernos", "funds", "fonds",
                "fondos", "trusts"}  # fmt: skip
_BRACKET_GIVING_VERBS = {"apporté", "fourni", "contribué", "financé", "versé", "provided", "contributed", "funded",
                         "gave", "donated", "aportaron", "aportado", "financiaron", "contribuyeron", "donaron",
                         "aportó", "financió"}  # fmt: skip
# words after a name that show it is no clause's subject ("la Fundación X de ...", "X y Z")
_CLAUSE_FUNCTION_WORDS = {"de", "del", "des", "du", "d'", "of", "y", "e", "et", "and", "en", "in", "para", "pour", "for",
                          "con", "avec", "with", "por", "par", "by", "a", "à", "al", "au", "aux", "to", "que", "qui",
                          "which", "who", "la", "el", "le", "los", "las", "les", "the", "sur", "on", "sobre"}  # fmt: skip
# a programme a sentence opens with is its frame, not a giver: "Under the Champion Programme, Italy became"
_FRAME_PREPOSITIONS = {"under", "within", "sous", "bajo"}
_CURRENCY_SIGNS = {"€", "$", "£", "¥"}  # "€30,000" is one token
_GIFT_NOUNS = {"grant", "contribution", "donation", "subvention", "don", "subvención", "donación", "contribución"}
_BULLETS = {"•", "▪", "◦", "\uf0b7"}  # a list item's mark inside a block ("• Norvège : 1 000 000 NOK")
_DATIVES = {"to", "à", "au", "aux", "a", "al"}  # the thanked one's preposition: a list goes on after ";"
MAX_THANKS_GAP = 6  # tokens between a separator and the giver it opens ("and, in particular, to the")

# bodies of a state: after a nationality adjective ("the Ecuadorian Ministry of ...")
_STATE_BODIES = {"ministry", "department"}  # not "agency": "Swedish Agency for ..." is a name
# a funding cell that gives help in kind names no payer
# "des contributions volontaires d'un montant total de 1 284 500 EUR, provenant de X": the
# money noun sits up to this many tokens before "provenant de" (12 in that sentence)
MAX_SOURCE_GAP = 16
_MONEY_NOUNS = {
    "contribution", "contributions", "fonds", "financement", "financements", "ressources", "dons", "subventions",
    "contribución", "contribuciones", "fondos", "recursos", "donaciones", "aportes", "financiación",
}  # fmt: skip
# gifts of money a state's adjective may qualify ("the Swiss contribution", "la contribution monégasque")
_ADJECTIVE_GIFT_NOUNS = {"contribution", "contributions", "grant", "grants", "donation", "donations", "funding",
                         "funds", "pledge", "subvention", "subventions", "don", "dons", "fonds", "financement",
                         "aporte", "aportes", "contribución", "contribuciones", "donación", "donaciones",
                         "subvención", "financiación", "fondos", "budget", "presupuesto"}  # fmt: skip
_BUDGET_QUALIFIERS = {"national", "nacional", "state", "federal", "fédéral", "public", "público", "publics"}
# words that open a complement, not an apposition describing the subject
_APPOSITION_NOT = {"pour", "for", "with", "avec", "con", "por", "par", "by", "de", "du", "des", "in", "en", "dans",
                   "à", "au", "aux", "a", "al", "on", "sur", "at", "from", "depuis", "desde", "conjointement",
                   "jointly", "together", "junto", "qui", "which", "who", "que", "dont", "where", "où", "donde"}  # fmt: skip
# asides that give the subject's role between it and its verb
_ROLE_ASIDES = ("en su calidad", "en sa qualité", "en qualité", "en tant que", "in its capacity", "as host",
                "como anfitrión", "como país")  # fmt: skip
# capitalised adjectives of a government's title ("Gobierno Federal de Alemania", "Gouvernement royal")
_GOVERNMENT_TITLES = {"federal", "fédéral", "real", "royal", "princier", "imperial", "national", "nacional"}
# a convention's own trust fund, whose budget is no giver's
_TRUST_FUND = re.compile(r"(?:Fondo Fiduciario|Fonds d'affectation spéciale|Trust Fund)\b", re.I)
# bodies whose names list their portfolios ("Ministry of Natural Resources, Ecology and ...")
_PORTFOLIO_HEADS = {"ministry", "department", "committee"}
# organisations whose business is giving money: after "supported by" they fund
_GRANT_MAKER = re.compile(r"\b(?:Foundation|Fund|Trust|Fondation|Fonds|Fundación|Fondo)\b")
_REPEATED_PREPOSITIONS = {
    "by",
    "from",
    "par",
    "por",
    "de",
    "d'",
    "à",
    "au",
    "aux",
    "a",
    "al",
}  # "à l'UE, au Gouvernement de Monaco"
_ADVERBS = {
    "outre",  # "a en outre fourni" (the "en" before it is skipped with it)
    "ailleurs",  # "a par ailleurs versé" (the "par" before it is skipped with it)
    "gracieusement",
    "gratuitement",
    "gratuitamente",
    "également",
    "aussi",
    "entièrement",
    "intégralement",
    "largement",
    "además",
    "también",
    "asimismo",
    "íntegramente",
    "totalmente",
    "jointly",
    "also",
    "then",
    "therefore",
    "subsequently",
    "generously",
    "kindly",
    "further",
    "again",
    "together",
    "later",
    "already",
    "recently",
    "additionally",
    # a verb of going on before the giving one ("seguirán destinando guardaparques")
    "seguirán",
    "seguirá",
    "continuarán",
    "continuará",
}
# "del presupuesto de la CONAF": the owner of a budget pays, when it is named (patterns/funding_cues_*.jsonl)
_BUDGET_CUES = {"es-presupuesto-de", "fr-budget-de"}
# ids in patterns/funding_cues*.jsonl: "Funding: A; B", "Ont versé leur contribution : A, B et C"
_LABEL_CUES = {
    "label-colon", "source-of-funding-colon", "paid-contributions-label-colon", "fr-ont-verse-label-colon",
    "es-han-abonado-label-colon", "fr-verse-contributions-label-colon", "es-aportado-contribuciones-label-colon",
}  # fmt: skip
# in a table's funding cell: words between organisations, and cells that state no payer
_CELL_SKIP = {"via", "through", "and", "with", "by", "from", "the", "of", "plus", "also", "co", "-"} | {
    "et", "y", "du", "de", "des", "la", "le", "l'", "el", "del", "par", "por", "con", "avec", "los", "las",
}  # fmt: skip
# a role word before "by" in a funding cell: the organisation after it is no giver
_CELL_OTHER_ROLES = {"hosted", "organised", "organized", "implemented", "led", "coordinated", "executed",
                     "accueilli", "accueillie", "organisé", "organisée", "mis", "coordonné", "coordonnée",
                     "acogido", "acogida", "organizado", "organizada", "ejecutado", "ejecutada", "coordinado",
                     # "run by DINARA", "carried out by Noé", "incidents investigated by EWT": doers, not givers
                     "run", "out", "investigated", "conducted", "managed", "supervised", "done", "performed",
                     "réalisé", "réalisée", "réalisés", "conduit", "conduite", "exécuté", "exécutée", "assuré",
                     "realizado", "realizada", "realizados", "llevado", "llevada", "conducido", "dirigido"}  # fmt: skip
_SEAT_PREPS = {"of", "in", "at", "de", "du", "en", "à"}
# a local government named by its place ("la commune de Fès", "el ayuntamiento de Cusco")
_LOCAL_BODIES = {"commune", "municipalité", "mairie", "ville", "région", "province", "municipio", "ayuntamiento",
                 "municipalidad", "gobernación", "prefectura", "alcaldía", "intendencia"}  # fmt: skip
# gifts that open a funding cell's item ("Pingers donated by IFAW", "Cameras from Panthera")
_CELL_GIFT_WORDS = {"pingers", "pinger", "cameras", "camera", "travel", "flights", "tickets", "fuel", "boats",
                    "vehicles", "equipment", "aircraft", "drones", "collars", "transmitters", "tags", "staff",
                    "billets", "balises", "véhicules", "pasajes", "combustible", "vehículos"}  # fmt: skip
# a role named before a colon in a funding cell ("organización: CONAF", "host: ...")
_CELL_ROLE_LABELS = {"host", "hosts", "venue", "organiser", "organizer", "organisation", "organization",
                     "implementation", "implementer", "partner", "partners", "sede", "organización", "ejecución",
                     "socio", "socios", "accueil", "hôte", "partenaire", "partenaires", "lieu", "anfitrión",
                     "anfitriona", "anfitriones", "organisateur", "organizador", "organizadora",
                     # "mise en œuvre : CEM", "appui scientifique : Université d'Exeter"
                     "œuvre", "oeuvre", "scientifique", "technique", "científico", "técnico", "scientific",
                     "technical"}  # fmt: skip
# a noun of giving before the giver's name in a cell ("Patrocinio de X", "Sponsorship of X")
_CELL_SPONSORSHIP = {"patrocinio", "sponsorship", "parrainage", "mécénat", "aporte", "contribution", "contribución",
                     "donation", "donación", "don", "grant", "subvención", "subvention"}  # fmt: skip
_CELL_PAYING_VERBS = {"commissioned", "funded", "financed", "paid", "sponsored", "donated", "granted",
                      "financé", "financée", "payé", "financiado", "financiada", "pagado"}  # fmt: skip
_CELL_STATUS = {
    "TBD",
    "TBC",
    "NA",
    "None",
    "Pending",
    "Unknown",
    "Secured",
    "Confirmed",
    "Not",
    "Yes",
    "No",
    "Own",
    "Various",
    "Private",
    "National",
    "Other",
    "Others",
    "Internal",
    "External",
    "Core",
    "Regular",
    "Voluntary",
    "Governments",
    "Budget",
    "Funds",
    "Funding",
    "Ongoing",
    "Completed",
    "Planned",
    "Partial",
    "Partly",
    "Several",
    "Multiple",
    "Donors",
    "Donor",
    "Total",
    "Sources",
    # a prospect, not a giver ("Proposition soumise au FEM", "Proposal to GEF")
    "Proposition",
    "Proposal",
    "Propuesta",
    "Solicitud",
    "Request",
    "Demande",
}
_CURRENCIES = CURRENCY_WORDS
_NOT_ORG_HEADS = {
    "The",
    "This",
    "These",
    "In",
    "At",
    "On",
    "For",
    # a fronted time phrase ("Since COP14, A, B and C have settled their arrears")
    "Since",
    "After",
    "Before",
    "During",
    "Until",
    "Depuis",
    "Après",
    "Avant",
    "Pendant",
    "Desde",
    "Tras",
    "Durante",
    "A",
    "An",
    "It",
    "Its",
    "Annex",
    "Party",
    "Parties",
    "Meeting",
    "Range",
    "States",
    "Signatories",
    "Champion",  # the Migratory Species Champion Programme's title for a donor, no name
    "Champions",
    "US",
    "MdE",
    "MOU",
    "MoU",
    "Memorandum",
    "Memorando",  # the instrument the paper reports on, no giver
    # a possessive before a name opens no name of its own ("Son Ministère de l'Agriculture met ...")
    "Son",
    "Sa",
    "Ses",
    "Leur",
    "Leurs",
    "Su",
    "Sus",
    "Their",
    # a count opening a sentence ("Quatorze Signataires ont versé"): no name
    *[
        "Deux",
        "Trois",
        "Quatre",
        "Cinq",
        "Six",
        "Sept",
        "Huit",
        "Neuf",
        "Dix",
        "Onze",
        "Douze",
        "Treize",
        "Quatorze",
        "Quinze",
        "Seize",
        "Vingt",
    ],
    *[
        "Dos",
        "Tres",
        "Cuatro",
        "Cinco",
        "Seis",
        "Siete",
        "Ocho",
        "Nueve",
        "Diez",
        "Once",
        "Doce",
        "Trece",
        "Catorce",
        "Quince",
        "Veinte",
    ],
    *[
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "Eleven",
        "Twelve",
        "Thirteen",
        "Fourteen",
        "Fifteen",
        "Twenty",
    ],
    # a kind of money or of work in a funding cell, no giver ("Presupuestos nacionales; WCS",
    # "Análisis gratuitos del SAG")
    "Presupuesto",
    "Presupuestos",
    "Análisis",
    # the work funded, never its giver ("le déficit de financement de l'Action concertée")
    "Action",
    "Actions",
    # sentence adverbs that open a French or Spanish sentence ("Además, el Gobierno alemán cofinancia")
    "Además",
    "Asimismo",
    "También",
    "Igualmente",
    "Finalmente",
    "Posteriormente",
    "Paralelamente",
    "Ainsi",
    "Enfin",
    "Également",
    "Parallèlement",
    "Ensuite",
    "Cependant",
    "Toutefois",
    "Entretanto",
    "Mientras",
    "Luego",
    "Después",
    "Actualmente",
    "Entre-temps",
    "Puis",
    "Désormais",
    "Actuellement",
    # a Spanish object clitic before its verb ("Lo financian la NFWF y ..."): the subject follows
    "Lo",
    # a Spanish/French sentence opened by an impersonal "Se" or a place ("En Centroamérica, ...")
    "Se",
    "En",
    "États",  # "14 % par les États de l'aire de répartition": the Range States as a whole
    "Estados",
    "Au",  # "Au Maroc, l'Agence nationale ..."
    "À",  # "À Malabo, le Gouvernement de ..."
    "Aux",
    "Dans",
    "Il",
    "Elle",
    "Ils",
    "Elles",
    "Ellos",
    "Ellas",
    "Signataires",  # the instrument's members as a whole ("cinq Signataires"), no giver's name
    "Signatarios",
    "Partes",
} | {c.upper() for c in _CURRENCIES}


@dataclass(slots=True)
class Org:
    start: int  # token offsets
    end: int
    canonical: str
    source: str  # "gazetteer" | "government" | "np" | "ner"
    attrs: dict[str, str] = field(default_factory=dict)


@Language.factory(
    NAME,
    assigns=["doc._.cami_hits"],
    requires=["doc._.cami_hits", "doc.spans"],
    default_config={"use_ner": True, "ner_component": "ner", "parser_model": ""},
)
def make_funders(nlp: Language, name: str, use_ner: bool, ner_component: str, parser_model: str) -> FundersComponent:
    return FundersComponent(nlp, use_ner=use_ner, ner_component=ner_component, parser_model=parser_model)


class FundersComponent:
    def __init__(self, nlp: Language, *, use_ner: bool, ner_component: str, parser_model: str = ""):
        self.nlp = nlp
        # funding frames read off the dependency parse (frames.py); none without a parser model
        self.frames = FrameReader(nlp.lang or "en", parser_model) if parser_model else None
        self.lang = nlp.lang
        self.gaz = funder_gazetteer()
        self.use_ner = use_ner
        self.ner_component = ner_component
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.names.add("NAME", phrase_patterns(nlp, sorted(self.gaz.names)))
        self.country_adjectives = set(country_gazetteer(nlp.lang).adjectives)
        self.acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.acronyms.add("ACR", phrase_patterns(nlp, sorted(self.gaz.acronyms)))

    # ------------------------------------------------------------------ recognising organisations
    def _known_orgs(self, doc: Doc) -> dict[int, list[Org]]:
        """Gazetteer and government organisations, indexed by start token."""
        by_start: dict[int, list[Org]] = {}

        def add(org: Org) -> None:
            by_start.setdefault(org.start, []).append(org)

        for _, s, e in self.names(doc):
            canonical = self.gaz.names.get(fold(doc[s:e].text))
            if canonical:
                add(Org(s, e, canonical, "gazetteer"))
        for _, s, e in self.acronyms(doc):
            canonical = self.gaz.acronyms.get(doc[s:e].text)
            if canonical:
                add(Org(s, e, canonical, "gazetteer", {"acronym": doc[s:e].text}))
        countries = [
            h for h in hits_of(doc) if h.entity_type == "country" and h.attrs.get("via") not in ("city", "subdivision")
        ]
        self._adjectives: set[int] = set()
        for tok in doc:
            if tok.text in self.country_adjectives:
                self._adjectives.add(tok.i)
        for h in countries:
            span = doc.char_span(h.start, h.end, alignment_mode="expand")
            if span is None:
                continue
            if h.attrs.get("via") == "adjective":  # "German Government", "the Swiss government"
                if span.end < len(doc) and doc[span.end].lower_ in _GOVERNMENT:
                    # the country too, so that "the Australian Government's Department of ..." is possessive
                    gov = Org(
                        span.start, span.end + 1, government_name(h.canonical), "government", {"country": h.canonical}
                    )
                    add(gov)
                elif span.start > 0 and doc[span.start - 1].lower_ in _GOVERNMENT | _STATE_TITLES | {"état", "estado"}:
                    # "Gouvernement allemand", "Gobierno alemán", "la Confédération suisse": the adjective follows
                    add(Org(span.start - 1, span.end, government_name(h.canonical), "government"))
                continue
            # "le Gouvernement princier de Monaco": the government named with a lower-case
            # adjective before "de <country>"
            g = span.start - 1
            while g > 0 and doc[g].lower_ in ("le", "la", "el", "the", "of", "de", "du", "del", "d'"):
                g -= 1
            if (
                g < span.start - 1
                and g > 0
                and (doc[g].is_lower or doc[g].lower_ in _GOVERNMENT_TITLES)  # "el Gobierno Federal de Alemania"
                and doc[g - 1].lower_ in _GOVERNMENT
            ):
                add(Org(g - 1, span.end, government_name(h.canonical), "government", {"country": h.canonical}))
            # a bare country in a funder slot is its government ("funded by Germany"); "UK
            # Government" takes the noun into the span
            end = span.end + 1 if span.end < len(doc) and doc[span.end].lower_ in _GOVERNMENT else span.end
            add(Org(span.start, end, government_name(h.canonical), "government", {"country": h.canonical}))
        for i in range(len(doc) - 1):
            # Monaco's government by its title alone: "le Gouvernement princier", "the Princely Government"
            pair = (doc[i].lower_, doc[i + 1].lower_)
            if pair in (("gouvernement", "princier"), ("princely", "government")) and not (
                i + 2 < len(doc) and doc[i + 2].lower_ in ("de", "du", "of")
            ):
                add(Org(i, i + 2, government_name("MCO"), "government", {"country": "MCO"}))
        return by_start

    def _org_at(self, doc: Doc, i: int, known: dict[int, list[Org]]) -> list[Org]:
        """Organisation(s) starting at token i; several for "Governments of A, B and C"."""
        if i >= len(doc):
            return []
        tok = doc[i]
        if tok.text == "ministère" and self.lang == "fr":
            # a name up to its acronym first ("le ministère fédéral de l'Environnement, de ... (BMUKN)")
            ministry = self._named_by_acronym(doc, i, known, lower_head=True) or _french_ministry(doc, i)
            if ministry is not None:
                return [ministry]
        # "el Estado de Chile destinó": the state of a country is its government, as its government is
        if (tok.lower_ in _GOVERNMENT or tok.text in _STATE_WORDS) and i + 1 < len(doc) and doc[i + 1].lower_ in _OF:
            j = i + 2
            if j < len(doc) and doc[j].lower_ in ("the", "l'", "la", "le", "les", "el"):
                j += 1
            govs: list[Org] = []
            while j < len(doc):
                found = [o for o in known.get(j, []) if o.source == "government" and "country" in o.attrs]
                if not found:
                    break
                o = max(found, key=lambda o: o.end)
                govs.append(Org(i if not govs else o.start, o.end, o.canonical, "government", o.attrs))
                j = o.end
                j = _skip_parenthetical(doc, j)
                sep = _separator(doc, j)
                if not sep:
                    break
                j += sep
                if j < len(doc) and doc[j].lower_ in ("the", "l'", "la", "le", "les", "el"):
                    j += 1
            if govs:
                return govs
        state_budget = self._budget_of_state(doc, i, known)
        if state_budget is not None:
            return [state_budget]
        possessed = self._possessed_org(doc, i, known)
        if possessed:
            return possessed
        candidates = known.get(i, [])
        secretariat = self._secretariat_of(doc, i)
        if secretariat is not None:
            return [secretariat]
        if all(o.source == "government" for o in candidates):
            # "Japan Fund for Global Environment (JFGE)", "... Fund Management and Planning
            # Authority (CAMPA)": the acronym says where a name with a country, "and" or a comma
            # inside it ends
            spelled = self._spelled_by_acronym(doc, i, known)
            if spelled:
                return [spelled]
        if not candidates and i in self._adjectives and known.get(i + 1):
            # "the German IKI": a nationality adjective modifying a known organisation
            candidates = known[i + 1]
        if not candidates and i in self._adjectives and i + 1 < len(doc) and doc[i + 1].lower_ in _STATE_BODIES:
            # "the Ecuadorian Ministry of Environment, ...": the adjective says whose ministry;
            # the ministry's name starts after it
            inner = self._org_at(doc, i + 1, known)
            if inner:
                return inner
        if candidates and all(o.source == "government" for o in candidates):
            # "the Kenya Wildlife Service", "the Bangladesh Forest Department": a country opening
            # a body's name in title case is that body, not the country's government
            country_end = max(o.end for o in candidates)
            np_end = _capitalised_np(doc, i)
            # where the body's name ends: a comma, its acronym, or an "and" that follows an
            # organisation noun ("Seychelles Islands Foundation and the Department"; not
            # "Seychelles Conservation and Climate Adaptation Trust")
            stop = next(
                (
                    k
                    for k in range(country_end, np_end)
                    if doc[k].text in (",", "(")
                    or (
                        doc[k].lower_ in ("and", "&")
                        and any(t.lower_ in _ORG_HEADS for t in doc[country_end:k])
                        and (k + 1 in known or any(t.lower_ in _ORG_HEADS for t in doc[k + 1 : np_end]))
                    )
                ),
                np_end,
            )
            if (
                any(doc[k].lower_ in _ORG_HEADS for k in range(country_end, stop))
                and doc[country_end].text[:1].isupper()
                and doc[country_end].lower_ not in _GOVERNMENT
            ):
                text = squash(doc[i:stop].text)
                return [Org(i, stop, text, "np", {"surface": text})]
        if candidates and self.lang != "en" and any(o.source == "gazetteer" for o in candidates):
            # "le ministère fédéral de l'Environnement, de l'Action climatique, ... (BMUKN)": a known
            # short name that goes on up to the acronym of a longer known one is the longer one
            longer = self._named_by_acronym(doc, i, known, lower_head=True)
            if longer is not None and longer.source == "gazetteer" and longer.end > max(o.end for o in candidates) + 2:
                return [longer]
        if candidates:
            best = max(candidates, key=lambda o: (o.end - o.start, o.source == "gazetteer"))
            return [Org(best.start, best.end, best.canonical, best.source, dict(best.attrs))]
        if self.lang != "en":
            named = self._named_by_acronym(doc, i, known)
            if named and "via" in named.attrs and doc[i].lower_ in _INSTRUMENTS:
                # "Programme de microfinancements du FEM": a funding window pays in its own
                # name too, its owner the parent (as "the LIFE Programme of the EU" in English)
                name = squash(doc[i : named.end].text)
                return [Org(i, named.end, name, "np", {"surface": name, "parent": named.canonical}), named]
            if named:
                return [named]
        titled = self._titled_name_with_acronym(doc, i, known)
        if titled:
            return [titled]
        np_end = _capitalised_np(doc, i)
        if np_end == i + 1 and doc[i].text in self.country_adjectives:
            return []  # "Uzbek national authorities": an adjective, not an organisation
        # "Panthera and WWF Mongolia", "Panthera and Snow Leopard Trust": "and" joins two
        # names when a known one, or a name of two or more words ending in an organisation
        # noun, follows it ("Development and Cooperation" stays one name), or when an acronym
        # comes before it ("REN and Red Eléctrica": no name has an acronym before its "and")
        for k in range(i + 1, np_end - 1):
            after_acronym = _acronym_like(doc[k - 1])
            conjunction = doc[k].lower_ in ("and", "&", "y", "et", "e")
            # "la Fundación Biodiversidad y al Gobierno de Francia": a repeated preposition opens the next name
            repeated = conjunction and doc[k + 1].lower_ in ("al", "au", "aux", "à", "a")
            if repeated or (
                (doc[k].lower_ in ("and", "&") or (after_acronym and doc[k].lower_ in ("y", "et", "e")))
                and (
                    known.get(k + 1)
                    or (np_end - (k + 1) >= 2 and doc[np_end - 1].lower_ in _ORG_HEADS)
                    or after_acronym
                )
            ):
                np_end = k
                break
        if np_end > i and np_end + 3 < len(doc) and doc[np_end].text == "(" and doc[np_end + 2].text == ")":
            # "the Oriental Bird Club (OBC) Conservation Fund": the name goes on after the acronym
            # of its first part, when what follows is capitalised and ends in an organisation noun
            more = _capitalised_np(doc, np_end + 3)
            if more > np_end + 3 and doc[more - 1].lower_ in _ORG_HEADS:
                text = squash(f"{doc[i:np_end].text} {doc[np_end + 3 : more].text}")
                return [Org(i, more, text, "np", {"surface": text})]
        np_end = self._portfolio_end(doc, i, np_end, known)
        if np_end > i:
            text = squash(doc[i:np_end].text)
            return [Org(i, np_end, text, "np", {"surface": text})]
        return []

    def _portfolio_end(self, doc: Doc, i: int, np_end: int, known) -> int:
        """Where a ministry's name ends that lists its portfolios with commas ("Ministry of
        Natural Resources, Ecology and Technical Supervision of the Kyrgyz Republic"): the list
        goes on over capitalised words that name no body, country or acronym, and it must close
        with "and"; otherwise the comma ends the name ("the Ministry of Environment, Norway and
        Sweden")."""
        if doc[i].lower_ not in _PORTFOLIO_HEADS or np_end >= len(doc) or doc[np_end].text != ",":
            return np_end
        j = np_end
        while j < len(doc) and doc[j].text == ",":
            k = j + 1 + (j + 1 < len(doc) and doc[j + 1].lower_ == "and")
            end = _capitalised_np(doc, k) if k < len(doc) else k
            words = doc[k:end]
            of = next((t.i for t in words if t.lower_ in _OF), end)  # "... and Agriculture of Saudi Arabia"
            words = doc[k:of]
            if (
                end == k
                or known.get(k)
                or any(_is_acronym(t) or t.lower_ in _ORG_HEADS or t.text in self.country_adjectives for t in words)
            ):
                return np_end
            if doc[k - 1].lower_ == "and" or any(t.lower_ == "and" for t in words):
                return end
            j = end
        return np_end

    @staticmethod
    def _budget_of_state(doc: Doc, i: int, known) -> Org | None:
        """ "the national budget of Turkmenistan", "le budget national du Sénégal", "el presupuesto
        nacional de Chile": a state's budget is its government's money."""
        govs = [o for o in known.get(i, []) if o.source == "government" and "country" in o.attrs]
        if govs:
            # "Malta's national budget", "Kazakhstan's state budget"
            gov = max(govs, key=lambda o: o.end)
            j = gov.end
            if j + 1 < len(doc) and doc[j].text in ("'s", "’s", "'", "’"):
                j += 1 + (doc[j + 1].lower_ in _BUDGET_QUALIFIERS)
                if j < len(doc) and doc[j].lower_ in ("budget", "budgets"):
                    return Org(i, j + 1, gov.canonical, "government", {**gov.attrs, "budget": "state"})
            return None
        j = i + (i < len(doc) and doc[i].lower_ in _BUDGET_QUALIFIERS)
        if j >= len(doc) or doc[j].lower_ not in ("budget", "budgets", "presupuesto", "presupuestos"):
            return None
        j += 1
        j += j < len(doc) and doc[j].lower_ in _BUDGET_QUALIFIERS
        if j >= len(doc) or doc[j].lower_ not in _OF:
            return None
        j += 1
        j += j < len(doc) and doc[j].lower_ in ("the", "la", "le", "l'", "el")
        govs = [o for o in known.get(j, []) if o.source == "government" and "country" in o.attrs]
        if not govs:
            return None
        gov = max(govs, key=lambda o: o.end)
        return Org(i, gov.end, gov.canonical, "government", {**gov.attrs, "budget": "state"})

    def _possessed_org(self, doc: Doc, i: int, known) -> list[Org]:
        """ "Australia's Department of ...", "the Netherlands' Ministry ...": the body after a
        possessive country pays; its government is the parent, not a second funder."""
        govs = [o for o in known.get(i, []) if o.source == "government" and "country" in o.attrs]
        if not govs:
            return []
        gov = max(govs, key=lambda o: o.end)
        k = gov.end
        if k + 1 >= len(doc) or doc[k].text not in ("'s", "'", "’s", "’"):
            return []
        name = k + 1
        if not doc[name].text[:1].isupper():
            # "Norway's development agency Norad": a descriptor in common nouns, then the name
            name = _skip_descriptor(doc, name)
            if name == k + 1 or not doc[name].text[:1].isupper():
                return []
        inner = self._org_at(doc, name, known)
        if not inner or inner[-1].source == "government":
            return []
        for o in inner:
            o.attrs.setdefault("parent", gov.canonical)
        return inner

    def _titled_name_with_acronym(self, doc: Doc, i: int, known) -> Org | None:
        """ "Ministry of Agriculture, Fisheries, Food Security and Nature (LVVN)": a name in title
        case whose commas belong to it, closed by its acronym. Only for the names of bodies (an
        organisation noun in its first two words) and when no other organisation starts inside
        it ("Germany, Switzerland and the United Kingdom (UK)" is a list)."""
        if not doc[i].text[:1].isupper() or not any(t.lower_ in _ORG_HEADS for t in doc[i : i + 2]):
            return None
        commas = 0
        for j in range(i + 1, min(len(doc) - 2, i + MAX_LOCAL_NAME_TOKENS)):
            t = doc[j]
            if t.text == "(":
                acr = doc[j + 1].text
                if doc[j + 2].text != ")" or not commas or sum(c.isupper() for c in acr) < 2:
                    return None
                canonical = self.gaz.acronyms.get(acr)
                if canonical:
                    return Org(i, j + 3, canonical, "gazetteer", {"acronym": acr})
                name = squash(doc[i:j].text)
                return Org(i, j + 3, name, "np", {"surface": name, "acronym": acr})
            if t.text == ",":
                commas += 1
                continue
            if j in known or not ((t.text[:1].isupper() and t.is_alpha) or t.lower_ in _CONNECT):
                return None
        return None

    def _secretariat_of(self, doc: Doc, i: int) -> Org | None:
        """ "the Secretariat of the East Asian-Australasian Flyway Partnership (EAAFP)": another
        body's secretariat, not the CMS Secretariat a bare "Secretariat" means in a CMS paper."""
        if doc[i].lower_ != "secretariat" or i + 2 >= len(doc) or doc[i + 1].lower_ != "of":
            return None
        j = i + 2 + (doc[i + 2].lower_ == "the")
        end = _capitalised_np(doc, j) if j < len(doc) else j
        if end <= j:
            return None
        name = squash(doc[i:end].text)
        return Org(i, end, name, "np", {"surface": name})

    def _spelled_by_acronym(self, doc: Doc, i: int, known) -> Org | None:
        """A title-case name closed by "(ACR)" whose letters its words' initials give in order,
        with "and", a comma or a country inside it that a shorter reading would stop at. Not a
        list: no other organisation (a country, a gazetteer name) may start inside it."""
        if not doc[i].text[:1].isupper() or not doc[i].is_alpha:
            return None
        inner = i in known  # "Japan Fund for Global Environment": a country opens the name
        last_break = i
        breaks: list[int] = []
        for j in range(i + 1, min(len(doc) - 2, i + MAX_CHANNEL_TOKENS + 4)):
            t = doc[j]
            if t.text == "(":
                acr = doc[j + 1].text
                if doc[j + 2].text != ")" or not inner or not (acr.isupper() and acr.isalpha() and len(acr) >= 3):
                    return None
                initials = [w.text[0] for w in doc[i:j] if w.text[:1].isupper()]
                tail = [w.text[0] for w in doc[last_break:j] if w.text[:1].isupper()]
                if not _in_order(acr, initials) or acr[-1] != initials[-1] or (last_break > i and _in_order(acr, tail)):
                    return None  # the acronym of the last item alone: "..., and the United Kingdom (UK)"
                for b in breaks:
                    # "Infinity Power and the New and Renewable Energy Authority (NREA)": the
                    # acronym spells the words after an "and" from their first letter on
                    after = [w.text[0] for w in doc[b:j] if w.text[:1].isupper()]
                    if after and after[0] == acr[0] and _in_order(acr, after):
                        return None
                canonical = self.gaz.acronyms.get(acr)
                if canonical:
                    return Org(i, j + 3, canonical, "gazetteer", {"acronym": acr})
                name = squash(doc[i:j].text)
                return Org(i, j + 3, name, "np", {"surface": name, "acronym": acr})
            if t.text == "," or t.lower_ in ("and", "&"):
                inner = True
                last_break = j + 1
                if t.lower_ in ("and", "&"):
                    breaks.append(j + 1 + (j + 1 < len(doc) and doc[j + 1].lower_ == "the"))
                continue
            if j in known and any(o.source == "gazetteer" for o in known[j]):
                return None
            if j in known:
                inner = True  # "Fund for ... Hong Kong", "Japan Fund": a place inside a name
            if not ((t.text[:1].isupper() and t.is_alpha) or t.lower_ in _CONNECT):
                return None
        return None

    def _owner_after_vehicle(self, doc: Doc, i: int, known) -> Org | None:
        """ "el proyecto Mamíferos de Asia Central ... (CAMCA) de la Iniciativa ... (IKI)": in
        French and Spanish the project comes first; the known organisation after one of its
        "de" owns it and pays (``via`` = the project)."""
        for j in range(i + 1, min(len(doc) - 1, i + MAX_LOCAL_NAME_TOKENS)):
            if doc[j].text in (".", ";", ":"):
                return None
            if doc[j].lower_ not in _OF:
                continue
            k = j + 1
            while k < len(doc) and doc[k].lower_ in _ARTICLES:
                k += 1
            for o in self._org_at(doc, k, known):
                if o.source in ("gazetteer", "government"):
                    o.attrs["via"] = squash(doc[i:j].text)
                    return o
        return None

    def _named_by_acronym(self, doc: Doc, i: int, known, *, lower_head: bool = False) -> Org | None:
        """French/Spanish names are in sentence case ("Ministère fédéral allemand de
        l'environnement, ... (BMUV)"): a name starting at i that ends in a parenthesised
        acronym is that acronym's organisation, when the acronym is a known funder.
        ``lower_head``: the name may open with a body's head word in lower case ("ministère")."""
        if not doc[i].text[:1].isupper() and not (lower_head and doc[i].lower_ in _BODY_HEADS_FR_ES):
            return None
        for j in range(i + 1, min(len(doc) - 2, i + MAX_LOCAL_NAME_TOKENS)):
            t = doc[j]
            if (
                t.text == "("
                and j + 3 < len(doc)
                and doc[j + 3].text == ")"
                and _two_word_short_form(doc[j + 1 : j + 3])
            ):
                # "(AGRO RURAL)", "(Fonds MBZ)": a short form of two words closes the name
                if j - i >= 2 and j + 1 not in known and doc[i].lower_ in _BODY_HEADS_FR_ES:
                    name = squash(doc[i:j].text)
                    return Org(i, j + 4, name, "np", {"surface": name, "acronym": doc[j + 1 : j + 3].text})
                return None
            if t.text in (".", ";", ":", "|") or (t.text == "(" and doc[j + 2].text != ")"):
                return None
            if t.lower_ in ("et", "y", "and") and doc[j + 1].lower_ in ("par", "por", "by", "from"):
                return None  # "la Fondation CBD-Habitat et par le ministère ... (MITECO)": two names
            if t.lower_ in ("moyen", "titre", "cadre", "travers", "medio", "marco") and doc[j - 1].lower_ in (
                "au",
                "du",
                "le",
                "a",
                "al",
                "del",
                "el",
                "en",
                "través",
            ):
                return None  # "l'Union européenne au moyen d'un accord ... (PNUE)": a means, then another name
            if t.lower_ in ("par", "por", "by") and doc[j - 1].is_lower and doc[j - 1].is_alpha:
                return None  # "l'IKI pour la période 2023-2027 et mis en œuvre par la GIZ (GIZ)": a passive's agent
            if t.text == "," and doc[j + 1].text[:1].islower() and doc[j + 1].lower_ not in _CONNECT:
                return None  # "del Fondo Amazonía, administrado por el BNDES (...)": a clause, not the name
            if (
                t.text == ","
                and j + 2 < len(doc)
                and doc[j + 1].lower_ in _NAME_ARTICLES
                and doc[j + 2].lower_ in _BODY_HEADS_FR_ES
                and doc[j + 2].text[:1].isupper()
            ):
                return None  # "de la Fondation Prince Albert II de Monaco, la Fondation pour ...": the next name
            if t.text == "," and doc[j + 1].lower_ in ("et", "y", "and"):
                return None  # "del Fondo ... Mohamed bin Zayed, y la Corporación ... (CONAF) alojó": a new clause
            if (
                j in known
                and any(o.source == "gazetteer" for o in known[j])
                and doc[j - 1].lower_ in _OF
                and not doc[i].is_upper  # "la CE au titre du programme LIFE": two bodies, not a head and its owner
                # "l'Union européenne dans le cadre du programme LIFE": the owner, then its window
                and not any(
                    f" {opener} " in f" {' '.join(t.lower_ for t in doc[i + 1 : j])} "
                    for opener in ("au titre", "dans le cadre", "en el marco")
                )
                and (j - i <= MAX_OWNED_NAME_TOKENS or all(not w.text[:1].isupper() for w in doc[i + 1 : j]))
            ):
                # "Programme de microfinancements du FEM": a generic head, then a known owner
                owner = max((o for o in known[j] if o.source == "gazetteer"), key=lambda o: o.end)
                return Org(i, owner.end, owner.canonical, "gazetteer", {**owner.attrs, "via": squash(doc[i:j].text)})
            if t.text == "(" and doc[j + 2].text == ")":
                acr = doc[j + 1].text
                canonical = self.gaz.acronyms.get(acr)
                if canonical:
                    return Org(i, j + 3, canonical, "gazetteer", {"acronym": acr})
                for o in known.get(j + 1, []):
                    if o.end == j + 2 and o.source != "government":  # "MITECO (España)": a country qualifies
                        return Org(i, j + 3, o.canonical, o.source, dict(o.attrs))
                spelled = acr[:1].lower() == doc[i].text[:1].lower() and not _place_at(doc, j + 1)
                if (spelled or doc[i].lower_ in _BODY_HEADS_FR_ES) and j - i >= 2 and j + 1 not in known:
                    # "l'Agence française de développement (AFD)": a name the document defines
                    # with its acronym is that name, lower-case adjectives and prepositions included;
                    # a body's name may carry its English acronym ("Service américain de la pêche
                    # et de la faune sauvage (USFWS)")
                    name = squash(doc[i:j].text)
                    return Org(i, j + 3, name, "np", {"surface": name, "acronym": acr})
                return None
        return None

    # ------------------------------------------------------------------ reading funder lists
    def _read_list(
        self, doc: Doc, i: int, known, cue_id: str, cues_right: dict[int, tuple[int, str]], other_roles: set[int]
    ) -> list[Org]:
        funders: list[Org] = []
        vehicle: Org | None = None
        after_bare_comma = False
        bare_from: int | None = None  # where the items after the list's first bare comma start
        joined_by_and = False  # the last item came after a bare "and" (no comma)
        if i < len(doc) and doc[i].text == ":":  # "Funded by: BMUV"
            i += 1
        i = _skip_amount(doc, i)
        while i < len(doc):
            while i < len(doc) and doc[i].lower_ in _ARTICLES:
                i += 1
            i = _skip_based_modifier(doc, i)
            if i > 0 and doc[i - 1].lower_ in ("the", "la", "le", "l'", "el"):  # "la empresa Minera Escondida"
                i = _skip_descriptor(doc, i)
            if i in other_roles:
                break
            orgs = self._org_at(doc, i, known)
            if not orgs and self.lang != "en" and doc[i].lower_ in _VEHICLES:
                owned = self._owner_after_vehicle(doc, i, known)
                if owned is not None:
                    window = _named_window(doc, i, owned)
                    if window is not None:
                        window.attrs["cue"] = cue_id
                        funders.append(window)
                    funders.append(owned)
                    owned.attrs["cue"] = cue_id
                    # "cofinanciado por el programa EUROCLIMA de la UE y por la Universidad ...":
                    # the list goes on after the owner when the preposition is repeated
                    j = _skip_parenthetical(doc, owned.end)
                    sep = _separator(doc, j)
                    if not sep or j + sep >= len(doc) or doc[j + sep].lower_ not in _REPEATED_PREPOSITIONS:
                        break
                    i = j + sep
                    while i < len(doc) and doc[i].lower_ in _REPEATED_PREPOSITIONS:
                        i += 1
                    continue
            if not orgs:
                if not funders and vehicle is None:
                    orgs = self._ner_org(doc, i)
                if not orgs:
                    break
            last = orgs[-1]
            j = _skip_parenthetical(doc, last.end)
            # "UNDP Kazakhstan", "WWF-Philippines": a country right after an organisation is its office
            dash = 1 if j + 1 < len(doc) and doc[j].text == "-" and doc[j].whitespace_ == "" else 0
            office = [o for o in known.get(j + dash, []) if o.source == "government" and "country" in o.attrs]
            if office and last.source != "government":
                last.attrs["office"] = office[0].attrs["country"]
                j = office[0].end
            # "the EU LIFE programme", "the GEF Small Grants Programme": a named funding
            # programme of a known organisation pays; the organisation is its parent
            if last.source in ("gazetteer", "government"):
                np_end = _capitalised_np(doc, j) if j < len(doc) else j
                if np_end < len(doc) and doc[np_end].lower_ in _INSTRUMENTS and doc[np_end].text.islower():
                    np_end += 1
                if np_end > j and doc[np_end - 1].lower_ in _INSTRUMENTS:
                    name = squash(doc[last.start : np_end].text)
                    last = Org(last.start, np_end, name, "np", {"parent": last.canonical, "surface": name})
                    orgs[-1] = last
                    j = np_end
            # "... project funded by X": the project is a vehicle, X the funder; but "financed by
            # a GEF grant": the organisation before "grant" gave it
            if j < len(doc) and doc[j].lower_ in ("grant", "grants") and doc[last.start - 1].lower_ in ("a", "an"):
                j += 1
            elif j < len(doc) and doc[j].lower_ in _VEHICLES and doc[j].text.islower():
                j += 1
                k = j + 1 if j < len(doc) and doc[j].text == "," else j
                if k in cues_right:
                    vehicle = last
                    i, cue_id = cues_right[k][0], cues_right[k][1]
                    continue
                if doc[j - 1].lower_ in _INSTRUMENTS:
                    # "financed through the EU LIFE programme": a funding programme pays
                    if last.source == "np":
                        last.canonical = f"{last.canonical} {doc[j - 1].text}"
                        last.end = j
                else:
                    for o in orgs:
                        o.attrs["vehicle"] = "yes"
            # "X of the Government of Germany", "el CONICET de Argentina": parent, not a second funder
            if j + 1 < len(doc) and (doc[j].lower_ == "of" or (self.lang != "en" and doc[j].lower_ in ("de", "del"))):
                k = j + 1
                while k < len(doc) and doc[k].lower_ in _ARTICLES:
                    k += 1
                parents = self._org_at(doc, k, known)
                # the owner pays for "the CAMCA project of IKI" (a project) and for "the Small
                # Grants Programme of the Global Environment Facility" (an organisation's funding
                # window); a government's named programme ("the Darwin Initiative of the UK
                # Government") is itself the funder, with the government as parent - as IKI is
                project_owner = (
                    last.attrs.get("vehicle") == "yes" and parents and parents[-1].source in ("gazetteer", "government")
                )
                window_owner = (
                    last.source == "np"
                    and doc[last.end - 1].lower_ in _INSTRUMENTS
                    and parents
                    and parents[-1].source == "gazetteer"
                )
                if project_owner or window_owner:
                    owner = parents[-1]
                    owner.attrs["via"] = last.canonical
                    # a funding window pays in its own name too: the guide's funder is the
                    # programme, its owner the parent (both readings are given)
                    if window_owner:
                        last.attrs["parent"] = owner.canonical
                        orgs = [last, owner]
                    else:
                        orgs = [owner]
                    j = _skip_parenthetical(doc, owner.end)
                elif parents and (last.source != "np" or parents[-1].source == "government"):
                    last.attrs["parent"] = parents[-1].canonical
                    if (
                        last.source == "np"
                        and doc[last.start].lower_ in _STATE_BODIES
                        and "country" in parents[-1].attrs
                        and doc[k - 1].lower_ in _OF | {"the"}
                        and doc[last.end].text != "("  # "the Department ... (DWC) of Sri Lanka": named by its acronym
                    ):
                        # "the Ministry of Environment of the Republic of Lithuania": a ministry's
                        # name holds its state (there are many Ministries of Environment)
                        last.canonical = squash(doc[last.start : parents[-1].end].text)
                        last.attrs["surface"] = last.canonical
                    j = _skip_parenthetical(doc, parents[-1].end)
            agency = self._agency_of(doc, j, known, last) if last.source == "government" else None
            if agency is not None:
                # "el Gobierno del Canadá por medio de ECCC": the government's own agency pays
                # in its name too (the guide's funder; the government its parent)
                orgs = [*orgs, agency]
                j = _skip_parenthetical(doc, agency.end)
            for o in orgs:
                if vehicle is not None:
                    o.attrs["via"] = vehicle.canonical
                o.attrs["cue"] = cue_id
            sep = _separator(doc, j)
            if not sep:
                # "by the European Union under its LIFE Programme and by X": the programme
                # phrase sits between two funders of one list
                past = _past_framework(doc, j)
                if past is not None:
                    j = past
                    sep = _separator(doc, j)
            if sep and doc[j].text == "," and (past_amount := _amount_phrase(doc, j + 1)) is not None:
                # "co-financed by the AFD, with EUR 150,000, and by the MTCF, with USD 30,000": an
                # amount between two funders of one list
                j = past_amount
                sep = _separator(doc, j)
            if sep and doc[j].text == ",":
                # "the European Union, through DG MARE of the European Commission, and by X": a
                # channel between two funders of one list is skipped (it is not a payer)
                past = _past_channel(doc, j + 1)
                if past is not None:
                    j = past
                    sep = _separator(doc, j)
            if after_bare_comma and not sep:
                # "A, the IUCN group prepared ...": a list ends with "and X", so an item after a
                # bare comma that ends the list is the next clause's subject, not a funder
                break
            if funders and self.lang == "en" and _opens_predicate(doc, j):
                if joined_by_and:  # "IKI, Norad and the FFEM were named most often": the list is the subject
                    funders.extend(o for o in orgs if o.attrs.get("vehicle") != "yes")
                break  # "paid for by FZS, and the SCA organized a side event": the next clause's subject
            funders.extend(o for o in orgs if o.attrs.get("vehicle") != "yes")
            if not sep:
                if bare_from is not None and cue_id not in _LIST_OPENERS and _plural_verb_at(doc, j, self.lang or "en"):
                    # "une subvention de X, la VCF et la BSPB mènent un programme": the items after
                    # the bare comma are the next clause's subjects
                    del funders[bare_from:]
                break
            after_bare_comma = tuple(t.lower_ for t in doc[j : j + sep]) == (",",)
            joined_by_and = tuple(t.lower_ for t in doc[j : j + sep]) in (("and",), ("and", "the"))
            if after_bare_comma and bare_from is None:
                bare_from = len(funders)
            i = j + sep
            # "by A and by B", "de A, de B et du C", "por A y por B": the preposition repeated
            if i + 1 < len(doc) and doc[i].lower_ in ("and", "et", "y") and doc[i + 1].lower_ in _REPEATED_PREPOSITIONS:
                i += 1  # ", et par B" after a bare comma
            if (
                after_bare_comma
                and doc[i].lower_ in ("à", "a", "in", "en")
                and i + 1 < len(doc)
                and _place_at(doc, i + 1)
            ):
                break  # "par la Fondation Segré, à Genève, qui ...": the giver's seat, not a second giver
            if (
                i + 2 < len(doc)
                and doc[i].like_num
                and doc[i + 1].text in ("%", "pour", "per")
                and doc[i + 2].lower_ in _REPEATED_PREPOSITIONS | {"cent"}
            ):
                # "35 % apportés par le FFEM, 22 % par l'UE et 14 % par les États": a share, then its giver
                i += 2
                after_bare_comma = False
            while i < len(doc) and doc[i].lower_ in _REPEATED_PREPOSITIONS:
                i += 1
                after_bare_comma = False  # "..., et par B": the repeated preposition says the list goes on
        return funders

    def _agency_of(self, doc: Doc, j: int, known, government: Org) -> Org | None:
        """The body after "through/por medio de/par l'intermédiaire de" right after a government:
        a ministry or agency of that state (not another government, not a bank or a fund)."""
        if j + 2 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ in _PAID_PARTICIPLES:
            j += 2  # "de la Confédération suisse, versée par l'intermédiaire de l'OFEV"
        elif j + 1 < len(doc) and doc[j].text == ",":
            j += 1  # "the Government of Switzerland, through its Federal Office ..., met the cost"
        words = " ".join(_plain(t) for t in doc[j : j + 4]).replace("' ", "'")  # "l' intermédiaire"
        opener = next((o for o in _CHANNEL_OPENERS if words.startswith(o)), None)
        if opener is None:
            return None
        k = j + len(opener.replace("'", "' ").split())
        while k < len(doc) and doc[k].lower_ in _OF | _ARTICLES | _NAME_ARTICLES:
            k += 1
        found = self._org_at(doc, k, known) if k < len(doc) else []
        if len(found) != 1 or found[0].source == "government":
            return None
        agency = found[0]
        head = doc[agency.start].lower_
        if head not in _STATE_BODIES | _BODY_HEADS_FR_ES | {"agency", "office", "environment", "medio"} and not (
            agency.source == "gazetteer"
            and self.gaz.info.get(agency.canonical, None) is not None
            and self.gaz.info[agency.canonical].country == government.attrs.get("country")
        ):
            return None
        agency.attrs["parent"] = government.canonical
        return agency

    def _read_cell(self, doc: Doc, i: int, end: int, known, *, via: str = "", cue: str = "table-column") -> list[Org]:
        """The funders named in a table cell under a funding header.

        "BMUV via BfN INA", "Government of Germany; UNDP Kazakhstan": every organisation is a
        funder. "IKI (Government of Germany)": the parenthesis qualifies - a parent, not a
        second funder. "CAMCA project (IKI, Government of Germany)": a project is the vehicle,
        the organisations in its parenthesis are the funders.
        """
        funders: list[Org] = []
        # "EAD; SCE; NCW (in kind)", "in-kind only (IEO, Pew)": support in kind is support (the
        # annotation guide of the fourth round; cami-extract-ner/4 read such a cell as no funder)
        in_kind = _IN_KIND.search(doc[i:end].text) is not None
        start_of_cell = i
        while i < end:
            tok = doc[i]
            if (
                tok.lower_ in ("with", "avec", "con")
                and (i == start_of_cell or doc[i - 1].text in (";", "|"))
                and i + 1 < end
                and (
                    doc[i + 1].text[:1].isupper()
                    or (doc[i + 1].lower_ in _ARTICLES and i + 2 < end and doc[i + 2].text[:1].isupper())
                )
            ):
                # "Cameras from Panthera; with Snow Leopard Trust": a partner named after "with"
                while i < end and doc[i].text not in (";", "|"):
                    i += 1
                continue
            if tok.lower_ in _CELL_SKIP or tok.is_punct:
                i += 1
                continue
            if i + 1 < end and doc[i + 1].text == ":" and tok.lower_ in _CELL_ROLE_LABELS:
                # "organización: CONAF", "sede: Universidad ...", "host: ...": a labelled role, not a giver
                while i < end and doc[i].text not in (";", "|"):
                    i += 1
                continue
            if tok.text[:1].isupper() and tok.lower_ in _CELL_GIFT_WORDS:
                i += 1  # "Pingers donated by IFAW", "Travel: Government of Monaco": the gift, not its giver
                continue
            if tok.lower_ in _CELL_SPONSORSHIP and i + 1 < end and doc[i + 1].lower_ in _OF:
                i += 2  # "Patrocinio de Minera Escondida": the word of giving is no name
                continue
            by = i + 1 < end and doc[i + 1].lower_ in ("by", "par", "por")
            if by and tok.lower_ in _CELL_OTHER_ROLES:
                # "hosted by the Junta de Castilla y León": another role, not a giver, up to the
                # next item of the cell
                while i < end and doc[i].text not in (";", ",", "|"):
                    i += 1
                continue
            if by and tok.lower_ in _CELL_PAYING_VERBS:
                i += 2  # "Commissioned by RDOŚ Szczecin": the verb is no name
                continue
            orgs = [o for o in self._org_at(doc, i, known) if o.end <= end]
            if not orgs or (orgs[-1].source == "np" and not _org_like(doc[orgs[-1].start : orgs[-1].end])):
                i += 1  # a word that names no organisation: "grant", "Own resources"
                continue
            last = orgs[-1]
            j = last.end
            dash = 1 if j + 1 < end and doc[j].text == "-" and doc[j].whitespace_ == "" else 0
            office = [o for o in known.get(j + dash, []) if o.source == "government" and "country" in o.attrs]
            if office and last.source != "government" and office[0].end <= end:
                last.attrs["office"] = office[0].attrs["country"]
                j = office[0].end
            if j + 2 < end and doc[j].lower_ in ("office", "offices", "bureau") and doc[j + 1].lower_ in _SEAT_PREPS:
                # "DGF office of Nabeul": the body's office in a place; the place is no giver
                j = max(j + 2, _capitalised_np(doc, j + 2))
            # "MAVA Foundation grant": the body's grant is its money, not a project it funds
            vehicle = j < end and doc[j].lower_ in _VEHICLES - {"grant"} and doc[j].text.islower()
            j += 1 if vehicle else 0
            if j < end and doc[j].text == "(":
                close = _closing_paren(doc, j, end)
                inner = self._read_cell(doc, j + 1, close, known, via=last.canonical if vehicle else "", cue=cue)
                if vehicle:
                    funders.extend(inner)
                elif inner and last.source == "government" and inner[0].source != "government":
                    # "United Kingdom (Defra)": the government pays through its department
                    inner[0].attrs["parent"] = last.canonical
                    for o in orgs:
                        o.attrs["cue"] = cue
                    funders.extend([*orgs, *inner[:1]])
                    i = min(close + 1, end)
                    continue
                elif inner:
                    last.attrs["parent"] = inner[0].canonical
                j = min(close + 1, end)
            if not vehicle:
                for o in orgs:
                    o.attrs["cue"] = cue
                    if via:
                        o.attrs["via"] = via
                    if in_kind:
                        o.attrs["in_kind"] = "yes"
                funders.extend(orgs)
            i = j
        return funders

    def _ner_org(self, doc: Doc, i: int) -> list[Org]:
        """Last resort: the model's NER on this sentence, for an ORG starting at token i."""
        if not self.use_ner or self.ner_component not in self.nlp.component_names:
            return []
        end = i
        while end < len(doc) and doc[end].text not in (".", ";"):
            end += 1
        ner = self.nlp.get_pipe(self.ner_component)
        sent = self.nlp.make_doc(doc[i:end].text)
        sent = ner(sent)
        for ent in sent.ents:
            if ent.label_ in ("ORG", "GPE", "NORP") and ent.start <= 1 and ent[0].text not in _NOT_ORG_HEADS:
                return [Org(i + ent.start, i + ent.end, squash(ent.text), "ner", {"surface": ent.text})]
        return []

    def _left_org(self, doc: Doc, k: int, known) -> list[Org]:
        """The organisation(s) ending right before token k: the subject of an active cue.

        "BfN commissioned", "BfN INA, which provides ... funding", "the Secretariat and BfN INA
        jointly commissioned" (a subject list: both).
        """
        if k >= 3 and doc[k - 1].lower_ in ("has", "had", "have") and doc[k - 2].lower_ in ("which", "who"):
            k -= 1  # "(IMELS), which had financed its organisation"
        if k >= 2 and doc[k - 1].lower_ in ("which", "who", "qui", "que", "quien") and doc[k - 2].text == ",":
            k -= 2
        elif k >= 4 and doc[k - 1].text == ",":
            # "El Gobierno del Paraguay, que acoge la MOS4 en Asunción, se hace cargo": the subject's
            # relative clause between it and its verb
            m = k - 2
            while m > 0 and doc[m].text != "," and k - m < MAX_CHANNEL_TOKENS:
                m -= 1
            if doc[m].text == "," and doc[m + 1].lower_ in ("which", "who", "qui", "que", "quien", "quienes"):
                k = m
        via, channel = "", (0, 0)
        k, via, channel = _channel_before(doc, k)
        # "s'est engagé à en couvrir les frais": the promise's clitic before its verb
        clitic = int(
            k >= 3
            and doc[k - 1].lower_ in ("en", "y", "les", "le", "la", "l'", "lo", "los")
            and doc[k - 2].lower_ in ("à", "a")
        )
        k -= clitic
        # "El Gobierno del Perú se ha comprometido a aportar ...": a promise to give is giving
        back = next(
            (len(seq) for seq in _PROMISE_TO if tuple(_plain(t) for t in doc[max(0, k - len(seq)) : k]) == seq), 0
        )
        if not back and k >= 3 and doc[k - 1].lower_ in ("à", "a", "to") and doc[k - 2].text == ",":
            back = self._promise_across_insert(doc, k)
        if not back and k >= 4 and doc[k - 1].lower_ in ("à", "a", "to"):
            back = _promise_across_date(doc, k)
        k -= back
        if not back:
            k += clitic  # no promise before it: the clitic was the verb's own ("X en a assuré")
        if not back and self.lang != "en" and doc[k].lower_.startswith(("compromet", "engag")):
            # the cue is the promise itself ("se ha comprometido a destinar 150.000 USD"): its
            # reflexive pronoun and auxiliary stand between it and the subject
            r = k - (k >= 1 and doc[k - 1].lower_ in _ACTIVE_AUX)
            if r >= 1 and _plain(doc[r - 1]) in ("se", "s'"):
                k, back = r - 1, 1
        if back and not via:  # "el Perú, por medio del SERNANP, se comprometió a destinar"
            k, via, channel = _channel_before(doc, k)
        if k >= 4 and doc[k - 1].text == ",":
            # "a, pour sa part, mis à disposition": an aside between the auxiliary and the verb
            aside = next((a for a in range(k - 2, max(0, k - 6), -1) if doc[a].text == ","), None)
            if aside is not None and " ".join(_plain(t) for t in doc[aside + 1 : k - 1]) in _ASIDES:
                k = aside
        # "..., la LPO ayant pris en charge les frais": a participle clause has one subject
        participle = k > 0 and bool({"ayant", "habiendo"} & {doc[k - 1].lower_, doc[k].lower_})
        while k > 0 and (
            doc[k - 1].lower_ in _ADVERBS
            or (self.lang != "en" and doc[k - 1].lower_ in _ACTIVE_AUX)
            or (self.lang == "en" and doc[k - 1].lower_ in ("has", "have", "had"))  # "X has pledged EUR ..."
            or (doc[k - 1].lower_ == "en" and k < len(doc) and doc[k].lower_ == "outre")
            or (doc[k - 1].lower_ == "outre" and k >= 2 and doc[k - 2].lower_ == "en")  # "ont en outre réglé"
            or (doc[k - 1].lower_ in ("en", "y") and k < len(doc) and doc[k].lower_ in _ACTIVE_AUX)  # "en a assuré"
            or (doc[k - 1].lower_ == "par" and k < len(doc) and doc[k].lower_ == "ailleurs")
        ):
            k -= 1
        if k >= 4 and doc[k - 1].text == ",":
            # "NATURAMA, partenaire de BirdLife au Burkina Faso, a réalisé": an apposition that
            # describes the subject in common nouns, between commas (or its parent: ", del Instituto
            # Chico Mendes de Conservación de la Biodiversidad (ICMBio) del Brasil,")
            m = k - 2
            while m > 0 and doc[m].text != "," and k - m < MAX_CHANNEL_TOKENS:
                m -= 1
            if doc[m].text != "," or doc[m + 1].text[:1].isupper():
                # only a parent's name is longer, commas and all (a list of partners is no apposition)
                m = next(
                    (
                        c
                        for c in range(k - 3, max(0, k - 2 - MAX_CHANNEL_NAME_TOKENS), -1)
                        if doc[c].text == "," and doc[c + 1].lower_ in ("del", "du")
                    ),
                    m,
                )
            first = doc[m + 1] if m + 1 < k - 1 else None
            if (
                doc[m].text == ","
                and first is not None
                and (first.is_lower or first.lower_ in _ARTICLES)
                and (
                    first.lower_ not in _APPOSITION_NOT  # ", pour l'argali, a fourni": a complement
                    or (self.lang == "en" and first.lower_ == "a")  # English "a" is an article: ", a Party,"
                    # "El Gobierno de Uzbekistán, en su calidad de anfitrión de la COP14, sufragó"
                    or " ".join(_plain(t) for t in doc[m + 1 : m + 4]).startswith(_ROLE_ASIDES)
                    # "La UAGRM, de Santa Cruz de la Sierra, cofinanció": the subject's seat
                    or (first.lower_ in ("de", "en", "à", "in", "at") and m + 2 < k and _place_at(doc, m + 2))
                )
                and (
                    self._org_ending_at(doc, m, known) is not None
                    or (m >= 3 and doc[m - 1].text == ")" and doc[m - 3].text == "(")  # "... (LPO), partenaire"
                )
            ):
                k = m
        grouped = self._group_members(doc, k, known)
        if grouped:
            return grouped
        if k >= 3 and doc[k - 1].text == ")" and self._org_ending_at(doc, k, known) is None:
            # "the Swiss Agency for Development and Cooperation (SDC) made available", "the French
            # Biodiversity Office (Office français de la biodiversité, OFB) made": past the gloss
            opening = _bracket_opening(doc, k)
            if opening is not None:
                k = opening
        if k >= 3 and doc[k - 1].lower_ in ("y", "et", "and"):
            # "la Fundación Temaikèn destinó ... a dos veterinarios y se hizo cargo de los
            # medicamentos": the second verb shares the clause's subject (no name ends in "y")
            shared = self._clause_subject(doc, k - 1, known)
            return [shared] if shared is not None else []
        orgs: list[Org] = []
        while k > 0:
            org = self._org_ending_at(doc, k, known)
            if org is None:
                break
            owner = self._owned_by(doc, org, known)
            if owner is not None:
                org = owner
            if orgs:
                j = org.start
                while j > 0 and doc[j - 1].lower_ in _ARTICLES:
                    j -= 1
                if j > 0 and doc[j - 1].lower_ in _PLACE_PREPOSITIONS | _FRAME_PREPOSITIONS:
                    break  # "en el Salar de Punta Negra, Minera Escondida aportó": a place, then the subject
                if j > 0 and doc[j - 1].lower_ in _OF:
                    break  # "En respuesta a la Decisión 19.111 de la CITES, la Secretaría contribuyó": a complement
            if via:
                org.attrs["via"] = via
            orgs.insert(0, org)
            k = org.start
            while k > 0 and doc[k - 1].lower_ in _ARTICLES:
                k -= 1
            back = next(
                (len(sep) for sep in _SEPARATORS if tuple(t.lower_ for t in doc[max(0, k - len(sep)) : k]) == sep), 0
            )
            if not back or (participle and doc[k - 1].text == ","):
                break
            k -= back
        government = next((o for o in orgs if o.source == "government"), None)
        if via and government is not None:
            # a government gives through its own body: the body pays ("El Gobierno de los Países
            # Bajos, a través de su Ministerio de Agricultura ..., se ha comprometido a aportar")
            agency = self._agency_of(doc, channel[0], known, government)
            if agency is not None and agency.end <= channel[1]:
                orgs.append(agency)
        return orgs

    def _clause_subject(self, doc: Doc, k: int, known) -> Org | None:
        """The organisation that opens the clause ending at k, right before its verb (a lower-case
        word that is no function word), when it is the clause's only name before k."""
        c = k - 1
        while c > 0 and doc[c - 1].text not in (".", ";", ":") and k - c < MAX_CLAUSE_TOKENS:
            c -= 1
        if c > 0 and doc[c - 1].text not in (".", ";", ":"):
            return None
        subject: Org | None = None
        j = c
        while j < k:
            orgs = self._org_at(doc, _after_articles(doc, j), known)
            if not orgs:
                j += 1
                continue
            o = orgs[0]
            if subject is not None:
                return None  # a second name: whose verb is it
            after = _skip_parenthetical(doc, o.end)
            if after < k and doc[after].is_lower and doc[after].lower_ not in _CLAUSE_FUNCTION_WORDS:
                subject = o
            else:
                return None
            j = o.end
        return subject

    def _group_members(self, doc: Doc, k: int, known) -> list[Org]:
        """The members named in brackets after the kinds of giver that are a verb's subject: "les
        fondations (Fondation Segré, Fondation Franklinia) et les ONG (WCS, ZSL) en ont apporté un
        quart", "foundations (A, B) provided". Empty when the subject before k is no such list."""
        out: list[Org] = []
        while k >= 4 and doc[k - 1].text == ")":
            opening = _bracket_opening(doc, k)
            if opening is None or opening < 1:
                break
            kind = [t for t in doc[max(0, opening - 3) : opening] if t.is_lower or t.text.isupper()]
            if not any(t.lower_ in _GIVER_KINDS for t in kind):
                break
            members = [
                o
                for j in range(opening + 1, k - 1)
                if j == opening + 1 or doc[j - 1].text == ","
                for o in self._org_at(doc, _after_articles(doc, j), known)
                if o.end <= k - 1
            ]
            if not members:
                break
            out[:0] = members
            # "les fondations (...) et les organisations (...)": the group before it, if any
            m = opening - 1
            while m > 0 and (doc[m].is_lower or doc[m].lower_ in _GIVER_KINDS) and opening - m < 5:
                m -= 1
            if doc[m].lower_ not in ("et", "and", "y") or m < 1:
                break
            k = m
        return out

    def _possessed_programmes(self, doc: Doc, known, found: list[Org]) -> list[Org]:
        """A giver's own funding programme named after its possessive: "co-financed by the
        European Union's LIFE Programme" (the programme pays too, as in "the LIFE Programme of
        the European Union")."""
        out: list[Org] = []
        for o in found:
            p = o.end
            if p + 2 >= len(doc) or doc[p].text not in ("'s", "\u2019s"):
                continue
            end = next(
                (e for e in range(p + 1, min(len(doc), p + 6)) if doc[e].lower_ in _PROGRAMME_WORDS),
                None,
            )
            if end is None or not all(t.text[:1].isupper() for t in doc[p + 1 : end + 1]):
                continue
            text = doc[p + 1 : end + 1].text
            named = [x for x in self._org_at(doc, p + 1, known) if x.end == end + 1 and x.source == "gazetteer"]
            canonical = named[0].canonical if named else text
            source = "gazetteer" if named else "np"
            attrs = {"cue": o.attrs.get("cue", ""), "parent": o.canonical} | ({} if named else {"surface": text})
            out.append(Org(p + 1, end + 1, canonical, source, attrs))
        return out

    def _bracketed_givers(self, doc: Doc, known) -> list[Org]:
        """Kinds of giver with their members in brackets, as the subject of a giving verb that
        need not name the money again: "les fondations (...) et les ONG (...) en ont apporté
        environ un quart" (the frames want money as the verb's object)."""
        out: list[Org] = []
        for v in range(4, len(doc)):
            if doc[v].lower_ not in _BRACKET_GIVING_VERBS:
                continue
            k = v
            while k > 0 and (doc[k - 1].lower_ in _ACTIVE_AUX or doc[k - 1].lower_ in ("en", "have", "has", "also")):
                k -= 1
            for o in self._group_members(doc, k, known):
                out.append(Org(o.start, o.end, o.canonical, o.source, {**o.attrs, "cue": "bracketed-givers"}))
        return out

    def _owned_by(self, doc: Doc, org: Org, known) -> Org | None:
        """ "the International Climate Initiative (IKI) of the German Government financed": the
        organisation before "of" acts; the one after it is its parent (as on the right side)."""
        k = org.start
        while k > 0 and doc[k - 1].lower_ in _ARTICLES and doc[k - 1].lower_ not in _OF:  # "del" is "of the"
            k -= 1
        if k < 2 or doc[k - 1].lower_ not in _OF:
            return None
        if doc[k - 2].lower_ in _GOVERNMENT:  # "Gobierno de Alemania": the government itself
            return Org(k - 2, org.end, org.canonical, org.source, dict(org.attrs))
        before = self._org_ending_at(doc, k - 1, known)
        if before is None or before.source == "government":
            return None
        before.attrs["parent"] = org.canonical
        return before

    def _org_ending_at(self, doc: Doc, k: int, known) -> Org | None:
        for start in range(max(0, k - 14), k):  # earliest start first: the longest name
            for o in known.get(start, []):
                if o.end == k or _skip_parenthetical(doc, o.end) == k:
                    if o.source == "government" and "country" in o.attrs and o.start > 1:
                        # "l'Institut ... (ICNF) du Portugal prendra à sa charge": the body before
                        # "of/du <country>" gives; the country is its parent
                        p = o.start - 1
                        if doc[p].lower_ in ("the", "la", "le", "l'", "el") and p > 0:
                            p -= 1
                        if doc[p].lower_ in ("of", "du", "de", "del", "d'", "des"):
                            if doc[p - 1].lower_ in _GOVERNMENT or doc[p - 1].text in _STATE_WORDS:
                                # "El Gobierno del Paraguay", "el Estado de Chile": the government itself
                                return Org(p - 1, o.end, o.canonical, "government", dict(o.attrs))
                            ministry = _french_ministry_ending_at(doc, o.end) if self.lang == "fr" else None
                            if ministry is not None:
                                # "le ministère de l'Environnement ... de la Mongolie": the state is in its name
                                ministry.attrs["parent"] = o.canonical
                                return ministry
                            body = self._org_ending_at(doc, p, known)
                            if body is None and self.lang != "en":
                                body = self._lower_case_body(doc, p, o)
                            if body is not None and body.source != "government":
                                body.attrs.setdefault("parent", o.canonical)
                                return body
                    if o.source == "government" and "country" in o.attrs and o.start > 0:
                        # "WWF Mongolia": a country right after an organisation is its office
                        office = [p for p in known.get(o.start - 1, []) if p.source == "gazetteer" and p.end == o.start]
                        if office:
                            return Org(
                                office[0].start, o.end, office[0].canonical, "gazetteer", {"office": o.attrs["country"]}
                            )
                        before = doc[o.start - 1]
                        if (
                            (_acronym_like(before) or (before.is_title and before.is_alpha))
                            and before.text not in _NOT_ORG_HEADS | _SENTENCE_ARTICLES
                            and before.text not in self.country_adjectives
                        ):
                            # "BirdLife Cyprus", "Nature Mauritanie", "Fundación Vida Silvestre Argentina":
                            # a name that ends in its country, read back over its capitalised words
                            s0 = o.start - 1
                            while (
                                s0 > 0
                                and o.start - s0 < 6
                                and doc[s0 - 1].is_title
                                and doc[s0 - 1].is_alpha
                                and doc[s0 - 1].text not in _NOT_ORG_HEADS | _SENTENCE_ARTICLES
                                and not any(h.start == doc[s0 - 1].idx for h in hits_of(doc))
                            ):
                                s0 -= 1
                            text = squash(doc[s0 : o.end].text)
                            return Org(s0, o.end, text, "np", {"surface": text, "office": o.attrs["country"]})
                    return Org(o.start, o.end, o.canonical, o.source, dict(o.attrs))
        if self.lang == "fr":
            ministry = _french_ministry_ending_at(doc, k)
            if ministry is not None:
                return ministry
        end, acronym = k, ""
        if k >= 4 and doc[k - 1].text == ")" and doc[k - 3].text == "(":
            # "El Ministerio del Medio Ambiente (MMA) de Chile financió": the name before its acronym
            end, acronym, k = k, doc[k - 2].text, k - 3
        if acronym and self.lang != "en" and not doc[k - 1].text[:1].isupper():
            # "l'Institut de la conservation de la nature et des forêts (ICNF)": a French/Spanish
            # body's name runs in lower case back to its head word
            for h in range(k - 2, max(-1, k - MAX_OWNED_NAME_TOKENS - 4), -1):
                if doc[h].text in (",", ";", ".", ":"):
                    break
                if doc[h].lower_ in _BODY_HEADS_FR_ES and doc[h].text[:1].isupper():
                    text = squash(doc[h:k].text)
                    known_acr = self.gaz.acronyms.get(acronym)
                    if known_acr:
                        return Org(h, end, known_acr, "gazetteer", {"acronym": acronym})
                    return Org(h, end, text, "np", {"surface": text, "acronym": acronym})
        if not doc[k - 1].text[:1].isupper():
            return _sentence_case_name(doc, k) if self.lang != "en" else None
        start = k
        while start > 0 and (_titled(doc[start - 1].text) or doc[start - 1].lower_ in _CONNECT):
            if doc[start - 1].lower_ in _NAME_ARTICLES and start >= 2 and doc[start - 2].lower_ not in _CONNECT:
                break  # "en la Argentina el Instituto ...": the article opens this name, after another
            if doc[start - 1].lower_ in ("and", "&", "y", "et", "e") and start >= 2 and _acronym_like(doc[start - 2]):
                break  # "SERNAP y CONANP pusieron": two bodies, not one name
            start -= 1
        while start < k and (not doc[start].text[:1].isupper() or doc[start].text in _SENTENCE_ARTICLES):
            start += 1  # "The Swiss Agency ..." at a sentence start: the article is not the name
        if acronym and start >= 2 and doc[start - 1].text == ",":
            # "el Instituto Nacional de Conservación y Desarrollo Forestal, Áreas Protegidas y Vida
            # Silvestre (ICF), que aportó": a body's title-case name whose commas are its own
            for h in range(start - 2, max(0, start - MAX_LOCAL_NAME_TOKENS), -1):
                t = doc[h]
                if not (_titled(t.text) or t.lower_ in _CONNECT or t.text == ","):
                    break
                # "the Italian Ministry for the Environment, Land and Sea Protection (IMELS)": the
                # acronym may spell the state's adjective before the head word too
                lead = h - 1 if h > 1 and doc[h - 1].text in self.country_adjectives else h
                if (
                    t.lower_ in _ORG_HEADS | _BODY_HEADS_FR_ES
                    and doc[lead].text[:1] == acronym[:1].upper()
                    and lead > 0
                    and (doc[lead - 1].lower_ in _NAME_ARTICLES | _ARTICLES | _OF or doc[lead - 1].is_punct)
                ):
                    text = squash(doc[h:k].text)
                    return Org(h, end, text, "np", {"surface": text, "acronym": acronym})
        # "OTOP in Warsaw, which also provided": a seat after "in" is not part of the name
        seat = next((m for m in range(start + 1, k) if doc[m].lower_ == "in" and _place_at(doc, m + 1)), k)
        if (
            self.lang != "en"
            and start >= 2
            and seat - start <= 3
            and doc[start - 1].lower_ in _OF
            and doc[start - 2].lower_ in _LOCAL_BODIES
        ):
            start -= 2  # "la commune de Fès a financé": the town's council, not the town
        if start < seat and doc[start].text not in _NOT_ORG_HEADS:
            text = squash(doc[start:seat].text)
            known_acr = self.gaz.acronyms.get(acronym) if acronym else None
            if known_acr:
                return Org(start, end, known_acr, "gazetteer", {"acronym": acronym})
            return Org(start, end, text, "np", {"surface": text, **({"acronym": acronym} if acronym else {})})
        return None

    # ------------------------------------------------------------------ component
    def _frame_sentences(self, doc: Doc, known, found: list[Org]):
        """(start, text) of the sentences worth parsing: a frame word and a capitalised name
        that is not yet a funder (speed: the parser is the slowest step of the whole pipeline).
        A sentence whose first funder the cue grammar read is parsed too when it has another
        frame word: its second funder (", while X provided in-kind support") is in that frame."""
        assert self.frames is not None
        funder_chars = [(doc[o.start].idx, doc[o.end - 1].idx + len(doc[o.end - 1])) for o in found]
        taken = [(h.start, h.end) for h in hits_of(doc) if h.entity_type in ("date", "document_code")]
        # the cues that read a funder: those next to one (a cue that read nothing, "has pledged EUR
        # 120,000" after a name it could not take, stays for the parse to read)
        cue_chars = [
            (c.start_char, c.end_char)
            for c in doc.spans.get(CUES_KEY, [])
            if any(
                -CUE_REACH_CHARS <= fa - c.end_char <= CUE_REACH_CHARS
                or -CUE_REACH_CHARS <= c.start_char - fb <= CUE_REACH_CHARS
                for fa, fb in funder_chars
            )
        ]
        for s_start, s_end in self.frames.sentences(text_of(doc)):
            sentence = text_of(doc)[s_start:s_end]
            if not self.frames.worth_parsing(sentence) or " | " in sentence:
                continue  # a table row's cells are no sentence: the cell reader reads them
            if self.lang == "en" and any(s_start <= a < s_end for a, _ in funder_chars):
                # the cue grammar read a funder here: parse (slow) only for another frame word
                # than its cue's ("X covered the costs, and Y was funded by Z")
                rest = list(sentence)
                for a, b in cue_chars + funder_chars:
                    for c in range(max(a, s_start), min(b, s_end)):
                        rest[c - s_start] = " "
                rest_text = "".join(rest)
                if not self.frames.worth_parsing(rest_text) and not _ELLIPSIS.search(rest_text):
                    continue
            span = doc.char_span(s_start, s_end, alignment_mode="expand")
            if span is None:
                continue
            names = [
                t
                for t in span
                if t.text[:1].isupper()
                and t.text not in _NOT_ORG_HEADS
                and not any(a <= t.idx < b for a, b in taken + funder_chars)
            ]
            if names:
                yield s_start, sentence

    def _frame_orgs(self, doc: Doc, known, s_start: int, readings) -> list[Org]:
        """Funders in a frame of giving money, from the readings of one parsed sentence."""
        out: list[Org] = []
        # a date or a code is never an organisation ("not paid by 30 September 2025")
        taken = [(h.start, h.end) for h in hits_of(doc) if h.entity_type in ("date", "document_code")]
        funders: list[tuple[Org, str]] = []
        for reading in readings:
            tok = reading.token
            if is_pronoun(tok):
                continue
            if is_vehicle(tok):
                owner = owner_of(tok)
                if owner is None:
                    continue
                via, tok = tok.text, owner
            else:
                via = reading.via  # "awarded by X through its programme": the channel
            at = s_start + tok.idx
            if any(a <= at < b for a, b in taken):
                continue
            if not tok.text[:1].isupper():
                # "the Office National de l'Électricité et de l'Eau Potable (ONEE) supplied": the
                # parser takes a word inside a foreign name for the subject; the name is the one
                # that ends before the verb, if it holds that word
                inside = self._name_before_verb(doc, known, s_start, tok) if reading.relation == "subject" else None
                word = doc.char_span(s_start + tok.idx, s_start + tok.idx + len(tok), alignment_mode="expand")
                if (
                    word is not None
                    and tok.lower_ in _DESCRIPTOR_HEADS
                    and word.end < len(doc)
                    and doc[word.end].text[:1].isupper()
                ):
                    # "la société Pêcheries du Golfe SA reconduirait son soutien": the name after the kind of body
                    named = self._org_at(doc, word.end, known)
                    if named:
                        inside = named[-1]
                if inside is None:
                    continue  # "the park itself": a common noun, no name to report
                orgs = [inside]
            else:
                span = doc.char_span(s_start + name_start(tok), s_start + tok.idx + len(tok), alignment_mode="expand")
                if span is None:
                    continue
                orgs = self._org_at(doc, span.start, known)
                if not orgs and span.start != span.end - 1:
                    orgs = self._org_at(doc, span.end - 1, known)
                if not orgs and tok.text == "The" and span.end < len(doc):
                    orgs = self._org_at(doc, span.end, known)  # French parse of "The Peregrine Fund": the article heads
                if len(orgs) == 1 and orgs[0].source == "np" and doc[orgs[0].end - 1].lower_ in _BODY_HEADS_FR_ES:
                    orgs = [_sentence_case_tail(doc, orgs[0], s_start + tok.right_edge.idx + len(tok.right_edge))]
            for org in orgs:
                # a name with its acronym is an organisation ("Office National ... (ONEE)")
                if (
                    org.source == "np"
                    and "acronym" not in org.attrs
                    and org.attrs.get("form") != "sentence-case"  # a body's head word opens it
                    and not _org_like(doc[org.start : org.end])
                    and not _head_word_back(doc, org)
                ):
                    continue
                if reading.role != "funder":
                    continue
                org.attrs["cue"] = f"frame-{reading.relation}"
                if via:
                    org.attrs["via"] = via
                funders.append((org, reading.relation))
        # hosts, organisers, implementers are read by the same frames and kept apart: their
        # readings give no funder; an organisation in both roles ("X, which covers the costs,
        # hosted the meeting") is a funder on the money frame's evidence alone
        out.extend(o for o, _ in funders)
        for org, _ in funders:
            if org.source == "government" and org.end < len(doc):
                # "the Government of Switzerland, through its Federal Office for the Environment
                # (FOEN), met the cost": the state's own agency pays in its name too
                agency = self._agency_of(doc, org.end, known, org)
                if agency is not None:
                    out.append(
                        Org(
                            agency.start,
                            agency.end,
                            agency.canonical,
                            agency.source,
                            {**agency.attrs, "cue": org.attrs.get("cue", "frame")},
                        )
                    )
        thanked = [o for o, relation in funders if relation == "thank"]
        if thanked:
            # "remercie l'Allemagne, la Suisse, l'Italie, la Commission européenne et la RSPB de
            # leurs contributions": the parser may hang the list's last names elsewhere; the list
            # reader takes the whole list from its first name
            first = min(thanked, key=lambda o: o.start)
            have = {(o.start, o.end) for o in out}
            for org in self._read_list(doc, first.start, known, "frame-thank", {}, set()):
                if (org.start, org.end) not in have and not any(o.start <= org.start < o.end for o in out):
                    out.append(org)
        return out

    @staticmethod
    def _lower_case_body(doc: Doc, p: int, country: Org) -> Org | None:
        """ "Le ministère de l'Environnement et de la Transition écologique du Sénégal": a French
        or Spanish body's name in lower case back to its head word, before "du <country>"."""
        for h in range(p - 1, max(-1, p - MAX_OWNED_NAME_TOKENS - 4), -1):
            if doc[h].text in (",", ";", ".", ":", "(", ")"):
                return None
            if doc[h].lower_ in _BODY_HEADS_FR_ES and (h == 0 or doc[h - 1].lower_ in _NAME_ARTICLES | _ARTICLES):
                text = squash(doc[h : country.end].text)
                return Org(h, country.end, text, "np", {"surface": text})
        return None

    @staticmethod
    def _promise_across_insert(doc: Doc, k: int) -> int:
        """ "l'UE s'est engagée, en mai 2026, à allouer": the promise and its "à" on either side
        of an inserted phrase; how far back from k the promise starts (0: none)."""
        for m in range(k - 3, max(0, k - 3 * MAX_CHANNEL_TOKENS), -1):
            if doc[m].text in (".", ";"):
                return 0
            if doc[m].text != ",":
                continue
            back = _promise_head_before(doc, m, k)
            if back:
                return back
        return 0

    def _name_before_verb(self, doc: Doc, known, s_start: int, tok: Token) -> Org | None:
        verb = tok.head
        if verb.i <= tok.i:
            return None
        at = doc.char_span(s_start + verb.idx, s_start + verb.idx + len(verb), alignment_mode="expand")
        word = doc.char_span(s_start + tok.idx, s_start + tok.idx + len(tok), alignment_mode="expand")
        if at is None or word is None:
            return None
        org = self._org_ending_at(doc, at.start, known)
        if org is None:
            return None
        # the word is inside the name, or the article that opens it
        first = org.start - 1 if tok.lower_ in _NAME_ARTICLES else org.start + 1
        return org if first <= word.start < org.end else None

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 128):
        """The cue grammar doc by doc; the frame sentences of a whole batch parsed together
        (the parser's cost is per call as much as per word)."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        states = [self._cue_orgs(doc) for doc in docs]
        if self.frames is not None:
            requests = [
                (k, s_start, sentence)
                for k, (doc, (known, found)) in enumerate(zip(docs, states))
                if known is not None
                for s_start, sentence in self._frame_sentences(doc, known, found)
            ]
            parsed = self.frames.read_many([r[2] for r in requests])
            for (k, s_start, _), readings in zip(requests, parsed):
                known, found = states[k]
                assert known is not None  # only blocks the cue grammar read have frame sentences
                # the cue grammar's reading of a known name stands ("the German IKI" stays IKI);
                # an unresolved one gives way to the longer name the parse gives
                # (an acronym stands too: "la NOAA des États-Unis a détaché" is NOAA, its state the parent)
                taken = {
                    t
                    for o in found
                    if o.source != "np" or (o.canonical.isupper() and " " not in o.canonical)
                    for t in range(o.start, o.end)
                }
                # nor is a project the cue grammar read as the money's channel a payer
                channels = {o.attrs.get("via") for o in found} - {None}
                frame_orgs = self._frame_orgs(docs[k], known, s_start, readings)
                if any(o.attrs.get("cue") == "frame-thank" for o in frame_orgs):
                    # the thanks-list reader pairs each thanked giver with its own reason: one
                    # thanked for hosting is no funder although the sentence names money elsewhere
                    unpaid = {(o.start, o.end) for o, paid in self._thanks_lists(docs[k], known) if not paid}
                    frame_orgs = [
                        o for o in frame_orgs if o.attrs.get("cue") != "frame-thank" or (o.start, o.end) not in unpaid
                    ]
                found.extend(
                    o for o in frame_orgs if not taken & set(range(o.start, o.end)) and o.canonical not in channels
                )
                if frame_orgs:
                    found.extend(self._from_list(docs[k], known, found))
        for doc, (known, found) in zip(docs, states):
            if known is not None:
                self._emit(doc, found)
        return docs

    def _cue_orgs(self, doc: Doc) -> tuple[dict | None, list[Org]]:
        cues = doc.spans.get(CUES_KEY, [])
        cells = doc._.cami_funding_cells or []
        if (
            not len(cues)
            and not cells
            and (self.frames is None or not self.frames.mentions_a_frame(text_of(doc)))
            and not any(t.lower_ in _THANKS or t.lower_ in _RELATIVE_GIVING_VERBS or t.text in _BULLETS for t in doc)
        ):
            return None, []  # nothing to read: the gazetteer lookups are skipped too
        known = self._known_orgs(doc)
        right: dict[int, tuple[int, str]] = {}
        other_roles: set[int] = set()
        left: list[tuple[int, str]] = []
        for span in cues:
            if span.label_ == "FUND_RIGHT":
                # overlapping patterns: keep the longest reach for each start
                if span.end > right.get(span.start, (0, ""))[0]:
                    right[span.start] = (span.end, span.id_ or span.label_)
            elif span.label_ == "OTHER_ROLE":
                other_roles.add(span.start)
            else:
                left.append((span.start, span.id_ or span.label_))
        # a right cue that starts inside a longer one ("funding from" in "with funding from") is the same cue
        for s in sorted(right):
            if s not in right:  # already dropped as inside a longer cue
                continue
            for t in list(right):
                if s < t < right[s][0]:
                    right.pop(t, None)
        found: list[Org] = []
        for start_char, end_char in cells:
            cell = doc.char_span(start_char, end_char, alignment_mode="contract")
            if cell is not None:
                found.extend(self._read_cell(doc, cell.start, cell.end, known))
        for start, (end, cue_id) in sorted(right.items()):
            if any(s < start < right[s][0] for s in right if s != start):
                continue
            if cue_id == "donor-followed-by" and not _ranked_donor_before(doc, start):
                continue  # "opened by X, followed by Y": no ranking of givers
            if cue_id == "es-verbo-sujeto-pospuesto" and not (end < len(doc) and doc[end].text[:1].isupper()):
                continue  # "cuyo puesto financia el Ministerio ...": the subject after its verb, a name
            if cue_id == "fr-financement-de" and {"bailleur", "bailleurs"} & {
                t.lower_ for t in doc[max(0, start - 2) : start]
            }:
                continue  # "le premier bailleur de fonds de la Convention": the receiver, not a giver
            if cue_id in _LABEL_CUES:
                # "Funding: A; B." is a key and its value, like a table cell: read to the full stop
                stop = next((k for k in range(end, len(doc)) if doc[k].text == "."), len(doc))
                found.extend(self._read_cell(doc, end, stop, known, cue=cue_id))
                continue
            if (
                cue_id.endswith("money-before")
                and not any(
                    t.lower_ in _MONEY_NOUNS or t.lower_ in CURRENCY_WORDS  # "120.000 EUR proceden del X"
                    for t in doc[max(0, start - MAX_SOURCE_GAP) : start]
                )
            ):
                continue  # "provenant de" / "procedentes de" says where money came from only after money
            if cue_id.endswith("money-after"):
                stop = next((k for k in range(end, len(doc)) if doc[k].text in (".", ";")), len(doc))
                # "agradece a los Gobiernos de A y B que hayan acogido las reuniones, y a todos los
                # donantes su apoyo financiero": the money is the next dative group's
                group = next(
                    (
                        k
                        for k in range(end + 1, stop - 2)
                        if doc[k].text == ","
                        and doc[k + 1].lower_ in ("y", "et", "e")
                        and doc[k + 2].lower_ in ("a", "al", "à", "au", "aux")
                    ),
                    stop,
                )
                if not any(t.lower_ in _FINANCIAL_WORDS or t.lower_ in CURRENCY_WORDS for t in doc[end:group]):
                    continue  # "exprime sa gratitude à X" for what is not said: thanks, not money
            if doc[end - 1].lower_ in ("contribution", "contributions", "contribución", "contribuciones") or (
                end >= 2 and doc[end - 2].lower_ in ("contribution", "contributions", "contribución", "contribuciones")
            ):
                if any(t.lower_ in _WRITING_VERBS for t in doc[max(0, start - MAX_SOURCE_GAP) : start]):
                    continue  # "le rapport a été rédigé par X avec les contributions de Y": input to a text
            orgs = self._read_list(doc, end, known, cue_id, right, other_roles)
            again = _agent_resumed(doc, end, right, other_roles, {k for k, _ in left})
            if again is None and cue_id in _SUBJECT_AFTER_VERB:
                again = _subjects_resumed(doc, end, right, other_roles, {k for k, _ in left})
            if again is not None:
                orgs.extend(self._read_list(doc, again, known, cue_id, right, other_roles))
            if cue_id.endswith("money-after"):
                # "au Gouvernement du Sénégal pour son accueil ..., ainsi qu'à l'EAD, à l'UE ... pour
                # leurs contributions financières": the thanked list goes on after its first reason
                for k in range(end, stop - 2):
                    if not (doc[k].lower_ in ("ainsi", "así") and _plain(doc[k + 1]) in ("qu'", "que", "como")):
                        continue
                    if doc[k + 2].lower_ in ("à", "au", "aux", "a", "al"):
                        orgs.extend(self._read_list(doc, k + 3, known, cue_id, right, other_roles))
                    elif doc[k + 2].text == ",":
                        # "ainsi que, pour leurs subventions, à la Fondation X et au Y": the
                        # reason before the second list; it must be a gift too
                        close = next((c for c in range(k + 3, min(stop, k + 12)) if doc[c].text == ","), None)
                        if (
                            close is not None
                            and close + 2 < len(doc)
                            and doc[close + 1].lower_ in ("à", "au", "aux", "a", "al")
                            and _reason_pays([t.lower_ for t in doc[k + 3 : close]], self.lang or "en")
                        ):
                            orgs.extend(self._read_list(doc, close + 2, known, cue_id, right, other_roles))
            if cue_id == "es-con-cargo-a":
                orgs = orgs[:1]  # "Con cargo a la IKI del BMUKN, la Secretaría siguió ...": a fronted phrase names one
            if cue_id.endswith("grantmaker"):
                # "supported by" alone may be help of any kind; a foundation or a fund that
                # supports gives money (grant-makers are what they are)
                orgs = [o for o in orgs if _GRANT_MAKER.search(o.canonical)]
            found.extend(orgs)
        for k, cue_id in left:
            if cue_id.endswith("after-verb"):
                if k == 0 or not (doc[k - 1].is_alpha and doc[k - 1].is_lower):
                    continue  # ", at its own cost,": an aside; its giver is the clause's subject, read by the frames
                k -= 1  # "whose leaflets FACE produced at its own expense": the verb before the cue
            tok = doc[k]
            if (
                k + 1 < len(doc)
                and doc[k + 1].lower_ in ("by", "for", "par", "por")
                and cue_id != "paid-for"
                and cue_id not in _OBJECT_CUES
                and not (k + 2 < len(doc) and doc[k + 2].lower_ == "far")  # "remained by far the largest donor"
            ):
                continue  # a right cue ("funded by"); not "ont réglé par anticipation leur contribution"
            if k > 0 and doc[k - 1].lower_ in _PASSIVE_AUX - {"has", "had", "have"}:
                continue  # "WWF Russia was commissioned to prepare": the contractor, not a funder
            if tok.lower_.startswith("commission") and _explicit_funding_follows(doc, k, right):
                continue  # the commissioner is an agent; the sentence names who paid
            orgs = self._left_org(doc, k, known)
            if cue_id in _POSSESSIVE_RELATIVE_CUES:
                orgs = orgs[-1:]  # "the field visit to X, and the Australian Government, whose contribution": one
            for org in orgs:
                org.attrs["cue"] = cue_id
                found.append(org)
        # "an IKI grant", "BMUV funding": a known funder right before a funding noun
        for orgs in known.values():
            for o in orgs:
                if (
                    o.source == "gazetteer"
                    and o.end < len(doc)
                    and (
                        # "BMUV funding", "the Ministry ... (BMUKN) funds a post": past its acronym
                        doc[min(_skip_parenthetical(doc, o.end), len(doc) - 1)].lower_
                        in ("grant", "grants", "funding", "funds")
                        # "a LIFE project", "an IKI project": a project named after the funding
                        # programme that pays for it (not "a WWF project", which WWF carries out)
                        or (
                            doc[o.end].lower_ in ("project", "projects")
                            and o.canonical.split()[-1].lower() in _PROGRAMME_WORDS
                        )
                    )
                ):
                    found.append(Org(o.start, o.end, o.canonical, o.source, {**o.attrs, "cue": "org-grant"}))
        found.extend(self._possessed_programmes(doc, known, found))
        found.extend(self._bracketed_givers(doc, known))
        found.extend(self._adjective_gifts(doc))
        found.extend(self._from_list(doc, known, found))
        found.extend(self._amount_bullets(doc, known))
        taken = {t for o in found for t in range(o.start, o.end)}
        found.extend(o for o in self._relative_givers(doc, known) if not taken & set(range(o.start, o.end)))
        taken = {t for o in found for t in range(o.start, o.end)}
        found.extend(o for o, paid in self._thanks_lists(doc, known) if paid and not taken & set(range(o.start, o.end)))
        return known, found

    def _thanks_lists(self, doc: Doc, known: dict[int, list[Org]]) -> list[tuple[Org, bool]]:
        """The givers a thanks lists, each with whether it is a funder: what it is thanked for (the
        words up to the next giver, or the reason a run of givers shares: "thanks A, B and C for
        their contributions") names money, costs or a gift in kind."""
        out: list[tuple[Org, bool]] = []
        for t in (k for k in range(len(doc)) if doc[k].lower_ in _THANKS):
            if t + 1 < len(doc) and doc[t].lower_ == "thanks" and doc[t + 1].lower_ == "to":
                continue  # "thanks to the support of X": a cause, read by the cues
            stop = next((k for k in range(t + 1, len(doc)) if _ends_thanks(doc, k)), len(doc))
            stop = next((k for k in range(t + 1, stop) if doc[k].lower_ in _THANKS), stop)
            items: list[tuple[Org, int]] = []  # (giver, where the words before it began)
            k = t + 1
            while k < stop:
                sep = 0 if k == t + 1 else (1 if doc[k].text == ";" else _separator(doc, k))  # ";": one that goes on
                if k > t + 1 and not sep:
                    k += 1
                    continue
                j = k + sep
                while j < min(stop, k + sep + MAX_THANKS_GAP) and (
                    doc[j].lower_ in _THANKS_OPENERS | _NAME_ARTICLES | _ARTICLES or doc[j].text == ","
                ):
                    j += 1
                orgs = [o for o in self._org_at(doc, j, known) if o.source != "np" or _org_like(doc[o.start : o.end])]
                if not orgs:
                    k += 1
                    continue
                for o in orgs:
                    items.append((o, k))
                k = _skip_parenthetical(doc, max(o.end for o in orgs))
            for n, (org, _) in enumerate(items):
                # its reason: up to the next giver; an empty one is the reason of the givers after it
                for m in range(n, len(items)):
                    until = items[m + 1][1] if m + 1 < len(items) else stop
                    reason = [
                        w.lower_ for w in doc[items[m][0].end : _reason_end(doc, items[m][0].end, until)] if w.is_alpha
                    ]
                    if len(reason) > 1 or m + 1 == len(items):
                        break
                paid = _reason_pays(reason, self.lang or "en")
                out.append(
                    (Org(org.start, org.end, org.canonical, org.source, {**org.attrs, "cue": "thanks-list"}), paid)
                )
        return out

    def _amount_bullets(self, doc: Doc, known: dict[int, list[Org]]) -> list[Org]:
        """Bullets that open with a giver and its amount: "• Norvège : 1 000 000 NOK ...",
        "• Fondation Prince Albert II de Monaco : 40 000 euros pour ...", "• Sweden: SEK 300,000"."""
        out: list[Org] = []
        # "contributions were received from: • the Swedish EPA, SEK 500,000 for ...; • the Segré
        # Foundation, a grant of EUR 40,000": after a list opened by giving, a comma does as well
        giving_list = False
        for b in range(len(doc) - 3):
            if doc[b].text not in _BULLETS:
                continue
            if not giving_list:
                giving_list = b > 0 and doc[b - 1].text == ":" and any(t.lower_ in _GIVING_WORDS for t in doc[:b])
            for o in self._org_at(doc, _after_articles(doc, b + 1), known):
                c = _skip_parenthetical(doc, o.end)
                if c + 1 >= len(doc) or not (doc[c].text == ":" or (giving_list and doc[c].text == ",")):
                    continue
                amount = c + 1 + (doc[c].text == "," and doc[c + 1].lower_ in ("a", "an") and c + 2 < len(doc))
                if (
                    doc[amount].like_num
                    or doc[amount].lower_ in _CURRENCIES
                    or doc[amount].text[:1] in _CURRENCY_SIGNS
                    or (doc[c].text == "," and doc[amount].lower_ in _GIFT_NOUNS)
                ):
                    out.append(Org(o.start, o.end, o.canonical, o.source, {**o.attrs, "cue": "amount-bullet"}))
        return out

    def _from_list(self, doc: Doc, known: dict[int, list[Org]], found: list[Org]) -> list[Org]:
        """Givers listed one "from" at a time after a giver read as the source of money:
        "contributions received: from Germany, EUR 610,000 ...; from Switzerland, CHF 95,000; and
        from Monaco, EUR 38,500" (the cue grammar reads the first)."""
        out: list[Org] = []
        firsts = [
            o
            for o in found
            if o.start > 0 and doc[o.start - 1 - (doc[o.start - 1].lower_ in _ARTICLES)].lower_ == "from"
        ]
        if not firsts:
            return out
        taken = {t for o in found for t in range(o.start, o.end)}
        k = min(o.end for o in firsts)
        while k < len(doc) and doc[k].text not in (".", "!", "?"):
            if doc[k].text == ";":
                j = k + 1 + (k + 1 < len(doc) and doc[k + 1].lower_ == "and")
                if j < len(doc) and doc[j].lower_ == "from":
                    for o in self._org_at(doc, _after_articles(doc, j + 1), known):
                        if not taken & set(range(o.start, o.end)):
                            out.append(Org(o.start, o.end, o.canonical, o.source, {**o.attrs, "cue": "from-list"}))
            k += 1
        return out

    def _relative_givers(self, doc: Doc, known: dict[int, list[Org]]) -> list[Org]:
        """The giver of money or a gift named in a French or Spanish relative clause on it, before
        or after the verb: "una contribución de 85.000 francos que el Gobierno de Suiza aportó",
        "la avioneta que facilitó la Armada de Chile", "le véhicule qu'a prêté la Marine". (English
        relatives are read off the parse by the frames.)"""
        out: list[Org] = []
        if self.lang not in ("fr", "es"):
            return out
        for q in range(1, len(doc) - 2):
            if _plain(doc[q]) not in ("que", "qu'") or not any(
                w.lower_ in _GIVING_WORDS or w.lower_ in _CURRENCIES for w in doc[max(0, q - MAX_THANKS_GAP) : q]
            ):
                continue
            verb = q + 1 + (doc[q + 1].lower_ in _RELATIVE_AUX)
            if doc[verb].lower_ in _RELATIVE_GIVING_VERBS:  # the subject after its verb
                orgs = self._org_at(doc, _after_articles(doc, verb + 1), known)
                if len(orgs) == 1 and orgs[0].source == "np" and doc[orgs[0].end - 1].lower_ in _BODY_HEADS_FR_ES:
                    # "qu'a prêté la Marine nationale.": the name runs to the clause's end
                    stop = next((t for t in doc[orgs[0].end :] if t.is_punct), doc[-1])
                    orgs = [_sentence_case_tail(doc, orgs[0], stop.idx)]
            else:  # the subject before it
                orgs = self._org_at(doc, _after_articles(doc, q + 1), known)
                if orgs:
                    e = _skip_parenthetical(doc, max(o.end for o in orgs))
                    e += e < len(doc) and doc[e].lower_ in _RELATIVE_AUX
                    if not (e < len(doc) and doc[e].lower_ in _RELATIVE_GIVING_VERBS):
                        orgs = []
            out.extend(
                Org(o.start, o.end, o.canonical, o.source, {**o.attrs, "cue": "relative-giver"})
                for o in orgs
                if o.source != "np" or o.attrs.get("form") == "sentence-case" or _org_like(doc[o.start : o.end])
            )
        return out

    def _adjective_gifts(self, doc: Doc) -> list[Org]:
        """A state's gift named by its adjective: "the Swiss contribution", "la contribution
        monégasque", "el aporte chileno" (the adjective before the noun in English, after it in
        French and Spanish): the country's government gave it."""
        out: list[Org] = []
        for h in hits_of(doc):
            if h.entity_type != "country" or h.attrs.get("via") != "adjective":
                continue
            span = doc.char_span(h.start, h.end, alignment_mode="expand")
            if span is None:
                continue
            # "the Kazakh state budget", "le budget national sénégalais": a qualifier may sit between
            step = 1 if self.lang == "en" else -1
            n = span.end if self.lang == "en" else span.start - 1
            if 0 <= n < len(doc) and doc[n].lower_ in _BUDGET_QUALIFIERS:
                n += step
            noun = doc[n] if 0 <= n < len(doc) else None
            if noun is not None and noun.lower_ in _ADJECTIVE_GIFT_NOUNS:
                attrs = {"country": h.canonical, "cue": "adjective-gift"}
                out.append(Org(span.start, span.end, government_name(h.canonical), "government", attrs))
        return out

    def _emit(self, doc: Doc, found: list[Org]) -> None:
        hits = hits_of(doc)
        seen: set[tuple[int, int, str]] = set()
        codes = [(h.start, h.end) for h in hits if h.entity_type == "document_code"]
        governments = {(o.start, o.end) for o in found if o.source == "government"}
        for org in found:
            if org.source != "government" and (org.start, org.end) in governments:
                continue  # "the Kazakh state budget": the adjective is the state, not a name of its own
            if any(a <= doc[org.start].idx < b for a, b in codes):
                continue  # "details by donor are in UNEP/CMS/IOSEA/MOS9/Inf.8.3": a symbol is no giver
            if (
                org.attrs.get("cue") in _BUDGET_CUES
                and org.source == "np"
                and " " not in org.canonical
                and org.canonical[1:].islower()
            ):
                continue  # "del presupuesto del Estado", "del Servicio": a budget's owner named by a common noun
            if org.attrs.get("cue") in _BUDGET_CUES and _TRUST_FUND.match(org.canonical):
                continue  # "el presupuesto del Fondo Fiduciario de la Convención": the fund's own budget
            if org.canonical.lower() in ("secretariat", "secrétariat", "secretaría") and org.source == "np":
                continue
            if (org.start, org.end, org.canonical) in seen:
                continue
            seen.add((org.start, org.end, org.canonical))
            span = doc[org.start : org.end]
            conf = {"gazetteer": 1.0, "government": 1.0, "np": 0.7, "ner": 0.6}[org.source]
            attrs = {k: v for k, v in org.attrs.items() if v}
            attrs["source"] = org.source
            hits.append(Hit("funder", span.start_char, span.end_char, org.canonical, EXTRACTOR, conf, attrs))


# words that end a French or Spanish name read back from its verb: "El Ministerio ... en 2025 financió"
_NAME_ENDERS = {"en", "con", "avec", "dans", "a", "à", "au", "aux", "ya", "también", "aussi", "ainsi", "ha", "han",
                "se", "s'", "ne", "n'", "que", "qu'", "qui", "dont", "cuyo", "cuya", "sur", "entre", "desde",
                "depuis", "durante", "pendant", "lui", "le", "lo", "les", "los", "las", "su", "sus", "son", "sa",
                "ses", "leur", "leurs", "même", "mismo", "misma", "propio", "propia", "ont", "avait", "había"}  # fmt: skip


def _sentence_case_name(doc: Doc, k: int) -> Org | None:
    """A French or Spanish name in sentence case that ends before token k, read back to its
    capitalised head word opened by an article: "Le Service national des pêches a financé", "la
    Marine nationale a prêté" (with an acronym or a country after it, other readers take it)."""
    for h in range(k - 1, max(-1, k - MAX_OWNED_NAME_TOKENS - 2), -1):
        t = doc[h]
        if not (t.is_alpha or _plain(t) in ("l'", "d'")) or t.lower_ in _NAME_ENDERS:
            return None
        if t.lower_ in _BODY_HEADS_FR_ES and (t.text[:1].isupper() or t.text == "ministère"):
            if h < k - 1 and (h == 0 or doc[h - 1].lower_ in _NAME_ARTICLES):
                text = squash(doc[h:k].text)
                return Org(h, k, text, "np", {"surface": text})
            return None
    return None


def _french_ministry(doc: Doc, i: int) -> Org | None:
    """French typography writes a ministry in lower case: "le ministère de la Transition
    écologique", "le ministère de l'Environnement et du Tourisme de la Mongolie"; the name runs to
    the clause's end, an "et" that opens another name, or a word that no name holds."""
    if i + 2 >= len(doc) or _plain(doc[i + 1]) not in ("de", "du", "des", "l'", "d'", "délégué", "fédéral"):
        return None
    end = i + 1
    while end < len(doc):
        t = doc[end]
        if not (t.is_alpha or _plain(t) in ("l'", "d'")) or t.lower_ in _NAME_ENDERS | {"par", "pour", "dans"}:
            break
        if t.lower_ == "et" and end + 1 < len(doc) and _plain(doc[end + 1]) not in ("du", "de", "des", "d'"):
            break  # "et par la Fondation", "et la GIZ": another name
        end += 1
    while end > i + 1 and doc[end - 1].lower_ in _CONNECT | _NAME_ARTICLES | {"l'", "d'"}:
        end -= 1
    if end <= i + 2 or not any(t.text[:1].isupper() for t in doc[i + 1 : end]):
        return None  # "le ministère de tutelle": no name
    text = squash(doc[i:end].text)
    return Org(i, end, text, "np", {"surface": text, "form": "sentence-case"})


def _french_ministry_ending_at(doc: Doc, k: int) -> Org | None:
    """ "le ministère de l'Environnement et du Tourisme a mis à disposition": a ministry in lower
    case ending before token k, read back to its head word."""
    for h in range(k - 2, max(-1, k - MAX_OWNED_NAME_TOKENS - 6), -1):
        if doc[h].text == "ministère":
            ministry = _french_ministry(doc, h)
            return ministry if ministry is not None and ministry.end == k else None
        if not (doc[h].is_alpha or _plain(doc[h]) in ("l'", "d'")):
            return None
    return None


def _sentence_case_tail(doc: Doc, org: Org, edge_char: int) -> Org:
    """A French name the parse reads as a head word and its lower-case modifiers ("la Marine
    nationale a prêté", "le Service des parcs nationaux a financé"), up to the subject's right edge."""
    end = org.end
    while end < len(doc) and doc[end].idx < edge_char:
        t = doc[end]
        if not (t.is_alpha or _plain(t) in ("l'", "d'")) or t.lower_ in _NAME_ENDERS:
            break
        end += 1
    if end < len(doc) - 2 and doc[end].lower_ == "pour":
        # "l'Agence norvégienne pour l'environnement": the parse may hang the name's last phrase
        # on the verb; a body's purpose after "pour" is its name's
        j = end + 1 + (_plain(doc[end + 1]) in ("l'", "la", "le", "les"))
        if j < len(doc) and doc[j].is_alpha and doc[j].is_lower and doc[j].lower_ not in _NAME_ENDERS:
            end = j + 1
    while end > org.end and doc[end - 1].lower_ in _CONNECT | _NAME_ARTICLES | {"l'", "d'"}:
        end -= 1  # never a name ending in "de la"
    if end == org.end:
        return org
    text = squash(doc[org.start : end].text)
    return Org(org.start, end, text, "np", {"surface": text, "form": "sentence-case"})


# finite verbs that open a clause after a name ("..., and the SCA organized a side event")
_CLAUSE_VERBS = {"is", "was", "were", "are", "has", "have", "had", "will", "would", "led", "held", "gave", "took",
                 "made", "ran", "built", "drew", "wrote", "set"}  # fmt: skip


def _head_word_back(doc: Doc, org: Org) -> bool:
    """ "the Ministry also paid": a body named before by its full name, by its head word after an
    article (the document's resolver finds the name it refers to, or drops it)."""
    t = doc[org.start]
    return (
        org.end == org.start + 1
        and org.start > 0
        and doc[org.start - 1].lower_ in _NAME_ARTICLES
        and t.text[:1].isupper()
        and t.lower_ in _REFERENT_HEADS
    )


_RANKS = {"largest", "biggest", "main", "principal", "leading", "top", "major"}
_GIVER_NOUNS = {"donor", "donors", "contributor", "contributors", "funder", "funders"}


def _ranked_donor_before(doc: Doc, k: int) -> bool:
    """ "X remained the largest donor (in 2025), followed by A, B and C": a ranking of givers ends
    within a few words before the comma at k."""
    for j in range(k - 1, max(0, k - 5), -1):
        if doc[j].lower_ in _GIVER_NOUNS and doc[j - 1].lower_ in _RANKS:
            return True
        if doc[j].text in (".", ";", ":", ",", "(", ")"):
            return False
    return False


def _promise_across_date(doc: Doc, k: int) -> int:
    """ "le Gouvernement des Pays-Bas s'est engagé le 14 novembre 2025 à verser": a date between
    the promise and its "à", without commas; how far back from k the promise starts (0: none)."""
    m = k - 1
    while (
        m > 0
        and k - 1 - m < 6
        and (
            doc[m - 1].like_num
            or any(month_number(doc[m - 1].lower_, lang) for lang in ("en", "fr", "es"))
            or doc[m - 1].lower_ in ("le", "en", "el", "in", "on", "de", "del", "du", "1er", "of")
        )
    ):
        m -= 1
    if m == k - 1 or not any(t.like_num for t in doc[m : k - 1]):
        return 0
    return _promise_head_before(doc, m, k)


def _promise_head_before(doc: Doc, m: int, k: int) -> int:
    """How far back from k a promise starts whose head ("s'est engagé") ends at m and whose "à"
    is doc[k - 1], with an insert between them; 0 when none does."""
    # the promise's words, without the adverbs inside it: "s'est en outre engagé", "s'est aussi engagée"
    words = [j for j in range(max(0, m - 8), m) if not _promise_adverb(doc[j])]
    for seq in _PROMISE_TO:
        head = seq[:-1]
        if seq[-1] != doc[k - 1].lower_ or not head or len(words) < len(head):
            continue
        last = words[-len(head) :]
        if tuple(_plain(doc[j]) for j in last) == head and all(
            _promise_adverb(doc[j]) for j in range(last[0], m) if j not in last
        ):
            return k - last[0]
    return 0


def _promise_adverb(token: Token) -> bool:
    return token.lower_ in (
        "en",
        "outre",
        "aussi",
        "également",
        "par",
        "ailleurs",
        "de",
        "plus",
        "also",
        "further",
    ) or (len(token.text) > 5 and token.lower_.endswith(("ment", "mente", "ly")))


def _bracket_opening(doc: Doc, k: int) -> int | None:
    """The "(" of the bracket that closes at doc[k - 1], within a name's length; None when there
    is none (another bracket or a full stop comes first)."""
    for o in range(k - 2, max(0, k - 2 - MAX_CHANNEL_NAME_TOKENS), -1):
        if doc[o].text in ("(", ")", "."):
            return o if doc[o].text == "(" else None
    return None


def _plural_verb_at(doc: Doc, j: int, lang: str) -> bool:
    """A French or Spanish finite verb in the plural at j ("mènent", "ont", "aportaron"), judged
    by its ending (the entity pipeline has no tagger)."""
    if lang == "en" or j >= len(doc) or not (doc[j].is_alpha and doc[j].is_lower):
        return False
    word = doc[j].lower_
    if lang == "fr":
        return word in ("ont", "sont", "font", "vont") or (len(word) > 4 and word.endswith("ent"))
    return len(word) > 4 and word.endswith(("aron", "ieron", "aban", "ían", "arán", "erán", "irán"))


def _opens_predicate(doc: Doc, j: int) -> bool:
    """Whether the English word at j is a verb whose subject is the name before it: a past form
    ("organized", "hosted") or an auxiliary."""
    if j >= len(doc) or not (doc[j].is_alpha and doc[j].is_lower):
        return False
    word = doc[j].lower_
    return word in _CLAUSE_VERBS or (len(word) > 4 and word.endswith("ed") and word not in ("based", "led"))


def _named_window(doc: Doc, i: int, owner: Org) -> Org | None:
    """ "el programa EUROCLIMA de la Unión Europea", "le programme PAPBio de l'UE": a named
    funding programme before its owner pays in its own name too (the owner its parent), as
    "the LIFE Programme of the European Union" does in English; a project does not."""
    if doc[i].lower_ not in ("programa", "programme", "programas", "programmes"):
        return None
    end = i + 1
    while end < len(doc) and (doc[end].text[:1].isupper() or doc[end].text == "-"):
        end += 1
    if end == i + 1 or end > owner.start:
        return None
    name = squash(doc[i + 1 : end].text)
    return Org(i + 1, end, name, "np", {"surface": name, "parent": owner.canonical})


def _channel_before(doc: Doc, k: int) -> tuple[int, str, tuple[int, int]]:
    """ "El Gobierno de Alemania, a través de la BfN INA, sufraga": the channel between the payer
    and its verb. Returns where the payer ends, the channel's words and their token range."""
    if k >= 3 and doc[k - 1].text == ",":
        # the nearest comma that opens a channel: a ministry's name may hold commas of its own
        for m in range(k - 3, max(0, k - 2 - MAX_CHANNEL_NAME_TOKENS), -1):
            if doc[m].text in (".", ";", ":"):
                break
            words = " ".join(t.lower_ for t in doc[m + 1 : m + 5])
            if doc[m].text == "," and words.startswith(_CHANNEL_OPENERS):
                return m, squash(doc[m + 1 : k - 1].text), (m + 1, k - 1)
    return k, "", (0, 0)


def _after_articles(doc: Doc, j: int) -> int:
    while j < len(doc) and doc[j].lower_ in _NAME_ARTICLES:
        j += 1
    return j


def _reason_pays(reason: list[str], lang: str) -> bool:
    """Whether what a giver is thanked for (its reason's words, lower case) is money, costs or a
    gift in kind. After "for" / "pour" / "por" the reason is what follows ("the Secretariat staff
    for the report"), up to a relative clause on it ("for preparing X, which deals with the annual
    contribution"); a text thanked for is no gift unless costs or an amount are named ("for its
    contribution to the report", "for providing a list of vessels")."""
    opener = next((i for i, w in enumerate(reason) if w in ("for", "pour", "por")), None)
    if opener is not None:
        reason = reason[opener + 1 :]
        reason = reason[: next((i for i, w in enumerate(reason) if w in _RELATIVES), len(reason))]
    words = set(reason) - (_NOT_ENGLISH_GIFTS if lang == "en" else set())
    if words & _TEXT_INPUTS:
        return bool(words & (_COSTS | _CURRENCIES))
    return bool(words & (_GIVING_WORDS | _CURRENCIES)) or bool(_IN_KIND.search(" ".join(reason)))


def _ends_thanks(doc: Doc, k: int) -> bool:
    """Whether token k ends a thanks list: a full stop, or a semicolon that no dative follows
    ("agradece al Gobierno de Panamá su hospitalidad; al USFWS, su apoyo financiero; a ECCC, ...")."""
    if doc[k].text in (".", "!", "?", "•"):
        return True
    if doc[k].text != ";":
        return False
    nxt = k + 1 + (k + 1 < len(doc) and doc[k + 1].lower_ in ("y", "et", "and"))
    return not (nxt < len(doc) and doc[nxt].lower_ in _DATIVES)


def _reason_end(doc: Doc, start: int, until: int) -> int:
    """Where a thanked giver's reason ends: before an "and" that opens another predicate."""
    for r in range(start, until - 1):
        nxt = doc[r + 1]
        if doc[r].text == "," and nxt.lower_ in ("y", "e", "et", "and") and r + 2 < until:
            if doc[r + 2].lower_ in ("a", "al", "à", "au", "aux", "to"):
                return r  # ", y a todos los donantes su apoyo": the next dative has its own reason
        if doc[r].lower_ in ("and", "et", "y") and nxt.is_alpha and nxt.is_lower and _plain(nxt) not in _REASON_GOES_ON:
            if not (nxt.lower_ in _GIVING_WORDS or nxt.lower_.endswith(("ing", "ant", "ando", "iendo"))):
                return r
    return until


def _in_order(letters: str, initials: list[str]) -> bool:
    """Every letter of the acronym among the initials, in order ("CAMPA" in N C A F M P A)."""
    it = iter(initials)
    return all(any(c == i for i in it) for c in letters)


def _two_word_short_form(words) -> bool:
    """ "AGRO RURAL", "Fonds MBZ", "MBZ Fund": two words, one of them capitals."""
    a, b = words[0].text, words[1].text
    return a[:1].isupper() and b[:1].isupper() and ((a.isupper() and len(a) >= 2) or (b.isupper() and len(b) >= 2))


def _skip_amount(doc: Doc, i: int) -> int:
    """Past "a grant of EUR 240,000 from" / "USD 1.4 million from" to the organisation."""
    j = i
    while j < len(doc) and (
        doc[j].lower_
        in (
            "a",
            "an",
            "grant",
            "contribution",
            "donation",
            "of",
            "some",
            "about",
            "approximately",
            "million",
            "thousand",
            "billion",
            "m",
        )
        or doc[j].lower_ in _CURRENCIES
        or doc[j].like_num
    ):
        j += 1
    if j > i and doc[j - 1].lower_ in ("dollars", "dólares"):
        j = _past_currency_country(doc, j)  # "1 800 000 dollars des États-Unis": the currency's name
    if (
        j > i
        and any(t.lower_ in _CURRENCIES or t.like_num for t in doc[i:j])
        and j < len(doc)
        and doc[j].lower_ in ("from", "by", "de", "du", "des", "d'", "del", "par", "por")
    ):
        return j + 1
    return i


# the country in a currency's name: "dollars des États-Unis", "dólares de los Estados Unidos"
_CURRENCY_COUNTRIES = (("des", "états-unis"), ("de", "los", "estados", "unidos"), ("américains",), ("estadounidenses",),
                       ("canadiens",), ("australiens",), ("canadienses",), ("australianos",))  # fmt: skip


def _past_currency_country(doc: Doc, j: int) -> int:
    for seq in _CURRENCY_COUNTRIES:
        if tuple(t.lower_ for t in doc[j : j + len(seq)]) == seq:
            return j + len(seq)
    return j


def _closing_paren(doc: Doc, j: int, end: int) -> int:
    """Index of the ")" matching the "(" at j, or ``end`` when it is not closed in the cell."""
    depth = 0
    for k in range(j, end):
        depth += {"(": 1, ")": -1}.get(doc[k].text, 0)
        if depth == 0:
            return k
    return end


def _plain(tok: Token) -> str:
    """The token in lower case with a plain apostrophe ("s’" -> "s'")."""
    return tok.lower_.replace("\u2019", "'")


def _is_acronym(tok: Token) -> bool:
    return tok.is_alpha and tok.is_upper and len(tok) >= 2


def _acronym_like(tok: Token) -> bool:
    """An acronym, also in mixed case ("SAyDS", "BfN", "SwAM"), not a title-case word."""
    return tok.is_alpha and len(tok) <= 8 and sum(c.isupper() for c in tok.text) >= 2 and not tok.is_title


def _titled(word: str) -> bool:
    """A capitalised word, or one behind an elided article ("l'Eau", "d'Électricité")."""
    return word[:1].isupper() or (word[:1] in "ldLD" and word[1:2] in "'’" and word[2:3].isupper())


def _org_like(span) -> bool:
    """A capitalised phrase in a funding cell that names an organisation, not a status."""
    words = [t for t in span if t.is_alpha]
    # a status opens the cell's phrase ("National budget", "Own resources"); inside a name it
    # is the name's ("Shatsk National Nature Park")
    if words and all(t.text in _CELL_STATUS for t in words):
        return False
    if words and words[0].text in _CELL_STATUS and not any(t.lower_ in _ORG_HEADS for t in words[1:]):
        return False  # "National budget"; not "National Center for Wildlife"
    if len(words) == 1 and len(words[0]) >= 4 and words[0].text[0].isupper() and words[0].text[1:].islower():
        return True  # a one-word name alone in a funding cell: "Panthera", "Rufford"
    if any(sum(c.isupper() for c in t.text) >= 2 for t in words):
        return True  # an acronym: "WWF", "CAMCA", "SwAM"
    if any(t.lower_ in _ORG_HEADS for t in words):
        return True
    return sum(t.text[:1].isupper() for t in words) >= 2  # "Fondation Segre", "Panthera Corporation"


def _skip_parenthetical(doc: Doc, j: int) -> int:
    """Skip "(IKI)" / "(UK)" after a name, and an amount: "(180 000 EUR)", "(USD 25,000)"."""
    if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")" and len(doc[j + 1].text) <= 12:
        return j + 3
    if j + 3 < len(doc) and doc[j].text == "(" and doc[j + 3].text == ")" and _two_word_short_form(doc[j + 1 : j + 3]):
        return j + 4  # "(MBZ Fund)", "(AGRO RURAL)"
    if j < len(doc) and doc[j].text == "(":
        for k in range(j + 1, min(len(doc), j + MAX_AMOUNT_TOKENS)):
            if doc[k].text in ("(", ".", ";"):
                break
            if doc[k].text == ")":
                inner = doc[j + 1 : k]
                if (inner and inner[0].like_num) or any(t.lower_ in _CURRENCIES for t in inner[:3]):
                    return k + 1
                break
    return j


# common nouns that describe the organisation named right after them
_DESCRIPTOR_HEADS = {"operator", "company", "utility", "manufacturer", "firm", "foundation", "ngo", "agency",
                     "organisation", "organization", "bank", "producer", "developer", "corporation", "insurer",
                     "empresa", "compañía", "entreprise", "société", "ong", "ministry", "ministerio", "ministère",
                     "organización", "fundación", "fondation", "asociación", "association", "agencia", "agence",
                     "organisme", "organismo"}  # fmt: skip


def _skip_descriptor(doc: Doc, i: int) -> int:
    """Skip "Spanish transmission system operator" in "by the Spanish transmission system
    operator Red Eléctrica": lower-case words (an adjective first) ending in a descriptive noun."""
    j = i + (1 if i < len(doc) and doc[i].text[:1].isupper() else 0)  # "Spanish", "national"
    while j < len(doc) and j - i < 6 and doc[j].is_alpha and doc[j].is_lower:
        j += 1
    if j == i + 1 and not doc[i].is_lower:
        return i  # "la Compañía Minera Antamina": a capitalised head word is the name's own
    if j > i and doc[j - 1].lower_ in _DESCRIPTOR_HEADS and j < len(doc) and doc[j].text[:1].isupper():
        return j
    # French and Spanish: the adjective after the noun ("por el ministerio canadiense Medio Ambiente y
    # Cambio Climático Canadá", "l'organisation américaine Manomet")
    if (
        j > i + 1
        and doc[j - 2].lower_ in _DESCRIPTOR_HEADS
        and (
            doc[j - 1].text in country_gazetteer(doc.lang_).adjectives_after
            # "par la société hôtelière Atlântico Resorts SA": any adjective after a French/Spanish head
            or (doc.lang_ != "en" and len(doc[j - 1].text) > 3 and doc[j - 1].lower_ not in _CONNECT)
        )
        and j < len(doc)
        and doc[j].text[:1].isupper()
    ):
        return j
    if (
        j > i + 2
        and doc[j - 3].lower_ in _DESCRIPTOR_HEADS
        and (doc[j - 2].lower_, doc[j - 1].lower_[:13]) in (("non", "gouvernementa"), ("no", "gubernamental"))
        and j < len(doc)
        and doc[j].text[:1].isupper()
    ):
        return j  # "par l'organisation non gouvernementale OceanCare"
    return i


def _skip_based_modifier(doc: Doc, i: int) -> int:
    """Skip "Abu Dhabi-based" / "Bonn-based" before the organisation's name."""
    j = i
    while j < len(doc) and doc[j].text[:1].isupper() and j - i < 4:
        j += 1
    if j > i and j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].lower_ == "based":
        return j + 2
    return i


# a programme named between two funders of one list: "par l'Union européenne, dans le cadre du
# programme NaturAfrica, et par l'Agence ..." (skipped like a channel, when the list goes on)
_FRAMEWORK_OPENERS = ("dans le cadre", "au titre", "en el marco", "as part of", "under its", "under the")


def _past_channel(doc: Doc, i: int) -> int | None:
    """The comma closing a channel phrase that starts at i (", through X," / ", a través de X,"),
    or a programme phrase (", dans le cadre du programme X,") when the list goes on after it."""
    words = " ".join(t.lower_ for t in doc[i : i + 3])
    framework = words.startswith(_FRAMEWORK_OPENERS)
    if not words.startswith(_CHANNEL_OPENERS) and not framework:
        return None
    if framework:
        k = _past_channel_end(doc, i)
        if k is None or _separator(doc, k) == 0:
            return None
        n = k + _separator(doc, k)
        while n < len(doc) and doc[n].lower_ in ("and", "et", "y"):
            n += 1
        return k if n < len(doc) and doc[n].lower_ in _REPEATED_PREPOSITIONS else None
    return _past_channel_end(doc, i)


def _amount_phrase(doc: Doc, i: int) -> int | None:
    """The comma (or the end) after ", with EUR 150,000" / ", avec 50 000 euros" starting at i."""
    if i >= len(doc) or doc[i].lower_ not in ("with", "avec", "con"):
        return None
    words = [t.lower_ for t in doc[i + 1 : i + 6]]
    if not (set(words) & CURRENCY_WORDS or any(w in CODES for w in words)):
        return None
    for k in range(i + 1, min(len(doc), i + 10)):
        if doc[k].text in (",", ";", "."):
            return k if doc[k].text == "," else None
    return None


def _past_framework(doc: Doc, i: int) -> int | None:
    """Where "and/et/y" + a repeated preposition resumes a list after a programme phrase that
    starts at i without a comma ("under its LIFE Programme and by X")."""
    if not " ".join(t.lower_ for t in doc[i : i + 3]).startswith(_FRAMEWORK_OPENERS):
        return None
    for k in range(i + 2, min(len(doc) - 1, i + MAX_CHANNEL_TOKENS)):
        if doc[k].text in (".", ";", ":", ","):
            return None
        if doc[k].lower_ in ("and", "et", "y") and doc[k + 1].lower_ in _REPEATED_PREPOSITIONS:
            return k
    return None


def _past_channel_end(doc: Doc, i: int) -> int | None:
    for k in range(i + 1, min(len(doc), i + 2 * MAX_CHANNEL_TOKENS)):
        if doc[k].text in (".", ";", ":"):
            return None
        if doc[k].text == ",":
            return k
    return None


def _separator(doc: Doc, j: int) -> int:
    for sep in _SEPARATORS:
        if tuple(t.lower_ for t in doc[j : j + len(sep)]) == sep:
            return len(sep)
    return 0


def _capitalised_np(doc: Doc, i: int) -> int:
    """End of a capitalised noun phrase at i ("Saiga Conservation Alliance", "UNDP Kazakhstan")."""
    first = doc[i].text
    hyphenated = "-" in first and first.replace("-", "").isalpha()  # "WWF-Brasil", "Nord-Kivu"
    if first in _NOT_ORG_HEADS or not first[:1].isupper() or not (doc[i].is_alpha or hyphenated or _initial(doc, i)):
        return i
    j = i
    last_cap = i
    while j < len(doc):
        t = doc[j]
        if (t.text[:1].isupper() and (t.is_alpha or "-" in t.text or "/" in t.text or _initial(doc, j))) or (
            j > i and _titled(t.text) and t.text[2:].isalpha()  # "Société Nationale de l'Électricité"
        ):
            last_cap = j + 1
        elif (
            j == i + 1
            and doc[i].lower_ in _BODY_HEADS_FR_ES
            and t.text in country_gazetteer(doc.lang_).adjectives_after
            and j + 1 < len(doc)
            and doc[j + 1].lower_ in _CONNECT
            and _capital_after_connectors(doc, j + 1)
        ):
            pass  # "Ministère norvégien du Climat et de l'Environnement": the state's adjective inside the name
        elif j > i and _DOTTED_SUFFIX.fullmatch(t.text):
            last_cap = j + 1  # "Litio Andino S.A.", "Altos de Tacna S.A.C.": a company's legal form
        elif j > i and j + 1 < len(doc) and (t.lower_, doc[j + 1].lower_) in _WITHOUT_BORDERS:
            last_cap = j + 2  # "Aviation sans frontières", "Veterinarios sin Fronteras": the name's tail
            j += 2
            continue
        elif t.lower_ in ("of", "de") and doc[j - 1].text.rstrip(".") in _LEGAL_FORMS:
            break  # "Seaview Drones Ltd of Townsville": the company's seat, not its name
        elif t.lower_ == "to" and doc[j - 1].lower_ in _ORG_HEADS:
            break  # "a grant from the Commission to the CMS Secretariat": the receiver, not the name
        elif t.lower_ == "in" and j + 1 < len(doc) and (_place_follows(doc, j + 1) or _place_at(doc, j + 1)):
            break  # "Max Planck Institute of Animal Behavior in Radolfzell, Germany": a seat, not the name
        elif t.lower_ in _NAME_ARTICLES and doc[j - 1].lower_ not in _CONNECT:
            break  # "en la Argentina el Instituto ...": an article right after a name opens the next one
        elif (
            t.lower_ in ("y", "et")
            and j + 1 < len(doc)
            and doc[j + 1].lower_ in ("el", "la", "los", "las", "le", "les", "l'")
        ):
            break  # "la Armada de Chile y el INIDEP": "and" with an article opens the next name
        elif j == i + 1 and _is_acronym(doc[i]) and t.lower_ in ("de", "del", "du", "of") and _place_at(doc, j + 1):
            break  # "la OFMA de Suiza", "WWF de Colombia": an acronym, then its country
        elif (t.lower_ in _CONNECT and _capital_after_connectors(doc, j)) or (
            (t.text in ("-", "/", "'s") or (t.text in ("'", "’") and doc[j - 1].text.endswith("s")))
            and j + 1 < len(doc)
            and doc[j + 1].text[:1].isupper()
        ):  # "German Ornithologists' Society"
            pass
        else:
            break
        j += 1
    if last_cap == i + 1 and first in ("Gouvernement", "Gobierno", "Government"):
        # "le Gouvernement congolais" (an adjective the lists leave out: Congo or the DRC) names
        # no body called "Gouvernement"; "Gobierno de la Provincia de Mendoza" is a name
        return i
    return last_cap


# ", whose contribution": the relative pronoun stands for the one name before it
_POSSESSIVE_RELATIVE_CUES = {"whose-contribution", "fr-dont-la-contribution", "es-cuya-contribucion"}
# cues that open a list which is the subject of the verb after it ("Parmi les bailleurs, A, B et C
# ont été cités"): its items after a bare comma are givers too
_LIST_OPENERS = {"among-donors", "fr-parmi-les-bailleurs", "es-entre-los-donantes"}
# a company's legal form, the end of its name ("Seaview Drones Ltd of Townsville")
_LEGAL_FORMS = {
    "Ltd",
    "Limited",
    "Inc",
    "LLC",
    "plc",
    "PLC",
    "GmbH",
    "AG",
    "SA",
    "S.A",
    "SAS",
    "S.A.S",
    "Ltda",
    "S.A.C",
}
# a company's legal form in initials ("S.A.", "S.A.C.", "S.R.L.", "Cía.")
_DOTTED_SUFFIX = re.compile(r"(?:[A-Z]\.){2,4}|Cía\.|Ltda\.")
# the lower-case tail of a family of NGO names ("Vétérinaires sans frontières", "Aviation sans frontières")
_WITHOUT_BORDERS = {("sans", "frontières"), ("sans", "frontière"), ("sin", "fronteras"), ("without", "borders")}
# articles inside a name only after its preposition ("Banco de la Nación", "Fund for the Americas")
_NAME_ARTICLES = {"the", "el", "la", "los", "las", "le", "les", "l'"}


def _initial(doc: Doc, j: int) -> bool:
    """ "A. G. Leventis Foundation": a capital and its dot, before another capitalised word."""
    t = doc[j]
    return (
        len(t.text) == 2
        and t.text[0].isupper()
        and t.text[1] == "."
        and j + 1 < len(doc)
        and doc[j + 1].text[:1].isupper()
    )


def _place_follows(doc: Doc, k: int) -> bool:
    """A town and its country after "in": "in Radolfzell, Germany" (a capitalised word, a comma,
    then a country's name)."""
    return (
        k + 2 < len(doc)
        and doc[k].text[:1].isupper()
        and doc[k + 1].text == ","
        and any(h.entity_type == "country" and h.start == doc[k + 2].idx for h in hits_of(doc))
    )


def _place_at(doc: Doc, k: int) -> bool:
    """A city or country named at token k ("OTOP in Warsaw, which ...")."""
    return any(h.entity_type == "country" and h.start == doc[k].idx for h in hits_of(doc))


def _capital_after_connectors(doc: Doc, j: int) -> bool:
    """ "para la Conservación": connectors may chain ("de las", "pour la") before the next capital;
    English "of the" does not chain: "Small Grants Programme of the Global Environment Facility"
    is a programme and its owner, read as two names."""
    if doc[j].lower_ == "of":
        return j + 1 < len(doc) and doc[j + 1].text[:1].isupper()
    k = j + 1
    while k < len(doc) and k - j <= 3 and doc[k].lower_ in _CONNECT:
        k += 1
    if k + 1 < len(doc) and doc[k].text in country_gazetteer("en").adjectives and doc[k + 1].text.islower():
        return False  # "OFB for the French version": an adjective and its noun, not a name going on
    return k < len(doc) and _titled(doc[k].text)


def _explicit_funding_follows(doc: Doc, k: int, right: dict[int, tuple[int, str]]) -> bool:
    j = k
    while j < len(doc) and doc[j].text not in (".", ";"):
        # "financed by", "with funding from" name the payer; another "commissioned by" does not
        if j in right and doc[j].lower_ != "commissioned":
            return True
        j += 1
    return False


# "financé par l'UE, au moyen d'une contribution acheminée par la CTOI, et par la SOSF": after an
# aside, the passive's agent list resumes at ", and by" / ", et par" / ", y por"
_RESUME_AND = {"and", "et", "y", "e"}
_AGENT_PREPS = {"by", "par", "por"}


def _subjects_resumed(doc: Doc, end: int, right: dict, other_roles: set[int], left: set[int]) -> int | None:
    """Where a list of subjects after their verb resumes after an amount: "Lo financian la NFWF,
    con 182.000 USD, y la Fundación Packard, con otros 30.000 USD", or None."""
    amount = False
    for k in range(end + 1, len(doc) - 2):
        if doc[k].text in (".", ";", ":") or k in right or k in other_roles or k in left:
            return None
        amount = amount or doc[k].like_num or doc[k].lower_ in CURRENCY_WORDS
        if amount and doc[k].text == "," and doc[k + 1].lower_ in ("y", "e", "et"):
            return k + 2
    return None


def _agent_resumed(doc: Doc, end: int, right: dict, other_roles: set[int], left: set[int]) -> int | None:
    """Where the agent list of the passive cue ending at ``end`` resumes after an aside, or None:
    ", and by X" later in the sentence with no other cue between (a new cue is a new role)."""
    if doc[end - 1].lower_ not in _AGENT_PREPS:
        return None
    for k in range(end + 1, len(doc) - 2):
        # a cue inside a relative clause on the agent is the agent's own ("por el MMA, que aportó
        # 62.000 USD, y por el Gobierno de Mónaco"): no new role
        own = k in left and doc[k - 1].lower_ in ("que", "qui", "which", "who")
        if doc[k].text in (".", ";", ":") or k in right or k in other_roles or (k in left and not own):
            return None
        if doc[k].text == "," and doc[k + 1].lower_ in _RESUME_AND and doc[k + 2].lower_ in _AGENT_PREPS:
            return k + 3
    return None
