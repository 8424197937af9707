"""placeholder, being written."""

from __future__ import annotations

from chosei.cli._app import new_app

operation_app = new_app("Recovery operations.")
specimen_app = new_app("Specimens.")
custody_app = new_app("Custody.")
