"""Reading a population's SNP table (ALT frequencies, optionally cM) and a genetic map.

A table is tab- or comma-separated text with a header naming the columns ``chrom``,
``pos``, ``ref``, ``alt``, ``af`` and optionally ``id`` and ``cm`` (any order, any
case); or a VCF whose INFO holds ``AF`` (and ``CM`` if it has map positions). A map is
text with ``chrom``, ``pos``, ``cm``. Every line is checked; an error names the line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.snp.vcf import BASES, normalise_chrom, open_text


@dataclass(frozen=True)
class SiteRow:
    chrom: str
    pos: int
    snp_id: str | None
    ref: str
    alt: str
    af: float
    cm: float | None


def read_site_table(path: Path) -> list[SiteRow]:
    """The sites of a frequency table or VCF with INFO/AF, in file order."""
    lines = _lines(path)
    if lines and lines[0][1].startswith("##fileformat=VCF"):
        return _from_vcf(path.name, lines)
    header, rows = _delimited(path.name, lines, required=("chrom", "pos", "ref", "alt", "af"))
    out: list[SiteRow] = []
    seen: dict[tuple[str, int], int] = {}
    for number, cells in rows:
        row = dict(zip(header, cells, strict=True))
        site = _site(
            path.name, number, row["chrom"], row["pos"], row.get("id"), row["ref"], row["alt"], row["af"], row.get("cm")
        )
        _once(path.name, number, site, seen)
        out.append(site)
    return _nonempty(path.name, out)


def read_map(path: Path) -> dict[tuple[str, int], float]:
    """{(chrom, pos): cM} of a genetic map file."""
    header, rows = _delimited(path.name, _lines(path), required=("chrom", "pos", "cm"))
    out: dict[tuple[str, int], float] = {}
    for number, cells in rows:
        row = dict(zip(header, cells, strict=True))
        chrom, pos = normalise_chrom(row["chrom"].strip()), _pos(path.name, number, row["pos"])
        out[(chrom, pos)] = _cm(path.name, number, row["cm"])
    if not out:
        raise InvalidInput(_("{path_name}: the map lists no position").format(path_name=path.name))
    return out


def with_map(sites: list[SiteRow], genetic_map: dict[tuple[str, int], float], name: str) -> list[SiteRow]:
    """`sites` with cM from `genetic_map`; every site must be on it."""
    out = []
    for site in sites:
        cm = genetic_map.get((site.chrom, site.pos))
        if cm is None:
            raise InvalidInput(
                _("{name}: site {site_chrom}:{site_pos} is not on the map; give a map covering every site").format(
                    name=name, site_chrom=site.chrom, site_pos=site.pos)
            )
        out.append(replace(site, cm=cm))
    return out


def read_sample_map(path: Path) -> dict[str, str]:
    """{lab name: Sample ID} of a two-column tab-separated file (no header)."""
    out: dict[str, str] = {}
    for number, line in _lines(path):
        cells = line.split("\t")
        if len(cells) != 2 or not cells[0].strip() or not cells[1].strip():
            raise InvalidInput(_("{path_name} line {number}: a sample map line is 'lab name<TAB>Sample ID'").format(
                                   path_name=path.name, number=number))
        if cells[0].strip() in out:
            raise InvalidInput(_("{path_name} line {number}: lab name {cells!r} is mapped twice").format(
                                   path_name=path.name, number=number, cells=cells[0].strip()))
        out[cells[0].strip()] = cells[1].strip()
    return out


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        with open_text(path) as stream:
            return [(n, raw.rstrip("\r\n")) for n, raw in enumerate(stream, start=1) if raw.strip()]
    except FileNotFoundError:
        raise InvalidInput(_("{path}: no such file").format(path=path)) from None
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        raise InvalidInput(_("{path_name}: not a readable text file ({error_class})").format(
                               path_name=path.name, error_class=exc.__class__.__name__)) from None


def _delimited(
    name: str, lines: list[tuple[int, str]], required: tuple[str, ...]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if not lines:
        raise InvalidInput(_("{name}: the file is empty").format(name=name))
    number, head = lines[0]
    sep = "\t" if "\t" in head else ","
    header = [h.strip().lower() for h in head.split(sep)]
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(_("{name} line {number}: the header lacks column(s) {missing}").format(
                               name=name, number=number, missing=', '.join(missing)))
    rows: list[tuple[int, list[str]]] = []
    for n, line in lines[1:]:
        cells = [c.strip() for c in line.split(sep)]
        if len(cells) != len(header):
            raise InvalidInput(_("{name} line {n}: {n_cells} fields; the header has {n_header}").format(
                                   name=name, n=n, n_cells=len(cells), n_header=len(header)))
        rows.append((n, cells))
    return header, rows


def _from_vcf(name: str, lines: list[tuple[int, str]]) -> list[SiteRow]:
    out: list[SiteRow] = []
    seen: dict[tuple[str, int], int] = {}
    for number, line in lines:
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 8:
            raise InvalidInput(_("{name} line {number}: a VCF data line needs at least 8 tab-separated fields").format(
                                   name=name, number=number))
        info = {key: value for key, _, value in (item.partition("=") for item in fields[7].split(";"))}
        if "AF" not in info:
            raise InvalidInput(_("{name} line {number}: INFO has no AF; the frequency VCF must give AF at every "
                                 "site").format(name=name, number=number))
        if "," in fields[4]:
            continue  # multi-allelic: not a site chosei weighs
        site = _site(name, number, fields[0], fields[1], fields[2], fields[3], fields[4], info["AF"], info.get("CM"))
        _once(name, number, site, seen)
        out.append(site)
    return _nonempty(name, out)


def _site(
    name: str, number: int, chrom: str, pos: str, snp_id: str | None, ref: str, alt: str, af: str, cm: str | None
) -> SiteRow:
    ref, alt = ref.strip().upper(), alt.strip().upper()
    if ref not in BASES or alt not in BASES or ref == alt:
        raise InvalidInput(_("{name} line {number}: ref {ref!r} and alt {alt!r} must be two different bases A, "
                             "C, G, T").format(name=name, number=number, ref=ref, alt=alt))
    try:
        freq = float(af)
    except ValueError:
        freq = math.nan
    if not 0.0 < freq < 1.0:
        raise InvalidInput(_("{name} line {number}: af {af!r} must be a number strictly between 0 and 1").format(
                               name=name, number=number, af=af))
    snp = (snp_id or "").strip()
    return SiteRow(
        normalise_chrom(chrom.strip()),
        _pos(name, number, pos),
        None if snp in ("", ".") else snp,
        ref,
        alt,
        freq,
        None if cm is None or cm.strip() in ("", ".") else _cm(name, number, cm),
    )


def _pos(name: str, number: int, text: str) -> int:
    try:
        pos = int(text)
    except ValueError:
        pos = 0
    if pos < 1:
        raise InvalidInput(_("{name} line {number}: pos {text!r} must be a whole number from 1").format(
                               name=name, number=number, text=text))
    return pos


def _cm(name: str, number: int, text: str) -> float:
    try:
        cm = float(text)
    except ValueError:
        cm = math.nan
    if not (math.isfinite(cm) and cm >= 0):
        raise InvalidInput(_("{name} line {number}: cm {text!r} must be a number of centiMorgans, 0 or more").format(
                               name=name, number=number, text=text))
    return cm


def _once(name: str, number: int, site: SiteRow, seen: dict[tuple[str, int], int]) -> None:
    key = (site.chrom, site.pos)
    if key in seen:
        raise InvalidInput(_("{name} line {number}: {site_chrom}:{site_pos} is also on line {seen}").format(
                               name=name, number=number, site_chrom=site.chrom, site_pos=site.pos, seen=seen[key]))
    seen[key] = number


def _nonempty(name: str, sites: list[SiteRow]) -> list[SiteRow]:
    if not sites:
        raise InvalidInput(_("{name}: the table lists no biallelic SNP").format(name=name))
    return sites
