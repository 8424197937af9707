"""Every file chosei writes: whole or not at all, and never over one of its inputs.

`output_file` is the one way the library writes a file (exports, templates, reports, the
marked copy of a rejected workbook, backups). It hands the writer a temporary file in
the target's folder and renames it over the target only when the block ends without an
error; the caller puts the rename after anything that must happen first (an export's
audit entry is committed inside the block, so an export that cannot be audited is never
left behind). A target that is the store's file or an input of the command, by any path
(symlink, hard link), is refused before anything is written.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from chosei.errors import InvalidInput
from chosei.i18n import _

# SQLite keeps part of a store beside its file; none of these may be written over.
SQLITE_SIDE_FILES = ("", "-journal", "-wal", "-shm")


def sqlite_files(database: str | Path) -> list[Path]:
    """The store's file and the journal files SQLite keeps beside it."""
    return [Path(f"{database}{suffix}") for suffix in SQLITE_SIDE_FILES]


def check_target(target: Path, protected: Iterable[Path] = ()) -> None:
    """Refuse a target that is not a writable regular file in an existing folder, or that
    is (by any path) one of the `protected` files: the store, the command's input."""
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(_("the folder {folder} does not exist; create it or write {name} elsewhere").format(
            folder=folder, name=target.name))
    if target.is_dir():
        raise InvalidInput(_("{path} is a folder; name a file to write").format(path=target))
    if target.exists() and not target.is_file():
        raise InvalidInput(_("{path} is not a regular file (a device or a pipe); name a file to write").format(
            path=target))
    for other in protected:
        if _same_file(target, other):
            if os.path.abspath(other) == os.path.abspath(target):
                message = _("{path} is the store or this command's input: writing there would destroy it; "
                            "name another file")
            else:
                message = _("{path} is the same file as {other} (the store or this command's input) by another "
                            "path: writing there would destroy it; name another file")
            raise InvalidInput(message.format(path=target, other=other))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either one does not exist: compare where they would be
        return os.path.realpath(a) == os.path.realpath(b)


@contextmanager
def output_file(target: Path | str, protected: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write; on success make it `target`.

    On any error the temporary file is removed and `target` is as it was. OS errors
    (permission denied, a full disk) become one-line `InvalidInput` errors.
    """
    target = Path(target)
    check_target(target, list(protected))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    tmp = Path(name)
    try:
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        try:
            yield tmp
            _fsync(tmp)
            os.replace(tmp, target)
        except OSError as exc:
            raise _cannot_write(target, exc) from None
        _fsync_folder(target.parent)
    finally:
        tmp.unlink(missing_ok=True)


def synced(path: Path, target: Path) -> None:
    """Make the bytes written to `path` (the temporary file of `target`) durable: a full
    disk says so here, before the writer's caller commits anything that says the file
    exists (an export's audit entry)."""
    try:
        _fsync(path)
    except OSError as exc:
        raise _cannot_write(target, exc) from None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder is; some filesystems cannot sync a folder.
    with suppress(OSError):
        _fsync(folder)


def _cannot_write(target: Path, exc: OSError) -> InvalidInput:
    reason = {
        errno.ENOSPC: _("the disk is full"),
        errno.EDQUOT: _("the disk quota is used up"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EROFS: _("the disk is read-only"),
    }.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return InvalidInput(_("cannot write {path}: {reason}; nothing was written").format(path=target, reason=reason))
