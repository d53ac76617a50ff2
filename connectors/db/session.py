"""Engines whose every session is read-only and time-bounded, and what a live session can tell about itself.

Read-only is enforced by the server, not by our good intentions: PostgreSQL sessions start with
`default_transaction_read_only` and `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`, MariaDB/MySQL
with `SET SESSION TRANSACTION READ ONLY`, SQLite files are opened with `mode=ro` and `PRAGMA query_only`.
Each statement is bounded by `Limits.statement_timeout_s` (server-side timeout on PostgreSQL and MariaDB,
a progress handler on SQLite). Error text that leaves this module never contains credentials or row content.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.pool import NullPool

from connectors.db.urls import dialect_name

CONNECT_TIMEOUT_S = 10


class _ClockedConnection(sqlite3.Connection):
    """A sqlite3 connection that remembers when its current statement started (for the timeout)."""

    started_at: float = 0.0


def sqlite_engine(path: Path, timeout_s: float, *, immutable: bool = False) -> Engine:
    """A read-only engine on a SQLite file (`immutable` for private copies: no locks, no WAL lookups)."""
    uri = f"{path.as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=timeout_s,
                               factory=_ClockedConnection)
        conn.execute("PRAGMA query_only = 1")
        conn.started_at = time.monotonic()
        conn.set_progress_handler(lambda: int(time.monotonic() - conn.started_at > timeout_s), 10_000)
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "before_cursor_execute")
    def _restart_clock(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        raw = conn.connection.dbapi_connection
        if isinstance(raw, _ClockedConnection):
            raw.started_at = time.monotonic()

    return engine


def server_engine(url: URL, timeout_s: float) -> Engine:
    """A read-only engine on a PostgreSQL, MariaDB/MySQL or other server (one connection, pre-pinged)."""
    dialect = dialect_name(url)
    timeout_ms = max(1, int(timeout_s * 1000))
    connect_args: dict[str, Any] = {}
    if dialect == "postgresql" and url.get_driver_name() == "psycopg":
        connect_args = {
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "policyscan",
            "options": f"-c default_transaction_read_only=on -c statement_timeout={timeout_ms}",
        }
    elif dialect in ("mysql", "mariadb") and url.get_driver_name() == "pymysql":
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_S, "read_timeout": int(timeout_s) + 30}
    engine = create_engine(url, connect_args=connect_args, pool_size=1, max_overflow=0, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_conn, record):  # noqa: ANN001
        cursor = dbapi_conn.cursor()
        try:
            if dialect == "postgresql":
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                cursor.execute(f"SET statement_timeout = {timeout_ms}")
            elif dialect in ("mysql", "mariadb"):
                cursor.execute("SET SESSION TRANSACTION READ ONLY")
                _mysql_timeout(cursor, timeout_s)
        finally:
            cursor.close()
        if dialect == "postgresql":
            dbapi_conn.commit()

    return engine


def _mysql_timeout(cursor: Any, timeout_s: float) -> None:
    """MariaDB spells it max_statement_time (seconds), MySQL MAX_EXECUTION_TIME (ms, SELECT only)."""
    try:
        cursor.execute(f"SET SESSION max_statement_time = {float(timeout_s):.3f}")
    except Exception:  # noqa: BLE001 - MySQL does not know the MariaDB variable
        cursor.execute(f"SET SESSION MAX_EXECUTION_TIME = {max(1, int(timeout_s * 1000))}")


def transport_encrypted(conn: Connection) -> bool | None:
    """Did this connection use TLS? None when the engine cannot say (or it is a local file)."""
    dialect = conn.dialect.name
    try:
        if dialect == "postgresql":
            row = conn.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).first()
            return bool(row[0]) if row is not None else None
        if dialect in ("mysql", "mariadb"):
            row = conn.execute(text("SHOW SESSION STATUS LIKE 'Ssl_cipher'")).first()
            return bool(row and row[1])
    except Exception:  # noqa: BLE001 - a missing privilege on the status view is not a scan failure
        conn.rollback()
        return None
    return None
