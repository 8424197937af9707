"""identification.override: why people confirmed a pair the DNA excludes or does not single out

`chosei match confirm --override REASON` records it; `chosei check` and the report list
the confirmations that carry one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 17:03:01.120117
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('identification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('identification', schema=None) as batch_op:
        batch_op.drop_column('override')
