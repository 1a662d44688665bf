"""Tables: the header of a column is the funding cue for every cell under it."""

from __future__ import annotations

import pytest

from cami_extract.extract.tables import cell_spans, funding_cells, is_funding_header
from cami_extract.model import Block, CoverMeta, ParsedDocument

BMUV = "Federal Ministry for the Environment, Nature Conservation, Nuclear Safety and Consumer Protection"
BFN_INA = "International Nature Academy of the German Federal Agency for Nature Conservation"


def table(*rows: str, first: int = 1, start_seq: int = 0) -> list[Block]:
    """Rows of table ``first`` (``tN.rM`` labels as the parser writes them)."""
    return [Block(seq=start_seq + i, kind="table_row", label=f"t{first}.r{i + 1}", text=r) for i, r in enumerate(rows)]


def document(blocks: list[Block]) -> ParsedDocument:
    return ParsedDocument(
        path="<test>",
        sha256="",
        size=0,
        pages=[],
        blocks=blocks,
        cover=CoverMeta(issue_date="2025-06-10"),
        language="en",
    )


def funders_by_label(extractor, blocks: list[Block]) -> dict[str, set[str]]:
    labels = {b.seq: b.label for b in blocks}
    out: dict[str, set[str]] = {}
    for m in extractor.extract(document(blocks)):
        if m.entity_type == "funder":
            out.setdefault(labels[m.block_seq], set()).add(m.canonical)
    return out


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Funding", True),
        ("Source of funding", True),
        ("Donor(s)", True),
        ("Funded by", True),
        ("Co-financing", True),
        ("Sponsor", True),
        ("Funding required (USD)", False),
        ("Funding status", False),
        ("Budget", False),
        ("Funding gap", False),
        ("Activity", False),
        ("Amount (EUR)", False),
        ("Support received", True),
        ("Supported by", True),
        ("Appui reçu", True),
        ("Apoyo recibido", True),
        ("Partenaires techniques et financiers", True),
        ("Technical support", False),
        ("Appui technique", False),
        ("Support needed (USD)", False),
    ],
)
def test_which_headers_name_payers(header, expected):
    assert is_funding_header(header) is expected


def test_cell_spans_exclude_the_separator():
    text = "A | BMUV | "
    assert [text[s:e] for s, e in cell_spans(text)] == ["A", "BMUV", ""]


def test_cells_under_the_funding_column_only():
    blocks = table("Activity | Funding | Place", "Workshop | BMUV | Bonn", "Study | Government of Switzerland | –")
    cells = funding_cells(blocks)
    assert {blocks[i].label: [blocks[i].text[s:e] for s, e in spans] for i, spans in cells.items()} == {
        "t1.r2": ["BMUV"],
        "t1.r3": ["Government of Switzerland"],
    }


def test_a_continuation_without_header_inherits_the_column():
    first = table("Activity | Donor | Year", "Workshop | BMUV | 2021")
    second = table("Survey | IKI | 2022", "Report | UNDP | 2023", first=2, start_seq=2)
    cells = funding_cells(first + second)
    assert sorted((first + second)[i].label for i in cells) == ["t1.r2", "t2.r1", "t2.r2"]


def test_a_key_value_table_reads_the_row_key():
    blocks = table("Project | Saiga monitoring", "Period | 2021 – 2024", "Donor | Government of Switzerland")
    cells = funding_cells(blocks)
    assert [blocks[i].label for i in cells] == ["t1.r3"]


def test_no_funding_column_no_cells():
    assert funding_cells(table("Activity | Dates | Place", "MOS4 | 2021 | Online")) == {}


def test_funding_cells_through_the_extractor(extractor):
    blocks = table(
        "Activity | Dates | Place | Funding | Species",
        "Workshop | 20–22 October 2020 | Online | BMUV via BfN INA | Bukhara Deer",
        "Consultation | 25–27 May 2023 | Astana, Kazakhstan | Government of Germany; UNDP Kazakhstan | Saiga",
        "Meeting | 2024 | Almaty | CAMCA project (IKI, Government of Germany) | Argali",
        "Project | January 2021 – 2025 | Kazakhstan | IKI (Government of Germany) | Argali",
        "Project | 2021 | Kyrgyzstan | IKI (grant) | Argali",
        "Survey | 2022 | Tajikistan | Pending | Argali",
    )
    assert funders_by_label(extractor, blocks) == {
        "t1.r2": {BMUV, BFN_INA},
        "t1.r3": {"Government of Germany", "United Nations Development Programme"},
        # the project is a vehicle: the organisations in its parenthesis pay
        "t1.r4": {"International Climate Initiative", "Government of Germany"},
        # an organisation's parenthesis names its parent, not a second funder
        "t1.r5": {"International Climate Initiative"},
        "t1.r6": {"International Climate Initiative"},
    }


def test_organisations_outside_the_funding_column_are_not_funders(extractor):
    blocks = table("Activity | Host | Funding", "Workshop | BfN INA | Government of Switzerland")
    assert funders_by_label(extractor, blocks) == {"t1.r2": {"Government of Switzerland"}}


def test_a_parent_is_kept_on_the_funder(extractor):
    blocks = table("Activity | Funding", "Project | IKI (Government of Germany)", "Survey | WWF")
    mentions = [m for m in extractor.extract(document(blocks)) if m.entity_type == "funder"]
    (iki,) = [m for m in mentions if m.block_seq == 1]
    assert (iki.text, iki.attrs["parent"], iki.attrs["cue"]) == ("IKI", "Government of Germany", "table-column")


def test_an_in_kind_cell_names_its_givers_in_kind_and_a_defined_acronym_resolves(extractor):
    blocks = [
        Block(
            seq=0,
            kind="paragraph",
            label="1",
            text="The survey was funded by the Norwegian Environment Agency (NoEA) and hosted by the "
            "Marine Research Institute (MRI).",
        ),
        *table("Activity | Funding", "Survey | NoEA (NOK 90,000)", "Meeting | in-kind only (MRI)", start_seq=1),
    ]
    assert funders_by_label(extractor, blocks) == {
        "1": {"Norwegian Environment Agency"},
        # "NoEA": an acronym with lower-case letters, defined in paragraph 1
        "t1.r2": {"Norwegian Environment Agency"},
        # support in kind is support (the fourth round's annotation guide); marked as such
        "t1.r3": {"Marine Research Institute"},
    }
    (mri,) = [m for m in extractor.extract(document(blocks)) if m.entity_type == "funder" and m.block_seq == 3]
    assert mri.attrs["in_kind"] == "yes"


def test_a_cell_names_other_roles_and_verbs_apart_from_its_givers(extractor):
    # an invented table in the genre's shape: roles before "by", a status word inside a name
    blocks = table(
        "Activity | Site | Funding",
        "Hydrological study | Biebrza | Commissioned by the Rufford Foundation",
        "Field survey | Volyn | RSPB emergency grant; lodging by Shatsk National Nature Park",
        "Workshop | Palencia | MITECO (travel); hosted by the Junta de Castilla y León",
    )
    got = funders_by_label(extractor, blocks)
    assert got["t1.r2"] == {"Rufford Foundation"}
    assert got["t1.r3"] == {"Royal Society for the Protection of Birds", "Shatsk National Nature Park"}
    assert got["t1.r4"] == {"Ministry for the Ecological Transition and the Demographic Challenge"}


def test_a_national_office_joined_by_a_hyphen_is_the_organisation_not_the_country(extractor):
    blocks = table(
        "Site | Activity | Funding and in-kind support",
        "Turtle Islands | Ranger exchange | Sabah Parks (boats, lodging); WWF-Philippines (travel)",
    )
    got = funders_by_label(extractor, blocks)
    assert "Government of the Philippines" not in got["t1.r2"]
    assert "World Wide Fund for Nature" in got["t1.r2"]


def test_a_funding_cell_names_gifts_doers_and_partners_apart_from_givers(extractor):
    blocks = table(
        "Party | Activity | Funding and support",
        "Uruguay | Pinger trials | Pingers donated by IFAW; run by DINARA",
        "Kyrgyzstan | Camera-trapping | Cameras from Panthera; with Snow Leopard Trust",
        "Peru | Workshop | Travel: Government of Monaco; venue: SERFOR",
        "South Africa | Retrofitting pylons | Eskom; incidents investigated by EWT",
    )
    found = funders_by_label(extractor, blocks)
    assert found["t1.r2"] == {"IFAW"}  # an acronym the paper does not define stays as printed
    assert found["t1.r3"] == {"Panthera"}
    assert found["t1.r4"] == {"Government of Monaco"}
    assert found["t1.r5"] == {"Eskom"}
