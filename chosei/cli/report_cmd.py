"""Top-level commands that report on the case: report, coverage, power."""

from pathlib import Path
from typing import Annotated, Any

import typer

from chosei.cli._app import JsonOpt, banner, emit_json, emit_result, emit_table, progress_bar, state


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("coverage")(coverage)
    app.command("power")(power)


def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(metavar="OUT.xlsx|OUT.html",
                                        help="The file to write; its suffix picks the format.")],
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the labels: en, ko or ja; by default the language chosei speaks "
                       "(chosei --lang, $CHOSEI_LANG, the locale).")] = None,
    profile: Annotated[str, typer.Option(
        "--profile", help="full (the case team) or partner (only what a partner agency may "
                          "see; needs --partner).")] = "full",
    partner: Annotated[str | None, typer.Option(
        "--partner", help="The partner agency's country for --profile partner: KR or JP.")]
    = None,
    power: Annotated[bool, typer.Option(
        "--power", help="Add whom to recruit next for each victim whose identification probability is "
                        "below one half (runs `chosei power`: about a minute for the 183).")] = False,
    seed: Annotated[int | None, typer.Option(
        "--seed", help="With --power: the seed of the simulations (random and shown when omitted).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the status report: an Excel workbook with native charts, or a self-contained
    HTML page to open or print. It shows the 183 by family and remains stage (KR against
    JP), specimens by element and side with the MNI, the monthly timeline, samples by
    status and lab, custody gaps, reference coverage and each victim's status; with --power,
    whom to recruit next.

    Example: chosei report status.html --lang ko --profile partner --partner JP
    """
    from chosei.i18n import current
    from chosei.reports import write_report

    settings = None
    if power:
        from chosei.reports.power import PowerSettings
        from chosei.services.match_options import MatchOptions

        settings = PowerSettings(seed=seed, mutation=MatchOptions().model())
    st = state(ctx)
    lang = current() if lang is None else lang
    with st.session() as s:
        done = write_report(s, out, lang=lang, profile=profile, partner=partner,
                            protected=st.store_files(), power=settings)
    who = "full" if done["profile"] == "full" else f"partner {done['partner']}"
    emit_result(st, done,
                [f"Wrote {done['path']} ({done['format']}, {done['lang']}, profile {who}): "
                 f"{done['victims']} victims, {done['specimens']} specimens, MNI {done['mni']}"], as_json=as_json)


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
        data: dict[str, Any] = compute(s, clans=True)
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
        for clan in data["clans"]:
            typer.echo(f"Clan: {', '.join(clan)} — one Y haplotype on their paternal lines; the Y-STR LR "
                       "alone cannot tell them apart")
        if data["clans"]:
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


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def power(
    ctx: typer.Context,
    victim: Annotated[str | None, typer.Argument(
        metavar="[VICTIM]", help="One victim's ID; every victim when omitted.")] = None,
    simulations: Annotated[int, typer.Option(
        "--simulations", help="Simulated tests per victim and hypothesis.")] = 1000,
    seed: Annotated[int | None, typer.Option(
        "--seed", help="Seed of the random generator; the same seed gives the same figures. "
                       "Random (and shown) when omitted.")] = None,
    population: Annotated[str | None, typer.Option(
        "--population", help="Allele frequency table to use; by default the one named after "
                             "each victim's nationality (KR, JP).")] = None,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="The LR a match must reach to make a candidate.")] = 10_000,
    theta: Annotated[float, typer.Option(
        "--theta", help="Balding-Nichols correction for the LR, e.g. 0.01.")] = 0.0,
    mutation: Annotated[str, typer.Option(
        "--mutation", help="Autosomal mutation model: none, equal, proportional, stepwise "
                           "(default, as for `chosei match run`).")] = "stepwise",
    mutation_rate: Annotated[float | None, typer.Option(
        "--mutation-rate", help="Mutation probability per meiosis and marker (default 0.002).")] = None,
    mutation_range: Annotated[float | None, typer.Option(
        "--mutation-range", help="Stepwise: weight of each further repeat step (default 0.5).")] = None,
    autosomal_only: Annotated[bool, typer.Option(
        "--autosomal-only", help="Leave the Y-STR and mtDNA lines out.")] = False,
    recruit: Annotated[bool, typer.Option(
        "--recruit/--no-recruit", help="Also the sensitivity with each relative one could still "
                                       "recruit, ranked by gain (default on).")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Identification power: from the relatives `match run` uses (the same consensus
    genotypes), simulate the LR if the victim's remains were tested, as degraded as the
    case's typed specimens. Shows the sensitivity (P(LR >= threshold) for the victim), the
    false-positive rate for an unrelated man (importance sampling: reliable at 1e-6), the
    relatives worth recruiting next ranked by gain, and over the case the expected
    identifiable victims and the expected false candidates (rate x specimens).

    Example: chosei power V-001 --simulations 2000 --seed 1942
    """
    from chosei.reports.power import PowerSettings
    from chosei.reports.power import power as compute
    from chosei.services.match_options import MatchOptions

    # The same options, defaults and checks as `chosei match run`: power predicts that run.
    options = MatchOptions(population, theta, mutation, mutation_rate, mutation_range, threshold).checked()
    settings = PowerSettings(simulations=simulations, seed=seed, population=options.population,
                             threshold=options.threshold, theta=options.theta, mutation=options.model(),
                             lineage=not autosomal_only, recruit=recruit)
    st = state(ctx)
    with st.session() as s, progress_bar("power") as bar:
        data = compute(s, victim, settings, bar)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    cfg = data["settings"]
    typer.echo(f"{cfg['simulations']} simulations per victim, seed {cfg['seed']}, threshold "
               f"LR {cfg['threshold']:,.0f}, theta {cfg['theta']:g}, mutation {cfg['mutation']}"
               + ("" if cfg["lines"] else ", autosomal markers only"))
    if victim is not None:
        _one(data["victims"][0], cfg)
        return
    rows = [{"victim": r["victim_id"], "nat": r["nationality"],
             "references": ", ".join(x["relationship"] for x in r["references"]),
             "lines": "+".join(r["lines"]), "sensitivity": _fmt(r["sensitivity"]),
             "autosomal only": _fmt(r["autosomal_sensitivity"]),
             "false positives": _rate(r["false_positive_rate"])}
            for r in data["victims"] if r["references"]]
    typer.echo("")
    _quality(data)
    emit_table(rows, ["victim", "nat", "references", "lines", "sensitivity", "autosomal only",
                      "false positives"], title="Victims with usable references",
               empty="no victim has a profiled relative yet")
    from chosei.reports.power import best_option

    advice = [{"victim": r["victim_id"], "now": _fmt(r["sensitivity"]), "recruit": _kinds(best),
               "lines": "+".join(best["lines"]), "then": _fmt(best["sensitivity"]), "gain": f"{best['gain']:+.3f}",
               "known": ", ".join(best["known"]) or "-"}
              for r in data["victims"] if (r["sensitivity"] or 0) < 0.5 and (best := best_option(r["recruit"]))]
    if advice:
        typer.echo("")
        emit_table(advice, ["victim", "now", "recruit", "lines", "then", "gain", "known"],
                   title="Whom to recruit next (victims below 0.5: a recorded relative if one gains, else the "
                         "best kind; `chosei power VICTIM` lists all)")
    typer.echo("")
    exp, refs, count = data["expected_identifiable"], data["with_references"], data["victim_count"]
    typer.echo("Expected identifiable victims (sum of sensitivities):")
    for nat in ("KR", "JP", "total"):
        typer.echo(f"  {nat:<5} {exp[nat]:7.1f} of {count[nat]} "
                   f"({refs[nat]} with usable references)")
    fc = data["false_candidates"]
    typer.echo(f"Expected false candidates at LR >= {cfg['threshold']:,.0f}: {fc['per_specimen']:.3g} per specimen"
               + (f", {fc['expected']:.3g} over the case ({fc['specimens']} specimens x the victims with "
                  f"references = {fc['pairs']:,} pairs)" if fc["specimens"] else ""))
    for note in data["notes"]:
        typer.echo(f"Note: {note}")


def _rate(value: float | None) -> str:
    return "-" if value is None else "0" if value == 0 else f"{value:.2e}"


def _kinds(option: dict[str, Any]) -> str:
    return " + ".join(option["relationships"])


def _quality(data: dict[str, Any]) -> None:
    q = data["specimen_quality"]
    if q["specimens"]:
        shares = list(q["marker_share"].values())
        mean = sum(shares) / len(shares) if shares else 0.0
        typer.echo(f"Simulated remains as degraded as the {q['specimens']} typed specimens: {mean:.0%} of "
                   f"markers typed on average, Y-STR {q['y_share']:.0%}, mtDNA {q['mt_share']:.0%}")


def _one(r: dict[str, Any], cfg: dict[str, Any]) -> None:
    typer.echo(f"Victim {r['victim_id']} ({r['nationality']}), population "
               f"{r['population'] or '-'}")
    for ref in r["references"]:
        kinds = [f"{ref['autosomal_markers']} autosomal markers"] if ref["autosomal_markers"] else []
        kinds += [line for line in ("Y", "mt") if ref[line]]
        typer.echo(f"  reference {ref['id']}: {ref['relationship']} ({', '.join(kinds)})")
    for note in r["notes"]:
        typer.echo(f"  note: {note}")
    if r["sensitivity"] is not None:
        _sensitivity(r, cfg)
    if r["recruit"]:
        typer.echo("")
        rows = [{"recruit": _kinds(o), "lines": "+".join(o["lines"]), "sensitivity": _fmt(o["sensitivity"]),
                 "gain": f"{o['gain']:+.3f}", "known": ", ".join(o["known"]) or "-"} for o in r["recruit"]]
        emit_table(rows, ["recruit", "lines", "sensitivity", "gain", "known"],
                   title="Whom to recruit next, by gain (known: recorded relatives of that kind not yet usable)")


def _sensitivity(r: dict[str, Any], cfg: dict[str, Any]) -> None:
    t = f"{cfg['threshold']:,.0f}"
    typer.echo(f"Lines used: {', '.join(r['lines'])} ({r['markers']} autosomal markers)")
    typer.echo(f"Sensitivity, P(LR >= {t} | the remains are {r['victim_id']}): "
               f"{r['sensitivity']:.3f}")
    typer.echo(f"  with the autosomal markers alone: {r['autosomal_sensitivity']:.3f}")
    typer.echo(f"False-positive rate, P(LR >= {t} | an unrelated person): "
               f"{_rate(r['false_positive_rate'])} (importance sampling, standard error "
               f"{_rate(r['false_positive_se'])})")
    med_u = r["median_log10_lr_unrelated"]
    typer.echo(f"Median log10 LR: {r['median_log10_lr']} for the victim, "
               + ("excluded (LR 0) for an unrelated person" if med_u is None
                  else f"{med_u} for an unrelated person"))
