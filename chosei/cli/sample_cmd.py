"""`chosei sample`: DNA samples of specimens and relatives, and their status."""

from typing import Annotated

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

app = new_app("DNA samples: from specimens (bone, tooth) and relatives (saliva, swab, blood).")

LIST_COLUMNS = ["id", "specimen_id", "relative_id", "type", "status", "status_date", "lab",
                "lab_ref"]
# The options of both `sample add` and `sample edit`, each named after the field it sets.
# Not the status: it moves with `sample advance`.
SpecimenId = Annotated[str | None, typer.Option(
    "--specimen", help="The specimen it is cut from (its ID or an other ID).")]
RelativeId = Annotated[str | None, typer.Option("--relative", help="The relative it is collected from.")]
Type = Annotated[str | None, typer.Option(
    "--type", help="bone, tooth, saliva, buccal swab, blood, other, or elimination (a staff "
    "member's reference profile: no --specimen, no --relative).")]
CollectedOn = Annotated[str | None, typer.Option("--collected-on", help="Date.")]
Lab = Annotated[str | None, typer.Option("--lab", help="The lab analysing it.")]
LabRef = Annotated[str | None, typer.Option("--lab-ref", help="The lab's own number.")]


@app.command("add")
def add(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The sample's ID, e.g. S-001.")],
    specimen_id: SpecimenId = None,
    relative_id: RelativeId = None,
    type: Type = None,
    collected_on: CollectedOn = None,
    lab: Lab = None,
    lab_ref: LabRef = None,
    status: Annotated[str, typer.Option(
        "--status", help="planned or collected: a new sample starts at the beginning "
        "(`sample advance` moves it on).")] = "planned",
    notes: Notes = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a DNA sample, from one specimen or one relative (give exactly one of them), or a
    staff member's elimination profile (--type elimination, neither of them): every specimen
    is checked against those first.

    Example: chosei sample add S-001 --specimen CH-001 --type bone --lab NFS
    """
    from chosei.models import Sample
    from chosei.services.samples import add_sample

    st = state(ctx)
    with st.session(write=True) as s:
        sample, warnings = add_sample(s, {"id": ident, **given(ctx, Sample)})
    if sample.specimen_id:
        line = _("Added sample {id} of specimen {source} ({status})").format(
            id=sample.id, source=sample.specimen_id, status=sample.status)
    elif sample.relative_id:
        line = _("Added sample {id} of relative {source} ({status})").format(
            id=sample.id, source=sample.relative_id, status=sample.status)
    else:
        line = _("Added sample {id} (elimination profile of a staff member) ({status})").format(
            id=sample.id, status=sample.status)
    emit_result(st, added("sample", sample), [line], as_json=as_json)
    for warning in warnings:
        typer.echo(_("Warning: {warning}").format(warning=warning), err=True)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The sample's ID.")],
    specimen_id: SpecimenId = None,
    relative_id: RelativeId = None,
    type: Type = None,
    collected_on: CollectedOn = None,
    lab: Lab = None,
    lab_ref: LabRef = None,
    notes: Notes = None,
    clear: ClearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change some fields of a sample; fields not given stay as they are. Not its status:
    that moves one step at a time with `chosei sample advance`.

    Example: chosei sample edit S-001 --lab NFS --lab-ref NFS-25-0117 --clear notes
    """
    from chosei.models import Sample
    from chosei.services.samples import update_sample

    st = state(ctx)
    with st.session(write=True) as s:
        sample, done, warnings = update_sample(s, ident, given(ctx, Sample), cleared(ctx, Sample, clear))
    emit_changes(st, "sample", sample.id, done, as_json=as_json)
    for warning in warnings:
        typer.echo(_("Warning: {warning}").format(warning=warning), err=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
    lab: Annotated[str | None, typer.Option("--lab", help="Only this lab.")] = None,
    specimen: Annotated[str | None, typer.Option(
        "--specimen", help="Only samples of this specimen (its ID or an other ID).")] = None,
    relative: Annotated[str | None, typer.Option(
        "--relative", help="Only samples from this relative.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the samples, by ID.

    Example: chosei sample list --status shipped --lab NFS --specimen SP-001
    """
    from chosei.services.lookup import plain
    from chosei.services.samples import list_samples

    st = state(ctx)
    with st.session() as s:
        rows = [plain(x) for x in list_samples(s, status, lab, specimen=specimen, relative=relative)]
    emit_listing(st, rows, LIST_COLUMNS, as_json=as_json, empty=_("no samples"),
                 counted=_("{n} sample(s)"))


@app.command("show")
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The sample's ID.")],
    as_json: JsonOpt = False,
) -> None:
    """Show a sample, the history of its status (from the audit trail) and its SNP calls.

    Example: chosei sample show S-001
    """
    from chosei.services.samples import sample_detail

    st = state(ctx)
    with st.session() as s:
        data = sample_detail(s, ident)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    emit_record(data["sample"], title=_("Sample {id}").format(id=data["sample"]["id"]))
    typer.echo("")
    history = [{**h, "recorded": h["recorded"][:19]} for h in data["history"]]
    emit_table(history, ["status", "date", "recorded", "by"], title=_("Status history"))
    if data["snp"]:
        typer.echo("")
        emit_table(data["snp"], ["panel", "sites", "called", "missing_rate", "file"], title=_("SNP calls"))


@app.command("advance")
def advance(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The sample's ID.")],
    status: Annotated[str, typer.Argument(help="The next status, e.g. shipped.")],
    on: Annotated[str | None, typer.Option(
        "--on", metavar="DATE", help="The date; today if omitted.")] = None,
    override: Annotated[str | None, typer.Option(
        "--override", metavar="REASON",
        help="Extract or type a relative's sample without consent for analysis in effect, "
        "and why (recorded in the audit trail).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Move a sample to its next status: planned → collected → shipped → received →
    extracted → profiled or failed → consumed. A skipped or backward step is refused.
    A relative's sample is extracted and profiled only with their consent for analysis
    in effect (or --override REASON); profiled needs its genotypes or SNP calls.

    Example: chosei sample advance S-001 shipped --on 2025-09-10
    """
    from chosei.services.lookup import plain
    from chosei.services.samples import advance_sample

    st = state(ctx)
    with st.session(write=True) as s:
        sample = advance_sample(s, ident, status, on, override)
    emit_result(st, {"advanced": "sample", "record": plain(sample)},
                [_("Sample {id} is now {status} (since {date})").format(
                    id=sample.id, status=sample.status, date=sample.status_date)], as_json=as_json)
