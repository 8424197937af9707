"""`chosei`: the case workers' command line. One sub-app per noun."""

from typing import Annotated

import typer

from chosei.cli._app import AppState, LazyGroup, use_chosei_commands
from chosei.cli.case_cmd import register as register_case
from chosei.cli.corrections_cmd import register as register_corrections
from chosei.cli.exchange_cmd import register as register_exchange
from chosei.cli.report_cmd import register as register_reports


class _Root(LazyGroup):
    lazy_apps = {
        "victim": "chosei.cli.victim_cmd:app",
        "relative": "chosei.cli.relative_cmd:app",
        "family": "chosei.cli.family_cmd:app",
        "operation": "chosei.cli.recovery_cmd:operation_app",
        "specimen": "chosei.cli.recovery_cmd:specimen_app",
        "sample": "chosei.cli.sample_cmd:app",
        "custody": "chosei.cli.recovery_cmd:custody_app",
        "match": "chosei.cli.match_cmd:app",
        "snp": "chosei.cli.snp_cmd:app",
        "audit": "chosei.cli.audit_cmd:app",
        "db": "chosei.cli.db_cmd:app",
    }


app = typer.Typer(
    name="chosei",
    cls=_Root,
    help=(
        "Track the identification of the 183 miners of the Chosei undersea coal mine: "
        "victims and their names, families and consent, recovered remains and their "
        "custody, DNA samples and profiles, kinship matches, identifications, returns.\n\n"
        "The store is --db, else $CHOSEI_DB, else ~/.local/share/chosei/chosei.db "
        "(SQLite). Example: chosei --db postgresql+psycopg://me@server/chosei status"
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    """`--version`: read from the installed package's metadata only when asked, so that
    `chosei --help` does not pay for importlib.metadata."""
    if value:
        from importlib.metadata import version

        typer.echo(f"chosei {version('chosei')}")
        raise typer.Exit()


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
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="ko|ja|en",
                     help="Language of chosei's messages, help and tables: ko, ja or en; "
                          "overrides $CHOSEI_LANG and the locale ($LANG)."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_show_version,
                     help="Print chosei's version and exit."),
    ] = False,
) -> None:
    state = AppState(db=db, actor=as_)
    ctx.obj = state
    ctx.call_on_close(state.close)


register_case(app)
register_reports(app)
register_exchange(app)
register_corrections(app)


use_chosei_commands(app)


def main() -> None:
    app()
