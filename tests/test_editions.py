"""Editions of one symbol compared paragraph by paragraph (cami_extract.editions)."""

from cami_extract.editions import compare, paragraph_values

SYMBOL = "UNEP/CMS/X/Doc.1"


def _mention(language, paragraph, entity_type, canonical):
    return {
        "document": SYMBOL,
        "language": language,
        "paragraph": paragraph,
        "entity_type": entity_type,
        "canonical": canonical,
    }


MENTIONS = [
    _mention("en", "1", "country", "DEU"),
    _mention("fr", "1", "country", "DEU"),
    _mention("en", "2", "date", "2025-03-03/2025-03-08"),
    _mention("fr", "2", "date", "2025-03-03"),
    _mention("es", "1", "country", "DEU"),
]
LABELS = {"en": ["1", "2"], "fr": ["1", "2"], "es": ["1"]}


def test_paragraphs_are_matched_by_label_and_only_differences_are_reported():
    report = compare(SYMBOL, paragraph_values(MENTIONS, SYMBOL, labels=LABELS))
    assert report.languages == ["en", "es", "fr"]
    assert report.paragraphs == ["1"]  # paragraph 2 is not in the Spanish edition
    assert report.only_in == {"en": ["2"], "fr": ["2"]}
    assert report.differences == []


def test_a_difference_the_gold_does_not_make_is_an_extraction_error():
    labels = {"en": ["1", "2"], "fr": ["1", "2"]}
    values = paragraph_values(MENTIONS, SYMBOL, labels=labels)
    gold = {lang: {"1": {"country": {"DEU"}}, "2": {"date": {"2025-03-03/2025-03-08"}}} for lang in labels}
    for lang in gold:
        for label in gold[lang]:
            for t in ("species", "country", "date", "funder", "document_code"):
                gold[lang][label].setdefault(t, set())
    report = compare(SYMBOL, values, gold=gold)
    assert report.differing_paragraphs() == ["2"]
    (d,) = report.differences
    assert (d.entity_type, d.kind) == ("date", "extraction")
    assert d.values == {"en": {"2025-03-03/2025-03-08"}, "fr": {"2025-03-03"}}


def test_a_difference_the_gold_makes_too_is_a_translation_difference():
    labels = {"en": ["2"], "fr": ["2"]}
    values = paragraph_values(MENTIONS, SYMBOL, labels=labels)
    empty = {t: set() for t in ("species", "country", "funder", "document_code")}
    gold = {
        "en": {"2": {**empty, "date": {"2025-03-03/2025-03-08"}}},
        "fr": {"2": {**empty, "date": {"2025-03-03"}}},
    }
    (d,) = compare(SYMBOL, values, gold=gold).differences
    assert d.kind == "translation"
