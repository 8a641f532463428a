"""decision inputs

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 13:00:00

A team decision (a practice's OU value in `ou_characterization`, a goal's significance or lowering in
`goal_rating_override`) records the inputs it was made on, as compact JSON written by
app/domain/rating/decisions.py: the instantiation values and weaknesses for a practice, the practices' OU values
and weaknesses for a goal. When they change the decision is stale and asked again.

Rows from earlier files keep every value and get `inputs` NULL: the engine shows them as stale (to re-confirm)
or, where the rules no longer allow them, as conflicts. Nothing is deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default) needs no table rebuild on SQLite.
    op.add_column("ou_characterization", sa.Column("inputs", sa.Text(), nullable=True))
    op.add_column("goal_rating_override", sa.Column("inputs", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("goal_rating_override") as batch:
        batch.drop_column("inputs")
    with op.batch_alter_table("ou_characterization") as batch:
        batch.drop_column("inputs")
