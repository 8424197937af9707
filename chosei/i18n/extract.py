"""Babel's extractor for chosei: Babel's own Python extractor, plus the command line's
help texts, which are plain strings typer reads (``help=`` of commands and options, the
docstrings of command functions, decorated or registered as ``app.command("name")(fn)``,
and the help a noun's sub-app is made with, ``new_app("…")``). The CLI translates them when it builds its
commands (`chosei.cli._app.translate_command`), with the string typer holds as msgid.

Used by ``pybabel extract -F babel.cfg`` (see README "Languages"); Babel is needed only
to maintain the catalogues, never at run time.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

_HELP_KEYWORDS = ("help", "short_help", "epilog", "rich_help_panel")
_COMMAND_DECORATORS = ("command", "callback")
_APP_FACTORIES = ("new_app",)  # chosei.cli._app.new_app(help_text): a noun's help


def _decorated_as_command(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in _COMMAND_DECORATORS:
            return True
    return False


def _registered_names(tree: ast.AST) -> set[str]:
    """Functions made commands by a call rather than a decorator: `app.command("init")(init)`."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Call)
                and isinstance(node.func.func, ast.Attribute) and node.func.func.attr in _COMMAND_DECORATORS):
            names.update(arg.id for arg in node.args if isinstance(arg, ast.Name))
    return names


def _help_strings(source: str) -> Iterator[tuple[int, str]]:
    tree = ast.parse(source)
    registered = _registered_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            target = node.func
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
            if (name in _APP_FACTORIES and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str) and node.args[0].value.strip()):
                yield node.args[0].lineno, node.args[0].value
            for keyword in node.keywords:
                if (keyword.arg in _HELP_KEYWORDS and isinstance(keyword.value, ast.Constant)
                        and isinstance(keyword.value.value, str) and keyword.value.value.strip()):
                    yield keyword.value.lineno, keyword.value.value
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                _decorated_as_command(node) or node.name in registered):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.lineno, inspect.cleandoc(doc)


def extract_chosei(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    from babel.messages.extract import extract_python

    found: Iterator[Any] = extract_python(fileobj, keywords, comment_tags, options)  # type: ignore[arg-type]
    yield from found  # Babel types `options` as a TypedDict of its own; chosei passes it on
    fileobj.seek(0)
    source = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    for lineno, text in _help_strings(source):
        yield lineno, None, text, []
