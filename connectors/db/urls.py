"""SQLAlchemy URLs as people write them -> URLs for the drivers policyscan installs, and safe locations.

`postgresql://` uses psycopg 3 and `mysql://`/`mariadb://` use PyMySQL, because those are the drivers
installed with policyscan (SQLAlchemy's defaults, psycopg2 and mysqlclient, are not). An explicit
`dialect+driver` is kept as written. Locations never hold user names, passwords or query strings.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from scanner.errors import SourceError

_DEFAULT_DRIVER = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}
_DIALECT_ALIAS = {"postgres": "postgresql"}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306, "mssql": 1433, "oracle": 1521}


def driver_url(uri: str, display: str) -> URL:
    """The URL SQLAlchemy should connect with; SourceError (with the redacted form) if it is not one."""
    try:
        url = make_url(uri)
    except (ArgumentError, ValueError):
        # `from None`: SQLAlchemy's message and a chained traceback would quote the URL with its password
        raise SourceError(f"not a database URL: {display}") from None
    dialect, _, driver = url.drivername.partition("+")
    dialect = _DIALECT_ALIAS.get(dialect, dialect)
    driver = driver or _DEFAULT_DRIVER.get(dialect, "")
    return url.set(drivername=f"{dialect}+{driver}" if driver else dialect)


def dialect_name(url: URL) -> str:
    return url.get_backend_name()


def sqlite_path(url: URL) -> Path:
    """The absolute database file of a sqlite URL; in-memory databases are not a source."""
    if not url.database or url.database == ":memory:":
        raise SourceError("sqlite URL names no database file")
    return Path(url.database).expanduser().resolve()


def base_location(url: URL) -> str:
    """`postgresql://host:5432/db`, `mysql://host:3306[/db]`, `sqlite:///abs/path.db`: no credentials."""
    dialect = dialect_name(url)
    if dialect == "sqlite":
        return f"sqlite:///{str(sqlite_path(url)).lstrip('/')}"
    host = url.host or "localhost"
    if ":" in host:
        host = f"[{host}]"
    port = url.port or DEFAULT_PORTS.get(dialect)
    netloc = f"{host}:{port}" if port else host
    database = f"/{url.database}" if url.database else ""
    return f"{dialect}://{netloc}{database}"


def table_location(base: str, schema: str | None, table: str) -> str:
    return f"{base}/{schema}.{table}" if schema else f"{base}/{table}"
