"""Archives and compressed streams: zip, tar (plain, gz, bz2, xz, zst), single gz/bz2/xz/zst files, 7z, RAR.

Each extractor lists an archive's members (`archive_members`: one reader per format) and hands every
member back to the shared extraction layer through `walk_members` and `ExtractContext.recurse`, as an
`Item(kind="member", location="OUTER!MEMBER", parent=OUTER)`, so a member is sniffed and extracted exactly
like a file (a `.sql` member reaches the SQL-dump extractor, a nested zip recurses). Limits, all from
`Limits` (the bomb guard is `archive_limits`):

* `archive_depth`: nesting (enforced by `recurse`);
* `archive_members`: members per archive; the rest are counted in the archive's own outcome;
* `archive_expanded_bytes`: decompressed bytes across one top-level item's whole tree, counted as read;
* `archive_ratio`: a member (or compressed stream) expanding more than this over its compressed size is a
  bomb and is refused — from the declared sizes before reading, and again from the bytes actually read;
* `item_seconds`: `check_deadline` between members and inside reads.

Encrypted members are recorded (`skipped`, `Facts(encrypted=True)`), never guessed at; an archive whose
every member is encrypted is itself `skipped` and encrypted (not verified: nothing in it was read). Streams that cannot
seek (tar inside gzip) are read once, in order: each member's head (or, for whole-file formats, the whole
member up to `max_document_bytes`) is buffered so the member can be re-opened.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from dataclasses import replace
from typing import Any, BinaryIO, Callable, Iterable, Iterator

from connectors.extract.archive_limits import declared_bomb, ratio_cap
from connectors.extract.archive_members import (
    COMPRESSED_SUFFIXES, TAR_ERRORS, Member, bound_py7zr_blocks, decompressed_name, decompressor,
    encrypted_seven_zip_members, rar_members, seven_zip_members, tar_members, zip_members,
)
from connectors.extract.base import Blob, ExtractContext, ReadEvent, valid_utf8
from connectors.extract.streams import BoundedReader, ByteTally, GuardedStream
from scanner.errors import ItemError
from scanner.models import Facts, Item, ItemOutcome, Status


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
    taken = not_taken = encrypted = 0
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
            encrypted += 1
            yield ItemOutcome(item, Status.SKIPPED, "encrypted member; not decrypted", Facts(encrypted=True))
            continue
        refusal = declared_bomb(member.size, member.compressed, ctx)
        if refusal is not None:
            yield ItemOutcome(item, Status.ERROR, refusal)
            continue
        if ctx.expanded_bytes >= limits.archive_expanded_bytes:
            yield ItemOutcome(item, Status.SKIPPED, f"archive_expanded_bytes ({limits.archive_expanded_bytes}) exhausted")
            continue
        consumed = ByteTally()
        cap = ratio_cap(ctx, member.compressed)
        opener = member.opener

        def bounded(opener=opener, consumed=consumed, cap=cap) -> BinaryIO:
            return BoundedReader(opener(), ctx, consumed, cap)  # type: ignore[return-value]

        yield from ctx.recurse(Blob(item, bounded))
    facts = Facts(members_not_scanned=not_taken or None)
    if taken and encrypted == taken:  # nothing was read: the archive is not verified, not "no personal data"
        yield ItemOutcome(outer, Status.SKIPPED, f"encrypted archive: all {taken} members encrypted; not decrypted",
                          replace(facts, encrypted=True))
    elif not_taken:
        yield ItemOutcome(outer, Status.SCANNED, f"archive_members limit ({limits.archive_members}) reached; "
                          f"{not_taken} more members not scanned", facts)


def _seekable_stream(blob: Blob, ctx: ExtractContext) -> BinaryIO:
    stream = blob.open()
    if getattr(stream, "seekable", lambda: False)():
        return stream
    stream.close()
    return io.BytesIO(ctx.read_whole(blob))


def _walk_seekable(blob: Blob, ctx: ExtractContext, open_archive: Callable[[BinaryIO], Any],
                   members: Callable[[Any], Iterable[Member]]) -> Iterator[ReadEvent]:
    """Open an archive format that needs to seek (`open_archive` raises ItemError), walk its members, close."""
    stream = _seekable_stream(blob, ctx)
    try:
        with open_archive(stream) as archive:
            yield from walk_members(blob, ctx, members(archive))
    finally:
        stream.close()


def _open_zip(stream: BinaryIO) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ItemError("corrupt or truncated zip archive") from exc


class ZipExtractor:
    media_types = ("application/zip",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        yield from _walk_seekable(blob, ctx, _open_zip, zip_members)


class TarExtractor:
    media_types = ("application/x-tar",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        with blob.open() as stream:
            yield from _tar_walk(blob, ctx, stream)


def _tar_walk(blob: Blob, ctx: ExtractContext, stream: BinaryIO) -> Iterator[ReadEvent]:
    try:
        tar = tarfile.open(fileobj=stream, mode="r|")
    except TAR_ERRORS as exc:
        raise ItemError("corrupt or truncated tar archive") from exc
    with tar:
        yield from walk_members(blob, ctx, tar_members(tar, ctx))


class CompressedStreamExtractor:
    """gzip/bzip2/xz/zstd: a compressed tar is walked as a tar; anything else is one member."""

    media_types = tuple(COMPRESSED_SUFFIXES)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        media_type = blob.item.media_type or "application/gzip"
        decompress = decompressor(media_type)
        consumed = ByteTally()
        cap = ratio_cap(ctx, blob.item.size_bytes)

        def open_plain() -> BinaryIO:
            return BoundedReader(GuardedStream(decompress(blob.open())), ctx, consumed, cap)  # type: ignore[return-value]

        with open_plain() as plain:
            head = plain.read(512)
        if len(head) >= 262 and head[257:262] == b"ustar":
            with open_plain() as plain:
                yield from _tar_walk(blob, ctx, plain)
            return

        def member_stream() -> BinaryIO:
            return GuardedStream(decompress(blob.open()))  # type: ignore[return-value]

        member = Member(name=decompressed_name(blob.item.location, media_type), opener=member_stream,
                        compressed=blob.item.size_bytes)
        yield from walk_members(blob, ctx, [member])


class SevenZipExtractor:
    media_types = ("application/x-7z-compressed",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        import py7zr
        from py7zr.exceptions import Bad7zFile, PasswordRequired

        stream = _seekable_stream(blob, ctx)
        try:
            bound_py7zr_blocks()
            room = max(1, ctx.limits.archive_expanded_bytes - ctx.expanded_bytes)
            try:
                archive = py7zr.SevenZipFile(stream, mode="r", max_extract_size=room)
            except PasswordRequired as exc:
                raise ItemError("encrypted 7z archive (names encrypted too); not decrypted", skip=True, encrypted=True) from exc
            except (Bad7zFile, EOFError, OSError, ValueError, KeyError, IndexError) as exc:
                raise ItemError("corrupt or truncated 7z archive") from exc
            with archive:
                infos = [i for i in archive.list() if not i.is_directory]
                members = (encrypted_seven_zip_members(infos) if archive.needs_password()
                           else seven_zip_members(archive, infos, ctx))
                yield from walk_members(blob, ctx, members)
        finally:
            stream.close()


class RarExtractor:
    """RAR 4 and 5 through `rarfile` (maintained, pure Python headers; compressed members through bsdtar)."""

    media_types = ("application/vnd.rar",)

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        yield from _walk_seekable(blob, ctx, _open_rar, rar_members)


def _open_rar(stream: BinaryIO):
    import rarfile

    try:
        return rarfile.RarFile(stream, errors="strict")  # a truncated header is an error, not the end
    except rarfile.PasswordRequired as exc:
        raise ItemError("encrypted RAR archive (names encrypted too); not decrypted", skip=True, encrypted=True) from exc
    except rarfile.NeedFirstVolume as exc:
        raise ItemError("RAR volume after the first: read the first volume", skip=True) from exc
    except (rarfile.Error, OSError, EOFError, ValueError) as exc:
        raise ItemError("corrupt or truncated RAR archive") from exc
