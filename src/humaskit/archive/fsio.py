"""Crash-safe file writes: temp file in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".tmp-"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path`` through: it replaces ``path`` only when the block ends
    without an error, so a reader sees the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".part"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old or the new file, never half."""
    with atomic_file(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def write_new_files(folder: Path, files: Mapping[Path, bytes | Path]) -> None:
    """Write new files into ``folder``, a folder still being built, and make them durable.

    ``files`` maps each target (inside ``folder``) to its bytes or to a file to copy. Every
    file is written first, then the files and the folders holding them are fsynced together,
    in threads: concurrent fsyncs on one file system share its journal commits (ext4, xfs),
    so a release's six files cost about one fsync instead of six (1.5 ms instead of 3–11 ms
    here). When this returns, every file and folder entry is on disk, so the folder can be
    renamed into place whole.
    """
    from concurrent.futures import ThreadPoolExecutor

    handles: list[BinaryIO] = []
    try:
        for target, content in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle: BinaryIO = open(target, "wb")  # noqa: SIM115 - closed after the fsyncs
            handles.append(handle)
            if isinstance(content, Path):
                with open(content, "rb") as source:
                    shutil.copyfileobj(source, handle, 1024 * 1024)
            else:
                handle.write(content)
            handle.flush()
        folders = sorted({folder, *(target.parent for target in files)})
        with ThreadPoolExecutor(max_workers=min(len(handles) + len(folders), 8)) as pool:
            waits = [pool.submit(os.fsync, written.fileno()) for written in handles]
            waits += [pool.submit(fsync_dir, one) for one in folders]
            for done in waits:
                done.result()  # the first failure (disk full, I/O error) is raised
    finally:
        for written in handles:
            written.close()


def make_temp_dir(parent: Path) -> Path:
    """A hidden build folder whose name carries our pid, so stale ones can be told apart."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=parent, prefix=f"{TEMP_PREFIX}{os.getpid()}-"))


def is_stale_temp(path: Path) -> bool:
    """A temp folder or file left by a process that no longer runs."""
    if not path.name.startswith(TEMP_PREFIX):
        return False
    pid_text = path.name[len(TEMP_PREFIX) :].split("-", 1)[0]
    if not pid_text.isdigit():
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


# --------------------------------------------------------------------------- safe reading


def read_regular_file(path: Path, limit: int, field: str = "") -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes.

    A FIFO, a device (``/dev/zero``, ``/dev/urandom``), a socket or a folder is refused
    before a byte is read, so nothing hangs or fills memory; the open is non-blocking so a
    FIFO with no writer cannot hang it either. Every refusal is an :class:`InputError`
    naming ``field`` (when given) and the path. Symlinks to regular files are followed:
    this reads what a user names, it never writes.
    """
    import errno
    import stat

    from humaskit.errors import InputError
    from humaskit.i18n import t

    where = f"{field}: " if field else ""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(t("fs.missing", where=where, path=path)) from None
    except IsADirectoryError:
        raise InputError(t("fs.not_regular", where=where, path=path, kind=_kind(path))) from None
    except PermissionError:
        raise InputError(t("fs.no_permission", where=where, path=path)) from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(t("fs.symlink_loop", where=where, path=path)) from None
        if err.errno in (errno.ENOTDIR, errno.ENAMETOOLONG):
            raise InputError(t("fs.missing", where=where, path=path)) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind_of_mode(info.st_mode)
            raise InputError(t("fs.not_regular", where=where, path=path, kind=kind))
        if info.st_size > limit:
            raise InputError(t("fs.too_big", where=where, path=path, limit=_size(limit)))
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while chunk := os.read(fd, 1024 * 1024):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while we read it
                raise InputError(t("fs.too_big", where=where, path=path, limit=_size(limit)))
        return b"".join(chunks)
    except IsADirectoryError:
        raise InputError(t("fs.not_regular", where=where, path=path, kind=_kind(path))) from None
    finally:
        os.close(fd)


def require_regular(path: Path, field: str = "") -> None:
    """Refuse ``path`` unless it is a regular file (followed through symlinks), without
    opening it: for a reader that opens the file itself later (the importer)."""
    import errno
    import stat

    from humaskit.errors import InputError
    from humaskit.i18n import t

    where = f"{field}: " if field else ""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(t("fs.missing", where=where, path=path)) from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(t("fs.symlink_loop", where=where, path=path)) from None
        raise InputError(t("fs.no_permission", where=where, path=path)) from None
    if not stat.S_ISREG(mode):
        raise InputError(t("fs.not_regular", where=where, path=path, kind=_kind_of_mode(mode)))


def _kind(path: Path) -> str:
    try:
        return _kind_of_mode(os.stat(path).st_mode)
    except OSError:
        return "?"


def _kind_of_mode(mode: int) -> str:
    import stat

    from humaskit.i18n import t

    for test, key in (
        (stat.S_ISDIR, "fs.kind_dir"),
        (stat.S_ISFIFO, "fs.kind_fifo"),
        (stat.S_ISCHR, "fs.kind_device"),
        (stat.S_ISBLK, "fs.kind_device"),
        (stat.S_ISSOCK, "fs.kind_socket"),
    ):
        if test(mode):
            return t(key)
    return t("fs.kind_other")


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


# --------------------------------------------------------------------------- confinement


def check_confined(root: Path, path: Path) -> None:
    """Refuse ``path`` when any component below ``root`` is a symlink (the root itself may
    be one: an archive moved to another disk). Nothing on the way is followed, so a write
    through ``path`` stays inside ``root``. Components that do not exist yet are fine: they
    are created as plain folders and files."""
    from humaskit.errors import HumasError
    from humaskit.i18n import t

    try:
        relative = path.relative_to(root)
    except ValueError:
        raise HumasError(t("fs.outside", path=path, root=root)) from None
    current = str(root)  # joined as text: a list of 10,000 releases checks 40,000 paths
    for part in relative.parts:
        if part in ("..", "."):
            raise HumasError(t("fs.outside", path=path, root=root))
        current = os.path.join(current, part)
        if os.path.islink(current):
            raise HumasError(t("fs.symlink", path=current))
