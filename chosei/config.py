"""Where the store lives and who is acting; resolved per invocation, never at import."""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

from chosei.errors import StoreError
from chosei.i18n import _

ENV_DB = "CHOSEI_DB"
ENV_USER = "CHOSEI_USER"


def default_db_path() -> Path:
    """The embedded store: `$XDG_DATA_HOME/chosei/chosei.db` (~/.local/share by default)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "chosei" / "chosei.db"


def resolve_db_url(cli_value: str | None) -> str:
    """`--db` beats `CHOSEI_DB` beats the default SQLite file. A bare path means SQLite."""
    value = cli_value or os.environ.get(ENV_DB)
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" not in value:
        if _LIBPQ_DSN.match(value):
            raise StoreError(_("--db takes a URL or a file path, not a libpq connection string ('{value}'); "
                               "write it as postgresql+psycopg://USER@HOST/DBNAME").format(value=mask_url(value)))
        return f"sqlite:///{Path(value).expanduser()}"
    return value


# `host=... dbname=...`: the keyword form psql accepts; as a path it would name a new file.
_LIBPQ_DSN = re.compile(r"^\s*(host|hostaddr|dbname|user|port|password|sslmode|service)\s*=", re.I)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store's URL; None for an in-memory store or another server."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def is_default_store(cli_value: str | None) -> bool:
    """Whether neither --db nor $CHOSEI_DB names the store (the one chosei creates itself)."""
    return not (cli_value or os.environ.get(ENV_DB))


def resolve_actor(cli_value: str | None) -> str:
    """Who the audit trail names: `--as`, else `CHOSEI_USER`, else the OS user."""
    actor = cli_value or os.environ.get(ENV_USER)
    if actor and actor.strip():
        return actor.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name in a bare container: still record something
        return f"uid:{os.getuid()}"


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***, safe to print or log: the one in the
    user part (even when it holds an `@`) and a `password=` query parameter or keyword."""
    masked = _PASSWORD_PARAM.sub(r"\1***", url)
    scheme, sep, rest = masked.partition("://")
    head, q, query = rest.partition("?")
    if not sep or "@" not in head:
        return masked
    # The host follows the last @ before the query: a password may itself hold an @.
    creds, _, host = head.rpartition("@")
    user, colon, _ = creds.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}{q}{query}"


def quote_password(url: str) -> str:
    """The URL with its password percent-encoded, so a password holding an `@` (or `/`)
    is read whole rather than split into a wrong host; an already quoted one is kept."""
    from urllib.parse import quote

    scheme, sep, rest = url.partition("://")
    head, q, query = rest.partition("?")
    if not sep or head.count("@") < 2:
        return url
    creds, _, host = head.rpartition("@")
    user, colon, password = creds.partition(":")
    if not colon:
        return url
    return f"{scheme}://{user}:{quote(password, safe='%')}@{host}{q}{query}"


_PASSWORD_PARAM = re.compile(r"((?:^|[?&\s])password\s*=\s*)[^&\s]*", re.I)
