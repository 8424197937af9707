"""`chosei operation`, `chosei specimen`, `chosei custody`: what was recovered, and who held it."""

from typing import Annotated, Any

import typer

from chosei.cli._app import (
    ClearOpt,
    JsonOpt,
    Notes,
    added,
    banner,
    cleared,
    emit_changes,
    emit_json,
    emit_listing,
    emit_record,
    emit_result,
    emit_table,
    given,
    new_app,
    state,
)
from chosei.i18n import _

operation_app = new_app("Recovery operations: each dive or field operation.")
specimen_app = new_app("Specimens: each recovered bone or tooth, with its other IDs.")
custody_app = new_app("Chain of custody: every hand-over of a specimen or sample.")

# --- operation ---------------------------------------------------------------------

# The options of both `operation add` and `operation edit`, each named after the field it sets.
Date = Annotated[str | None, typer.Option("--date", help="When: 2025-08-26, 2025-08.")]
Site = Annotated[str | None, typer.Option("--site", help="Where: entrance, shaft…")]
Team = Annotated[str | None, typer.Option("--team", help="Who dived or worked.")]


@operation_app.command("add")
def operation_add(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The operation's ID, e.g. OP-1.")],
    date: Date = None,
    site: Site = None,
    team: Team = None,
    notes: Notes = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a recovery operation (a dive).

    Example: chosei operation add OP-1 --date 2025-08-26 --site "T-junction, -43 m"
    """
    from chosei.models import Operation
    from chosei.services.recovery import add_operation

    st = state(ctx)
    with st.session(write=True) as s:
        op = add_operation(s, {"id": ident, **given(ctx, Operation)})
    line = (_("Added operation {id} on {date}").format(id=op.id, date=op.date) if op.date
            else _("Added operation {id}").format(id=op.id))
    emit_result(st, added("operation", op), [line], as_json=as_json)


@operation_app.command("edit")
def operation_edit(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The operation's ID.")],
    date: Date = None,
    site: Site = None,
    team: Team = None,
    notes: Notes = None,
    clear: ClearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change some fields of an operation; fields not given stay as they are.

    Example: chosei operation edit OP-1 --date 2025-08-27 --clear notes
    """
    from chosei.models import Operation
    from chosei.services.recovery import update_operation

    st = state(ctx)
    with st.session(write=True) as s:
        op, done = update_operation(s, ident, given(ctx, Operation), cleared(ctx, Operation, clear))
    emit_changes(st, "operation", op.id, done, as_json=as_json)


@operation_app.command("list")
def operation_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the operations by date, with how many specimens each recovered.

    Example: chosei operation list
    """
    from chosei.services.recovery import list_operations

    st = state(ctx)
    with st.session() as s:
        rows = list_operations(s)
    if as_json:
        banner(st, as_json=True)
        emit_json(rows)
        return
    banner(st)
    emit_table(rows, ["id", "date", "site", "team", "specimens"], empty=_("no operations"))


@operation_app.command("show")
def operation_show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The operation's ID.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one operation and the specimens it recovered.

    Example: chosei operation show OP-2024-01
    """
    from chosei.services.recovery import operation_detail

    st = state(ctx)
    with st.session() as s:
        data = operation_detail(s, ident)
    banner(st, as_json=as_json)
    if as_json:
        emit_json(data)
        return
    emit_record(data["operation"], title=_("Operation {id}").format(id=data["operation"]["id"]))
    typer.echo("")
    emit_table(data["specimens"], ["id", "recovered_on", "element", "side", "depth_m", "custodian"],
               title=_("Specimens"), empty=_("no specimens"))


# --- specimen ----------------------------------------------------------------------


# The options of both `specimen add` and `specimen edit`, each named after the field it sets.
OperationId = Annotated[str | None, typer.Option("--operation", help="Operation ID.")]
RecoveredOn = Annotated[str | None, typer.Option("--recovered-on", help="Date.")]
Location = Annotated[str | None, typer.Option("--location", help="Where it lay.")]
Depth = Annotated[float | None, typer.Option("--depth", help="Metres below sea level.")]
Element = Annotated[str | None, typer.Option(
    "--element", help="The bone: cranium, femur, humerus, tooth… (대퇴골, 大腿骨).")]
Side = Annotated[str | None, typer.Option("--side", help="left, right, midline…")]
Portion = Annotated[str | None, typer.Option("--portion", help="Part of the bone.")]
Condition = Annotated[str | None, typer.Option("--condition", help="Its condition.")]
Custodian = Annotated[str | None, typer.Option("--custodian", help="Who holds it now.")]
OtherIds = Annotated[list[str] | None, typer.Option(
    "--other-id", help="A police or lab number it also goes by; may be repeated. An edit "
    "replaces the other IDs it had.")]


@specimen_app.command("add")
def specimen_add(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The specimen's ID, e.g. CH-001.")],
    operation_id: OperationId = None,
    recovered_on: RecoveredOn = None,
    location: Location = None,
    depth_m: Depth = None,
    element: Element = None,
    side: Side = None,
    portion: Portion = None,
    condition: Condition = None,
    custodian: Custodian = None,
    other_ids: OtherIds = None,
    notes: Notes = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a recovered specimen. It can later be named by any of its other IDs too.

    Example: chosei specimen add CH-001 --operation OP-1 --element femur --other-id P-25-01
    """
    from chosei.services.recovery import add_specimen

    st = state(ctx)
    with st.session(write=True) as s:
        sp = add_specimen(s, {"id": ident, **_specimen_fields(ctx)})
    what = " ".join(p for p in (sp.side, sp.element) if p and p != "unknown") or _("specimen")
    if sp.other_ids:
        line = _("Added specimen {id} ({what}), also known as {other_ids}").format(
            id=sp.id, what=what, other_ids=sp.other_ids.replace(";", ", "))
    else:
        line = _("Added specimen {id} ({what})").format(id=sp.id, what=what)
    emit_result(st, added("specimen", sp), [line], as_json=as_json)


@specimen_app.command("edit")
def specimen_edit(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The specimen's ID or an other ID.")],
    operation_id: OperationId = None,
    recovered_on: RecoveredOn = None,
    location: Location = None,
    depth_m: Depth = None,
    element: Element = None,
    side: Side = None,
    portion: Portion = None,
    condition: Condition = None,
    custodian: Custodian = None,
    other_ids: OtherIds = None,
    notes: Notes = None,
    clear: ClearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change some fields of a specimen, named by its ID or an other ID; fields not given
    stay as they are.

    Example: chosei specimen edit P-25-01 --element tibia --side left --clear notes
    """
    from chosei.models import Specimen
    from chosei.services.recovery import update_specimen

    st = state(ctx)
    with st.session(write=True) as s:
        sp, done = update_specimen(s, ident, _specimen_fields(ctx), cleared(ctx, Specimen, clear))
    emit_changes(st, "specimen", sp.id, done, as_json=as_json)


def _specimen_fields(ctx: typer.Context) -> dict[str, Any]:
    """The fields given; the repeated `--other-id` stored as one list, `;`-separated."""
    from chosei.models import Specimen

    values = given(ctx, Specimen)
    if values.get("other_ids"):
        values["other_ids"] = ";".join(values["other_ids"])
    else:
        values.pop("other_ids", None)
    return values


SPECIMEN_COLUMNS = ["id", "operation_id", "recovered_on", "element", "side", "depth_m",
                    "custodian", "other_ids"]


@specimen_app.command("list")
def specimen_list(
    ctx: typer.Context,
    element: Annotated[str | None, typer.Option("--element", help="Only this bone.")] = None,
    side: Annotated[str | None, typer.Option("--side", help="Only this side.")] = None,
    operation: Annotated[str | None, typer.Option(
        "--operation", help="Only what this operation recovered.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the specimens, by ID.

    Example: chosei specimen list --element femur --side left --operation OP-2024-01
    """
    from chosei.services.lookup import plain
    from chosei.services.recovery import list_specimens

    st = state(ctx)
    with st.session() as s:
        rows = [plain(sp) for sp in list_specimens(s, element, side, operation=operation)]
    emit_listing(st, rows, SPECIMEN_COLUMNS, as_json=as_json, empty=_("no specimens"),
                 counted=_("{n} specimen(s)"))


@specimen_app.command("show")
def specimen_show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The specimen's ID or an other ID.")],
    as_json: JsonOpt = False,
) -> None:
    """Show a specimen with its samples, a summary of its custody chain and its
    identifications.

    Example: chosei specimen show P-25-01
    """
    from chosei.services.recovery import specimen_detail

    st = state(ctx)
    with st.session() as s:
        data = specimen_detail(s, ident)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    sp = data["specimen"]
    emit_record(sp, title=_("Specimen {id}").format(id=sp["id"]))
    typer.echo("")
    emit_table(data["samples"], ["id", "type", "status", "status_date", "lab", "lab_ref"],
               title=_("Samples"), empty=_("no samples"))
    typer.echo("")
    cu = data["custody"]
    if not cu["events"]:
        typer.echo(_("Custody: no events recorded"))
    else:
        typer.echo(_("Custody: {n} event(s), from {first} to {last}; held by {holder}").format(
            n=cu["events"], first=cu["first"], last=cu["last"], holder=cu["holder"] or _("unknown")))
        for gap in cu["gaps"]:
            typer.echo("    " + _("GAP: {gap}").format(gap=gap))
    typer.echo("")
    emit_table(data["identifications"], ["victim_id", "status", "lr", "posterior", "decided_on"],
               title=_("Identifications"), empty=_("no identifications"))


# --- custody -----------------------------------------------------------------------


@custody_app.command("record")
def custody_record(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="A specimen (ID or other ID) or a sample ID.")],
    event: Annotated[str, typer.Argument(
        help="recovered, transferred, received, stored, sampled, shipped, returned, consumed.")],
    at: Annotated[str, typer.Option("--at", help="When: 2025-08-26T14:30 (or a date).")],
    from_party: Annotated[str | None, typer.Option("--from", help="Who handed it over.")] = None,
    to_party: Annotated[str | None, typer.Option("--to", help="Who took it.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Where.")] = None,
    notes: Notes = None,
    as_json: JsonOpt = False,
) -> None:
    """Record one event in an item's chain of custody; warns when it leaves a gap.

    Example: chosei custody record CH-001 transferred --at 2025-08-26T16:00 --from divers --to police
    """
    from chosei.services.custody import record_event

    st = state(ctx)
    with st.session(write=True) as s:
        row, gaps = record_event(s, item, event, at, from_party=from_party, to_party=to_party,
                                 place=place, notes=notes)
    emit_result(st, {**added("custody event", row), "gaps": [gap.message for gap in gaps]},
                [_("Recorded {event} of {item} at {at}").format(event=row.event, item=row.item_id, at=row.at)],
                as_json=as_json)
    for gap in gaps:
        typer.echo(_("Warning: custody gap: {gap}").format(gap=gap.message), err=True)


@custody_app.command("show")
def custody_show(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="A specimen (ID or other ID) or a sample ID.")],
    as_json: JsonOpt = False,
) -> None:
    """Show an item's chain of custody in time order, with each gap flagged where it is.

    Example: chosei custody show CH-001
    """
    from chosei.services.custody import custody_chain

    st = state(ctx)
    with st.session() as s:
        data = custody_chain(s, item)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    typer.echo(_("Custody of specimen {item}").format(item=data["item"]) if data["kind"] == "specimen"
               else _("Custody of sample {item}").format(item=data["item"]))
    if not data["events"]:
        typer.echo(_("({nothing})").format(nothing=_("no events recorded")))
        return
    table = [{**e, "from": e["from_party"], "to": e["to_party"]} for e in data["events"]]
    columns = ["at", "event", "from", "to", "place"]
    _emit_chain(table, columns)
    n = len(data["gaps"])
    typer.echo(_("{n} event(s), {gaps} gap(s)").format(n=len(table), gaps=n) if n
               else _("{n} event(s), no gaps").format(n=len(table)))


def _emit_chain(events: list[dict], columns: list[str]) -> None:
    """A table like `emit_table`, with each gap on its own line under the event it is at."""
    from chosei.cli._app import _cell, header
    from chosei.cli._columns import pad
    from chosei.text import display_width

    cells = [[_cell(e.get(c)) for c in columns] for e in events]
    headers = [header(c) for c in columns]
    widths = [max(display_width(h), *(display_width(r[i]) for r in cells)) for i, h in enumerate(headers)]
    typer.echo("  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for event, row in zip(events, cells, strict=True):
        typer.echo("  ".join(pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip())
        for gap in event["gaps"]:
            typer.echo("  " + _("GAP: {gap}").format(gap=gap))
