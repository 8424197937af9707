"""A small hand-built store whose likelihood ratios can be checked by hand (all fictional).

Frequencies (population KR), with the rest of each marker's mass left unlisted so the
listed values are used exactly:
    D3S1358: 10 → 0.05, 11 → 0.2        vWA: 10 → 0.1
    TH01: 6, 7, 8, 9 → 0.1, 0.2, 0.3, 0.4
Families (every relative consents to analysis):
    V-001: R-001 son             D3S1358 10/10, vWA 10/10
    V-002: R-002 son             TH01 6/8
           R-003 brother         TH01 6/9
    V-003: R-004 brother's son   Y-STR DYS19=15, DYS390=23 (no autosomal typing)
           R-005 sister's son    mtDNA 16223T 16290T
Specimens (one typed sample each):
    SP-001 femur, left     D3S1358 10/10, vWA 10/10   → V-001: 20 × 10 = 200
    SP-002 tooth           TH01 6/7                  → V-002: 2.142857 (son and brother at once)
    SP-003 tooth           D3S1358 11/11, vWA 10/10   → V-001: 0, excluded at D3S1358
    SP-004 tooth           Y as R-004, mtDNA as R-005 → V-003: Y 0 of 100, mtDNA 1 of 1000
    SP-005 femur, right    as SP-001                 → V-001: 200; the same person as SP-001
Y database: DYS19=14;DYS390=23 × 100. mtDNA database: 16223T 16362C × 999, 16223T 16290T × 1.
"""

from __future__ import annotations

from chosei.models import AlleleFrequency, Genotype, HaplotypeCount
from chosei.services.recovery import add_specimen
from chosei.services.relatives import add_relative, give_consent
from chosei.services.victims import add_victim
from tests.cli.storeview import writing
from tests.samples_at import add_sample_at

FREQUENCIES = {
    "D3S1358": {"10": 0.05, "11": 0.2},
    "vWA": {"10": 0.1},
    "TH01": {"6": 0.1, "7": 0.2, "8": 0.3, "9": 0.4},
}
RELATIVES = [  # id, victim, relationship, sample, genotype rows (marker, allele1, allele2)
    ("R-001", "V-001", "son", "RS-001", [("D3S1358", "10", "10"), ("vWA", "10", "10")]),
    ("R-002", "V-002", "son", "RS-002", [("TH01", "6", "8")]),
    ("R-003", "V-002", "brother", "RS-003", [("TH01", "6", "9")]),
    ("R-004", "V-003", "brother's son", "RS-004", [("DYS19", "15", None), ("DYS390", "23", None)]),
    ("R-005", "V-003", "sister's son", "RS-005", [("mtDNA", "16223T 16290T", None)]),
]
SPECIMENS = [  # id, element, side, sample, genotype rows
    ("SP-001", "femur", "left", "SS-001", [("D3S1358", "10", "10"), ("vWA", "10", "10")]),
    ("SP-002", "tooth", None, "SS-002", [("TH01", "6", "7")]),
    ("SP-003", "tooth", None, "SS-003", [("D3S1358", "11", "11"), ("vWA", "10", "10")]),
    ("SP-004", "tooth", None, "SS-004", [("DYS19", "15", None), ("DYS390", "23", None),
                                         ("mtDNA", "16223T 16290T", None)]),
    ("SP-005", "femur", "right", "SS-005", [("D3S1358", "10", "10"), ("vWA", "10", "10")]),
]
Y_DATABASE = [("DYS19=14;DYS390=23", 100)]
MT_DATABASE = [("16223T 16362C", 999), ("16223T 16290T", 1)]

# The bounds the issue pins: 0 of 100 and 1 of 1000, two-sided 95 % Clopper-Pearson.
Y_COUNT_LR = 1 / 0.036216693
MT_LR = 1 / 0.0055589243
# At the defaults (kappa) the specimens' Y haplotypes are in no database: Brenner's frequency.
# The 100 entries are one haplotype (no singleton), so in the extended database of 101 the
# share seen more than once, 1 - kappa, is 100 of 101; its two-sided 95 % Clopper-Pearson upper
# bound is the Beta(101, 1) quantile 0.975 ** (1 / 101), and the frequency that over 101.
Y_FREQUENCY = 0.975 ** (1 / 101) / 101
Y_LR = 1 / Y_FREQUENCY  # 101.0253


def genotypes(sample: str, rows: list[tuple[str, str, str | None]]) -> list[Genotype]:
    return [Genotype(sample_id=sample, marker=m, allele1=a, allele2=b) for m, a, b in rows]


def build(url: str, *, frequencies: bool = True, haplotypes: bool = True, consent: bool = True) -> None:
    """The scene above, written through the library (audited like any change)."""
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온"})
        add_victim(s, {"id": "V-002", "nationality": "KR", "name_hangul": "이나래"})
        add_victim(s, {"id": "V-003", "nationality": "KR", "name_hangul": "박다솜"})
        for rid, vid, term, sample, rows in RELATIVES:
            add_relative(s, {"id": rid, "victim_id": vid, "relationship": term})
            if consent:
                give_consent(s, rid, ["analysis"], "2025-10-01")
            add_sample_at(s, {"id": sample, "relative_id": rid, "type": "saliva", "status": "profiled"})
            s.add_all(genotypes(sample, rows))
        for sid, element, side, sample, rows in SPECIMENS:
            add_specimen(s, {"id": sid, "element": element, "side": side})
            add_sample_at(s, {"id": sample, "specimen_id": sid, "type": "bone", "status": "profiled"})
            s.add_all(genotypes(sample, rows))
        if frequencies:
            s.add_all(AlleleFrequency(population="KR", marker=m, allele=a, frequency=p)
                      for m, table in FREQUENCIES.items() for a, p in table.items())
        if haplotypes:
            s.add_all(HaplotypeCount(population="KR", kind="Y", haplotype=h, count=n) for h, n in Y_DATABASE)
            s.add_all(HaplotypeCount(population="KR", kind="mt", haplotype=h, count=n) for h, n in MT_DATABASE)
        s.flush()
