"""Top-level commands about the case as a whole: init, status, check, demo."""

from typing import Annotated, Any

import typer

from chosei import i18n
from chosei.cli._app import (
    DEMO_BANNER,
    JsonOpt,
    banner,
    emit_json,
    emit_result,
    emit_table,
    printable,
    stage_word,
    state,
)
from chosei.i18n import N_, _


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("status")(status)
    app.command("check")(check)
    app.command("demo")(demo)


def init(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="The case's name.")] = "Chosei undersea coal mine, 1942",
    expected: Annotated[int, typer.Option("--expected", help="Victims the roster should hold.")] = 183,
    expected_kr: Annotated[int, typer.Option("--expected-kr", help="Korean victims expected.")] = 136,
    expected_jp: Annotated[int, typer.Option("--expected-jp", help="Japanese victims expected.")] = 47,
    as_json: JsonOpt = False,
) -> None:
    """Create the store (if needed) and the case in it.

    Example: chosei --db cases.db init --name "Chosei mine" --expected 183
    """
    from chosei.services.case import init_case

    st = state(ctx)
    with st.session(write=True) as s:
        case = init_case(s, name, expected_total=expected, expected_kr=expected_kr,
                         expected_jp=expected_jp)
    data = {"case": case.name, "expected_total": case.expected_total, "expected_kr": case.expected_kr,
            "expected_jp": case.expected_jp, "store": st.store().display_url}
    emit_result(st, data, [_("Created case '{case}' (expecting {total}: {kr} KR, {jp} JP) in {store}").format(
        case=case.name, total=case.expected_total, kr=case.expected_kr, jp=case.expected_jp,
        store=st.store().display_url)], as_json=as_json)


def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The dashboard: victims by family and remains stage (KR/JP), specimens and MNI, samples.

    Example: chosei status --json
    """
    from chosei.services.status import dashboard

    st = state(ctx)
    with st.reading() as conn:
        data = dashboard(conn)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    _render_status(data)


def _render_status(data: dict[str, Any]) -> None:
    """The dashboard in the current language: stages, elements, sides and sample statuses
    named as the report and the export's Dashboard sheet name them (`stage_word`, and the
    vocabularies' labels)."""
    data = _labelled(data)
    v = data["victims"]
    exp = v["expected"]
    typer.echo(printable(_("Case: {case}").format(case=data["case"])))
    typer.echo(_("Victims: {total} of {expected} (KR {kr} of {expected_kr}, JP {jp} of {expected_jp})").format(
        total=v["total"], expected=exp["total"], kr=v["KR"], expected_kr=exp["KR"], jp=v["JP"],
        expected_jp=exp["JP"]))
    typer.echo("")
    emit_table(data["family_stage"], ["stage", "KR", "JP", "total"], title=_("Families"))
    typer.echo("")
    emit_table(data["remains_stage"], ["stage", "KR", "JP", "total"], title=_("Remains"))
    typer.echo("")
    emit_table(data["specimens"], ["element", "side", "count"],
               title=_("Specimens: {n}").format(n=data["specimen_total"]),
               empty=_("no specimens recovered yet"))
    if data["dna_groups"]:
        typer.echo(_("Minimum number of individuals: {mni}, {groups} DNA group(s)").format(
            mni=data["mni"], groups=data["dna_groups"]))
    else:
        typer.echo(_("Minimum number of individuals: {mni}").format(mni=data["mni"]))
    typer.echo("")
    emit_table([r for r in data["samples"] if r["total"]],
               ["status", "specimen", "relative", "unknown", "total"],
               title=_("Samples"), empty=_("no samples yet"))


def _labelled(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its stages and vocabulary codes in the current language's words; in
    English the codes themselves, as scripts and the JSON know them."""
    lang = i18n.current()
    if lang == "en":
        return data
    from chosei.vocab import ELEMENT, SAMPLE_STATUS, SIDE

    def term(vocabulary: Any, code: str) -> str:
        return vocabulary.label(code, lang) if code in vocabulary else _("unknown")

    return {
        **data,
        "family_stage": [{**r, "stage": stage_word(r["stage"])} for r in data["family_stage"]],
        "remains_stage": [{**r, "stage": stage_word(r["stage"])} for r in data["remains_stage"]],
        "specimens": [{**r, "element": term(ELEMENT, r["element"]), "side": term(SIDE, r["side"])}
                      for r in data["specimens"]],
        "samples": [{**r, "status": term(SAMPLE_STATUS, r["status"])} for r in data["samples"]],
    }


def check(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    limit: Annotated[int, typer.Option("--limit", help="IDs to list per problem.")] = 50,
) -> None:
    """Data quality: roster totals, unnamed victims, samples without consent or source,
    custody gaps, specimens agreeing with a staff elimination profile; confirmations made
    with --override, resting on relatives who no longer consent, giving one victim two of
    a bone he had once, or fallen below the threshold in the latest run. Exits 8 when it finds a problem.

    Example: chosei check --limit 10
    """
    from chosei.errors import ChecksFailed
    from chosei.services.check import run_checks

    st = state(ctx)
    with st.session() as s:
        problems = run_checks(s, limit=limit)
    if as_json:
        banner(st, as_json=True)
        emit_json([p.as_dict() for p in problems])
    else:
        banner(st)
        if not problems:
            typer.echo(_("No problems found."))
        for p in problems:
            typer.echo(printable(f"[{p.check}] {p.message}"))
            if p.ids and p.count > len(p.ids):
                typer.echo("    " + _("{ids} … and {more} more").format(ids=", ".join(p.ids),
                                                                       more=p.count - len(p.ids)))
            elif p.ids:
                typer.echo(f"    {', '.join(p.ids)}")
    if problems:
        raise ChecksFailed(_("{n} kind(s) of problem found").format(n=len(problems)))


def demo(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generator.")] = 1942,
    as_json: JsonOpt = False,
) -> None:
    """Fill a fresh store with a fictional demo case (183 generated victims) and show it.

    Re-running it rebuilds a demo store; it refuses a store that holds a real case.

    Example: chosei --db demo.db demo
    """
    from chosei.services.demo import build_demo
    from chosei.services.status import dashboard

    st = state(ctx)
    with st.session(write=True) as s:
        summary: dict[str, Any] = build_demo(s, seed=seed)
        data = dashboard(s)
    if as_json:
        typer.echo(_(DEMO_BANNER), err=True)
        emit_json({"store": st.store().display_url, "built": summary, "status": data})
        return
    typer.echo(_(DEMO_BANNER))
    typer.echo(_("Built the demo case in {store}: {counts}").format(
        store=st.store().display_url, counts=", ".join(_built(k, n) for k, n in summary.items())))
    typer.echo("")
    _render_status(data)


# What `build_demo` counts, as `demo` says it.
_BUILT = {
    "victims": N_("{n} victims"), "name variants": N_("{n} name variants"), "relatives": N_("{n} relatives"),
    "consents": N_("{n} consents"), "operations": N_("{n} operations"), "specimens": N_("{n} specimens"),
    "samples": N_("{n} samples"), "custody events": N_("{n} custody events"),
    "allele frequencies": N_("{n} allele frequencies"), "haplotypes": N_("{n} haplotypes"),
    "genotypes": N_("{n} genotypes"), "identifications": N_("{n} identifications"),
}


def _built(kind: str, n: int) -> str:
    return _(_BUILT[kind]).format(n=n) if kind in _BUILT else f"{n} {kind}"
