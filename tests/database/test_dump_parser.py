"""The streaming dump reader on hand-written snippets of each dump dialect (no server needed)."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

import connectors.db.dump_parser as dump_parser
from connectors.db.dump_parser import DumpReader
from scanner.errors import ItemError

PG_COPY = """--
-- PostgreSQL database dump
--
\\restrict abc123
SET statement_timeout = 0;
CREATE FUNCTION public.f() RETURNS trigger AS $$ BEGIN NEW.x := 'a;b'; RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TABLE public.customers (
    id integer NOT NULL,
    email character varying(120),
    note text DEFAULT 'x, y'::text,
    created_at timestamp without time zone,
    CONSTRAINT c_pk PRIMARY KEY (id)
);
COPY public.customers (id, email, note, created_at) FROM stdin;
1\tann@example.com\tline1\\nline2\t2019-03-01 10:00:00
2\t\\N\ttab\\there\t2021-07-09 08:30:00
3\tbob@example.org\tback\\\\slash\t\\N
\\.
"""

PG_INSERTS = """-- PostgreSQL database dump
CREATE TABLE public.t (id integer, name text, "Odd Name" text);
INSERT INTO public.t VALUES (1, 'O''Brien', 'a;b');
INSERT INTO public.t (id, name, "Odd Name") VALUES (2, E'tab\\there', NULL);
"""

MYSQL = """-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB
-- Host: 127.0.0.1    Database: crm
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `email` varchar(120) CHARACTER SET utf8mb4 DEFAULT NULL,
  `pw` varchar(60) DEFAULT NULL,
  `avatar` blob,
  `seen` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_email` (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
LOCK TABLES `users` WRITE;
/*!40000 ALTER TABLE `users` DISABLE KEYS */;
INSERT INTO `users` VALUES (1,'a@x.lu','it\\'s (secret)',_binary 'abc','2020-01-01 00:00:00'),(2,'b@x.lu','back\\\\slash\\n',0x89504E47,NULL),(3,NULL,'',X'00','2023-05-06 07:08:09');
/*!40000 ALTER TABLE `users` ENABLE KEYS */;
UNLOCK TABLES;
"""

SQLITE = """PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "Customer" ([CustomerId] INTEGER PRIMARY KEY, "Name" NVARCHAR(40), Notes);
INSERT INTO Customer VALUES(1,'Ann',replace('two\\nlines','\\n',char(10)));
INSERT INTO Customer VALUES(2,'Zoë',NULL);
CREATE TABLE empty_one(a TEXT, b INTEGER);
COMMIT;
"""


def read(text: str, n: int = 200, seed: int = 1):
    return {t.qualified: t for t in DumpReader(io.StringIO(text), sample_rows=n, seed=seed).tables()}


@pytest.mark.parametrize("dump, table, columns, rows", [
    (PG_COPY, "public.customers", ["id", "email", "note", "created_at"], [
        ("1", "ann@example.com", "line1\nline2", "2019-03-01 10:00:00"),
        ("2", None, "tab\there", "2021-07-09 08:30:00"),
        ("3", "bob@example.org", "back\\slash", None)]),
    (PG_INSERTS, "public.t", ["id", "name", "Odd Name"], [("1", "O'Brien", "a;b"), ("2", "tab\there", None)]),
    (MYSQL, "crm.users", ["id", "email", "pw", "avatar", "seen"], [
        ("1", "a@x.lu", "it's (secret)", None, "2020-01-01 00:00:00"),
        ("2", "b@x.lu", "back\\slash\n", None, None),
        ("3", None, "", None, "2023-05-06 07:08:09")]),
    (SQLITE, "main.Customer", ["CustomerId", "Name", "Notes"], [("1", "Ann", "two\nlines"), ("2", "Zoë", None)]),
])
def test_each_dialect_yields_columns_and_rows(dump, table, columns, rows):
    tables = read(dump)
    got = tables[table]
    assert [c.name for c in got.columns] == columns
    assert sorted(got.rows) == sorted(rows)
    assert got.row_count == len(rows)


def test_declared_types_and_empty_tables():
    tables = read(MYSQL)
    types = {c.name: c.declared_type for c in tables["crm.users"].columns}
    assert types == {"id": "int(11)", "email": "varchar(120)", "pw": "varchar(60)", "avatar": "blob",
                     "seen": "datetime"}
    sqlite = read(SQLITE)
    assert sqlite["main.empty_one"].row_count == 0 and [c.name for c in sqlite["main.empty_one"].columns] == ["a", "b"]
    assert {c.name: c.declared_type for c in sqlite["main.Customer"].columns}["Notes"] is None


def test_data_age_covers_every_row_not_only_the_sample():
    stamps = [f"20{10 + i % 10}-01-0{1 + i % 9} 00:00:00" for i in range(1000)]
    rows = "\n".join(f"{i}\t{stamp}" for i, stamp in enumerate(stamps))
    dump = f"CREATE TABLE public.e (id integer, created_at timestamp);\nCOPY public.e (id, created_at) FROM stdin;\n{rows}\n\\.\n"
    table = read(dump, n=5)["public.e"]
    assert len(table.rows) == 5 and table.row_count == 1000
    assert table.age.oldest == datetime.fromisoformat(min(stamps)).replace(tzinfo=timezone.utc)
    assert table.age.newest == datetime.fromisoformat(max(stamps)).replace(tzinfo=timezone.utc)


def test_reservoir_is_bounded_seeded_and_uniform_enough():
    values = ",".join(f"({i},'v{i}')" for i in range(5000))
    dump = f"CREATE TABLE t (id int, v text);\nINSERT INTO t VALUES {values};\n"
    a = read(dump, n=50, seed=3)["t"]
    b = read(dump, n=50, seed=3)["t"]
    c = read(dump, n=50, seed=4)["t"]
    assert len(a.rows) == 50 and a.rows == b.rows and a.rows != c.rows
    ids = sorted(int(r[0]) for r in a.rows)
    assert ids[0] < 1000 and ids[-1] > 4000  # spread over the whole table, not the head


@pytest.mark.parametrize("chunk", [1, 3, 17, 64, 4096])
@pytest.mark.parametrize("dump", [PG_COPY, PG_INSERTS, MYSQL, SQLITE])
def test_chunk_boundaries_do_not_change_the_result(monkeypatch, chunk, dump):
    expected = {k: (t.rows, t.row_count) for k, t in read(dump).items()}
    monkeypatch.setattr(dump_parser, "CHUNK_CHARS", chunk)
    got = {k: (t.rows, t.row_count) for k, t in read(dump).items()}
    assert got == expected


@pytest.mark.parametrize("junk, why", [
    ("", "empty file"),
    ("INSERT INTO t VALUES (1, 'unterminated", "string cut by the end of the file"),
    ("COPY t (a) FROM stdin;\n1\n2", "COPY block without its terminator"),
    ("CREATE TABLE t (", "DDL cut short"),
    ("hello world; this is not SQL at all ((( '", "prose"),
    ("INSERT INTO t SELECT * FROM u; INSERT INTO t DEFAULT VALUES;", "inserts without literal rows"),
])
def test_malformed_dumps_never_crash(junk, why):
    tables = read(junk)
    assert all(t.row_count >= 0 for t in tables.values()), why


def test_a_row_larger_than_the_cap_is_an_item_error(monkeypatch):
    monkeypatch.setattr(dump_parser, "MAX_ROW_CHARS", 1000)
    monkeypatch.setattr(dump_parser, "CHUNK_CHARS", 100)
    dump = "COPY t (a) FROM stdin;\n" + "x" * 50_000 + "\n\\.\n"
    with pytest.raises(ItemError) as err:
        read(dump)
    assert "x" * 20 not in err.value.reason


text_values = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(text_values, st.one_of(st.none(), text_values)), min_size=1, max_size=20))
def test_standard_string_round_trip(rows):
    """Whatever the text, a value written as an SQL literal reads back exactly (up to the value cap)."""
    def lit(v):
        return "NULL" if v is None else "'" + v.replace("'", "''") + "'"
    body = ",".join(f"({lit(a)},{lit(b)})" for a, b in rows)
    table = read(f"CREATE TABLE t (a text, b text);\nINSERT INTO t VALUES {body};\n", n=100)["t"]
    assert table.rows == [(a if a.strip() or a else a, b) for a, b in rows]


literal = st.one_of(
    st.just("NULL"), st.integers(-10**9, 10**9).map(str), st.floats(allow_nan=False, allow_infinity=False).map(repr),
    text_values.map(lambda v: "'" + v.replace("'", "''") + "'"),
    # pg_dump writes quotes in E'' strings doubled (it sets standard_conforming_strings on); \' is not read
    text_values.map(lambda v: "E'" + v.replace("\\", "\\\\").replace("'", "''") + "'"),
    st.just("X'00ff'"), st.just("replace('a\\nb','\\n',char(10))"),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(literal, min_size=1, max_size=8), st.sampled_from(["", " ", "\n  "]))
def test_fast_value_path_agrees_with_the_token_path(values, space):
    from connectors.db.sql_text import STANDARD

    row = "(" + ("," + space).join(values) + ")"
    fast = STANDARD.simple_values(row)
    if fast is not None:
        assert fast == STANDARD.token_values(row)
        last = len(values) - 1
        some = STANDARD.simple_values(row, only=frozenset({last}))
        assert some is not None and some[last] == fast[last] and set(some[:last]) <= {None}
    assert len(STANDARD.values(row)) == len(values)


def test_reservoir_is_uniform():
    """Algorithm L: every row of a 1,000-row stream is kept about as often as any other."""
    from collections import Counter

    from connectors.db.samples import Reservoir

    kept: Counter[int] = Counter()
    for run in range(300):
        reservoir = Reservoir(50, f"seed-{run}")
        for i in range(1000):
            reservoir.add(i)
        assert len(set(reservoir.rows)) == 50
        kept.update(reservoir.rows)
    first, last = sum(kept[i] for i in range(200)), sum(kept[i] for i in range(800, 1000))
    assert abs(first - last) < 0.15 * 3000  # each fifth of the stream holds ~3,000 of the 15,000 picks


def test_time_limit_inside_a_table_emits_the_rows_read_so_far_then_fails():
    calls = {"n": 0}

    def check() -> None:
        calls["n"] += 1
        if calls["n"] >= 2:
            raise ItemError("time limit of 1s per item exceeded")

    rows = "\n".join(f"{i}\tv{i}" for i in range(50_000))
    dump = f"CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nCOPY b (id, v) FROM stdin;\n{rows}\n\\.\n"
    reader = DumpReader(io.StringIO(dump), sample_rows=10, seed=1, check=check)
    got = []
    with pytest.raises(ItemError) as err:
        for table in reader.tables():
            got.append(table)
    assert "time limit" in err.value.reason
    assert [t.name for t in got] == ["a", "b"] and not got[0].partial
    assert got[1].partial and got[1].row_count == 20_000 and len(got[1].rows) == 10


def test_a_dump_stream_shorter_than_its_declared_size_is_reported_not_silently_undercounted():
    """An archive layer that buffers only a member's head must not make a 200k-row table look like 40k rows."""
    from connectors.extract.base import Blob, ExtractContext
    from connectors.extract.sqldump import SqlDumpExtractor
    from scanner.limits import Limits
    from scanner.models import Item, ItemOutcome

    dump = ("CREATE TABLE t (id int, v text);\n" + "".join(f"INSERT INTO t VALUES ({i}, 'v{i}');\n"
                                                           for i in range(2000))).encode()
    head = dump[: len(dump) // 3]
    item = Item("t", "file:///b.tar.gz!db.sql", "member", size_bytes=len(dump))
    events = []
    with pytest.raises(ItemError) as err:
        for event in SqlDumpExtractor().extract(Blob(item, lambda: io.BytesIO(head)), ExtractContext.start(Limits())):
            events.append(event)
    assert f"of {len(dump)} bytes" in err.value.reason
    table = next(e for e in events if isinstance(e, ItemOutcome))
    assert table.facts.partial is True and table.facts.rows_estimate < 2000


MYSQL_TWO_DATABASES = """-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: db    Database:
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
USE `shop`;
CREATE TABLE `clients` (`id` int NOT NULL, `mail` varchar(80), PRIMARY KEY (`id`));
INSERT INTO `clients` (`id`, `mail`) VALUES (1,'x@shop.lu');
INSERT INTO `clients` (`id`, `mail`) VALUES (2,'y@shop.lu') ON DUPLICATE KEY UPDATE mail=VALUES(mail);
USE `hr`;
CREATE TABLE `clients` (`id` int, `salary` decimal(10,2));
INSERT INTO `clients` VALUES (1,4200.50),(2,-3.5e2);
REPLACE INTO `clients` VALUES (3,NULL);
"""


def test_mysqldump_of_several_databases_keeps_them_apart():
    tables = read(MYSQL_TWO_DATABASES)
    assert sorted(tables) == ["hr.clients", "shop.clients"]
    assert tables["shop.clients"].rows == [("1", "x@shop.lu"), ("2", "y@shop.lu")]
    assert [c.declared_type for c in tables["hr.clients"].columns] == ["int", "decimal(10, 2)"]
    assert tables["hr.clients"].rows == [("1", "4200.50"), ("2", "-3.5e2"), ("3", None)]


def test_insert_rows_the_sample_skips_still_count_for_data_age():
    values = ",".join(f"({i},'user{i}@example.com','20{10 + i % 15}-03-04 05:06:07')" for i in range(3000))
    dump = f"-- MariaDB dump\nCREATE TABLE `t` (`id` int, `email` text, `created_at` datetime);\nINSERT INTO `t` VALUES {values};\n"
    table = read(dump, n=20)["t"]
    assert table.row_count == 3000 and len(table.rows) == 20
    assert all(None not in row for row in table.rows)  # kept rows are decoded whole
    assert table.age.oldest.year == 2010 and table.age.newest.year == 2024
