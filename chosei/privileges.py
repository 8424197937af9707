"""A PostgreSQL role lacking a right is the user's problem to fix: one line, exit 5.

The server, not chosei, enforces who may do what (`chosei db roles`, `chosei.roles`). When
it refuses (SQLSTATE 42501, "permission denied for table relative"), the message names the
database role, what it may not do and whom to ask, instead of a traceback.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chosei.errors import StoreError
from chosei.i18n import _

INSUFFICIENT_PRIVILEGE = "42501"
_DENIED = re.compile(r"permission denied for (\w+) (\S+)")
_WRITES = ("INSERT", "UPDATE", "DELETE", "COPY", "TRUNCATE")


def _sqlstate(exc: BaseException) -> str | None:
    # SQLAlchemy wraps the driver's error in `.orig`; the bulk writers' cursors raise it bare.
    return getattr(exc, "sqlstate", None) or getattr(getattr(exc, "orig", None), "sqlstate", None)


def explain(exc: BaseException, user: str) -> str:
    """The one line for a refused statement."""
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    statement = (getattr(exc, "statement", None) or "").lstrip().upper()
    found = _DENIED.search(message)
    kind, name = found.groups() if found else ("object", "(unnamed)")
    if kind != "table":
        return _("the database role '{user}' may not use {kind} {name}; ask an administrator to grant it one of "
                 "chosei's roles (`chosei db roles`, docs/security.md)").format(user=user, kind=kind, name=name)
    writing = statement.startswith(_WRITES) or not statement and "COPY" in message.upper()
    if writing:
        return _("the database role '{user}' may not write table {name}; ask an administrator to grant it "
                 "chosei_caseworker (or chosei_lab for samples, profiles, custody)").format(user=user, name=name)
    if name == "relative":
        message = _("the database role '{user}' may not read table {name} or some of its columns (contacts are "
                    "for chosei_caseworker); ask an administrator to grant it a chosei role that may "
                    "(`chosei db roles`, docs/security.md)")
    elif name == "audit_entry":
        message = _("the database role '{user}' may not read table {name}; ask an administrator to grant it "
                    "chosei_auditor or chosei_caseworker (`chosei db roles`, docs/security.md)")
    else:
        message = _("the database role '{user}' may not read table {name}; ask an administrator to grant it "
                    "a chosei role that may (`chosei db roles`, docs/security.md)")
    return message.format(user=user, name=name)


@contextmanager
def privilege_is_one_line(url: Any) -> Iterator[None]:
    """Turn the server's refusal into a `StoreError` naming the role (the URL's user, or
    the system user libpq logs in as when the URL names none)."""
    try:
        yield
    except Exception as exc:
        if _sqlstate(exc) != INSUFFICIENT_PRIVILEGE:
            raise
        user = getattr(url, "username", None) or getpass.getuser()
        raise StoreError(explain(exc, user)) from None
