"""The gold loader and the scorer."""

from __future__ import annotations

import json

import pytest

from cami_extract.evaluate import GoldFormatError, load_gold, predictions_from_mentions, score
from cami_extract.model import Block, Mention

DOC = ("UNEP/CMS/X/Doc.1", "en")


def write_gold(tmp_path, *rows):
    path = tmp_path / "x.jsonl"
    path.write_text(
        "\n".join(json.dumps({"document": DOC[0], "language": DOC[1], **r}) for r in rows), encoding="utf-8"
    )
    return tmp_path


def test_optional_values_are_neither_required_nor_wrong(tmp_path):
    gold = load_gold(
        write_gold(
            tmp_path,
            {"paragraph": "1", "funder": ["A"], "optional": {"funder": ["B"]}},
            {"paragraph": "2", "funder": ["C"]},
        )
    )
    predicted = {(*DOC, "1"): {"funder": {"A", "B"}}, (*DOC, "2"): {"funder": {"D"}}}
    report = score(predicted, gold)
    par = report.paragraph["funder"]
    assert (par.tp, par.fp, par.fn) == (1, 1, 1)
    assert par.precision == 0.5 and par.recall == 0.5
    doc = report.document["funder"]
    assert (doc.tp, doc.fp, doc.fn) == (1, 1, 1)
    assert ((*DOC, "2"), "funder", "FP", "D") in report.errors


def test_any_alternative_name_of_a_required_value_counts_once_and_errors_use_the_first(tmp_path):
    swiss = ["Office fédéral de l'environnement", "Swiss Federal Office for the Environment"]
    gold = load_gold(
        write_gold(
            tmp_path,
            {"paragraph": "1", "funder": [swiss, "Government of Monaco"]},
            {"paragraph": "2", "funder": [swiss]},
            {"paragraph": "3", "funder": [swiss]},
        )
    )
    predicted = {
        (*DOC, "1"): {"funder": {"Swiss Federal Office for the Environment", "Government of Monaco"}},
        (*DOC, "2"): {"funder": set(swiss)},  # both names of one office: one true positive, no false one
        (*DOC, "3"): {"funder": {"Federal Office"}},
    }
    report = score(predicted, gold)
    par = report.paragraph["funder"]
    assert (par.tp, par.fp, par.fn) == (3, 1, 1)
    assert ((*DOC, "3"), "funder", "FN", "Office fédéral de l'environnement") in report.errors
    doc = report.document["funder"]
    assert (doc.tp, doc.fp, doc.fn) == (2, 1, 0)


def test_funder_names_are_compared_whatever_their_case_species_are_not(tmp_path):
    gold = load_gold(
        write_gold(
            tmp_path,
            {
                "paragraph": "1",
                "funder": ["LIFE Programme", ["Fondation B", "B Foundation"]],
                "species": ["Saiga spp."],
            },
        )
    )
    predicted = {(*DOC, "1"): {"funder": {"LIFE programme", "B foundation"}, "species": {"saiga spp."}}}
    report = score(predicted, gold)
    assert (report.paragraph["funder"].tp, report.paragraph["funder"].fp) == (2, 0)
    assert (report.paragraph["species"].tp, report.paragraph["species"].fp) == (0, 1)


def test_an_optional_value_may_list_the_names_of_one_thing_too(tmp_path):
    gold = load_gold(
        write_gold(
            tmp_path, {"paragraph": "1", "funder": ["A"], "optional": {"funder": [["Fondation B", "B Foundation"]]}}
        )
    )
    report = score({(*DOC, "1"): {"funder": {"A", "B Foundation"}}}, gold)
    assert (report.paragraph["funder"].tp, report.paragraph["funder"].fp) == (1, 0)
    with pytest.raises(GoldFormatError, match=r"E402: .*values are names"):
        load_gold(write_gold(tmp_path, {"paragraph": "1", "optional": {"funder": [7]}}))


@pytest.mark.parametrize("value", [[1, 2], [["A", 3]], [[]], [{"name": "A"}]])
def test_a_required_value_is_a_name_or_a_list_of_names(tmp_path, value):
    with pytest.raises(GoldFormatError, match=r"E402: .*values are names or non-empty lists of names"):
        load_gold(write_gold(tmp_path, {"paragraph": "1", "funder": value}))


def test_document_level_forgives_the_wrong_paragraph(tmp_path):
    gold = load_gold(write_gold(tmp_path, {"paragraph": "1", "date": ["2020"]}, {"paragraph": "2"}))
    report = score({(*DOC, "2"): {"date": {"2020"}}}, gold)
    assert report.paragraph["date"].f1 == 0.0
    assert report.document["date"].f1 == 1.0


def test_unlabelled_blocks_are_not_scored(tmp_path):
    gold = load_gold(write_gold(tmp_path, {"paragraph": "1"}))
    blocks = [
        Block(seq=0, kind="heading", label=None, text="Meetings 2020"),
        Block(seq=1, kind="paragraph", label="1", text="x"),
    ]
    mentions = [Mention("date", "2020", "2020", 0, 9, 13, "date.v1")]
    report = score(predictions_from_mentions(*DOC, blocks, mentions), gold)
    assert report.paragraph["date"].fp == 0


def test_render_has_a_row_per_type(tmp_path):
    report = score({}, load_gold(write_gold(tmp_path, {"paragraph": "1", "species": ["Ovis ammon"]})))
    text = report.render()
    assert "species" in text and "document_code" in text and "0.000" in text


@pytest.mark.parametrize(
    "line, code",
    [
        ('{"document": "X", "language": "en"}', "E402: .*bad.jsonl: line 1: .*needs document, language, paragraph"),
        (
            '{"document": "X", "language": "en", "paragraph": "1", "animals": []}',
            "E402: .*bad.jsonl: line 1: unknown keys",
        ),
        ("not json", "E402: .*bad.jsonl: line 1: .*needs document"),
    ],
)
def test_bad_gold_lines_are_reported(tmp_path, line, code):
    (tmp_path / "bad.jsonl").write_text(line, encoding="utf-8")
    with pytest.raises(GoldFormatError, match=code):
        load_gold(tmp_path)


def test_shipped_gold_loads():
    from pathlib import Path

    gold = load_gold(Path(__file__).resolve().parents[1] / "corpus" / "gold")
    assert ("UNEP/CMS/CAMI3/Doc.7", "en", "fn2") in gold.blocks
    assert len([k for k in gold.blocks if k[:2] == ("UNEP/CMS/CAMI3/Doc.7", "en")]) == 28
    assert len([k for k in gold.blocks if k[:2] == ("UNEP/CMS/CAMI3/Doc.7", "fr")]) == 6
