"""`chosei`: the case workers' command line. One sub-app per noun."""

from __future__ import annotations

from typing import Annotated

import typer

from chosei.cli._app import AppState, ChoseiGroup
from chosei.cli.audit_cmd import app as audit_app
from chosei.cli.case_cmd import register as register_case
from chosei.cli.db_cmd import app as db_app
from chosei.cli.exchange_cmd import register as register_exchange
from chosei.cli.match_cmd import app as match_app
from chosei.cli.recovery_cmd import custody_app, operation_app, specimen_app
from chosei.cli.relative_cmd import app as relative_app
from chosei.cli.report_cmd import register as register_reports
from chosei.cli.sample_cmd import app as sample_app
from chosei.cli.victim_cmd import app as victim_app

app = typer.Typer(
    name="chosei",
    cls=ChoseiGroup,
    help=(
        "Track the identification of the 183 miners of the Chosei undersea coal mine: "
        "victims and their names, families and consent, recovered remains and their "
        "custody, DNA samples and profiles, kinship matches, identifications, returns.\n\n"
        "The store is --db, else $CHOSEI_DB, else ~/.local/share/chosei/chosei.db "
        "(SQLite). Example: chosei --db postgresql+psycopg://me@server/chosei status"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLAlchemy URL or SQLite file path of the store; overrides $CHOSEI_DB."),
    ] = None,
    as_: Annotated[
        str | None,
        typer.Option("--as", help="Who is acting, for the audit trail; overrides $CHOSEI_USER."),
    ] = None,
) -> None:
    state = AppState(db=db, actor=as_)
    ctx.obj = state
    ctx.call_on_close(state.close)


register_case(app)
register_reports(app)
register_exchange(app)
app.add_typer(victim_app, name="victim")
app.add_typer(relative_app, name="relative")
app.add_typer(operation_app, name="operation")
app.add_typer(specimen_app, name="specimen")
app.add_typer(sample_app, name="sample")
app.add_typer(custody_app, name="custody")
app.add_typer(match_app, name="match")
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")


def main() -> None:
    app()
