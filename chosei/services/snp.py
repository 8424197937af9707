"""Dense SNP data in the store: population tables, samples' calls, and arrays for matching.

Imports are all-or-nothing (the command's transaction): every line and every sample is
checked before anything is written. One audit entry per population table and per
sample import carries a SHA-256 digest of what was stored, never the calls.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from chosei import audit, bulk
from chosei.errors import AlreadyExists, InvalidInput, NotFound
from chosei.i18n import _
from chosei.kinship.snp_lr import SnpMap
from chosei.models import Sample, SnpCalls, SnpPanel, SnpSite
from chosei.snp.tables import read_map, read_sample_map, read_site_table, with_map
from chosei.snp.vcf import read_vcf

CM_PER_MB = 1.0
"""Map positions where a table has no cM: 1 cM per megabase, the human genome average."""

_SITE_COLUMNS = ("population", "chrom", "pos", "snp_id", "ref", "alt", "af", "cm")


def _population(population: str) -> str:
    pop = (population or "").strip()
    if not pop or len(pop) > 32:
        raise InvalidInput(_("--population must name a population table, e.g. KR or JP (at most 32 characters)"))
    return pop


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_frequencies(session: Session, path: Path, population: str, map_path: Path | None = None) -> dict[str, Any]:
    """Replace population `population`'s SNP table with the sites of `path` (and `map_path`'s cM)."""
    pop = _population(population)
    sites = read_site_table(path)
    if map_path is not None:
        sites = with_map(sites, read_map(map_path), map_path.name)
    rows = [(pop, s.chrom, s.pos, s.snp_id, s.ref, s.alt, s.af, s.cm) for s in sites]
    digest = _digest(repr(rows).encode())
    before = session.exec(select(SnpSite.id).where(SnpSite.population == pop).limit(1)).first()
    old = _table_digest(session, pop) if before is not None else None
    session.execute(delete(SnpSite).where(col(SnpSite.population) == pop))
    bulk.insert(session.connection(), SnpSite.__tablename__, _SITE_COLUMNS, rows)
    with_cm = sum(s.cm is not None for s in sites)
    after = {"sites": len(rows), "with_cm": with_cm, "digest": digest, "file": path.name}
    audit.record(session, [audit.Change("import", "snp_site", pop, old, after)])
    return {"population": pop, "sites": len(rows), "with_cm": with_cm, "replaced": old is not None}


def _table_digest(session: Session, pop: str) -> dict[str, Any]:
    rows = [
        tuple(r)
        for r in session.exec(select(*_site_columns()).where(SnpSite.population == pop).order_by(col(SnpSite.id)))
    ]
    return {"sites": len(rows), "digest": _digest(repr(rows).encode())}


def _site_columns():
    return tuple(getattr(SnpSite, c) for c in _SITE_COLUMNS)


@dataclass(frozen=True)
class PopulationSites:
    """A population's SNP table in map order, as the kinship engine reads it."""

    keys: tuple[str, ...]  # chrom:pos:ref:alt
    snps: SnpMap


def population_sites(session: Session, population: str) -> PopulationSites:
    """The autosomal sites of `population`'s table, by chromosome and map position."""
    pop = _population(population)
    # SQLAlchemy's select: SQLModel's is typed for at most four columns
    rows = session.execute(
        sa_select(col(SnpSite.chrom), col(SnpSite.pos), col(SnpSite.ref), col(SnpSite.alt), col(SnpSite.af),
                  col(SnpSite.cm))
        .where(col(SnpSite.population) == pop)
    ).all()
    if not rows:
        raise NotFound(
            _("no SNP table for population {pop!r}; load one with `chosei snp frequencies FILE --population "
              "{pop}`").format(pop=pop)
        )
    # autosomes only: X and Y SNPs follow other inheritance (and the lineage LRs read them)
    rows = [r for r in rows if r[0].isdigit() and 1 <= int(r[0]) <= 22]
    if not rows:
        raise NotFound(_("the SNP table for population {pop!r} lists no autosomal SNP (chromosomes 1-22)").format(
                           pop=pop))
    rows = sorted(rows, key=lambda r: (_chrom_order(r[0]), r[5] if r[5] is not None else r[1] / 1e6 * CM_PER_MB, r[1]))
    cm = np.array([r[5] if r[5] is not None else r[1] / 1e6 * CM_PER_MB for r in rows])
    snps = SnpMap(np.array([r[0] for r in rows]), cm, np.array([r[4] for r in rows]))
    return PopulationSites(tuple(f"{r[0]}:{r[1]}:{r[2]}:{r[3]}" for r in rows), snps)


def _chrom_order(chrom: str) -> tuple[int, str]:
    return (int(chrom), "") if chrom.isdigit() else (10**6, chrom)


def import_vcf(
    session: Session,
    path: Path,
    population: str,
    *,
    sample_map: Path | None = None,
    replace: bool = False,
    min_gq: float | None = None,
    min_dp: float | None = None,
) -> dict[str, Any]:
    """Store the SNP calls of every sample of `path` on the sites `population`'s table lists."""
    table = population_sites(session, population)
    vcf = read_vcf(path, min_gq=min_gq, min_dp=min_dp)
    names = read_sample_map(sample_map) if sample_map is not None else {}
    if sample_map is not None:
        unmapped = [s for s in vcf.samples if s not in names]
        if unmapped:
            raise InvalidInput(_("{sample_map_name}: VCF sample {unmapped!r} is not in the sample map").format(
                                   sample_map_name=sample_map.name, unmapped=unmapped[0]))
    ids = [names.get(s, s) for s in vcf.samples]
    if len(set(ids)) != len(ids):
        raise InvalidInput(
            _("{path_name}: two VCF samples map to Sample ID {next!r}").format(
                path_name=path.name, next=next(i for i in ids if ids.count(i) > 1))
        )
    known = set(session.exec(select(Sample.id).where(col(Sample.id).in_(ids))).all())
    for column, sid in zip(vcf.samples, ids, strict=True):
        if sid not in known:
            where = _(" (VCF column {column!r})").format(column=column) if column != sid else ""
            raise NotFound(
                _("{path_name}: no sample with ID {sid!r}{where}; add it or map the lab name with --sample-map").format(
                    path_name=path.name, sid=sid, where=where)
            )
    # align the VCF's sites with the table's; a REF/ALT swap is the same SNP counted the other way
    index = {k: i for i, k in enumerate(table.keys)}
    take, flip, positions = [], [], []
    unknown = 0
    for j, site in enumerate(vcf.sites):
        i = index.get(f"{site.chrom}:{site.pos}:{site.ref}:{site.alt}")
        swapped = i is None
        if swapped:
            i = index.get(f"{site.chrom}:{site.pos}:{site.alt}:{site.ref}")
        if i is None:
            unknown += 1
            continue
        take.append(j)
        flip.append(swapped)
        positions.append(i)
    if not take:
        raise InvalidInput(_("{path_name}: none of its biallelic SNPs is in population {population!r}'s table").format(
                               path_name=path.name, population=population))
    order = np.argsort(positions)
    take_a, flip_a = np.asarray(take)[order], np.asarray(flip)[order]
    calls = vcf.calls[:, take_a]
    calls = np.where(flip_a[None, :] & (calls >= 0), 2 - calls, calls).astype(np.int8)
    site_text = "\n".join(table.keys[positions[k]] for k in order).encode()
    panel_id = _digest(site_text)[:16]
    if session.get(SnpPanel, panel_id) is None:
        session.add(SnpPanel(id=panel_id, n_sites=len(take), sites=site_text))
    existing = {
        (c.sample_id, c.panel_id): c for c in session.exec(select(SnpCalls).where(col(SnpCalls.sample_id).in_(ids)))
    }
    changes, written, unchanged = [], 0, 0
    for row, sid in enumerate(ids):
        data = calls[row].tobytes()
        digest = _digest(panel_id.encode() + data)
        called = int((calls[row] >= 0).sum())
        others = [c for (s, _), c in existing.items() if s == sid]
        same = existing.get((sid, panel_id))
        if same is not None and same.digest == digest:
            unchanged += 1
            continue
        if others and not replace:
            raise AlreadyExists(
                _("{path_name}: sample {sid!r} already holds different SNP calls; pass --replace to replace "
                  "them").format(
                    path_name=path.name, sid=sid)
            )
        before = {"panel": others[0].panel_id, "digest": others[0].digest} if others else None
        for old in others:
            session.delete(old)
        session.flush()
        session.add(
            SnpCalls(sample_id=sid, panel_id=panel_id, calls=data, n_called=called, digest=digest, source=path.name)
        )
        after = {"panel": panel_id, "sites": len(take), "called": called, "digest": digest, "file": path.name}
        changes.append(audit.Change("import", "snp_calls", sid, before, after))
        written += 1
    session.flush()
    audit.record(session, changes)
    return {
        "file": path.name,
        "population": _population(population),
        "samples": len(ids),
        "written": written,
        "unchanged": unchanged,
        "sites": len(take),
        "skipped_multiallelic": vcf.skipped_multiallelic,
        "skipped_not_snp": vcf.skipped_not_snp,
        "skipped_not_in_table": unknown,
        "filtered_calls": vcf.filtered_calls,
    }


def sample_snp_summary(session: Session, sample_id: str) -> list[dict[str, Any]]:
    """One line per panel of a sample's SNP calls: panel, sites, called, missing rate."""
    if session.get(Sample, sample_id) is None:
        raise NotFound.for_id("sample", sample_id, session.exec(select(Sample.id)).all())
    rows = session.exec(
        select(SnpCalls.panel_id, SnpCalls.n_called, SnpPanel.n_sites, SnpCalls.source)
        .join(SnpPanel, col(SnpPanel.id) == SnpCalls.panel_id)
        .where(SnpCalls.sample_id == sample_id)
        .order_by(SnpCalls.panel_id)
    ).all()
    return [
        {"panel": p, "sites": n, "called": c, "missing_rate": round(1 - c / n, 4), "file": src} for p, c, n, src in rows
    ]


def calls_on(session: Session, sample_ids: list[str], table: PopulationSites) -> dict[str, np.ndarray]:
    """Each sample's calls aligned with `table` (-1 where its panels do not reach)."""
    index = {k: i for i, k in enumerate(table.keys)}
    panels: dict[str, np.ndarray] = {}
    out: dict[str, np.ndarray] = {}
    rows = session.exec(
        select(SnpCalls.sample_id, SnpCalls.panel_id, SnpCalls.calls).where(col(SnpCalls.sample_id).in_(sample_ids))
    )
    for sid, panel_id, data in rows:
        if panel_id not in panels:
            panel = session.get(SnpPanel, panel_id)
            assert panel is not None
            panels[panel_id] = np.array([index.get(k, -1) for k in panel.sites.decode().split("\n")])
        where = panels[panel_id]
        target = out.setdefault(sid, np.full(len(table.keys), -1, dtype=np.int8))
        values = np.frombuffer(data, dtype=np.int8)
        ok = (where >= 0) & (values >= 0)
        target[where[ok]] = values[ok]
    return out
