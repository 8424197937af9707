"""`backup_store`: a consistent copy of a SQLite store, taken while others use it.

SQLite's online backup API copies the pages under a read transaction, so writers that
commit meanwhile are either wholly in the copy or wholly absent. The copy goes through
`chosei.outputs` (written beside the target, renamed when whole) and is checked with
`quick_check` before it takes its name. A PostgreSQL store is backed up with pg_dump.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from chosei.errors import InvalidInput, StoreError
from chosei.i18n import _
from chosei.outputs import output_file
from chosei.store import Store, store_faults


def backup_store(store: Store, target: Path | str, protected: Iterable[Path] = ()) -> dict[str, Any]:
    """Copy the SQLite store to `target`; return its path, size and page count."""
    if store.dialect != "sqlite":
        raise InvalidInput(_("`chosei db backup` copies SQLite stores; back up the {dialect} store at {url} "
                             "with the server's own tools: pg_dump --format=custom (see docs/security.md, "
                             "Store faults and backups)").format(dialect=store.dialect, url=store.display_url))
    target = Path(target)
    raw = store.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert source is not None  # a connection just checked out of the pool has its driver's
        with output_file(target, protected) as tmp, store_faults(store), \
                closing(sqlite3.connect(tmp)) as copy:
            try:
                source.backup(copy)
            except sqlite3.DatabaseError as exc:
                raise StoreError(_("cannot back up the store at {url}: {reason}; nothing was written").format(
                    url=store.display_url, reason=exc)) from None
            pages = copy.execute("PRAGMA page_count").fetchone()[0]
            check = copy.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise StoreError(_("the store at {url} is damaged ({reason}): the copy was not kept; restore an "
                                   "earlier backup").format(url=store.display_url, reason=check))
    finally:
        raw.close()
    return {"path": str(target), "pages": pages, "bytes": target.stat().st_size}
