"""A small, fictional but varied store: every sheet, every awkward value an export meets."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from chosei.models import (
    AlleleFrequency,
    ConsentEvent,
    CustodyEvent,
    Genotype,
    HaplotypeCount,
    Identification,
    Operation,
    Relative,
    Sample,
    Specimen,
    Victim,
    VictimName,
)


def fill(session: Session) -> None:
    """Add the rich case's rows through the ORM (so they are audited like any change)."""
    rows: list[Any] = [
        Victim(id="V-001", nationality="KR", name_hangul="김정웅", name_hanja="金正雄",
               name_japanese="金本正雄", name_reading="かねもと まさお", name_latin="Kim Jeong-ung",
               sex="M", birth_date="1915-03-02", age_at_death=26, domicile="경상북도",
               address="宇部市", sources="位牌; 殉職産業人名簿", notes="=SUM(A1:A2)"),
        Victim(id="V-002", nationality="KR", name_hangul="박영수", sex="M", birth_date="1915",
               notes="-5 degrees"),
        Victim(id="V-003", nationality="JP", name_japanese="山田太郎", name_reading="やまだ たろう",
               birth_date="1899-11-30", age_at_death=42, notes="@home"),
        Victim(id="V-004", nationality="KR", name_latin="Lee", birth_date="1920-07",
               notes="(clear)", sources="+82 register"),
        Victim(id="12", nationality="JP", name_japanese="鈴木一郎", notes="\t=cmd"),
        # A date whose Excel serial (1787) reads as a year when the cell is not a date.
        Victim(id="V-005", nationality="KR", name_hangul="최", birth_date="1904-11-21"),
        VictimName(victim_id="V-001", name="金本正雄", script="japanese", source="位牌"),
        VictimName(victim_id="V-001", name="Kim Chŏng-ung", script="latin"),
        Relative(id="R-001", victim_id="V-001", relationship="son", name="김민수", sex="M",
                 birth_year=1940, contact="010-1234-5678", notes="prefers calls"),
        Relative(id="R-002", victim_id="V-001", relationship="brother's son", name="김하늘",
                 sex="M", birth_year=1950),
        Relative(id="R-003", victim_id="V-003", relationship="sister's daughter",
                 name="山田花子", sex="F", contact="090-0000-0000"),
        Relative(id="R-004", victim_id="V-002", relationship="daughter", name="박순자", sex="F"),
        ConsentEvent(relative_id="R-001", scope="analysis", date="2025-03-01"),
        ConsentEvent(relative_id="R-001", scope="share:KR", date="2025-03-01"),
        ConsentEvent(relative_id="R-002", scope="analysis", date="2025-04-02"),
        ConsentEvent(relative_id="R-002", scope="share:JP", date="2025-05"),
        ConsentEvent(relative_id="R-003", scope="analysis", date="2025-01-10"),
        ConsentEvent(relative_id="R-003", scope="analysis", event="withdrawn", date="2025-06-01"),
        ConsentEvent(relative_id="R-004", scope="analysis", date="2025-02-01"),
        ConsentEvent(relative_id="R-004", scope="share:KR", date="2025-02-01"),
        ConsentEvent(relative_id="R-004", scope="share:KR", event="withdrawn", date="2025-09-01"),
        Operation(id="OP-1", date="2025-08-26", site="piya 1", team="divers A"),
        Operation(id="OP-2", date="2026-02", site="entrance"),
        Specimen(id="CH-001", operation_id="OP-1", recovered_on="2025-08-26",
                 location="T-junction", depth_m=43.0, element="femur", side="left",
                 condition="good", custodian="Yamaguchi police", other_ids="P-17;LAB-3"),
        Specimen(id="CH-002", operation_id="OP-1", element="cranium", side="midline"),
        Specimen(id="CH-003", operation_id="OP-2", element="tooth", notes="gold tooth"),
        Sample(id="S-001", specimen_id="CH-001", type="bone", collected_on="2025-09-10",
               lab="NPA", lab_ref="N-1", status="profiled", status_date="2025-11-01"),
        Sample(id="S-002", relative_id="R-001", type="buccal swab", collected_on="2025-03-05",
               status="profiled", status_date="2025-04"),
        Sample(id="S-003", relative_id="R-003", type="saliva", status="collected"),
        Sample(id="S-004", relative_id="R-002", type="blood", status="planned"),
        Sample(id="S-005", relative_id="R-004", type="saliva", status="shipped"),
        CustodyEvent(item_id="CH-001", event="recovered", at="2025-08-26T10:30",
                     from_party="divers", to_party="Kizamu Kai", place="Ube"),
        CustodyEvent(item_id="CH-001", event="transferred", at="2025-08-27",
                     from_party="Kizamu Kai", to_party="Yamaguchi police"),
        CustodyEvent(item_id="S-003", event="shipped", at="2025-10-01T09:00"),
        Genotype(sample_id="S-001", marker="D8S1179", allele1="13", allele2="14"),
        Genotype(sample_id="S-001", marker="TH01", allele1="9.3", allele2="9.3"),
        Genotype(sample_id="S-001", marker="AMEL", allele1="X", allele2="Y"),
        Genotype(sample_id="S-002", marker="D8S1179", allele1="13"),
        Genotype(sample_id="S-002", marker="DYS385", allele1="11", allele2="14"),
        Genotype(sample_id="S-002", marker="mtDNA", allele1="16223T 16362C 73G"),
        Genotype(sample_id="S-003", marker="vWA", allele1="16", allele2="17"),
        AlleleFrequency(population="KOR", marker="D8S1179", allele="13", frequency=0.2,
                        sample_size=500),
        AlleleFrequency(population="KOR", marker="TH01", allele="9.3", frequency=0.05),
        HaplotypeCount(population="KOR", kind="Y", haplotype="DYS19=14;DYS385=11,14",
                       count=3),
        HaplotypeCount(population="KOR", kind="mt", haplotype="16223T 16362C 73G", count=7),
        Identification(specimen_id="CH-001", victim_id="V-001", lr=125000.5, posterior=0.998,
                       method="kinship", status="candidate"),
        Identification(specimen_id="CH-002", victim_id="V-003", lr=12.0, status="rejected",
                       decided_on="2026-01-15", decided_by="panel", notes="excluded by mtDNA"),
    ]
    for row in rows:
        session.add(row)
        session.flush()
