"""victim.birth_date_written: the birth date as the source wrote it

`birth_date` keeps the ISO date (partial when the source is: `1915`); this column keeps
the text it was read from when that says more: an era spelling (大正4年3月2日) or an
approximation (1915年頃, circa 1915, 1915?). A new nullable column: no table is
recreated (SQLite batch mode only adds it), so `audit_entry` and its triggers are untouched.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('victim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_date_written', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('victim', schema=None) as batch_op:
        batch_op.drop_column('birth_date_written')
