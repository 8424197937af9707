"""family_person: family trees (people, parents, sex, the relative each person is)

A new table only: no existing table is recreated, so 0006's audit triggers stay.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('family_person',
    sa.Column('victim_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('father', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('mother', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('sex', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
    sa.Column('relative_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['relative_id'], ['relative.id'], ),
    sa.ForeignKeyConstraint(['victim_id'], ['victim.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('relative_id'),
    sa.UniqueConstraint('victim_id', 'label')
    )
    with op.batch_alter_table('family_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_person_victim_id'), ['victim_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('family_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_person_victim_id'))
    op.drop_table('family_person')
