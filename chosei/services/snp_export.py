"""The SNP calls an export may carry, as a VCF beside the workbook (`export --snp-vcf`).

Never in the workbook: ten thousand calls per sample belong in the format the labs
read. Which samples go is the export profile's rule, computed once by the workbook
writer (`ExportContext.hidden_samples`, built on `stages.consent_in_effect`): `full`
every sample with calls; `lab` and `partner` leave out the samples of relatives whose
consent does not cover the export (analysis, resp. sharing with the partner agency),
and samples that belong to no specimen and no relative. VCF sample names are Sample
IDs, which are blind codes already. Sites are the union of the exported samples'
panels, REF/ALT as the store holds them, so `snp import` of the file into a store with
the same SNP table gives back the same calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlmodel import Session, col, select

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.models import Sample, SnpCalls, SnpPanel
from chosei.snp.vcf import Site, write_vcf

SUFFIXES = (".vcf", ".vcf.gz")


@dataclass(frozen=True)
class SnpExport:
    samples: int
    sites: int
    withheld: int  # samples with calls the profile may not carry


def check_vcf_target(path: Path) -> None:
    """Refuse a name that is not a .vcf or .vcf.gz file, before anything is written."""
    if not path.name.lower().endswith(SUFFIXES):
        raise InvalidInput(_("--snp-vcf must name a .vcf or .vcf.gz file, not {path_name}").format(
                               path_name=path.name))


def export_snp_vcf(session: Session, target: Path, into: Path, profile: str,
                   hidden_samples: frozenset[str]) -> SnpExport:
    """Write the SNP calls `profile` may carry to `into` (the temporary file of `target`)."""
    check_vcf_target(target)
    owned = {sid: bool(spec or rel) for sid, spec, rel in session.exec(
        select(Sample.id, Sample.specimen_id, Sample.relative_id)
        .where(col(Sample.id).in_(select(SnpCalls.sample_id))))}
    keep = sorted(sid for sid, has_owner in owned.items()
                  if sid not in hidden_samples and (has_owner or profile == "full"))
    if not keep:
        held = _(" ({n_owned} sample(s) with calls are withheld by the {profile} profile)").format(
                   n_owned=len(owned), profile=profile) if owned else ""
        raise InvalidInput(_("there are no SNP calls to export{held}; leave out --snp-vcf").format(held=held))
    rows = session.exec(
        select(SnpCalls.sample_id, SnpCalls.panel_id, SnpCalls.calls)
        .where(col(SnpCalls.sample_id).in_(keep)).order_by(SnpCalls.sample_id, SnpCalls.panel_id)).all()
    panels = {p.id: p.sites.decode().split("\n") for p in session.exec(
        select(SnpPanel).where(col(SnpPanel.id).in_({r[1] for r in rows})))}
    keys = sorted({k for sites in panels.values() for k in sites}, key=_site_order)
    index = {k: i for i, k in enumerate(keys)}
    calls = np.full((len(keep), len(keys)), -1, dtype=np.int8)
    row_of = {sid: i for i, sid in enumerate(keep)}
    where_of = {pid: np.array([index[k] for k in sites]) for pid, sites in panels.items()}
    for sid, panel_id, data in rows:  # a second panel fills only what the first left uncalled
        where = where_of[panel_id]
        values = np.frombuffer(data, dtype=np.int8)
        target_row = calls[row_of[sid]]
        fill = (values >= 0) & (target_row[where] < 0)
        target_row[where[fill]] = values[fill]
    sites = [Site(c, int(p), None, ref, alt) for c, p, ref, alt in (k.split(":") for k in keys)]
    write_vcf(into, keep, sites, calls, compress=target.name.lower().endswith(".gz"))
    return SnpExport(len(keep), len(keys), len(owned) - len(keep))


def _site_order(key: str) -> tuple[int, str, int, str]:
    chrom, pos, ref, alt = key.split(":")
    return (int(chrom), "", int(pos), ref + alt) if chrom.isdigit() else (10**6, chrom, int(pos), ref + alt)
