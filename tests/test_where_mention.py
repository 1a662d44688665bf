"""`cami where MENTION_ID`: a stored mention back to its page, box and sentence, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from cami_extract.cli import cli
from cami_extract.store.repository import Store
from cami_extract.store.schema import BlockRow, Document, MentionRow

SEED = "UNEP/CMS/CAMI3/Doc.7"


def _cami(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="cami")


def _first_species_of_paragraph_5(db: str) -> tuple[int, int]:
    """(id, stored page) of the first species mention in paragraph 5 of the seed paper, asked of the database."""
    store = Store.open(db, create=False)
    try:
        with store.session() as s:
            row = s.execute(
                select(MentionRow.id, MentionRow.page)
                .join(BlockRow, BlockRow.id == MentionRow.block_id)
                .join(Document, Document.id == MentionRow.document_id)
                .where(Document.symbol == SEED, Document.language == "en", BlockRow.label == "5")
                .where(MentionRow.entity_type == "species")
                .order_by(MentionRow.start_offset)
            ).first()
            assert row is not None
            return row[0], row[1]
    finally:
        store.close()


def test_a_mention_id_gives_document_page_paragraph_offsets_bbox_and_sentence(corpus_db):
    mention, page = _first_species_of_paragraph_5(corpus_db)
    result = _cami("--db", corpus_db, "where", str(mention), "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert (found["mention_id"], found["document"], found["language"], found["paragraph"]) == (mention, SEED, "en", "5")
    assert (found["entity_type"], found["text"], found["canonical"]) == (
        "species",
        "Bukhara Deer",
        "Cervus elaphus yarkandensis",
    )
    # the page the extractor stored, and the page of the first character's box in the char map
    assert found["page"] == page == found["boxes"][0]["page"] == 3
    assert (
        0 < found["boxes"][0]["x0"] < found["boxes"][0]["x1"] and found["boxes"][0]["top"] < found["boxes"][0]["bottom"]
    )
    assert "Bukhara Deer" in found["sentence"] and found["sentence"] in _paragraph_text(corpus_db)

    # The same place as its document, paragraph and offsets give, printed the same way.
    by_offsets = _cami("--db", corpus_db, "where", SEED, "5", str(found["start"]), str(found["end"]))
    text = _cami("--db", corpus_db, "where", str(mention))
    assert text.exit_code == 0
    first, rest = text.output.split("\n", 1)
    assert first == f"mention: {mention} (species: 'Cervus elaphus yarkandensis', {found['extractor']})"
    assert rest == by_offsets.output


def _paragraph_text(db: str) -> str:
    result = _cami("--db", db, "where", SEED, "5", "--json")
    return json.loads(result.output)["text"]


def test_an_unknown_mention_id_is_a_coded_error(corpus_db):
    result = _cami("--db", corpus_db, "where", "99999999")
    assert result.exit_code == 3 and "E208" in result.output and "no mention with id 99999999" in result.output


def test_a_lone_argument_that_is_no_number_says_what_where_takes(corpus_sqlite):
    result = _cami("--db", corpus_sqlite, "where", SEED)
    assert result.exit_code == 3 and "E208" in result.output and "DOCUMENT PARAGRAPH" in result.output
