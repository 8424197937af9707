"""relative.relationship holds a relationship path of up to 8 steps (was 40 characters)

A path such as ``father's brother's son's son`` is stored in its canonical English
spelling (chosei.kinship.paths); the longest, eight ``half-sister (maternal)`` steps,
is under 200 characters.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 20:10:00
"""

from collections.abc import Sequence

import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("relative", schema=None) as batch_op:
        batch_op.alter_column(
            "relationship",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=40),
            type_=sqlmodel.sql.sqltypes.AutoString(length=200),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("relative", schema=None) as batch_op:
        batch_op.alter_column(
            "relationship",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=200),
            type_=sqlmodel.sql.sqltypes.AutoString(length=40),
            existing_nullable=False,
        )
