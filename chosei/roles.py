"""Agencies and roles on a shared PostgreSQL server: `chosei db roles`.

PostgreSQL, not chosei, decides who may see and change what: grants, column privileges
and row-level security (RLS) on group roles (NOLOGIN) that an administrator grants to
each person's login role (`GRANT chosei_lab TO lee;`). `create_roles` creates them if
missing and (re)sets their rights on every table chosei has, in one transaction; run it
again after `chosei db upgrade` so that new tables get their grants.

- `chosei_caseworker`: reads and writes every table, contacts included.
- `chosei_lab`: blind, like the exchange's `lab` profile: reads and writes samples,
  profiles (genotypes) and custody; reads specimens, the case, the population data and
  the retractions of its own rows (RLS);
  no victim, relative (no names, no contacts), consent or match.
- `chosei_partner_kr`, `chosei_partner_jp`: read only; no contacts, no relatives' notes
  (the partner export's columns), no audit log (its entries hold contacts); only the
  relatives whose consent covers sharing with that agency (`share:KR` / `share:JP`), and
  only their consents, samples, profiles, custody records and matches (RLS); no
  retractions (they may name such relatives).
- `chosei_auditor`: reads everything, audit log included, and changes nothing. Checking
  the chain needs every entry and row in full, contacts included: the auditor is trusted
  with them as a caseworker is.

Writers append to `audit_entry` (INSERT; SELECT of `seq` and `hash`, to chain on); no role
may UPDATE or DELETE it. The consent rule in the policies is `stages.consent_in_effect`,
compiled into a SECURITY DEFINER function (it must read `consent_event` past that table's own
policies). Table owners and superusers bypass RLS and grants: run chosei as neither.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, literal_column, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import Session, SQLModel

from chosei import audit
from chosei.errors import StoreError
from chosei.exchange.writer import PARTNER_DROPS
from chosei.i18n import N_, _
from chosei.services.stages import consent_in_effect

CASEWORKER, LAB, AUDITOR = "chosei_caseworker", "chosei_lab", "chosei_auditor"
PARTNERS = {"KR": "chosei_partner_kr", "JP": "chosei_partner_jp"}
GROUPS = (CASEWORKER, LAB, *PARTNERS.values(), AUDITOR)
WRITERS = (CASEWORKER, LAB)

AUDIT = "audit_entry"
AUDIT_CHAIN_COLUMNS = ("seq", "hash")  # what a writer reads of the log to chain on
LAB_WRITES = ("sample", "genotype", "custody_event")
LAB_READS = ("specimen", "case_info", "allele_frequency", "haplotype_count", "retraction")
# Of the retractions the lab reads only those of its own rows (an add under a retracted
# sample's ID is refused, naming the retraction); never a victim's or relative's.
RETRACTION = "retraction"
LAB_RETRACTIONS = "entity IN ('sample', 'genotype', 'custody_event')"
# Tables a partner may not read at all: a retraction names what was taken out and why,
# which may be a relative whose consent does not cover that partner (like the audit log).
PARTNER_NONE = ("retraction",)
# Columns a partner may not read, by table: those its export leaves out, and contacts.
PARTNER_HIDDEN = {"relative": tuple(sorted(PARTNER_DROPS["Relatives"]))}

_CONSENT_FN = "chosei_consent_in_effect"
_SAMPLE_FN = "chosei_sample_shared"
# What each partner sees of a table, as SQL on the row; tables absent here are all visible.
_PARTNER_ROWS = {
    "relative": f"{_CONSENT_FN}(id, %(scope)s)",
    "consent_event": f"{_CONSENT_FN}(relative_id, %(scope)s)",
    "sample": f"relative_id IS NULL OR {_CONSENT_FN}(relative_id, %(scope)s)",
    "genotype": f"{_SAMPLE_FN}(sample_id, %(scope)s)",
    "custody_event": f"{_SAMPLE_FN}(item_id, %(scope)s)",
    "match_result": f"sample_id IS NULL OR {_SAMPLE_FN}(sample_id, %(scope)s)",
}


def _ident(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _functions_sql(schema: str) -> list[str]:
    """The consent rule as SQL functions the policies call, run as their owner."""
    # The server's today, not the one `db roles` ran on: the rule is evaluated per query.
    rule = consent_in_effect(literal_column("p_relative"), literal_column("p_scope"),
                             literal_column("CAST(CURRENT_DATE AS TEXT)"))
    body = str(select(rule).compile(dialect=postgresql.dialect()))
    path = f"SET search_path = {schema}, pg_temp"
    return [
        f"CREATE OR REPLACE FUNCTION {_CONSENT_FN}(p_relative text, p_scope text) "
        f"RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER {path} AS $fn$ {body} $fn$",
        # A sample another partner's relative gave is hidden; a specimen's, or an ID that
        # is no sample (a specimen's custody), is not.
        f"CREATE OR REPLACE FUNCTION {_SAMPLE_FN}(p_sample text, p_scope text) "
        f"RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER {path} AS $fn$ "
        f"SELECT NOT EXISTS (SELECT 1 FROM sample WHERE sample.id = p_sample "
        f"AND sample.relative_id IS NOT NULL "
        f"AND NOT {_CONSENT_FN}(sample.relative_id, p_scope)) $fn$",
    ]


def _create_group(conn: Connection, role: str) -> bool:
    """Create `role` unless it exists; True if created. Roles are cluster-wide and another
    database's `db roles` may be creating it at the same moment: that counts as existing."""
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if exists:
        return False
    savepoint = conn.begin_nested()
    try:
        conn.execute(text(f"CREATE ROLE {_ident(conn, role)} NOLOGIN"))
    except DBAPIError as exc:
        savepoint.rollback()
        if getattr(exc.orig, "sqlstate", None) in ("42710", "23505"):  # duplicate_object, unique
            return False
        raise
    savepoint.commit()
    return True


_NOT_POSTGRES = N_("roles are a PostgreSQL feature: a SQLite store is one file, protected by "
                   "its file system permissions; nothing was changed")


def require_postgres(url: str) -> None:
    """Refuse a store that is not on PostgreSQL, before opening (or creating) it."""
    try:
        postgres = make_url(url).get_backend_name() == "postgresql"
    except ArgumentError:
        postgres = False  # a path: SQLite
    if not postgres:
        raise StoreError(_(_NOT_POSTGRES))


def set_roles(session: Session) -> dict[str, Any]:
    """`create_roles` in the session's transaction, recorded in the audit trail (action
    `roles`, entity `database`): who changed the rights, and when."""
    done = create_roles(session.connection())
    details = {"created": done["created"], "row_security": done["row_security"]}
    audit.record(session, [audit.Change("roles", "database", "roles", None, details)])
    return done


def create_roles(conn: Connection) -> dict[str, Any]:
    """Create the group roles if missing and set their rights on every chosei table.
    Returns what was done: roles created, tables granted, tables under RLS."""
    if conn.dialect.name != "postgresql":
        raise StoreError(_NOT_POSTGRES)
    import chosei.models  # noqa: F401  (registers the tables)

    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    created = [role for role in GROUPS if _create_group(conn, role)]
    q = lambda name: _ident(conn, name)  # noqa: E731
    groups = ", ".join(q(g) for g in GROUPS)
    run = [f"GRANT USAGE ON SCHEMA {q(schema)} TO {groups}",
           f"REVOKE ALL ON ALL TABLES IN SCHEMA {q(schema)} FROM {groups}",
           f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {q(schema)} FROM {groups}",
           f"GRANT SELECT ON alembic_version TO {groups}",
           f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q(schema)} "
           f"TO {q(CASEWORKER)}, {q(LAB)}"]
    chain = ", ".join(AUDIT_CHAIN_COLUMNS)
    run += [f"GRANT INSERT, SELECT ({chain}) ON {AUDIT} TO {q(CASEWORKER)}, {q(LAB)}",
            f"GRANT SELECT ON {AUDIT} TO {q(CASEWORKER)}, {q(AUDITOR)}"]
    for table in tables:
        if table == AUDIT:
            continue
        run.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {q(table)} TO {q(CASEWORKER)}")
        run.append(f"GRANT SELECT ON {q(table)} TO {q(AUDITOR)}")
        if table in LAB_WRITES:
            run.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {q(table)} TO {q(LAB)}")
        elif table in LAB_READS:
            run.append(f"GRANT SELECT ON {q(table)} TO {q(LAB)}")
        partners = ", ".join(q(p) for p in PARTNERS.values())
        hidden = PARTNER_HIDDEN.get(table)
        if table in PARTNER_NONE:
            continue
        if hidden:
            table_obj = SQLModel.metadata.tables[table]
            cols = ", ".join(q(c.name) for c in table_obj.columns if c.name not in hidden)
            run.append(f"GRANT SELECT ({cols}) ON {q(table)} TO {partners}")
        else:
            run.append(f"GRANT SELECT ON {q(table)} TO {partners}")
    run += _functions_sql(q(schema))
    run.append(f"REVOKE ALL ON FUNCTION {_CONSENT_FN}(text, text), {_SAMPLE_FN}(text, text) "
               "FROM PUBLIC")
    run.append(f"GRANT EXECUTE ON FUNCTION {_CONSENT_FN}(text, text), {_SAMPLE_FN}(text, text) "
               f"TO {groups}")
    for table, rows in _PARTNER_ROWS.items():
        run.append(f"ALTER TABLE {q(table)} ENABLE ROW LEVEL SECURITY")
        run.append(f"DROP POLICY IF EXISTS chosei_trusted ON {q(table)}")
        run.append(f"CREATE POLICY chosei_trusted ON {q(table)} FOR ALL "
                   f"TO {q(CASEWORKER)}, {q(LAB)}, {q(AUDITOR)} USING (true) WITH CHECK (true)")
        for code, role in PARTNERS.items():
            policy = f"chosei_{role.removeprefix('chosei_')}"
            condition = rows % {"scope": f"'share:{code}'"}
            run.append(f"DROP POLICY IF EXISTS {policy} ON {q(table)}")
            run.append(f"CREATE POLICY {policy} ON {q(table)} FOR SELECT TO {q(role)} "
                       f"USING ({condition})")
    run += [f"ALTER TABLE {q(RETRACTION)} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS chosei_trusted ON {q(RETRACTION)}",
            f"CREATE POLICY chosei_trusted ON {q(RETRACTION)} FOR ALL TO {q(CASEWORKER)}, {q(AUDITOR)} "
            "USING (true) WITH CHECK (true)",
            f"DROP POLICY IF EXISTS chosei_lab ON {q(RETRACTION)}",
            f"CREATE POLICY chosei_lab ON {q(RETRACTION)} FOR SELECT TO {q(LAB)} USING ({LAB_RETRACTIONS})"]
    for statement in run:
        # Driver SQL: the statements hold literals such as 'share:KR' that `text()` would
        # take for bind parameters.
        conn.exec_driver_sql(statement)
    return {"created": created, "groups": list(GROUPS), "tables": len(tables),
            "row_security": sorted(_PARTNER_ROWS)}
