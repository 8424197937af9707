"""The case itself: one row naming it, its expected roster, and whether it is a demo."""

from __future__ import annotations

from sqlmodel import Field

from chosei.models._base import Record


class CaseInfo(Record, table=True):
    __tablename__ = "case_info"

    id: int = Field(default=1, primary_key=True)
    name: str
    expected_total: int = 183
    expected_kr: int = 136
    expected_jp: int = 47
    demo: bool = False
    created_at: str
    version: int = 1
