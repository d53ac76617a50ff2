"""File-system connector: lists files on a local disk, an SMB share, an S3 bucket or an SFTP server, and
opens them read-only for the shared extraction layer.

One connector class, `FileSystemConnector`, handles the schemes `file`, `smb`, `s3` and `sftp`; what differs
per protocol (listing one folder, opening one file, exposure and owner, credential-free locations) sits
behind the small `FileSystemBackend` interface, one module each (`fs_smb` on smbprotocol, `fs_s3` on
fsspec's s3fs, `fs_sftp` on fsspec's sshfs; the local backend is here, on `os.scandir`). Everything else is
shared and so behaves identically on every protocol:

* the walk: depth-first, names sorted, symbolic links to folders never followed (no loops), a folder that
  cannot be listed becomes one error row and the walk goes on; locally, a link to a file is read only if
  its target lies inside the source root (else a `skipped` row), and files are opened `O_NOFOLLOW`;
* sampling, deterministic with `Limits.seed`: include/exclude globs, at most `files_per_folder` files per
  folder (a seeded random choice, the rest recorded as skipped), at most `files_per_source` in all, files
  above `max_file_bytes` skipped; per-file byte budgets are the extraction layer's;
* reading: a read-only stream (`O_NOATIME` locally) handed to `connectors.extract.extract`.

Item locations never hold credentials: `file:///abs/path`, `smb://host:port/share/path`,
`s3://bucket/key`, `sftp://user@host:port/path`. `SourceSpec.uri` (which may hold a password) is used only
to connect and never appears in items, exceptions or logs.
"""

from __future__ import annotations

import errno
import fnmatch
import io
import os
import pwd
import random
import stat
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, ClassVar, Iterator, Protocol
from urllib.parse import unquote, urlsplit

from connectors.base import ReadEvent
from connectors.extract import Blob, ExtractContext, extract
from scanner.errors import ItemError, SourceError
from scanner.limits import Limits
from scanner.models import EXPOSURE_WORLD_READABLE, Facts, Item, ItemOutcome, SourceSpec, Status

_O_NOATIME = getattr(os, "O_NOATIME", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
OUTSIDE_ROOT = "symbolic link to a file outside the source root, not followed"
OPENED_OUTSIDE_ROOT = "path leads outside the source root (a folder became a symbolic link); not read"


@dataclass(frozen=True)
class Entry:
    """One listed path. `kind` is "file", "dir", or "other" (links to folders, devices, FIFOs: never read)."""

    path: str  # what the backend's open()/list_dir() take
    name: str
    kind: str
    size: int | None = None
    mtime: datetime | None = None
    owner: str | None = None
    exposure: str | None = None
    version: str | None = None
    error: str | None = None  # a listing-time failure for this entry (broken link, link loop)
    skip: str | None = None  # a deliberate skip (special file, link to a folder)
    dir_key: object = None  # identity of a folder, to refuse walking one twice (bind mounts)
    target: str | None = None  # for a link to a file inside the root: the resolved path that is opened


class FileSystemBackend(Protocol):
    """One protocol's access to a tree. Exceptions: `root()` raises SourceError; `list_dir` and `open` raise
    OSError (FileNotFoundError, PermissionError, …) for that path only. No method may put a credential or
    file content in an exception message."""

    def root(self) -> Entry: ...

    def list_dir(self, path: str) -> list[Entry]: ...

    def describe(self, entry: Entry) -> Entry: ...  # fill exposure/owner when that costs a round trip

    def open(self, path: str) -> BinaryIO: ...

    def location(self, path: str) -> str: ...

    def current_version(self, path: str) -> str | None: ...  # after reading; "vanished", or None if unknown

    # optional: `abort()` drops the connection from another thread, so a read blocked on a hung server fails

    def close(self) -> None: ...


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


def make_backend(spec: SourceSpec) -> FileSystemBackend:
    """The backend for a spec's scheme. Remote modules import lazily: a local scan needs none of them."""
    scheme = spec.scheme.split("+", 1)[0]
    if scheme == "file":
        uri = spec.uri
        return LocalBackend(unquote(urlsplit(uri).path) if uri.startswith("file://") else uri)
    if scheme == "smb":
        from connectors.fs_smb import SmbBackend

        return SmbBackend(spec)
    if scheme == "s3":
        from connectors.fs_s3 import S3Backend

        return S3Backend(spec)
    if scheme == "sftp":
        from connectors.fs_sftp import SftpBackend

        return SftpBackend(spec)
    raise SourceError(f"no file-system backend for scheme '{spec.scheme}' ({spec.display})")


def glob_selected(relative: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Globs match the path relative to the source root or the bare file name; `*` crosses folders."""
    name = relative.rsplit("/", 1)[-1]

    def hit(patterns: tuple[str, ...]) -> bool:
        return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p) for p in patterns)

    if include and not hit(include):
        return False
    return not hit(exclude)


class _CountingStream(io.RawIOBase):
    """A binary stream view that counts the bytes read (for `Facts.sampled_bytes`).

    An `io.RawIOBase`, so parsers that insist on a real file object (py7zr, zipfile) accept it.
    """

    def __init__(self, inner: BinaryIO, counter: list[int]) -> None:
        self._inner = inner
        self._counter = counter

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return bool(self._inner.seekable())

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def read(self, size: int | None = -1) -> bytes:
        data = self._inner.read(-1 if size is None else size)
        self._counter[0] += len(data)
        return data

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        data = self._inner.readline(-1 if size is None else size)
        self._counter[0] += len(data)
        return data

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


ABORT_GRACE_SECONDS = 5.0


class _Watchdog:
    """Calls a backend's `abort()` (drop the connection) once the item's deadline has passed.

    A remote read blocked on a server that stopped answering never returns to `check_deadline`; dropping
    the connection makes it fail, so the item gets an error row and the next item reconnects.
    """

    def __init__(self, abort, seconds: float) -> None:
        self.fired = False
        self._timer: threading.Timer | None = None
        if abort is not None:
            def fire() -> None:
                self.fired = True
                abort()

            self._timer = threading.Timer(seconds, fire)
            self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _listing_reason(exc: Exception) -> str:
    if isinstance(exc, SourceError):  # reconnecting failed mid-walk; its message names no credential
        return str(exc)
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "folder vanished"
    strerror = exc.strerror if isinstance(exc, OSError) else None
    return f"cannot list: {strerror or type(exc).__name__}"


class FileSystemConnector:
    """Files on a local disk, SMB share, S3 bucket or SFTP server (see the module docstring)."""

    schemes: ClassVar[tuple[str, ...]] = ("file", "smb", "s3", "sftp")

    def __init__(self, spec: SourceSpec, limits: Limits) -> None:
        self.spec = spec
        self.limits = limits
        self._backend: FileSystemBackend | None = None

    @property
    def backend(self) -> FileSystemBackend:
        if self._backend is None:  # connect lazily: the connector is built in every worker
            self._backend = make_backend(self.spec)
        return self._backend

    # listing ------------------------------------------------------------------------------------------
    def items(self) -> Iterator[Item]:
        backend = self.backend
        root = backend.root()
        if root.kind != "dir":
            yield self._item(backend.describe(root) if root.kind == "file" else root)
            return
        listed = 0
        seen_dirs: set[object] = {root.dir_key} if root.dir_key is not None else set()
        stack = [root.path]
        root_prefix = root.path.rstrip("/") + "/"
        while stack:
            folder = stack.pop()
            watchdog = _Watchdog(getattr(backend, "abort", None), self.limits.item_seconds + ABORT_GRACE_SECONDS)
            try:
                entries = sorted(backend.list_dir(folder), key=lambda e: e.name)
            except Exception as exc:  # noqa: BLE001 - one unlistable folder is one error row, the walk goes on
                reason = "server stopped answering (connection reset)" if watchdog.fired else _listing_reason(exc)
                yield Item(self.spec.display, backend.location(folder), "folder",
                           meta={"error": f"cannot list folder: {reason}"})
                continue
            finally:
                watchdog.cancel()
            files = [e for e in entries if e.kind != "dir"
                     and glob_selected(e.path[len(root_prefix):], self.limits.include, self.limits.exclude)]
            chosen = self._folder_sample(folder, len(files))
            for index, entry in enumerate(files):
                if listed >= self.limits.files_per_source:
                    reason = f"files_per_source limit ({self.limits.files_per_source}) reached; listing stopped here"
                    yield Item(self.spec.display, backend.location(folder), "folder", meta={"skip": reason})
                    return
                if index not in chosen:
                    cap = self.limits.files_per_folder
                    entry = replace(entry, skip=f"folder holds more than files_per_folder ({cap}) files; not sampled")
                elif entry.kind == "file" and entry.error is None:
                    entry = backend.describe(entry)
                listed += 1
                yield self._item(entry)
            for sub in reversed([e for e in entries if e.kind == "dir"]):
                if sub.dir_key is not None:
                    if sub.dir_key in seen_dirs:
                        continue
                    seen_dirs.add(sub.dir_key)
                stack.append(sub.path)

    def _folder_sample(self, folder: str, count: int) -> set[int] | range:
        cap = self.limits.files_per_folder
        if count <= cap:
            return range(count)
        rng = random.Random(f"{self.limits.seed}:{folder}")
        return set(rng.sample(range(count), cap))

    def _item(self, entry: Entry) -> Item:
        meta: dict[str, object] = {"path": entry.target or entry.path}
        if entry.error:
            meta["error"] = entry.error
        elif entry.skip:
            meta["skip"] = entry.skip
        return Item(
            source=self.spec.display, location=self.backend.location(entry.path), kind="file",
            size_bytes=entry.size, modified=entry.mtime, owner=entry.owner, exposure=entry.exposure,
            version=entry.version, meta=meta,
        )

    # reading ------------------------------------------------------------------------------------------
    def read(self, item: Item) -> Iterator[ReadEvent]:
        if "error" in item.meta:
            raise ItemError(str(item.meta["error"]))
        if "skip" in item.meta:
            raise ItemError(str(item.meta["skip"]), skip=True)
        if item.size_bytes is not None and item.size_bytes > self.limits.max_file_bytes:
            raise ItemError(f"file larger than max_file_bytes ({self.limits.max_file_bytes} bytes)", skip=True)
        path = str(item.meta["path"])
        backend = self.backend
        counter = [0]

        def opener() -> BinaryIO:
            try:
                return _CountingStream(backend.open(path), counter)  # type: ignore[return-value]
            except FileNotFoundError as exc:
                raise ItemError("file vanished before it could be read") from exc
            except PermissionError as exc:
                raise ItemError("permission denied") from exc
            except IsADirectoryError as exc:
                raise ItemError("became a folder before it could be read") from exc
            except OSError as exc:
                raise ItemError(f"cannot open: {exc.strerror or type(exc).__name__}") from exc
            except ItemError:
                raise
            except Exception as exc:  # noqa: BLE001 - protocol errors (lost connection…) by type only
                raise ItemError(f"cannot open: {type(exc).__name__}") from exc

        ctx = ExtractContext.start(self.limits)
        own: ItemOutcome | None = None
        watchdog = _Watchdog(getattr(backend, "abort", None), ctx.seconds_left() + ABORT_GRACE_SECONDS)
        try:
            for event in extract(Blob(item, opener), ctx):
                if isinstance(event, ItemOutcome) and event.item.location == item.location:
                    own = event
                else:
                    yield event
        except Exception as exc:
            if watchdog.fired:
                raise ItemError(f"time limit of {self.limits.item_seconds:g}s per item exceeded "
                                "(server stopped answering; connection reset)") from exc
            raise
        finally:
            watchdog.cancel()
        reason = own.reason if own else None
        if item.version is not None:
            now = backend.current_version(path)
            if now is not None and now != item.version:
                reason = "file changed while it was read; samples may mix versions"
        base = own.facts if own else Facts()
        facts = replace(base, sampled_bytes=counter[0], data_oldest=base.data_oldest or item.modified,
                        data_newest=base.data_newest or item.modified)
        yield ItemOutcome(ctx.typed(item), own.status if own else Status.SCANNED, reason, facts)

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None

