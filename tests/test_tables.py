"""`chosei.tables` names only what the models define: every table, column and type."""

from __future__ import annotations

import pytest
from sqlalchemy import Boolean, Integer, String, TypeDecorator
from sqlmodel import SQLModel

import chosei.models  # noqa: F401  (registers the tables)
from chosei import tables


@pytest.mark.parametrize("light", tables.ALL, ids=[t.name for t in tables.ALL])
def test_every_column_is_the_models(light) -> None:  # type: ignore[no-untyped-def]
    model = SQLModel.metadata.tables[light.name]
    for col in light.c:
        assert col.name in model.c, f"{light.name}.{col.name} is not a column of the models"
        assert type(col.type) in (Boolean, Integer, String)
        defined = model.c[col.name].type
        if isinstance(defined, TypeDecorator):  # SQLModel's AutoString is a String
            defined = defined.impl
        assert isinstance(defined, type(col.type)), (
            f"{light.name}.{col.name} is {model.c[col.name].type!r} in the models, "
            f"{col.type!r} in chosei.tables"
        )


def test_all_lists_every_table_of_the_module() -> None:
    declared = {name for name, value in vars(tables).items() if getattr(value, "c", None) is not None}
    assert declared == {t.name for t in tables.ALL}
