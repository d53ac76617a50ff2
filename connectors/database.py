"""Database connector: any SQLAlchemy URL, one item per table or view, sampled read-only.

`items()` discovers tables from the catalog (see `connectors.db.catalog`); `read(item)` samples the
table (`connectors.db.sampling`) and yields one sample per column, then the table's own `ItemOutcome`
with `Facts` (row estimate, sampled rows, data age, TLS). Sessions are read-only and every statement is
time-bounded (`connectors.db.session`).

Failures: cannot connect / bad URL / missing driver -> `SourceError` (the whole source); a table that
fails (permission, timeout, vanished) -> `ItemError` for that table; a lost connection is retried
`retries` times (source option, default 2) with a fresh connection, then recorded as the table's error.
Locations are `dialect://host:port/db/schema.table`: no credentials, ever; reasons carry the SQLSTATE or
driver error number and never the driver's text for table errors (it can quote row values).
"""

from __future__ import annotations

import os
import time
from contextlib import ExitStack
from dataclasses import replace
from typing import ClassVar, Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, NoSuchModuleError, SQLAlchemyError

from connectors.base import ReadEvent
from connectors.db.catalog import TableInfo, discover
from connectors.db.session import server_engine, sqlite_engine, transport_encrypted
from connectors.db.tables import scan_table
from connectors.db.urls import base_location, dialect_name, driver_url, sqlite_path, table_location
from connectors.extract.sqlite import open_local_read_only, private_copy
from scanner.errors import ItemError, SourceError
from scanner.limits import Limits
from scanner.models import Item, ItemOutcome, SourceSpec, Status
from scanner.secrets import scrub, secrets_of


class DatabaseConnector:
    schemes: ClassVar[tuple[str, ...]] = (
        "postgresql", "postgres", "postgresql+psycopg", "mysql", "mariadb", "mysql+pymysql",
        "mariadb+pymysql", "sqlite", "sqlite+pysqlite", "mssql", "oracle",
    )

    def __init__(self, spec: SourceSpec, limits: Limits) -> None:
        self.spec = spec
        self.limits = limits
        self.secrets = secrets_of(spec.uri, spec.options)
        self.url = driver_url(spec.uri, spec.display)
        self.dialect = dialect_name(self.url)
        self.base = base_location(self.url)
        self.retries = int(spec.options.get("retries", 2))  # type: ignore[arg-type]
        self._engine: Engine | None = None
        self._copies: ExitStack | None = None  # private copies of a SQLite source, removed on close()
        self._tls: bool | None = None
        self._tls_known = False

    def _get_engine(self) -> Engine:
        if self._engine is None:
            try:
                if self.dialect == "sqlite":
                    path = sqlite_path(self.url)
                    if not path.is_file():
                        raise SourceError(f"database file does not exist: {self.spec.display}")
                    self._engine = self._sqlite_engine(path)
                else:
                    self._engine = server_engine(self.url, self.limits.statement_timeout_s)
            except (NoSuchModuleError, ImportError) as exc:
                raise SourceError(f"no installed driver for {self.url.drivername} ({self.spec.display})") from exc
        return self._engine

    def items(self) -> Iterator[Item]:
        engine = self._get_engine()
        try:
            conn = engine.connect()
        except DBAPIError as exc:
            raise SourceError(f"cannot connect to {self.spec.display}: {self._driver_message(exc)}") from None
        except (SQLAlchemyError, TypeError, ValueError) as exc:  # e.g. a query parameter the driver rejects
            raise SourceError(f"cannot connect to {self.spec.display}: {type(exc).__name__}") from None
        try:
            self._remember_tls(conn)
            # listed in full, then released: a consumer that pauses must not hold a transaction open
            limit = self.limits.tables_per_source
            tables = list(discover(conn, self.spec.options, self.url.database, limit + 1))
        except DBAPIError as exc:
            raise SourceError(f"cannot list tables of {self.spec.display}: {error_reason(exc)}") from None
        finally:
            conn.close()
        for info in tables[:limit]:
            yield self._item(info)
        if len(tables) > limit:  # say so in the inventory rather than stopping silently
            yield Item(source=self.spec.display, location=f"{self.base}/(more tables)", kind="table",
                       parent=self.base, meta={"skip": f"more than {limit} tables (limits.tables_per_source): "
                                                       "the rest were not listed"})

    def _item(self, info: TableInfo) -> Item:
        return Item(
            source=self.spec.display, location=table_location(self.base, info.schema, info.name),
            kind="table", version=info.version, parent=self.base, depth=0, meta=info.as_meta(),
        )

    def read(self, item: Item) -> Iterator[ReadEvent]:
        if "skip" in item.meta:
            raise ItemError(str(item.meta["skip"]), skip=True)
        info = TableInfo.from_meta(item.meta)
        attempt = 0
        while True:
            try:
                with self._get_engine().connect() as conn:
                    if not self._tls_known:
                        self._remember_tls(conn)
                    samples, facts = scan_table(conn, info, item.location, self.limits, self._tls)
                    conn.rollback()
                break
            except DBAPIError as exc:
                if exc.connection_invalidated and attempt < self.retries:
                    attempt += 1
                    self._get_engine().dispose()
                    time.sleep(0.2 * attempt)
                    continue
                if exc.connection_invalidated:
                    raise ItemError(f"connection lost (retried {attempt} times): {error_reason(exc)}") from None
                raise ItemError(error_reason(exc)) from None
            except SQLAlchemyError as exc:
                raise ItemError(f"cannot read table: {type(exc).__name__}") from None
        yield from samples
        yield ItemOutcome(item, Status.SCANNED, facts=replace(facts, region=self.spec.region))

    def _remember_tls(self, conn) -> None:  # noqa: ANN001
        self._tls = transport_encrypted(conn)
        self._tls_known = True

    def _driver_message(self, exc: DBAPIError) -> str:
        """First line of the driver's connect error (it names host and user, never rows), scrubbed of every
        secret of the source: a driver may echo its DSN. Scrubbed before truncation, so no prefix survives."""
        text = scrub(str(exc.orig).strip(), self.secrets)
        return (text.splitlines() or [type(exc.orig).__name__])[0][:200]

    def _sqlite_engine(self, path) -> Engine:  # noqa: ANN001
        """A SQLite source is never opened in place in a way that writes: `immutable` (no locks, no
        `-wal`/`-shm` created), or, when a `-wal` holds committed rows, a private copy of the file and its
        WAL (at most `max_document_bytes`; a larger one is read in place, immutable, without them)."""
        wal = f"{path}-wal"
        try:
            wal_bytes = os.path.getsize(wal)
            size = os.path.getsize(path)
        except OSError:
            wal_bytes = size = 0
        if wal_bytes and size + wal_bytes <= self.limits.max_document_bytes:
            self._copies = self._copies or ExitStack()
            copy, immutable = self._copies.enter_context(
                private_copy(lambda: open_local_read_only(str(path)), wal, self.limits.max_document_bytes))
            return sqlite_engine(copy, self.limits.statement_timeout_s, immutable=immutable)
        return sqlite_engine(path, self.limits.statement_timeout_s, immutable=True)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._copies is not None:
            self._copies.close()
            self._copies = None


_TIMEOUT_CODES = {"57014", "1969", "3024"}
_PERMISSION_CODES = {"42501", "1142", "1143", "1044"}
_MISSING_CODES = {"42P01", "1146"}


def error_reason(exc: DBAPIError) -> str:
    """A reason from the error's class and code only: driver text can quote the offending row."""
    orig = exc.orig
    args = getattr(orig, "args", None)
    errno = str(args[0]) if args and isinstance(args[0], int) else None  # MySQL/MariaDB error number
    code = errno or getattr(orig, "sqlstate", None)
    name = type(orig).__name__ if orig is not None else type(exc).__name__
    text_lower = str(orig).lower() if orig is not None else ""
    if code in _TIMEOUT_CODES or "interrupted" in text_lower:
        what = "statement timeout"
    elif code in _PERMISSION_CODES or "permission denied" in text_lower:
        what = "permission denied"
    elif code in _MISSING_CODES:
        what = "table vanished"
    elif exc.connection_invalidated:
        what = "connection lost"
    else:
        what = "database error"
    return f"{what} ({name}{', code ' + str(code) if code else ''})"
