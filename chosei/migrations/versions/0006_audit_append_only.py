"""the audit trail accepts INSERT only

Triggers refuse UPDATE and DELETE on `audit_entry` (and, on PostgreSQL, TRUNCATE, which
fires no row trigger) with "the audit trail is append-only", whoever connects: chosei
never changes an entry once written, so only tampering is refused. On PostgreSQL the
right to update, delete or truncate is also revoked from PUBLIC (roles chosei's
administrator grants get INSERT and SELECT only).

What this does not stop: whoever owns the table (or the SQLite file) can drop the
triggers. That is what published audit heads and signed checkpoints catch
(docs/security.md, "The audit trail").

Careful in later migrations: a SQLite batch operation that recreates `audit_entry`
(copy, drop, rename) drops these triggers with the old table; such a migration must
create them again (`create_triggers` below).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 17:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "the audit trail is append-only"

_SQLITE = [
    f"""CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for verb in ("UPDATE", "DELETE")
]
# restrict_violation, not insufficient_privilege: a role's missing right is another error,
# which chosei.privileges words as one (naming the role and whom to ask).
_POSTGRES = [
    f"""CREATE FUNCTION chosei_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation',
                HINT = 'chosei appends to the audit trail; it never changes or removes an entry';
        END $$""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION chosei_audit_append_only()""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION chosei_audit_append_only()""",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM PUBLIC",
]


def create_triggers() -> None:
    for statement in _POSTGRES if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(statement)


def upgrade() -> None:
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entry_no_truncate ON audit_entry")
        op.execute("DROP TRIGGER audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION chosei_audit_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entry_no_delete")
        op.execute("DROP TRIGGER audit_entry_no_update")
