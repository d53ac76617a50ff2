"""SQLite database files found on a share or in an archive: each table is a nested item, sampled like a live one.

Sources are never touched (issue 10 item 4): SQLite opening a file in place, even `mode=ro`, creates
`-wal`/`-shm` files beside a WAL-mode database and changes the folder's mtime. So the file is read through
the connector's read-only stream into a private temporary copy (with its `-wal`, if a local one exists,
so committed but not yet checkpointed rows are seen), at most `Limits.max_document_bytes`. The copy is
opened `immutable` (no locks, no side files), or `mode=ro` when it has a `-wal` (immutable would ignore
the WAL; the side files are then created in the private folder). A local file above the size limit is
opened in place `immutable`, which creates nothing (its WAL content, if any, is then not seen).

Tables become items `<file location>/main.<table>` of kind `table`; each yields its column samples, then its
own `ItemOutcome` with facts. A table that fails gets an error row and the next table is read; a file that
is not a readable database is an `ItemError` for the file.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from connectors.db.catalog import discover
from connectors.db.session import sqlite_engine
from connectors.db.tables import scan_table
from connectors.extract.base import Blob, ExtractContext, ReadEvent, valid_utf8
from scanner.errors import ItemError
from scanner.models import Item, ItemOutcome, Status

COPY_CHUNK = 1024 * 1024
_READ_ONLY = os.O_RDONLY | getattr(os, "O_NOATIME", 0) | getattr(os, "O_NOFOLLOW", 0)


def open_local_read_only(path: str) -> BinaryIO:
    """A local file opened read-only, without touching its atime where allowed, never through a link."""
    try:
        fd = os.open(path, _READ_ONLY)
    except PermissionError:  # O_NOATIME needs ownership
        fd = os.open(path, _READ_ONLY & ~getattr(os, "O_NOATIME", 0))
    return os.fdopen(fd, "rb")


def _copy(open_stream: Callable[[], BinaryIO], target: Path, budget: int) -> int:
    """Copy a stream to `target`; returns the bytes copied, or raises ItemError past `budget`."""
    copied = 0
    with open_stream() as src, open(target, "wb") as dst:
        while chunk := src.read(COPY_CHUNK):
            copied += len(chunk)
            if copied > budget:
                raise ItemError(f"SQLite file larger than {budget} bytes: skipped", skip=True)
            dst.write(chunk)
    return copied


@contextmanager
def private_copy(open_main: Callable[[], BinaryIO], wal: str | None, max_bytes: int) -> Iterator[tuple[Path, bool]]:
    """(path, immutable) of a private copy of a database (and of its local `-wal` file, if `wal` exists)."""
    with tempfile.TemporaryDirectory(prefix="policyscan-sqlite-") as tmp:
        path = Path(tmp) / "db.sqlite"
        copied = _copy(open_main, path, max_bytes)
        has_wal = False
        if wal and os.path.isfile(wal) and os.path.getsize(wal) > 0:
            _copy(lambda: open_local_read_only(wal), Path(f"{path}-wal"), max_bytes - copied)
            has_wal = True
        yield path, not has_wal


@contextmanager
def readable_path(blob: Blob, max_bytes: int) -> Iterator[Path]:
    """A local path holding the blob's bytes, for a tool that only reads a file (pg_restore): the file
    itself when it is a local top-level file, else a private copy of at most `max_bytes`."""
    local = blob.item.meta.get("path") if "!" not in blob.item.location else None
    if local and Path(str(local)).is_file():
        yield Path(str(local))
        return
    with private_copy(blob.open, None, max_bytes) as (path, _immutable):
        yield path


@contextmanager
def sqlite_file(blob: Blob, max_bytes: int) -> Iterator[tuple[Path, bool]]:
    """(path, immutable) of a database file holding the blob's bytes, opened without touching the source."""
    local = blob.item.meta.get("path") if "!" not in blob.item.location else None
    size = blob.item.size_bytes
    if local and size is not None and size > max_bytes and Path(str(local)).is_file():
        yield Path(str(local)), True  # too big to copy: in place, immutable (creates nothing)
        return
    with private_copy(blob.open, f"{local}-wal" if local else None, max_bytes) as found:
        yield found


class SqliteExtractor:
    media_types = ("application/vnd.sqlite3", "application/x-sqlite3")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        with sqlite_file(blob, ctx.limits.max_document_bytes) as (path, immutable):
            engine = sqlite_engine(path, ctx.limits.statement_timeout_s, immutable=immutable)
            try:
                yield from self._tables(engine, blob.item, ctx)
            finally:
                engine.dispose()

    def _tables(self, engine: Engine, parent: Item, ctx: ExtractContext) -> Iterator[ReadEvent]:
        try:
            with engine.connect() as conn:
                tables = list(discover(conn, {}, None, ctx.limits.tables_per_source + 1))
        except (DBAPIError, sqlite3.Error) as exc:
            raise ItemError(f"not a readable SQLite database ({type(getattr(exc, 'orig', exc)).__name__})") from None
        limit = ctx.limits.tables_per_source
        if len(tables) > limit:
            tables = tables[:limit]
            more = Item(source=parent.source, location=f"{parent.location}/(more tables)", kind="table",
                        parent=parent.location, depth=parent.depth + 1)
            yield ItemOutcome(more, Status.SKIPPED, f"more than {limit} tables (limits.tables_per_source)")
        for info in tables:
            item = Item(
                source=parent.source, location=valid_utf8(f"{parent.location}/{info.qualified}"), kind="table",
                version=info.version, parent=parent.location, depth=parent.depth + 1, meta=info.as_meta(),
            )
            if (skipped := ctx.too_deep(item)) is not None:
                yield skipped
                continue
            ctx.check_deadline()
            try:
                with engine.connect() as conn:
                    samples, facts = scan_table(conn, info, item.location, ctx.limits)
            except DBAPIError as exc:
                yield ItemOutcome(item, Status.ERROR, f"cannot read table ({type(exc.orig).__name__})")
                continue
            except SQLAlchemyError as exc:
                yield ItemOutcome(item, Status.ERROR, f"cannot read table ({type(exc).__name__})")
                continue
            yield from samples
            yield ItemOutcome(item, Status.SCANNED, facts=facts)


__all__ = ["SqliteExtractor", "private_copy", "readable_path", "sqlite_file"]
