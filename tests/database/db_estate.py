"""A small synthetic company database (seeded Faker, EN/FR/DE/LU) with the column labels a DBA would write.

Used by the database tests and by `bench/database`. `LABELS` maps `table.column` to the set of entities
that are a correct verdict (empty set: the column holds no personal data; a verdict there is a false
positive). Columns in `OPTIONAL` are personal-ish but debatable (cities, user names): neither a hit nor a
miss there is scored. Chinook and Northwind labels are written down here too.
"""

from __future__ import annotations

import base64
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from faker import Faker
from sqlalchemy import (Boolean, Column, Date, DateTime, Integer, MetaData, Numeric, String, Table, Text,
                        create_engine, insert)
from stdnum import luhn, verhoeff

LOCALES = ("en_GB", "fr_FR", "de_DE", "de_LU", "lb_LU", "fr_BE")

METADATA = MetaData()
customers = Table(
    "customers", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("first_name", String(60)), Column("last_name", String(60)), Column("email", String(120)),
    Column("phone", String(40)), Column("street", String(160)), Column("city", String(80)),
    Column("country_code", String(2)), Column("birth_date", Date), Column("iban", String(40)),
    Column("customer_type", String(10)), Column("loyalty_points", Integer),
    Column("created_at", DateTime), Column("last_login", DateTime),
)
employees = Table(
    "employees", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("full_name", String(120)), Column("matricule", String(13)), Column("salary", Numeric(10, 2)),
    Column("department", String(40)), Column("full_time", Boolean), Column("hire_date", Date),
)
app_users = Table(
    "app_users", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("username", String(60)), Column("email", String(120)), Column("password", String(60)),
    Column("created_at", DateTime),
)
legacy_users = Table(
    "legacy_users", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("login", String(60)), Column("password_hash", String(80)), Column("updated_at", DateTime),
)
web_sessions = Table(
    "web_sessions", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("user_id", Integer), Column("ip_address", String(45)), Column("cookie_id", String(64)),
    Column("started_at", DateTime),
)
orders = Table(
    "orders", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("customer_id", Integer), Column("order_date", Date), Column("status", String(20)),
    Column("total_amount", Numeric(10, 2)), Column("currency", String(3)), Column("comment", Text),
)
products = Table(
    "products", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("sku", String(20)), Column("name", String(120)), Column("price", Numeric(10, 2)),
    Column("description", Text),
)

LABELS: dict[str, set[str]] = {
    "customers.id": set(), "customers.first_name": {"FIRST_NAME", "PERSON"},
    "customers.last_name": {"LAST_NAME", "PERSON"}, "customers.email": {"EMAIL_ADDRESS"},
    "customers.phone": {"PHONE_NUMBER"}, "customers.street": {"STREET_ADDRESS", "LOCATION"},
    "customers.city": {"LOCATION"}, "customers.country_code": set(),
    "customers.birth_date": {"DATE_OF_BIRTH"}, "customers.iban": {"IBAN_CODE"},
    "customers.customer_type": set(), "customers.loyalty_points": set(),
    "customers.created_at": set(), "customers.last_login": set(),
    "employees.id": set(), "employees.full_name": {"PERSON"}, "employees.matricule": {"LU_NATIONAL_ID"},
    "employees.salary": {"SALARY"}, "employees.department": set(), "employees.full_time": set(),
    "employees.hire_date": {"JOB_TITLE"},
    "app_users.id": set(), "app_users.username": {"USERNAME", "PERSON"}, "app_users.email": {"EMAIL_ADDRESS"},
    "app_users.password": {"PASSWORD"}, "app_users.created_at": set(),
    "legacy_users.id": set(), "legacy_users.login": {"USERNAME", "PERSON"},
    "legacy_users.password_hash": {"PASSWORD_HASH"}, "legacy_users.updated_at": set(),
    "web_sessions.id": set(), "web_sessions.user_id": set(), "web_sessions.ip_address": {"IP_ADDRESS"},
    "web_sessions.cookie_id": {"COOKIE_ID"}, "web_sessions.started_at": set(),
    "orders.id": set(), "orders.customer_id": set(), "orders.order_date": set(), "orders.status": set(),
    "orders.total_amount": set(), "orders.currency": set(), "orders.comment": set(),
    "products.id": set(), "products.sku": set(), "products.name": set(), "products.price": set(),
    "products.description": set(),
}
OPTIONAL = {"customers.city", "app_users.username", "legacy_users.login"}

_PERSONAL_ADDRESS = {"STREET_ADDRESS", "LOCATION"}
# An employee's (or a named contact's) job title and hire date are HR data about that person: the labelling
# rules of the databases devset (`/work/shared/devsets/databases/README.md`), which these labels follow.
# The scanner reports both as JOB_TITLE (employment data), a hire date with the kind "employment date".
_EMPLOYMENT = {"JOB_TITLE"}
CHINOOK_LABELS: dict[str, set[str]] = {
    **{f"Customer.{c}": set() for c in ("CustomerId", "SupportRepId", "Company")},
    "Customer.FirstName": {"FIRST_NAME", "PERSON"}, "Customer.LastName": {"LAST_NAME", "PERSON"},
    "Customer.Address": _PERSONAL_ADDRESS, "Customer.City": {"LOCATION"}, "Customer.State": {"LOCATION"},
    "Customer.Country": {"LOCATION"}, "Customer.PostalCode": {"LOCATION"},
    "Customer.Phone": {"PHONE_NUMBER"}, "Customer.Fax": {"PHONE_NUMBER"}, "Customer.Email": {"EMAIL_ADDRESS"},
    **{f"Employee.{c}": set() for c in ("EmployeeId", "ReportsTo")},
    "Employee.Title": _EMPLOYMENT, "Employee.HireDate": _EMPLOYMENT,
    "Employee.FirstName": {"FIRST_NAME", "PERSON"}, "Employee.LastName": {"LAST_NAME", "PERSON"},
    "Employee.BirthDate": {"DATE_OF_BIRTH"}, "Employee.Address": _PERSONAL_ADDRESS,
    "Employee.City": {"LOCATION"}, "Employee.State": {"LOCATION"}, "Employee.Country": {"LOCATION"},
    "Employee.PostalCode": {"LOCATION"}, "Employee.Phone": {"PHONE_NUMBER"}, "Employee.Fax": {"PHONE_NUMBER"},
    "Employee.Email": {"EMAIL_ADDRESS"},
    **{f"Invoice.{c}": set() for c in ("InvoiceId", "CustomerId", "InvoiceDate", "Total")},
    "Invoice.BillingAddress": _PERSONAL_ADDRESS, "Invoice.BillingCity": {"LOCATION"},
    "Invoice.BillingState": {"LOCATION"}, "Invoice.BillingCountry": {"LOCATION"},
    "Invoice.BillingPostalCode": {"LOCATION"},
    **{f"InvoiceLine.{c}": set() for c in ("InvoiceLineId", "InvoiceId", "TrackId", "UnitPrice", "Quantity")},
    **{f"Track.{c}": set() for c in ("TrackId", "Name", "AlbumId", "MediaTypeId", "GenreId", "Milliseconds",
                                     "Bytes", "UnitPrice")},
    "Track.Composer": {"PERSON"},
    "Album.AlbumId": set(), "Album.Title": set(), "Album.ArtistId": set(),
    "Artist.ArtistId": set(), "Artist.Name": {"PERSON"},
    "Genre.GenreId": set(), "Genre.Name": set(), "MediaType.MediaTypeId": set(), "MediaType.Name": set(),
    "Playlist.PlaylistId": set(), "Playlist.Name": set(), "PlaylistTrack.PlaylistId": set(),
    "PlaylistTrack.TrackId": set(),
}
# location parts are debatable (a country alone is not personal; artists and composers are public figures)
CHINOOK_OPTIONAL = {k for k, v in CHINOOK_LABELS.items() if v == {"LOCATION"}} | {"Track.Composer", "Artist.Name"}

NORTHWIND_LABELS: dict[str, set[str]] = {
    **{f"Employees.{c}": set() for c in ("EmployeeID", "TitleOfCourtesy", "ReportsTo", "PhotoPath", "Notes")},
    "Employees.Photo": {"PHOTO"},  # the employee's picture (devset rules: photos of the row's person)
    "Employees.Title": _EMPLOYMENT, "Employees.HireDate": _EMPLOYMENT, "Employees.Extension": {"PHONE_NUMBER"},
    "Employees.LastName": {"LAST_NAME", "PERSON"}, "Employees.FirstName": {"FIRST_NAME", "PERSON"},
    "Employees.BirthDate": {"DATE_OF_BIRTH"}, "Employees.Address": _PERSONAL_ADDRESS,
    "Employees.City": {"LOCATION"}, "Employees.Region": {"LOCATION"}, "Employees.PostalCode": {"LOCATION"},
    "Employees.Country": {"LOCATION"}, "Employees.HomePhone": {"PHONE_NUMBER"},
    **{f"Customers.{c}": set() for c in ("CustomerID", "CompanyName")},
    "Customers.ContactTitle": _EMPLOYMENT,
    "Customers.ContactName": {"PERSON"}, "Customers.Address": _PERSONAL_ADDRESS,
    "Customers.City": {"LOCATION"}, "Customers.Region": {"LOCATION"}, "Customers.PostalCode": {"LOCATION"},
    "Customers.Country": {"LOCATION"}, "Customers.Phone": {"PHONE_NUMBER"}, "Customers.Fax": {"PHONE_NUMBER"},
    **{f"Shippers.{c}": set() for c in ("ShipperID", "CompanyName")}, "Shippers.Phone": {"PHONE_NUMBER"},
}
# Northwind's employee notes are prose about people (a text verdict, not a column one); company contacts are B2B
NORTHWIND_OPTIONAL = ({k for k, v in NORTHWIND_LABELS.items() if v in ({"LOCATION"}, _PERSONAL_ADDRESS)}
                      | {"Employees.Notes", "Customers.Phone", "Customers.Fax", "Shippers.Phone"})


def lu_matricule(rng: random.Random, birth: date) -> str:
    """A valid 13-digit Luxembourg matricule: YYYYMMDD + 3-digit sequence + Luhn + Verhoeff over 11 digits."""
    base = f"{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return base + luhn.calc_check_digit(base) + verhoeff.calc_check_digit(base)


def fake_bcrypt(rng: random.Random) -> str:
    salt_hash = base64.b64encode(rng.randbytes(40)).decode().replace("+", ".").rstrip("=")[:53]
    return f"$2b$12${salt_hash}"


def generate(seed: int = 7, rows: int = 300) -> dict[str, list[dict]]:
    """Rows per table, deterministic for a seed. Timestamps lie between 2016 and 2025."""
    rng = random.Random(seed)
    fakers = [Faker(loc) for loc in LOCALES]
    for i, f in enumerate(fakers):
        f.seed_instance(seed * 100 + i)
    epoch = datetime(2016, 1, 1)

    def when(max_days: int = 3600) -> datetime:
        return epoch + timedelta(days=rng.randrange(max_days), seconds=rng.randrange(86400))

    data: dict[str, list[dict]] = {t: [] for t in METADATA.tables}
    for i in range(1, rows + 1):
        f = fakers[i % len(fakers)]
        born = f.date_of_birth(minimum_age=18, maximum_age=90)
        created = when()
        data["customers"].append({
            "id": i, "first_name": f.first_name(), "last_name": f.last_name(), "email": f.email(),
            "phone": f.phone_number(), "street": f.street_address(), "city": f.city(),
            "country_code": f.current_country_code() if hasattr(f, "current_country_code") else "LU",
            "birth_date": born, "iban": fakers[i % 3].iban(), "customer_type": rng.choice(["B2B", "B2C"]),
            "loyalty_points": rng.randrange(5000), "created_at": created,
            "last_login": created + timedelta(days=rng.randrange(300)),
        })
        data["employees"].append({
            "id": i, "full_name": f.name(), "matricule": lu_matricule(rng, born),
            "salary": Decimal(rng.randrange(2_500_00, 12_000_00)) / 100,
            "department": rng.choice(["Sales", "Finance", "IT", "HR", "Logistics"]),
            "full_time": rng.random() < 0.8, "hire_date": when().date(),
        })
        data["app_users"].append({
            "id": i, "username": f.user_name(), "email": f.free_email(),
            "password": f.password(length=rng.randrange(8, 16)), "created_at": when(),
        })
        data["legacy_users"].append({
            "id": i, "login": f.user_name(), "password_hash": fake_bcrypt(rng), "updated_at": when(),
        })
        data["web_sessions"].append({
            "id": i, "user_id": rng.randrange(1, rows + 1),
            "ip_address": f.ipv4_public() if rng.random() < 0.8 else f.ipv6(),
            "cookie_id": rng.randbytes(16).hex(), "started_at": when(),
        })
        data["orders"].append({
            "id": i, "customer_id": rng.randrange(1, rows + 1), "order_date": when().date(),
            "status": rng.choice(["new", "paid", "shipped", "cancelled"]),
            "total_amount": Decimal(rng.randrange(100, 100_000)) / 100, "currency": "EUR",
            "comment": rng.choice(["", "gift wrap", "deliver after 5pm", "leave at reception"]),
        })
        data["products"].append({
            "id": i, "sku": f"SKU-{rng.randrange(10**6):06d}",
            "name": f"{rng.choice(['Steel', 'Oak', 'Glass'])} {rng.choice(['chair', 'table', 'lamp'])} {i}",
            "price": Decimal(rng.randrange(100, 50_000)) / 100,
            "description": rng.choice(["Sturdy and simple.", "Made in Europe.", "Assembly required."]),
        })
    return data


def load(url: str, data: dict[str, list[dict]]) -> None:
    """Create the tables at `url` (any SQLAlchemy URL, writable) and insert `data`."""
    engine = create_engine(url)
    try:
        METADATA.create_all(engine)
        with engine.begin() as conn:
            for name, rows in data.items():
                if rows:
                    conn.execute(insert(METADATA.tables[name]), rows)
    finally:
        engine.dispose()
