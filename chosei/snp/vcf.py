"""Reading SNP calls from a VCF 4.x file (plain or gzip), all lines checked first, and
writing them back (`write_vcf`, what `export --snp-vcf` writes and `read_vcf` reads).

Only what chosei needs is read: CHROM, POS, ID, REF, ALT and, per sample, the GT field
(``0/0``, ``0/1``, ``1/1``, phased ``|`` alike, ``./.`` or ``.`` for no call) and, when
asked, GQ and DP (a call below a threshold becomes no call). Sites whose ALT lists
several alleles, and sites that are not single-base substitutions, are skipped and
counted. Any malformed line is an error naming the line: nothing is partly read.

Hand-written rather than cyvcf2/pysam/vcfpy: those read far more of the format than
this, pull in htslib, and skip or warn on a malformed record where chosei must refuse
the file and name the line. The subset read here is small and tested line by line.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from chosei.errors import InvalidInput
from chosei.i18n import _

BASES = frozenset("ACGT")
_GT = {
    "0/0": 0, "0|0": 0,
    "0/1": 1, "1/0": 1, "0|1": 1, "1|0": 1,
    "1/1": 2, "1|1": 2,
    "./.": -1, ".|.": -1, ".": -1, "./0": -1, "0/.": -1, "./1": -1, "1/.": -1,
    ".|0": -1, "0|.": -1, ".|1": -1, "1|.": -1,
}  # fmt: skip


@dataclass(frozen=True)
class Site:
    chrom: str
    pos: int
    snp_id: str | None
    ref: str
    alt: str


@dataclass(frozen=True)
class VcfCalls:
    """Samples (VCF column names) × sites calls: int8 ALT counts, -1 for no call."""

    samples: tuple[str, ...]
    sites: tuple[Site, ...]
    calls: np.ndarray
    skipped_multiallelic: int
    skipped_not_snp: int
    filtered_calls: int


def open_text(path: Path) -> TextIO:
    """A text stream of `path`, gunzipped when it starts with the gzip magic bytes."""
    with path.open("rb") as head:
        magic = head.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def normalise_chrom(chrom: str) -> str:
    """``chr7`` and ``7`` are one chromosome; chosei keeps ``7``."""
    return chrom[3:] if chrom.lower().startswith("chr") else chrom


def read_vcf(path: Path, *, min_gq: float | None = None, min_dp: float | None = None) -> VcfCalls:
    """Every biallelic SNP of `path` with its calls, or `InvalidInput` naming the line."""
    name = path.name
    try:
        with open_text(path) as stream:
            return _parse(stream, name, min_gq, min_dp)
    except FileNotFoundError:
        raise InvalidInput(_("{path}: no such file").format(path=path)) from None
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, OSError) as exc:
        raise InvalidInput(_("{name}: not a readable VCF text file ({error_class}); check the file").format(
                               name=name, error_class=exc.__class__.__name__)) from None


def _parse(stream: TextIO, name: str, min_gq: float | None, min_dp: float | None) -> VcfCalls:
    first = stream.readline().rstrip("\r\n")
    if not first.startswith("##fileformat=VCFv4"):
        raise InvalidInput(_("{name} line 1: a VCF 4.x file must start with '##fileformat=VCFv4.x'").format(name=name))
    samples: tuple[str, ...] | None = None
    sites: list[Site] = []
    rows: list[list[int]] = []
    seen: dict[tuple[str, int], int] = {}
    multi = not_snp = filtered = 0
    width = 0
    for number, raw in enumerate(stream, start=2):
        line = raw.rstrip("\r\n")
        if line.startswith("##"):
            continue
        if line.startswith("#"):
            if samples is not None:
                raise InvalidInput(_("{name} line {number}: a second #CHROM header line").format(
                                       name=name, number=number))
            columns = line[1:].split("\t")
            if columns[:9] != ["CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"]:
                raise InvalidInput(
                    _("{name} line {number}: the header must be tab-separated #CHROM POS ID REF ALT QUAL FILTER "
                      "INFO FORMAT then the sample names").format(name=name, number=number)
                )
            samples = tuple(columns[9:])
            if not samples:
                raise InvalidInput(_("{name} line {number}: the file holds no sample column").format(
                                       name=name, number=number))
            if len(set(samples)) != len(samples):
                twice = sorted({s for s in samples if samples.count(s) > 1})
                raise InvalidInput(_("{name} line {number}: sample {twice!r} has two columns").format(
                                       name=name, number=number, twice=twice[0]))
            width = 9 + len(samples)
            continue
        if not line.strip():
            continue
        if samples is None:
            raise InvalidInput(_("{name} line {number}: a data line before the #CHROM header line").format(
                                   name=name, number=number))
        fields = line.split("\t")
        if len(fields) != width:
            raise InvalidInput(
                _("{name} line {number}: {n_fields} tab-separated fields; the header has {width}").format(
                                   name=name, number=number, n_fields=len(fields), width=width))
        chrom, pos_text, snp_id, ref, alt = fields[:5]
        try:
            pos = int(pos_text)
        except ValueError:
            pos = 0
        if pos < 1 or not chrom:
            raise InvalidInput(_("{name} line {number}: POS {pos_text!r} must be a whole number from 1").format(
                                   name=name, number=number, pos_text=pos_text))
        chrom = normalise_chrom(chrom)
        if (chrom, pos) in seen:
            raise InvalidInput(_("{name} line {number}: {chrom}:{pos} is also on line {seen}").format(
                                   name=name, number=number, chrom=chrom, pos=pos, seen=seen[chrom, pos]))
        seen[(chrom, pos)] = number
        if "," in alt:
            multi += 1
            continue
        ref, alt = ref.upper(), alt.upper()
        if ref not in BASES or alt not in BASES or ref == alt:
            not_snp += 1
            continue
        keys = fields[8].split(":")
        if keys[0] != "GT":
            raise InvalidInput(_("{name} line {number}: FORMAT must start with GT, not {fields!r}").format(
                                   name=name, number=number, fields=fields[8]))
        gq = keys.index("GQ") if min_gq is not None and "GQ" in keys else None
        dp = keys.index("DP") if min_dp is not None and "DP" in keys else None
        row = []
        for column, value in zip(samples, fields[9:], strict=True):
            parts = value.split(":")
            code = _GT.get(parts[0])
            if code is None:
                raise InvalidInput(
                    _("{name} line {number}: sample {column!r} has GT {parts!r}; expected 0/0, 0/1, 1/1 (or | "
                      "phased) or ./. for a biallelic site").format(
                        name=name, number=number, column=column, parts=parts[0])
                )
            if code >= 0 and (
                _below(parts, gq, min_gq, name, number, column) or _below(parts, dp, min_dp, name, number, column)
            ):
                code = -1
                filtered += 1
            row.append(code)
        sites.append(Site(chrom, pos, None if snp_id == "." else snp_id, ref, alt))
        rows.append(row)
    if samples is None:
        raise InvalidInput(_("{name}: no #CHROM header line; is this a VCF file?").format(name=name))
    calls = np.array(rows, dtype=np.int8).T if rows else np.zeros((len(samples), 0), dtype=np.int8)
    return VcfCalls(samples, tuple(sites), np.ascontiguousarray(calls), multi, not_snp, filtered)


def _below(parts: list[str], index: int | None, threshold: float | None, name: str, number: int, column: str) -> bool:
    if index is None or threshold is None or index >= len(parts) or parts[index] in ("", "."):
        return False
    try:
        return float(parts[index]) < threshold
    except ValueError:
        raise InvalidInput(
            _("{name} line {number}: sample {column!r} has GQ/DP {parts!r}, not a number").format(
                name=name, number=number, column=column, parts=parts[index])
        ) from None


_GT_TEXT = np.array(["./.", "0/0", "0/1", "1/1"])  # indexed by call + 1


def write_vcf(path: Path, samples: Sequence[str], sites: Sequence[Site], calls: np.ndarray, *,
              compress: bool) -> None:
    """Write `calls` (samples x sites, int8 ALT counts, -1 no call) as a VCF 4.3 file with
    the GT field only, gzip-compressed when `compress` (with no timestamp, so one store
    gives the same bytes twice)."""
    with path.open("wb") as raw:
        stream = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if compress else raw
        try:
            head = ["##fileformat=VCFv4.3", "##source=chosei",
                    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
                    *(f"##contig=<ID={c}>" for c in dict.fromkeys(s.chrom for s in sites)),
                    "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples])]
            stream.write(("\n".join(head) + "\n").encode())
            text = _GT_TEXT[np.asarray(calls, dtype=np.int16).T + 1]  # sites x samples
            for site, row in zip(sites, text, strict=True):
                fixed = f"{site.chrom}\t{site.pos}\t{site.snp_id or '.'}\t{site.ref}\t{site.alt}\t.\t.\t.\tGT\t"
                stream.write((fixed + "\t".join(row) + "\n").encode())
        finally:
            if compress:
                stream.close()
