"""`chosei match`: kinship matching, people's decisions, and re-association of remains."""

from pathlib import Path
from typing import Annotated, Any

import typer

from chosei.cli._app import (
    JsonOpt,
    added,
    banner,
    emit_json,
    emit_result,
    emit_table,
    new_app,
    printable,
    progress_bar,
    state,
)
from chosei.i18n import _

app = new_app("Kinship matching: specimens against victims' relatives; confirm or reject; re-associate remains.")

By = Annotated[str, typer.Option("--by", help="Who decides (a person or a board), for the record.")]
Note = Annotated[str | None, typer.Option("--note", help="Why: the evidence or the reason.")]
Specimen = Annotated[str, typer.Argument(metavar="SPECIMEN", help="The specimen's ID (or an other ID).")]
Victim = Annotated[str, typer.Argument(metavar="VICTIM", help="The victim's ID.")]

PAIR_COLUMNS = ["specimen_id", "victim_id", "lr", "posterior", "status", "excluded"]


def _lr(value: float | None) -> str:
    if value is None:
        return "-"
    if value == 0:
        return "0"
    return f"{value:.4g}" if 1e-3 <= value < 1e6 else f"{value:.3e}"


def _p(value: float | None) -> str:
    return "-" if value is None else f"{value:.10g}"


@app.command("run")
def run(
    ctx: typer.Context,
    population: Annotated[str | None, typer.Option(
        "--population", help="Frequency table for every victim (default: each victim's nationality's table, "
        "or the only table).")] = None,
    theta: Annotated[float, typer.Option(
        "--theta", help="Balding-Nichols subpopulation correction (default 0; see docs/kinship.md).")] = 0.0,
    mutation: Annotated[str, typer.Option(
        "--mutation", help="Mutation model: none, equal, proportional, stepwise (default).")] = "stepwise",
    mutation_rate: Annotated[float | None, typer.Option(
        "--mutation-rate", help="Mutation probability per meiosis and marker (default 0.002).")] = None,
    mutation_range: Annotated[float | None, typer.Option(
        "--mutation-range", help="Stepwise: weight of each further repeat step (default 0.5).")] = None,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="LR from which a pair becomes a candidate for review (default 10000).")] = 10_000.0,
    open_prior: Annotated[float, typer.Option(
        "--open", help="Prior probability that a bone is none of the expected victims (default 0: the mine "
        "is a closed set; see docs/kinship.md).")] = 0.0,
    snp_error: Annotated[float, typer.Option(
        "--snp-error", help="Dense SNPs: per-call genotyping error rate epsilon, at least 0 and below 0.5 "
        "(default 0.01).")] = 0.01,
    snp_model: Annotated[str, typer.Option(
        "--snp-model", help="Dense SNPs: linked (default; every SNP, linkage modelled) or unlinked (a subset "
        "of SNPs at least 30 cM apart with MAF >= 0.2; see docs/kinship.md).")] = "linked",
    y_rates: Annotated[Path | None, typer.Option(
        "--y-rates", metavar="FILE.csv", help="Y-STR: per-locus mutation rates replacing the published ones, "
        "one `locus,rate` per line (see docs/kinship.md).")] = None,
    y_rate2: Annotated[float, typer.Option(
        "--y-rate2", help="Y-STR: probability per locus and meiosis of an integer <-> microvariant change "
        "(default 1e-05; 0 makes such a difference an exclusion).")] = 1e-5,
    y_frequency: Annotated[str, typer.Option(
        "--y-frequency", help="Y-STR haplotype frequency: kappa (default; Brenner's kappa for a haplotype "
        "no database of the case holds, else as count), count (the 95 percent counting bound), disclap (discrete "
        "Laplace model of the database) or guarded (disclap, the largest over the case's databases, never below "
        "kappa's); see docs/kinship.md.")] = "kappa",
    mt_frequency: Annotated[str, typer.Option(
        "--mt-frequency", help="mtDNA haplotype frequency: kappa (default) or count, as --y-frequency.")] = "kappa",
    dropout: Annotated[str, typer.Option(
        "--dropout", help="Specimens' allele dropout probability: auto (default; estimated per specimen from "
        "its profile, 0.01-0.6) or a number; 0 turns the dropout model off (see docs/kinship.md).")] = "auto",
    drop_in: Annotated[float | None, typer.Option(
        "--drop-in", help="Drop-in rate per marker in a specimen (default 0.05).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Match every profiled specimen against every victim with a typed, consenting relative.

    Stores an LR and a posterior for every pair (replacing the previous run) and makes
    each pair at or above the threshold a candidate; decisions people took are kept.
    Nothing is confirmed automatically. The posterior is over the case's expected roster
    (closed set, `init --expected`); --open P keeps a prior mass P for "none of them".

    Example: chosei match run --mutation stepwise --mutation-rate 0.002 --threshold 10000
    """
    from chosei.services.match_options import MatchOptions, read_y_rates
    from chosei.services.matching import run_matching

    rates = read_y_rates(y_rates) if y_rates is not None else ()
    options = MatchOptions(population, theta, mutation, mutation_rate, mutation_range, threshold, open_prior,
                           snp_error, snp_model, y_rates=rates, y_rate2=y_rate2, y_frequency=y_frequency,
                           mt_frequency=mt_frequency, dropout=dropout_option(dropout), drop_in=drop_in)
    st = state(ctx)
    with st.session(write=True) as s, progress_bar(_("matching")) as progress:
        summary = run_matching(s, options, progress)
    if as_json:
        from dataclasses import asdict

        emit_result(st, asdict(summary), [], as_json=True)
    else:
        _show_run(st, summary)
    for rid, vid in summary.unconsented:
        typer.echo(_("Warning: relative {relative} (victim {victim}) is typed but has no active consent for "
                     "analysis: not used").format(relative=rid, victim=vid), err=True)
    for text in [*summary.conflicts, *summary.notes]:
        typer.echo(_("Warning: {warning}").format(warning=text), err=True)


def _show_run(st: Any, summary: Any) -> None:
    banner(st)
    o = summary.options
    typer.echo(_("Matched {specimens} specimen(s) ({samples} typed sample(s)) against {victims} victim(s) "
                 "with typed relatives who consent to analysis").format(
        specimens=summary.specimens, samples=summary.samples, victims=summary.victims))
    tables = ", ".join(_("{population} for {n} victim(s)").format(population=p, n=n)
                       for p, n in summary.populations.items())
    line = (_("Frequencies as chosen: {tables}; {options}") if o.population
            else _("Frequencies by each victim's nationality: {tables}; {options}"))
    typer.echo(line.format(tables=tables, options=o.describe()))
    typer.echo(o.describe_y())
    typer.echo(_prior_line(summary.prior_n, o.open_prior, summary.victims))
    typer.echo(_("Pairs computed: {pairs:,}; exclusions (LR 0): {exclusions:,}; candidates (LR >= {threshold:,.0f}): "
                 "{candidates} ({created} new, {refreshed} refreshed, {withdrawn} withdrawn)").format(
        pairs=summary.pairs, exclusions=summary.exclusions, threshold=o.threshold,
        candidates=len(summary.candidates), created=summary.created, refreshed=summary.refreshed,
        withdrawn=summary.withdrawn))
    if summary.candidates:
        typer.echo("")
        rows = [{**c, "lr": _lr(c["lr"]), "posterior": _p(c["posterior"])} for c in summary.candidates]
        emit_table(rows, ["specimen_id", "victim_id", "lr", "posterior", "status"], title=_("Candidates"))


def dropout_option(text: str) -> float | None:
    """--dropout: 'auto' (None: estimated per specimen) or a number."""
    from chosei.errors import InvalidInput

    if text.strip().lower() == "auto":
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(_("--dropout must be 'auto' or a probability such as 0.1, not '{value}'").format(
            value=text)) from None


def _parameters(params: dict[str, Any]) -> str:
    """'population KR, theta 0.01, mutation stepwise, specimen dropout 0.12 (estimated from its
    profile), drop-in 0.05': the dropout only with the model."""
    items = [_("population {population}").format(population=params["population"])] if "population" in params else []
    items.append(_("theta {theta:g}").format(theta=params["theta"]))
    items.append(_("mutation {mutation}").format(mutation=params["mutation"]))
    if params.get("dropout") or params.get("drop_in"):
        items.append((_("specimen dropout {dropout:.3g} (estimated from its profile)")
                      if params.get("dropout_estimated") else
                      _("specimen dropout {dropout:.3g}")).format(dropout=params["dropout"]))
        items.append(_("drop-in {drop_in:g}").format(drop_in=params["drop_in"]))
    return ", ".join(items)


def _prior_line(n: int, open_prior: float, compared: int) -> str:
    each = f"1/{n}" if open_prior == 0 else f"{1 - open_prior:g}/{n}"
    if open_prior:
        return _("Prior: closed set, uniform over the N = {n} expected victims ({each} each); {open:g} for none "
                 "of them (--open); the {rest} not compared count with LR 1").format(
            n=n, each=each, open=open_prior, rest=n - compared)
    return _("Prior: closed set, uniform over the N = {n} expected victims ({each} each); open share 0 (--open); "
             "the {rest} not compared count with LR 1").format(n=n, each=each, rest=n - compared)


def _pair_row(p: dict[str, Any]) -> dict[str, Any]:
    excluded = ", ".join(p["excluded_markers"])
    return {**p, "lr": _lr(p["lr"]), "posterior": _p(p["posterior"]), "status": p["status"] or "-",
            "excluded": excluded}


@app.command("list")
def list_(
    ctx: typer.Context,
    every: Annotated[bool, typer.Option("--all", help="Every computed pair, not only candidates.")] = False,
    specimen: Annotated[str | None, typer.Option("--specimen", help="Only this specimen.")] = None,
    victim: Annotated[str | None, typer.Option("--victim", help="Only this victim.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List candidates (LR at or above the run's threshold, or decided on), strongest first
    per specimen; --all lists every computed pair. In JSON an exclusion has lr 0.

    Example: chosei match list --specimen SP-001 --json
    """
    from chosei.services.match_review import list_matches

    st = state(ctx)
    with st.session() as s:
        rows = list_matches(s, every=every, specimen=specimen, victim=victim)
    if as_json:
        banner(st, as_json=True)
        emit_json(rows)
        return
    banner(st)
    emit_table([_pair_row(r) for r in rows], PAIR_COLUMNS,
               empty=_("no pairs") if every else _("no candidates; `chosei match run` computes them"))
    typer.echo(_("{n} pair(s)").format(n=len(rows)))


@app.command("show")
def show(
    ctx: typer.Context,
    specimen: Specimen,
    victim: Annotated[str | None, typer.Argument(
        metavar="[VICTIM]", help="A victim: explain this pair. Without it, the specimen's ranking.")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the plain-words summary of a pair: en, ko or ja; by default the "
                       "language chosei speaks (chosei --lang, $CHOSEI_LANG, the locale).")] = None,
    svg: Annotated[Path | None, typer.Option(
        "--svg", metavar="FILE.svg", help="With VICTIM: also write the victim's family as a pedigree picture "
        "(SVG, labels in --lang) to FILE.svg.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Without VICTIM: the specimen's victims ranked by LR. With VICTIM: the pair explained —
    first in plain words (--lang en, ko or ja), then per-marker LRs, the relatives and
    pedigree used (and those not used, and why), the Y-STR and mtDNA findings,
    exclusions, the closed-set posterior with its remainder, and any decision.
    --svg FILE.svg draws the pedigree with the standard symbols (see docs/reports.md).

    Example: chosei match show SP-001 CH-105 --lang ko --svg ch-105.svg
    """
    from chosei.i18n import current
    from chosei.services.match_review import match_detail, specimen_ranking

    if svg is not None and victim is None:
        from chosei.errors import InvalidInput

        raise InvalidInput(_("--svg draws a victim's family: give the VICTIM too, e.g. "
                             "`chosei match show SP-001 CH-105 --svg family.svg`"))
    st = state(ctx)
    lang = current() if lang is None else lang
    picture = None
    with st.session() as s:
        data = specimen_ranking(s, specimen) if victim is None else match_detail(s, specimen, victim, lang)
        if svg is not None:
            from chosei.reports.families import victim_picture

            picture = victim_picture(s, data["victim_id"], lang)
    if svg is not None and picture is not None:
        with st.output(svg) as tmp:
            tmp.write_text(picture, encoding="utf-8")
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    if victim is None:
        _show_ranking(data)
    else:
        _show_pair(data)
    if svg is not None:
        typer.echo("")
        typer.echo(_("Wrote the family picture of victim {victim} to {file}").format(
            victim=data["victim_id"], file=svg))


def _show_ranking(data: dict[str, Any]) -> None:
    pairs = data["pairs"]
    sid = data["specimen_id"]
    if not pairs:
        typer.echo(_("No computed matches for specimen {specimen}: `chosei match run` computes them "
                     "(the specimen needs a typed sample)").format(specimen=sid))
        return
    for text in data["elimination"]:
        typer.echo(_("WARNING (elimination set): {warning}").format(warning=text))
    shown = [p for p in pairs if p["lr"] or p["status"]]
    rows = [{**_pair_row(p), "rank": p["rank"], "autosomal": _lr(p["autosomal_lr"]), "y": _lr(p["y_lr"]),
             "mt": _lr(p["mt_lr"])} for p in shown]
    emit_table(rows, ["rank", "victim_id", "lr", "posterior", "autosomal", "y", "mt", "status", "excluded"],
               title=_("Specimen {specimen}: victims by likelihood ratio (candidate from {threshold:,.0f})").format(
                   specimen=sid, threshold=data["threshold"]))
    excluded = len(pairs) - len(shown)
    if excluded:
        typer.echo(_("{n} victim(s) excluded (LR 0); `chosei match list --all --specimen {specimen}` lists them")
                   .format(n=excluded, specimen=sid))
    if data["remainder"] is not None:
        typer.echo(_("Remainder {remainder}: a victim with no usable relatives (closed set over the N = {n} "
                     "expected victims)").format(remainder=_p(data["remainder"]), n=data["prior_n"]))
    if data["open_prior"]:
        typer.echo(_open_line(data))


def _show_pair(d: dict[str, Any]) -> None:
    if d.get("plain"):
        for sentence in d["plain"]:
            typer.echo(sentence)
        typer.echo("")
    typer.echo(_("Specimen {specimen} (samples {samples}) against victim {victim} ({name})").format(
        specimen=d["specimen_id"], samples=", ".join(d["specimen_samples"]) or "-", victim=d["victim_id"],
        name=d["victim_name"]))
    params = d["parameters"]
    typer.echo(_("Parameters: {parameters}; {y}").format(parameters=_parameters(params), y=params["y"]))
    for text in d["specimen_conflicts"]:
        typer.echo(_("Left out of the specimen's profile (its samples disagree): {markers}").format(markers=text))
    for text in d.get("specimen_recovered", ()):
        typer.echo(_("Replicates differing by dropout, every allele seen kept: {markers}").format(markers=text))
    for text in d["qc"]["elimination"]:
        typer.echo(_("WARNING (elimination set): {warning}").format(warning=text))
    amel = d["qc"]["amelogenin"]
    if amel is not None and amel["note"]:
        typer.echo(_("Amelogenin {amelogenin} ({status}): {note}").format(
            amelogenin=amel["amelogenin"], status=amel["status"], note=amel["note"]))
    typer.echo("")
    rel_rows = [{**r, "y line": r["y_meioses"] if r["y_meioses"] is not None else "-",
                 "mt line": r["mt_meioses"] if r["mt_meioses"] is not None else "-"} for r in d["relatives"]]
    emit_table(rel_rows, ["relative_id", "relationship", "typed", "y line", "mt line", "use"],
               title=_("Relatives (y line / mt line: meioses from the victim)"), empty=_("no relative recorded"))
    if "pedigree" in d:
        typer.echo("")
        typer.echo(_("Pedigree"))
        for line in d["pedigree"]:
            typer.echo(f"  {line}")
    for note in d["notes"]:
        typer.echo("")
        typer.echo(_("Note: {note}").format(note=note))
    if "markers" not in d:
        return
    typer.echo("")
    used = [r["relative_id"] for r in d["relatives"] if r["use"] == "used"]
    rows = []
    for m in d["markers"]:
        row = {"marker": m["marker"], "specimen": m["specimen"], "lr": _lr(m["lr"]), "status": m["status"],
               "mendel": _("no") if m["mendel"] == "inconsistent" else _("yes"), "floored": ", ".join(m["floored"])}
        row.update({rid: m["relatives"].get(rid, "-") for rid in used})
        rows.append(row)
    emit_table(rows, ["marker", "specimen", *used, "lr", "status", "mendel", "floored"],
               title=_("Autosomal STR (mendel: consistent with the pedigree without mutation; floored: alleles "
                       "absent from the table, given the minimum frequency)"),
               empty=_("no autosomal marker typed in both the specimen and a relative"))
    qc = d["qc"]
    if qc["mendel_inconsistent"]:
        typer.echo(_mendel_line(qc["mendel_inconsistent"], qc["explained_by_mutation"]))
    for key, label in (("y", "Y-STR"), ("mt", "mtDNA")):
        line = d[key]
        typer.echo("")
        lr = f", LR {_lr(line['lr'])}" if line["lr"] is not None else ""
        typer.echo(printable(f"{label}: {line['status']}{lr}" + (f" — {line['note']}" if line["note"] else "")))
        if line["count"] is not None:
            method = line.get("frequency_method") or "count"
            seen = {
                "disclap": _("  haplotype seen {count} time(s) in {total} of the database; discrete Laplace "
                             "frequency {bound:.6g}"),
                "kappa": _("  haplotype seen {count} time(s) in {total} of the database; Brenner's kappa "
                           "frequency (unseen) {bound:.6g}"),
                "guarded": _("  haplotype seen {count} time(s) in {total} of the database; guarded discrete "
                             "Laplace frequency {bound:.6g}"),
            }.get(method, _("  haplotype seen {count} time(s) in {total} of the database; {level} upper bound "
                            "{bound:.6g}"))
            typer.echo(seen.format(count=line["count"], total=line["total"], level="95%",
                                   bound=line["frequency_bound"]))
        for c in line["comparisons"]:
            diffs = "; ".join(c["differences"]) or _("identical")
            if c["status"] == "mutation":
                diffs = _("{differences}; probability {probability:.3g} under the mutation model").format(
                    differences=diffs, probability=c["probability"])
            typer.echo("  " + _("{relative} ({relationship}, {meioses} meioses): {status} ({differences})").format(
                relative=c["relative_id"], relationship=c["relationship"], meioses=c["meioses"],
                status=c["status"], differences=diffs))
        if key == "y" and d.get("clan"):
            others = ", ".join(f"{o['victim_id']} ({o['victim_name']})" for o in d["clan"])
            typer.echo(printable("  " + _("Clan: the same Y haplotype is on the paternal line of {others}; the "
                                          "Y-STR LR alone cannot tell them apart, and the posterior splits between "
                                          "them unless other evidence differs").format(others=others)))
    if d.get("snp"):
        snp = d["snp"]
        typer.echo("")
        typer.echo(_("SNPs: population {population}, {calls:,} calls compared, LR {lr} (epsilon {epsilon:g}, "
                     "{selection} model); it stands for the autosomal STR LR in the combined LR").format(
            population=snp["population"], calls=snp["calls_compared"], lr=_lr(10 ** min(snp["log10_lr"], 300.0)),
            epsilon=snp["epsilon"], selection=snp["selection"]))
    typer.echo("")
    typer.echo(_("Autosomal LR {autosomal}; combined LR {combined}").format(
        autosomal=_lr(d["autosomal_lr"]), combined=_lr(d["lr"])))
    typer.echo(_("Posterior {posterior}: closed set over the N = {n} expected victims ({compared} compared for "
                 "this specimen, the others with LR 1)").format(
        posterior=_p(d["posterior"]), n=d["prior_n"], compared=d["compared"]))
    typer.echo(_("Remainder {remainder}: a victim with no usable relatives").format(remainder=_p(d["remainder"])))
    if d["open_prior"]:
        typer.echo(_open_line(d))
    for other in d["indistinguishable"]:
        typer.echo(_("The DNA cannot tell {victim} from {other} ({name}): the same LR, so they split the "
                     "posterior ({other}: {posterior})").format(
            victim=d["victim_id"], other=other["victim_id"], name=other["victim_name"],
            posterior=_p(other["posterior"])))
    if d["excluded"]:
        typer.echo(_("Excluded at: {markers}").format(markers=", ".join(d["excluded"])))
    if d["decision"]:
        typer.echo(printable(_decision_line(d["decision"])))


def _open_line(d: dict[str, Any]) -> str:
    return _("Open share {share}: none of the {n} (--open {open:g})").format(
        share=_p(d["open_share"]), n=d["prior_n"], open=d["open_prior"])


def _mendel_line(inconsistent: list[str], explained: list[str]) -> str:
    line = _("Inconsistent with the pedigree without mutation: {n} marker(s) ({markers})").format(
        n=len(inconsistent), markers=", ".join(inconsistent))
    if explained:
        line += _("; the mutation model explains {markers}").format(markers=", ".join(explained))
    if len(inconsistent) > 1:
        line += _("; more than one: check for a mix-up or a wrong relationship")
    return line


def _decision_line(dec: dict[str, Any]) -> str:
    """'Decision: confirmed on 2026-01-10 by board — note', each part only when known."""
    status, on, by = dec["status"], dec["decided_on"], dec["decided_by"]
    if on and by:
        line = _("Decision: {status} on {date} by {who}").format(status=status, date=on, who=by)
    elif on:
        line = _("Decision: {status} on {date}").format(status=status, date=on)
    elif by:
        line = _("Decision: {status} by {who}").format(status=status, who=by)
    else:
        line = _("Decision: {status}").format(status=status)
    return f"{line} — {dec['notes']}" if dec["notes"] else line


def _decide(ctx: typer.Context, specimen: str, victim: str, status: str, by: str, note: str | None,
            override: str | None = None, *, as_json: bool = False) -> None:
    from chosei.services.decisions import decide

    st = state(ctx)
    with st.session(write=True) as s:
        result = decide(s, specimen, victim, status, by, note, override=override)
    row = result.identification
    values = {"specimen": row.specimen_id, "victim": row.victim_id, "previous": result.previous,
              "lr": _lr(row.lr), "posterior": _p(row.posterior), "by": row.decided_by, "on": row.decided_on}
    if status == "confirmed":
        line = (_("Confirmed: specimen {specimen} is victim {victim} (was {previous}); LR {lr}, posterior "
                  "{posterior}; decided by {by} on {on}") if result.previous else
                _("Confirmed: specimen {specimen} is victim {victim}; LR {lr}, posterior {posterior}; "
                  "decided by {by} on {on}"))
    else:
        line = (_("Rejected: specimen {specimen} is not victim {victim} (was {previous}); LR {lr}, posterior "
                  "{posterior}; decided by {by} on {on}") if result.previous else
                _("Rejected: specimen {specimen} is not victim {victim}; LR {lr}, posterior {posterior}; "
                  "decided by {by} on {on}"))
    lines = [line.format(**values)]
    if row.override:
        lines.append(_("Override: {reason}").format(reason=row.override))
    emit_result(st, {**added("identification", row, exclude=("id",)), "previous": result.previous},
                [printable(line) for line in lines], as_json=as_json)
    for warning in result.warnings:
        typer.echo(_("Warning: {warning}").format(warning=warning), err=True)


@app.command("confirm")
def confirm(
    ctx: typer.Context, specimen: Specimen, victim: Victim, by: By, note: Note = None,
    override: Annotated[str | None, typer.Option(
        "--override", help="Why people confirm a pair the DNA excludes or whose posterior is below 0.5; "
        "recorded and listed by `chosei check`.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that people confirmed the identification: the specimen is this victim.

    Needs a computed match; the pair's LR and posterior are recomputed from the store
    with the run's parameters and recorded (a stored row that disagrees is refused:
    exit 7 if the run's results were changed by hand, exit 4 if the store changed since
    the run). A pair the DNA excludes or with a posterior below 0.5 needs --override.
    One confirmed victim per specimen. Recorded in the audit log; the victim's remains
    stage becomes "identified".

    Example: chosei match confirm SP-001 CH-105 --by "KR-JP joint review board" --note "2 relatives"
    """
    _decide(ctx, specimen, victim, "confirmed", by, note, override, as_json=as_json)


@app.command("reject")
def reject(ctx: typer.Context, specimen: Specimen, victim: Victim, by: By, note: Note = None,
           as_json: JsonOpt = False) -> None:
    """Record that people rejected a candidate (or withdrew a confirmation).

    Example: chosei match reject SP-007 CH-058 --by "review board" --note "common Y haplotype"
    """
    _decide(ctx, specimen, victim, "rejected", by, note, as_json=as_json)


@app.command("assign")
def assign(
    ctx: typer.Context,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", help="LR of an undisputed identification, and the factor by which every rival must be "
        "weaker (default: the run's candidate threshold).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The joint view of commingled remains: per DNA group (or specimen), the most probable
    victim such that no man gets two of a bone he has once (two crania, two left femurs),
    the conflicts between the separate best choices, and the undisputed identifications.
    Reads the stored run; changes nothing. The model and its limits: docs/kinship.md.

    Example: chosei match assign --threshold 10000 --json
    """
    from chosei.services.match_assign import joint_assignment

    st = state(ctx)
    with st.session() as s:
        data = joint_assignment(s, threshold)
    if as_json:
        banner(st, as_json=True)
        emit_json(data)
        return
    banner(st)
    rows = []
    for u in data["units"]:
        best, got = u["best"], u["assigned"]
        rows.append({"unit": u["unit"], "specimens": ", ".join(u["specimens"]), "bones": ", ".join(u["bones"]) or "-",
                     "victim": got["victim_id"] if got else "-", "lr": _lr(got["lr"]) if got else "-",
                     "posterior": _p(got["posterior"]) if got else "-",
                     "alone": best["victim_id"] if best and best != got else "",
                     "undisputed": _("yes") if u["undisputed"] else ""})
    emit_table(rows, ["unit", "specimens", "bones", "victim", "lr", "posterior", "alone", "undisputed"],
               title=_("Joint assignment (alone: the unit's best victim when it differs; undisputed from LR "
                       "{threshold:,.0f})").format(threshold=data["threshold"]), empty=_("no units"))
    for c in data["conflicts"]:
        typer.echo(_("Conflict: {victim} is the best victim of {units}, each holding a {bone}").format(
            victim=c["victim_id"], units=", ".join(c["units"]), bone=c["bone"]))
    typer.echo(_("{assigned} of {units} unit(s) assigned; {undisputed} undisputed; {conflicts} conflict(s)").format(
        assigned=data["assigned"], units=len(data["units"]), undisputed=data["undisputed"],
        conflicts=len(data["conflicts"])))


@app.command("reassociate")
def reassociate(
    ctx: typer.Context,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="Direct-match LR from which two specimens are one person (default 1e6).")] = 1e6,
    population: Annotated[str | None, typer.Option(
        "--population", help="Frequency table (default: the only one, or the most victims' nationality).")] = None,
    theta: Annotated[float, typer.Option("--theta", help="Subpopulation correction (default 0).")] = 0.0,
    dropout: Annotated[str, typer.Option(
        "--dropout", help="Specimens' allele dropout probability: auto (default; estimated per specimen) or a "
        "number; 0 turns the dropout model off.")] = "auto",
    drop_in: Annotated[float | None, typer.Option(
        "--drop-in", help="Drop-in rate per marker (default 0.05).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Group specimens whose profiles match each other directly into individuals (DNA
    groups); `chosei status` then counts at least as many individuals as groups.

    Example: chosei match reassociate --threshold 1e6
    """
    from chosei.services.reassociation import reassociate as regroup

    st = state(ctx)
    with st.session(write=True) as s:
        summary = regroup(s, threshold=threshold, population=population, theta=theta,
                          dropout=dropout_option(dropout), drop_in=drop_in)
    if as_json:
        from dataclasses import asdict

        emit_result(st, {**asdict(summary), "individuals": summary.individuals}, [], as_json=True)
    else:
        _show_groups(st, summary)
    for sid in summary.left_out:
        typer.echo(_("Warning: specimen {specimen} has no autosomal profile: left out").format(specimen=sid),
                   err=True)
    for text in summary.conflicts:
        typer.echo(_("Warning: conflict: {conflict}; review this group").format(conflict=text), err=True)


def _show_groups(st: Any, summary: Any) -> None:
    banner(st)
    several = [g for g in summary.groups if len(g["specimens"]) > 1]
    typer.echo(_("{individuals} individual(s) among the profiled specimens: {groups} group(s) of several "
                 "specimens, {single} single (population {population}, link from LR {threshold:.3g})").format(
        individuals=summary.individuals, groups=len(several), single=summary.individuals - len(several),
        population=summary.population, threshold=summary.threshold))
    for g in several:
        typer.echo("")
        typer.echo(f"{g['group_id']}: {', '.join(g['specimens'])}")
        for link in g["links"]:
            typer.echo("  " + _("{a} = {b}: LR {lr:.3e}, random match probability {rmp:.3e} ({markers} markers)")
                       .format(a=link["a"], b=link["b"], lr=link["lr"], rmp=link["random_match_probability"],
                               markers=link["markers"]))
    typer.echo("")
    typer.echo(_("DNA groups stored: {created} new, {changed} changed, {removed} removed").format(
        created=summary.created, changed=summary.changed, removed=summary.removed))
