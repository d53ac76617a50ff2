"""Throw-away databases on the local servers for one test module: created under a unique name with a
login of its own, set up by the caller's statements, dropped afterwards (also when the test fails)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence, Union

import pytest
from sqlalchemy import create_engine, text

Statement = Union[str, tuple[str, list[dict]]]  # SQL, or SQL with rows for executemany
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432"
MY_ADMIN = "mysql+pymysql://root@127.0.0.1:3306"


@dataclass(frozen=True)
class Throwaway:
    name: str  # database name
    login: str  # a login holding SELECT on the database only
    admin_url: str  # writable, for setup and checks

    def engine(self):  # noqa: ANN201
        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT")


def _admin(url: str):  # noqa: ANN202
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except Exception:  # noqa: BLE001
        pytest.skip(f"server not running: {url}")
    return engine


@contextmanager
def pg_database(password: str, setup: Sequence[Statement] = ()) -> Iterator[Throwaway]:
    """A PostgreSQL database plus a LOGIN role with `password` and SELECT on schema public."""
    admin = _admin(f"{PG_ADMIN}/postgres")
    suffix = uuid.uuid4().hex[:8]
    name, role = f"ps_tmp_{suffix}", f"ps_tmp_reader_{suffix}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN PASSWORD {_pg_literal(password)}'))
    db = Throwaway(name, role, f"{PG_ADMIN}/{name}")
    try:
        _run(db, setup)
        _run(db, [f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'])
        yield db
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


@contextmanager
def my_database(setup: Sequence[Statement] = ()) -> Iterator[Throwaway]:
    """A MariaDB database (utf8mb4); the scans use root, which has no password on the test servers."""
    admin = _admin(f"{MY_ADMIN}/")
    name = f"ps_tmp_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    db = Throwaway(name, "root", f"{MY_ADMIN}/{name}?charset=utf8mb4")
    try:
        _run(db, setup)
        yield db
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


def _run(db: Throwaway, statements: Sequence[Statement]) -> None:
    engine = db.engine()
    with engine.connect() as conn:
        for statement in statements:
            sql, rows = (statement, None) if isinstance(statement, str) else statement
            conn.execute(text(sql), rows)
    engine.dispose()


def _pg_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
