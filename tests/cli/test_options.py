"""Each noun's add and edit commands declare their field options once (issue 17): the
same option names and help in both, on parameters named after the model's fields, and
`--clear` understands every option name of the command it belongs to.
"""

from __future__ import annotations

from typing import Any

import pytest
import typer
import typer.main

from chosei.cli import app
from chosei.models import Operation, Relative, Sample, Specimen, Victim

NOUNS = {
    "victim": (Victim, {"nationality", "name_hangul", "name_hanja", "name_japanese", "name_reading",
                        "name_latin", "sex", "birth_date", "age_at_death", "domicile", "address",
                        "sources", "notes"}),
    "relative": (Relative, {"victim_id", "relationship", "name", "sex", "birth_year", "contact",
                            "notes"}),
    "operation": (Operation, {"date", "site", "team", "notes"}),
    "specimen": (Specimen, {"operation_id", "recovered_on", "location", "depth_m", "element", "side",
                            "portion", "condition", "custodian", "other_ids", "notes"}),
    "sample": (Sample, {"specimen_id", "relative_id", "type", "collected_on", "lab", "lab_ref",
                        "notes"}),
}


def _command(noun: str, verb: str) -> Any:
    root = typer.main.get_command(app)
    ctx = root.make_context("chosei", [noun, verb, "--help"], resilient_parsing=True)
    group = root.get_command(ctx, noun)
    return group.get_command(ctx, verb)


def _options(command: Any) -> dict[str, tuple[Any, ...]]:
    """Each field option: its flags, help, metavar and whether it repeats, by parameter name."""
    return {p.name: (tuple(p.opts), p.help, p.metavar, p.multiple) for p in command.params
            if p.param_type_name == "option" and p.name not in ("clear", "as_json")}


@pytest.mark.parametrize("noun", NOUNS)
def test_add_and_edit_declare_the_same_field_options(noun: str) -> None:
    model, fields = NOUNS[noun]
    add, edit = _options(_command(noun, "add")), _options(_command(noun, "edit"))
    shared = set(add) & set(edit)
    assert shared == fields
    assert fields <= set(model.model_fields)
    assert {name: add[name] for name in shared} == {name: edit[name] for name in shared}


def test_only_sample_add_sets_a_field_edit_cannot() -> None:
    extra = {noun: sorted(set(_options(_command(noun, "add"))) - NOUNS[noun][1]) for noun in NOUNS}
    assert extra == {"victim": [], "relative": [], "operation": [], "specimen": [], "sample": ["status"]}


def test_the_merged_help_texts() -> None:
    assert _options(_command("relative", "add"))["contact"][1] == (
        "Phone, address or agency file (sensitive: never shown back).")
    assert _options(_command("specimen", "edit"))["other_ids"][1] == (
        "A police or lab number it also goes by; may be repeated. An edit replaces the other IDs it had.")


def test_given_and_cleared_read_the_command_options() -> None:
    from chosei.cli._app import cleared, given

    command = _command("victim", "edit")
    ctx = command.make_context("edit", ["V-001", "--born", "1915", "--hangul", "김가온",
                                        "--clear", "notes", "--clear", "age-at-death",
                                        "--clear", "name_latin", "--clear", "--address", "--json"])
    assert ctx.params["as_json"] is True  # an option not named after a field is the command's own
    assert given(ctx, Victim) == {"name_hangul": "김가온", "birth_date": "1915"}
    assert cleared(ctx, Victim, [*ctx.params["clear"], "json"]) == [
        "notes", "age_at_death", "name_latin", "address", "json"]
