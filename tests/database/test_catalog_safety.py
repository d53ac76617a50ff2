"""Issue 10 items 5 and 14, on the real servers: a view's functions never run unless views are asked for,
and a MariaDB column whose name holds a backtick is quoted correctly (sampled, keyed, aged)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from faker import Faker
from sqlalchemy import create_engine, text

from scan_helpers import scan_uri
from scanner.limits import Limits
from scanner.models import Status
from throwaway import my_database, pg_database

pytestmark = [pytest.mark.server]

PASSWORD = f"pw-{uuid.uuid4().hex}"


def _victim_alive(engine) -> bool:  # noqa: ANN001
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1
    except Exception:  # noqa: BLE001 - terminated by the server
        return False


@pytest.mark.parametrize("include_views", [None, True])
def test_views_are_skipped_by_default_so_their_functions_never_run(include_views):
    """A view that terminates another session of the scanning role: sampling it runs the function even in a
    read-only transaction. Default: not listed, the victim lives. Asked for: listed (and the victim dies,
    which is why the option is off by default and documented with a warning)."""
    victim_app = f"victim_{uuid.uuid4().hex[:8]}"
    setup = [
        "CREATE TABLE customers (id int primary key, email text)",
        ("INSERT INTO customers VALUES (:i, :e)", [{"i": i, "e": Faker().email()} for i in range(5)]),
        "CREATE VIEW session_killer AS SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity "
        f"WHERE application_name = '{victim_app}'",
    ]
    with pg_database(PASSWORD, setup) as db:
        reader = f"postgresql://{db.login}:{PASSWORD}@127.0.0.1:5432/{db.name}"
        victim = create_engine(f"postgresql+psycopg://{db.login}:{PASSWORD}@127.0.0.1:5432/{db.name}",
                               connect_args={"application_name": victim_app}, pool_size=1, max_overflow=0)
        try:
            with victim.connect() as conn:  # the pooled connection stays open: the one the view would kill
                conn.execute(text("SELECT 1"))
            options = {} if include_views is None else {"include_views": include_views}
            items, _, outcomes = scan_uri(reader, options=options)
            tables = {i.location.rsplit(".", 1)[1] for i in items}
            if include_views is None:
                assert tables == {"customers"}
                assert _victim_alive(victim)
            else:
                assert tables == {"customers", "session_killer"}
                assert not _victim_alive(victim)  # the danger the default avoids, shown to be real
            assert all(o.status is Status.SCANNED for o in outcomes)
        finally:
            victim.dispose()


def test_mysql_backtick_column_names_are_sampled():
    """Names holding a backtick (and `%`, `"`): sampled by key ranges on a backtick primary key, with the
    data age from an indexed backtick column; before the fix every such table was error 1054."""
    fake = Faker("fr_FR")
    fake.seed_instance(14)
    start = datetime(2020, 1, 1)
    rows = [{"k": i, "e": fake.email(), "p": fake.phone_number(), "q": "x", "t": start + timedelta(days=i)}
            for i in range(1, 301)]
    setup = [
        "CREATE TABLE contacts (`i``d` INT PRIMARY KEY, `e``mail` VARCHAR(120), `tel%no` TEXT, `a\"b` VARCHAR(5), "
        "`created``at` DATETIME, INDEX (`created``at`))",
        ("INSERT INTO contacts VALUES (:k, :e, :p, :q, :t)", rows),
        "ANALYZE TABLE contacts",
    ]
    with my_database(setup) as db:
        items, samples, outcomes = scan_uri(f"mysql://root@127.0.0.1:3306/{db.name}", Limits(rows_per_table=20))
        assert [o.status for o in outcomes] == [Status.SCANNED], [o.reason for o in outcomes]
        assert items[0].meta["key"] == "i`d"
        by_field = {s.field: s.values for s in samples}
        assert set(by_field) == {"i`d", "e`mail", "tel%no", 'a"b', "created`at"}
        assert len(by_field["e`mail"]) == 20 and set(by_field["e`mail"]) <= {r["e"] for r in rows}
        facts = outcomes[0].facts
        assert facts.sampling == "key_ranges" and "created`at" in facts.data_age_columns
        assert facts.data_oldest is not None and facts.data_oldest.year == 2020
