"""What each archive format's members look like: `Member` records for `archive.walk_members` to recurse into.

A member's `opener` gives a fresh stream each call. Zip members open straight from the archive; formats
that cannot reopen a member once the walk has moved on (a tar read in order, members of a 7z solid block
inflated per batch) buffer its head (`archive_limits.head_bytes`) and hand out views of that buffer, marked
non-seekable when the buffer is only the head, so samplers do not take it for the whole member.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO, Callable, Iterator

from py7zr.io import Py7zIO, WriterFactory

from connectors.extract.archive_limits import declared_bomb, head_bytes, ratio_cap
from connectors.extract.base import ExtractContext
from connectors.extract.streams import NonSeekable
from scanner.errors import ItemError

TAR_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError)


@dataclass
class Member:
    name: str
    opener: Callable[[], BinaryIO]
    size: int | None = None  # declared uncompressed size
    compressed: int | None = None
    encrypted: bool = False
    modified: datetime | None = None


def _buffer(data: bytes, truncated: bool) -> BinaryIO:
    stream = io.BytesIO(data)
    return NonSeekable(stream) if truncated else stream  # type: ignore[return-value]


# zip --------------------------------------------------------------------------------------------------
def zip_members(archive: zipfile.ZipFile) -> Iterator[Member]:
    for info in archive.infolist():
        if not info.is_dir():
            yield Member(name=info.filename, size=info.file_size, compressed=info.compress_size,
                         encrypted=bool(info.flag_bits & 0x1), modified=_zip_time(info),
                         opener=lambda info=info: _open_zip_member(archive, info))


# rar --------------------------------------------------------------------------------------------------
def rar_members(archive) -> Iterator[Member]:
    """Members of a `rarfile.RarFile`: headers are parsed in Python; a compressed member is decompressed by
    the Debian tool rarfile finds (bsdtar, package libarchive-tools), reading from a pipe."""
    for info in archive.infolist():
        if not info.is_dir():
            modified = info.mtime or _rar_time(info.date_time)
            if modified is not None and modified.tzinfo is None:
                modified = modified.replace(tzinfo=timezone.utc)
            yield Member(name=info.filename, size=info.file_size, compressed=info.compress_size,
                         encrypted=info.needs_password(), modified=modified,
                         opener=lambda info=info: _open_rar_member(archive, info))


def _rar_time(date_time) -> datetime | None:
    try:
        return datetime(*date_time, tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


def _open_rar_member(archive, info) -> BinaryIO:
    import rarfile

    try:
        return archive.open(info)
    except rarfile.RarCannotExec as exc:
        raise ItemError("RAR member: no decompression tool (Debian package libarchive-tools)", skip=True) from exc
    except (rarfile.Error, OSError) as exc:
        raise ItemError("corrupt RAR member") from exc


def _zip_time(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time, tzinfo=timezone.utc)
    except ValueError:
        return None


def _open_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryIO:
    try:
        return archive.open(info)  # type: ignore[return-value]
    except NotImplementedError as exc:
        raise ItemError("zip member uses an unsupported compression method", skip=True) from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise ItemError("corrupt zip member") from exc


# tar and compressed streams -------------------------------------------------------------------------
def tar_members(tar: tarfile.TarFile, ctx: ExtractContext) -> Iterator[Member]:
    """Members of a tar read in order (stream mode): each is buffered before the next header is read."""
    while True:
        try:
            info = tar.next()
        except TAR_ERRORS as exc:
            raise ItemError("corrupt or truncated tar archive") from exc
        if info is None:
            return
        if not info.isfile():
            continue
        source = tar.extractfile(info)
        if source is None:
            continue
        try:
            head = source.read(8192)
            data = head + source.read(max(0, head_bytes(ctx, head, info.name) - len(head)))
        except TAR_ERRORS as exc:
            raise ItemError("corrupt or truncated tar archive") from exc
        truncated = len(data) < info.size
        yield Member(
            name=info.name, size=info.size, modified=datetime.fromtimestamp(info.mtime, tz=timezone.utc),
            opener=lambda data=data, truncated=truncated: _buffer(data, truncated),
        )


_DECOMPRESSORS: dict[str, Callable[[BinaryIO], BinaryIO]] = {
    "application/gzip": lambda s: gzip.GzipFile(fileobj=s, mode="rb"),  # type: ignore[dict-item]
    "application/x-bzip2": lambda s: bz2.BZ2File(s, mode="rb"),  # type: ignore[dict-item]
    "application/x-xz": lambda s: lzma.LZMAFile(s, mode="rb"),  # type: ignore[dict-item]
}
COMPRESSED_SUFFIXES = {"application/gzip": (".gz", ".tgz"), "application/x-bzip2": (".bz2", ".tbz2", ".tbz"),
                       "application/x-xz": (".xz", ".txz"), "application/zstd": (".zst", ".zstd", ".tzst")}


def decompressor(media_type: str) -> Callable[[BinaryIO], BinaryIO]:
    if media_type == "application/zstd":
        import zstandard

        return lambda s: zstandard.ZstdDecompressor().stream_reader(s, read_across_frames=True)  # type: ignore[return-value]
    return _DECOMPRESSORS[media_type]


def decompressed_name(location: str, media_type: str) -> str:
    """The name of what a compressed stream holds: `a.csv.gz` -> `a.csv`, `b.tgz` -> `b.tar`, `blob` -> `blob.data`."""
    name = location.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    lower = name.lower()
    for suffix in COMPRESSED_SUFFIXES[media_type]:
        if lower.endswith(suffix):
            return name[: -len(suffix)] + (".tar" if suffix.startswith(".t") and suffix != ".tzst" else "")
    return name + ".data" if name else "data"


# 7z ---------------------------------------------------------------------------------------------------
_SEVEN_ZIP_ERRORS = (EOFError, OSError, ValueError, KeyError, IndexError, lzma.LZMAError)
_SEVEN_ZIP_BATCH_BYTES = 64 * 1024 * 1024  # solid blocks are decompressed per batch of members


def seven_zip_members(archive, infos, ctx: ExtractContext) -> Iterator[Member]:
    """Members in order, extracted per batch; a member refused from its declared sizes is never inflated,
    and the others are written through `_CappedIO` (byte caps and the deadline apply while writing)."""
    from py7zr.exceptions import Bad7zFile, DecompressionBombError

    batch: list = []
    poisoned: set[int] = set()  # solid blocks holding a refused member
    for start in range(len(infos)):
        batch.append(infos[start])
        if sum(i.uncompressed or 0 for i in batch) < _SEVEN_ZIP_BATCH_BYTES and start + 1 < len(infos):
            continue
        blocked = _blocked(archive, batch, ctx, poisoned)
        wanted = [i for i in batch if i.filename not in blocked]
        factory = _CappedFactory(ctx, {i.filename: i.compressed for i in wanted}, blocked)
        if wanted:
            try:
                archive.reset()
                archive.extract(targets=[i.filename for i in wanted], factory=factory)
            except DecompressionBombError as exc:
                raise ItemError(f"archive_expanded_bytes ({ctx.limits.archive_expanded_bytes}) exhausted",
                                skip=True) from exc
            except (Bad7zFile, *_SEVEN_ZIP_ERRORS) as exc:
                raise ItemError("corrupt or truncated 7z archive") from exc
        for info in batch:
            yield Member(info.filename, size=info.uncompressed, compressed=info.compressed,
                         modified=info.creationtime, opener=factory.opener(info.filename))
        batch = []


def encrypted_seven_zip_members(infos) -> list[Member]:
    """Members of a 7z whose content is encrypted: listed, never opened."""
    return [Member(i.filename, opener=_never, size=i.uncompressed, encrypted=True) for i in infos]


def _never() -> BinaryIO:
    raise ItemError("encrypted member; not decrypted", skip=True, encrypted=True)


def _blocked(archive, batch, ctx: ExtractContext, poisoned: set[int]) -> dict[str, tuple[str, bool]]:
    """Members not to inflate, with why: those refused from their declared sizes, and those behind one in
    the same solid block (reaching them would inflate the refused member first)."""
    folder_of = {f.filename: id(f.folder) for f in archive.files if f.folder is not None}
    blocked: dict[str, tuple[str, bool]] = {}  # name -> (reason, deliberate skip)
    for info in batch:
        refusal = declared_bomb(info.uncompressed, info.compressed, ctx)
        if refusal is not None:
            blocked[info.filename] = (refusal, False)
            poisoned.add(folder_of.get(info.filename, -1))
        elif folder_of.get(info.filename, -1) in poisoned:
            blocked[info.filename] = ("stored after a refused (bomb) member in a solid 7z block; not expanded",
                                      True)
    return blocked


_PY7ZR_BLOCK_BYTES = 4 << 20


def bound_py7zr_blocks() -> None:
    """py7zr inflates in blocks of up to 128 MB (`get_memory_limit`), also for members it only skips over
    in a solid block: a bomb then costs that much memory whatever our writer keeps. 4 MB blocks bound it."""
    import py7zr.py7zr as worker_module

    worker_module.get_memory_limit = lambda: _PY7ZR_BLOCK_BYTES


class _CappedFactory(WriterFactory):
    """py7zr writer factory: each member is kept in memory only up to what the scan would read of it."""

    def __init__(self, ctx: ExtractContext, compressed: dict[str, int | None],
                 blocked: dict[str, tuple[str, bool]]) -> None:
        self.ctx = ctx
        self.compressed = compressed
        self.blocked = blocked
        self.products: dict[str, "_CappedIO"] = {}

    def create(self, filename: str) -> "_CappedIO":
        product = _CappedIO(filename, self.ctx, self.compressed.get(filename))
        self.products[filename] = product
        return product

    def opener(self, filename: str) -> Callable[[], BinaryIO]:
        product = self.products.get(filename)
        refusal = self.blocked.get(filename)
        if product is not None and product.bomb:
            refusal = (f"expands beyond archive_ratio ({self.ctx.limits.archive_ratio:g}) of its compressed size; "
                       "possible bomb", False)
        if refusal is not None:
            def refuse(reason: str = refusal[0], skip: bool = refusal[1]) -> BinaryIO:
                raise ItemError(reason, skip=skip)

            return refuse
        if product is None:
            return lambda: _buffer(b"", False)
        data, truncated = bytes(product.data), product.truncated
        product.data = bytearray()
        return lambda: _buffer(data, truncated)


class _CappedIO(Py7zIO):
    """Keeps a member's head (`archive_limits.head_bytes`, judged from its first write). Inflating past
    `archive_ratio` of the declared compressed size marks the member a bomb; the item's deadline is checked
    on every write."""

    def __init__(self, name: str, ctx: ExtractContext, compressed: int | None) -> None:
        self.name, self.ctx = name, ctx
        self.cap: int | None = None  # set from the first bytes written
        self.ratio_cap = ratio_cap(ctx, compressed)
        self.data, self.written, self.truncated, self.bomb = bytearray(), 0, False, False

    def write(self, s: bytes) -> int:
        self.ctx.check_deadline()
        self.written += len(s)
        if self.ratio_cap is not None and self.written > self.ratio_cap:
            self.bomb, self.data = True, bytearray()
        if self.bomb:
            return len(s)
        if self.cap is None:
            self.cap = head_bytes(self.ctx, bytes(s[:8192]), self.name)
        room = self.cap - len(self.data)
        if len(s) > room:
            self.truncated = True
        self.data += s[: max(room, 0)]
        return len(s)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def flush(self) -> None:
        pass

    def size(self) -> int:
        return len(self.data)
