"""`chosei snp`: dense SNP data -- population tables and maps, samples' calls from VCF."""

from pathlib import Path
from typing import Annotated

import typer

from chosei.cli._app import JsonOpt, banner, emit_json, emit_record, emit_result, emit_table, new_app, state
from chosei.i18n import _

app = new_app("Dense SNP data (kinship panels such as ForenSeq Kintelligence): tables, maps and calls.")

PopulationOpt = Annotated[str, typer.Option(
    "--population", help="The population table the SNPs are weighed with: KR or JP.")]


@app.command("frequencies")
def frequencies(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=(
        "Tab/comma text with chrom, pos, ref, alt, af (and id, cm), or a VCF with INFO/AF."))],
    population: PopulationOpt,
    genetic_map: Annotated[Path | None, typer.Option(
        "--map", metavar="MAP", help="A genetic map (chrom, pos, cm) giving every site's cM.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Load (or replace) a population's SNP table: ALT frequencies and map positions.

    Sites without cM are placed at 1 cM per megabase. One audit entry records the
    table's digest.

    Example: chosei snp frequencies kr_snps.tsv --population KR --map kr_map.tsv
    """
    from chosei.services.snp import import_frequencies

    st = state(ctx)
    with st.session(write=True) as s:
        result = import_frequencies(s, file, population, genetic_map)
    line = (_("replaced SNP table {population}: {sites} sites, {with_cm} with cM") if result["replaced"]
            else _("loaded SNP table {population}: {sites} sites, {with_cm} with cM"))
    emit_result(st, result, [line.format(population=result["population"], sites=result["sites"],
                                         with_cm=result["with_cm"])], as_json=as_json)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A VCF 4.x file, plain or .gz.")],
    population: PopulationOpt,
    sample_map: Annotated[Path | None, typer.Option(
        "--sample-map", metavar="TSV", help="Lab sample name<TAB>chosei Sample ID, one a line.")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace samples' existing, different SNP calls.")] = False,
    min_gq: Annotated[float | None, typer.Option(
        "--min-gq", help="Treat calls with GQ below this as no call (where GQ is given).")] = None,
    min_dp: Annotated[float | None, typer.Option(
        "--min-dp", help="Treat calls with DP below this as no call (where DP is given).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import SNP calls (the GT field) for existing samples: all of them or none.

    VCF sample names are chosei Sample IDs unless --sample-map says otherwise. Sites
    with several ALT alleles, indels and sites not in the population's table are
    skipped and counted.

    Example: chosei snp import kintelligence_run7.vcf.gz --population KR --min-gq 20
    """
    from chosei.services.snp import import_vcf

    st = state(ctx)
    with st.session(write=True) as s:
        result = import_vcf(s, file, population, sample_map=sample_map, replace=replace, min_gq=min_gq, min_dp=min_dp)
    if as_json:
        banner(st, as_json=True)
        emit_json(result)
        return
    banner(st)
    emit_record(result, title=_("SNP import of {file}").format(file=result["file"]))


@app.command("show")
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The sample's ID.")],
    as_json: JsonOpt = False,
) -> None:
    """Summarise a sample's SNP calls: panel, sites, calls made, missing rate.

    Example: chosei snp show S-001
    """
    from chosei.services.snp import sample_snp_summary

    st = state(ctx)
    with st.session() as s:
        rows = sample_snp_summary(s, ident)
    if as_json:
        banner(st, as_json=True)
        emit_json(rows)
        return
    banner(st)
    emit_table(rows, ["panel", "sites", "called", "missing_rate", "file"],
               title=_("SNP calls of {id}").format(id=ident), empty=_("no SNP calls"))
