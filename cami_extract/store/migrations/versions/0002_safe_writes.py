"""safe concurrent writes: one current version per key, failures keyed by a path digest

Revision ID: 0002_safe_writes
Revises: 0001

A branch of its own off 0001 (the store upgrades to "heads"), so a sibling migration
written at the same time (new tables) applies beside it without a merge revision.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002_safe_writes"
down_revision = "0001"
branch_labels = None
depends_on = None

documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("doc_key", sa.String),
    sa.column("status", sa.String),
    sa.column("superseded_by", sa.Integer),
)
failures = sa.table("failures", sa.column("id", sa.Integer), sa.column("path", sa.Text), sa.column("path_digest"))


def _one_current_per_key(bind) -> None:
    """Before the unique index: where a race left two current rows for a key, the newest stays current."""
    newest: dict[str, int] = {}
    rows = bind.execute(
        sa.select(documents.c.id, documents.c.doc_key).where(documents.c.status == "current").order_by(documents.c.id)
    ).all()
    for doc_id, key in rows:
        if key in newest:
            bind.execute(
                sa.update(documents)
                .where(documents.c.id == newest[key])
                .values(status="superseded", superseded_by=doc_id)
            )
        newest[key] = doc_id


def upgrade() -> None:
    bind = op.get_bind()
    _one_current_per_key(bind)
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            "uq_documents_current_doc_key",
            ["doc_key"],
            unique=True,
            sqlite_where=sa.text("status = 'current'"),
            postgresql_where=sa.text("status = 'current'"),
        )
    op.add_column("failures", sa.Column("path_digest", sa.String(length=64), nullable=True))
    for failure_id, path in bind.execute(sa.select(failures.c.id, failures.c.path)).all():
        digest = hashlib.sha256(path.encode("utf-8")).hexdigest()
        bind.execute(sa.update(failures).where(failures.c.id == failure_id).values(path_digest=digest))
    # failures has no foreign key pointing at it, so SQLite's copy-and-rename is safe here.
    with op.batch_alter_table("failures", schema=None) as batch_op:
        batch_op.drop_constraint("uq_failures_path_sha256_stage_error_code", type_="unique")
        batch_op.alter_column("path", existing_type=sa.String(length=1024), type_=sa.Text(), existing_nullable=False)
        batch_op.alter_column("path_digest", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(
            "uq_failures_path_digest_sha256_stage_error_code", ["path_digest", "sha256", "stage", "error_code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("failures", schema=None) as batch_op:
        batch_op.drop_constraint("uq_failures_path_digest_sha256_stage_error_code", type_="unique")
        batch_op.alter_column("path", existing_type=sa.Text(), type_=sa.String(length=1024), existing_nullable=False)
        batch_op.create_unique_constraint(
            "uq_failures_path_sha256_stage_error_code", ["path", "sha256", "stage", "error_code"]
        )
        batch_op.drop_column("path_digest")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("uq_documents_current_doc_key")
