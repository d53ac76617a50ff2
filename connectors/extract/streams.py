"""Read-only views of binary streams: one family, `StreamView`, for every way the scan watches or bounds a read.

Each view is an `io.RawIOBase`, so parsers that insist on a real file object (zipfile, py7zr, tarfile,
`io.TextIOWrapper`) accept it; closing a view closes the stream under it. The members of the family:

* `CountingStream`: counts the bytes read into a `ByteTally` (`Facts.sampled_bytes`; a dump cut short);
* `NonSeekable`: says it cannot seek, so samplers read its head only (a compressed member, an mbox);
* `GuardedStream`: a non-seekable view that turns a decompressor's many error types into one `ItemError`
  that names no content;
* `BoundedReader`: counts decompressed bytes into the archive tree's shared budget, checks the item's
  deadline on every read and stops a member that expands beyond `archive_ratio` (a bomb).
"""

from __future__ import annotations

import io
import lzma
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from connectors.extract.base import ExtractContext
from scanner.errors import ItemError


@dataclass
class ByteTally:
    """A byte count shared by every stream opened for one item or member (an item is opened several times:
    sniffing, then extracting), so it survives each stream's close."""

    total: int = 0


class StreamView(io.RawIOBase):
    """A read-only view that passes everything through to `inner`; subclasses change one behaviour."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return bool(getattr(self._inner, "seekable", lambda: False)())

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def read(self, size: int | None = -1) -> bytes:
        return self._inner.read(-1 if size is None else size)

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class CountingStream(StreamView):
    """Counts every byte read, lines included, into `tally`."""

    def __init__(self, inner: BinaryIO, tally: ByteTally | None = None) -> None:
        super().__init__(inner)
        self.tally = tally if tally is not None else ByteTally()

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.tally.total += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = self._inner.readline(-1 if size is None else size)
        self.tally.total += len(data)
        return data


class NonSeekable(StreamView):
    """Says it cannot seek: seeking a compressed member means decompressing it from the start again."""

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0) -> int:
        raise io.UnsupportedOperation("seek")

    def tell(self) -> int:
        raise io.UnsupportedOperation("tell")


_DECOMPRESS_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)


class GuardedStream(NonSeekable):
    """A decompressor's output: any error it raises (zlib, lzma, zstandard, a truncated stream) becomes one
    `ItemError` that names no content."""

    def read(self, size: int | None = -1) -> bytes:
        try:
            return super().read(size)
        except _DECOMPRESS_ERRORS as exc:
            raise ItemError("corrupt or truncated compressed stream") from exc
        except Exception as exc:  # noqa: BLE001 - zstandard.ZstdError and friends
            raise ItemError("corrupt or truncated compressed stream") from exc


class BoundedReader(StreamView):
    """Counts decompressed bytes into the tree's shared budget and stops a member that expands too far.

    `consumed` is how far this member has been read across all its openings (only new bytes count against
    `archive_expanded_bytes`); `cap` is the most the member may expand to (None: no compressed size known).
    """

    def __init__(self, inner: BinaryIO, ctx: ExtractContext, consumed: ByteTally, cap: int | None) -> None:
        super().__init__(inner)
        self._ctx, self._consumed, self._cap = ctx, consumed, cap
        self._pos = 0

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = self._inner.seek(offset, whence)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        self._ctx.check_deadline()
        limits = self._ctx.limits
        room = limits.archive_expanded_bytes - self._ctx.expanded_bytes + self._consumed.total - self._pos
        if self._cap is not None:
            room = min(room, self._cap - self._pos)
        want = room + 1 if size is None or size < 0 else min(size, room + 1)
        data = self._inner.read(max(want, 0))
        self._pos += len(data)
        if self._pos > self._consumed.total:
            self._ctx.expanded_bytes += self._pos - self._consumed.total
            self._consumed.total = self._pos
        if self._cap is not None and self._pos > self._cap:
            raise ItemError(f"expands beyond archive_ratio ({limits.archive_ratio:g}) of its compressed size; possible bomb")
        if self._ctx.expanded_bytes > limits.archive_expanded_bytes:
            raise ItemError(f"archive_expanded_bytes ({limits.archive_expanded_bytes}) exhausted", skip=True)
        return data
