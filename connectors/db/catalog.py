"""Discovery from the catalog: schemas, tables, views, column types, keys and row estimates.

Everything here reads metadata only (bulk per schema, so 1,000 tables cost a handful of queries) and
never counts rows of a big table: PostgreSQL `pg_class.reltuples`, MariaDB/MySQL
`information_schema.TABLES.TABLE_ROWS`, SQLite a bounded count topped up from the rowid range.
Schema/table include and exclude come from source options as glob patterns (`schemas`,
`exclude_schemas`, `tables`, `exclude_tables` matched against `schema.table`).

Views are skipped unless the source option `include_views: true` asks for them: selecting from a view runs
whatever functions it calls, with the scanning login's rights, and a read-only transaction does not stop
them all (`pg_terminate_backend`, advisory locks, a MariaDB function with side effects on another
connection). A table is only data; a view is code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Callable, Iterator, Mapping, Sequence

from sqlalchemy import column, func, inspect, literal_column, select, table, text
from sqlalchemy.engine import Connection, Inspector
from sqlalchemy.engine.reflection import ObjectKind
from sqlalchemy.sql import sqltypes

from connectors.db.samples import ColumnInfo

SYSTEM_SCHEMAS = {
    "postgresql": ("pg_catalog", "information_schema", "pg_toast", "pg_temp_*", "pg_toast_temp_*"),
    "mysql": ("information_schema", "mysql", "performance_schema", "sys"),
    "mariadb": ("information_schema", "mysql", "performance_schema", "sys"),
    "mssql": ("INFORMATION_SCHEMA", "sys", "guest", "db_*"),
}
SQLITE_COUNT_BOUND = 100_000


@dataclass(frozen=True)
class TableInfo:
    """One table or view as discovered; `key` is an integer column usable for cheap range sampling."""

    schema: str | None
    name: str
    columns: tuple[ColumnInfo, ...]
    is_view: bool = False
    key: str | None = None
    indexed: tuple[str, ...] = ()  # leading columns of indexes: MIN/MAX on them is an index seek
    rows_estimate: int | None = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    @property
    def version(self) -> str:
        """DDL digest plus row estimate: what an incremental scan compares."""
        ddl = "|".join(f"{c.name}:{c.declared_type}" for c in self.columns)
        digest = hashlib.sha256(f"{self.qualified}|{self.is_view}|{ddl}".encode()).hexdigest()[:16]
        return f"{digest}:{self.rows_estimate if self.rows_estimate is not None else '?'}"

    def as_meta(self) -> dict[str, object]:
        """Plain data for `Item.meta`, so another worker can read the table without re-discovering it."""
        return {
            "schema": self.schema, "table": self.name, "view": self.is_view, "key": self.key,
            "indexed": list(self.indexed), "rows_estimate": self.rows_estimate,
            "columns": [[c.name, c.declared_type] for c in self.columns],
        }

    @classmethod
    def from_meta(cls, meta: Mapping[str, object]) -> "TableInfo":
        return cls(
            schema=meta.get("schema"), name=str(meta["table"]),  # type: ignore[arg-type]
            columns=tuple(ColumnInfo(str(n), t) for n, t in meta["columns"]),  # type: ignore[union-attr]
            is_view=bool(meta.get("view")), key=meta.get("key"),  # type: ignore[arg-type]
            indexed=tuple(meta.get("indexed") or ()),  # type: ignore[arg-type]
            rows_estimate=meta.get("rows_estimate"),  # type: ignore[arg-type]
        )


def patterns(value: object) -> tuple[str, ...]:
    """An option given as a list or a comma-separated string -> glob patterns."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    return tuple(str(p) for p in value)  # type: ignore[union-attr]


def _matches(name: str, globs: Sequence[str]) -> bool:
    return any(fnmatchcase(name, g) or fnmatchcase(name.lower(), g.lower()) for g in globs)


def selected_schemas(conn: Connection, options: Mapping[str, object], url_database: str | None) -> list[str | None]:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        return ["main"]
    insp = inspect(conn)
    include = patterns(options.get("schemas"))
    if not include and dialect in ("mysql", "mariadb") and url_database:
        include = (url_database,)
    exclude = patterns(options.get("exclude_schemas"))
    system = SYSTEM_SCHEMAS.get(dialect, ())
    chosen: list[str | None] = []
    for schema in sorted(insp.get_schema_names()):
        if include and not _matches(schema, include):
            continue
        if _matches(schema, exclude):
            continue
        if _matches(schema, system) and not include:
            continue  # catalogs are scanned only when asked for by name
        chosen.append(schema)
    return chosen


_PG_ESTIMATES = text(
    # reltuples is -1 before the first ANALYZE: fall back to pages x a typical 60 rows per page; a partitioned
    # table's estimate is the sum over its partitions (its own reltuples says nothing)
    "WITH RECURSIVE tree AS ("
    "  SELECT c.oid AS root, c.oid AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname = :schema AND c.relkind IN ('r', 'm', 'p', 'f')"
    "  UNION ALL SELECT t.root, i.inhrelid FROM tree t JOIN pg_inherits i ON i.inhparent = t.rel) "
    "SELECT r.relname, r.relispartition, sum(CASE WHEN c.relkind = 'p' THEN 0 WHEN c.reltuples >= 0 THEN c.reltuples"
    "  ELSE pg_relation_size(c.oid) / current_setting('block_size')::int * 60 END)::bigint "
    "FROM tree t JOIN pg_class r ON r.oid = t.root JOIN pg_class c ON c.oid = t.rel GROUP BY r.relname, r.relispartition"
)


def _partitions(conn: Connection, schema: str | None) -> set[str]:
    """Partitions are sampled through their parent table (one item per logical table)."""
    if conn.dialect.name != "postgresql":
        return set()
    return {name for name, is_partition, _ in conn.execute(_PG_ESTIMATES, {"schema": schema}) if is_partition}


def _row_estimates(conn: Connection, schema: str | None) -> dict[str, int]:
    dialect = conn.dialect.name
    if dialect == "postgresql":
        return {name: int(n) for name, _, n in conn.execute(_PG_ESTIMATES, {"schema": schema})}
    if dialect in ("mysql", "mariadb"):
        rows = conn.execute(text(
            "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = :schema"),
            {"schema": schema})
        return {name: int(n) for name, n in rows if n is not None}
    return {}


def sqlite_row_estimate(conn: Connection, name: str) -> int | None:
    """Exact up to SQLITE_COUNT_BOUND rows, then the rowid span (an upper bound, cheap on the rowid b-tree)."""
    t = table(name)
    bounded = select(literal_column("1")).select_from(t).limit(SQLITE_COUNT_BOUND + 1).subquery()
    n = conn.execute(select(func.count()).select_from(bounded)).scalar_one()
    if n <= SQLITE_COUNT_BOUND:
        return int(n)
    try:
        rowid = column("rowid")
        lo = conn.execute(select(func.min(rowid)).select_from(t)).scalar()  # a lone min/max is a b-tree seek
        hi = conn.execute(select(func.max(rowid)).select_from(t)).scalar()
        return int(hi - lo + 1) if lo is not None else int(n)
    except Exception:  # noqa: BLE001 - WITHOUT ROWID table
        conn.rollback()
        return int(n)


def _reflected_name(conn: Connection) -> Callable[[str], str]:
    """Column names as the server spells them. SQLAlchemy's MySQL reflection reads them out of
    SHOW CREATE TABLE still escaped (a backtick doubled): unescape with the dialect's own identifier
    preparer, so the name quotes back correctly when sampled (else error 1054, unknown column)."""
    if conn.dialect.name in ("mysql", "mariadb"):
        return conn.dialect.identifier_preparer._unescape_identifier
    return str


def _integer_key(columns: list[dict], pk: Mapping[str, object] | None,
                 name_of: Callable[[str], str] = str) -> str | None:
    names = [name_of(n) for n in (pk or {}).get("constrained_columns") or []]
    if not names:
        return None
    first = next((c for c in columns if c["name"] == names[0]), None)
    if first is not None and isinstance(first["type"], sqltypes.Integer):
        return str(first["name"])
    return None


def discover(conn: Connection, options: Mapping[str, object], url_database: str | None,
             max_tables: int) -> Iterator[TableInfo]:
    """Tables and views of the selected schemas, in schema then name order, at most `max_tables`."""
    insp = inspect(conn)
    include_tables = patterns(options.get("tables"))
    exclude_tables = patterns(options.get("exclude_tables"))
    include_views = str(options.get("include_views", False)).lower() in ("true", "1", "yes", "on")
    name_of = _reflected_name(conn)
    sqlite = conn.dialect.name == "sqlite"
    count = 0
    for schema in selected_schemas(conn, options, url_database):
        reflect_schema = None if sqlite else schema
        views = set(insp.get_view_names(schema=reflect_schema)) if include_views else set()
        columns = insp.get_multi_columns(schema=reflect_schema, kind=ObjectKind.TABLE)
        if views:
            columns.update(insp.get_multi_columns(schema=reflect_schema, kind=ObjectKind.VIEW))
        if include_views and conn.dialect.name == "postgresql":
            mat = set(insp.get_materialized_view_names(schema=reflect_schema))
            if mat:
                columns.update(insp.get_multi_columns(schema=reflect_schema, kind=ObjectKind.MATERIALIZED_VIEW))
        pks = insp.get_multi_pk_constraint(schema=reflect_schema)
        indexes = _multi_indexes(insp, reflect_schema)
        estimates = _row_estimates(conn, schema)
        partitions = _partitions(conn, schema)
        for (_, name), cols in sorted(columns.items(), key=lambda kv: kv[0][1]):
            qualified = f"{schema}.{name}"
            if name in partitions:
                continue
            if include_tables and not (_matches(qualified, include_tables) or _matches(name, include_tables)):
                continue
            if _matches(qualified, exclude_tables) or _matches(name, exclude_tables):
                continue
            if sqlite and name.startswith("sqlite_"):
                continue
            if count >= max_tables:
                return
            count += 1
            is_view = name in views
            estimate = estimates.get(name)
            if sqlite and not is_view:
                estimate = sqlite_row_estimate(conn, name)
            cols = [{**c, "name": name_of(c["name"])} for c in cols]
            key = None if is_view else _integer_key(cols, pks.get((reflect_schema, name)), name_of)
            if sqlite and not is_view:
                key = "rowid"  # every SQLite table but WITHOUT ROWID ones; sampling falls back if absent
            leading = tuple(sorted({name_of(ix["column_names"][0]) for ix in indexes.get((reflect_schema, name), [])
                                    if ix.get("column_names") and ix["column_names"][0]}))
            yield TableInfo(
                schema=schema, name=name, is_view=is_view, key=key, indexed=leading, rows_estimate=estimate,
                columns=tuple(ColumnInfo(str(c["name"]), _type_name(c["type"])) for c in cols),
            )


def _multi_indexes(insp: Inspector, schema: str | None) -> dict:
    try:
        return insp.get_multi_indexes(schema=schema)
    except Exception:  # noqa: BLE001 - some dialects cannot list indexes in bulk; sampling still works
        return {}


def _type_name(sa_type: object) -> str:
    try:
        return str(sa_type)
    except Exception:  # noqa: BLE001 - types a dialect cannot render (e.g. NullType)
        return type(sa_type).__name__
