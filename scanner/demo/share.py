"""The demo company's file share (`share/`): HR, sales, finance, IT, a public folder and an old archive.

Folders are 0o750 and files 0o640, except `public/staff-directory.csv` (0o644, in 0o755 folders), which
any local user can read. Files under `archive/` carry mtimes from 2009-2012.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from scanner.demo import documents
from scanner.demo.files import EstateFiles, docx_bytes, pdf_bytes, utc, xlsx_bytes
from scanner.demo.people import ascii_slug
from scanner.demo.world import COMPANY, DemoWorld

CUSTOMER_HEADER = ("customer_id", "company", "first_name", "last_name", "email", "phone", "street", "postcode",
                   "city", "country", "vat_number", "iban", "customer_since")
README = """Datacraft Luxembourg - file share
=================================

hr/        Human resources (restricted: HR team only)
sales/     Customer exports, price lists
finance/   Invoices
it/        Infrastructure notes and deployment files
public/    Shared with everyone in the company
archive/   Old files, kept "just in case"

Please do not store private files here. Questions: ask the IT help desk (ticket portal, category "File share").
"""
AGENDA = """# Réunion d'équipe IT / IT team meeting - 14.05.2025

1. Migration des serveurs de fichiers vers le nouveau NAS (planning juin)
2. Renouvellement des certificats TLS du portail client
3. Patch management: Windows Server 2016 end of support, Zeitplan für die Migration
4. Sauvegardes : test de restauration trimestriel
5. Divers / Verschiedenes

Prochaine réunion : 11.06.2025
"""
NETWORK_NOTES = """Network notes (Bertrange office)

VLAN 10  servers        10.10.10.0/24
VLAN 20  staff          10.10.20.0/24
VLAN 30  VoIP           10.10.30.0/24
VLAN 99  management     10.10.99.0/24

Firewall: FortiGate 100F, HA pair. Wi-Fi: 6 access points, WPA3-Enterprise (RADIUS).
"""
PRICE_LIST = [("SKU", "product", "unit", "price_eur"), ("FW-MAINT", "Firewall maintenance", "year", "2400.00"),
              ("M365-BP", "Microsoft 365 Business Premium", "user/month", "21.10"),
              ("VOIP-SET", "VoIP handset installation", "handset", "135.00"),
              ("HOST-VM", "Virtual server hosting", "month", "500.00"), ("CONS-DAY", "IT consultant", "day", "850.00")]


def customer_rows(world: DemoWorld, until: date | None = None) -> list[tuple[object, ...]]:
    return [(c.customer_id, c.company, c.contact.first_name, c.contact.last_name, c.contact.email, c.contact.phone,
             c.contact.address.street, c.contact.address.postcode, c.contact.address.city, c.contact.address.country,
             c.vat_number, c.contact.iban.replace(" ", ""), c.created_at.isoformat())
            for c in world.customers if until is None or c.created_at <= until]


def write_share(files: EstateFiles, world: DemoWorld, seed: int) -> None:
    rng = random.Random(seed + 7)
    files.folder_mode("share", 0o755)
    files.folder_mode("share/public", 0o755)
    files.text("share/README.txt", README, utc(2021, 3, 2))
    files.text("share/it/meeting-agenda-2025-05-14.md", AGENDA, utc(2025, 5, 12))
    files.text("share/it/network-notes.txt", NETWORK_NOTES, utc(2024, 11, 5))
    files.csv("share/sales/price-list-2025.csv", PRICE_LIST[0], PRICE_LIST[1:], utc(2025, 1, 6))
    _write_it_secrets(files, rng)
    _write_applications(files, world, rng)
    _write_employees(files, world, rng)
    _write_sales_and_finance(files, world)
    _write_public(files, world)
    _write_archive(files, world)


def _write_it_secrets(files: EstateFiles, rng: random.Random) -> None:
    token = "".join(rng.choice("0123456789abcdef") for _ in range(40))
    db_password = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789") for _ in range(14))
    files.text("share/it/deploy/.env", (
        "# customer portal - production\nDB_HOST=db01.datacraft.internal\nDB_USER=portal\n"
        f"DB_PASSWORD={db_password}\nSMTP_USER=noreply@datacraft.lu\nSMTP_PASSWORD=Bertrange2024!\n"
        f"MAILING_API_TOKEN={token}\n"), utc(2024, 9, 18))


def _write_applications(files: EstateFiles, world: DemoWorld, rng: random.Random) -> None:
    applicants = world.applicants
    for index, person in enumerate(applicants):
        employers = [world_company(rng, person.language) for _ in range(2)]
        title, paragraphs, headings = documents.cv(person, employers, rng)
        when = utc(2025, 3, 1) + timedelta(days=7 * index, hours=index)
        name = f"share/hr/applications/CV_{ascii_slug(person.first_name)}_{ascii_slug(person.last_name)}"
        if index % 2 == 0:
            files.bytes(name + ".docx", docx_bytes(title, person.full_name, paragraphs, when, headings), when)
        else:
            files.bytes(name + ".pdf", pdf_bytes(title, person.full_name, paragraphs, when, headings), when)
    letter_from = next(p for p in applicants if p.language == "fr")
    files.text(f"share/hr/applications/lettre-motivation-{ascii_slug(letter_from.last_name)}.txt",
               documents.cover_letter(letter_from, date(2025, 3, 2)), utc(2025, 3, 3))
    files.text("share/hr/applications/screening-notes-2025.txt", documents.screening_note(applicants[3]),
               utc(2025, 4, 4))


def world_company(rng: random.Random, language: str) -> str:
    return rng.choice({
        "en": ("Northwind Systems Ltd", "Brightside IT plc", "Harbour Networks Ltd"),
        "fr": ("Infogérance Lorraine SAS", "Alsace Réseaux SARL", "Numérique Conseil SA"),
        "de": ("Saar-IT GmbH", "Moselnetz Systemhaus GmbH", "Eifel Datentechnik KG"),
    }[language])


def _write_employees(files: EstateFiles, world: DemoWorld, rng: random.Random) -> None:
    staff = world.employees
    header = ("matricule", "nom", "prénom", "date_naissance", "adresse", "code_postal", "localité", "pays",
              "email", "téléphone", "poste", "entrée", "salaire_brut_mensuel", "iban")
    rows = [(e.matricule, e.person.last_name, e.person.first_name, e.person.birth_date.isoformat(),
             e.person.address.street, e.person.address.postcode, e.person.address.city, e.person.address.country,
             e.person.email, e.person.phone, e.position, e.hired_on.isoformat(), e.salary_monthly_eur,
             e.person.iban) for e in staff]
    when = utc(2025, 1, 15)
    files.bytes("share/hr/employees/personnel-2025.xlsx",
                xlsx_bytes([("Personnel", header, rows)], "HR Datacraft", when), when)
    payroll = [(e.matricule, e.person.full_name, e.salary_monthly_eur, round(e.salary_monthly_eur * 0.71, 2),
                e.person.iban.replace(" ", "")) for e in staff]
    files.csv("share/hr/employees/payroll-2025-05.csv", ("matricule", "name", "gross_eur", "net_eur", "iban"),
              payroll, utc(2025, 5, 28))
    notes = ((staff[2], "fr", date(2025, 2, 10)), (staff[5], "de", date(2025, 4, 7)),
             (staff[8], "en", date(2025, 5, 19)))
    for employee, lang, day in notes:
        text = documents.sick_note(employee, lang, day, rng)
        stem = {"fr": "arret-maladie", "de": "krankmeldung", "en": "sick-leave"}[lang]
        name = f"share/hr/employees/sick-leave/{day:%Y-%m}-{stem}-{ascii_slug(employee.person.last_name)}"
        when = utc(day.year, day.month, day.day, 11)
        if lang == "en":
            files.bytes(name + ".docx", docx_bytes("Sick leave record", "HR Datacraft", text.split("\n\n"), when), when)
        else:
            files.text(name + ".txt", text, when)
    reviewed = staff[4]
    files.text(f"share/hr/employees/reviews/entretien-annuel-2024-{ascii_slug(reviewed.person.last_name)}.txt",
               documents.appraisal_note(reviewed, 2024), utc(2024, 11, 15))


def _write_sales_and_finance(files: EstateFiles, world: DemoWorld) -> None:
    rows = customer_rows(world)
    when = utc(2025, 6, 2)
    files.csv("share/sales/customers.csv", CUSTOMER_HEADER, rows, when, delimiter=";")
    files.bytes("share/sales/customers.xlsx", xlsx_bytes([("Customers", CUSTOMER_HEADER, rows)], "Sales", when), when)
    customers = {c.customer_id: c for c in world.customers}
    recent = [o for o in world.orders if o.ordered_at.year >= 2024][-6:]
    for index, order in enumerate(recent, start=1):
        number = f"F-{order.ordered_at.year}-{index:04d}"
        title, paragraphs, headings = documents.invoice(number, order, customers[order.customer_id])
        when = utc(order.ordered_at.year, order.ordered_at.month, order.ordered_at.day, 16)
        if index % 3 == 0:
            pdf = pdf_bytes(title, COMPANY, paragraphs, when, headings)
            files.bytes(f"share/finance/invoices/{number}.pdf", pdf, when)
        else:
            files.text(f"share/finance/invoices/{number}.txt", "\n\n".join(paragraphs) + "\n", when)


def _write_public(files: EstateFiles, world: DemoWorld) -> None:
    rows = [(e.person.full_name, e.position, e.person.email, e.person.phone, f"{e.person.birth_date:%d/%m}")
            for e in world.employees]
    files.csv("share/public/staff-directory.csv", ("name", "position", "email", "mobile", "birthday"), rows,
              utc(2025, 2, 3), mode=0o644)


def _write_archive(files: EstateFiles, world: DemoWorld) -> None:
    old_rows = customer_rows(world, until=date(2011, 12, 31))
    files.csv("share/archive/2011/customers-2011.csv", CUSTOMER_HEADER, old_rows, utc(2011, 12, 30))
    leaver = world.old_employee
    files.text(f"share/archive/2011/contrat-travail-{ascii_slug(leaver.person.last_name)}.txt",
               documents.employment_contract(leaver), utc(2009, 9, 1))
    files.text(f"share/archive/2012/certificat-de-travail-{ascii_slug(leaver.person.last_name)}.txt",
               documents.old_letter(leaver, date(2012, 3, 31)), utc(2012, 4, 2))
    applicant = world.old_applicant
    title, paragraphs, headings = documents.cv(applicant, ["Saar-IT GmbH", "Eifel Datentechnik KG"],
                                               random.Random(2010), year=2010)
    when = utc(2010, 6, 14)
    files.bytes(f"share/archive/2010/CV_{ascii_slug(applicant.last_name)}.pdf",
                pdf_bytes(title, applicant.full_name, paragraphs, when, headings), when)
