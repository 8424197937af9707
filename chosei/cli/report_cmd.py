"""Top-level commands that report on the case: report, coverage, power."""

from pathlib import Path
from typing import Annotated, Any

import typer

from chosei.cli._app import JsonOpt, banner, emit_json, emit_result, emit_table, header, progress_bar, state
from chosei.i18n import _


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
    values = {"file": done["path"], "format": done["format"], "lang": done["lang"], "partner": done["partner"],
              "victims": done["victims"], "specimens": done["specimens"], "mni": done["mni"]}
    line = (_("Wrote {file} ({format}, {lang}, profile full): {victims} victims, {specimens} specimens, "
              "MNI {mni}") if done["profile"] == "full" else
            _("Wrote {file} ({format}, {lang}, profile partner {partner}): {victims} victims, {specimens} "
              "specimens, MNI {mni}"))
    emit_result(st, done, [line.format(**values)], as_json=as_json)


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
                   title=_("Lines covered by profiled relatives (relative IDs)"),
                   empty=_("no victims yet"))
        typer.echo("")
        emit_table(data["summary"], ["line", "KR", "JP", "total"], title=_("Victims per line"))
        typer.echo("")
        for clan in data["clans"]:
            typer.echo(_("Clan: {victims} — one Y haplotype on their paternal lines; the Y-STR LR alone cannot "
                         "tell them apart").format(victims=", ".join(clan)))
        if data["clans"]:
            typer.echo("")
    rows = []
    for r in data["uncovered"]:
        recruit = []
        for kind in r["recruit"]:
            what = f"{kind['relationship']} ({'+'.join(kind['lines'])})"
            recruit.append(_("{kind} [known: {ids}]").format(kind=what, ids=_ids(kind["known"])) if kind["known"]
                           else what)
        rows.append({"victim": r["victim_id"], "nat": r["nationality"],
                     "north": "▲" if r["northern"] else "", "name": r["name"],
                     "has": "+".join(r["covered"]) or "-", "recruit, best first": "; ".join(recruit)})
    emit_table(rows, ["victim", "nat", "north", "name", "has", "recruit, best first"],
               title=_("Not covered usefully: {n} victim(s)").format(n=len(rows)),
               empty=_("every victim has a close relative, a Y or an mtDNA line"))


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
    with st.session() as s, progress_bar(_("power")) as bar:
        data = compute(s, victim, settings, bar)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    cfg = data["settings"]
    values = {"simulations": cfg["simulations"], "seed": cfg["seed"], "threshold": cfg["threshold"],
              "theta": cfg["theta"], "mutation": cfg["mutation"]}
    typer.echo((_("{simulations} simulations per victim, seed {seed}, threshold LR {threshold:,.0f}, theta "
                  "{theta:g}, mutation {mutation}") if cfg["lines"] else
                _("{simulations} simulations per victim, seed {seed}, threshold LR {threshold:,.0f}, theta "
                  "{theta:g}, mutation {mutation}, autosomal markers only")).format(**values))
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
                      "false positives"], title=_("Victims with usable references"),
               empty=_("no victim has a profiled relative yet"))
    from chosei.reports.power import best_option

    advice = [{"victim": r["victim_id"], "now": _fmt(r["sensitivity"]), "recruit": _kinds(best),
               "lines": "+".join(best["lines"]), "then": _fmt(best["sensitivity"]), "gain": f"{best['gain']:+.3f}",
               "known": ", ".join(best["known"]) or "-"}
              for r in data["victims"] if (r["sensitivity"] or 0) < 0.5 and (best := best_option(r["recruit"]))]
    if advice:
        typer.echo("")
        emit_table(advice, ["victim", "now", "recruit", "lines", "then", "gain", "known"],
                   title=_("Whom to recruit next (victims below 0.5: a recorded relative if one gains, else the "
                           "best kind; `chosei power VICTIM` lists all)"))
    typer.echo("")
    exp, refs, count = data["expected_identifiable"], data["with_references"], data["victim_count"]
    typer.echo(_("Expected identifiable victims (sum of sensitivities):"))
    for nat in ("KR", "JP", "total"):
        typer.echo("  " + _("{nat:<5} {expected:7.1f} of {count} ({references} with usable references)").format(
            nat=header(nat), expected=exp[nat], count=count[nat], references=refs[nat]))
    fc = data["false_candidates"]
    if fc["specimens"]:
        typer.echo(_("Expected false candidates at LR >= {threshold:,.0f}: {per_specimen:.3g} per specimen, "
                     "{expected:.3g} over the case ({specimens} specimens x the victims with references = "
                     "{pairs:,} pairs)").format(threshold=cfg["threshold"], per_specimen=fc["per_specimen"],
                                                 expected=fc["expected"], specimens=fc["specimens"],
                                                 pairs=fc["pairs"]))
    else:
        typer.echo(_("Expected false candidates at LR >= {threshold:,.0f}: {per_specimen:.3g} per specimen").format(
            threshold=cfg["threshold"], per_specimen=fc["per_specimen"]))
    for note in data["notes"]:
        typer.echo(_("Note: {note}").format(note=note))


def _rate(value: float | None) -> str:
    return "-" if value is None else "0" if value == 0 else f"{value:.2e}"


def _kinds(option: dict[str, Any]) -> str:
    return " + ".join(option["relationships"])


def _quality(data: dict[str, Any]) -> None:
    q = data["specimen_quality"]
    if q["specimens"]:
        shares = list(q["marker_share"].values())
        mean = sum(shares) / len(shares) if shares else 0.0
        typer.echo(_("Simulated remains as degraded as the {specimens} typed specimens: {mean:.0%} of markers "
                     "typed on average, Y-STR {y:.0%}, mtDNA {mt:.0%}").format(
            specimens=q["specimens"], mean=mean, y=q["y_share"], mt=q["mt_share"]))


def _one(r: dict[str, Any], cfg: dict[str, Any]) -> None:
    typer.echo(_("Victim {victim} ({nationality}), population {population}").format(
        victim=r["victim_id"], nationality=r["nationality"], population=r["population"] or "-"))
    for ref in r["references"]:
        kinds = ([_("{n} autosomal markers").format(n=ref["autosomal_markers"])]
                 if ref["autosomal_markers"] else [])
        kinds += [line for line in ("Y", "mt") if ref[line]]
        typer.echo("  " + _("reference {id}: {relationship} ({kinds})").format(
            id=ref["id"], relationship=ref["relationship"], kinds=", ".join(kinds)))
    for note in r["notes"]:
        typer.echo("  " + _("note: {note}").format(note=note))
    if r["sensitivity"] is not None:
        _sensitivity(r, cfg)
    if r["recruit"]:
        typer.echo("")
        rows = [{"recruit": _kinds(o), "lines": "+".join(o["lines"]), "sensitivity": _fmt(o["sensitivity"]),
                 "gain": f"{o['gain']:+.3f}", "known": ", ".join(o["known"]) or "-"} for o in r["recruit"]]
        emit_table(rows, ["recruit", "lines", "sensitivity", "gain", "known"],
                   title=_("Whom to recruit next, by gain (known: recorded relatives of that kind not yet usable)"))


def _sensitivity(r: dict[str, Any], cfg: dict[str, Any]) -> None:
    t = f"{cfg['threshold']:,.0f}"
    typer.echo(_("Lines used: {lines} ({markers} autosomal markers)").format(
        lines=", ".join(r["lines"]), markers=r["markers"]))
    typer.echo(_("Sensitivity, P(LR >= {threshold} | the remains are {victim}): {sensitivity:.3f}").format(
        threshold=t, victim=r["victim_id"], sensitivity=r["sensitivity"]))
    typer.echo("  " + _("with the autosomal markers alone: {sensitivity:.3f}").format(
        sensitivity=r["autosomal_sensitivity"]))
    typer.echo(_("False-positive rate, P(LR >= {threshold} | an unrelated person): {rate} (importance sampling, "
                 "standard error {se})").format(threshold=t, rate=_rate(r["false_positive_rate"]),
                                                se=_rate(r["false_positive_se"])))
    med_u = r["median_log10_lr_unrelated"]
    if med_u is None:
        typer.echo(_("Median log10 LR: {victim} for the victim, excluded (LR 0) for an unrelated person").format(
            victim=r["median_log10_lr"]))
    else:
        typer.echo(_("Median log10 LR: {victim} for the victim, {unrelated} for an unrelated person").format(
            victim=r["median_log10_lr"], unrelated=med_u))
