"""retractions: which records `chosei retract` took out of the case, and why

A new table only; no existing table is copied, so the triggers guarding `audit_entry`
(0006) stay in place.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "retraction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", text(length=16), nullable=False),
        sa.Column("ident", text(), nullable=False),
        sa.Column("entity", text(length=32), nullable=False),
        sa.Column("entity_key", text(), nullable=False),
        sa.Column("retracted_at", text(length=32), nullable=False),
        sa.Column("retracted_by", text(), nullable=False),
        sa.Column("why", text(), nullable=False),
        sa.Column("restored_at", text(length=32), nullable=True),
        sa.Column("restored_by", text(), nullable=True),
        sa.Column("restored_why", text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_retraction_ident", "retraction", ["ident"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_retraction_ident", table_name="retraction")
    op.drop_table("retraction")
