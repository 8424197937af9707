"""`chosei victim`: the roster of the 183 and the many spellings of their names."""

from typing import Annotated, Any

import typer

from chosei.cli._app import (
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
    stage_word,
    state,
)
from chosei.i18n import _

app = new_app("The victims: the roster, their names in every script and source, their stages.")


LIST_COLUMNS = ["id", "nationality", "name_hangul", "name_hanja", "name_japanese", "birth_date",
                "age_at_death"]

# The options of both `victim add` and `victim edit`, each set the field it is named after.
Nationality = Annotated[str | None, typer.Option("--nationality", help="KR or JP.")]
Hangul = Annotated[str | None, typer.Option("--hangul", help="Name in hangul, e.g. 김가온.")]
Hanja = Annotated[str | None, typer.Option("--hanja", help="Name in hanja, e.g. 金佳溫.")]
Japanese = Annotated[str | None, typer.Option(
    "--japanese", help="Name in Japanese records (for Korean victims usually the imposed one).")]
Reading = Annotated[str | None, typer.Option(
    "--reading", help="Reading of the Japanese name (kana).")]
Latin = Annotated[str | None, typer.Option("--latin", help="Romanised name.")]
Sex = Annotated[str | None, typer.Option("--sex", help="M, F or U (also 남/여, 男/女).")]
Born = Annotated[str | None, typer.Option(
    "--born", help="Birth date, maybe partial or in an era: 1915, 1915-03, 大正4年3月2日.")]
Age = Annotated[int | None, typer.Option("--age-at-death", help="Age at death, in years.")]
Domicile = Annotated[str | None, typer.Option("--domicile", help="Registered domicile (本籍).")]
Address = Annotated[str | None, typer.Option("--address", help="Address in the worker roster.")]
Sources = Annotated[str | None, typer.Option("--sources", help="Where this record comes from.")]


@app.command("add")
def add(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The victim's ID, e.g. V-001.")],
    nationality: Nationality,
    name_hangul: Hangul = None,
    name_hanja: Hanja = None,
    name_japanese: Japanese = None,
    name_reading: Reading = None,
    name_latin: Latin = None,
    sex: Sex = None,
    birth_date: Born = None,
    age_at_death: Age = None,
    domicile: Domicile = None,
    address: Address = None,
    sources: Sources = None,
    notes: Notes = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a victim to the roster. At least one name is required.

    Example: chosei victim add V-001 --nationality KR --hangul 김가온 --born 1915
    """
    from chosei.models import Victim
    from chosei.services.victims import add_victim, display_name

    st = state(ctx)
    with st.session(write=True) as s:
        victim = add_victim(s, {"id": ident, **given(ctx, Victim)})
    emit_result(st, added("victim", victim),
                [_("Added victim {id} ({nationality}): {name}").format(
                    id=victim.id, nationality=victim.nationality, name=display_name(victim))], as_json=as_json)


@app.command("list")
def list_(
    ctx: typer.Context,
    nationality: Annotated[str | None, typer.Option(
        "--nationality", help="Only KR or only JP.")] = None,
    stage: Annotated[str | None, typer.Option(
        "--stage", help="Only victims at this family stage (no relative known, located, consented, "
                        "reference collected, reference profiled) or remains stage (none attributed, "
                        "candidate, identified, returned).")] = None,
    sort: Annotated[str | None, typer.Option(
        "--sort", metavar="FIELD", help="Order by id (the default), nationality, name_hangul, "
                                        "name_hanja, name_japanese, name_latin, birth_date or "
                                        "age_at_death; empty values last.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", metavar="N", help="Only the first N.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the victims on the roster, by ID.

    Example: chosei victim list --nationality KR --stage located --sort birth_date --limit 20
    """
    from chosei.services.lookup import plain
    from chosei.services.victims import list_victims

    st = state(ctx)
    with st.session() as s:
        victims = [plain(v) for v in list_victims(s, nationality, stage=stage, sort=sort, limit=limit)]
    emit_listing(st, victims, LIST_COLUMNS, as_json=as_json, empty=_("no victims"),
                 counted=_("{n} victim(s)"))


@app.command("show")
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The victim's ID.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one victim: every name with its source, the family and remains stages, the
    relatives (without contact details) and the identifications.

    Example: chosei victim show V-001
    """
    from chosei.services.victims import victim_detail

    st = state(ctx)
    with st.session() as s:
        data = victim_detail(s, ident)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    victim = {k: v for k, v in data["victim"].items()
              if not k.startswith(("name_", "birth_date_written", "birth_date_approximate"))}
    victim["birth_date"] = _born(data["victim"])
    emit_record({**victim, "family stage": stage_word(data["family_stage"]),
                 "remains stage": stage_word(data["remains_stage"])},
                title=_("Victim {id}").format(id=victim["id"]))
    if data["northern_domicile"]:
        typer.echo(_("Registered domicile in the north of the peninsula: tracing the family "
                     "needs its own channel."))
    typer.echo("")
    emit_table(data["names"], ["name", "script", "source"], title=_("Names"), empty=_("no names"))
    typer.echo("")
    emit_table(data["relatives"], ["id", "relationship", "name", "sex", "birth_year"],
               title=_("Relatives"), empty=_("no relatives known"))
    typer.echo("")
    emit_table(data["identifications"], ["specimen_id", "status", "lr", "posterior", "decided_on"],
               title=_("Identifications"), empty=_("no identifications"))


def _born(victim: dict[str, Any]) -> str | None:
    """The birth date with how the source wrote it, when that says more (an era, "circa")."""
    date, written = victim["birth_date"], victim["birth_date_written"]
    if not written:
        return date
    if victim["birth_date_approximate"]:
        return _("{date} (approximate; written {written})").format(date=date, written=written)
    return _("{date} (written {written})").format(date=date, written=written)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The victim's ID.")],
    nationality: Nationality = None,
    name_hangul: Hangul = None,
    name_hanja: Hanja = None,
    name_japanese: Japanese = None,
    name_reading: Reading = None,
    name_latin: Latin = None,
    sex: Sex = None,
    birth_date: Born = None,
    age_at_death: Age = None,
    domicile: Domicile = None,
    address: Address = None,
    sources: Sources = None,
    notes: Notes = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD",
        help="Empty a field (e.g. --clear born --clear notes); may be repeated.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change some fields of a victim; fields not given stay as they are.

    Example: chosei victim edit V-001 --born 大正4年3月2日 --clear notes
    """
    from chosei.models import Victim
    from chosei.services.victims import update_victim

    st = state(ctx)
    with st.session(write=True) as s:
        victim, done = update_victim(s, ident, given(ctx, Victim), cleared(ctx, Victim, clear))
    emit_changes(st, "victim", victim.id, done, as_json=as_json)


@app.command("add-name")
def add_name(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The victim's ID.")],
    name: Annotated[str, typer.Argument(help="The name as the source writes it.")],
    script: Annotated[str, typer.Option(
        "--script", help="hangul, hanja, japanese, kana or latin.")],
    source: Annotated[str | None, typer.Option(
        "--source", help="Where this spelling comes from (tablet, register…).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record another spelling of a victim's name, so searches find it too.

    Example: chosei victim add-name V-001 金本一郎 --script japanese --source "Saikoji tablet"
    """
    from chosei.services.victims import add_name as add_variant

    st = state(ctx)
    with st.session(write=True) as s:
        row = add_variant(s, ident, name, script, source)
    emit_result(st, added("name", row, exclude=("id",)),
                [_("Added the name {name} ({script}) to victim {victim}").format(
                    name=row.name, script=row.script, victim=row.victim_id)], as_json=as_json)


@app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Any name, in any script or romanisation.")],
    as_json: JsonOpt = False,
) -> None:
    """Find victims by any of their names: hangul, hanja, Japanese, reading, latin, or a
    recorded variant; spaces and full-width forms are ignored, hangul matches its romanisation.

    Example: chosei victim search "kim gaon"
    """
    from chosei.services.victims import search_victims

    st = state(ctx)
    with st.session() as s:
        hits = [h.as_dict() for h in search_victims(s, query)]
    if as_json:
        banner(st, as_json=True)
        emit_json(hits)
        return
    banner(st)
    table = [{**h, "names": " / ".join(n["name"] for n in h["names"])} for h in hits]
    emit_table(table, ["id", "nationality", "names"], empty=_("no victim named like '{query}'").format(query=query))
