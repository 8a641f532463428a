"""disclosure fields and report templates

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 12:50:00

The plan gains what the appraisal disclosure statement needs and it lacked (method-rules §6): the appraisal's
identifier (as the CMMI Institute or the sponsor assigns it) and the date the ratings stop being valid.
`report_template` keeps an organisation's Word template with the appraisal (one per edition), so the report
looks the same whoever makes it and wherever the file goes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appraisal") as batch:
        batch.add_column(sa.Column("identifier", sa.String(length=60), nullable=False, server_default=""))
        batch.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
    op.create_table(
        "report_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("edition IN ('team', 'sponsor')", name=op.f("ck_report_template_edition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_template")),
        sa.UniqueConstraint("edition", name=op.f("uq_report_template_edition")),
    )


def downgrade() -> None:
    op.drop_table("report_template")
    with op.batch_alter_table("appraisal") as batch:
        batch.drop_column("valid_until")
        batch.drop_column("identifier")
