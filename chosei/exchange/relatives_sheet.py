"""The Relatives sheet: one row a relative and the three cells of its consent.

Consent in a workbook is three cells: the scopes, the date given, the date withdrawn.
The store keeps consent as history, one event per consent given or withdrawn
(`ConsentEvent`); the cells show the current state (`stages.consent_states`). An export
writes the scopes in effect with the latest date they were given; when every scope was
withdrawn, all of them with the latest withdrawal date. An import compares the cells
with that view and, where one differs, adds events for the scopes the row lists (or,
when the scope cell is blank, those the view shows): a new consent date records consent
given on that date, a withdrawal date records a withdrawal, `(clear)` in the withdrawal
cell gives consent anew (dated by the consent date cell), and a scope added to the list
is consented to (anew, if it had been withdrawn). Nothing is overwritten: a mistaken
date stays in the history beside its correction. Scopes left off the list are not
withdrawn: a withdrawal is always a date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from chosei.exchange import cells, schema
from chosei.exchange.adapters import (
    Adapter,
    Entry,
    ExportContext,
    Op,
    RowError,
    Stored,
    chunks,
    present,
)
from chosei.i18n import _
from chosei.models import ConsentEvent, Relative
from chosei.models.many import Result
from chosei.models.relatives import RelativeCreate
from chosei.services.stages import consent_states

CONSENT_FIELDS = ("consent_date", "consent_scope", "consent_withdrawn")
_ALL_CONSENT_FIELDS = frozenset(CONSENT_FIELDS)


def consent_view(states: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The three consent cells for the states `stages.consent_states` gives."""
    states = list(states)
    active = [c for c in states if c["active"]]
    shown = active or states
    if not shown:
        return dict.fromkeys(CONSENT_FIELDS)
    given = [c["given_on"] for c in shown if c["given_on"]]
    withdrawn = [c["withdrawn_on"] for c in shown if c["withdrawn_on"]]
    return {
        "consent_scope": ";".join(sorted(c["scope"] for c in shown)),
        "consent_date": max(given) if given else None,
        "consent_withdrawn": None if active or not withdrawn else max(withdrawn),
    }


def _before(a: str, b: str) -> bool:
    """Is date `a` before date `b`? Partial dates compare at their own precision."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


class Relatives(Adapter):
    spec = schema.RELATIVES
    table_cls = Relative
    model = RelativeCreate
    defines = "relative"
    refs = {"victim_id": ("victim",)}

    def stored_with(self, row: dict[str, Any], consents: list[dict[str, Any]]) -> Stored:
        view = {f: row.get(f) for f in self.fields if f not in CONSENT_FIELDS}
        view.update(consent_view(consent_states(consents)))
        version = row["version"] + sum(c["version"] for c in consents)
        return Stored(view, version, row, consents)

    def stored(self, row: dict[str, Any]) -> Stored:
        return self.stored_with(row, [])

    def load(self, session: Session, keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], Stored]:
        rel, con = Relative.__table__, ConsentEvent.__table__
        ids = present(session, rel.c.id, {k[0] for k in keys})
        out = {}
        for part in chunks(ids):
            consents: dict[str, list[dict[str, Any]]] = {}
            for c in session.execute(select(con).where(con.c.relative_id.in_(part))).mappings():
                consents.setdefault(c["relative_id"], []).append(dict(c))
            for r in session.execute(select(rel).where(rel.c.id.in_(part))).mappings():
                out[(r["id"],)] = self.stored_with(dict(r), consents.get(r["id"], []))
        return out

    def validate(self, merged: dict[str, Any], done: Result | None = None) -> dict[str, Any]:
        clean = self.check(merged, done)  # the consent cells are no fields of the model
        get = merged.get
        scope, given, withdrawn = get("consent_scope"), get("consent_date"), get("consent_withdrawn")
        if scope is None and (given or withdrawn):
            raise RowError("consent_scope", _("is empty: say what the consent covers "
                                             "(analysis, share:KR, share:JP; several separated by ;)"))
        if given and withdrawn and _before(withdrawn, given):
            raise RowError("consent_withdrawn", _("'{withdrawn}' is before the consent was given ({given}): "
                                                 "correct one of the two dates").format(withdrawn=withdrawn,
                                                                                        given=given))
        born = clean.get("birth_year")
        for field, day in (("consent_date", given), ("consent_withdrawn", withdrawn)):
            if born is not None and day and int(day[:4]) < born:
                raise RowError(field, _("'{date}' is before the relative was born ({born}): correct the "
                                        "date or the birth year").format(date=day, born=born))
        clean.update(consent_scope=scope, consent_date=given, consent_withdrawn=withdrawn)
        return clean

    def merge(self, stored: Stored | None, entry: Entry) -> dict[str, Any]:
        if entry.values.get("consent_scope") is cells.CLEAR:
            raise RowError("consent_scope", _("consent cannot be cleared: enter the date it was withdrawn "
                                             "in the withdrawal column instead"))
        return super().merge(stored, entry)

    def ops(self, stored: Stored | None, clean: dict[str, Any], changed: Sequence[str],
            resolved: dict[str, str]) -> list[Op]:
        if stored is None:
            ops = super().ops(None, clean, changed, resolved)
            consents: list[dict[str, Any]] = []
            flags = _ALL_CONSENT_FIELDS
        else:
            main = [f for f in changed if f not in CONSENT_FIELDS]
            ops = super().ops(stored, clean, main, resolved) if main else []
            consents = stored.extra
            flags = frozenset(changed) & _ALL_CONSENT_FIELDS
        if flags and clean["consent_scope"]:
            ops.extend(self._consent_ops(clean, consents, flags, stored))
        return ops

    def _consent_ops(self, clean: dict[str, Any], consents: list[dict[str, Any]],
                     flags: AbstractSet[str], stored: Stored | None) -> list[Op]:
        table = ConsentEvent.__table__
        states = {c["scope"]: c for c in consent_states(consents)} if consents else {}  # a new relative: none
        shown = set((stored.view["consent_scope"] or "").split(";")) if stored else set()
        given, withdrawn = clean["consent_date"], clean["consent_withdrawn"]
        ops = []

        def add(scope: str, event: str, day: str | None) -> None:
            ops.append(Op(table, None, {"id": None, "relative_id": clean["id"], "scope": scope,
                                        "event": event, "date": day, "agency": None,
                                        "form_ref": None, "version": 1}))

        for scope in clean["consent_scope"].split(";"):
            old = states.get(scope)
            if old is None:
                add(scope, "given", given)
                if withdrawn:
                    add(scope, "withdrawn", withdrawn)
                continue
            anew = not old["active"] and (
                ("consent_withdrawn" in flags and withdrawn is None) or scope not in shown)
            if anew:
                if old["withdrawn_on"] and (not given or _before(given, old["withdrawn_on"])):
                    raise RowError("consent_date", _("consent for {scope} was withdrawn on {date}: to give it "
                                                    "anew, enter the date it was given again").format(
                                                        scope=scope, date=old["withdrawn_on"]))
                add(scope, "given", given)
            elif "consent_date" in flags and given and given != old["given_on"]:
                add(scope, "given", given)
            if "consent_withdrawn" in flags and withdrawn and (
                    old["active"] or anew or withdrawn != old["withdrawn_on"]):
                add(scope, "withdrawn", withdrawn)
        return ops

    def export(self, session: Session, ctx: ExportContext):
        con = ConsentEvent.__table__
        consents: dict[str, list[dict[str, Any]]] = {}
        for c in session.execute(select(con).order_by(con.c.relative_id, con.c.id)).mappings():
            consents.setdefault(c["relative_id"], []).append(dict(c))
        withheld = 0
        for row in self.select_rows(session, ctx):
            if row["id"] in ctx.hidden_relatives:
                withheld += 1
                continue
            st = self.stored_with(row, consents.get(row["id"], []))
            yield st.view, st.version
        if withheld:
            ctx.withheld[self.spec.name] = withheld
