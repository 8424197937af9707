"""Signed checkpoints: an agency's Ed25519 signature over an audit head, kept in the log.

A checkpoint is an audit entry (action `sign`, entity `checkpoint`, key: the key ID)
whose `after` holds the head it signs (the entry before it), the agency, the key ID and
the signature. The signature covers a fixed text naming all four, so whoever rewrites
the log at or before a signed entry must either leave the checkpoint's head, which the
chain then no longer holds, or change it, and the signature no longer matches: without
the agency's private key the rewrite shows. `verify_checkpoints` checks every
checkpoint signed by a key the caller trusts; checkpoints by other keys are counted,
not judged.

Keys are PEM files: the private key PKCS#8, unencrypted, readable by its owner only
(0600, as ssh demands); the public key SubjectPublicKeyInfo. A key's ID is the first 16
hex digits of the SHA-256 of its 32 raw public bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlmodel import Session, col

from chosei import audit
from chosei.audit_anchor import Head, current_head
from chosei.errors import InvalidInput
from chosei.i18n import N_, _
from chosei.models import AuditEntry

ACTION = "sign"
ENTITY = "checkpoint"
_STATEMENT = "chosei audit checkpoint v1\nhead {seq}:{hash}\nagency {agency}\nkey {key_id}\n"
_MAX_KEY_FILE = 64 * 1024  # a PEM key is a few hundred bytes
_NO_KEYGEN_HINT = N_("make a key pair with `chosei audit keygen --out FILE`")


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def statement(head: Head, agency: str, kid: str) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    return _STATEMENT.format(seq=head.seq, hash=head.hash, agency=json.dumps(agency),
                             key_id=kid).encode()


# --- Key files -----------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    private_path: Path
    public_path: Path
    key_id: str


def public_path_for(private_path: Path) -> Path:
    """`kr.pem` → `kr.pub.pem`: where keygen puts the public half unless told."""
    stem = private_path.name.removesuffix(".pem")
    return private_path.with_name(f"{stem}.pub.pem")


def generate_key_pair(private_path: Path, public_path: Path | None = None) -> KeyPair:
    """Write a new key pair; the private key 0600 from its creation. Never overwrites."""
    if not private_path.name or private_path.is_dir():
        raise InvalidInput(_("--out must name a new key file, not the folder '{path}': e.g. --out nfs-kr.pem")
                           .format(path=private_path))
    public_path = public_path or public_path_for(private_path)
    if public_path.resolve() == private_path.resolve():
        raise InvalidInput(_("the private and the public key need two different files"))
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise InvalidInput(_("{path} already exists; chosei never overwrites a key file: choose another "
                                 "--out, or move the old key away first").format(path=path))
        if not path.parent.is_dir():
            raise InvalidInput(_("the folder {folder} does not exist; create it first").format(folder=path.parent))
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    _write_new(private_path, private_pem, 0o600)
    try:
        _write_new(public_path, public_pem, 0o644)
    except BaseException:
        private_path.unlink(missing_ok=True)
        raise
    return KeyPair(private_path, public_path, key_id(private.public_key()))


def _write_new(path: Path, data: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise InvalidInput(_("{path} already exists; chosei never overwrites a key file").format(path=path)) from None
    except OSError as exc:
        raise InvalidInput(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _read_key_file(path: Path, what: str) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput(_("no {what} file at {path}; {hint}").format(
            what=_(what), path=path, hint=_(_NO_KEYGEN_HINT))) from None
    except OSError as exc:
        raise InvalidInput(_("cannot read {what} file {path}: {reason}").format(
            what=_(what), path=path, reason=exc.strerror)) from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(_("{path} is not a file; give the {what} file (PEM)").format(path=path, what=_(what)))
    if info.st_size > _MAX_KEY_FILE:
        raise InvalidInput(_("{path} is {size:,} bytes, too big for a {what} file (PEM)").format(
            path=path, size=info.st_size, what=_(what)))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(_("cannot read {what} file {path}: {reason}").format(
            what=_(what), path=path, reason=exc.strerror)) from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    data = _read_key_file(path, N_("private key"))
    if b"PUBLIC KEY-----" in data and b"PRIVATE KEY-----" not in data:
        raise InvalidInput(_("{path} holds a public key; --key needs the agency's private key").format(path=path))
    # As ssh does: a key others can read may have been copied, and no longer proves who signed.
    if os.name == "posix" and path.stat().st_mode & 0o077:
        mode = stat.S_IMODE(path.stat().st_mode)
        raise InvalidInput(_("the private key {path} can be read by other users (mode {mode:o}); make it "
                             "private with `chmod 600 {path}`").format(path=path, mode=mode))
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise InvalidInput(_("{path} is protected by a passphrase, which chosei does not read; keep the key "
                             "unencrypted in a file only you can read (mode 600)").format(path=path)) from None
    except (ValueError, UnsupportedAlgorithm):
        raise InvalidInput(_("{path} is not a PEM private key; {hint}").format(
            path=path, hint=_(_NO_KEYGEN_HINT))) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(_("{path} is not an Ed25519 key; checkpoints are signed with Ed25519: {hint}")
                           .format(path=path, hint=_(_NO_KEYGEN_HINT)))
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    data = _read_key_file(path, N_("public key"))
    if b"PRIVATE KEY-----" in data:
        raise InvalidInput(_("{path} holds a private key; --trust takes public keys only (the .pub.pem file "
                             "`chosei audit keygen` wrote beside it)").format(path=path))
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise InvalidInput(_("{path} is not a PEM public key; agencies exchange the .pub.pem file "
                             "`chosei audit keygen` writes").format(path=path)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput(_("{path} is not an Ed25519 public key; checkpoints are signed with Ed25519")
                           .format(path=path))
    return key


# --- Writing and checking checkpoints -----------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the checkpoint's own entry
    head: Head  # the entry it signs
    agency: str
    key_id: str
    signature: str  # base64


def add_checkpoint(session: Session, key: Ed25519PrivateKey, agency: str) -> Checkpoint:
    """Sign the current head with `key` and append the signature to the log."""
    agency = agency.strip()
    if not agency or len(agency) > 200 or not agency.isprintable():
        raise InvalidInput(_("--agency must name the agency in 1 to 200 printable characters, e.g. 'NFS Korea'"))
    head = current_head(session)
    kid = key_id(key.public_key())
    signature = base64.b64encode(key.sign(statement(head, agency, kid))).decode("ascii")
    details = {"seq": head.seq, "hash": head.hash, "agency": agency, "key_id": kid,
               "algorithm": "ed25519", "signature": signature}
    audit.record(session, [audit.Change(ACTION, ENTITY, kid, None, details)])
    return Checkpoint(head.seq + 1, head, agency, kid, signature)


@dataclass
class CheckpointReport:
    checked: list[Checkpoint] = field(default_factory=list)
    untrusted: dict[str, int] = field(default_factory=dict)  # key ID → checkpoints not judged
    problem: str | None = None


def verify_checkpoints(session: Session, trusted: Iterable[Ed25519PublicKey]) -> CheckpointReport:
    """Check every checkpoint signed by a `trusted` key: its signature, and that the
    chain still holds the head it signed. Meaningful once `audit.verify` found the
    chain whole; stops at the first bad checkpoint."""
    keys = {key_id(k): k for k in trusted}
    report = CheckpointReport()
    rows = session.execute(
        select(col(AuditEntry.seq), col(AuditEntry.entity_key), col(AuditEntry.after))
        .where(col(AuditEntry.entity) == ENTITY, col(AuditEntry.action) == ACTION).order_by(col(AuditEntry.seq)))
    for seq, kid, after in rows:
        if kid not in keys:
            report.untrusted[kid] = report.untrusted.get(kid, 0) + 1
            continue
        point = _parse(seq, kid, after)
        if isinstance(point, str):
            report.problem = point
            return report
        try:
            keys[kid].verify(base64.b64decode(point.signature, validate=True),
                             statement(point.head, point.agency, kid))
        except (InvalidSignature, binascii.Error, ValueError):
            report.problem = _("checkpoint entry {seq} does not carry a valid signature of key {key} ({agency}) "
                               "over head {head}: it was forged or altered").format(
                                   seq=seq, key=kid, agency=point.agency, head=point.head.seq)
            return report
        held = session.execute(select(col(AuditEntry.hash)).where(col(AuditEntry.seq) == point.head.seq)).scalar()
        if point.head.seq == 0 and held is None:
            held = audit.GENESIS
        if held != point.head.hash:
            report.problem = _("checkpoint entry {seq}, signed by {agency} (key {key}), vouches for entry {entry} "
                               "with hash {hash}…, which the trail no longer holds: it was rewritten at or "
                               "before that entry").format(seq=seq, agency=point.agency, key=kid,
                                                           entry=point.head.seq, hash=point.head.hash[:12])
            return report
        report.checked.append(point)
    return report


def _parse(seq: int, kid: str, after: str | None) -> Checkpoint | str:
    try:
        data = json.loads(after or "")
        point = Checkpoint(seq, Head(int(data["seq"]), str(data["hash"])), str(data["agency"]),
                           str(data["key_id"]), str(data["signature"]))
    except (ValueError, KeyError, TypeError):
        return _("checkpoint entry {seq} (key {key}) is malformed: it was altered").format(seq=seq, key=kid)
    if point.key_id != kid:
        return _("checkpoint entry {seq} names key {named} but is filed under key {key}: it was altered").format(
            seq=seq, named=point.key_id, key=kid)
    return point
