"""The command-line shell around the library: global options, errors, output.

Nothing here is imported by the library. Commands import their services lazily, inside
the function body, so `chosei --help` costs little more than importing typer. The
modules of `chosei.cli` do not use ``from __future__ import annotations``: typer reads
every command's annotations when it builds the command, and string annotations would
each be compiled and evaluated on every start (about 40 ms for all commands).
"""

import difflib
import importlib
import json
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from chosei import i18n
from chosei.cli._columns import WIDE, ChoseiContext, cut_to, pad
from chosei.errors import ChoseiError
from chosei.i18n import N_, _
from chosei.text import display_width

DEMO_BANNER = N_("DEMO CASE: fictional, generated data — not real victims or families.")
"""Shown translated: `_(DEMO_BANNER)`."""
INTERNAL_ERROR = 70


# --- Language -------------------------------------------------------------------------

# What typer prints itself, through Python's gettext (its "Options", "Commands", …): listed
# here so that the catalogue holds them; `speak` points gettext's global domain at
# chosei's catalogue.
TYPER_TEXTS = (
    N_("Options"), N_("Commands"), N_("Arguments"), N_("required"), N_("default: {default}"),
    N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"), N_("Missing command."),
    N_("No such command {name!r}."), N_("Show this message and exit."), N_("Usage: "),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)
_ROOT_VALUE_OPTIONS = ("--db", "--as", "--lang")


def language_argument(args: Sequence[str]) -> str | None:
    """The root's `--lang` among `args` (before the command's name), if given."""
    items = list(args)
    n = 0
    while n < len(items):
        arg = items[n]
        if arg == "--lang":
            return items[n + 1] if n + 1 < len(items) else None
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-"):
            return None  # the command's name: what follows is the command's
        n += 2 if arg in _ROOT_VALUE_OPTIONS else 1
    return None


def speak(lang: str | None) -> str:
    """Choose the language (`--lang`, else $CHOSEI_LANG, else the locale) and make typer's
    own texts follow it."""
    import gettext
    import os

    chosen = i18n.choose(lang)
    gettext.bindtextdomain(i18n.DOMAIN, str(i18n.LOCALE_DIR))
    gettext.textdomain(i18n.DOMAIN)
    os.environ["LANGUAGE"] = chosen  # what gettext.gettext, and so typer, reads
    return chosen


class _Translated:
    """Help in the current language: the help option's text and the usage line's prefix
    (the rest is translated once, by `translate_command`), wrapped by terminal columns
    (ChoseiContext)."""

    def get_short_help_str(self, limit: int = 45) -> str:
        text: str = super().get_short_help_str(limit)  # type: ignore[misc]
        if not WIDE.search(text):
            return text
        # typer's cut counts characters and ends a sentence only at ".": say it again by
        # columns, ending at the first sentence (". " or "。").
        whole = " ".join((getattr(self, "short_help", None) or getattr(self, "help", None) or "")
                         .split("\n\n")[0].split())
        if sentence := re.match(r"(.+?(?:\.(?=\s|$)|。))", whole):
            whole = sentence.group(1)
        return cut_to(whole, limit)

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "help", None):
                param.help = _(param.help)
        return params

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))


class ChoseiCommand(_Translated, TyperCommand):
    """Every leaf command (`use_chosei_commands` has typer build its commands as these)."""

    context_class = ChoseiContext


def translate_command(command: Any) -> None:
    """Translate a built command tree's help texts into the current language: the English
    text typer holds is the msgid (chosei.i18n.extract puts it in the catalogue)."""
    for attribute in ("help", "short_help", "epilog"):
        if text := getattr(command, attribute, None):
            setattr(command, attribute, _(text))
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values():
        translate_command(sub)


def use_chosei_commands(app: typer.Typer) -> typer.Typer:
    """Build `app`'s commands as ChoseiCommand (before typer builds them)."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = ChoseiCommand
    for group in app.registered_groups:
        if group.typer_instance is not None:
            use_chosei_commands(group.typer_instance)
    return app


class ChoseiGroup(_Translated, TyperGroup):
    """Turns a known error into one line and an exit code; a bug keeps its traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # typer's suggestions see only the built commands (not LazyGroup's) and are glued
        # on in English: `get_command` suggests instead.
        self.suggest_commands = False

    context_class = ChoseiContext

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and not ctx.resilient_parsing \
                and (close := difflib.get_close_matches(cmd_name, self.list_commands(ctx))):
            ctx.fail(_("No such command {name!r}. Did you mean {suggestions}?").format(
                name=cmd_name, suggestions=", ".join(map(repr, close))))
        return command

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:  # the root sees every argument once, before any command runs
            try:
                speak(language_argument(args))
            except i18n.LanguageError as exc:
                speak("en")
                error_line(str(exc))
                ctx.exit(2)
            translate_command(self)
            try:
                check_arguments(args)
            except ChoseiError as exc:
                error_line(exc.message)
                ctx.exit(exc.exit_code)
            try:
                return super().parse_args(ctx, args)
            except typer.TyperException as exc:
                usage_error(exc)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ChoseiError as exc:
            error_line(exc.message)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader (e.g. `| head`) stopped reading: not an error; silence the final flush.
            _silence_stdout()
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            typer.echo(_("Interrupted: nothing was changed."), err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except typer.TyperException as exc:
            if ctx.parent is None:  # the root: every command's usage error arrives here
                usage_error(exc)
            raise
        except Exception as exc:
            if type(exc).__module__.startswith(("click", "typer._click")):
                raise
            typer.echo("".join(traceback.format_exception(exc)), err=True)
            typer.echo(
                _("Internal error: this is a bug in chosei; nothing was changed. "
                  "Please report it with the text above."),
                err=True,
            )
            raise typer.Exit(INTERNAL_ERROR) from None


# --- Usage errors --------------------------------------------------------------------
# typer's parser (its vendored click) writes its usage errors in English. Where chosei
# speaks another language, `usage_error` says them again from the exception's public
# attributes (the option, the parameter, the value); one it does not know stays English.

def usage_error(exc: Exception) -> None:
    """Print typer's usage error `exc` in the current language and exit with its code;
    re-raise it (typer prints it, in English) when chosei speaks English or `exc` is not
    a usage error it can say otherwise."""
    ctx = getattr(exc, "ctx", None)
    message = _usage_message(exc) if i18n.current() != "en" else None
    if message is None or type(exc).__name__ == "NoArgsIsHelpError":
        raise exc
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]) + "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", err=True)
    typer.echo(_("Error: {message}").format(message=printable(message)), err=True)
    raise typer.Exit(getattr(exc, "exit_code", 2))


def _usage_message(exc: Exception) -> str | None:
    """`exc`'s message in the current language, or None when it cannot be said otherwise
    (then the English stands)."""
    kind = type(exc).__name__
    text = str(getattr(exc, "message", "") or "")
    option = getattr(exc, "option_name", None)
    if kind == "NoSuchOption" and option and text.startswith("No such option:"):
        said = _("No such option: {option}").format(option=option)
        if possibilities := getattr(exc, "possibilities", None):
            said += " " + _("(Possible options: {options})").format(options=", ".join(sorted(possibilities)))
        return said
    if kind == "BadOptionUsage" and option:
        if text.endswith("requires an argument."):
            return _("Option {option!r} requires a value.").format(option=option)
        if text.endswith("does not take a value."):
            return _("Option {option!r} does not take a value.").format(option=option)
        return None
    param = getattr(exc, "param", None)
    if kind == "MissingParameter" and param is not None and not text:
        hint = _param_hint(exc, param)
        extra = param.get_missing_message(getattr(exc, "ctx", None)) if hasattr(param, "get_missing_message") else ""
        if extra:
            return None
        said = {"argument": _("Missing argument {name}."), "option": _("Missing option {name}.")}.get(
            getattr(exc, "param_type", None) or param.param_type_name, _("Missing parameter {name}."))
        return said.format(name=hint)
    if kind == "BadParameter" and param is not None:
        reason = _invalid_reason(exc, text)
        return None if reason is None else _("Invalid value for {name}: {reason}").format(
            name=_param_hint(exc, param), reason=reason)
    if kind == "UsageError" and getattr(exc, "ctx", None) is not None:
        if match := re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", text, re.S):
            return _("Got unexpected extra argument(s) ({arguments})").format(arguments=match.group(1))
        # The other failures a context reports are typer's "Missing command." and "No such
        # command", said through gettext, and ChoseiGroup's, said through `_`.
        return text
    return None


def _param_hint(exc: Exception, param: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    if hint is None:
        return str(param.get_error_hint())
    return hint if isinstance(hint, str) else " / ".join(repr(h) for h in hint)


def _invalid_reason(exc: Exception, text: str) -> str | None:
    """Why typer refused a value: from pydantic's error types, which typer converts with
    (the `__cause__` of its BadParameter), or None when it is not a common one."""
    errors = getattr(exc.__cause__, "errors", None)
    if not callable(errors):
        return None
    found = errors()
    if len(found) != 1:
        return None
    value = found[0].get("input")
    reasons = {
        "int_parsing": N_("{value!r} is not a whole number."),
        "int_from_float": N_("{value!r} is not a whole number."),
        "float_parsing": N_("{value!r} is not a number."),
        "bool_parsing": N_("{value!r} is not yes or no (true/false)."),
        "date_from_datetime_parsing": N_("{value!r} is not a date (YYYY-MM-DD)."),
        "date_parsing": N_("{value!r} is not a date (YYYY-MM-DD)."),
        "datetime_parsing": N_("{value!r} is not a date and time (YYYY-MM-DDTHH:MM)."),
        "datetime_from_date_parsing": N_("{value!r} is not a date and time (YYYY-MM-DDTHH:MM)."),
    }
    reason = reasons.get(str(found[0].get("type")))
    return None if reason is None else _(reason).format(value=value)


class LazyGroup(ChoseiGroup):
    """A group whose sub-apps are imported and built only when a command names them.

    `lazy_apps` maps a name to ``"module:attribute"`` of a `typer.Typer`. Building
    every command's parameters costs more than most commands' own work, so
    `chosei status` builds none of the nouns' sub-apps and `chosei victim add` one.
    """

    lazy_apps: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built: dict[str, Any] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *self.lazy_apps]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        target = self.lazy_apps.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        if cmd_name not in self._built:
            module, attribute = target.split(":")
            group = typer.main.get_group(use_chosei_commands(getattr(importlib.import_module(module), attribute)))
            group.name = cmd_name
            translate_command(group)
            self._built[cmd_name] = group
        return self._built[cmd_name]


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file descriptor (a test runner's buffer)


@dataclass
class AppState:
    """What the global options resolve to; the engine is built on first use, once."""

    db: str | None = None
    actor: str | None = None
    _store: Any = field(default=None, repr=False)
    _demo: bool | None = None

    def store(self, *, create: bool = False) -> Any:
        """The store, opened once. A missing SQLite file is created only by a command that
        writes (`create`) or when it is the default store: a command that only reads a
        mistyped --db path says so rather than making a new empty store."""
        if self._store is None:
            from chosei.config import is_default_store, resolve_db_url
            from chosei.store import open_store

            create = create or is_default_store(self.db)
            self._store = open_store(resolve_db_url(self.db), create=create)
        return self._store

    @contextmanager
    def session(self, *, write: bool = False, create: bool | None = None) -> Iterator[Any]:
        """One transaction; a writer creates a missing store unless `create=False` (an
        export writes only its audit entry: a mistyped path is an error)."""
        from chosei.config import resolve_actor
        from chosei.store import session_scope

        store = self.store(create=write if create is None else create)
        with session_scope(store, actor=resolve_actor(self.actor), write=write) as s:
            self._note_demo(s)
            yield s

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """A Core connection for a read-only command that needs no ORM (`chosei status`)."""
        from chosei.store import read_scope

        with read_scope(self.store()) as conn:
            self._note_demo(conn)
            yield conn

    def store_files(self) -> list[Any]:
        """The files of a SQLite store (its journals too): no output may overwrite them."""
        from chosei.config import resolve_db_url, sqlite_path
        from chosei.outputs import sqlite_files

        path = sqlite_path(resolve_db_url(self.db))
        return sqlite_files(path) if path else []

    def output(self, target: Any, *inputs: Any) -> Any:
        """The file a command writes (see `chosei.outputs`): never the store nor `inputs`."""
        from chosei.outputs import output_file

        return output_file(target, [*self.store_files(), *inputs])

    def _note_demo(self, conn: Any) -> None:
        if self._demo is None:
            from chosei.services.case import is_demo

            self._demo = is_demo(conn)

    @property
    def demo(self) -> bool:
        return bool(self._demo)

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
            self._store = None


def state(ctx: typer.Context) -> AppState:
    """The invocation's global state; every command asks for it first, so this is also where
    the command's parsed numbers are checked against what the store can hold."""
    check_numbers(ctx)
    obj = ctx.find_root().obj
    if not isinstance(obj, AppState):
        obj = AppState()
        ctx.find_root().obj = obj
    return obj


def new_app(help_text: str) -> typer.Typer:
    return typer.Typer(
        cls=ChoseiGroup,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )


# --- Hostile input -----------------------------------------------------------------

MAX_ARGUMENT = 4000
"""Characters in one argument: more is a file's content, not a value to type."""
SHOWN = 80
"""Characters of a value an error message shows."""
_LARGEST = 2**63 - 1  # the largest integer SQLite and PostgreSQL's bigint hold

# C0 and C1 controls (newline and tab aside), DEL, and the bidi overrides and isolates
# that make a terminal show text in another order than it is stored.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def shown(value: str) -> str:
    """A value as an error shows it: on one line, controls replaced, at most 80 characters."""
    value = printable(value)
    return value if len(value) <= SHOWN else value[:SHOWN - 1] + "…"


def check_arguments(args: Sequence[str]) -> None:
    """Refuse what no command can use: bytes that are not UTF-8 (Python hands them over as
    lone surrogates), control characters other than newline and tab, invisible format
    characters, and values longer than MAX_ARGUMENT. Before any command runs, so nothing is opened or changed."""
    from chosei.errors import InvalidInput

    for n, arg in enumerate(args, 1):
        if _SURROGATE.search(arg):
            safe = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise InvalidInput(_("argument {n} ('{value}') is not valid UTF-8; retype it, "
                                 "or set the terminal's encoding to UTF-8").format(n=n, value=shown(safe)))
        if len(arg) > MAX_ARGUMENT:
            raise InvalidInput(_("argument {n} ('{value}') is {length:,} characters long; "
                                 "the most is {most:,}: put long text in a workbook").format(
                n=n, value=shown(arg), length=len(arg), most=MAX_ARGUMENT))
        if found := _UNSAFE.search(arg) or _invisible(arg):
            code = f"U+{ord(found.group()):04X}"
            raise InvalidInput(_("argument {n} ('{value}') holds the control or invisible character "
                                 "{code}; retype it without it").format(
                n=n, value=shown(arg.replace(found.group(), f"<{code}>")), code=code))


def _invisible(arg: str) -> re.Match[str] | None:
    # Format characters (zero-width spaces and joiners, bidi marks, soft hyphens) make two
    # different values look the same; no value typed for chosei needs them.
    import unicodedata

    for i, ch in enumerate(arg):
        if ord(ch) > 0x7f and unicodedata.category(ch) == "Cf":
            return _ONE_CHAR.match(arg, i)
    return None


_ONE_CHAR = re.compile(".", re.S)


def check_numbers(ctx: typer.Context) -> None:
    """Refuse a parsed number no store can hold (`--last 99999999999999999999999`) or that
    is not a number at all (`--theta inf`, `nan`), naming the option."""
    import math

    from chosei.errors import InvalidInput

    for param in ctx.command.params:
        values = ctx.params.get(param.name)
        for value in values if isinstance(values, list | tuple) else [values]:
            name = param.opts[0] if param.param_type_name == "option" else (param.name or "").upper()
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _LARGEST:
                raise InvalidInput(_("{option} {value} is too large a number; the most is {most:,}").format(
                    option=name, value=shown(str(value)), most=_LARGEST))
            if isinstance(value, float) and not math.isfinite(value):
                raise InvalidInput(_("{option} must be a finite number, not {value}").format(
                    option=name, value=value))


def printable(text: str, *, lines: bool = False) -> str:
    """`text` safe to print on a terminal: every control character (and newline and tab
    unless `lines`) and every bidi override replaced, so data cannot move the cursor,
    recolour the screen, or disguise itself. The one place the CLI's output is cleaned."""
    return (_UNSAFE if lines else _UNSAFE_LINE).sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() in "\n\r\t" else "\ufffd"


def error_line(message: str) -> None:
    """A known error: one line, its values cleaned and cut (see `shown`)."""
    shown_message = _QUOTED.sub(lambda m: repr_cut(m.group(1)), printable(message))
    typer.echo(_("Error: {message}").format(message=shown_message), err=True)


# A quoted value: an opening quote not after a letter, a closing one not before one
# (so the apostrophes of "the store's file" are not taken for quotes).
_QUOTED = re.compile(rf"(?<!\w)'([^']{{{SHOWN + 1},}})'(?!\w)")


def repr_cut(value: str) -> str:
    return f"'{shown(value)}'"


# --- Output ------------------------------------------------------------------------


def banner(st: AppState, *, as_json: bool = False) -> None:
    if st.demo:
        typer.echo(_(DEMO_BANNER), err=as_json)


def emit_json(data: Any) -> None:
    # json escapes C0 controls itself; C1 controls and bidi overrides are escaped here.
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    typer.echo(_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return printable(str(value))


def emit_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str | None = None,
               empty: str | None = None) -> None:
    """A plain aligned table: readable on a terminal and stable for scripts and tests.

    `columns` are the rows' keys; the header shows each in the current language (`header`);
    `title` and `empty` are given translated."""
    if title:
        typer.echo(printable(title))
    if not rows:
        typer.echo(_("({nothing})").format(nothing=_("nothing to show") if empty is None else empty))
        return
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    headers = [header(c) for c in columns]
    widths = [max(display_width(h), *(display_width(row[i]) for row in cells)) for i, h in enumerate(headers)]
    typer.echo("  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        typer.echo("  ".join(pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip())


def emit_listing(st: AppState, rows: Sequence[dict[str, Any]], columns: Sequence[str], *, as_json: bool,
                 empty: str, counted: str, table: Sequence[dict[str, Any]] | None = None) -> None:
    """A listing command's output: the rows as JSON, or as a table (`table` when the rows
    read differently on a terminal) followed by their count (`counted`, translated, with
    ``{n}``); the demo banner either way."""
    banner(st, as_json=as_json)
    if as_json:
        emit_json(rows)
        return
    emit_table(rows if table is None else table, columns, empty=empty)
    typer.echo(counted.format(n=len(rows)))


def emit_record(record: dict[str, Any], *, title: str | None = None) -> None:
    """One record, a field a line; each field named in the current language (`header`)."""
    if title:
        typer.echo(printable(title))
    keys = [header(k) for k in record]
    width = max((display_width(k) for k in keys), default=0)
    for key, value in zip(keys, record.values(), strict=True):
        typer.echo(f"{pad(key, width)}  {_cell(value)}")


def stage_word(stage: str) -> str:
    """A family or remains stage (`chosei.rules`) in the current language, as the report
    and the export's Dashboard sheet word it (`chosei.reports.labels.stage_label`, which
    loads no ORM); a stage not listed shows as it is."""
    from chosei.reports.labels import STAGES, stage_label

    return stage_label(stage) if stage in STAGES else stage


def header(name: str) -> str:
    """A table's column or a record's field as the reader reads it: the field's name in
    English (what scripts and tests know), a word in Korean and Japanese (the exchange
    workbook's headers where it has one). A name not listed shows as it is."""
    if i18n.current() == "en":
        return name
    from chosei.cli._headers import headers

    return headers().get(name, name)


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal, fed `update(done, total)`; None
    otherwise (scripts, tests)."""
    if not stderr_is_tty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


# --- Edits -------------------------------------------------------------------------

# Options many commands share.
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
Notes = Annotated[str | None, typer.Option("--notes", help="Free notes.")]
ClearOpt = Annotated[list[str] | None, typer.Option(
    "--clear", metavar="FIELD",
    help="Empty a field, named as its option is (e.g. --clear notes); may be repeated.")]


# A noun's add and edit commands declare each field's option once, as an `Annotated`
# alias, and name the parameter after the model field it sets (`birth_date: Born`), as
# sqlite-utils and pip share their options. What a command was given is then read from
# its own click context, so no table maps option names to fields a second time; an
# option that is not named after a field (`--clear`, `--json`) is the command's own.


def _field_options(ctx: typer.Context, model: type[Any]) -> list[Any]:
    return [p for p in ctx.command.params
            if p.param_type_name == "option" and p.name in model.model_fields]


def given(ctx: typer.Context, model: type[Any]) -> dict[str, Any]:
    """The options given (not None) that are named after a field of `model`, by field."""
    return {p.name: ctx.params[p.name] for p in _field_options(ctx, model)
            if ctx.params.get(p.name) is not None}


def cleared(ctx: typer.Context, model: type[Any], clear: Sequence[str] | None) -> list[str]:
    """The fields named by `--clear`, by option name (`born`) or field name (`birth_date`)."""
    fields = {opt.lstrip("-"): p.name for p in _field_options(ctx, model) for opt in p.opts}
    return [fields.get(c.strip().lstrip("-"), c.strip()) for c in clear or []]


def emit_result(st: AppState | None, data: Any, lines: Sequence[str], *, as_json: bool) -> None:
    """What a command that did something reports: `data` as JSON with --json, else
    `lines`; the demo banner either way (on stderr with --json, so stdout stays JSON)
    when the command opened a store (`st`)."""
    if st is not None:
        banner(st, as_json=as_json)
    if as_json:
        emit_json(data)
        return
    for line in lines:
        typer.echo(line)


def added(kind: str, row: Any, *, exclude: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON an add command prints: what was added and the row as stored."""
    from chosei.services.lookup import plain

    return {"added": kind, "record": plain(row, exclude=exclude)}


def emit_changes(st: AppState, kind: str, ident: str, done: Sequence[Any], *, as_json: bool = False) -> None:
    """What an edit changed, one field a line (or as JSON); a sensitive value is never shown."""
    from chosei.models import SENSITIVE_FIELDS

    if as_json:
        changes = [{"field": c.field} if c.field in SENSITIVE_FIELDS else
                   {"field": c.field, "before": c.before, "after": c.after} for c in done]
        emit_result(st, {"updated": kind, "id": ident, "changes": changes}, [], as_json=True)
        return
    banner(st)
    unchanged, updated = _EDITED[kind]
    if not done:
        typer.echo(_(unchanged).format(id=ident))
        return
    typer.echo(_(updated).format(id=ident))
    for change in done:
        if change.field in SENSITIVE_FIELDS:
            typer.echo("    " + _("{field}: changed").format(field=header(change.field)))
        else:
            typer.echo(f"    {header(change.field)}: {_shown(change.before)} -> {_shown(change.after)}")


# What an edit of each kind says: unchanged, and updated (its changes follow).
_EDITED = {
    "victim": (N_("Victim {id} unchanged: it already holds these values."), N_("Updated victim {id}:")),
    "relative": (N_("Relative {id} unchanged: it already holds these values."), N_("Updated relative {id}:")),
    "sample": (N_("Sample {id} unchanged: it already holds these values."), N_("Updated sample {id}:")),
    "operation": (N_("Operation {id} unchanged: it already holds these values."),
                  N_("Updated operation {id}:")),
    "specimen": (N_("Specimen {id} unchanged: it already holds these values."), N_("Updated specimen {id}:")),
}


def _shown(value: Any) -> str:
    return "∅" if value is None else _cell(value)
