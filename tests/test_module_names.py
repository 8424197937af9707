"""Five modules were renamed because their names misled (issue 17); the old names stay gone.

The genotype indices sat in a `tables` module of `kinship`, beside `chosei/tables.py`; what
each kind of relative can show sat in a `lineage` module of `chosei`, beside
`kinship/lineage.py`; the example workbooks were written by a `samples` module of
`exchange` (not DNA samples); the row models sat in its `rows`; the Relatives and
Haplotypes sheets' adapters shared a `special` module (now one module per sheet). The old names are built
from their parts below, so a grep for them finds only real uses. No shim keeps them alive:
a file at an old path, or an import of an old module anywhere in chosei/ or tests/, fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OLD_INDEX, OLD_LINES, OLD_EXAMPLES, OLD_ROWS, OLD_SPECIAL = (".".join(parts) for parts in (
    ("chosei", "kinship", "tables"), ("chosei", "lineage"), ("chosei", "exchange", "samples"),
    ("chosei", "exchange", "rows"), ("chosei", "exchange", "special")))
RENAMED = {  # old module: new module
    OLD_INDEX: "chosei.kinship.genotype_index",
    OLD_LINES: "chosei.donor_lines",
    OLD_EXAMPLES: "chosei.exchange.examples",
    OLD_ROWS: "chosei.exchange.row_models",
    OLD_SPECIAL: "chosei.exchange.relatives_sheet",  # and its Haplotypes: SPLIT_TOO
}
SPLIT_TOO = ["chosei.exchange.haplotypes_sheet"]
KEPT = ["chosei.tables", "chosei.kinship.lineage", "chosei.services.samples", "chosei.models.samples"]


def _path(module: str) -> Path:
    return ROOT.joinpath(*module.split(".")).with_suffix(".py")


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imported(source: str, module: str) -> set[str]:
    """Every module the source (of `module`) imports, by full dotted name: `import a.b`,
    `from a import b` (b may be a module), relative imports resolved, and
    `importlib.import_module("a.b")`."""
    package = module.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            parent = ".".join([*base, *([node.module] if node.module else [])])
            out.add(parent)
            out.update(f"{parent}.{alias.name}" for alias in node.names)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            out.add(node.args[0].value)
    return out


def _sources() -> list[Path]:
    return sorted(p for folder in ("chosei", "tests") for p in (ROOT / folder).rglob("*.py"))


def test_the_detector_sees_every_form_of_import() -> None:
    forms = {
        f"import {OLD_ROWS}": OLD_ROWS,
        "from chosei.exchange import cells, samples": OLD_EXAMPLES,
        f"from {OLD_LINES} import MT": OLD_LINES,
        "from chosei.kinship import (flows,\n    tables)": OLD_INDEX,
        "from . import tables": OLD_INDEX,
        "from .rows import GenotypeRow": OLD_ROWS,
        f"import importlib\nimportlib.import_module('{OLD_LINES}')": OLD_LINES,
    }
    for source, old in forms.items():
        where = "chosei.exchange.sheets" if "rows" in source else "chosei.kinship.batch"
        assert old in imported(source, where), source
    assert imported("from chosei import tables\nfrom chosei.kinship import lineage", "chosei.cli.status") \
        & set(RENAMED) == set()


def test_the_new_modules_are_there_and_the_neighbours_kept() -> None:
    for module in [*RENAMED.values(), *SPLIT_TOO, *KEPT]:
        assert _path(module).is_file(), module


@pytest.mark.parametrize("old", sorted(RENAMED))
def test_the_old_module_is_gone(old: str) -> None:
    assert not _path(old).exists(), f"{_path(old).relative_to(ROOT)} is back: its module is {RENAMED[old]}"


def test_no_source_imports_an_old_module() -> None:
    found = sorted(f"{p.relative_to(ROOT)}: {name} (now {RENAMED[name]})"
                   for p in _sources()
                   for name in imported(p.read_text(encoding="utf-8"), _module_of(p)) & set(RENAMED))
    assert found == []
    # The detector reads the files that import the new modules.
    users = {_module_of(p) for p in _sources() if imported(p.read_text(encoding="utf-8"), _module_of(p))
             & set(RENAMED.values())}
    assert {"chosei.kinship.batch", "chosei.reports.coverage", "chosei.exchange.sheets",
            "tests.exchange.test_examples"} <= users
