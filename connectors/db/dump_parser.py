"""Streaming reader for plain SQL dumps: PostgreSQL (`pg_dump`), MariaDB/MySQL (`mysqldump`), SQLite (`.dump`).

The dump is read once, in chunks, in memory bounded by the largest single row (cap `MAX_ROW_CHARS`) plus
one reservoir of `sample_rows` rows per table being read; it is never restored or loaded whole. Tables
come from `CREATE TABLE` (column names and declared types), rows from `COPY ... FROM stdin` blocks and
single- or multi-row `INSERT`s. Each table's rows are reservoir-sampled with a seed derived from the scan
seed and the table name, so a re-scan picks the same rows. A table is emitted when the next table's data
starts (dumps write each table's data in one run) and tables without rows at the end.

Rows not kept by the reservoir are only delimited (one regex match per row), never decoded, unless the
table has record-dating columns whose min/max are measured over every row.

Limits: strings follow the dump's dialect (MySQL backslash escapes when the header says mysqldump/MariaDB,
standard `''` doubling otherwise); PostgreSQL `E'...'` strings are unescaped but a quote inside one must be
doubled, as pg_dump writes it. A table whose data is split into several runs is emitted once per run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, TextIO

from connectors.db.samples import ColumnInfo, DataAge, Reservoir, is_age_column, seed_key
from connectors.db.sql_text import IDENT as _IDENT
from connectors.db.sql_text import MYSQL, STANDARD, copy_field, split_qualified, unquote_ident
from scanner.errors import ItemError

CHUNK_CHARS = 1 << 20
MAX_ROW_CHARS = 16 << 20
MAX_DDL_CHARS = 1 << 20

_SPACE = re.compile(r"(?:\s++|--[^\n]*+(?:\n|$)|/\*.*?\*/)*+", re.S)
_HEAD = re.compile(
    r"(?P<create>CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:UNLOGGED|TEMPORARY|TEMP)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?)"
    r"|(?P<insert>(?:INSERT|REPLACE)\s+(?:(?:IGNORE|LOW_PRIORITY|DELAYED|HIGH_PRIORITY)\s+)*(?:INTO\s+)?)"
    r"|(?P<copy>COPY\s+)|(?P<use>USE\s+)", re.I)
_QNAME = re.compile(rf"\s*({_IDENT}(?:\s*\.\s*{_IDENT})*)\s*", re.S)
_INSERT_REST = re.compile(r"\s*(?:\((?P<cols>[^()]*)\)\s*)?VALUES?\s*", re.I | re.S)
_COPY_STMT = re.compile(rf"\s*(?P<name>{_IDENT}(?:\s*\.\s*{_IDENT})*)\s*(?:\((?P<cols>[^()]*)\))?\s*FROM\s+stdin", re.I | re.S)
_MYSQL_HEADER = re.compile(r"^(?:-- (?:MySQL|MariaDB) dump|/\*!40101 SET )", re.M)
_PG_HEADER = re.compile(r"^-- PostgreSQL database dump", re.M)
_SQLITE_HEADER = re.compile(r"^(?:PRAGMA foreign_keys=OFF;|BEGIN TRANSACTION;)$", re.M)
_HEADER_DB = re.compile(r"^--.*?Database:\s*(\S+)", re.M)
_NOT_COLUMN = {"CONSTRAINT", "PRIMARY", "UNIQUE", "KEY", "INDEX", "FOREIGN", "CHECK", "FULLTEXT", "SPATIAL",
               "EXCLUDE", "LIKE", "PERIOD"}
_TYPE_STOP = {"NOT", "NULL", "DEFAULT", "PRIMARY", "REFERENCES", "COLLATE", "CHECK", "UNIQUE", "AUTO_INCREMENT",
              "AUTOINCREMENT", "GENERATED", "CONSTRAINT", "COMMENT", "ON", "AS", "IDENTITY"}


def _join_type(words: list[str]) -> str | None:
    """`character varying ( 120 )` tokens -> `character varying(120)`; `numeric(10,2)` -> `numeric(10, 2)`."""
    out = ""
    for w in words:
        glue = "" if not out or w in ("(", ")", ",") or out.endswith(("(", ",")) else " "
        out += glue + w
    return out.replace(",", ", ") or None


@dataclass
class DumpTable:
    """One table of the dump: declared columns, the reservoir of rows, how many rows it had."""

    schema: str | None
    name: str
    columns: tuple[ColumnInfo, ...]
    rows: list[tuple] = field(default_factory=list)
    row_count: int = 0
    age: DataAge = field(default_factory=DataAge)
    partial: bool = False  # reading stopped inside this table (time limit): counts are lower bounds

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


class _TableState:
    def __init__(self, table: DumpTable, n: int, seed: int) -> None:
        self.table = table
        self.reservoir = Reservoir(n, seed_key(seed, table.qualified))
        table.rows = self.reservoir.rows
        self.age_positions = [i for i, c in enumerate(table.columns) if is_age_column(c)]
        self.age_set = frozenset(self.age_positions)
        table.age.columns = tuple(table.columns[i].name for i in self.age_positions)

    def add(self, parse: Callable[[], tuple],
            parse_some: Callable[[frozenset[int]], tuple | None] | None = None) -> None:
        """Count one row; decode it only if the reservoir keeps it or its dates are needed.

        `parse_some(positions)` may decode just the date positions (others None) or return None."""
        t = self.table
        t.row_count += 1
        row: tuple | None = None
        partial_row = False
        if self.age_positions:
            some = parse_some(self.age_set) if parse_some is not None else None
            row, partial_row = (some, True) if some is not None else (parse(), False)
            for i in self.age_positions:
                if i < len(row):
                    value = row[i]
                    t.age.add_text(value) if isinstance(value, str) or value is None else t.age.add(value)
        slot = self.reservoir.slot()
        if slot is not None:
            t.rows[slot] = row if row is not None and not partial_row else parse()


class DumpReader:
    """Iterate `tables()` over a text stream of SQL; raises ItemError on rows larger than MAX_ROW_CHARS."""

    def __init__(self, stream: TextIO, *, sample_rows: int, seed: int,
                 check: Callable[[], None] = lambda: None, complete: Callable[[], bool] = lambda: True) -> None:
        self.stream = stream
        self.complete = complete  # asked at the end: False if the stream was cut short upstream
        self.n = sample_rows
        self.seed = seed
        self.check = check
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.dialect = STANDARD
        self.default_schema: str | None = None
        self.declared: dict[tuple[str | None, str], tuple[ColumnInfo, ...]] = {}
        self.emitted: set[tuple[str | None, str]] = set()
        self.current: _TableState | None = None

    # -- buffer -------------------------------------------------------------------------------------
    def _fill(self) -> bool:
        if self.eof:
            return False
        want = max(CHUNK_CHARS, len(self.buf) - self.pos)  # doubling keeps re-scans of a long row linear
        chunk = self.stream.read(want)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def _skip_space(self) -> None:
        """Skip whitespace and comments, reading on while a comment is cut by the end of the buffer."""
        while True:
            m = _SPACE.match(self.buf, self.pos)
            self.pos = m.end() if m else self.pos
            cut = self.pos >= len(self.buf) - 1 or self.buf.startswith(("/*", "--"), self.pos)
            if not cut or not self._fill():
                return

    def _ensure(self, chars: int) -> None:
        while len(self.buf) - self.pos < chars and self._fill():
            pass

    def _match(self, regex: re.Pattern[str], cap: int = MAX_ROW_CHARS) -> re.Match[str] | None:
        """Match at pos, reading more while the match is missing or touches the end of the buffer."""
        while True:
            m = regex.match(self.buf, self.pos)
            if self.eof or (m is not None and m.end() < len(self.buf)):
                return m
            if len(self.buf) - self.pos > cap:
                return m
            if not self._fill():
                return regex.match(self.buf, self.pos)

    # -- statements ---------------------------------------------------------------------------------
    def _detect_flavour(self) -> None:
        self._ensure(8192)
        head = self.buf[:8192]
        if _MYSQL_HEADER.search(head):
            self.dialect = MYSQL
            m = _HEADER_DB.search(head)
            self.default_schema = m.group(1) if m else None
        elif _PG_HEADER.search(head):
            self.default_schema = "public"
        elif _SQLITE_HEADER.search(head):
            self.default_schema = "main"

    def tables(self) -> Iterator[DumpTable]:
        """Every table of the dump. If `check` raises (time limit) mid-table, the rows read so far are
        emitted as a `partial` table first, then the error propagates to the dump's own outcome."""
        try:
            yield from self._tables()
        except ItemError:
            if self.current is not None:
                self.current.table.partial = True
                yield from self._finish_current()
            raise

    def _tables(self) -> Iterator[DumpTable]:
        self._detect_flavour()
        while True:
            self._ensure(512)
            self._skip_space()
            self._ensure(512)
            if self.pos >= len(self.buf):
                break
            if self.buf.startswith("\\", self.pos):  # psql meta-command (\connect, \restrict)
                self._skip_line()
                continue
            head = _HEAD.match(self.buf, self.pos)
            if head is None:
                self._statement(keep=False)
            elif head.group("create"):
                self.pos = head.end()
                self._create_table(self._statement(keep=True))
            elif head.group("insert"):
                self.pos = head.end()
                yield from self._insert()
            elif head.group("copy"):
                self.pos = head.end()
                yield from self._copy(self._statement(keep=True))
            else:
                self.pos = head.end()
                parts = split_qualified(self._statement(keep=True))
                if parts:
                    self.default_schema = parts[0]
        if self.current is not None and not self.complete():
            self.current.table.partial = True
        yield from self._finish_current()
        for key, columns in self.declared.items():
            if key not in self.emitted:
                self.emitted.add(key)
                yield DumpTable(key[0], key[1], columns)

    def _skip_line(self) -> None:
        while True:
            nl = self.buf.find("\n", self.pos)
            if nl >= 0:
                self.pos = nl + 1
                return
            self.pos = len(self.buf)
            if not self._fill():
                return

    def _statement(self, keep: bool) -> str:
        """Consume up to and including the next top-level `;`; return its text if `keep` (bounded)."""
        parts: list[str] = []
        size = 0
        while True:
            m = self._match(self.dialect.scan_re, cap=MAX_ROW_CHARS)
            if m is None or m.end() == self.pos:
                self.pos = len(self.buf)
                return "".join(parts)
            self.pos = m.end()
            piece = m.group(0)
            if piece == ";":
                return "".join(parts)
            if keep and size < MAX_DDL_CHARS:
                parts.append(piece)
                size += len(piece)

    def _key(self, qualified: str) -> tuple[str | None, str]:
        parts = split_qualified(qualified)
        name = parts[-1] if parts else qualified.strip()
        schema = parts[-2] if len(parts) > 1 else self.default_schema
        return schema, name

    def _create_table(self, text: str) -> None:
        m = _QNAME.match(text)
        if not m:
            return
        key = self._key(m.group(1))
        body_start = text.find("(", m.end() - 1)
        if body_start < 0:
            return  # CREATE TABLE ... AS SELECT: no column list to read
        columns = self._column_defs(text[body_start + 1:])
        if columns:
            self.declared[key] = columns

    def _column_defs(self, body: str) -> tuple[ColumnInfo, ...]:
        elements: list[list[str]] = [[]]
        depth = 0
        for tok in self.dialect.token_re.findall(body):
            if tok.isspace():
                continue
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth -= 1
                if depth < 0:
                    break
            elif tok == "," and depth == 0:
                elements.append([])
                continue
            elements[-1].append(tok)
        columns = []
        for element in elements:
            if not element or element[0].upper() in _NOT_COLUMN:
                continue
            type_words: list[str] = []
            for tok in element[1:]:
                if tok.upper() in _TYPE_STOP or (tok.upper() == "CHARACTER" and type_words):
                    break
                type_words.append(tok)
            columns.append(ColumnInfo(unquote_ident(element[0]), _join_type(type_words)))
        return tuple(columns)

    def _begin(self, key: tuple[str | None, str], names: list[str] | None, width: int) -> Iterator[DumpTable]:
        """Make `key` the table receiving rows, emitting the previous one if it was another table."""
        if self.current is not None and (self.current.table.schema, self.current.table.name) == key:
            return
        yield from self._finish_current()
        declared = self.declared.get(key, ())
        if names:
            types = {c.name: c.declared_type for c in declared}
            columns = tuple(ColumnInfo(n, types.get(n)) for n in names)
        elif declared:
            columns = declared
        else:
            columns = tuple(ColumnInfo(f"column_{i + 1}") for i in range(width))
        self.current = _TableState(DumpTable(key[0], key[1], columns), self.n, self.seed)

    def _finish_current(self) -> Iterator[DumpTable]:
        if self.current is not None:
            table = self.current.table
            table.age.finish()
            self.current = None
            self.emitted.add((table.schema, table.name))
            yield table

    # -- data -----------------------------------------------------------------------------------------
    def _copy(self, header: str) -> Iterator[DumpTable]:
        m = _COPY_STMT.match(header)
        if not m:
            return  # COPY ... TO, or FROM a file: no rows in the dump
        names = [unquote_ident(p.strip()) for p in m.group("cols").split(",")] if m.group("cols") else None
        yield from self._begin(self._key(m.group("name")), names, 0)
        state = self.current
        assert state is not None
        self._skip_line()  # the rest of the COPY line
        rows = 0
        while True:
            nl = self.buf.find("\n", self.pos)
            if nl < 0:
                if len(self.buf) - self.pos > MAX_ROW_CHARS:
                    raise ItemError(f"a row of {state.table.qualified} is larger than {MAX_ROW_CHARS} characters")
                if not self._fill():
                    line, self.pos = self.buf[self.pos:], len(self.buf)
                    if line and line != "\\.":
                        state.add(lambda line=line: tuple(copy_field(f) for f in line.split("\t")))
                    return
                continue
            line = self.buf[self.pos:nl]
            self.pos = nl + 1
            if line == "\\." or line == "\\.\r":
                return
            state.add(lambda line=line: tuple(copy_field(f) for f in line.rstrip("\r").split("\t")))
            rows += 1
            if rows % 10_000 == 0:
                self.check()

    def _insert(self) -> Iterator[DumpTable]:
        name = self._match(_QNAME, cap=1 << 16)
        if name is None:
            self._statement(keep=False)
            return
        self.pos = name.end()
        rest = self._match(_INSERT_REST, cap=1 << 20)
        if rest is None:
            self._statement(keep=False)  # INSERT ... SELECT or DEFAULT VALUES: no literal rows
            return
        self.pos = rest.end()
        names = [unquote_ident(p.strip()) for p in rest.group("cols").split(",")] if rest.group("cols") else None
        key = self._key(name.group(1))
        started = False
        rows = 0
        while True:
            m = self._match(self.dialect.tuple_re)
            if m is None:
                if len(self.buf) - self.pos > MAX_ROW_CHARS:
                    raise ItemError(f"a row of {key[1]} is larger than {MAX_ROW_CHARS} characters")
                self._statement(keep=False)
                return
            self.pos = m.end()
            text = m.group(0)
            if not started:
                known = names or self.declared.get(key) or (
                    self.current is not None and (self.current.table.schema, self.current.table.name) == key)
                yield from self._begin(key, names, 0 if known else len(self.dialect.values(text)))
                started = True
            assert self.current is not None
            self.current.add(lambda text=text: self.dialect.values(text),
                             lambda only, text=text: self.dialect.simple_values(text, only=only))
            rows += 1
            if rows % 10_000 == 0:
                self.check()
            self._skip_space()
            if self.buf.startswith(",", self.pos):
                self.pos += 1
                self._skip_space()
                continue
            self._statement(keep=False)  # `;`, or ON CONFLICT/ON DUPLICATE KEY clauses up to it
            return
