"""The demo company and everyone in its records, built once per seed and shared by every store.

The same customers appear in the CRM database, the customer export (CSV and XLSX), the invoices, the
2019 backup dump and the US marketing bucket, as they would in a real estate: that duplication is
what the minimisation gap measures. Dates are fixed relative to `AS_OF`, never to the wall clock.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from scanner.demo.people import Customer, Employee, LU_SURNAMES, PeopleFactory, Person, ascii_slug

AS_OF = date(2025, 6, 30)  # the day the estate "is": latest dates in the data are just before it
COMPANY = "Datacraft Luxembourg S.à r.l."  # fictional
COMPANY_DOMAIN = "datacraft.lu"
COMPANY_ADDRESS = "12, rue des Artisans, L-8070 Bertrange"
COMPANY_VAT = "LU27851231"  # fictional, valid mod-89 check
COMPANY_IBAN = "LU28 0019 4006 4475 0000"  # the textbook example IBAN, not a real account

CUSTOMER_COUNTRIES = ("LU",) * 16 + ("FR",) * 8 + ("BE",) * 6 + ("DE",) * 6
SERVICES = (
    ("Firewall maintenance - annual contract", 2400), ("Microsoft 365 licences (25 seats)", 3150),
    ("VoIP installation, 12 handsets", 4890), ("Server hosting - 12 months", 6000),
    ("IT consultant, 10 days", 8500), ("Network audit", 3200), ("Backup as a service - 1 TB", 1440),
    ("Laptop Dell Latitude x5", 6450), ("Website maintenance - quarterly", 900), ("Wi-Fi site survey", 1250),
)
POSITIONS = (
    ("Managing director", 9800), ("System engineer", 5600), ("Network engineer", 5400), ("Help-desk technician", 3900),
    ("Sales manager", 6200), ("Accountant", 4700), ("HR officer", 4500), ("Cloud architect", 7300),
    ("Developer", 5200), ("Project manager", 6400), ("Office manager", 3800), ("Security analyst", 5900),
    ("Junior technician", 3100), ("Account manager", 5000),
)
EMPLOYEE_COUNTRIES = ("LU",) * 7 + ("FR",) * 3 + ("BE",) * 2 + ("DE",) * 2  # cross-border commuters
WEAK_PASSWORDS = ("Summer2019!", "Datacraft2020", "Luxembourg1", "Welcome123", "Bertrange!8070", "Passw0rd!",
                  "Moien2022", "Schueberfouer24", "admin", "Qwertz123")


@dataclass(frozen=True)
class Order:
    order_ref: str
    customer_id: int
    ordered_at: date
    description: str
    amount_eur: float
    status: str


@dataclass(frozen=True)
class WebSession:
    cookie_id: str
    ip_address: str
    user_agent: str
    started_at: datetime
    landing_page: str
    customer_id: int | None


@dataclass(frozen=True)
class AppUser:
    username: str
    email: str
    password: str  # plaintext on purpose: the security gap the demo plants
    role: str
    created_at: date


@dataclass(frozen=True)
class PortalAccount:
    customer_id: int
    email: str
    password_hash: str  # a real salted PBKDF2 hash (Django format), the contrast to AppUser.password
    last_login: datetime


@dataclass(frozen=True)
class DemoWorld:
    customers: tuple[Customer, ...]
    orders: tuple[Order, ...]
    employees: tuple[Employee, ...]
    applicants: tuple[Person, ...]
    leads: tuple[Person, ...]  # marketing leads that are not customers
    sessions: tuple[WebSession, ...]
    app_users: tuple[AppUser, ...]
    portal_accounts: tuple[PortalAccount, ...]
    old_applicant: Person  # applied in 2011; lives only in the archive and old backups
    old_employee: Employee  # left in 2011; lives only in the archive


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _pbkdf2(rng: random.Random, password: str) -> str:
    salt = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(22))
    iterations = 20_000  # low on purpose: the demo must generate fast; the format is what matters
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def _company_name(people: PeopleFactory, rng: random.Random, country: str) -> str:
    if country in ("FR", "DE"):
        return people.faker("fr_FR" if country == "FR" else "de_DE").company()
    trade = rng.choice(("Consulting", "Immobilier", "Logistics", "Fiduciaire", "Constructions", "Transports",
                        "Architectes", "Médical", "Assurances", "Boulangerie", "Garage", "Trading"))
    if country == "BE":
        return f"{people.faker('nl_BE').last_name()} {trade} {rng.choice(('SRL', 'SA', 'BV'))}"
    return f"{rng.choice(LU_SURNAMES)} {trade} {rng.choice(('S.à r.l.', 'S.A.', 'SCS'))}"


def build_world(seed: int) -> DemoWorld:
    """Everyone and everything in the demo company's records, deterministic for `seed`."""
    people = PeopleFactory(seed)
    rng = people.rng
    customers = []
    for index, country in enumerate(CUSTOMER_COUNTRIES, start=1):
        contact_locale = {"LU": None, "FR": "fr_FR", "BE": "fr_BE", "DE": "de_DE"}[country]
        company = _company_name(people, rng, country)
        domain = f"{ascii_slug('-'.join(company.replace(',', ' ').split()[:2]))}.{country.lower()}"
        contact = people.person(country, locale=contact_locale, email_domain=domain)
        # a third of the customer base predates 2015: far beyond any retention period for ex-customers
        created = _day(rng, date(2010, 2, 1), date(2014, 12, 31)) if index % 3 == 1 else \
            _day(rng, date(2015, 1, 1), date(2025, 5, 31))
        customers.append(Customer(index, company, contact, people.vat(country), created))

    orders = []
    for customer in customers:
        for _ in range(rng.randint(1, 4)):
            when = _day(rng, customer.created_at, AS_OF - timedelta(days=5))
            description, price = rng.choice(SERVICES)
            amount = round(price * rng.uniform(0.85, 1.25), 2)
            status = "paid" if when < AS_OF - timedelta(days=60) else rng.choice(("open", "paid", "overdue"))
            orders.append(Order("", customer.customer_id, when, description, amount, status))
    orders.sort(key=lambda o: (o.ordered_at, o.customer_id))
    numbered: list[Order] = []
    seen: dict[int, int] = {}
    for order in orders:
        seen[order.ordered_at.year] = seen.get(order.ordered_at.year, 0) + 1
        ref = f"SO-{order.ordered_at.year}-{seen[order.ordered_at.year]:05d}"
        numbered.append(Order(ref, order.customer_id, order.ordered_at, order.description, order.amount_eur,
                              order.status))

    employees = []
    for index, (country, (position, salary)) in enumerate(zip(EMPLOYEE_COUNTRIES, POSITIONS), start=1):
        person = people.person(country, email_domain=COMPANY_DOMAIN, born_between=(1962, 2000))
        employees.append(Employee(index, person, people.matricule(person.birth_date), position,
                                  _day(rng, date(2008, 3, 1), date(2024, 9, 1)), salary + 50 * rng.randint(0, 20)))

    applicants = []
    for country, locale in (("LU", "fr_FR"), ("LU", "de_DE"), ("FR", "fr_FR"), ("FR", "fr_FR"), ("BE", "fr_BE"),
                            ("DE", "de_DE"), ("DE", "de_AT"), ("LU", "en_GB")):
        applicants.append(people.person(country, locale=locale, born_between=(1975, 2002)))
    leads = tuple(people.person(rng.choice(("LU", "FR", "BE", "DE"))) for _ in range(14))
    old_applicant = people.person("LU", locale="de_DE", born_between=(1970, 1988))
    old_person = people.person("LU", locale="fr_FR", email_domain=COMPANY_DOMAIN, born_between=(1950, 1975))
    old_employee = Employee(99, old_person, people.matricule(old_person.birth_date), "Help-desk technician",
                            date(2004, 9, 1), 3100)

    en = people.faker("en_GB")
    sessions = []
    for _ in range(120):
        started = datetime.combine(_day(rng, date(2025, 1, 2), AS_OF), datetime.min.time(), timezone.utc) + \
            timedelta(seconds=rng.randint(6 * 3600, 23 * 3600))
        ip = en.ipv6() if rng.random() < 0.3 else en.ipv4_public()
        customer_id = rng.choice(customers).customer_id if rng.random() < 0.4 else None
        page = rng.choice(("/", "/services/cloud", "/services/voip", "/contact", "/careers", "/fr/", "/de/"))
        sessions.append(WebSession(en.uuid4(), ip, en.user_agent(), started, page, customer_id))
    sessions.sort(key=lambda s: s.started_at)

    app_users = []
    for employee, password in zip(employees[:10], WEAK_PASSWORDS):
        p = employee.person
        app_users.append(AppUser(f"{p.first_name[0]}{p.last_name}".lower().replace(" ", ""), p.email, password,
                                 rng.choice(("admin", "sales", "support", "finance")), employee.hired_on))
    portal = []
    for customer in customers[::3]:
        password = en.password(length=14)
        login = datetime.combine(_day(rng, date(2024, 6, 1), AS_OF), datetime.min.time(), timezone.utc)
        portal.append(PortalAccount(customer.customer_id, customer.contact.email, _pbkdf2(rng, password), login))

    return DemoWorld(tuple(customers), tuple(numbered), tuple(employees), tuple(applicants), leads,
                     tuple(sessions), tuple(app_users), tuple(portal), old_applicant, old_employee)
