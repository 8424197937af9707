"""`chosei audit`: the append-only, hash-chained log of every change."""

from pathlib import Path
from typing import Annotated, Any

import typer

from chosei.cli._app import JsonOpt, banner, emit_json, emit_result, new_app, printable, state
from chosei.i18n import _

app = new_app("The audit trail: who changed what, when, before and after.")


@app.command("log")
def log(
    ctx: typer.Context,
    ident: Annotated[
        str | None, typer.Argument(help="An ID (victim, relative, specimen, sample…); all when omitted.")
    ] = None,
    last: Annotated[int | None, typer.Option("--last", help="Only the newest N entries.")] = None,
    contacts: Annotated[bool, typer.Option("--contacts", help="Show relatives' contacts (hidden by default).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the history of one item, or of the whole store, oldest first. Relatives'
    contacts show as (hidden) unless --contacts. Each entry names whom the change was made
    for (`actor`: --as or CHOSEI_USER) and, on PostgreSQL, the database role that made it
    (`db_user`: "postgres for kim").

    Example: chosei audit log V-001
    """
    from chosei.audit import history, readable

    st = state(ctx)
    with st.session() as s:
        entries = [readable(e, reveal=contacts) for e in history(s, ident, limit=last)]
    if as_json:
        banner(st, as_json=True)
        emit_json(entries)
        return
    banner(st)
    if not entries:
        typer.echo(_("({nothing})").format(nothing=_("no entries")))
    for e in entries:
        # `actor` is whom it was done for (--as); db_user the database role that wrote it.
        who = _("{db_user} for {actor}").format(db_user=e["db_user"], actor=e["actor"]) if e["db_user"] else e["actor"]
        typer.echo(printable(f"#{e['seq']} {e['at']} {who} {e['action']} {e['entity']} {e['entity_key']}"))
        before, after = e["before"] or {}, e["after"] or {}
        for key in sorted(set(before) | set(after)):
            if key == "version":
                continue
            old, new = before.get(key), after.get(key)
            if old != new:
                typer.echo(printable(f"    {key}: {_show(old)} -> {_show(new)}"))


def _show(value: object) -> str:
    return "∅" if value is None else repr(value) if isinstance(value, str) else str(value)


@app.command("head")
def head(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: seq and hash.")] = False,
) -> None:
    """Print the audit trail's head: the last entry's number and hash, as SEQ:HASH. Give
    it to someone outside the store (or publish it); later, `chosei audit verify --head
    SEQ:HASH` shows whether the trail still holds that entry unchanged.

    Example: chosei audit head --json
    """
    from chosei.audit_anchor import current_head

    st = state(ctx)
    with st.session() as s:
        found = current_head(s)
    banner(st, as_json=True)
    if as_json:
        emit_json(found.as_dict())
    else:
        typer.echo(str(found))


@app.command("verify")
def verify(
    ctx: typer.Context,
    heads: Annotated[list[str] | None, typer.Option(
        "--head", metavar="SEQ:HASH",
        help="A head taken earlier (`chosei audit head`); fails if the trail no longer holds "
             "it. May be repeated.")] = None,
    head_from: Annotated[list[Path] | None, typer.Option(
        "--head-from", metavar="FILE.xlsx",
        help="Take the head from an exported workbook's About sheet. May be repeated.")] = None,
    trust: Annotated[list[Path] | None, typer.Option(
        "--trust", metavar="PUBKEY.pem",
        help="An agency's public key: check every checkpoint it signed. May be repeated.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the hash chain, that every stored row matches its last logged state and
    that the database's append-only triggers are in place; with --head or --head-from,
    that the trail still holds the entries those heads name (nothing removed or
    rewritten since); with --trust, every checkpoint signed by those keys. Exits 7 and
    names the first problem when something was tampered with.

    Example: chosei audit verify --head-from for-nfs.xlsx --trust nfs-kr.pub.pem
    """
    from chosei.audit_anchor import head_from_workbook, parse_head
    from chosei.checkpoints import load_public_key
    from chosei.services.audit_trail import verify_trail

    wanted: list[Any] = [parse_head(h) for h in heads or []]
    wanted += [head_from_workbook(path) for path in head_from or []]  # guarded, before the store
    keys = [load_public_key(path) for path in trust or []]
    st = state(ctx)
    with st.session() as s:
        report = verify_trail(s, wanted, keys)
    lines = [_("Audit trail intact: {entries} entries, {rows} rows match their last logged state.").format(
        entries=report.entries, rows=report.rows)]
    lines += [_("Head {seq}:{hash}… is held: nothing at or before entry {seq} was removed or rewritten.").format(
        seq=h.seq, hash=h.hash[:12]) for h in report.heads]
    if trust:
        if report.checkpoints:
            last = report.checkpoints[-1]
            lines.append(_("{n} checkpoint(s) signed by trusted keys verified; the last, entry {seq} by {agency}, "
                           "vouches for entries up to {head}.").format(
                n=len(report.checkpoints), seq=last.seq, agency=last.agency, head=last.head.seq))
        else:
            lines.append(_("No checkpoint signed by a trusted key: `chosei audit checkpoint --key FILE` makes one."))
    lines += [_("Not checked: {n} checkpoint(s) by key {key}, which no --trust names.").format(n=n, key=kid)
              for kid, n in sorted(report.untrusted.items())]
    data = {"intact": True, "entries": report.entries, "rows": report.rows,
            "heads": [{"seq": h.seq, "hash": h.hash} for h in report.heads],
            "checkpoints": [{"seq": c.seq, "agency": c.agency, "key_id": c.key_id,
                             "head": {"seq": c.head.seq, "hash": c.head.hash}} for c in report.checkpoints],
            "untrusted": dict(sorted(report.untrusted.items()))}
    emit_result(st, data, lines, as_json=as_json)


@app.command("checkpoint")
def checkpoint(
    ctx: typer.Context,
    key: Annotated[Path, typer.Option(
        "--key", metavar="FILE", help="The agency's Ed25519 private key (PEM, mode 600).")],
    agency: Annotated[str | None, typer.Option(
        "--agency", help="The agency signing, as others know it (default: --as / CHOSEI_USER).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the checkpoint as JSON.")] = False,
) -> None:
    """Sign the audit trail's head with the agency's key and append the signature to the
    trail. Whoever holds the public key can then check, with `chosei audit verify
    --trust`, that nothing up to that entry was removed or rewritten. The trail must
    verify first.

    Example: chosei --as kim audit checkpoint --key nfs-kr.pem --agency "NFS Korea"
    """
    from chosei.checkpoints import load_private_key
    from chosei.config import resolve_actor
    from chosei.services.audit_trail import checkpoint as sign

    st = state(ctx)
    private = load_private_key(key)
    with st.session(write=True) as s:
        done = sign(s, private, agency if agency is not None else resolve_actor(st.actor))
    banner(st, as_json=as_json)
    if as_json:
        emit_json({"entry": done.seq, "seq": done.head.seq, "hash": done.head.hash, "agency": done.agency,
                   "key_id": done.key_id, "signature": done.signature})
        return
    typer.echo(_("Checkpoint entry {seq}: {agency} (key {key}) signed head {head}.").format(
        seq=done.seq, agency=done.agency, key=done.key_id, head=f"{done.head.seq}:{done.head.hash}"))
    typer.echo(_("Signature: {signature}").format(signature=done.signature))


@app.command("keygen")
def keygen(
    out: Annotated[Path, typer.Option(
        "--out", metavar="FILE", help="Where to write the private key; the public key goes "
                                      "beside it as FILE with .pub.pem.")],
    as_json: JsonOpt = False,
) -> None:
    """Make an agency's Ed25519 key pair for signing checkpoints: the private key (mode
    600; keep it, never send it) and the public key (send it to the other agencies, for
    `chosei audit verify --trust`). Never overwrites a file.

    Example: chosei audit keygen --out nfs-kr.pem
    """
    from chosei.checkpoints import generate_key_pair

    pair = generate_key_pair(out)
    lines = [_("Wrote the private key to {private} (mode 600; keep it to yourself) and the public key to "
               "{public} (give it to the other agencies).").format(private=pair.private_path, public=pair.public_path),
             _("Key ID: {key}").format(key=pair.key_id)]
    emit_result(None, {"private_key": str(pair.private_path), "public_key": str(pair.public_path),
                       "key_id": pair.key_id}, lines, as_json=as_json)
