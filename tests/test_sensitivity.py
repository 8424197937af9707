"""Sensitivity is declared on the model, and everything that hides a value reads it there."""

from __future__ import annotations

import ast
from pathlib import Path

import chosei
from chosei.models import AUDITED, SENSITIVE_FIELDS, Relative
from chosei.models._base import sensitive_fields
from chosei.models.relatives import RelativeBase, RelativeCreate

ROOT = Path(chosei.__file__).parent


def test_the_contact_is_the_one_sensitive_field_and_every_form_of_the_model_says_so() -> None:
    assert set(SENSITIVE_FIELDS) == {"contact"}
    assert sensitive_fields(RelativeBase) == sensitive_fields(Relative) == \
        sensitive_fields(RelativeCreate) == frozenset({"contact"})
    assert [m.__name__ for m in AUDITED if sensitive_fields(m)] == ["Relative"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module}


def test_the_audit_log_and_the_roles_read_sensitivity_from_the_models_not_from_services() -> None:
    for name in ("audit.py", "roles.py"):
        assert "chosei.services.lookup" not in _imports(ROOT / name), name
    app = (ROOT / "cli" / "_app.py").read_text()
    assert "from chosei.models import SENSITIVE_FIELDS" in app
    assert not [line for line in app.splitlines() if "SENSITIVE_FIELDS" in line and "services" in line]
