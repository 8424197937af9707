"""The errors a user can cause, each with an exit code and a sentence to act on.

Everything the library raises on purpose derives from `ChoseiError`; the CLI maps
`exit_code` to the process status and prints `Error: <message>` without a traceback.
Anything else escaping to the CLI is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from chosei.i18n import _, pgettext


class ChoseiError(Exception):
    """A known failure: one line for the user, an exit code for scripts."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ChoseiError):
    """A value the user typed or a file holds is not acceptable."""

    exit_code = 1


class NotFound(ChoseiError):
    """An ID names nothing in the store."""

    exit_code = 3

    @classmethod
    def for_id(cls, kind: str, ident: str, existing: Iterable[str]) -> NotFound:
        ids = list(existing)
        # `CH-1` for `CH-001` is the commonest slip: same letters, same numbers unpadded.
        same = [i for i in ids if _unpadded(i) == _unpadded(ident)]
        close = same + [c for c in difflib.get_close_matches(ident, ids, n=3, cutoff=0.6) if c not in same]
        close = close[:3]
        if close:
            message = _("no {kind} with ID '{ident}'; did you mean {candidates}?")
        else:
            message = _("no {kind} with ID '{ident}'; `chosei {command} list` shows them")
        return cls(message.format(kind=kind_name(kind), ident=ident, candidates=", ".join(close), command=kind))


def kind_name(kind: str) -> str:
    """What a person calls a kind of record, in the current language (`victim` → 희생자)."""
    names = {
        "victim": pgettext("record kind", "victim"),
        "relative": pgettext("record kind", "relative"),
        "specimen": pgettext("record kind", "specimen"),
        "sample": pgettext("record kind", "sample"),
        "operation": pgettext("record kind", "operation"),
        "item": pgettext("record kind", "item"),
        "specimen or sample": pgettext("record kind", "specimen or sample"),
    }
    return names.get(kind, kind)


def _unpadded(ident: str) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group())), ident.casefold())


class AlreadyExists(ChoseiError):
    """An add would overwrite an existing row."""

    exit_code = 4


class RuleViolation(ChoseiError):
    """The change breaks a case rule (an illegal status step, a second confirmation)."""

    exit_code = 4


class StoreError(ChoseiError):
    """The store cannot be opened, is out of date, or is busy."""

    exit_code = 5


class WorkbookRejected(ChoseiError):
    """A workbook failed validation; nothing was written. `problems` holds every error."""

    exit_code = 6

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class ImportConflicts(RuleViolation):
    """A workbook's rows conflict with the store (changed there after the export) and the
    import was not told to skip or overwrite them; nothing was written. `report` is the
    import's report, conflicts included, as a dry run would give it."""

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report


class AuditBroken(ChoseiError):
    """The audit trail or a stored row was changed behind the tracker's back."""

    exit_code = 7


class ChecksFailed(ChoseiError):
    """`chosei check` found data-quality problems."""

    exit_code = 8


# Exit codes in one table, for the README and `chosei --help`.
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "invalid input: a value or file to correct",
    2: "usage: unknown command or option",
    3: "not found: an ID that names nothing",
    4: "refused by a case rule: already exists, illegal status step, conflict",
    5: "store: cannot open, needs `chosei db upgrade`, busy, from a newer chosei, damaged, "
       "read-only, its disk is full, or the database role lacks a right",
    6: "workbook rejected: nothing was imported",
    7: "audit trail broken: `chosei audit verify` names the first bad entry",
    8: "`chosei check` found data-quality problems",
    70: "internal error: a bug; please report it with the traceback",
}
