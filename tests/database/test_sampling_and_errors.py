"""Sampling cost and randomness, awkward schemas, and every failure mode ending in an error row."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from connectors.database import DatabaseConnector
from scan_helpers import scan_uri
from scanner.config import make_source
from scanner.errors import ItemError, SourceError
from scanner.limits import Limits
from scanner.models import ColumnSample, ItemOutcome, Status


@pytest.fixture()
def awkward_db(tmp_path) -> Path:
    path = tmp_path / "awkward.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE "select" ("from" TEXT, "we""ird col" TEXT, "space name" TEXT);
        INSERT INTO "select" VALUES ('a@b.lu', 'x', 'y');
        CREATE TABLE nokey (v TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE empty (id INTEGER PRIMARY KEY, email TEXT);
        CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT, created_at TEXT);
        CREATE VIEW v_big AS SELECT id, v FROM big WHERE id % 2 = 0;
        CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
            SELECT sum(x) AS s FROM c;
        CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB, note TEXT);
        INSERT INTO blobs VALUES (1, x'00ff10', 'fine'), (2, 'text in a blob column', NULL);
    """)
    conn.execute("CREATE TABLE pk_text (code TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
    conn.executemany("INSERT INTO pk_text VALUES (?, ?)", [(f"k{i}", f"v{i}") for i in range(50)])
    conn.executemany("INSERT INTO nokey VALUES (?)", [(f"n{i}",) for i in range(5000)])
    conn.executemany("INSERT INTO big (v, created_at) VALUES (?, ?)",
                     [(f"value {i}", f"20{10 + i % 15}-06-01 12:00:00") for i in range(20_000)])
    conn.commit()
    conn.close()
    return path


def _by_table(outcomes):
    return {o.item.location.rsplit("/main.", 1)[1]: o for o in outcomes}


def test_awkward_identifiers_are_quoted_not_formatted(awkward_db):
    items, samples, outcomes = scan_uri(f"sqlite:///{awkward_db}", options={"exclude_tables": "endless"})
    fields = {s.field for s in samples if s.location.endswith("/main.select")}
    assert fields == {"from", 'we"ird col', "space name"}
    assert _by_table(outcomes)["select"].status is Status.SCANNED


def test_without_rowid_views_empty_and_binary_tables(awkward_db):
    limits = Limits(rows_per_table=100)
    _, samples, outcomes = scan_uri(f"sqlite:///{awkward_db}", limits,
                                    options={"exclude_tables": "endless", "include_views": True})
    out = _by_table(outcomes)
    assert all(o.status is Status.SCANNED for o in outcomes), [(o.item.location, o.reason) for o in outcomes]
    assert out["nokey"].facts.sampled_rows == 100 and out["nokey"].facts.sampling == "head"
    assert out["pk_text"].facts.sampled_rows == 50 and out["pk_text"].facts.sampling == "all"
    assert out["empty"].facts.sampled_rows == 0
    assert out["v_big"].item.meta["view"] is True and out["v_big"].facts.sampled_rows == 100
    blob_values = {s.field: s.values for s in samples if s.location.endswith("/main.blobs")}
    assert blob_values["data"] == ("text in a blob column",)  # undecodable bytes are dropped, not hexed


def test_key_range_sampling_is_random_seeded_and_spread(awkward_db):
    uri = f"sqlite:///{awkward_db}"
    runs = []
    for seed in (1, 1, 2):
        _, samples, outcomes = scan_uri(uri, Limits(rows_per_table=200, seed=seed), options={"tables": "big"})
        runs.append(next(s.values for s in samples if s.field == "id"))
        assert _by_table(outcomes)["big"].facts.sampling == "key_ranges"
    assert runs[0] == runs[1] and runs[0] != runs[2]
    ids = sorted(int(v) for v in runs[0])
    assert len(ids) == 200 and ids[0] < 2000 and ids[-1] > 18_000


def test_data_age_on_a_large_sqlite_table(awkward_db):
    _, _, outcomes = scan_uri(f"sqlite:///{awkward_db}", options={"tables": "big"})
    facts = _by_table(outcomes)["big"].facts
    assert facts.data_oldest.year == 2010 and facts.data_newest.year == 2024


def test_statement_timeout_is_an_item_error_and_the_scan_goes_on(awkward_db):
    limits = Limits(statement_timeout_s=0.5)
    connector = DatabaseConnector(make_source(f"sqlite:///{awkward_db}", options={"include_views": True}), limits)
    try:
        items = {i.location.rsplit("/main.", 1)[1]: i for i in connector.items()}
        started = time.monotonic()
        with pytest.raises(ItemError) as err:
            list(connector.read(items["endless"]))
        assert time.monotonic() - started < 10
        assert "statement timeout" in err.value.reason
        assert any(isinstance(e, ItemOutcome) for e in connector.read(items["select"]))
    finally:
        connector.close()


def test_sqlite_source_is_opened_read_only(awkward_db):
    connector = DatabaseConnector(make_source(f"sqlite:///{awkward_db}"), Limits())
    try:
        with connector._get_engine().connect() as conn:
            with pytest.raises(Exception) as err:
                conn.execute(text("DELETE FROM big"))
            assert "readonly" in str(err.value).lower().replace(" ", "") or "read-only" in str(err.value).lower()
    finally:
        connector.close()


@pytest.mark.parametrize("uri, message", [
    ("sqlite:////nonexistent/dir/x.db", "does not exist"),
    ("sqlite://", "no database file"),
    ("postgresql+nosuchdriver://u:secretpw@h/db", "no installed driver"),
    ("nosuch+dialect://u:secretpw@h/db", "no connector"),
])
def test_unusable_sources(uri, message):
    with pytest.raises(SourceError) as err:
        scan_uri(uri)
    assert message in str(err.value) and "secretpw" not in str(err.value)


@pytest.mark.parametrize("written, driver_url, location", [
    ("postgresql://u:pw@db.example.com/crm", "postgresql+psycopg", "postgresql://db.example.com:5432/crm"),
    ("postgres://u@db:6543/crm", "postgresql+psycopg", "postgresql://db:6543/crm"),
    ("postgresql+psycopg://u:pw@db/crm?sslmode=require", "postgresql+psycopg", "postgresql://db:5432/crm"),
    ("mysql://root:pw@10.0.0.5/shop", "mysql+pymysql", "mysql://10.0.0.5:3306/shop"),
    ("mariadb://root@[::1]:3307/shop", "mariadb+pymysql", "mariadb://[::1]:3307/shop"),
    ("mysql+pymysql://u:pw@h/", "mysql+pymysql", "mysql://h:3306"),
    ("sqlite:////srv/data/crm.db", "sqlite", "sqlite:///srv/data/crm.db"),
])
def test_urls_as_people_write_them(written, driver_url, location):
    from connectors.db.urls import base_location, driver_url as to_driver

    url = to_driver(written, "redacted")
    assert url.drivername == driver_url
    assert base_location(url) == location
    assert "pw" not in base_location(url).replace("/crm", "")


@pytest.mark.server
def test_postgres_statement_timeout_and_vanished_table(pg_db):
    admin = create_engine(pg_db.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE TABLE doomed (id int, v text)"))
        conn.execute(text("INSERT INTO doomed SELECT g, 'x' FROM generate_series(1, 10) g"))
        conn.execute(text("CREATE VIEW slow AS SELECT pg_sleep(5)::text AS s"))
        conn.execute(text(f'GRANT SELECT ON doomed, slow TO "{pg_db.reader_url.split("//")[1].split(":")[0]}"'))
    connector = DatabaseConnector(make_source(pg_db.reader_url, options={"include_views": True}),
                                  Limits(statement_timeout_s=0.5))
    try:
        items = {i.location.rsplit(".", 1)[1]: i for i in connector.items()}
        with pytest.raises(ItemError) as err:
            list(connector.read(items["slow"]))
        assert "statement timeout" in err.value.reason and "57014" in err.value.reason
        with admin.connect() as conn:
            conn.execute(text("DROP TABLE doomed"))
        with pytest.raises(ItemError) as err:
            list(connector.read(items["doomed"]))
        assert "table vanished" in err.value.reason
        assert any(isinstance(e, ColumnSample) for e in connector.read(items["orders"]))  # the scan goes on
    finally:
        connector.close()
        with admin.connect() as conn:
            conn.execute(text("DROP VIEW IF EXISTS slow"))
            conn.execute(text("DROP TABLE IF EXISTS doomed"))
        admin.dispose()


@pytest.mark.server
def test_lost_connection_is_retried(pg_db):
    """The server kills our backend between two tables: the next read reconnects and succeeds."""
    connector = DatabaseConnector(make_source(pg_db.reader_url), Limits())
    admin = create_engine(pg_db.admin_url, isolation_level="AUTOCOMMIT")
    try:
        items = {i.location.rsplit(".", 1)[1]: i for i in connector.items()}
        assert any(isinstance(e, ItemOutcome) for e in connector.read(items["orders"]))
        with admin.connect() as conn:
            killed = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'policyscan' AND datname = :db"), {"db": pg_db.name}).scalar()
        assert killed >= 1
        outcome = [e for e in connector.read(items["customers"]) if isinstance(e, ItemOutcome)]
        assert outcome and outcome[0].status is Status.SCANNED
    finally:
        connector.close()
        admin.dispose()


@pytest.mark.server
def test_permission_denied_table_is_an_error_row_not_a_crash(pg_db):
    admin = create_engine(pg_db.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE TABLE secret_stuff (id int)"))
    try:
        connector = DatabaseConnector(make_source(pg_db.reader_url), Limits())
        items = {i.location.rsplit(".", 1)[1]: i for i in connector.items()}
        with pytest.raises(ItemError) as err:
            list(connector.read(items["secret_stuff"]))
        assert "permission denied" in err.value.reason and "42501" in err.value.reason
        connector.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP TABLE secret_stuff"))
        admin.dispose()


@pytest.mark.server
def test_mariadb_statement_timeout(my_db):
    admin = create_engine(my_db.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE VIEW slow_v AS SELECT SLEEP(5) AS s"))
    try:
        connector = DatabaseConnector(make_source(my_db.reader_url, options={"include_views": True}),
                                      Limits(statement_timeout_s=0.5))
        items = {i.location.rsplit(".", 1)[1]: i for i in connector.items()}
        started = time.monotonic()
        with pytest.raises(ItemError) as err:
            list(connector.read(items["slow_v"]))
        assert time.monotonic() - started < 4
        assert "statement timeout" in err.value.reason and "1969" in err.value.reason
        connector.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP VIEW IF EXISTS slow_v"))
        admin.dispose()


@pytest.mark.server
def test_driver_errors_quoting_row_values_never_reach_the_reason(pg_db):
    """PostgreSQL says `invalid input syntax for type integer: "ann@example.com"`: the reason must not."""
    admin = create_engine(pg_db.admin_url, isolation_level="AUTOCOMMIT")
    role = pg_db.reader_url.split("//")[1].split(":")[0]
    with admin.connect() as conn:
        conn.execute(text("CREATE VIEW bad_cast AS SELECT email::int AS x FROM customers"))
        conn.execute(text(f'GRANT SELECT ON bad_cast TO "{role}"'))
    try:
        connector = DatabaseConnector(make_source(pg_db.reader_url, options={"include_views": True}), Limits())
        items = {i.location.rsplit(".", 1)[1]: i for i in connector.items()}
        with pytest.raises(ItemError) as err:
            list(connector.read(items["bad_cast"]))
        assert "22P02" in err.value.reason and "@" not in err.value.reason
        assert not any(r["email"] in str(err.value) for r in pg_db.data["customers"])
        connector.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP VIEW IF EXISTS bad_cast"))
        admin.dispose()


@pytest.mark.server
def test_foreign_table_that_cannot_be_tablesampled_falls_back(pg_db):
    """file_fdw tables cannot TABLESAMPLE (SQLSTATE 0A000): the sampler reads a bounded head instead."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="ps-fdw-"))  # the server's own user must be able to read it
    folder.chmod(0o755)
    csv = folder / "people.csv"
    csv.write_text("".join(f"{i},user{i}@example.com\n" for i in range(5000)))
    csv.chmod(0o644)
    admin = create_engine(pg_db.admin_url, isolation_level="AUTOCOMMIT")
    role = pg_db.reader_url.split("//")[1].split(":")[0]
    with admin.connect() as conn:
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS file_fdw"))
        except Exception:  # noqa: BLE001
            pytest.skip("file_fdw is not available")
        conn.execute(text("CREATE SERVER IF NOT EXISTS files FOREIGN DATA WRAPPER file_fdw"))
        conn.execute(text(f"CREATE FOREIGN TABLE ext_people (id int, email text) SERVER files "
                          f"OPTIONS (filename '{csv}', format 'csv')"))
        conn.execute(text("ANALYZE ext_people"))
        conn.execute(text(f'GRANT SELECT ON ext_people TO "{role}"'))
    try:
        _, samples, outcomes = scan_uri(pg_db.reader_url, options={"tables": "ext_people"})
        assert outcomes[0].status is Status.SCANNED and outcomes[0].facts.sampled_rows == 200
        assert outcomes[0].facts.sampling == "head"
        assert {s.field for s in samples} == {"id", "email"}
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP FOREIGN TABLE IF EXISTS ext_people"))
            conn.execute(text("DROP SERVER IF EXISTS files"))
        admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def test_huge_cells_are_cut_by_the_server(tmp_path):
    from connectors.db.samples import MAX_VALUE_CHARS

    path = tmp_path / "docs.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, scan BLOB, title VARCHAR(20))")
    conn.execute("INSERT INTO docs VALUES (1, ?, ?, 'a')", ("word " * 600_000, b"%PDF" + bytes(range(256)) * 4000))
    conn.execute("INSERT INTO docs VALUES (2, ?, ?, 'b')", ("short text", "utf-8 text stored as a blob"))
    conn.commit()
    conn.close()
    _, samples, outcomes = scan_uri(f"sqlite:///{path}")
    assert outcomes[0].status is Status.SCANNED
    by_field = {s.field: s for s in samples}
    body = by_field["body"]
    texts = body.text.split("\n") if hasattr(body, "text") else list(body.values)
    assert max(len(t) for t in texts) == MAX_VALUE_CHARS
    assert by_field["scan"].values == ("utf-8 text stored as a blob",)


@pytest.mark.server
def test_json_and_bytea_columns_on_postgres(pg_db):
    admin = create_engine(pg_db.admin_url, isolation_level="AUTOCOMMIT")
    role = pg_db.reader_url.split("//")[1].split(":")[0]
    with admin.connect() as conn:
        conn.execute(text("CREATE TABLE profiles (id int PRIMARY KEY, doc jsonb, photo bytea)"))
        conn.execute(text("INSERT INTO profiles SELECT g, jsonb_build_object('email', 'u' || g || '@example.com'), "
                          "decode(repeat('ff', 100000), 'hex') FROM generate_series(1, 50) g"))
        conn.execute(text(f'GRANT SELECT ON profiles TO "{role}"'))
    try:
        _, samples, outcomes = scan_uri(pg_db.reader_url, options={"tables": "profiles"})
        assert outcomes[0].status is Status.SCANNED
        by_field = {s.field: s for s in samples}
        assert all(v.startswith('{"email": "u') for v in by_field["doc"].values)
        assert by_field["photo"].values == ()  # binary, not text
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP TABLE profiles"))
        admin.dispose()


def test_table_limit_is_recorded_as_a_skipped_row(awkward_db):
    connector = DatabaseConnector(make_source(f"sqlite:///{awkward_db}"), Limits(tables_per_source=3))
    try:
        items = list(connector.items())
        assert len(items) == 4 and items[-1].location.endswith("/(more tables)")
        with pytest.raises(ItemError) as err:
            list(connector.read(items[-1]))
        assert err.value.skip and "more than 3 tables" in err.value.reason
    finally:
        connector.close()
