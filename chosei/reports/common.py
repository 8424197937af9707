"""What every report module shares: who the report is for, and how a victim is named.

A report is written for an *audience*: `full` (the case team: everything a report holds)
or `partner` with the partner agency's country (`KR` or `JP`): then only relatives whose
active consent covers sharing with that agency (`share:KR` / `share:JP`) count, in every
figure, table and chart. Their samples, the stages they give their victim, the lines
they cover. No report shows contact details or relatives' notes in any profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import true

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.models import Relative
from chosei.services.stages import consent_in_effect

PROFILES = ("full", "partner")
PARTNERS = ("KR", "JP")
NATIONALITIES = ("KR", "JP")


@dataclass(frozen=True)
class Audience:
    profile: str = "full"
    partner: str | None = None

    @classmethod
    def of(cls, profile: str = "full", partner: str | None = None) -> Audience:
        """Check the profile and partner a user gave; the messages say what to write."""
        profile = (profile or "full").strip().lower()
        if profile not in PROFILES:
            raise InvalidInput(_("'{profile}' is not a report profile; use full or partner").format(profile=profile))
        code = partner.strip().upper() if partner else None
        if profile == "partner":
            if code not in PARTNERS:
                raise InvalidInput(_("a partner report needs the partner agency's country: "
                                     "--partner KR or --partner JP"))
            return cls("partner", code)
        if code is not None:
            raise InvalidInput(_("--partner goes with --profile partner; a full report is for "
                                 "the case team"))
        return cls("full", None)

    def relative_visible(self) -> Any:
        """A SQL condition on `Relative`: may this audience see this relative?"""
        if self.profile == "full":
            return true()
        return consent_in_effect(Relative.id, f"share:{self.partner}")

    def as_dict(self) -> dict[str, Any]:
        return {"profile": self.profile, "partner": self.partner}


def victim_name(row: Any) -> str:
    """Every name a victim is recorded under, hangul first, joined by ` / `."""
    names = []
    for field in ("name_hangul", "name_hanja", "name_japanese", "name_latin"):
        value = getattr(row, field, None)
        if value and value not in names:
            names.append(value)
    return " / ".join(names)


def month(value: str | None) -> str | None:
    """The `YYYY-MM` of an ISO date or timestamp; None when the month is not known."""
    if not value or len(value) < 7 or value[4] != "-":
        return None
    return value[:7]
