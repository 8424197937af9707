"""Top-level commands that report on the case: report, coverage, power."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from chosei.cli._app import banner, emit_json, emit_table, state

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("coverage")(coverage)


def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(metavar="OUT.xlsx|OUT.html",
                                        help="The file to write; its suffix picks the format.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the labels: en, ko or ja.")]
    = "en",
    profile: Annotated[str, typer.Option(
        "--profile", help="full (the case team) or partner (only what a partner agency may "
                          "see; needs --partner).")] = "full",
    partner: Annotated[str | None, typer.Option(
        "--partner", help="The partner agency's country for --profile partner: KR or JP.")]
    = None,
) -> None:
    """Write the status report: an Excel workbook with native charts, or a self-contained
    HTML page to open or print. It shows the 183 by family and remains stage (KR against
    JP), specimens by element and side with the MNI, the monthly timeline, samples by
    status and lab, custody gaps, reference coverage and each victim's status.

    Example: chosei report status.html --lang ko --profile partner --partner JP
    """
    from chosei.reports import write_report

    st = state(ctx)
    with st.session() as s:
        done = write_report(s, out, lang=lang, profile=profile, partner=partner)
    banner(st)
    who = "full" if done["profile"] == "full" else f"partner {done['partner']}"
    typer.echo(f"Wrote {done['path']} ({done['format']}, {done['lang']}, profile {who}): "
               f"{done['victims']} victims, {done['specimens']} specimens, MNI {done['mni']}")


def _ids(ids: list[str]) -> str:
    return ", ".join(ids)


def coverage(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    uncovered: Annotated[bool, typer.Option(
        "--uncovered", help="List only the victims no relative covers usefully.")] = False,
) -> None:
    """Which lines each victim's profiled relatives cover: close autosomal (parent, child,
    full sibling), distant autosomal, Y (paternal line), mtDNA (maternal line). Then the
    victims no relative covers usefully (▲: domicile in the north), each with the
    relatives to recruit, best first.

    Example: chosei coverage --uncovered
    """
    from chosei.reports.coverage import coverage as compute

    st = state(ctx)
    with st.session() as s:
        data: dict[str, Any] = compute(s)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    if not uncovered:
        emit_table([{"victim": r["victim_id"], "nat": r["nationality"],
                     "north": "▲" if r["northern"] else "",
                     **{line: _ids(ids) for line, ids in r["lines"].items()}}
                    for r in data["victims"]],
                   ["victim", "nat", "north", "close", "distant", "Y", "mt"],
                   title="Lines covered by profiled relatives (relative IDs)",
                   empty="no victims yet")
        typer.echo("")
        emit_table(data["summary"], ["line", "KR", "JP", "total"], title="Victims per line")
        typer.echo("")
    rows = []
    for r in data["uncovered"]:
        recruit = []
        for kind in r["recruit"]:
            known = f" [known: {_ids(kind['known'])}]" if kind["known"] else ""
            recruit.append(f"{kind['relationship']} ({'+'.join(kind['lines'])}){known}")
        rows.append({"victim": r["victim_id"], "nat": r["nationality"],
                     "north": "▲" if r["northern"] else "", "name": r["name"],
                     "has": "+".join(r["covered"]) or "-", "recruit, best first": "; ".join(recruit)})
    emit_table(rows, ["victim", "nat", "north", "name", "has", "recruit, best first"],
               title=f"Not covered usefully: {len(rows)} victim(s)",
               empty="every victim has a close relative, a Y or an mtDNA line")
