"""File-system connector: lists files on a local disk, an SMB share, an S3 bucket or an SFTP server, and
opens them read-only for the shared extraction layer.

One connector class, `FileSystemConnector`, handles the schemes `file`, `smb`, `s3` and `sftp`; what differs
per protocol (listing one folder, opening one file, exposure and owner, credential-free locations) sits
behind the small `FileSystemBackend` interface (`fs_backend`), one module each (`fs_local` on `os.scandir`,
`fs_smb` on smbprotocol, `fs_s3` on fsspec's s3fs, `fs_sftp` on fsspec's sshfs). Everything here is shared
and so behaves identically on every protocol:

* the walk: depth-first, names sorted, folders never walked twice, a folder that cannot be listed becomes
  one error row and the walk goes on (links and special files are the backend's to classify);
* sampling, deterministic with `Limits.seed`: include/exclude globs, at most `files_per_folder` files per
  folder (a seeded random choice, the rest recorded as skipped), at most `files_per_source` in all, files
  above `max_file_bytes` skipped; per-file byte budgets are the extraction layer's;
* reading: a read-only stream, counted (`Facts.sampled_bytes`), handed to `connectors.extract.extract`,
  with a watchdog that drops a hung server's connection at the item's deadline.

Item locations never hold credentials: `file:///abs/path`, `smb://host:port/share/path`,
`s3://bucket/key`, `sftp://user@host:port/path`. `SourceSpec.uri` (which may hold a password) is used only
to connect and never appears in items, exceptions or logs.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import replace
from typing import BinaryIO, ClassVar, Iterator
from urllib.parse import unquote, urlsplit

from connectors.base import ReadEvent
from connectors.extract import Blob, ExtractContext, extract
from connectors.extract.streams import ByteTally, CountingStream
from connectors.fs_backend import Entry, FileSystemBackend
from connectors.fs_local import LocalBackend
from scanner.errors import ItemError, SourceError
from scanner.limits import Limits
from scanner.models import Facts, Item, ItemOutcome, SourceSpec, Status


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
        tally = ByteTally()

        def opener() -> BinaryIO:
            try:
                return CountingStream(backend.open(path), tally)  # type: ignore[return-value]
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
        facts = replace(base, sampled_bytes=tally.total, data_oldest=base.data_oldest or item.modified,
                        data_newest=base.data_newest or item.modified)
        yield ItemOutcome(ctx.typed(item), own.status if own else Status.SCANNED, reason, facts)

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None

