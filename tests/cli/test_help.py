"""Every command explains itself: help text and an example (sqlite-utils style)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from chosei.cli import app
from chosei.errors import EXIT_CODES


def _commands() -> list[tuple[str, object]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, object]] = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
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


def test_exit_code_table_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"| {code} |" in readme, f"exit code {code} is missing from the README"
