"""A fixture shortcut: a sample added as `chosei sample add` adds it, then set straight
to a later status, as a store that has been through the bench holds it (`add_sample`
itself starts every sample at `planned` or `collected`)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from chosei.models import Sample
from chosei.services.samples import add_sample


def add_sample_at(session: Session, data: dict[str, Any]) -> tuple[Sample, list[str]]:
    status = data.get("status", "planned")
    sample, warnings = add_sample(session, {**data, "status": "planned"})
    sample.status = status
    session.flush()
    return sample, warnings
