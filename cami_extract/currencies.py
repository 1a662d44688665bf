"""Currency words of CMS papers, lower case: ISO 4217 codes of the Parties that fund CMS work
and the names printed instead of codes, in English, French and Spanish. Written once here for
the extractors that must tell an amount from a name ("EUR 40,000 from OFB", "(USD 25,000)")."""

from __future__ import annotations

# not "cop" (Conference of the Parties), "try", "pen", "mad": words first
CODES = frozenset(
    {
        "usd", "eur", "chf", "gbp", "jpy", "cny", "aud", "cad", "nzd", "sek", "nok", "dkk", "aed",
        "sar", "mnt", "kzt", "kgs", "uzs", "inr", "zar", "brl", "clp", "ars", "mxn",
        "xof", "xaf", "kes", "tzs", "php", "idr", "krw", "pkr", "lkr", "bdt", "egp",
        "tnd", "bob", "pen", "cop",
    }
)  # fmt: skip
SIGNS = frozenset({"us$", "$", "€", "£", "r$", "s/"})  # "R$ 350.000" (reais), "S/ 40.000" (soles)
NAMES = frozenset(
    {
        "euro",
        "euros",
        "dollars",
        "dólares",
        "francs",
        "francos",
        "couronnes",
        "coronas",
        "kronor",
        "kroner",
        "libras",
        "esterlinas",
        "sterling",
        "pesos",
        "bs",  # "Bs 210.000": Bolivian bolivianos
        "bolivianos",
    }  # not "livres" (books) nor "pounds" (weight)
)
CURRENCY_WORDS = CODES | SIGNS | NAMES
