"""`chosei relative`: victims' relatives (reference donors) and their consent.

Contact details are sensitive personal data: nothing shows them without `--contacts`.
"""

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

app = new_app("Relatives of victims, who may give reference DNA, and their consent.")

ContactsOpt = Annotated[bool, typer.Option(
    "--contacts", help="Also show contact details (sensitive: only where you may see them).")]
OnOpt = Annotated[str | None, typer.Option(
    "--on", metavar="DATE", help="The date; today if omitted.")]
AgencyOpt = Annotated[str | None, typer.Option(
    "--agency", help="Who took it: the agency or group that holds the signed form.")]
FormOpt = Annotated[str | None, typer.Option(
    "--form", metavar="REF", help="The reference of the signed form.")]
# The options of both `relative add` and `relative edit`, each named after the field it sets.
VictimId = Annotated[str | None, typer.Option("--victim", help="The victim's ID.")]
Relationship = Annotated[str | None, typer.Option(
    "--relationship", help="To the victim: son, brother's son, a path such as father's "
    "brother's son, a term: 아들, 삼촌, 兄の息子…")]
Name = Annotated[str | None, typer.Option("--name", help="The relative's name.")]
Sex = Annotated[str | None, typer.Option("--sex", help="M, F or U.")]
BirthYear = Annotated[int | None, typer.Option("--birth-year", help="e.g. 1940.")]
Contact = Annotated[str | None, typer.Option(
    "--contact", help="Phone, address or agency file (sensitive: never shown back).")]


@app.command("add")
def add(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The relative's ID, e.g. R-001.")],
    victim_id: VictimId,
    relationship: Relationship,
    name: Name = None,
    sex: Sex = None,
    birth_year: BirthYear = None,
    contact: Contact = None,
    notes: Notes = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a relative of a victim. The relationship is a term or a path of steps joined
    by 's (의, の): brother's son's son, 형의 아들의 아들, 兄の息子の息子 (docs/relationships.md).
    A term that hides the line (조카, 사촌, 孫, 伯父) is refused: say which line it is
    (brother's son or sister's son), because it decides Y-STR or mtDNA.

    Example: chosei relative add R-001 --victim V-001 --relationship "brother's son" --name 김하늘
    """
    from chosei.models import Relative
    from chosei.models._base import sensitive_fields
    from chosei.services.relatives import add_relative

    st = state(ctx)
    with st.session(write=True) as s:
        rel = add_relative(s, {"id": ident, **given(ctx, Relative)})
    emit_result(st, added("relative", rel, exclude=sorted(sensitive_fields(Relative))),
                [_("Added relative {id}: {relationship} of victim {victim}").format(
                    id=rel.id, relationship=rel.relationship, victim=rel.victim_id)], as_json=as_json)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The relative's ID.")],
    victim_id: VictimId = None,
    relationship: Relationship = None,
    name: Name = None,
    sex: Sex = None,
    birth_year: BirthYear = None,
    contact: Contact = None,
    notes: Notes = None,
    clear: ClearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change some fields of a relative; fields not given stay as they are. Consent is
    not edited here: `chosei relative consent` and `chosei relative withdraw` record it.

    Example: chosei relative edit R-001 --relationship "sister's son" --clear notes
    """
    from chosei.models import Relative
    from chosei.services.relatives import update_relative

    st = state(ctx)
    with st.session(write=True) as s:
        rel, done = update_relative(s, ident, given(ctx, Relative), cleared(ctx, Relative, clear))
    emit_changes(st, "relative", rel.id, done, as_json=as_json)


def _columns(contacts: bool) -> list[str]:
    from chosei.models import Relative
    from chosei.models._base import sensitive_fields

    cols = ["id", "victim_id", "relationship", "name", "sex", "birth_year", "consent"]
    return [*cols, *sorted(sensitive_fields(Relative))] if contacts else cols


@app.command("list")
def list_(
    ctx: typer.Context,
    victim: Annotated[str | None, typer.Option(
        "--victim", help="Only this victim's relatives.")] = None,
    consent: Annotated[str | None, typer.Option(
        "--consent", help="Only relatives whose consent is active (some scope in effect), "
                          "withdrawn (given, none in effect now) or none (never given).")] = None,
    contacts: ContactsOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List relatives with their active consent scopes; contacts only with --contacts.

    Example: chosei relative list --victim V-001 --consent active
    """
    from chosei.services.relatives import list_relatives

    st = state(ctx)
    with st.session() as s:
        rows = list_relatives(s, victim, contacts=contacts, consent=consent)
    _emit_relatives(st, rows, contacts=contacts, as_json=as_json)


@app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A name, in any script or romanisation; a surname "
                                              "or one syllable finds every name it begins.")],
    contacts: ContactsOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Find relatives by name, as `victim search` finds victims.

    Example: chosei relative search 김
    """
    from chosei.services.relatives import search_relatives

    st = state(ctx)
    with st.session() as s:
        rows = search_relatives(s, query, contacts=contacts)
    _emit_relatives(st, rows, contacts=contacts, as_json=as_json)


def _emit_relatives(st: Any, rows: list[dict[str, Any]], *, contacts: bool, as_json: bool) -> None:
    table = [{**r, "consent": ";".join(r["consent"])} for r in rows]
    emit_listing(st, rows, _columns(contacts), as_json=as_json, empty=_("no relatives"),
                 counted=_("{n} relative(s)"), table=table)


@app.command("show")
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The relative's ID.")],
    contacts: ContactsOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Show one relative with the consent in effect per scope, the consent history (every
    consent given and withdrawn, oldest first) and their samples.

    Example: chosei relative show R-001
    """
    from chosei.services.relatives import relative_detail

    st = state(ctx)
    with st.session() as s:
        data = relative_detail(s, ident, contacts=contacts)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    emit_record(data["relative"], title=_("Relative {id}").format(id=data["relative"]["id"]))
    typer.echo("")
    emit_table([{**c, "active": _("yes") if c["active"] else _("no")} for c in data["consent"]],
               ["scope", "active", "given_on", "withdrawn_on"], title=_("Consent"),
               empty=_("no consent recorded"))
    typer.echo("")
    emit_table(data["consents"], ["date", "event", "scope", "agency", "form_ref"],
               title=_("Consent history"), empty=_("no consent recorded"))
    typer.echo("")
    emit_table(data["samples"], ["id", "type", "status", "status_date", "lab"], title=_("Samples"),
               empty=_("no samples"))


@app.command("consent")
def consent(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The relative's ID.")],
    scope: Annotated[list[str], typer.Option(
        "--scope", help="analysis, share:KR or share:JP; may be repeated.")],
    on: OnOpt = None,
    agency: AgencyOpt = None,
    form: FormOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record consent, per purpose (analysis) and per agency it may be shared with. Each
    consent is kept: given again after a withdrawal, it adds to the history.

    Example: chosei relative consent R-001 --scope analysis --scope share:KR --on 2025-10-01
    """
    from chosei.services.relatives import give_consent

    st = state(ctx)
    with st.session(write=True) as s:
        changed = give_consent(s, ident, scope, on, agency=agency, form_ref=form)
    lines = [_("Consent of {relative} for {scope} given on {date}").format(
        relative=row.relative_id, scope=row.scope, date=row.date) for row in changed]
    emit_result(st, {"consented": _consents_json(changed)},
                lines or [_("Consent unchanged: those scopes are already active.")], as_json=as_json)


@app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The relative's ID.")],
    scope: Annotated[list[str] | None, typer.Option(
        "--scope", help="analysis, share:KR or share:JP; may be repeated. Every active scope when omitted.")]
    = None,
    on: OnOpt = None,
    agency: AgencyOpt = None,
    form: FormOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Withdraw consent for some scopes, or for all of them. Their DNA can then no longer
    be used for what was withdrawn.

    Example: chosei relative withdraw R-001 --scope share:JP --on 2026-01-15
    """
    from chosei.services.relatives import withdraw_consent

    st = state(ctx)
    with st.session(write=True) as s:
        changed = withdraw_consent(s, ident, scope or [], on, agency=agency, form_ref=form)
    emit_result(st, {"withdrawn": _consents_json(changed)},
                [_("Consent of {relative} for {scope} withdrawn on {date}").format(
                    relative=row.relative_id, scope=row.scope, date=row.date) for row in changed],
                as_json=as_json)


def _consents_json(rows: list[Any]) -> list[dict[str, Any]]:
    from chosei.services.lookup import plain

    return [plain(row, exclude=("id",)) for row in rows]
