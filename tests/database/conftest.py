"""Fixtures for the database tests: throw-away PostgreSQL/MariaDB databases with a read-only user, dumps.

Databases are created on the servers the machine runs (PostgreSQL 127.0.0.1:5432 user postgres trust,
MariaDB 127.0.0.1:3306 root without password) under unique names and dropped afterwards, with a
read-only login that holds SELECT only: the scans in these tests use that login.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
import db_estate  # noqa: E402

PG_HOST, PG_PORT = "127.0.0.1", 5432
MY_HOST, MY_PORT = "127.0.0.1", 3306
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus")


@dataclass(frozen=True)
class LiveDatabase:
    name: str
    admin_url: str  # writable, for setup and checksums only
    reader_url: str  # the scanner's read-only login (with its password)
    reader_password: str
    data: dict


def _reachable(url: str) -> bool:
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(scope="session")
def estate_data() -> dict:
    return db_estate.generate(seed=7, rows=300)


@pytest.fixture(scope="session")
def pg_db(estate_data) -> Iterator[LiveDatabase]:
    admin = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/postgres"
    if not _reachable(admin):
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    suffix = uuid.uuid4().hex[:8]
    name, role, password = f"ps_test_{suffix}", f"ps_reader_{suffix}", f"pw-{uuid.uuid4().hex}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'"))
    db_admin = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    try:
        db_estate.load(db_admin, estate_data)
        setup = create_engine(db_admin, isolation_level="AUTOCOMMIT")
        with setup.connect() as conn:
            conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
            conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
            conn.execute(text("CREATE VIEW recent_customers AS SELECT id, email, created_at FROM customers "
                              "WHERE created_at > '2020-01-01'"))
            conn.execute(text(f'GRANT SELECT ON recent_customers TO "{role}"'))
            conn.execute(text("ANALYZE"))
        setup.dispose()
        yield LiveDatabase(name, db_admin, f"postgresql://{role}:{password}@{PG_HOST}:{PG_PORT}/{name}",
                           password, estate_data)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        engine.dispose()


@pytest.fixture(scope="session")
def my_db(estate_data) -> Iterator[LiveDatabase]:
    admin = f"mysql+pymysql://root@{MY_HOST}:{MY_PORT}/"
    if not _reachable(admin):
        pytest.skip("MariaDB is not running on 127.0.0.1:3306")
    suffix = uuid.uuid4().hex[:8]
    name, user, password = f"ps_test_{suffix}", f"ps_reader_{suffix}", f"pw-{uuid.uuid4().hex}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        conn.execute(text(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'"))
        conn.execute(text(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY '{password}'"))
    db_admin = f"mysql+pymysql://root@{MY_HOST}:{MY_PORT}/{name}?charset=utf8mb4"
    try:
        db_estate.load(db_admin, estate_data)
        with engine.connect() as conn:
            for host in ("%", "localhost"):
                conn.execute(text(f"GRANT SELECT, SHOW VIEW ON `{name}`.* TO '{user}'@'{host}'"))
            conn.execute(text(f"ANALYZE TABLE `{name}`.customers, `{name}`.employees"))
        yield LiveDatabase(name, db_admin, f"mariadb://{user}:{password}@{MY_HOST}:{MY_PORT}/{name}",
                           password, estate_data)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
            for host in ("%", "localhost"):
                conn.execute(text(f"DROP USER IF EXISTS '{user}'@'{host}'"))
        engine.dispose()


@pytest.fixture(scope="session")
def sqlite_db(estate_data, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "crm.db"
    db_estate.load(f"sqlite:///{path}", estate_data)
    return path


@pytest.fixture()
def corpus_copy(tmp_path) -> Path:
    """Chinook and Northwind copied to a temp folder (tests never open the shared corpus directly)."""
    for name in ("chinook.sqlite", "northwind.sqlite"):
        shutil.copy(CORPUS / name, tmp_path / name)
    return tmp_path


def run_tool(args: list[str], out: Path, env: dict[str, str] | None = None) -> Path:
    """Run a dump tool writing to `out` (stdout redirected), fail the test with its stderr if it fails."""
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} is not installed")
    with open(out, "wb") as fh:
        proc = subprocess.run(args, stdout=fh, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[:500]
    return out


@pytest.fixture(scope="session")
def detector():
    """One real detector for the verdict tests (model loading is slow: once per session)."""
    from detectors.engine import Detector
    from scanner.limits import Limits
    from scanner.models import DetectionSettings

    return Detector(DetectionSettings(fingerprint_key=b"test-key"), Limits())
