"""Marker names, alleles and haplotypes in the one spelling the store keeps.

Labs write `vWA`, `VWA` or `vwa`, `D8S1179` or `d8s1179`, `AMEL` or `Amelogenin`; the
store keeps one spelling per marker (`kinship.markers`, the one home of marker names)
so that a profile, a frequency table and a kinship calculation name the same locus.
Haplotypes are kept as canonical text so that a reference count can be looked up by
equality:
Y-STR `DYS19=14;DYS385=11,14;DYS390=24` (markers sorted, multi-copy alleles sorted),
mtDNA `16223T 16362C 73G` (variants sorted, space-separated); the ranges an mtDNA
result was read over `16024-16365 73-340` (each start-end, sorted by start).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

from chosei.i18n import _
from chosei.kinship import markers
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.genotypes import normalise_allele

MT = markers.MT
_ALLELE = re.compile(r"^\d{1,3}(\.\d)?$")  # the store's allele: at most 999.9
_VARIANT = re.compile(r"^[ACGTN]?\d{1,5}(\.\d{1,2})?([ACGTNRYKMSWBDHV]|d|del|ins[ACGTN]*)?$",
                      re.IGNORECASE)


class GeneticsError(ValueError):
    """A marker, allele or haplotype that cannot be read; the message says what to write."""


def canonical_marker(value: object) -> str:
    """The store's spelling of a marker name (`kinship.markers`)."""
    try:
        return markers.store_spelling(value)
    except markers.MarkerNameError as exc:
        raise GeneticsError(str(exc)) from None


is_amelogenin = markers.is_amelogenin


def canonical_allele(value: object, marker: str | None = None) -> str:
    """`9.3`, `14` (Excel's 14.0 and the text `14.0` too); X or Y for amelogenin. The
    number is read by the engine's `normalise_allele`, so the store and the engine
    agree on every allele; the store also bounds it to three digits."""
    amel = marker is not None and is_amelogenin(marker)
    if amel and isinstance(value, str) and value.strip().upper() in ("X", "Y"):
        return value.strip().upper()
    try:
        return _allele(value, amel)
    except TypeError:
        raise GeneticsError(_("'{value}' is not an allele: write a repeat number such as 9.3").format(
            value=value)) from None


@functools.lru_cache(maxsize=4096, typed=True)  # a column repeats a few dozen alleles
def _allele(value: object, amel: bool) -> str:
    text = value if isinstance(value, int | float) else unicodedata.normalize("NFKC", str(value)).strip()
    try:
        allele = normalise_allele(text)  # a bool is refused there
    except KinshipInputError:
        allele = ""
    if not _ALLELE.match(allele):
        raise GeneticsError((_("'{value}' is not an allele: write a repeat number with at most one decimal, "
                               "such as 14 or 9.3 or X/Y") if amel else
                             _("'{value}' is not an allele: write a repeat number with at most one decimal, "
                               "such as 14 or 9.3")).format(value=text))
    return allele


def _allele_key(allele: str) -> tuple[float, str]:
    try:
        return float(allele), allele
    except ValueError:
        return math.inf, allele


def y_alleles(value: object) -> str:
    """One Y-STR cell: `14`, or `11,14` (also `11-14`, `11/14`) for multi-copy loci."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return canonical_allele(value)
    parts = [p for p in re.split(r"[,/;\s-]+", unicodedata.normalize("NFKC", str(value))) if p]
    if not parts:
        raise GeneticsError(_("'{value}' is not a Y-STR allele: write e.g. 14 or 11,14").format(value=value))
    return ",".join(sorted((canonical_allele(p) for p in parts), key=_allele_key))


def y_haplotype(markers: dict[str, str]) -> str:
    return ";".join(f"{m}={markers[m]}" for m in sorted(markers))


def parse_y_haplotype(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(";"):
        if part:
            marker, _, alleles = part.partition("=")
            out[marker] = alleles
    return out


def mt_haplotype(value: object) -> str:
    """mtDNA variants as one canonical text: sorted, space-separated."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    parts = [p for p in re.split(r"[\s,;]+", text) if p]
    if not parts:
        raise GeneticsError(_("an mtDNA haplotype needs its variants, e.g. 16223T 16362C 73G"))
    bad = [p for p in parts if not _VARIANT.match(p)]
    if bad:
        raise GeneticsError(_("'{value}' is not an mtDNA variant: write position and base, e.g. 16223T, "
                              "315.1C or 523del").format(value=bad[0]))
    return " ".join(sorted(set(parts)))


MT_LENGTH = 16569  # the revised Cambridge Reference Sequence
_RANGE = re.compile(r"^(\d{1,5})-(\d{1,5})$")


def mt_ranges(value: object) -> str:
    """The ranges an mtDNA result was read over, as one canonical text: `16024-16365 73-340`."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    parts = [p for p in re.split(r"[\s,;]+", text) if p]
    if not parts:
        raise GeneticsError(_("mtDNA ranges need a start and an end, e.g. 16024-16365 73-340"))
    spans = []
    for part in parts:
        m = _RANGE.match(part.replace("–", "-"))
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)) <= MT_LENGTH:
            raise GeneticsError(_("'{value}' is not an mtDNA range: write start-end with 1 <= start <= end <= "
                                  "{length}, e.g. 16024-16365").format(value=part, length=MT_LENGTH))
        spans.append((int(m.group(1)), int(m.group(2))))
    return " ".join(f"{a}-{b}" for a, b in sorted(set(spans)))
