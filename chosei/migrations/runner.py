"""Alembic, configured from code: no alembic.ini to find, no URL in a file."""

from __future__ import annotations

import io
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

HERE = Path(__file__).parent


def config(engine: Engine) -> Config:
    # Alembic's messages would go to the stdout of import time; the library prints nothing.
    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(config(engine), revision)


def check(engine: Engine) -> None:
    """Raise if the models and the migrations disagree (alembic's own `check`)."""
    command.check(config(engine))


def known_revisions(engine: Engine) -> set[str]:
    """Every schema revision this chosei ships; a store at another one is from a newer chosei."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(config(engine)).walk_revisions()}
