"""Migration 0007: relative.relationship widened from 40 to 200 characters for
relationship paths, keeping every row (relatives with consents and samples) and the
audit trail, on both backends."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

LONG = "half-sister (maternal)'s daughter's daughter's son"  # 50 characters


def _length(engine) -> int | None:  # type: ignore[no-untyped-def]
    column = next(c for c in inspect(engine).get_columns("relative") if c["name"] == "relationship")
    return column["type"].length


def test_0007_widens_the_relationship_keeping_the_rows(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from chosei.migrations.runner import config, upgrade

    cli("victim add V-001 --nationality KR --hangul 김가온")
    cli("relative add R-001 --victim V-001 --relationship 아들")
    cli("relative consent R-001 --scope analysis --on 2025-10-01")
    cli("sample add RS-001 --relative R-001 --type saliva")
    engine = create_engine(case)
    try:
        command.downgrade(config(engine), "0006")
        assert _length(engine) == 40
        upgrade(engine)
        assert _length(engine) == 200
        with engine.connect() as conn:
            assert conn.execute(text("SELECT id, relationship FROM relative")).all() == [("R-001", "son")]
            assert conn.execute(text("SELECT count(*) FROM consent_event")).scalar_one() == 1
            assert conn.execute(text("SELECT relative_id FROM sample")).scalar_one() == "R-001"
    finally:
        engine.dispose()
    assert len(LONG) > 40
    cli("relative", "add", "R-002", "--victim", "V-001", "--relationship", LONG)
    assert "R-002" in cli("relative list").stdout
    assert cli("audit verify").exit_code == 0
