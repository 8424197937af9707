"""A fuzz pass over every command: hostile arguments never give a traceback, and a
refused command leaves the store as it was.

The commands are found through typer's public `typer.main.get_command` and click's
`list_commands`/`get_command`, so a new command is fuzzed without editing this file.
Each command is run once for every kind of bad value (in a parameter chosen in turn,
every required parameter given the same value), and once more for each parameter no
kind reached. One SQLite store is prepared for the whole module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from chosei.cli import app

BAD = {
    "empty": "",
    "100kB": "V" * 100_000,
    "control": "V-\x1b[2J\x07001",
    "invalid-utf8": "V-\udcff\udcfe001",  # how Python hands over bytes that are not UTF-8
    "huge-number": "99999999999999999999999",
    "invisible": "V-001\u200b",
    "not-finite": "1e999",
}

def _commands() -> Iterator[tuple[str, Any]]:
    root = typer.main.get_command(app)
    ctx = typer.Context(root)

    def walk(group: Any, prefix: list[str]) -> Iterator[tuple[str, Any]]:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if hasattr(command, "list_commands"):
                yield from walk(command, [*prefix, name])
            else:
                yield " ".join([*prefix, name]), command

    yield from walk(root, [])


COMMANDS = dict(_commands())


def _params(command: Any) -> list[Any]:
    """The parameters that take a value (flags take none)."""
    return [p for p in command.params if p.name != "help" and not getattr(p, "is_flag", False)]


def _argv(path: str, command: Any, target: Any | None, value: str) -> list[str]:
    args: list[str] = []
    options: list[str] = []
    for p in _params(command):
        if p is not target and not p.required:
            continue
        if p.param_type_name == "argument":
            args.append(value)
        else:
            options += [f"{p.opts[0]}={value}"]  # the = form: a value may start with -
    if target is None:  # nothing to put it in: an extra argument the command must refuse
        args.append(value)
    return [*path.split(), *options, "--", *args]


NUMERIC_KINDS = {"huge-number", "not-finite"}  # a string of digits is a legal ID or name


def _numeric(p: Any) -> bool:
    return p.bare_type() in ("int", "float")  # typer names the annotation's type


def _cases() -> Iterator[Any]:
    kinds = list(BAD)
    for path, command in COMMANDS.items():
        params = _params(command)
        reached = set()
        for i, kind in enumerate(kinds):
            fits = [p for p in params if _numeric(p)] if kind in NUMERIC_KINDS else params
            target = fits[i % len(fits)] if fits else None
            reached.add(id(target))
            yield pytest.param(path, target.name if target else None, kind, id=f"{path}-{kind}")
        for j, p in enumerate(params):
            if id(p) not in reached:
                kind = [k for k in kinds if k not in NUMERIC_KINDS][j % (len(kinds) - len(NUMERIC_KINDS))]
                yield pytest.param(path, p.name, kind, id=f"{path}-{p.name}-{kind}")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    db = folder / "store.db"
    runner = CliRunner()
    for argv in (["init", "--name", "Fuzz case"],
                 ["victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온"],
                 ["relative", "add", "R-001", "--victim", "V-001", "--relationship", "son",
                  "--name", "김하나", "--sex", "M"]):
        result = runner.invoke(app, ["--db", str(db), "--as", "tester", *argv])
        assert result.exit_code == 0, result.output
    return db


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_command_is_fuzzed() -> None:
    assert len(COMMANDS) > 40
    assert {"export", "victim add", "db backup", "audit verify", "match run"} <= set(COMMANDS)


@pytest.mark.parametrize(("path", "param", "kind"), list(_cases()))
def test_hostile_arguments_never_give_a_traceback(store: Path, path: str, param: str | None, kind: str,
                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # any file a command writes lands here
    command = COMMANDS[path]
    target = next((p for p in _params(command) if p.name == param), None)
    argv = ["--db", str(store), *_argv(path, command, target, BAD[kind])]
    before = _digest(store)
    result = CliRunner().invoke(app, argv)
    output = result.stdout + result.stderr
    shown = f"chosei {path} ({param}={kind}) exited {result.exit_code}:\n{output[:2000]}"
    assert result.exit_code != 70, shown
    assert "Traceback" not in output, shown
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), shown
    assert len(max(output.splitlines() or [""], key=len)) < 1000, shown  # no value echoed whole
    assert "\x1b" not in output, shown
    # A command may accept such a value where it is a legal one (a file name of odd
    # characters, a filter matching nothing), but only an export changes the store then:
    # it records itself in the audit trail.
    if result.exit_code != 0 or path != "export":
        assert _digest(store) == before, shown


@pytest.mark.parametrize("option", ["--db", "--as"])
@pytest.mark.parametrize("kind", list(BAD))
def test_hostile_global_options_never_give_a_traceback(store: Path, option: str, kind: str,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    before = _digest(store)
    argv = [f"{option}={BAD[kind]}", *(["--db", str(store)] if option == "--as" else []),
            "victim", "show", "V-001"]
    result = CliRunner().invoke(app, argv)
    output = result.stdout + result.stderr
    shown = f"chosei {option}={kind} exited {result.exit_code}:\n{output[:2000]}"
    assert result.exit_code != 70, shown
    assert "Traceback" not in output, shown
    assert _digest(store) == before, shown
