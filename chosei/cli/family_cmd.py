"""`chosei family`: a victim's family tree (people, parents, sex, who is which relative).

A tree is checked as a whole on every change (`chosei.services.family`): a command that
would break it changes nothing.
"""

from pathlib import Path
from typing import Annotated

import typer

from chosei.cli._app import ClearOpt, JsonOpt, Notes, banner, emit_json, emit_table, new_app, state
from chosei.i18n import N_, _

app = new_app("Family trees of victims: who is whose child, and where each relative stands.")

VictimArg = Annotated[str, typer.Argument(metavar="VICTIM", help="The victim's ID.")]
COLUMNS = ["label", "father", "mother", "sex", "relative_id", "notes"]


_COUNTED = {"added": N_("{n} added"), "changed": N_("{n} changed"), "removed": N_("{n} removed")}


def _counts(done: dict[str, int]) -> str:
    return ", ".join(_(_COUNTED[word]).format(n=n) if word in _COUNTED else f"{n} {word}"
                     for word, n in done.items())


@app.command("show")
def show(ctx: typer.Context, victim: VictimArg, as_json: JsonOpt = False) -> None:
    """Show the family tree holding a victim: his own, or the one he is in.

    Example: chosei family show V-001
    """
    from chosei.services.family import show_family

    st = state(ctx)
    with st.session() as s:
        data = show_family(s, victim)
    banner(st, as_json=as_json)
    if as_json:
        emit_json(data)
        return
    emit_table(data["people"], COLUMNS, title=_("Family tree of {victim}").format(victim=data["victim_id"]))
    typer.echo(_("{n} person(s)").format(n=len(data["people"])))


@app.command("set")
def set_(
    ctx: typer.Context,
    victim: VictimArg,
    person: Annotated[str, typer.Argument(metavar="PERSON", help="The person's label in the tree.")],
    father: Annotated[str | None, typer.Option("--father", metavar="LABEL", help="The father's label.")] = None,
    mother: Annotated[str | None, typer.Option("--mother", metavar="LABEL", help="The mother's label.")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="M, F or U.")] = None,
    relative_id: Annotated[str | None, typer.Option(
        "--relative", metavar="ID", help="The Relative ID this person is.")] = None,
    notes: Notes = None,
    clear: ClearOpt = None,
) -> None:
    """Add a person to a victim's family tree, or change one; the whole tree is checked.
    A label equal to a Relative ID of the family places that relative; the victim's own
    ID is the victim (added by himself when his tree starts).

    Example: chosei family set V-001 R-002 --father B1 --mother B1W --sex M
    """
    from chosei.cli._app import cleared, given
    from chosei.models import FamilyPerson
    from chosei.services.family import set_person

    st = state(ctx)
    with st.session(write=True) as s:
        done = set_person(s, victim, person, given(ctx, FamilyPerson), cleared(ctx, FamilyPerson, clear))
    banner(st)
    typer.echo(_("Family tree of {victim}: {counts}").format(victim=victim, counts=_counts(done)))


@app.command("remove")
def remove(
    ctx: typer.Context,
    victim: VictimArg,
    person: Annotated[str | None, typer.Argument(
        metavar="[PERSON]", help="The person to remove; the whole tree with --all.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Remove the victim's whole tree.")] = False,
) -> None:
    """Remove one person from a victim's family tree (the rest must still hold), or the
    whole tree with --all (his relatives then stand by their relationship terms again).

    Example: chosei family remove V-001 B1W
    """
    from chosei.errors import InvalidInput
    from chosei.services.family import remove_family, remove_person

    if (person is None) == (not all_):
        raise InvalidInput(_("name one PERSON to remove, or give --all to remove the whole tree"))
    st = state(ctx)
    with st.session(write=True) as s:
        if all_:
            n = remove_family(s, victim)
            message = _("Removed the family tree of {victim}: {n} person(s)").format(victim=victim, n=n)
        else:
            assert person is not None  # PERSON or --all, checked above
            done = remove_person(s, victim, person)
            message = _("Family tree of {victim}: {counts}").format(victim=victim, counts=_counts(done))
    banner(st)
    typer.echo(message)


@app.command("import")
def import_(
    ctx: typer.Context,
    victim: VictimArg,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A LINKAGE/pedtools .ped file.")],
) -> None:
    """Replace a victim's family tree by a .ped file (id fid mid sex; 0 = no parent;
    sex 1 male, 2 female, 0 unknown), all or nothing. Labels equal to Relative IDs place
    those relatives; labels equal to Victim IDs are those victims.

    Example: chosei family import V-001 family.ped
    """
    from chosei.pedfile import read_ped_file
    from chosei.services.family import import_ped

    text = read_ped_file(file)
    st = state(ctx)
    with st.session(write=True) as s:
        done, notes = import_ped(s, victim, text, str(file))
    banner(st)
    for note in notes:
        typer.echo(_("Note: {note}").format(note=note), err=True)
    typer.echo(_("Family tree of {victim} from {file}: {counts}").format(
        victim=victim, file=file, counts=_counts(done)))


@app.command("export")
def export(
    ctx: typer.Context,
    victim: VictimArg,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The .ped file to write.")],
) -> None:
    """Write a victim's family tree as a .ped file that pedtools, QuickPed and Familias read.
    Placed relatives are written under their Relative ID.

    Example: chosei family export V-001 family.ped
    """
    from chosei.services.family import export_ped

    st = state(ctx)
    with st.session() as s:
        text = export_ped(s, victim)
    with st.output(file) as tmp:
        tmp.write_text(text, encoding="utf-8")
    banner(st)
    typer.echo(_("Wrote the family tree of {victim} to {file}: {n} person(s)").format(
        victim=victim, file=file, n=text.count(chr(10)) - 1))
