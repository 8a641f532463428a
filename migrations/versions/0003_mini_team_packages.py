"""mini-team packages

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 12:50:00

One table, `package_record`: in a mini-team package file the row saying where it came from (role "origin",
with the state at split and its seal); in the lead's file one row per package issued (role "issued", with the
seal's secret and what merging it already brought in). No existing table changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "package_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("package_uid", sa.String(length=36), nullable=False),
        sa.Column("appraisal_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("mini_team", sa.String(length=100), nullable=False),
        sa.Column("process_areas", sa.Text(), nullable=False),
        sa.Column("split_at", sa.DateTime(), nullable=False),
        sa.Column("split_by", sa.String(length=200), nullable=False),
        sa.Column("base", sa.Text(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=True),
        sa.Column("merged_by", sa.String(length=200), nullable=False),
        sa.Column("merged_change_id", sa.Integer(), nullable=True),
        sa.Column("id_map", sa.Text(), nullable=False),
        sa.CheckConstraint("role IN ('origin', 'issued')", name=op.f("ck_package_record_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_record")),
        sa.UniqueConstraint("package_uid", name=op.f("uq_package_record_package_uid")),
    )


def downgrade() -> None:
    op.drop_table("package_record")
