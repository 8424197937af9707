"""`chosei victim`: placeholder, being written."""

from __future__ import annotations

from chosei.cli._app import new_app

app = new_app("victims.")
