"""The file-system backend interface: one protocol's access to a tree (`fs_local`, `fs_smb`, `fs_s3`,
`fs_sftp`), and the records they share. The walk, the sampling and the reading that every protocol
shares are `connectors.filesystem`'s; a backend only lists, describes and opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlsplit

from scanner.errors import SourceError
from scanner.models import SourceSpec


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


@dataclass(frozen=True)
class ServerAddress:
    """Where a remote backend connects, from `spec.uri`. The password never appears in a repr."""

    host: str
    port: int
    username: str | None
    password: str | None = field(repr=False)
    path: str  # as written in the URI, still percent-encoded


def server_address(spec: SourceSpec, protocol: str, default_port: int) -> ServerAddress:
    """The host, port, credentials and path of a `scheme://[user[:password]@]host[:port]/path` source;
    a URI without a host is unusable (SourceError naming the source's display form, never the URI)."""
    parts = urlsplit(spec.uri)
    if not parts.hostname:
        raise SourceError(f"{protocol} URI needs a host: {spec.display}")
    return ServerAddress(
        host=parts.hostname, port=parts.port or default_port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None, path=parts.path,
    )
