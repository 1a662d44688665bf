"""The reconcile scorer on a hand-made case: pairs of mentions, conflicts, fields."""

from cami_extract.reconcile.evaluate import GoldActivity, GoldSet, Predicted, funder_key, score


def test_link_pairs_conflicts_and_fields_are_counted():
    gold = GoldSet(
        documents=["A", "B"],
        activities=[
            GoldActivity(
                "m",
                {
                    "type": "meeting",
                    "start": "2022-09-20",
                    "end": "2022-09-22",
                    "place": {"city": "Tbilisi", "country": "GEO"},
                    "funders": [{"name": "BMUV"}],
                },
                {("A", "8"), ("B", "12")},
            ),
            GoldActivity(
                "s",
                {"type": "study", "start": "2019", "end": None, "place": None, "funders": []},
                {("A", "15"), ("B", "18")},
            ),
        ],
        conflicts=[("m", "start")],
    )
    predicted = [
        Predicted(
            "p1",
            {
                "type": "meeting",
                "start": "2022-09-20",
                "end": "2022-09-22",
                "city": "Tbilisi",
                "country": "GEO",
                "funders": [
                    {
                        "funder": "Federal Ministry for the Environment, Nature Conservation, "
                        "Nuclear Safety and Consumer Protection"
                    }
                ],
            },
            {("A", "8"), ("B", "12")},
            {"start"},
        ),
        Predicted(
            "p2",
            {"type": "study", "start": "2019", "end": None, "city": None, "country": None, "funders": []},
            {("A", "15")},
            set(),
        ),
        Predicted(
            "p3",
            {"type": "study", "start": "2021", "end": None, "city": None, "country": None, "funders": []},
            {("B", "18"), ("B", "3")},
            set(),
        ),
    ]
    result = score(gold, predicted)
    assert (result.link_tp, result.link_fp, result.link_fn) == (1, 1, 1)
    assert (result.precision, result.recall) == (0.5, 0.5)
    assert (result.conflicts_found, result.conflicts_predicted_right) == (1, 1)
    assert result.per_field["funders"] == [2, 2]  # BMUV is its long form
    assert result.per_field["start"] == [2, 2]


def test_funder_names_compare_by_acronym_long_form_and_office():
    assert funder_key("BMUV") == funder_key(
        "Federal Ministry for the Environment, Nature Conservation, Nuclear Safety and Consumer Protection"
    )
    assert funder_key("International Climate Initiative (IKI)") == funder_key("IKI")
    assert funder_key("UNDP Kazakhstan") == funder_key("United Nations Development Programme")
