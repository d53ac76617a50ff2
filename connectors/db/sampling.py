"""Random rows from a table at a cost that does not grow with the table.

* small tables (estimate <= 10 x n): read at most 10 x n + 1 rows, keep a seeded random n;
* PostgreSQL tables: `TABLESAMPLE SYSTEM (p) REPEATABLE (seed)` sized for about 3 x n rows, then a
  larger SYSTEM sample, then BERNOULLI on tables up to a million rows, then a key range;
* tables with an integer key (primary key, SQLite rowid): seeded random key ranges, each an index seek
  (`WHERE key >= :start ORDER BY key LIMIT 10`), never `ORDER BY RAND()` over the whole table;
* anything else (views, keyless tables): the first 10 x n rows, reservoir-sampled, marked as `head`.

Identifiers are quoted by SQLAlchemy (`table()`/`column()` clauses); no SQL is built from names by hand.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import Text, cast, column, func, literal, select, table, tablesample
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ColumnElement, TableClause

from connectors.db.catalog import TableInfo
from connectors.db.samples import MAX_VALUE_CHARS, Reservoir, seed_key

SMALL_FACTOR = 10
RANGE_ROWS = 10
BERNOULLI_MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class RowSample:
    rows: list[tuple]
    method: str  # "all", "tablesample_system", "tablesample_bernoulli", "key_ranges", "head"


def table_clause(info: TableInfo, with_schema: bool = True) -> TableClause:
    return table(info.name, *[column(c.name) for c in info.columns],
                 schema=info.schema if with_schema and info.schema else None)


_LONG_TEXT = re.compile(r"text|clob|json|xml", re.IGNORECASE)
_LONG_BINARY = re.compile(r"blob|bytea|binary|image", re.IGNORECASE)


def bounded(col: ColumnElement, declared: str | None) -> ColumnElement:
    """The column, cut server-side to MAX_VALUE_CHARS when its type can hold megabytes (text, JSON, blobs):
    200 sampled rows of a 10 MB document column must not travel or sit in memory whole."""
    if declared and _LONG_BINARY.search(declared):
        return func.substr(col, 1, MAX_VALUE_CHARS).label(col.name)
    if declared and _LONG_TEXT.search(declared):
        return func.substr(cast(col, Text), 1, MAX_VALUE_CHARS).label(col.name)
    return col


def _reduce(rows: list[tuple], n: int, rng: random.Random) -> list[tuple]:
    return rows if len(rows) <= n else rng.sample(rows, n)


def sample_rows(conn: Connection, info: TableInfo, n: int, seed: int) -> RowSample:
    """Up to `n` rows of `info`, deterministic for a given seed and table contents."""
    rng = random.Random(f"{seed}:{info.qualified}")
    dialect = conn.dialect.name
    t = table_clause(info, with_schema=dialect != "sqlite")
    cols = [bounded(t.c[c.name], c.declared_type) for c in info.columns]
    cap = SMALL_FACTOR * n
    estimate = info.rows_estimate
    if info.is_view or (estimate is not None and estimate <= cap) or (estimate is None and info.key is None):
        reservoir = Reservoir(n, seed_key(seed, info.qualified))
        for row in conn.execute(select(*cols).select_from(t).limit(cap + 1)):
            reservoir.add(tuple(row))
        return RowSample(reservoir.rows, "all" if reservoir.seen <= cap else "head")
    if dialect == "postgresql" and estimate:
        got = _postgres_tablesample(conn, info, t, n, estimate, seed, rng)
        if got is not None:
            return got
    if info.key is not None:
        got = _key_ranges(conn, t, cols, info.key, n, rng)
        if got is not None:
            return got
    rows = [tuple(r) for r in conn.execute(select(*cols).select_from(t).limit(cap))]
    return RowSample(_reduce(rows, n, rng), "head")


def _postgres_tablesample(conn: Connection, info: TableInfo, t: TableClause, n: int, estimate: int,
                          seed: int, rng: random.Random) -> RowSample | None:
    cap = SMALL_FACTOR * n
    percent = min(100.0, 100.0 * 3 * n / max(estimate, 1))
    attempts = [("system", percent), ("system", min(100.0, percent * 10))]
    if estimate <= BERNOULLI_MAX_ROWS:
        attempts.append(("bernoulli", min(100.0, percent * 10)))
    best: list[tuple] = []
    for method, pct in attempts:
        sampler = func.system(pct) if method == "system" else func.bernoulli(pct)
        sampled = tablesample(t, sampler, name="policyscan_sample", seed=literal(seed % 2_147_483_647))
        scols = [bounded(sampled.c[c.name], c.declared_type) for c in info.columns]
        try:
            rows = [tuple(r) for r in conn.execute(select(*scols).limit(cap))]
        except DBAPIError as exc:
            if not str(getattr(exc.orig, "sqlstate", "") or "").startswith("0A"):
                raise  # timeouts and permissions are the table's error, not a reason to read differently
            conn.rollback()  # feature not supported: a foreign table whose wrapper cannot sample
            return None
        if len(rows) > len(best):
            best = rows
        if len(best) >= n:
            return RowSample(_reduce(best, n, rng), f"tablesample_{method}")
    return None


def _key_ranges(conn: Connection, t: TableClause, cols: Sequence, key_name: str, n: int,
                rng: random.Random) -> RowSample | None:
    key = column(key_name) if key_name == "rowid" else t.c[key_name]
    try:
        # two statements: SQLite answers a lone min() or max() from the b-tree, but scans for both at once
        lo = conn.execute(select(func.min(key)).select_from(t)).scalar()
        hi = conn.execute(select(func.max(key)).select_from(t)).scalar()
    except Exception:  # noqa: BLE001 - e.g. a WITHOUT ROWID table has no rowid
        conn.rollback()
        return None
    if lo is None or hi is None:
        return RowSample([], "key_ranges")
    lo, hi = int(lo), int(hi)
    seen: dict[object, tuple] = {}
    ranges = math.ceil(n / RANGE_ROWS)
    for _ in range(ranges * 3):
        if len(seen) >= n:
            break
        start = rng.randint(lo, hi)
        query = select(key, *cols).select_from(t).where(key >= start).order_by(key).limit(RANGE_ROWS)
        for row in conn.execute(query):
            values = tuple(row[1:])
            seen.setdefault((row[0], values), values)  # the key may be the first of a composite key
    return RowSample(_reduce(list(seen.values()), n, rng), "key_ranges")
