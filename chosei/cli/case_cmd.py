"""Top-level commands about the case as a whole: init, status, check, demo."""

from typing import Annotated, Any

import typer

from chosei.cli._app import DEMO_BANNER, JsonOpt, banner, emit_json, emit_result, emit_table, printable, state


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
    emit_result(st, data, [f"Created case '{case.name}' (expecting {case.expected_total}: "
                           f"{case.expected_kr} KR, {case.expected_jp} JP) in {st.store().display_url}"],
                as_json=as_json)


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
    v = data["victims"]
    exp = v["expected"]
    typer.echo(printable(f"Case: {data['case']}"))
    typer.echo(f"Victims: {v['total']} of {exp['total']} (KR {v['KR']} of {exp['KR']}, "
               f"JP {v['JP']} of {exp['JP']})")
    typer.echo("")
    emit_table(data["family_stage"], ["stage", "KR", "JP", "total"], title="Families")
    typer.echo("")
    emit_table(data["remains_stage"], ["stage", "KR", "JP", "total"], title="Remains")
    typer.echo("")
    emit_table(data["specimens"], ["element", "side", "count"],
               title=f"Specimens: {data['specimen_total']}", empty="no specimens recovered yet")
    groups = f", {data['dna_groups']} DNA group(s)" if data["dna_groups"] else ""
    typer.echo(f"Minimum number of individuals: {data['mni']}{groups}")
    typer.echo("")
    emit_table([r for r in data["samples"] if r["total"]],
               ["status", "specimen", "relative", "unknown", "total"],
               title="Samples", empty="no samples yet")


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
            typer.echo("No problems found.")
        for p in problems:
            more = f" … and {p.count - len(p.ids)} more" if p.count > len(p.ids) else ""
            typer.echo(printable(f"[{p.check}] {p.message}"))
            if p.ids:
                typer.echo(f"    {', '.join(p.ids)}{more}")
    if problems:
        raise ChecksFailed(f"{len(problems)} kind(s) of problem found")


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
        typer.echo(DEMO_BANNER, err=True)
        emit_json({"store": st.store().display_url, "built": summary, "status": data})
        return
    typer.echo(DEMO_BANNER)
    typer.echo(f"Built the demo case in {st.store().display_url}: "
               + ", ".join(f"{n} {k}" for k, n in summary.items()))
    typer.echo("")
    _render_status(data)
