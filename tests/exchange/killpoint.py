"""`python -m tests.exchange.killpoint POINT ARGS…`: run `chosei ARGS…` and SIGKILL the
process right after POINT of an import, so test_faults can kill it inside the write.

Points, in the order an import reaches them: `read` (the workbook read, nothing written),
`insert` (the first table's new rows inserted), `update` (the first table's changed rows
updated), `audit` (every row and its audit entries written, not committed), `committed`
(the transaction committed).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any


def _die_after(owner: Any, name: str) -> None:
    original = getattr(owner, name)

    def then_die(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, then_die)


def main() -> None:
    point = sys.argv.pop(1)
    from sqlalchemy.orm import SessionTransaction

    from chosei import audit
    from chosei.exchange import importer

    owners = {"read": (importer, "read_workbook"), "insert": (importer, "_insert"),
              "update": (importer, "_update"), "audit": (audit, "record"),
              "committed": (SessionTransaction, "commit")}
    _die_after(*owners[point])
    from chosei.cli import main as chosei

    sys.argv[0] = "chosei"
    chosei()


if __name__ == "__main__":
    main()
