"""Schema discovery on a database with 1,000 tables: how long `items()` takes, and how many queries.

Run: .venv/bin/python bench/database/discovery.py [--tables 1000] [--engines pg,mariadb,sqlite]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import my_database, pg_database, timed
from sqlalchemy import create_engine, event, text

from connectors.base import open_connector
from scanner.config import make_source
from scanner.limits import Limits

DDL = "(id INTEGER PRIMARY KEY, name VARCHAR(80), email VARCHAR(120), created_at TIMESTAMP, amount NUMERIC(10,2), note TEXT)"


def discover(uri: str) -> tuple[float, int, int]:
    """(median seconds, tables found, SQL statements issued) for a full items() listing."""
    statements = {"n": 0}

    def run() -> int:
        connector = open_connector(make_source(uri), Limits())
        event.listen(connector._get_engine(), "before_cursor_execute",
                     lambda *a, **k: statements.__setitem__("n", statements["n"] + 1))
        try:
            return sum(1 for _ in connector.items())
        finally:
            connector.close()

    seconds, found = timed(run, repeat=3)
    return seconds, int(found), statements["n"] // 3  # type: ignore[arg-type]


def pg(n: int) -> tuple:
    with pg_database() as (uri, admin_url):
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        started = time.perf_counter()
        with admin.connect() as conn:
            conn.execute(text(f"DO $$ BEGIN FOR i IN 1..{n} LOOP "
                              f"EXECUTE format('CREATE TABLE t_%s {DDL}', i); END LOOP; END $$"))
            conn.execute(text("ANALYZE"))
        admin.dispose()
        print(f"  pg: created {n} tables in {time.perf_counter() - started:.1f}s", flush=True)
        return ("postgresql", *discover(uri))


def mariadb(n: int) -> tuple:
    with my_database() as (uri, admin_url):
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        started = time.perf_counter()
        with admin.connect() as conn:
            for i in range(1, n + 1):
                conn.execute(text(f"CREATE TABLE t_{i} {DDL}"))
        admin.dispose()
        print(f"  mariadb: created {n} tables in {time.perf_counter() - started:.1f}s", flush=True)
        return ("mariadb", *discover(uri))


def sqlite(n: int) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "many.db"
        conn = sqlite3.connect(path)
        conn.executescript("".join(f"CREATE TABLE t_{i} {DDL};" for i in range(1, n + 1)))
        conn.close()
        return ("sqlite", *discover(f"sqlite:///{path}"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--engines", default="pg,mariadb,sqlite")
    args = parser.parse_args()
    runners = {"pg": pg, "mariadb": mariadb, "sqlite": sqlite}
    results = [runners[e](args.tables) for e in args.engines.split(",")]
    print(f"\n{'engine':<11} {'tables':>7} {'items() median':>15} {'per table':>10} {'statements':>11}")
    for engine, seconds, found, statements in results:
        print(f"{engine:<11} {found:>7} {seconds:>13.2f} s {seconds / max(found, 1) * 1000:>7.2f} ms {statements:>11}")


if __name__ == "__main__":
    main()
