"""Editing a row in place: the one mechanism behind every `edit` command.

Only the fields named change; the row as a whole is validated again through its
`…Create` model, so a required field cannot be emptied and vocabularies and dates parse
as they do when the row is added. Every change is audited by the session hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.services.lookup import plain
from chosei.services.validation import field_label, validate

M = TypeVar("M", bound=BaseModel)


@dataclass
class Change:
    field: str
    before: Any
    after: Any


def update_row(
    session: Session,
    row: Any,
    create: type[M],
    kind: str,
    editable: Sequence[str],
    changes: Mapping[str, Any],
    clear: Iterable[str] = (),
    *,
    check: Callable[[M], None] | None = None,
) -> list[Change]:
    """Set the fields in `changes`, empty those in `clear`; the rest stay as they are.

    `check` sees the validated row before anything is set: it may refuse it (raise) or
    resolve its references (an other ID to the specimen's own). A field of `create` that
    is not `editable` is derived by its validators and set as they derive it. Returns
    what changed.
    """
    to_clear = list(dict.fromkeys(clear))
    unknown = [f for f in [*changes, *to_clear] if f not in editable]
    if unknown:
        message = (_("'{field}' is not an {kind} field; editable fields: {editable}") if kind[0] in "aeiou"
                   else _("'{field}' is not a {kind} field; editable fields: {editable}"))
        raise InvalidInput(message.format(field=unknown[0], kind=_(kind), editable=", ".join(editable)))
    both = sorted(set(changes) & set(to_clear))
    if both:
        raise InvalidInput(_("{field_label} is both set and cleared; do one or the other").format(
                               field_label=field_label(both[0])))
    if not changes and not to_clear:
        raise InvalidInput(_("nothing to change: give a field to set, or one to clear"))
    new = validate(create, {**plain(row), **changes, **dict.fromkeys(to_clear)})
    if check is not None:
        check(new)
    done = []
    # Fields the model derives from others (a victim's birth date as written) follow them.
    derived = [f for f in create.model_fields if f not in editable and f != "id" and hasattr(row, f)]
    for name in dict.fromkeys([*changes, *to_clear, *derived]):
        before, after = getattr(row, name), getattr(new, name)
        if before != after:
            done.append(Change(name, before, after))
            setattr(row, name, after)
    session.flush()
    return done
