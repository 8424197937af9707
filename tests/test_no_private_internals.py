"""No code of chosei or of its tests reaches into another library's private parts.

Each name below once stood for a speed-up or a shortcut through a library's internals;
each breaks silently when that library changes them. The public way is named beside it.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRIVATE = {
    "c_make_encoder": "json.JSONEncoder(...).encode",
    "_get_xf_index": "xlsxwriter's Format objects passed to worksheet.write_*",
    "__pydantic_validator__": "Model.model_validate",
    "__pydantic_decorators__": "Model.model_validate",
    "typer.testing._": "typer.main.get_command",
    "gc.disable(": "the default garbage collection",
}


def _sources() -> list[Path]:
    this = Path(__file__).resolve()
    return sorted(p for folder in ("chosei", "tests") for p in (ROOT / folder).rglob("*.py")
                  if p.resolve() != this)


def test_the_sources_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in _sources()}
    assert {"chosei/audit.py", "chosei/exchange/xlsx.py", "tests/conftest.py"} <= names


def test_no_private_internals() -> None:
    found = [f"{p.relative_to(ROOT)}:{n}: {name} (use {PRIVATE[name]})"
             for p in _sources()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             for name in PRIVATE if name in line]
    assert found == []
