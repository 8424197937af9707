"""A family of nephews by two different brothers, for the family-tree tests (fictional).

V-010 and V-011 are victims; V-010's relatives: R-101 his sister (TH01 7/7), R-102 and
R-103 his brothers' sons (TH01 6/7 and 7/8), R-104 `other` (not typed). Every typed
relative consents to analysis. `PED` is V-010's tree: the brothers B1 and B2 are
untyped, each with his own wife.
"""

from __future__ import annotations

from chosei.models import AlleleFrequency
from chosei.services.relatives import add_relative, give_consent
from chosei.services.victims import add_victim
from tests.cli.storeview import writing
from tests.match.scene import genotypes
from tests.samples_at import add_sample_at

PED = """id\tfid\tmid\tsex
F\t0\t0\t1
M\t0\t0\t2
V-010\tF\tM\t1
R-101\tF\tM\t2
B1\tF\tM\t1
B2\tF\tM\t1
W1\t0\t0\t2
W2\t0\t0\t2
R-102\tB1\tW1\t1
R-103\tB2\tW2\t1
"""

RELATIVES = [  # id, relationship, sex, genotype rows
    ("R-101", "sister", "F", [("TH01", "7", "7")]),
    ("R-102", "brother's son", "M", [("TH01", "6", "7")]),
    ("R-103", "brother's son", "M", [("TH01", "7", "8")]),
    ("R-104", "other", None, None),
]


def build(url: str) -> None:
    with writing(url) as s:
        add_victim(s, {"id": "V-010", "nationality": "KR", "name_hangul": "정바름", "sex": "M"})
        add_victim(s, {"id": "V-011", "nationality": "KR", "name_hangul": "정가람", "sex": "M"})
        for rid, term, sex, rows in RELATIVES:
            add_relative(s, {"id": rid, "victim_id": "V-010", "relationship": term, "sex": sex})
            if rows:
                give_consent(s, rid, ["analysis"], "2025-10-01")
                add_sample_at(s, {"id": f"S{rid}", "relative_id": rid, "type": "saliva", "status": "profiled"})
                s.add_all(genotypes(f"S{rid}", rows))
        s.add_all(AlleleFrequency(population="KR", marker="TH01", allele=a, frequency=p)
                  for a, p in {"6": 0.1, "7": 0.2, "8": 0.3, "9": 0.4}.items())
        s.flush()
