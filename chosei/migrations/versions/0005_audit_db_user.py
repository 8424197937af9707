"""audit entries record the database role that wrote them

`db_user`: PostgreSQL's `session_user` when the entry was written; NULL on SQLite and
for the entries written before this revision (the hash covers it only when set, so they
verify unchanged: see `chosei.audit`). A plain ADD COLUMN, never a table copy, so
whatever triggers guard `audit_entry` stay in place.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 17:14:08.781156
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('audit_entry',
                  sa.Column('db_user', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('db_user')
