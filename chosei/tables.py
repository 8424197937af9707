"""The tables as SQL names, for the read-only queries that run without the ORM.

`chosei status` and the per-victim stages (`services/stages.py`) read the store with
SQLAlchemy Core over these lightweight tables (`sqlalchemy.table`), so the dashboard
never builds the SQLModel classes nor imports the ORM: building the 16 models costs more
start-up than everything else the dashboard does. The models stay the one definition of
the schema; each table here lists only the columns those queries use, and
`tests/test_tables.py` checks every one against the models, name and type.

A query uses these or the models, never both for one table: the same table reached
through both is two tables to SQLAlchemy. Join a subquery built here on an ID instead.
Run in a session, these queries are plain Core and do not autoflush it: flush pending
changes first (as `build_demo` does before the demo shows its dashboard).
"""

from sqlalchemy import Boolean, Integer, String, column, table

case_info = table(
    "case_info",
    column("id", Integer),
    column("name", String),
    column("expected_total", Integer),
    column("expected_kr", Integer),
    column("expected_jp", Integer),
    column("demo", Boolean),
)
victim = table("victim", column("id", String), column("nationality", String))
relative = table("relative", column("id", String), column("victim_id", String))
consent_event = table(
    "consent_event",
    column("id", Integer),
    column("relative_id", String),
    column("scope", String),
    column("event", String),
    column("date", String),
)
sample = table(
    "sample",
    column("id", String),
    column("specimen_id", String),
    column("relative_id", String),
    column("status", String),
)
genotype = table("genotype", column("sample_id", String))
snp_calls = table("snp_calls", column("sample_id", String))
identification = table(
    "identification",
    column("specimen_id", String),
    column("victim_id", String),
    column("status", String),
)
custody_event = table("custody_event", column("item_id", String), column("event", String))
specimen = table("specimen", column("id", String), column("element", String), column("side", String))
dna_group = table("dna_group", column("specimen_id", String), column("group_id", String))

ALL = (case_info, victim, relative, consent_event, sample, genotype, snp_calls, identification, custody_event,
       specimen, dna_group)
