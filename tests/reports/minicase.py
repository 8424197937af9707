"""A small fictional case, built through the library, for the report tests.

Four victims, chosen so every figure can be checked by hand (family stage in a full
report / in a partner KR report; remains stage):

- V-001 KR `김<정>웅`, domicile 평안북도 (north): R-001 son, profiled, consent analysis and
  share:KR. Reference profiled / reference profiled; returned (SP-01).
- V-002 KR: R-002 brother's son, profiled, consent analysis only. Reference profiled /
  no relative known; none attributed.
- V-003 JP `=HYPERLINK("x")`: R-003 daughter, no consent. Located / no relative known;
  candidate (SP-02).
- V-004 JP: no relative. No relative known; none attributed.

Specimens: 3 left femurs, 2 right femurs, 4 crania, 1 left humerus (MNI 4), 5 teeth.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chosei.models import (
    CaseInfo,
    ConsentEvent,
    CustodyEvent,
    Genotype,
    Identification,
    Operation,
    Relative,
    Sample,
    Specimen,
    Victim,
)
from chosei.store import open_store, session_scope

SENTINEL_CONTACT = "SENTINEL-CONTACT-7731"
SENTINEL_NOTES = "SENTINEL-NOTES-5502"
SENTINEL_UNSHARED = "SENTINEL-UNSHARED-9044"


def fill(url: str, rows: Callable[[], list[Any]], *, demo: bool = False) -> None:
    store = open_store(url)
    try:
        with session_scope(store, actor="tester", write=True) as s:
            s.add(CaseInfo(name="Test case", demo=demo, created_at="2026-01-01T00:00:00"))
            s.flush()
            for row in rows():
                s.add(row)
                s.flush()
    finally:
        store.dispose()


def mini_rows() -> list[Any]:
    rows: list[Any] = [
        Victim(id="V-001", nationality="KR", name_hangul="김<정>웅", name_japanese="金本正雄",
               sex="M", domicile="평안북도 정주군"),
        Victim(id="V-002", nationality="KR", name_hangul="이영수", sex="M",
               domicile="경상남도"),
        Victim(id="V-003", nationality="JP", name_japanese='=HYPERLINK("x")', sex="M"),
        Victim(id="V-004", nationality="JP", name_japanese="山田太郎", sex="M"),
        Relative(id="R-001", victim_id="V-001", relationship="son", name="김철수",
                 contact=SENTINEL_CONTACT, notes=SENTINEL_NOTES),
        Relative(id="R-002", victim_id="V-002", relationship="brother's son",
                 name=SENTINEL_UNSHARED),
        Relative(id="R-003", victim_id="V-003", relationship="daughter", name="山田花子"),
        ConsentEvent(relative_id="R-001", scope="analysis", date="2025-09-01"),
        ConsentEvent(relative_id="R-001", scope="share:KR", date="2025-09-01"),
        ConsentEvent(relative_id="R-002", scope="analysis", date="2025-09-01"),
        Operation(id="OP-1", date="2025-08-20", site="T-junction"),
        Operation(id="OP-2", date="2026-02-10", site="entrance"),
    ]
    specimens = [("femur", "left")] * 3 + [("femur", "right")] * 2 + [("cranium", None)] * 4 \
        + [("humerus", "left")] + [("tooth", None)] * 5
    for i, (element, side) in enumerate(specimens, start=1):
        op, day = ("OP-1", "2025-08-20") if i <= 6 else ("OP-2", "2026-02-10")
        rows.append(Specimen(id=f"SP-{i:02d}", operation_id=op, recovered_on=day,
                             element=element, side=side))
    rows += [
        Sample(id="S-R1", relative_id="R-001", type="saliva", collected_on="2025-09-05",
               lab="NFS", status="profiled", status_date="2025-10-15"),
        Sample(id="S-R2", relative_id="R-002", type="saliva", collected_on="2025-09-06",
               lab="NFS", status="profiled", status_date="2025-10-16"),
        Sample(id="S-B1", specimen_id="SP-01", type="bone", collected_on="2025-09-10",
               lab="NPA", status="profiled", status_date="2025-11-02"),
        Sample(id="S-B2", specimen_id="SP-07", type="bone", collected_on="2026-02-12",
               lab="NPA", status="extracted", status_date="2026-02-20"),
        Sample(id="S-B3", specimen_id="SP-08", type="tooth", status="planned"),
        Genotype(sample_id="S-R1", marker="D3S1358", allele1="15", allele2="16"),
        Genotype(sample_id="S-R2", marker="D3S1358", allele1="14", allele2="16"),
        Identification(specimen_id="SP-01", victim_id="V-001", status="confirmed",
                       decided_on="2025-11-20", decided_by="review board"),
        Identification(specimen_id="SP-02", victim_id="V-003", status="candidate"),
        CustodyEvent(item_id="SP-01", event="recovered", at="2025-08-20T10:00:00",
                     to_party="divers"),
        CustodyEvent(item_id="SP-01", event="transferred", at="2025-08-20T15:00:00",
                     from_party="divers", to_party="Yamaguchi police"),
        CustodyEvent(item_id="SP-01", event="returned", at="2025-12-01T09:00:00",
                     from_party="Yamaguchi police", to_party="family"),
        # A gap: the chain of SP-02 starts with a transfer.
        CustodyEvent(item_id="SP-02", event="transferred", at="2025-08-21T09:00:00",
                     from_party="divers", to_party="Yamaguchi police"),
        # An unshared relative's sample, with a gap naming the relative: a KR partner's
        # report must show neither.
        CustodyEvent(item_id="S-R2", event="sampled", at="2025-09-06T09:00:00",
                     to_party="NFS collector"),
        CustodyEvent(item_id="S-R2", event="shipped", at="2025-09-07T09:00:00",
                     from_party=SENTINEL_UNSHARED, to_party="NFS"),
    ]
    return rows
