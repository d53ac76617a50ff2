"""Local backend (`file:///abs/path` or a plain path) on `os.scandir`: the local disk as a `FileSystemBackend`.

Symbolic links to folders are never followed (no loops); a link to a file is read only if its target lies
inside the source root (else a `skipped` row). Files are opened read-only, `O_NOFOLLOW` (a file swapped for a
link after listing is refused), `O_NOATIME` where the scanner owns the file (reading leaves access times
alone), and the opened file's real path is checked against the root again.
"""

from __future__ import annotations

import errno
import os
import pwd
import stat
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from connectors.fs_backend import Entry
from scanner.errors import ItemError, SourceError
from scanner.models import EXPOSURE_WORLD_READABLE

_O_NOATIME = getattr(os, "O_NOATIME", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
OUTSIDE_ROOT = "symbolic link to a file outside the source root, not followed"
OPENED_OUTSIDE_ROOT = "path leads outside the source root (a folder became a symbolic link); not read"


@lru_cache(maxsize=4096)
def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _local_entry(path: str, name: str, st: os.stat_result) -> Entry:
    return Entry(
        path=path, name=name, kind="file", size=st.st_size,
        mtime=datetime.fromtimestamp(st.st_mtime, tz=timezone.utc), owner=_user_name(st.st_uid),
        exposure=EXPOSURE_WORLD_READABLE if st.st_mode & stat.S_IROTH else None,
        version=f"{st.st_mtime_ns}:{st.st_size}",
    )


class LocalBackend:
    """Local paths through `os.scandir`, which tells broken links, link loops and special files apart."""

    def __init__(self, root: str) -> None:
        self._root = os.path.abspath(root)
        self._real_root = os.path.realpath(self._root)

    def _inside_root(self, real_path: str) -> bool:
        return real_path == self._real_root or real_path.startswith(self._real_root.rstrip("/") + "/")

    def root(self) -> Entry:
        try:
            st = os.stat(self._root)
        except FileNotFoundError as exc:
            raise SourceError("path does not exist") from exc
        except OSError as exc:
            raise SourceError(f"cannot access path: {exc.strerror}") from exc
        if stat.S_ISDIR(st.st_mode):
            return Entry(self._root, os.path.basename(self._root), "dir", dir_key=(st.st_dev, st.st_ino))
        entry = self._classify(self._root, os.path.basename(self._root), st)
        return replace(entry, target=self._real_root) if entry.kind == "file" else entry

    def _classify(self, path: str, name: str, st: os.stat_result) -> Entry:
        if stat.S_ISREG(st.st_mode):
            return _local_entry(path, name, st)
        return Entry(path, name, "other", skip="not a regular file (FIFO, socket or device)")

    def list_dir(self, path: str) -> list[Entry]:
        entries = []
        with os.scandir(path) as listing:
            for de in listing:
                entries.append(self._entry(de))
        return entries

    def _entry(self, de: os.DirEntry) -> Entry:
        try:
            if de.is_symlink():
                try:
                    st = os.stat(de.path)
                except FileNotFoundError:
                    return Entry(de.path, de.name, "other", error="broken symbolic link")
                except OSError as exc:
                    reason = "symbolic link loop" if exc.errno == errno.ELOOP else f"cannot follow link: {exc.strerror}"
                    return Entry(de.path, de.name, "other", error=reason)
                if stat.S_ISDIR(st.st_mode):
                    return Entry(de.path, de.name, "other", skip="symbolic link to a folder, not followed")
                target = os.path.realpath(de.path)
                if not self._inside_root(target):
                    return Entry(de.path, de.name, "other", skip=OUTSIDE_ROOT)
                entry = self._classify(de.path, de.name, st)
                return replace(entry, target=target) if entry.kind == "file" else entry
            st = de.stat(follow_symlinks=False)
        except FileNotFoundError:
            return Entry(de.path, de.name, "other", error="vanished while listing")
        except OSError as exc:
            return Entry(de.path, de.name, "other", error=f"cannot stat: {exc.strerror}")
        if stat.S_ISDIR(st.st_mode):
            return Entry(de.path, de.name, "dir", dir_key=(st.st_dev, st.st_ino))
        return self._classify(de.path, de.name, st)

    def describe(self, entry: Entry) -> Entry:
        return entry

    def open(self, path: str) -> BinaryIO:
        """Read-only, no atime, and never through a link: a file swapped for a link after listing fails
        (ELOOP), and a file reached through a folder swapped for a link out of the root is refused."""
        flags = os.O_RDONLY | _O_NOATIME | _O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)  # NONBLOCK: a FIFO never hangs
        try:
            fd = os.open(path, flags)
        except PermissionError:  # O_NOATIME needs ownership (or CAP_FOWNER)
            fd = os.open(path, flags & ~_O_NOATIME)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ItemError("became a symbolic link after listing; not followed", skip=True) from exc
            raise
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ItemError("not a regular file (FIFO, socket or device)", skip=True)
            opened = _opened_path(fd)
            if opened is not None and not self._inside_root(opened):
                raise ItemError(OPENED_OUTSIDE_ROOT, skip=True)
            os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        return os.fdopen(fd, "rb")

    def location(self, path: str) -> str:
        return Path(path).as_uri()

    def current_version(self, path: str) -> str | None:
        try:
            st = os.stat(path)
        except OSError:
            return "vanished"
        return f"{st.st_mtime_ns}:{st.st_size}"

    def close(self) -> None:
        pass


def _opened_path(fd: int) -> str | None:
    """The real path of an open file (Linux `/proc/self/fd`), or None where the system cannot tell."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None
