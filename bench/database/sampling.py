"""Sampling cost must not grow with the table: read() on a 10-million-row table vs a 10,000-row one.

Run: .venv/bin/python bench/database/sampling.py [--rows 10000000] [--engines pg,sqlite,mariadb]
Tables are generated server-side (generate_series / recursive CTE / seq engine) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import my_database, pg_database, timed
from sqlalchemy import create_engine, text

from connectors.base import open_connector
from scanner.config import make_source
from scanner.limits import Limits
from scanner.models import ItemOutcome


def read_table(uri: str, table: str, limits: Limits) -> tuple[float, ItemOutcome]:
    connector = open_connector(make_source(uri, options={"tables": table}), limits)
    try:
        item = next(iter(connector.items()))
        list(connector.read(item))  # warm the connection and the catalog cache once
        seconds, events = timed(lambda: list(connector.read(item)))
        return seconds, next(e for e in events if isinstance(e, ItemOutcome))
    finally:
        connector.close()


def pg(rows: int, limits: Limits) -> list[tuple]:
    out = []
    with pg_database() as (uri, admin_url):
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name, n in (("small_t", 10_000), ("big_t", rows)):
                started = time.perf_counter()
                conn.execute(text(
                    f"CREATE TABLE {name} AS SELECT g AS id, md5(g::text) AS email, "
                    f"now() - (g || ' seconds')::interval AS created_at FROM generate_series(1, {n}) g"))
                conn.execute(text(f"ALTER TABLE {name} ADD PRIMARY KEY (id)"))
                conn.execute(text(f"ANALYZE {name}"))
                print(f"  pg: generated {name} ({n:,} rows) in {time.perf_counter() - started:.1f}s", flush=True)
        admin.dispose()
        for name in ("small_t", "big_t"):
            seconds, outcome = read_table(uri, name, limits)
            out.append(("postgresql", name, outcome.facts.rows_estimate, outcome.facts.sampled_rows,
                        outcome.facts.sampling, seconds))
    return out


def mariadb(rows: int, limits: Limits) -> list[tuple]:
    out = []
    with my_database() as (uri, admin_url):
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name, n in (("small_t", 10_000), ("big_t", rows)):
                started = time.perf_counter()
                conn.execute(text(f"CREATE TABLE {name} (id INT PRIMARY KEY, email CHAR(32), created_at DATETIME)"))
                conn.execute(text(f"INSERT INTO {name} SELECT seq, md5(seq), NOW() - INTERVAL seq SECOND "
                                  f"FROM seq_1_to_{n}"))
                conn.execute(text(f"ANALYZE TABLE {name}"))
                print(f"  mariadb: generated {name} ({n:,} rows) in {time.perf_counter() - started:.1f}s", flush=True)
        admin.dispose()
        for name in ("small_t", "big_t"):
            seconds, outcome = read_table(uri, name, limits)
            out.append(("mariadb", name, outcome.facts.rows_estimate, outcome.facts.sampled_rows,
                        outcome.facts.sampling, seconds))
    return out


def sqlite(rows: int, limits: Limits) -> list[tuple]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        conn = sqlite3.connect(path)
        for name, n in (("small_t", 10_000), ("big_t", rows)):
            started = time.perf_counter()
            conn.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, email TEXT, created_at TEXT)")
            conn.execute(f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n}) "
                         f"INSERT INTO {name} SELECT x, hex(randomblob(16)), datetime('now', '-' || x || ' seconds') FROM c")
            conn.commit()
            print(f"  sqlite: generated {name} ({n:,} rows) in {time.perf_counter() - started:.1f}s", flush=True)
        conn.close()
        for name in ("small_t", "big_t"):
            seconds, outcome = read_table(f"sqlite:///{path}", name, limits)
            out.append(("sqlite", name, outcome.facts.rows_estimate, outcome.facts.sampled_rows,
                        outcome.facts.sampling, seconds))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--engines", default="pg,sqlite,mariadb")
    args = parser.parse_args()
    limits = Limits()  # rows_per_table=200
    results = []
    runners = {"pg": pg, "sqlite": sqlite, "mariadb": mariadb}
    for engine in args.engines.split(","):
        results += runners[engine](args.rows, limits)
    print(f"\n{'engine':<11} {'table':<8} {'rows (estimate)':>16} {'sampled':>8} {'method':<22} {'read() median':>14}")
    for engine, name, estimate, sampled, method, seconds in results:
        print(f"{engine:<11} {name:<8} {estimate:>16,} {sampled:>8} {method:<22} {seconds * 1000:>11.1f} ms")
    by_engine: dict[str, dict[str, float]] = {}
    for engine, name, *_, seconds in results:
        by_engine.setdefault(engine, {})[name] = seconds
    for engine, t in by_engine.items():
        print(f"{engine}: big/small time ratio = {t['big_t'] / t['small_t']:.2f}")


if __name__ == "__main__":
    main()
