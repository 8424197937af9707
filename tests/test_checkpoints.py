"""Signed checkpoints: an agency's Ed25519 signature over the head, checked with --trust."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from chosei import audit
from chosei.audit_anchor import Head
from chosei.checkpoints import statement
from chosei.models import AuditEntry
from chosei.store import open_store, session_scope
from tests.tampering import tamper


@pytest.fixture
def store(db_url: str, cli):  # type: ignore[no-untyped-def]
    cli("--as", "kim", "init", "--name", "Checkpoint case")
    cli("victim add V-001 --nationality KR --hangul 김가온")
    st = open_store(db_url)
    yield st
    st.dispose()


@pytest.fixture
def keys(tmp_path: Path, cli) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    made = {}
    for name in ("kr", "jp"):
        out = cli("audit", "keygen", "--out", str(tmp_path / f"{name}.pem")).stdout
        made[name] = tmp_path / f"{name}.pem"
        made[f"{name}.pub"] = tmp_path / f"{name}.pub.pem"
        made[f"{name}.id"] = out.splitlines()[-1].removeprefix("Key ID: ")
    return made


def _entries(store) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with session_scope(store) as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all())


def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("audit", "keygen", "--out", str(tmp_path / "nfs.pem")).stdout.splitlines()
    assert out[0] == (f"Wrote the private key to {tmp_path / 'nfs.pem'} (mode 600; keep it to yourself) "
                      f"and the public key to {tmp_path / 'nfs.pub.pem'} (give it to the other agencies).")
    assert stat.S_IMODE((tmp_path / "nfs.pem").stat().st_mode) == 0o600
    public = serialization.load_pem_public_key((tmp_path / "nfs.pub.pem").read_bytes())
    assert isinstance(public, Ed25519PublicKey)
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    import hashlib

    assert out[1] == f"Key ID: {hashlib.sha256(raw).hexdigest()[:16]}"
    again = cli("audit", "keygen", "--out", str(tmp_path / "nfs.pem"), expect=1)
    assert again.stderr == (f"Error: {tmp_path / 'nfs.pem'} already exists; chosei never overwrites a "
                            "key file: choose another --out, or move the old key away first\n")
    missing = cli("audit", "keygen", "--out", str(tmp_path / "no" / "k.pem"), expect=1)
    assert missing.stderr == f"Error: the folder {tmp_path / 'no'} does not exist; create it first\n"


def test_a_checkpoint_signs_the_head_and_verifies(store, cli, keys) -> None:  # type: ignore[no-untyped-def]
    head = _entries(store)[-1]
    out = cli("--as", "kim", "audit", "checkpoint", "--key", str(keys["kr"]), "--agency", "NFS Korea",
              "--json").stdout
    done = json.loads(out)
    assert (done["entry"], done["seq"], done["hash"], done["agency"], done["key_id"]) == \
        (3, 2, head.hash, "NFS Korea", keys["kr.id"])
    # The signature is Ed25519 over the documented statement: anyone can check it.
    public = serialization.load_pem_public_key(keys["kr.pub"].read_bytes())
    text = statement(Head(2, head.hash), "NFS Korea", keys["kr.id"])
    assert text == (f'chosei audit checkpoint v1\nhead 2:{head.hash}\nagency "NFS Korea"\n'
                    f'key {keys["kr.id"]}\n').encode()
    public.verify(base64.b64decode(done["signature"]), text)  # raises if wrong
    entry = _entries(store)[-1]
    assert (entry.action, entry.entity, entry.entity_key, entry.actor) == \
        ("sign", "checkpoint", keys["kr.id"], "kim")
    cli("audit", "checkpoint", "--key", str(keys["jp"]), "--agency", "Japan Police Agency")
    lines = cli("audit", "verify", "--trust", str(keys["kr.pub"])).stdout.splitlines()
    assert lines == [
        "Audit trail intact: 4 entries, 2 rows match their last logged state.",
        "1 checkpoint(s) signed by trusted keys verified; the last, entry 3 by NFS Korea, vouches "
        "for entries up to 2.",
        f"Not checked: 1 checkpoint(s) by key {keys['jp.id']}, which no --trust names.",
    ]
    both = cli("audit", "verify", "--trust", str(keys["kr.pub"]), "--trust", str(keys["jp.pub"]))
    assert both.stdout.splitlines()[1] == (
        "2 checkpoint(s) signed by trusted keys verified; the last, entry 4 by Japan Police Agency, "
        "vouches for entries up to 3.")


def test_agency_defaults_to_the_actor(store, cli, keys) -> None:  # type: ignore[no-untyped-def]
    out = cli("--as", "lee", "audit", "checkpoint", "--key", str(keys["kr"])).stdout.splitlines()
    entry = _entries(store)[-1]
    assert out == [
        f"Checkpoint entry 3: lee (key {keys['kr.id']}) signed head 2:{_entries(store)[1].hash}.",
        f"Signature: {json.loads(entry.after)['signature']}",
    ]


def test_no_trusted_checkpoint_is_said(store, cli, keys) -> None:  # type: ignore[no-untyped-def]
    assert cli("audit", "verify", "--trust", str(keys["kr.pub"])).stdout.splitlines()[1] == (
        "No checkpoint signed by a trusted key: `chosei audit checkpoint --key FILE` makes one.")


def _recompute(store, seq: int, change) -> None:  # type: ignore[no-untyped-def]
    """Apply `change(entry) -> (actor, after)` to entry `seq`, recomputing every later hash."""
    entries = _entries(store)
    prev = entries[seq - 2].hash
    statements, params = [], []
    for e in entries[seq - 1:]:
        actor, after = change(e) if e.seq == seq else (e.actor, e.after)
        if e.entity == "checkpoint" and callable(getattr(change, "checkpoint", None)):
            after = change.checkpoint(e, prev)
        digest = audit.entry_hash(prev, e.seq, e.at, actor, e.action, e.entity, e.entity_key,
                                  e.subject, e.before, after, e.db_user)
        statements.append('UPDATE audit_entry SET actor = ?, "after" = ?, prev_hash = ?, hash = ? WHERE seq = ?')
        params.append((actor, after, prev, digest, e.seq))
        prev = digest
    tamper(store, statements, params)


def test_a_rewrite_under_a_checkpoint_is_caught(store, cli, keys) -> None:  # type: ignore[no-untyped-def]
    cli("audit", "checkpoint", "--key", str(keys["kr"]), "--agency", "NFS Korea")
    _recompute(store, 2, lambda e: ("mallory", e.after))
    assert cli("audit", "verify").exit_code == 0  # the chain alone holds together
    result = cli("audit", "verify", "--trust", str(keys["kr.pub"]), expect=7)
    signed = json.loads(_entries(store)[2].after)["hash"]
    assert result.stderr == (
        f"Error: checkpoint entry 3, signed by NFS Korea (key {keys['kr.id']}), vouches for entry 2 "
        f"with hash {signed[:12]}…, which the trail no longer holds: it was rewritten at or before "
        "that entry\n")


def test_a_checkpoint_moved_onto_the_rewritten_head_has_a_bad_signature(store, cli, keys) -> None:  # type: ignore[no-untyped-def]
    cli("audit", "checkpoint", "--key", str(keys["kr"]), "--agency", "NFS Korea")

    def change(e):  # type: ignore[no-untyped-def]
        return "mallory", e.after

    def checkpoint(e, prev):  # type: ignore[no-untyped-def]
        data = json.loads(e.after)
        data["hash"] = prev  # the rewritten entry 2's hash, under the old signature
        return audit.canonical(data)

    change.checkpoint = checkpoint  # type: ignore[attr-defined]
    _recompute(store, 2, change)
    assert cli("audit", "verify").exit_code == 0
    result = cli("audit", "verify", "--trust", str(keys["kr.pub"]), expect=7)
    assert result.stderr == (
        f"Error: checkpoint entry 3 does not carry a valid signature of key {keys['kr.id']} "
        "(NFS Korea) over head 2: it was forged or altered\n")


def test_a_tampered_trail_is_not_signed(store, cli, keys) -> None:  # type: ignore[no-untyped-def]
    tamper(store, "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 2")
    result = cli("audit", "checkpoint", "--key", str(keys["kr"]), expect=7)
    assert result.stderr == ("Error: entry 2 (create victim V-001) does not match its hash: it was "
                             "edited, or an entry before it was removed; nothing was signed\n")
    assert len(_entries(store)) == 2


# --- Bad key files: one line, exit 1, nothing written ------------------------------------


def _write(path: Path, data: bytes, mode: int = 0o600) -> Path:
    path.write_bytes(data)
    os.chmod(path, mode)
    return path


def test_bad_private_keys(store, cli, keys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_pem = ec_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    locked = ec_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(b"secret"))
    cases = {
        tmp_path / "none.pem": f"no private key file at {tmp_path / 'none.pem'}; make a key pair with "
                               "`chosei audit keygen --out FILE`",
        keys["kr.pub"]: f"{keys['kr.pub']} holds a public key; --key needs the agency's private key",
        _write(tmp_path / "ec.pem", ec_pem): f"{tmp_path / 'ec.pem'} is not an Ed25519 key; checkpoints "
                                             "are signed with Ed25519: make a key pair with `chosei audit "
                                             "keygen --out FILE`",
        _write(tmp_path / "locked.pem", locked): f"{tmp_path / 'locked.pem'} is protected by a passphrase, "
                                                 "which chosei does not read; keep the key unencrypted in a "
                                                 "file only you can read (mode 600)",
        _write(tmp_path / "junk.pem", b"hello"): f"{tmp_path / 'junk.pem'} is not a PEM private key; make a "
                                                 "key pair with `chosei audit keygen --out FILE`",
        _write(tmp_path / "open.pem", keys["kr"].read_bytes(), 0o644):
            f"the private key {tmp_path / 'open.pem'} can be read by other users (mode 644); make it "
            f"private with `chmod 600 {tmp_path / 'open.pem'}`",
        tmp_path: f"{tmp_path} is not a file; give the private key file (PEM)",
    }
    for path, message in cases.items():
        result = cli("audit", "checkpoint", "--key", str(path), expect=1)
        assert result.stderr == f"Error: {message}\n", path
    assert len(_entries(store)) == 2


def test_bad_public_keys(store, cli, keys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ec_pub = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    cases = {
        keys["kr"]: f"{keys['kr']} holds a private key; --trust takes public keys only (the .pub.pem "
                    "file `chosei audit keygen` wrote beside it)",
        _write(tmp_path / "ec.pub.pem", ec_pub): f"{tmp_path / 'ec.pub.pem'} is not an Ed25519 public key; "
                                                 "checkpoints are signed with Ed25519",
        _write(tmp_path / "junk.pem", b"x" * 100): f"{tmp_path / 'junk.pem'} is not a PEM public key; "
                                                   "agencies exchange the .pub.pem file `chosei audit "
                                                   "keygen` writes",
        _write(tmp_path / "big.pem", b"x" * 70_000): f"{tmp_path / 'big.pem'} is 70,000 bytes, too big for "
                                                     "a public key file (PEM)",
    }
    for path, message in cases.items():
        result = cli("audit", "verify", "--trust", str(path), expect=1)
        assert result.stderr == f"Error: {message}\n", path


def test_agency_must_be_printable(store, cli, keys) -> None:  # type: ignore[no-untyped-def]
    result = cli("audit", "checkpoint", "--key", str(keys["kr"]), "--agency", "N" * 201, expect=1)
    assert result.stderr == ("Error: --agency must name the agency in 1 to 200 printable characters, "
                             "e.g. 'NFS Korea'\n")
    # a control character is refused with every other argument, before the command runs
    result = cli("audit", "checkpoint", "--key", str(keys["kr"]), "--agency", "NFS\x1b[31m", expect=1)
    assert result.stderr.endswith("holds the control or invisible character U+001B; retype it without it\n")
    assert len(_entries(store)) == 2
