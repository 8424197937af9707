"""drop two indexes no query needs

`ix_audit_entry_entity`: the log is read by the key of a row (`entity_key`) or of what
it hangs off (`subject`), never by the kind of row alone. `ix_match_result_specimen_id`:
the unique constraint's index on (specimen_id, victim_id) already serves lookups by
specimen. Each only slowed writes: an import's audit entries, a match run's pairs.

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
    op.drop_index('ix_match_result_specimen_id', table_name='match_result')


def downgrade() -> None:
    op.create_index('ix_match_result_specimen_id', 'match_result', ['specimen_id'], unique=False)
    op.create_index('ix_audit_entry_entity', 'audit_entry', ['entity'], unique=False)
