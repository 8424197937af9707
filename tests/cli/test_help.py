"""Every command explains itself: help text and an example (sqlite-utils style)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
import typer.testing

from chosei.cli import app
from chosei.errors import EXIT_CODES


def _commands() -> list[tuple[str, object]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, object]] = []

    def walk(cmd: object, path: list[str]) -> None:
        if hasattr(cmd, "list_commands"):
            ctx = cmd.make_context("chosei", [], resilient_parsing=True)  # type: ignore[attr-defined]
            for name in cmd.list_commands(ctx):  # type: ignore[attr-defined]
                walk(cmd.get_command(ctx, name), [*path, name])  # type: ignore[attr-defined]
        else:
            found.append((" ".join(path), cmd))

    walk(root, [])
    return found


COMMANDS = _commands()


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_an_example(name: str, command: object) -> None:
    text = command.help or ""  # type: ignore[attr-defined]
    assert text.strip(), f"chosei {name} has no help text"
    assert "Example: chosei" in text, f"chosei {name} shows no example"


def test_every_option_has_help() -> None:
    missing = [
        f"chosei {name} {param.name}"
        for name, command in COMMANDS
        for param in command.params  # type: ignore[attr-defined]
        if getattr(param, "help", None) is not None and not param.help
    ]
    assert missing == []


def test_help_runs_without_importing_the_store() -> None:
    code = (
        "import sys; from chosei.cli import app; import typer.testing as t;"
        "t.CliRunner().invoke(app, ['--help']);"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'openpyxl', 'numpy', 'alembic') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_every_noun_is_listed_and_reachable() -> None:
    nouns = {name.split()[0] for name, _ in COMMANDS if " " in name}
    assert nouns == {"victim", "relative", "family", "operation", "specimen", "sample", "custody", "match", "audit",
                     "db", "snp"}
    # + family show/set/remove/import/export, match assign, db backup/roles, snp *, audit head/checkpoint/keygen,
    # retract, undo, operation show, relative search
    assert len(COMMANDS) == 63


def test_a_command_builds_only_its_own_noun() -> None:
    code = (
        "import sys; from chosei.cli import app; import typer.testing as t;"
        "t.CliRunner().invoke(app, ['victim', '--help']);"
        "print(','.join(sorted(m for m in sys.modules if m.endswith('_cmd'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["chosei.cli.case_cmd,chosei.cli.corrections_cmd,chosei.cli.exchange_cmd,"
                           "chosei.cli.report_cmd,chosei.cli.victim_cmd"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["victm"], "No such command 'victm'. Did you mean 'victim'?"),
        (["stauts"], "No such command 'stauts'. Did you mean 'status'?"),
        (["victim", "ad"], "No such command 'ad'. Did you mean 'add'?"),
    ],
)
def test_a_misspelt_command_suggests_the_right_one(argv: list[str], message: str) -> None:
    result = typer.testing.CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    assert message in result.stderr


def test_exit_code_table_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"| {code} |" in readme, f"exit code {code} is missing from the README"
