"""Where the store lives and who is acting; resolved per invocation, never at import."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

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
        return f"sqlite:///{Path(value).expanduser()}"
    return value


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
    """The URL with any password replaced by ***, safe to print or log."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, at, host = rest.rpartition("@")
    if ":" in creds:
        user = creds.split(":", 1)[0]
        creds = f"{user}:***"
    return f"{scheme}://{creds}{at}{host}"
