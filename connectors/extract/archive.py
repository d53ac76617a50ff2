"""Archives and compressed streams: zip, tar (plain, gz, bz2, xz, zst), single gz/bz2/xz/zst files, 7z.

Each extractor lists an archive's members and hands every member back to the shared extraction layer
through `ExtractContext.recurse`, as an `Item(kind="member", location="OUTER!MEMBER", parent=OUTER)`, so a
member is sniffed and extracted exactly like a file (a `.sql` member reaches the SQL-dump extractor, a
nested zip recurses). Limits, all from `Limits`:

* `archive_depth`: nesting (enforced by `recurse`);
* `archive_members`: members per archive; the rest are counted in the archive's own outcome;
* `archive_expanded_bytes`: decompressed bytes across one top-level item's whole tree, counted as read;
* `archive_ratio`: a member (or compressed stream) expanding more than this over its compressed size is a
  bomb and is refused — from the declared sizes before reading, and again from the bytes actually read;
* `item_seconds`: `check_deadline` between members and inside reads.

Encrypted members are recorded (`skipped`, `Facts(encrypted=True)`), never guessed at. Streams that cannot
seek (tar inside gzip) are read once, in order: each member's head (or, for whole-file formats, the whole
member up to `max_document_bytes`) is buffered so the member can be re-opened.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import posixpath
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO, Callable, Iterable, Iterator

from py7zr.io import Py7zIO, WriterFactory

from connectors.extract.base import Blob, ExtractContext, NonSeekable, ReadEvent, valid_utf8
from connectors.extract.sniff import sniff_media_type
from scanner.errors import ItemError
from scanner.models import Facts, Item, ItemOutcome, Status

_BOMB_MIN_BYTES = 1 << 20  # ratios of tiny members mean nothing (a 1 KB file of spaces compresses 100x)
_WHOLE_FILE_TYPES = ("application/zip", "application/vnd.", "application/pdf", "application/x-ole-storage",
                     "application/x-7z-compressed", "application/gzip", "application/x-bzip2", "application/x-xz",
                     "application/zstd", "application/x-tar", "application/rtf", "application/vnd.apache.parquet",
                     # a dump is only useful whole: its CREATE TABLE and data blocks are far apart
                     "application/sql")


@dataclass
class Member:
    name: str
    opener: Callable[[], BinaryIO]
    size: int | None = None  # declared uncompressed size
    compressed: int | None = None
    encrypted: bool = False
    modified: datetime | None = None


class BoundedReader(io.RawIOBase):
    """Counts decompressed bytes into the tree's shared budget and stops a member that expands too far."""

    def __init__(self, inner: BinaryIO, ctx: ExtractContext, consumed: list[int], cap: int | None) -> None:
        self._inner, self._ctx, self._consumed, self._cap = inner, ctx, consumed, cap
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return bool(getattr(self._inner, "seekable", lambda: False)())

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = self._inner.seek(offset, whence)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        self._ctx.check_deadline()
        limits = self._ctx.limits
        room = limits.archive_expanded_bytes - self._ctx.expanded_bytes + self._consumed[0] - self._pos
        if self._cap is not None:
            room = min(room, self._cap - self._pos)
        want = room + 1 if size is None or size < 0 else min(size, room + 1)
        data = self._inner.read(max(want, 0))
        self._pos += len(data)
        if self._pos > self._consumed[0]:
            self._ctx.expanded_bytes += self._pos - self._consumed[0]
            self._consumed[0] = self._pos
        if self._cap is not None and self._pos > self._cap:
            raise ItemError(f"expands beyond archive_ratio ({limits.archive_ratio:g}) of its compressed size; possible bomb")
        if self._ctx.expanded_bytes > limits.archive_expanded_bytes:
            raise ItemError(f"archive_expanded_bytes ({limits.archive_expanded_bytes}) exhausted", skip=True)
        return data

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


def _ratio_cap(ctx: ExtractContext, compressed: int | None) -> int | None:
    if not compressed:
        return None
    return max(_BOMB_MIN_BYTES, int(compressed * ctx.limits.archive_ratio))


def declared_bomb(size: int | None, compressed: int | None, ctx: ExtractContext) -> str | None:
    """Why a member must not be expanded, judged from its declared sizes alone (before any byte is inflated)."""
    ratio_limit = ctx.limits.archive_ratio
    if size is not None and compressed and size > _BOMB_MIN_BYTES and size / compressed > ratio_limit:
        return (f"compression ratio {size / compressed:.0f} exceeds archive_ratio ({ratio_limit:g}); "
                "possible zip bomb, not expanded")
    return None


def _clean_name(name: str) -> str:
    """A member name fit for a location: forward slashes, no leading `/` or `./`, valid UTF-8 (a tar name's
    undecodable bytes and a 7z name's lone surrogates are percent-encoded)."""
    name = valid_utf8(name).replace("\\", "/")
    while name.startswith(("/", "./")):
        name = name[1:] if name.startswith("/") else name[2:]
    return name or "unnamed"


def walk_members(blob: Blob, ctx: ExtractContext, members: Iterable[Member]) -> Iterator[ReadEvent]:
    """Recurse into each member under the member-count, ratio and expansion limits (shared by all formats)."""
    limits = ctx.limits
    outer = blob.item
    taken = not_taken = 0
    for member in members:
        ctx.check_deadline()
        if taken >= limits.archive_members:
            not_taken += 1
            continue
        taken += 1
        item = Item(
            source=outer.source, location=f"{outer.location}!{_clean_name(member.name)}", kind="member",
            size_bytes=member.size, modified=member.modified or outer.modified, owner=outer.owner,
            exposure=outer.exposure, parent=outer.location, depth=ctx.depth + 1,
        )
        if member.encrypted:
            yield ItemOutcome(item, Status.SKIPPED, "encrypted member; not decrypted", Facts(encrypted=True))
            continue
        refusal = declared_bomb(member.size, member.compressed, ctx)
        if refusal is not None:
            yield ItemOutcome(item, Status.ERROR, refusal)
            continue
        if ctx.expanded_bytes >= limits.archive_expanded_bytes:
            yield ItemOutcome(item, Status.SKIPPED, f"archive_expanded_bytes ({limits.archive_expanded_bytes}) exhausted")
            continue
        consumed = [0]
        cap = _ratio_cap(ctx, member.compressed)
        opener = member.opener

        def bounded(opener=opener, consumed=consumed, cap=cap) -> BinaryIO:
            return BoundedReader(opener(), ctx, consumed, cap)  # type: ignore[return-value]

        yield from ctx.recurse(Blob(item, bounded))
    if not_taken:
        yield ItemOutcome(outer, Status.SCANNED, f"archive_members limit ({limits.archive_members}) reached; "
                          f"{not_taken} more members not scanned", Facts(members_not_scanned=not_taken))


def _seekable_stream(blob: Blob, ctx: ExtractContext) -> BinaryIO:
    stream = blob.open()
    if getattr(stream, "seekable", lambda: False)():
        return stream
    stream.close()
    return io.BytesIO(ctx.read_whole(blob))


# zip --------------------------------------------------------------------------------------------------
class ZipExtractor:
    media_types = ("application/zip",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        stream = _seekable_stream(blob, ctx)
        try:
            try:
                archive = zipfile.ZipFile(stream)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise ItemError("corrupt or truncated zip archive") from exc
            with archive:
                infos = [i for i in archive.infolist() if not i.is_dir()]

                def members() -> Iterator[Member]:
                    for info in infos:
                        yield Member(
                            name=info.filename, size=info.file_size, compressed=info.compress_size,
                            encrypted=bool(info.flag_bits & 0x1), modified=_zip_time(info),
                            opener=lambda info=info: _open_zip_member(archive, info),
                        )

                yield from walk_members(blob, ctx, members())
        finally:
            stream.close()


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
def _tar_members(tar: tarfile.TarFile, ctx: ExtractContext) -> Iterator[Member]:
    """Members of a tar read in order (stream mode): each is buffered before the next header is read."""
    while True:
        try:
            info = tar.next()
        except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
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
            media_type = sniff_media_type(head, info.name)
            whole = media_type.startswith(_WHOLE_FILE_TYPES)
            budget = ctx.limits.max_document_bytes if whole else ctx.limits.bytes_per_file
            room = max(0, ctx.limits.archive_expanded_bytes - ctx.expanded_bytes)
            data = head + source.read(max(0, min(budget, room) - len(head)))
        except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
            raise ItemError("corrupt or truncated tar archive") from exc
        truncated = len(data) < info.size
        yield Member(
            name=info.name, size=info.size, modified=datetime.fromtimestamp(info.mtime, tz=timezone.utc),
            opener=lambda data=data, truncated=truncated: _buffer(data, truncated),
        )


def _buffer(data: bytes, truncated: bool) -> BinaryIO:
    stream = io.BytesIO(data)
    return NonSeekable(stream) if truncated else stream  # type: ignore[return-value]


class TarExtractor:
    media_types = ("application/x-tar",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        with blob.open() as stream:
            yield from _tar_walk(blob, ctx, stream)


def _tar_walk(blob: Blob, ctx: ExtractContext, stream: BinaryIO) -> Iterator[ReadEvent]:
    try:
        tar = tarfile.open(fileobj=stream, mode="r|")
    except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
        raise ItemError("corrupt or truncated tar archive") from exc
    with tar:
        yield from walk_members(blob, ctx, _tar_members(tar, ctx))


_DECOMPRESSORS: dict[str, Callable[[BinaryIO], BinaryIO]] = {
    "application/gzip": lambda s: gzip.GzipFile(fileobj=s, mode="rb"),  # type: ignore[dict-item]
    "application/x-bzip2": lambda s: bz2.BZ2File(s, mode="rb"),  # type: ignore[dict-item]
    "application/x-xz": lambda s: lzma.LZMAFile(s, mode="rb"),  # type: ignore[dict-item]
}
_SUFFIXES = {"application/gzip": (".gz", ".tgz"), "application/x-bzip2": (".bz2", ".tbz2", ".tbz"),
             "application/x-xz": (".xz", ".txz"), "application/zstd": (".zst", ".zstd", ".tzst")}
_DECOMPRESS_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)


def _decompressor(media_type: str) -> Callable[[BinaryIO], BinaryIO]:
    if media_type == "application/zstd":
        import zstandard

        return lambda s: zstandard.ZstdDecompressor().stream_reader(s, read_across_frames=True)  # type: ignore[return-value]
    return _DECOMPRESSORS[media_type]


class CompressedStreamExtractor:
    """gzip/bzip2/xz/zstd: a compressed tar is walked as a tar; anything else is one member."""

    media_types = tuple(_SUFFIXES)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        media_type = blob.item.media_type or "application/gzip"
        decompress = _decompressor(media_type)
        consumed = [0]
        cap = _ratio_cap(ctx, blob.item.size_bytes)

        def open_plain() -> BinaryIO:
            return BoundedReader(_Guarded(decompress(blob.open())), ctx, consumed, cap)  # type: ignore[return-value]

        with open_plain() as plain:
            head = plain.read(512)
        if len(head) >= 262 and head[257:262] == b"ustar":
            with open_plain() as plain:
                yield from _tar_walk(blob, ctx, plain)
            return
        name = posixpath.basename(blob.item.location.rsplit("!", 1)[-1])
        lower = name.lower()
        for suffix in _SUFFIXES[media_type]:
            if lower.endswith(suffix):
                name = name[: -len(suffix)] + (".tar" if suffix.startswith(".t") and suffix != ".tzst" else "")
                break
        else:
            name = name + ".data" if name else "data"

        def member_stream() -> BinaryIO:
            return NonSeekable(_Guarded(decompress(blob.open())))  # type: ignore[return-value]

        yield from walk_members(blob, ctx, [Member(name=name, opener=member_stream, compressed=blob.item.size_bytes)])


class _Guarded(io.RawIOBase):
    """Turns a decompressor's many error types into one ItemError that names no content."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return self._inner.read(size)
        except _DECOMPRESS_ERRORS as exc:
            raise ItemError("corrupt or truncated compressed stream") from exc
        except Exception as exc:  # noqa: BLE001 - zstandard.ZstdError and friends
            raise ItemError("corrupt or truncated compressed stream") from exc

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


# 7z ---------------------------------------------------------------------------------------------------
class SevenZipExtractor:
    media_types = ("application/x-7z-compressed",)
    batch_bytes = 64 * 1024 * 1024  # solid blocks are decompressed per batch of members

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        import py7zr
        from py7zr.exceptions import Bad7zFile, PasswordRequired

        stream = _seekable_stream(blob, ctx)
        try:
            _bound_py7zr_blocks()
            room = max(1, ctx.limits.archive_expanded_bytes - ctx.expanded_bytes)
            try:
                archive = py7zr.SevenZipFile(stream, mode="r", max_extract_size=room)
            except PasswordRequired as exc:
                raise ItemError("encrypted 7z archive (names encrypted too); not decrypted", skip=True, encrypted=True) from exc
            except (Bad7zFile, EOFError, OSError, ValueError, KeyError, IndexError) as exc:
                raise ItemError("corrupt or truncated 7z archive") from exc
            with archive:
                encrypted = archive.needs_password()
                infos = [i for i in archive.list() if not i.is_directory]
                if encrypted:
                    yield from walk_members(blob, ctx, [Member(i.filename, opener=_never, size=i.uncompressed,
                                                               encrypted=True) for i in infos])
                    return
                yield from walk_members(blob, ctx, self._members(archive, infos, ctx))
        finally:
            stream.close()

    def _members(self, archive, infos, ctx: ExtractContext) -> Iterator[Member]:
        """Members in order, extracted per batch; a member refused from its declared sizes is never inflated,
        and the others are written through `_CappedIO` (byte caps and the deadline apply while writing)."""
        from py7zr.exceptions import Bad7zFile, DecompressionBombError

        batch: list = []
        poisoned: set[int] = set()  # solid blocks holding a refused member
        for start in range(len(infos)):
            batch.append(infos[start])
            if sum(i.uncompressed or 0 for i in batch) < self.batch_bytes and start + 1 < len(infos):
                continue
            blocked = self._blocked(archive, batch, ctx, poisoned)
            wanted = [i for i in batch if i.filename not in blocked]
            factory = _CappedFactory(ctx, {i.filename: i.compressed for i in wanted}, blocked)
            if wanted:
                try:
                    archive.reset()
                    archive.extract(targets=[i.filename for i in wanted], factory=factory)
                except DecompressionBombError as exc:
                    raise ItemError(f"archive_expanded_bytes ({ctx.limits.archive_expanded_bytes}) exhausted",
                                    skip=True) from exc
                except (Bad7zFile, EOFError, OSError, ValueError, KeyError, IndexError, lzma.LZMAError) as exc:
                    raise ItemError("corrupt or truncated 7z archive") from exc
            for info in batch:
                yield Member(info.filename, size=info.uncompressed, compressed=info.compressed,
                             modified=info.creationtime, opener=factory.opener(info.filename))
            batch = []


    @staticmethod
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


def _never() -> BinaryIO:
    raise ItemError("encrypted member; not decrypted", skip=True, encrypted=True)


_PY7ZR_BLOCK_BYTES = 4 << 20


def _bound_py7zr_blocks() -> None:
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
    """Keeps a member's head: `max_document_bytes` for whole-file formats, `bytes_per_file` otherwise, never
    more than the tree's remaining `archive_expanded_bytes`. Inflating past `archive_ratio` of the declared
    compressed size marks the member a bomb; the item's deadline is checked on every write."""

    def __init__(self, name: str, ctx: ExtractContext, compressed: int | None) -> None:
        self.name, self.ctx = name, ctx
        limits = ctx.limits
        self.cap = max(0, min(limits.max_document_bytes, limits.archive_expanded_bytes - ctx.expanded_bytes))
        self.ratio_cap = _ratio_cap(ctx, compressed)
        self.data, self.written, self.truncated, self.bomb, self.sniffed = bytearray(), 0, False, False, False

    def write(self, s: bytes) -> int:
        self.ctx.check_deadline()
        self.written += len(s)
        if self.ratio_cap is not None and self.written > self.ratio_cap:
            self.bomb, self.data = True, bytearray()
        if self.bomb:
            return len(s)
        if not self.sniffed:
            self.sniffed = True
            if not sniff_media_type(bytes(s[:8192]), self.name).startswith(_WHOLE_FILE_TYPES):
                self.cap = min(self.cap, self.ctx.limits.bytes_per_file)
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
