"""For developers: `python -m chosei.migrations "what changed"` writes the next revision.

It upgrades a scratch SQLite store to the current head, autogenerates the difference
between it and the models, and names the revision with the next number. Then set
`HEAD_REVISION` in `chosei/migrations/__init__.py` to that number (a test fails until
you do) and read the generated file: autogenerate misses renames and data moves.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import create_engine

from chosei.migrations.runner import config, upgrade


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].strip():
        sys.stderr.write('usage: python -m chosei.migrations "what changed"\n')
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        upgrade(engine)
        cfg = config(engine)
        head = ScriptDirectory.from_config(cfg).get_current_head() or "0000"
        rev_id = f"{int(head) + 1:04d}"
        command.revision(cfg, message=argv[0].strip(), autogenerate=True, rev_id=rev_id)
        engine.dispose()
    sys.stdout.write(f"wrote revision {rev_id}; now set HEAD_REVISION = \"{rev_id}\" in "
                     "chosei/migrations/__init__.py and review the file\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
