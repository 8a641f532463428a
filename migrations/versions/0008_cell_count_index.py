"""cell count index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 02:15:00

Every cell's evidence counts (adequate artifacts, other artifacts, affirmations per process area, practice and
unit) are read by the grid, the full rating and the exports with one GROUP BY over `evidence_link`. Without an
index in that order SQLite reads the whole table and sorts it (some 70 ms of a full rating at size L, 60k
links); with this covering index it walks the index alone, already in cell order (about 30 ms). Nothing in the
data changes.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = ["process_area_id", "practice_id", "unit_id", "artifact_id", "adequacy", "affirmation_id"]


def upgrade() -> None:
    op.create_index("ix_evidence_link_cell_counts", "evidence_link", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_evidence_link_cell_counts", table_name="evidence_link")
