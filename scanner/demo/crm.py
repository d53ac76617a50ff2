"""The demo company's CRM/ERP database (SQLite) and its SQL dump.

Tables: customers (created_at back to 2010), orders, web_sessions (IPv4/IPv6, cookie IDs, user
agents), employees (matricules, birth dates, salaries, IBANs), app_users with a *plaintext* `password`
column, and portal_accounts with salted `password_hash` values for contrast. `build_database` writes
the live database; `dump_sql` gives the `iterdump()` text of the database as it stood at a cut-off
date (the 2019 backup). Both are deterministic: rows are inserted in a fixed order and the file is
written through one connection with no wall-clock defaults.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from scanner.demo.world import DemoWorld

SCHEMA = """
CREATE TABLE customers (
    id INTEGER PRIMARY KEY, company TEXT, first_name TEXT, last_name TEXT, email TEXT, phone TEXT,
    street TEXT, postcode TEXT, city TEXT, country TEXT, vat_number TEXT, iban TEXT, created_at TEXT
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY, order_ref TEXT UNIQUE, customer_id INTEGER REFERENCES customers(id),
    ordered_at TEXT, description TEXT, amount_eur REAL, status TEXT
);
CREATE TABLE web_sessions (
    id INTEGER PRIMARY KEY, cookie_id TEXT, ip_address TEXT, user_agent TEXT, started_at TEXT,
    landing_page TEXT, customer_id INTEGER REFERENCES customers(id)
);
CREATE TABLE employees (
    id INTEGER PRIMARY KEY, matricule TEXT, first_name TEXT, last_name TEXT, birth_date TEXT, email TEXT,
    phone TEXT, street TEXT, postcode TEXT, city TEXT, country TEXT, iban TEXT, position TEXT,
    hired_on TEXT, salary_monthly_eur INTEGER
);
CREATE TABLE app_users (
    id INTEGER PRIMARY KEY, username TEXT UNIQUE, email TEXT, password TEXT, role TEXT, created_at TEXT
);
CREATE TABLE portal_accounts (
    id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), email TEXT, password_hash TEXT,
    last_login TEXT
);
"""


def _fill(conn: sqlite3.Connection, world: DemoWorld, cutoff: date | None) -> None:
    """Insert the world's rows; with a cutoff, only what existed on that day (for the old backup)."""
    def alive(day: date) -> bool:
        return cutoff is None or day <= cutoff

    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO customers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(c.customer_id, c.company, c.contact.first_name, c.contact.last_name, c.contact.email, c.contact.phone,
          c.contact.address.street, c.contact.address.postcode, c.contact.address.city, c.contact.address.country,
          c.vat_number, c.contact.iban.replace(" ", ""), f"{c.created_at:%Y-%m-%d} 10:00:00")
         for c in world.customers if alive(c.created_at)],
    )
    conn.executemany(
        "INSERT INTO orders (order_ref, customer_id, ordered_at, description, amount_eur, status) VALUES (?,?,?,?,?,?)",
        [(o.order_ref, o.customer_id, o.ordered_at.isoformat(), o.description, o.amount_eur,
          "paid" if cutoff else o.status) for o in world.orders if alive(o.ordered_at)],
    )
    if cutoff is None:  # the 2019 site had no session tracking yet
        conn.executemany(
            "INSERT INTO web_sessions (cookie_id, ip_address, user_agent, started_at, landing_page, customer_id)"
            " VALUES (?,?,?,?,?,?)",
            [(s.cookie_id, s.ip_address, s.user_agent, s.started_at.strftime("%Y-%m-%d %H:%M:%S"), s.landing_page,
              s.customer_id) for s in world.sessions],
        )
    employees = [world.old_employee, *world.employees] if cutoff else list(world.employees)
    conn.executemany(
        "INSERT INTO employees VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(e.employee_id, e.matricule, e.person.first_name, e.person.last_name, e.person.birth_date.isoformat(),
          e.person.email, e.person.phone, e.person.address.street, e.person.address.postcode, e.person.address.city,
          e.person.address.country, e.person.iban.replace(" ", ""), e.position, e.hired_on.isoformat(),
          e.salary_monthly_eur) for e in employees if alive(e.hired_on)],
    )
    conn.executemany(
        "INSERT INTO app_users (username, email, password, role, created_at) VALUES (?,?,?,?,?)",
        [(u.username, u.email, u.password, u.role, u.created_at.isoformat())
         for u in world.app_users if alive(u.created_at)],
    )
    if cutoff is None:
        conn.executemany(
            "INSERT INTO portal_accounts (customer_id, email, password_hash, last_login) VALUES (?,?,?,?)",
            [(a.customer_id, a.email, a.password_hash, a.last_login.strftime("%Y-%m-%d %H:%M:%S"))
             for a in world.portal_accounts],
        )
    conn.commit()


def build_database(path: Path, world: DemoWorld) -> None:
    """Write the live CRM database at `path` (which must not exist)."""
    conn = sqlite3.connect(path)
    try:
        _fill(conn, world, None)
        conn.execute("VACUUM")
    finally:
        conn.close()


def dump_sql(world: DemoWorld, cutoff: date) -> str:
    """The `sqlite3 .dump`-style SQL text of the database as it stood on `cutoff`."""
    conn = sqlite3.connect(":memory:")
    try:
        _fill(conn, world, cutoff)
        return "\n".join(conn.iterdump()) + "\n"
    finally:
        conn.close()
