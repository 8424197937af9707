"""Exchange workbooks: reading, validating and importing them; exporting; templates.

See `docs/exchange.md` for the workbook's contract and how chosei decides where it
leaves a choice; `docs/architecture.md` draws the import's pipeline. Nothing here
prints or imports the CLI: commands call these functions.
Imported lazily, so `chosei.exchange.guard` stays light.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "import_workbook": "chosei.exchange.importer",
    "export_workbook": "chosei.exchange.writer",
    "write_template": "chosei.exchange.template",
    "ImportReport": "chosei.exchange.report",
    "ExportReport": "chosei.exchange.report",
    "Problem": "chosei.exchange.report",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
