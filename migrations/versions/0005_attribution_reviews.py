"""attribution reviews and extra identifiers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:10:00

Two new tables for non-attribution (method-rules §9): the lead's "reviewed: not an attribution" marks on flagged
spans of a text (`attribution_review`), and the appraisal's list of extra identifiers (nicknames, e-mail
handles, team names) matched like participants' names (`extra_identifier`). No existing table changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attribution_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=80), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("text_digest", sa.String(length=32), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribution_review")),
    )
    op.create_index("ix_attribution_review_location", "attribution_review", ["location"])
    op.create_table(
        "extra_identifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extra_identifier")),
        sa.UniqueConstraint("text", name=op.f("uq_extra_identifier_text")),
    )


def downgrade() -> None:
    op.drop_table("extra_identifier")
    op.drop_index("ix_attribution_review_location", table_name="attribution_review")
    op.drop_table("attribution_review")
