"""SQLite database files found on a share or in an archive: each table is a nested item, sampled like a live one.

A local file (`meta["path"]` of a top-level file item) is opened in place with `mode=ro`; anything else
(an archive member, a remote file) is first copied to a private temporary file, at most
`Limits.max_document_bytes`, and opened `immutable`. Tables become items `<file location>/main.<table>`
of kind `table`; each yields its column samples, then its own `ItemOutcome` with facts. A table that
fails gets an error row and the next table is read; a file that is not a readable database is an
`ItemError` for the file.
"""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from connectors.db.catalog import discover
from connectors.db.session import sqlite_engine
from connectors.db.tables import scan_table
from connectors.extract.base import Blob, ExtractContext, ReadEvent
from scanner.errors import ItemError
from scanner.models import Item, ItemOutcome, Status

COPY_CHUNK = 1024 * 1024


@contextmanager
def sqlite_file(blob: Blob, max_bytes: int) -> Iterator[tuple[Path, bool]]:
    """(path, is_private_copy) of a database file holding the blob's bytes."""
    local = blob.item.meta.get("path") if "!" not in blob.item.location else None
    if local and Path(str(local)).is_file():
        yield Path(str(local)), False
        return
    with tempfile.TemporaryDirectory(prefix="policyscan-sqlite-") as tmp:
        path = Path(tmp) / "db.sqlite"
        copied = 0
        with blob.open() as src, open(path, "wb") as dst:
            while chunk := src.read(COPY_CHUNK):
                copied += len(chunk)
                if copied > max_bytes:
                    raise ItemError(f"SQLite file larger than {max_bytes} bytes: skipped", skip=True)
                dst.write(chunk)
        yield path, True


class SqliteExtractor:
    media_types = ("application/vnd.sqlite3", "application/x-sqlite3")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        with sqlite_file(blob, ctx.limits.max_document_bytes) as (path, private):
            engine = sqlite_engine(path, ctx.limits.statement_timeout_s, immutable=private)
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
                source=parent.source, location=f"{parent.location}/{info.qualified}", kind="table",
                version=info.version, parent=parent.location, depth=parent.depth + 1, meta=info.as_meta(),
            )
            if ctx.depth + 1 > ctx.limits.archive_depth:
                yield ItemOutcome(item, Status.SKIPPED, f"archive nesting deeper than {ctx.limits.archive_depth}")
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


__all__ = ["SqliteExtractor", "sqlite_file"]
