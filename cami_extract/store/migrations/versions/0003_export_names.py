"""one set of names: database columns named as the export and docs/schema.md name them

Revision ID: 0003_export_names
Revises: 0002_safe_writes

blocks -> paragraphs, paragraphs.page_first -> page, mentions.start_offset/end_offset ->
start/end, documents.page_count -> pages, documents.superseded_by -> superseded_by_id (it holds
a row id; the export's superseded_by is a sha256). Constraint names stay as created
(schema.py declares them), so nothing but names changes and no row is copied.
The pipeline version, which now lists every registered component, becomes TEXT where the
length is enforced (PostgreSQL; SQLite ignores VARCHAR lengths, so its tables are left as they are).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_export_names"
down_revision = "0002_safe_writes"
branch_labels = None
depends_on = None

RENAMES = [
    ("paragraphs", "page_first", "page"),
    ("mentions", "start_offset", "start"),
    ("mentions", "end_offset", "end"),
    ("documents", "page_count", "pages"),
    ("documents", "superseded_by", "superseded_by_id"),
]


def upgrade() -> None:
    op.rename_table("blocks", "paragraphs")
    # Plain ALTER ... RENAME (SQLite 3.25+ and PostgreSQL), not batch mode: a batch would copy
    # the table, and SQLite refuses to drop a table that other rows point at.
    for table, old, new in RENAMES:
        op.alter_column(table, old, new_column_name=new)
    if op.get_bind().dialect.name != "sqlite":
        for table in ("runs", "documents"):
            op.alter_column(table, "pipeline_version", type_=sa.Text(), existing_type=sa.String(64))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in ("runs", "documents"):
            op.alter_column(table, "pipeline_version", type_=sa.String(64), existing_type=sa.Text())
    for table, old, new in reversed(RENAMES):
        op.alter_column(table, new, new_column_name=old)
    op.rename_table("paragraphs", "blocks")
