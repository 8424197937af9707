"""The case row: its name, expected roster and demo flag.

Read in Core (`chosei.tables`) on a session or a connection: every command reads it,
`chosei status` without the ORM, so this module imports the models only to write.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, select

from chosei.errors import AlreadyExists, InvalidInput, StoreError
from chosei.i18n import _
from chosei.tables import case_info

if TYPE_CHECKING:
    from sqlmodel import Session

    from chosei.models import CaseInfo


def get_case(session: Any) -> Row[Any] | None:
    """The case row (`name`, `expected_total`, `expected_kr`, `expected_jp`, `demo`), or
    None before `chosei init`; `session` is a Session or a Connection."""
    return session.execute(select(case_info).where(case_info.c.id == 1)).first()


def expected_roster(session: Any) -> int:
    """How many victims the case expects (`init --expected`; 183 before `chosei init`):
    the N of the closed-set prior."""
    case = get_case(session)
    if case is not None:
        return int(case.expected_total)
    from chosei.models import CaseInfo

    return int(CaseInfo.model_fields["expected_total"].default)


def require_case(session: Any) -> Row[Any]:
    case = get_case(session)
    if case is None:
        raise StoreError(_("this store holds no case yet; run `chosei init` (or `chosei demo`)"))
    return case


def is_demo(session: Any) -> bool:
    case = get_case(session)
    return bool(case and case.demo)


def is_empty(session: Session) -> bool:
    from chosei.models import AUDITED

    return not any(session.execute(select(cls).limit(1)).first() for cls in AUDITED)


def init_case(
    session: Session,
    name: str,
    *,
    expected_total: int = 183,
    expected_kr: int = 136,
    expected_jp: int = 47,
    demo: bool = False,
) -> CaseInfo:
    if get_case(session) is not None:
        raise AlreadyExists(_("this store already holds a case; `chosei status` shows it"))
    if expected_kr + expected_jp != expected_total:
        raise InvalidInput(
            _("the expected totals disagree: {expected_kr} KR + {expected_jp} JP is not {expected_total}; give "
              "--expected, --expected-kr and --expected-jp that add up").format(
                expected_kr=expected_kr, expected_jp=expected_jp, expected_total=expected_total)
        )
    if not name.strip():
        raise InvalidInput(_("the case needs a name, e.g. --name 'Chosei mine'"))
    from chosei.models import CaseInfo

    case = CaseInfo(
        name=name.strip(),
        expected_total=expected_total,
        expected_kr=expected_kr,
        expected_jp=expected_jp,
        demo=demo,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    session.add(case)
    session.flush()
    return case
