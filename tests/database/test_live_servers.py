"""Live PostgreSQL and MariaDB: discovery, sampling, facts, read-only, no credentials anywhere."""

from __future__ import annotations

from datetime import timezone

import pytest
from sqlalchemy import create_engine, text

from scan_helpers import columns_by_table, scan_uri
from scanner.errors import SourceError
from scanner.models import ColumnSample, Status

pytestmark = pytest.mark.server

TABLES = {"customers", "employees", "app_users", "legacy_users", "web_sessions", "orders", "products"}


@pytest.fixture(params=["pg", "my"])
def live(request, pg_db, my_db):
    return pg_db if request.param == "pg" else my_db


def _checksums(admin_url: str) -> dict[str, str]:
    engine = create_engine(admin_url)
    out = {}
    with engine.connect() as conn:
        for name in sorted(TABLES):
            if conn.dialect.name == "postgresql":
                out[name] = conn.execute(text(f"SELECT md5(string_agg(t::text, ',' ORDER BY t.id)) FROM {name} t")).scalar()
            else:
                out[name] = str(conn.execute(text(f"CHECKSUM TABLE {name} EXTENDED")).first()[1])
    engine.dispose()
    return out


def test_scan_lists_every_table_with_credential_free_locations(live):
    items, samples, outcomes = scan_uri(live.reader_url)
    names = {i.location.rsplit("/", 1)[-1].split(".", 1)[1] for i in items}
    assert TABLES <= names
    for item in items:
        assert live.reader_password not in item.location and "@" not in item.location
        assert live.reader_password not in item.source
        assert item.kind == "table" and item.version and ":" in item.version
    assert all(o.status is Status.SCANNED for o in outcomes), [(o.item.location, o.reason) for o in outcomes]
    prefix = "postgresql://127.0.0.1:5432/" if live.reader_url.startswith("postgresql") else "mariadb://127.0.0.1:3306/"
    assert all(i.location.startswith(prefix + live.name + "/") for i in items)


def test_samples_hold_real_values_and_types(live):
    _, samples, outcomes = scan_uri(live.reader_url)
    cols = columns_by_table(samples)
    emails = {r["email"] for r in live.data["customers"]}
    assert set(cols["customers"]["email"]) <= emails and len(cols["customers"]["email"]) == 200
    typed = {s.field: s.declared_type for s in samples if isinstance(s, ColumnSample) and s.location.endswith("customers")}
    assert "DATE" in typed["birth_date"].upper() and typed["email"]
    by_table = {o.item.location.rsplit(".", 1)[1]: o for o in outcomes}
    assert by_table["customers"].facts.sampled_rows == 200
    assert by_table["customers"].facts.rows_estimate == 300


def test_data_age_facts_come_from_record_dates_not_birth_dates(live):
    _, _, outcomes = scan_uri(live.reader_url)
    facts = {o.item.location.rsplit(".", 1)[1]: o.facts for o in outcomes}
    rows = live.data["customers"]
    oldest = min(r["created_at"] for r in rows).replace(tzinfo=timezone.utc)
    newest = max(max(r["created_at"], r["last_login"]) for r in rows).replace(tzinfo=timezone.utc)
    assert facts["customers"].data_oldest == oldest
    assert facts["customers"].data_newest == newest
    assert set(facts["customers"].data_age_columns) == {"created_at", "last_login"}
    assert facts["products"].data_oldest is None  # no record-dating column


def test_scan_changes_nothing(live):
    before = _checksums(live.admin_url)
    scan_uri(live.reader_url)
    assert _checksums(live.admin_url) == before


def test_sessions_are_read_only_even_for_a_writer(live):
    """The admin login could write; through the connector's engine it cannot."""
    from connectors.database import DatabaseConnector
    from scanner.config import make_source
    from scanner.limits import Limits

    connector = DatabaseConnector(make_source(live.admin_url.split("?")[0]), Limits())
    try:
        with connector._get_engine().connect() as conn:
            with pytest.raises(Exception) as err:
                conn.execute(text("UPDATE products SET price = price + 1"))
            assert "read" in str(err.value).lower()
    finally:
        connector.close()


@pytest.mark.parametrize("options, expected", [
    ({"tables": "customers,employees"}, {"customers", "employees"}),
    ({"exclude_tables": ["*users", "web_*", "recent_*"]}, {"customers", "employees", "orders", "products"}),
    ({"include_views": False, "tables": "recent_customers,orders"}, {"orders"}),
    ({"schemas": "nope"}, set()),
])
def test_include_exclude_options(pg_db, options, expected):
    items, _, _ = scan_uri(pg_db.reader_url, options=options)
    assert {i.location.rsplit(".", 1)[1] for i in items} == expected


def test_views_are_sampled_when_asked_for(pg_db):
    items, samples, outcomes = scan_uri(pg_db.reader_url, options={"tables": "recent_customers", "include_views": True})
    assert [i.meta["view"] for i in items] == [True]
    assert {s.field for s in samples} == {"id", "email", "created_at"}
    assert outcomes[0].status is Status.SCANNED and outcomes[0].facts.sampled_rows > 0


@pytest.mark.parametrize("sslmode, expected", [("disable", False)])  # TLS on: see test_tls.py
def test_tls_fact(pg_db, sslmode, expected):
    _, _, outcomes = scan_uri(f"{pg_db.reader_url}?sslmode={sslmode}", options={"tables": "orders"})
    assert outcomes[0].facts.transport_encrypted is expected


def test_mariadb_reports_plain_transport(my_db):
    _, _, outcomes = scan_uri(my_db.reader_url, options={"tables": "orders"})
    assert outcomes[0].facts.transport_encrypted in (False, True)  # a boolean, not unknown
    assert "127.0.0.1" in outcomes[0].item.source  # the host is in the source's display name (no facts field)


@pytest.mark.parametrize("make_uri, reason_part", [
    (lambda db: db.reader_url.replace("ps_reader_", "nobody_").replace(db.reader_password, "wrong-password-123"),
     "cannot connect"),
    (lambda db: db.reader_url.replace(":5432/", ":1/").replace(":3306/", ":1/"), "cannot connect"),
])
def test_unusable_source_is_a_source_error_without_secrets(live, make_uri, reason_part):
    uri = make_uri(live)
    with pytest.raises(SourceError) as err:
        scan_uri(uri)
    assert reason_part in str(err.value)
    assert "wrong-password-123" not in str(err.value) and live.reader_password not in str(err.value)


def test_version_is_stable_and_changes_with_the_ddl(pg_db):
    first = {i.location: i.version for i in scan_uri(pg_db.reader_url, options={"tables": "products,orders"})[0]}
    again = {i.location: i.version for i in scan_uri(pg_db.reader_url, options={"tables": "products,orders"})[0]}
    assert first == again
    admin = create_engine(pg_db.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("ALTER TABLE products ADD COLUMN supplier_email text"))
    try:
        changed = {i.location: i.version for i in scan_uri(pg_db.reader_url, options={"tables": "products,orders"})[0]}
        products = next(k for k in first if k.endswith(".products"))
        orders = next(k for k in first if k.endswith(".orders"))
        assert changed[products] != first[products] and changed[orders] == first[orders]
    finally:
        with admin.connect() as conn:
            conn.execute(text("ALTER TABLE products DROP COLUMN supplier_email"))
        admin.dispose()


def test_mariadb_server_url_without_database_lists_what_the_login_may_see(my_db):
    server_url = my_db.reader_url.rsplit("/", 1)[0] + "/"
    items, _, outcomes = scan_uri(server_url, options={"tables": "customers"})
    assert [i.location for i in items] == [f"mariadb://127.0.0.1:3306/{my_db.name}.customers"]
    assert outcomes[0].status is Status.SCANNED


def test_partitioned_table_is_one_item_sampled_across_partitions(pg_db):
    admin = create_engine(pg_db.admin_url, isolation_level="AUTOCOMMIT")
    role = pg_db.reader_url.split("//")[1].split(":")[0]
    with admin.connect() as conn:
        conn.execute(text("CREATE TABLE events (id int, created_at date, ip text) PARTITION BY RANGE (created_at)"))
        for year in (2021, 2022, 2023):
            conn.execute(text(f"CREATE TABLE events_{year} PARTITION OF events "
                              f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"))
        conn.execute(text("INSERT INTO events SELECT g, date '2021-01-01' + (g % 1090), '10.0.' || (g % 250) || '.1' "
                          "FROM generate_series(1, 30000) g"))
        conn.execute(text("ANALYZE events"))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
    try:
        items, samples, outcomes = scan_uri(pg_db.reader_url, options={"tables": "events*"})
        assert [i.location.rsplit(".", 1)[1] for i in items] == ["events"]
        facts = outcomes[0].facts
        assert abs(facts.rows_estimate - 30000) < 3000 and facts.sampled_rows == 200
        assert facts.sampling.startswith("tablesample")
        years = {v[:4] for s in samples if s.field == "created_at" for v in s.values}
        assert years == {"2021", "2022", "2023"}
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP TABLE events"))
        admin.dispose()
