"""Linking a row to a victim by name: a register keyed by names, not by chosei's IDs.

A family association's or a temple's register knows the dead by name, often the
Japanese-style one (金本正雄) or its reading. In Names, Relatives and Identifications,
a Victim ID cell that names no victim (in the workbook or the store) but equals one of
a victim's names links the row to that victim, with a warning naming the ID and the
name. Equal means equal to one of the name's search keys (`chosei.names.search_keys`):
the name normalised (width, case, spaces, hyphens and middle dots; katakana as
hiragana), and for a hangul name its romanisations, so `Kim Jeongung` is 김정웅. The
cell itself is not romanised: 김종웅 is not 김정웅, though both may be `Kim Chongung`. A
name shared by several victims is an error listing them; a value that is neither an ID
nor a name gets the usual error, with the IDs and names it comes close to.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from chosei.exchange import schema
from chosei.exchange.adapters import Entry, existing_ids
from chosei.exchange.reader import RawSheet
from chosei.exchange.report import Problem
from chosei.i18n import _
from chosei.models import Victim, VictimName
from chosei.models.victims import NAME_FIELDS
from chosei.names import name_matches, normalize, search_keys

FIELD = "victim_id"
_SUGGEST = 3


class VictimNames:
    """Every victim's names (the workbook's Victims rows over the store's), built the
    first time a Victim ID cell holds something that is no victim's ID."""

    def __init__(self, session: Session, workbook: dict[str, dict[str, Any]]) -> None:
        self.session = session
        self.workbook = workbook  # victim ID → its clean row, from the Victims sheet
        self._names: dict[str, list[str]] | None = None
        self._keys: dict[str, set[str]] = {}

    @property
    def names(self) -> dict[str, list[str]]:
        if self._names is None:
            names: dict[str, list[str]] = {}
            victim = Victim.__table__
            for row in self.session.execute(select(victim)).mappings():
                if row["id"] not in self.workbook:
                    names[row["id"]] = [row[f] for f in NAME_FIELDS if row[f]]
            for vid, given in self.workbook.items():
                names[vid] = [given[f] for f in NAME_FIELDS if given.get(f)]
            variant = VictimName.__table__
            for vid, name in self.session.execute(select(variant.c.victim_id, variant.c.name)):
                names.setdefault(vid, []).append(name)
            self._names = names
            for vid, spellings in names.items():
                keys: set[str] = set()
                for spelling in spellings:
                    keys |= search_keys(spelling)
                self._keys[vid] = keys
        return self._names

    def named(self, value: str) -> dict[str, str]:
        """The victims one of whose names `value` is: ID → that name."""
        key = normalize(value)
        if not key:
            return {}
        found = {}
        for vid, spellings in self.names.items():
            if key in self._keys[vid]:
                found[vid] = next(s for s in spellings if key in search_keys(s))
        return dict(sorted(found.items()))

    def close(self, value: str) -> list[str]:
        """IDs close to `value`, and victims with a name containing it: `ID (name)`."""
        ids = difflib.get_close_matches(value, list(self.names), n=_SUGGEST, cutoff=0.75)
        out = list(ids)
        for vid, spellings in self.names.items():
            if len(out) >= _SUGGEST:
                break
            if vid not in out and spellings and name_matches(value, self._keys[vid]):
                hit = next((s for s in spellings if name_matches(value, search_keys(s))), spellings[0])
                out.append(f"{vid} ({hit})")
        return out


def link_by_name(session: Session, raw: RawSheet, entries: Iterable[Entry], defined: set[str],
                 names: VictimNames, problems: list[Problem], warnings: list[str]) -> None:
    """Point each entry whose Victim ID cell holds a victim's name at that victim."""
    entries = [e for e in entries if isinstance(e.values.get(FIELD), str)]
    values = {e.values[FIELD] for e in entries} - defined
    if not values:
        return
    unknown = values - existing_ids(session, "victim", values)
    if not unknown:
        return
    col = raw.col_of.get(FIELD)
    header = raw.header_of(col) if col is not None else \
        raw.spec.column(FIELD).header(schema.title_language(raw.title) or "en")
    for entry in entries:
        value = entry.values[FIELD]
        if value not in unknown:
            continue
        found = names.named(value)
        if len(found) == 1:
            (vid, name), = found.items()
            entry.values[FIELD] = vid
            warnings.append(_("{sheet}, row {row}: {header} '{value}' is no victim ID but the name of {id} "
                              "({name}); the row was linked to {id}").format(
                                  sheet=raw.title, row=entry.row, header=header, value=value, id=vid, name=name))
        elif found:
            listed = [f"{vid} ({name})" for vid, name in found.items()]
            problems.append(raw.problem(
                entry.row, col, _("'{value}' is no victim ID but a name of {victims} and {last}: write the ID "
                                  "of the victim meant").format(
                                      value=value, victims=", ".join(listed[:-1]), last=listed[-1]), header))
            entry.bad = True
