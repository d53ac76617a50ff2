"""File-system connector: lists files under a root and opens them read-only for the extraction layer.

Walking-skeleton scope: local paths and file:// URIs. SMB, S3 and SFTP arrive through fsspec with the
same `items()`/`read()` contract (issue 4).
"""

from __future__ import annotations

import os
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, ClassVar, Iterator
from urllib.parse import unquote, urlsplit

from connectors.base import ReadEvent
from connectors.extract import Blob, ExtractContext, extract
from scanner.errors import ItemError, SourceError
from scanner.limits import Limits
from scanner.models import EXPOSURE_WORLD_READABLE, Item, SourceSpec

_O_NOATIME = getattr(os, "O_NOATIME", 0)


def _open_readonly(path: str) -> BinaryIO:
    """Open without touching atime where the OS allows (O_NOATIME needs ownership; fall back quietly)."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_NOATIME)
    except PermissionError:
        fd = os.open(path, os.O_RDONLY)
    return os.fdopen(fd, "rb")


class LocalConnector:
    schemes: ClassVar[tuple[str, ...]] = ("file",)

    def __init__(self, spec: SourceSpec, limits: Limits) -> None:
        self.spec = spec
        self.limits = limits
        uri = spec.uri
        self.root = Path(unquote(urlsplit(uri).path) if uri.startswith("file://") else uri)

    def items(self) -> Iterator[Item]:
        if not self.root.exists():
            raise SourceError(f"path does not exist: {self.spec.display}")
        if self.root.is_file():
            yield self._item(self.root)
            return
        for dirpath, dirnames, filenames in os.walk(self.root, onerror=None, followlinks=False):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                item = self._item(path)
                if item is not None:
                    yield item

    def _item(self, path: Path) -> Item:
        location = path.resolve().as_uri() if not path.is_symlink() else path.absolute().as_uri()
        try:
            st = path.stat()
        except OSError as exc:
            return Item(self.spec.display, location, "file", meta={"error": f"cannot stat: {exc.strerror}"})
        exposure = EXPOSURE_WORLD_READABLE if st.st_mode & stat.S_IROTH else None
        return Item(
            source=self.spec.display,
            location=location,
            kind="file",
            size_bytes=st.st_size,
            modified=datetime.fromtimestamp(st.st_mtime, tz=timezone.utc),
            owner=str(st.st_uid),
            exposure=exposure,
            version=f"{st.st_mtime_ns}:{st.st_size}",
            meta={"path": str(path)},
        )

    def read(self, item: Item) -> Iterator[ReadEvent]:
        if "error" in item.meta:
            raise ItemError(str(item.meta["error"]))
        path = str(item.meta["path"])

        def opener() -> BinaryIO:
            try:
                return _open_readonly(path)
            except FileNotFoundError as exc:
                raise ItemError("file vanished before it could be read") from exc
            except PermissionError as exc:
                raise ItemError("permission denied") from exc

        ctx = ExtractContext.start(self.limits)
        yield from extract(Blob(item, opener), ctx)

    def close(self) -> None:
        pass
