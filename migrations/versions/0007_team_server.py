"""team server

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 21:40:00

For several people on one PostgreSQL database (docs/team-server.md):

- `server_account`: which database login is which person of the team, in which role (lead, member, observer)
  and, for a team member, which mini-team; the server's row-level security policies read it to limit a team
  member's writes to the mini-team's process areas.
- `version` on every row people edit together: each update adds one, so a write made on a stale copy is
  refused instead of overwriting a colleague's edit (SQLAlchemy's version counter).

Harmless on a file: an existing row starts at version 1 and nothing reads `server_account` there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Frozen copy of app/storage/schema.py's VERSIONED_TABLES as of this revision.
VERSIONED_TABLES = (
    "appraisal",
    "characterization",
    "ou_characterization",
    "goal_rating_override",
    "finding",
    "artifact",
    "interview_session",
    "affirmation",
    "evidence_link",
)


def upgrade() -> None:
    op.create_table(
        "server_account",
        sa.Column("login", sa.String(63), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("mini_team_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('lead', 'member', 'observer')", name=op.f("ck_server_account_role")),
        sa.ForeignKeyConstraint(
            ["mini_team_id"],
            ["mini_team.id"],
            name=op.f("fk_server_account_mini_team_id_mini_team"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_server_account")),
    )
    op.create_index(op.f("ix_server_account_mini_team_id"), "server_account", ["mini_team_id"])
    # A plain ADD COLUMN with a constant default needs no table rebuild on SQLite.
    for table in VERSIONED_TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+): a batch table copy would cascade-delete the rows referencing a parent
    # table (a session's participants) while it swaps the tables.
    for table in reversed(VERSIONED_TABLES):
        op.drop_column(table, "version")
    op.drop_index(op.f("ix_server_account_mini_team_id"), table_name="server_account")
    op.drop_table("server_account")
