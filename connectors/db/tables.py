"""One live table -> its column samples and facts (shared by the database connector and SQLite files)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from connectors.db.catalog import TableInfo
from connectors.db.samples import DataAge, column_events, is_age_column, table_facts
from connectors.db.sampling import sample_rows, table_clause
from scanner.limits import Limits
from scanner.models import Facts, Sample

AGE_EXACT_ROWS = 100_000  # up to this estimate MIN/MAX scan the table; above, only indexed columns do


def scan_table(conn: Connection, info: TableInfo, location: str, limits: Limits,
               transport_encrypted: bool | None = None) -> tuple[list[Sample], Facts]:
    """Sample the table and measure the age of its data; raises the driver's errors unchanged."""
    got = sample_rows(conn, info, limits.rows_per_table, limits.seed)
    samples = list(column_events(location, info.columns, got.rows, info.rows_estimate))
    age, basis = _data_age(conn, info, got.rows)
    facts = table_facts(rows_estimate=info.rows_estimate, sampled_rows=len(got.rows), age=age,
                        transport_encrypted=transport_encrypted, sampling=got.method, data_age_basis=basis)
    return samples, facts


def _data_age(conn: Connection, info: TableInfo, rows: list[tuple]) -> tuple[DataAge, str | None]:
    """Exact MIN/MAX where it is cheap (small table or indexed column), else from the sampled rows."""
    positions = [i for i, c in enumerate(info.columns) if is_age_column(c)]
    age = DataAge(columns=tuple(info.columns[i].name for i in positions))
    if not positions:
        return age, None
    small = info.rows_estimate is not None and info.rows_estimate <= AGE_EXACT_ROWS
    exact = [i for i in positions if small or info.columns[i].name in info.indexed]
    if exact:
        t = table_clause(info, with_schema=conn.dialect.name != "sqlite")
        bounds = []
        for i in exact:
            col = t.c[info.columns[i].name]
            bounds += [func.min(col), func.max(col)]
        if small:  # one pass over a small table
            statements = [select(*bounds).select_from(t)]
        else:  # one aggregate per statement, so each is an index seek (SQLite needs that)
            statements = [select(b).select_from(t) for b in bounds]
        for statement in statements:
            for value in conn.execute(statement).one():
                age.add(value)
    for row in rows:
        for i in positions:
            if i not in exact:
                age.add(row[i])
    if len(exact) == len(positions):
        return age, "exact"
    return age, "sample" if not exact else "partial"
