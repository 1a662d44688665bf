"""One table of month names for the cover reader and the date grammar."""

from cami_extract.months import full_names, month_number


def test_full_names_keep_english_may_and_leave_out_every_abbreviation():
    names = full_names()
    # Spanish "may." is an abbreviation of mayo; English "May" is the month's full name
    assert names["may"] == 5 and names["mayo"] == 5 and names["février"] == 2
    assert not {"jan", "sept", "févr", "janv", "ene", "dic"} & set(names)


def test_dotted_abbreviations_read_in_their_language():
    assert month_number("févr.", "fr") == 2
    assert month_number("ene.", "es") == 1
    assert month_number("Sept.", "en") == 9
    assert month_number("ene.", "fr") is None
