"""consent as history: `consent_event` replaces `consent`

Each consent given and each withdrawal becomes its own row (`event` given | withdrawn,
`date`, `agency`, `form_ref`); what is in effect is computed from them
(`stages.consent_in_effect`). Each old `consent` row becomes a `given` event dated
`given_on` and, when it was withdrawn, a `withdrawn` event dated `withdrawn_on`.

The move is audited, so `chosei audit verify` still holds: one `delete consent` entry per
old row and one `create consent_event` entry per new one, by `system`.

On PostgreSQL, the row-level security of `chosei db roles` read `consent`: run
`chosei db roles` again after this upgrade (as after every upgrade).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENT_COLUMNS = ("id", "relative_id", "scope", "event", "date", "agency", "form_ref", "version")
_OLD_COLUMNS = ("id", "relative_id", "scope", "given_on", "withdrawn_on", "version")


def _audit(conn: sa.Connection) -> None:
    """Log the move: the old rows deleted, the events created."""
    from sqlmodel import Session

    from chosei import audit

    old = [dict(r) for r in conn.execute(sa.text(
        f"SELECT {', '.join(_OLD_COLUMNS)} FROM consent ORDER BY id")).mappings()]
    new = [dict(r) for r in conn.execute(sa.text(
        f"SELECT {', '.join(_EVENT_COLUMNS)} FROM consent_event ORDER BY id")).mappings()]
    if not old:
        return
    session = Session(bind=conn)
    audit.record(session, [
        *(("delete", "consent", str(r["id"]), r, None) for r in old),
        *(("create", "consent_event", str(r["id"]), None, r) for r in new),
    ])


def upgrade() -> None:
    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("relative_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("date", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("form_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["relative_id"], ["relative.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_event_relative_id", "consent_event", ["relative_id"], unique=False)
    conn = op.get_bind()
    conn.execute(sa.text(
        "INSERT INTO consent_event (relative_id, scope, event, date, version) "
        "SELECT relative_id, scope, 'given', given_on, 1 FROM consent ORDER BY id"))
    conn.execute(sa.text(
        "INSERT INTO consent_event (relative_id, scope, event, date, version) "
        "SELECT relative_id, scope, 'withdrawn', withdrawn_on, 1 FROM consent "
        "WHERE withdrawn_on IS NOT NULL ORDER BY id"))
    _audit(conn)
    op.drop_index("ix_consent_relative_id", table_name="consent")
    op.drop_table("consent")


def downgrade() -> None:
    """Back to one row per (relative, scope): the latest consent given and, when a
    withdrawal came after it, that withdrawal. Older events are lost, and not audited:
    downgrade a copy, never the case's store."""
    op.create_table(
        "consent",
        sa.Column("relative_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("given_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("withdrawn_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["relative_id"], ["relative.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("relative_id", "scope"),
    )
    op.create_index("ix_consent_relative_id", "consent", ["relative_id"], unique=False)
    conn = op.get_bind()
    state: dict[tuple[str, str], list[str | None]] = {}
    for rel, scope, event, date in conn.execute(sa.text(
            "SELECT relative_id, scope, event, date FROM consent_event "
            "ORDER BY COALESCE(date, ''), id")):
        row = state.setdefault((rel, scope), [None, None])
        if event == "given":
            row[0], row[1] = date, None
        else:
            row[1] = date
    for (rel, scope), (given, withdrawn) in sorted(state.items()):
        conn.execute(sa.text("INSERT INTO consent (relative_id, scope, given_on, withdrawn_on, "
                             "version) VALUES (:r, :s, :g, :w, 1)"),
                     {"r": rel, "s": scope, "g": given, "w": withdrawn})
    op.drop_index("ix_consent_event_relative_id", table_name="consent_event")
    op.drop_table("consent_event")
