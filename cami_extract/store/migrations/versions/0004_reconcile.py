"""reconcile: activity claims, activities, links, conflicts, entity mentions

Revision ID: 0004_reconcile
Revises: 0003_export_names
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_reconcile"
down_revision = "0003_export_names"
branch_labels = None
depends_on = None


def _doc_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["document_id"], ["documents.id"], name=op.f(f"fk_{table}_document_id_documents"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "activity_claims",
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("paragraph", sa.String(length=32), nullable=True),
        sa.Column("block_seq", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("extractor", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("start", sa.String(length=10), nullable=True),
        sa.Column("end", sa.String(length=10), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        _doc_fk("activity_claims"),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_activity_claims")),
    )
    with op.batch_alter_table("activity_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_claims_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_claims_extractor"), ["extractor"], unique=False)
    op.create_table(
        "activity_claim_runs",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("extractor", sa.String(length=32), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Text(), nullable=False),
        _doc_fk("activity_claim_runs"),
        sa.PrimaryKeyConstraint("document_id", "extractor", name=op.f("pk_activity_claim_runs")),
    )
    op.create_table(
        "activities",
        sa.Column("activity_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("start", sa.String(length=10), nullable=True),
        sa.Column("end", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_activities")),
    )
    op.create_table(
        "activity_members",
        sa.Column("activity_id", sa.String(length=40), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.activity_id"],
            name=op.f("fk_activity_members_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["activity_claims.claim_id"],
            name=op.f("fk_activity_members_claim_id_activity_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", "claim_id", name=op.f("pk_activity_members")),
    )
    op.create_table(
        "activity_links",
        sa.Column("link_id", sa.String(length=40), nullable=False),
        sa.Column("activity_id", sa.String(length=40), nullable=False),
        sa.Column("claim_a", sa.String(length=40), nullable=False),
        sa.Column("claim_b", sa.String(length=40), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.activity_id"],
            name=op.f("fk_activity_links_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_a"],
            ["activity_claims.claim_id"],
            name=op.f("fk_activity_links_claim_a_activity_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_b"],
            ["activity_claims.claim_id"],
            name=op.f("fk_activity_links_claim_b_activity_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("link_id", name=op.f("pk_activity_links")),
    )
    with op.batch_alter_table("activity_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_links_activity_id"), ["activity_id"], unique=False)
    op.create_table(
        "activity_conflicts",
        sa.Column("conflict_id", sa.String(length=40), nullable=False),
        sa.Column("activity_id", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("chosen", sa.Text(), nullable=True),
        sa.Column("values", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.activity_id"],
            name=op.f("fk_activity_conflicts_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conflict_id", name=op.f("pk_activity_conflicts")),
    )
    with op.batch_alter_table("activity_conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_conflicts_activity_id"), ["activity_id"], unique=False)
    op.create_table(
        "entity_mentions",
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("block_seq", sa.Integer(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("attrs", sa.Text(), nullable=False),
        _doc_fk("entity_mentions"),
        sa.PrimaryKeyConstraint(
            "entity_id", "document_id", "block_seq", "start_offset", "end_offset", name=op.f("pk_entity_mentions")
        ),
    )
    with op.batch_alter_table("entity_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_mentions_entity_type"), ["entity_type"], unique=False)


def downgrade() -> None:
    for table in (
        "entity_mentions",
        "activity_conflicts",
        "activity_links",
        "activity_members",
        "activities",
        "activity_claim_runs",
        "activity_claims",
    ):
        op.drop_table(table)
