"""`chosei match run` Y-STR options: the mutation model over several steps, --y-rates,
--y-rate2, --y-frequency; `match show` recomputes with the run's Y settings.

The scene's V-003 has a brother's son R-004 (3 meioses) typed DYS19=15, DYS390=23; the
specimen SP-004 the same; the Y database holds DYS19=14;DYS390=23 x 100 (0 of 100: the
counting bound 0.036216693; at the defaults, Brenner's kappa frequency `scene.Y_FREQUENCY`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from chosei.kinship.y_mutation import YMutation
from chosei.models import Genotype
from tests.cli.storeview import writing
from tests.match import scene

# the defaults' frequencies (Brenner's kappa for a haplotype in no database)
KAPPA = "kappa if unseen, else counting bound; mtDNA frequency kappa if unseen, else counting bound"

RUN = "match run --mutation none --threshold 100"
BOUND = scene.Y_FREQUENCY


def _pair(cli) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(cli("match list --all --specimen SP-004 --victim V-003 --json").stdout)[0]


def _dys19(case: str, allele: str) -> None:
    with writing(case) as s:
        row = s.execute(select(Genotype).where(Genotype.sample_id == "SS-004", Genotype.marker == "DYS19")
                        ).scalar_one()
        row.allele1 = allele


def test_two_steps_three_meioses_is_a_mutation_lr_not_an_exclusion(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _dys19(case, "17")
    cli(RUN)
    expected = YMutation().probability("DYS19", "17", "15", 3) / BOUND
    assert _pair(cli)["y_lr"] == pytest.approx(expected, rel=1e-7)
    assert 0 < expected < 1  # a two-step difference three meioses away weighs against, without excluding
    out = cli("match show SP-004 V-003").stdout
    probability = YMutation().probability("DYS19", "17", "15", 3)
    assert f"{probability:.3g}" == "0.000159"  # about 3 a2 s^2 + 3 a1^2 s (s: no mutation)
    assert ("  R-004 (brother's son, 3 meioses): mutation (DYS19: 17 vs 15; probability 0.000159 under the "
            "mutation model)\n") in out
    assert "the store changed" not in out


def test_y_rates_from_a_file_replace_the_published_ones(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _dys19(case, "16")
    rates = tmp_path / "rates.csv"
    rates.write_text("locus,rate\nDYS19,0.01\n", encoding="utf-8")
    out = cli(f"{RUN} --y-rates {rates}").stdout
    assert "Y-STR: published per-locus rates (1 replaced), rate2 1e-05, frequency " + KAPPA + "\n" in out
    expected = YMutation(rates={"DYS19": 0.01}).probability("DYS19", "16", "15", 3) / BOUND
    assert _pair(cli)["y_lr"] == pytest.approx(expected, rel=1e-7)
    shown = json.loads(cli("match show SP-004 V-003 --json").stdout)
    assert shown["y"]["lr"] == pytest.approx(_pair(cli)["y_lr"], rel=1e-12) and shown["notes"] == []
    cli(RUN)  # the published DYS19 rate, 2.2e-3: a smaller LR
    assert _pair(cli)["y_lr"] == pytest.approx(YMutation().probability("DYS19", "16", "15", 3) / BOUND, rel=1e-7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("DYS19;0.01\n", "--y-rates rates.csv, line 1: write a locus and its rate, e.g. DYS570,0.0114"),
        ("DYS19,fast\n", "--y-rates rates.csv, line 1: 'fast' is not a rate; write e.g. 0.0114"),
        ("locus,rate\nDYS19,0.6\n", "--y-rates rates.csv, line 2: the rate of DYS19 must be at least 0 and below "
                                    "0.5, not 0.6"),
        ("DYS19,0.01\ndys 19,0.02\n", "--y-rates rates.csv, line 2: dys 19 is listed twice; keep one"),
        ("locus,rate\n", "--y-rates rates.csv lists no locus; write one `locus,rate` per line"),
        ("latin-1", "--y-rates rates.csv is not UTF-8 text; save it as CSV (UTF-8)"),
    ],
)
def test_bad_y_rates_are_refused(case: str, cli, tmp_path: Path, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    rates = tmp_path / "rates.csv"
    rates.write_bytes(text.encode("utf-8") if text != "latin-1" else "DYS19,0.01\nDYSé,0.02\n".encode("latin-1"))
    result = cli(f"{RUN} --y-rates {rates}", expect=1)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(cli("match list --all --json").stdout) == []  # nothing was run


def test_rate2_explains_a_microvariant_change(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _dys19(case, "15.2")
    cli(RUN)
    assert _pair(cli)["y_lr"] == pytest.approx(YMutation().probability("DYS19", "15.2", "15", 3) / BOUND, rel=1e-7)
    cli(f"{RUN} --y-rate2 0")
    assert (_pair(cli)["y_lr"], _pair(cli)["excluded_markers"]) == (0, ["Y-STR"])
    assert "--y-rate2 must be at least 0 and below 0.5, not 0.7" in cli(f"{RUN} --y-rate2 0.7", expect=1).stderr


def test_disclap_frequency(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """One haplotype in the database: one cluster at 14/23 with p at its floor 0.001, so
    DYS19=15 (one step off) has frequency ((1 - p) / (1 + p))^2 p."""
    scene.build(case)
    out = cli(f"{RUN} --y-frequency disclap").stdout
    assert ("Y-STR: published per-locus rates, rate2 1e-05, frequency discrete Laplace; mtDNA frequency kappa if "
            "unseen, else counting bound\n") in out
    p = 0.001
    freq = ((1 - p) / (1 + p)) ** 2 * p
    assert _pair(cli)["y_lr"] == pytest.approx(1 / freq, rel=1e-6)
    shown = cli("match show SP-004 V-003").stdout
    assert f"  haplotype seen 0 time(s) in 100 of the database; discrete Laplace frequency {freq:.6g}\n" in shown
    bad = cli(f"{RUN} --y-frequency guess", expect=1).stderr
    assert "--y-frequency 'guess' is unknown; choose one of: count, kappa, disclap, guarded" in bad


def _mt(case: str, sample: str, variants: str, ranges: str | None) -> None:
    with writing(case) as s:
        row = s.execute(select(Genotype).where(Genotype.sample_id == sample, Genotype.marker == "mtDNA")
                        ).scalar_one()
        row.allele1, row.allele2 = variants, ranges


def test_mtdna_ranges_and_heteroplasmy_from_the_store(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """SP-004 read over HV1 only, with a point heteroplasmy 16290Y; R-005 has 73G (HV2) too.
    Neither is a difference: a match, counted within HV1 with 16290 left out (the 999
    entries 16223T 16362C still differ at 16362: 1 of 1000, the scene's MT_LR)."""
    scene.build(case)
    _mt(case, "RS-005", "16223T 16290T 73G", None)
    cli(RUN)
    assert _pair(cli)["mt_lr"] == 1.0  # one difference (73G), inconclusive
    _mt(case, "SS-004", "16223T 16290Y", "16024-16365")
    cli(RUN)
    shown = json.loads(cli("match show SP-004 V-003 --json").stdout)["mt"]
    assert (shown["status"], shown["count"], shown["total"]) == ("match", 1, 1000)
    assert shown["lr"] == pytest.approx(scene.MT_LR, rel=1e-7)
    assert shown["comparisons"][0]["differences"] == []


def test_kappa_is_the_default_and_count_reproduces_the_numbers_before(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """At the defaults SP-004's Y haplotype (in no database) gets Brenner's frequency; with
    --y-frequency count the counting bound 0 of 100, as before kappa was the default. The
    mtDNA haplotype is seen (1 of 1000): the counting bound either way."""
    scene.build(case)
    cli(RUN)
    assert (_pair(cli)["y_lr"], _pair(cli)["mt_lr"]) == (pytest.approx(scene.Y_LR, rel=1e-9),
                                                         pytest.approx(scene.MT_LR, rel=1e-7))
    assert round(scene.Y_LR, 4) == 101.0253
    out = cli(f"{RUN} --y-frequency count --mt-frequency count").stdout
    assert "frequency counting bound; mtDNA frequency counting bound\n" in out
    assert _pair(cli)["y_lr"] == pytest.approx(scene.Y_COUNT_LR, rel=1e-7)
    shown = json.loads(cli("match show SP-004 V-003 --json").stdout)
    assert (shown["y"]["frequency_method"], shown["y"]["lr"]) == ("count", pytest.approx(scene.Y_COUNT_LR, rel=1e-7))
    bad = cli(f"{RUN} --mt-frequency disclap", expect=1).stderr
    assert "--mt-frequency 'disclap' is unknown; choose one of: count, kappa" in bad


def test_results_stored_before_kappa_recompute_with_counting() -> None:
    from chosei.services.match_options import MatchOptions

    old = MatchOptions.from_parameters('{"theta": 0, "mutation": "none", "drop_in": 0.05}')
    assert (old.y_frequency, old.mt_frequency) == ("count", "count")
    new = MatchOptions.from_parameters(MatchOptions().parameters("KR", 183))
    assert (new.y_frequency, new.mt_frequency) == ("kappa", "kappa")
