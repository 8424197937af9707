"""`chosei db roles` against a real PostgreSQL server, connecting as real login roles.

Group roles are cluster-wide and shared by concurrent test runs (`db roles` creates them
if missing); the login roles are this session's own, with unique names, dropped at the
end. The rights are the server's: most checks here are plain SQL as each login role.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from chosei.roles import AUDITOR, CASEWORKER, GROUPS, LAB, PARTNERS

pytestmark = pytest.mark.postgres
KINDS = {"kim": CASEWORKER, "lab": LAB, "kr": PARTNERS["KR"], "jp": PARTNERS["JP"],
         "audit": AUDITOR, "nobody": None}


def _admin() -> str:
    from tests.conftest import PG_ADMIN_URL

    return PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def logins(pg_database: str) -> Iterator[dict[str, str]]:
    """A login role per group, named uniquely for this session: kind → role name."""
    import psycopg

    from chosei.roles import _create_group
    from chosei.store import open_store

    store = open_store(pg_database, check_schema=False)
    with store.engine.begin() as conn:  # the groups must exist to be granted
        for group in GROUPS:
            _create_group(conn, group)
    store.dispose()
    tag = uuid.uuid4().hex[:8]
    names = {kind: f"chosei_t{tag}_{kind}" for kind in KINDS}
    with psycopg.connect(_admin(), autocommit=True) as conn:
        for kind, name in names.items():
            conn.execute(f'CREATE ROLE "{name}" LOGIN')
            if KINDS[kind]:
                conn.execute(f'GRANT "{KINDS[kind]}" TO "{name}"')
    try:
        yield names
    finally:
        with psycopg.connect(_admin(), autocommit=True) as conn:
            for name in names.values():
                conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def as_role(url: str, role: str) -> str:
    """The store's URL, logging in as `role` (trust authentication on the test server)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


@pytest.fixture
def shared(pg_database: str, logins: dict[str, str], cli, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """A case on the server with roles set: V-001 (KR) has R-001, sharing with KR;
    V-002 (JP) has R-002, sharing with JP; V-003 (KR) has R-003, analysis only."""
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database)
    monkeypatch.setenv("CHOSEI_DB", pg_database)
    cli("init --name Shared")
    cli("db roles")
    for vid, nat, name in (("V-001", "KR", "--hangul 김가온"), ("V-002", "JP", "--japanese 山田"),
                           ("V-003", "KR", "--hangul 박")):
        cli(f"victim add {vid} --nationality {nat} {name}")
    for rid, vid, scopes, contact in (("R-001", "V-001", "--scope analysis --scope share:KR", "010-1"),
                                      ("R-002", "V-002", "--scope analysis --scope share:JP", "090-2"),
                                      ("R-003", "V-003", "--scope analysis", "010-3")):
        cli(f"relative add {rid} --victim {vid} --relationship son --name N{rid} --contact {contact}")
        cli(f"relative consent {rid} {scopes} --on 2025-10-01")
        cli(f"sample add S{rid[1:]} --relative {rid} --type saliva")
    return pg_database


def _query(url: str, role: str, sql: str) -> list[tuple]:
    import psycopg

    dsn = as_role(url, role).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def _refused(url: str, role: str, sql: str) -> str:
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as err:
        _query(url, role, sql)
    return str(err.value).splitlines()[0]


def _tables() -> list[tuple[str, str]]:
    """Every table chosei has, with one of its columns."""
    from sqlmodel import SQLModel

    import chosei.models  # noqa: F401

    return [(t.name, next(iter(t.columns)).name) for t in SQLModel.metadata.sorted_tables]


def test_db_roles_creates_the_groups_idempotently(shared: str, cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("--as", "admin", "db", "roles").stdout  # the fixture ran it once already
    assert "Created: none (all existed)." in out
    entry = json.loads(cli("audit log --last 1 --json").stdout)[0]
    assert (entry["action"], entry["entity"], entry["actor"], entry["db_user"]) == \
        ("roles", "database", "admin", "postgres")
    assert entry["after"] == {"created": [], "row_security": [
        "consent_event", "custody_event", "genotype", "match_result", "relative", "sample"]}
    rows = _query(shared, "postgres", "SELECT rolname, rolcanlogin FROM pg_roles "
                  "WHERE rolname LIKE 'chosei\\_%' AND rolname NOT LIKE 'chosei\\_t%' ORDER BY 1")
    assert rows == sorted((g, False) for g in GROUPS)


@pytest.mark.parametrize("kind", ["kr", "jp", "audit", "lab"])
def test_roles_without_contacts_cannot_read_them(shared: str, logins, kind: str) -> None:  # type: ignore[no-untyped-def]
    if kind == "audit":  # the auditor verifies rows in full: it is trusted with contacts
        assert len(_query(shared, logins[kind], "SELECT contact FROM relative")) == 3
        return
    assert _refused(shared, logins[kind], "SELECT contact FROM relative") == \
        "permission denied for table relative"
    assert _refused(shared, logins[kind], "SELECT * FROM relative") == \
        "permission denied for table relative"
    # Nor through the log, whose entries hold every value a row ever had.
    assert _refused(shared, logins[kind], "SELECT after FROM audit_entry") == \
        "permission denied for table audit_entry"


@pytest.mark.parametrize("kind", ["kr", "jp", "audit"])
def test_read_only_roles_cannot_change_any_table(shared: str, logins, kind: str) -> None:  # type: ignore[no-untyped-def]
    for table, column in _tables():
        for sql in (f"DELETE FROM {table} WHERE false",
                    f"UPDATE {table} SET {column} = {column} WHERE false", f"TRUNCATE {table}"):
            assert _refused(shared, logins[kind], sql) == f"permission denied for table {table}"
    assert _refused(shared, logins[kind], "INSERT INTO victim (id, nationality, version) "
                    "VALUES ('V-9', 'KR', 1)") == "permission denied for table victim"


@pytest.mark.parametrize("kind", ["kim", "lab"])
def test_writers_cannot_rewrite_the_log(shared: str, logins, kind: str) -> None:  # type: ignore[no-untyped-def]
    for sql in ("DELETE FROM audit_entry WHERE false", "UPDATE audit_entry SET seq = seq WHERE false",
                "TRUNCATE audit_entry"):
        assert _refused(shared, logins[kind], sql) == "permission denied for table audit_entry"


@pytest.mark.parametrize(("kind", "relative", "sample"), [("kr", "R-001", "S-001"),
                                                          ("jp", "R-002", "S-002")])
def test_a_partner_sees_only_relatives_sharing_with_it(shared: str, logins, kind, relative, sample):  # type: ignore[no-untyped-def]
    role = logins[kind]
    assert _query(shared, role, "SELECT id, name FROM relative") == [(relative, f"N{relative}")]
    assert _query(shared, role, "SELECT DISTINCT relative_id FROM consent_event") == [(relative,)]
    assert _query(shared, role, "SELECT id FROM sample") == [(sample,)]
    # Retractions name what was taken out and why, whoever's it was: none for partners.
    assert _refused(shared, role, "SELECT ident, why FROM retraction") == \
        "permission denied for table retraction"
    assert len(_query(shared, role, "SELECT id FROM victim")) == 3  # victims are not withheld


def test_a_partner_sees_only_profiles_and_custody_of_shared_samples(shared: str, logins, cli):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, text

    engine = create_engine(shared)  # as the owner: two profiles and two custody records
    with engine.begin() as conn:
        for sid in ("S-001", "S-003"):
            conn.execute(text("INSERT INTO genotype (sample_id, marker, allele1, allele2, version)"
                              " VALUES (:s, 'TH01', '9', '9.3', 1)"), {"s": sid})
            conn.execute(text("INSERT INTO custody_event (item_id, event, at, version) "
                              "VALUES (:s, 'shipped', '2025-10-02', 1)"), {"s": sid})
    engine.dispose()
    assert _query(shared, logins["kr"], "SELECT sample_id FROM genotype") == [("S-001",)]
    assert _query(shared, logins["kr"], "SELECT item_id FROM custody_event") == [("S-001",)]
    assert _query(shared, logins["jp"], "SELECT sample_id FROM genotype") == []
    assert len(_query(shared, logins["lab"], "SELECT sample_id FROM genotype")) == 2


def test_a_withdrawn_share_hides_the_relative_at_once(shared: str, logins, cli) -> None:  # type: ignore[no-untyped-def]
    cli("relative withdraw R-001 --scope share:KR --on 2026-01-15")
    assert _query(shared, logins["kr"], "SELECT id FROM relative") == []
    assert _query(shared, logins["kr"], "SELECT id FROM sample") == []


def test_the_lab_is_blind_to_names(shared: str, logins) -> None:  # type: ignore[no-untyped-def]
    for table in ("victim", "victim_name", "consent_event", "identification", "match_result"):
        assert _refused(shared, logins["lab"], f"SELECT * FROM {table}") == \
            f"permission denied for table {table}"
    assert len(_query(shared, logins["lab"], "SELECT id, relative_id, type FROM sample")) == 3


def test_the_lab_sees_only_retractions_of_its_own_rows(shared: str, logins, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-090 --nationality KR --hangul 가")
    cli("retract victim V-090 --why 'test row'")
    cli("specimen add SP-090 --element femur")
    cli("sample add S-090 --specimen SP-090 --type bone")
    cli("retract sample S-090 --why 'mislabelled'")
    assert _query(shared, logins["lab"], "SELECT kind, ident FROM retraction") == [("sample", "S-090")]
    # So a lab adding a sample under a retracted sample's ID is told why it may not.
    result = cli("--db", as_role(shared, logins["lab"]), "sample", "add", "S-090", "--specimen", "SP-090",
                 "--type", "bone", expect=4)
    assert result.stderr.startswith("Error: sample S-090 was retracted (")


# --- through the CLI ---------------------------------------------------------------------


def test_a_partner_writing_gets_one_line_with_exit_5(shared: str, logins, cli) -> None:  # type: ignore[no-untyped-def]
    url = as_role(shared, logins["kr"])
    result = cli("--db", url, "victim", "add", "V-009", "--nationality", "KR", "--hangul", "가",
                 expect=5)
    assert result.stderr == (f"Error: the database role '{logins['kr']}' may not write table "
                             "victim; ask an administrator to grant it chosei_caseworker (or "
                             "chosei_lab for samples, profiles, custody)\n")
    result = cli("--db", url, "relative", "show", "R-001", expect=5)
    assert result.stderr == (
        f"Error: the database role '{logins['kr']}' may not read table relative or some of its "
        "columns (contacts are for chosei_caseworker); ask an administrator to grant it a "
        "chosei role that may (`chosei db roles`, docs/security.md)\n")
    result = cli("--db", url, "audit", "log", expect=5)
    assert "may not read table audit_entry; ask an administrator to grant it chosei_auditor" \
        in result.stderr
    assert "V-009" not in cli("victim list").stdout


def test_a_role_in_no_group_may_not_even_open_the_store(shared: str, logins, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--db", as_role(shared, logins["nobody"]), "status", expect=5)
    assert result.stderr == (
        f"Error: the database role '{logins['nobody']}' may not read table alembic_version; "
        "ask an administrator to grant it a chosei role that may (`chosei db roles`, "
        "docs/security.md)\n")


def test_status_counts_what_a_partner_may_see(shared: str, logins, cli) -> None:  # type: ignore[no-untyped-def]
    def families(url: str) -> dict[str, list[int]]:
        data = json.loads(cli("--db", url, "status", "--json").stdout)
        return {r["stage"]: [r["KR"], r["JP"]] for r in data["family_stage"][:3]}

    assert families(shared) == {"no relative known": [0, 0], "located": [0, 0],
                                "consented": [2, 1]}
    assert families(as_role(shared, logins["kr"])) == {
        "no relative known": [1, 1], "located": [0, 0], "consented": [1, 0]}
    assert families(as_role(shared, logins["jp"])) == {
        "no relative known": [2, 0], "located": [0, 0], "consented": [0, 1]}


def test_the_audit_shows_the_database_user_and_on_behalf_of(shared: str, logins, cli) -> None:  # type: ignore[no-untyped-def]
    cli("--db", as_role(shared, logins["kim"]), "--as", "Kim Minji", "victim", "edit", "V-003",
        "--latin", "Park")
    cli("--db", as_role(shared, logins["lab"]), "--as", "Lee", "sample", "advance", "S-003",
        "collected")
    entries = json.loads(cli("--db", as_role(shared, logins["audit"]), "audit", "log", "--last",
                             "2", "--json").stdout)
    assert [(e["db_user"], e["actor"], e["entity_key"]) for e in entries] == [
        (logins["kim"], "Kim Minji", "V-003"), (logins["lab"], "Lee", "S-003")]
    assert cli("--db", as_role(shared, logins["audit"]), "audit", "verify").exit_code == 0


def test_a_caseworker_imports_into_tables_under_row_security(shared: str, logins) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL refuses COPY FROM where row-level security applies to the writer.
    from sqlalchemy import func, select

    from chosei import bulk
    from chosei.models import ConsentEvent
    from chosei.store import open_store, session_scope

    store = open_store(as_role(shared, logins["kim"]))
    try:
        with session_scope(store, write=True) as s:
            bulk.insert(s.connection(), "consent_event",
                        ("relative_id", "scope", "event", "date", "version"),
                        [("R-003", "share:JP", "given", "2026-01-01", 1)])
            assert s.execute(select(func.count()).select_from(ConsentEvent)).scalar_one() == 6
    finally:
        store.dispose()



def test_db_roles_json(shared: str, cli) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(cli("db roles --json").stdout)
    assert data["store"].startswith("postgresql+psycopg://")
    assert {k: data[k] for k in ("created", "groups", "row_security")} == {
        "created": [], "groups": list(GROUPS),
        "row_security": ["consent_event", "custody_event", "genotype", "match_result", "relative", "sample"]}
    assert data["tables"] == len(_tables())
