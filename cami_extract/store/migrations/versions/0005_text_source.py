"""text source: pages and blocks say whether their text came from the text layer or from OCR

Revision ID: 0005_text_source
Revises: 0004_reconcile

pages and paragraphs get ``source`` (``text_layer`` | ``ocr``), ``ocr_engine``
(``tesseract 5.3.0``), ``ocr_languages`` (``eng+fra+spa``) and ``ocr_confidence`` (0..1);
documents get ``ocr_pages``. Columns are only added (SQLite's ADD COLUMN, which batch mode
uses without copying a table: a copy of ``paragraphs`` would drop the table the mentions
point at). Rows stored before this revision are filled from what they kept: a document's
warning ``pages [3, 4] read by OCR`` marks those pages and the blocks on them ``ocr``; their
engine and confidence were not kept and stay null.
"""

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0005_text_source"
down_revision = "0004_reconcile"
branch_labels = None
depends_on = None

TEXT_LAYER, OCR = "text_layer", "ocr"  # model.TEXT_SOURCES, written out: a migration keeps its own values
OCR_WARNING = re.compile(r"^pages \[([\d, ]+)\] read by OCR$")  # as parse_pdf words it

documents = sa.table(
    "documents", sa.column("id", sa.Integer), sa.column("warnings", sa.Text), sa.column("ocr_pages", sa.Integer)
)
pages = sa.table(
    "pages", sa.column("document_id", sa.Integer), sa.column("number", sa.Integer), sa.column("source", sa.String)
)
paragraphs = sa.table(
    "paragraphs",
    sa.column("document_id", sa.Integer),
    sa.column("page", sa.Integer),
    sa.column("page_last", sa.Integer),
    sa.column("source", sa.String),
)


def _provenance_columns() -> list[sa.Column]:
    return [
        sa.Column("source", sa.String(length=16), nullable=False, server_default=TEXT_LAYER),
        sa.Column("ocr_engine", sa.String(length=64), nullable=True),
        sa.Column("ocr_languages", sa.String(length=32), nullable=True),
        sa.Column("ocr_confidence", sa.Float(), nullable=True),
    ]


def _ocr_pages_from_warnings(bind) -> None:
    for doc_id, warnings in bind.execute(sa.select(documents.c.id, documents.c.warnings)).all():
        try:
            listed = json.loads(warnings or "[]")
        except ValueError:
            continue
        numbers = sorted(
            {int(n) for w in listed if isinstance(w, str) and (m := OCR_WARNING.match(w)) for n in m[1].split(",")}
        )
        if not numbers:
            continue
        bind.execute(sa.update(documents).where(documents.c.id == doc_id).values(ocr_pages=len(numbers)))
        bind.execute(
            sa.update(pages).where(pages.c.document_id == doc_id, pages.c.number.in_(numbers)).values(source=OCR)
        )
        # a block is ocr when any of its pages was (what parse_pdf decides from its chars)
        on_ocr_page = sa.or_(*(sa.and_(paragraphs.c.page <= n, paragraphs.c.page_last >= n) for n in numbers))
        bind.execute(sa.update(paragraphs).where(paragraphs.c.document_id == doc_id, on_ocr_page).values(source=OCR))


def upgrade() -> None:
    # batch mode with only ADD COLUMN (and constant defaults) alters in place on SQLite: no copy
    for table in ("pages", "paragraphs"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in _provenance_columns():
                batch_op.add_column(column)
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ocr_pages", sa.Integer(), nullable=False, server_default="0"))
    _ocr_pages_from_warnings(op.get_bind())


def downgrade() -> None:
    # SQLite copies the table to drop a column; run a downgrade with foreign keys off there
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("ocr_pages")
    for table in ("paragraphs", "pages"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in ("ocr_confidence", "ocr_languages", "ocr_engine", "source"):
                batch_op.drop_column(name)
