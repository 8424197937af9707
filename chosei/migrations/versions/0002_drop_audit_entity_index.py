"""drop the audit log's index on entity, which no query uses

The log is read by the key of a row (`entity_key`) or of what it hangs off (`subject`),
never by the kind of row alone; the index only slowed every write, an import's most of all.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 01:09:52.442652
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_audit_entry_entity', table_name='audit_entry')


def downgrade() -> None:
    op.create_index('ix_audit_entry_entity', 'audit_entry', ['entity'], unique=False)
