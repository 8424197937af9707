"""A tiny store for power: one frequency table of 23 markers, one victim, one relative."""

from __future__ import annotations

from typing import Any

from chosei.models import AlleleFrequency, ConsentEvent, Genotype, Relative, Sample, Victim

MARKERS = (
    "D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51", "D2S441",
    "D19S433", "TH01", "FGA", "D22S1045", "D5S818", "D13S317", "D7S820", "SE33",
    "D10S1248", "D1S1656", "D12S391", "D2S1338", "Penta E", "Penta D",
)
ALLELES = ("10", "11", "12", "13", "14", "15", "16", "17")
FREQS = (0.05, 0.1, 0.2, 0.25, 0.15, 0.1, 0.1, 0.05)
# The relative's genotypes: mostly of common alleles, as most people's are.
GENOTYPES = (("12", "13"), ("13", "14"), ("11", "13"), ("12", "14"), ("13", "13"),
             ("12", "15"), ("10", "13"), ("14", "16"))


def power_rows(relationship: str, *, markers: int = 23, y: str | None = None,
               extra: tuple[Any, ...] = ()) -> list[Any]:
    rows: list[Any] = [
        AlleleFrequency(population="KR", marker=m, allele=a, frequency=p, sample_size=500)
        for m in MARKERS for a, p in zip(ALLELES, FREQS, strict=True)
    ]
    rows += [
        Victim(id="V-1", nationality="KR", name_hangul="가상인", sex="M"),
        Relative(id="R-1", victim_id="V-1", relationship=relationship),
        ConsentEvent(relative_id="R-1", scope="analysis"),
        Sample(id="S-1", relative_id="R-1", status="profiled"),
    ]
    for i, marker in enumerate(MARKERS[:markers]):
        a, b = GENOTYPES[i % len(GENOTYPES)]
        rows.append(Genotype(sample_id="S-1", marker=marker, allele1=a, allele2=b))
    return [*rows, *extra]
