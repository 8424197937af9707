"""The conventions of a command line: `--version` and shell completion (Typer's own)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import typer.testing

from chosei.cli import app


def _invoke(args: list[str], **kw: object) -> typer.testing.Result:
    return typer.testing.CliRunner().invoke(app, args, prog_name="chosei", **kw)  # type: ignore[arg-type]


def test_version_is_the_package_metadata() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    result = _invoke(["--version"])
    assert (result.exit_code, result.stdout) == (0, f"chosei {pyproject['project']['version']}\n")
    assert result.stdout == "chosei 0.1.0\n"


def test_version_needs_no_store(tmp_path: Path) -> None:
    result = _invoke(["--db", str(tmp_path / "missing" / "x.db"), "--version"])
    assert (result.exit_code, result.stdout) == (0, "chosei 0.1.0\n")
    assert not (tmp_path / "missing").exists()


def test_help_does_not_read_the_package_metadata() -> None:
    code = (
        "import sys; from chosei.cli import app; import typer.testing as t;"
        "t.CliRunner().invoke(app, ['--help']); print('importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _complete(words: str) -> list[str]:
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    result = _invoke([], env={"_CHOSEI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword})
    assert result.exit_code == 0
    return result.stdout.split()


def test_completion_names_commands_of_lazy_nouns_and_their_options() -> None:
    assert _complete("chosei vic") == ["victim"]
    assert _complete("chosei victim se") == ["search"]
    assert _complete("chosei victim list --nat") == ["--nationality"]
    assert _complete("chosei rel") == ["relative"]
    assert "--install-completion" in _invoke(["--help"]).stdout


def test_show_completion_prints_the_bash_script(monkeypatch: pytest.MonkeyPatch) -> None:
    # Typer detects the shell from the parent process; a test names it instead (Typer's own switch).
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = _invoke(["--show-completion", "bash"])
    assert result.exit_code == 0
    assert "_chosei_completion()" in result.stdout
    assert "complete -o default -F _chosei_completion chosei" in result.stdout
