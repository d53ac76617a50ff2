"""Synthetic people and identifiers for the demo estate: every value is made up, every checksum is valid.

`PeopleFactory` is seeded once and hands out customers, employees and job applicants in a fixed order,
so the same seed always yields the same people. Identifiers carry valid checksums (Luxembourg
matricule, IBAN, VAT numbers) so that checksum-validating recognizers accept them, and phone numbers
fall in ranges `phonenumbers` considers valid for LU/FR/BE/DE.

Faker has no Luxembourg addresses or phone numbers (`lb_LU`/`de_LU` fall back to en_US), so those come
from the small tables below: real locality names and postcode ranges, invented streets and numbers.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

import phonenumbers
from faker import Faker
from stdnum import iban as stdnum_iban
from stdnum import luhn, verhoeff
from stdnum.iso7064 import mod_11_10
from stdnum.lu import tva as lu_tva

COUNTRY_LOCALES = {"LU": ("fr_FR", "de_DE"), "FR": ("fr_FR",), "BE": ("fr_BE", "nl_BE"), "DE": ("de_DE",)}
# Common Luxembourgish surnames, so LU residents do not all look French or German.
LU_SURNAMES = (
    "Schmit", "Muller", "Weber", "Wagner", "Hoffmann", "Thill", "Kremer", "Reuter", "Schiltz", "Hansen",
    "Kieffer", "Majerus", "Faber", "Welter", "Theisen", "Klein", "Schroeder", "Becker", "Goergen", "Ries",
)
LU_LOCALITIES = (  # (locality, first postcode, last postcode)
    ("Luxembourg", 1110, 2999), ("Esch-sur-Alzette", 4002, 4398), ("Differdange", 4501, 4598),
    ("Dudelange", 3401, 3490), ("Ettelbruck", 9001, 9099), ("Diekirch", 9201, 9290),
    ("Strassen", 8001, 8099), ("Bertrange", 8020, 8099), ("Mamer", 8201, 8299), ("Capellen", 8301, 8399),
    ("Mersch", 7501, 7599), ("Wiltz", 9501, 9599), ("Echternach", 6401, 6499), ("Remich", 5501, 5599),
    ("Grevenmacher", 6701, 6799), ("Hesperange", 5801, 5899),
)
LU_STREETS = (
    "rue de la Gare", "route d'Arlon", "Grand-Rue", "rue Principale", "avenue de la Liberté",
    "rue de Luxembourg", "rue des Champs", "op der Heed", "rue de l'Église", "Kiircheneck",
    "rue du Moulin", "boulevard Grande-Duchesse Charlotte", "rue des Jardins", "am Duerf",
)
BANK_CODES = {"LU": ("001", "002", "003", "014", "019", "025", "030"), "FR": ("30004", "30002", "20041", "10278"),
              "BE": ("001", "063", "068", "310", "363", "732"), "DE": ("37040044", "50010517", "10020030")}
COUNTRY_NAMES = {"LU": "Luxembourg", "FR": "France", "BE": "Belgique", "DE": "Deutschland"}


@dataclass(frozen=True)
class Address:
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2

    def one_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}, {COUNTRY_NAMES[self.country]}"


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email: str
    phone: str
    address: Address
    birth_date: date
    iban: str
    language: str  # en, fr, de: the language the person's documents are written in

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Customer:
    customer_id: int
    company: str
    contact: Person
    vat_number: str
    created_at: date


@dataclass(frozen=True)
class Employee:
    employee_id: int
    person: Person
    matricule: str
    position: str
    hired_on: date
    salary_monthly_eur: int


def lu_matricule(birth: date, sequence: int) -> str:
    """The 13-digit Luxembourg national identification number: YYYYMMDD, 3-digit sequence, then a Luhn
    and a Verhoeff check digit, both computed over the first 11 digits."""
    base = f"{birth:%Y%m%d}{sequence:03d}"
    return base + luhn.calc_check_digit(base) + verhoeff.calc_check_digit(base)


def ascii_slug(text: str) -> str:
    """`Hélène Müller-Weiß` -> `helene.muller-weiss` style fragment for e-mail addresses and file names."""
    text = text.replace("ß", "ss").replace("'", "").replace(" ", "-")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in "-.")).lower()


def make_iban(rng: random.Random, country: str) -> str:
    """A syntactically valid IBAN (ISO 13616 check digits, and the national check where one exists)."""
    bank = rng.choice(BANK_CODES[country])
    if country == "LU":
        bban = bank + "".join(rng.choice("0123456789") for _ in range(13))
    elif country == "DE":
        bban = bank + "".join(rng.choice("0123456789") for _ in range(10))
    elif country == "BE":
        body = bank + "".join(rng.choice("0123456789") for _ in range(7))
        key = int(body) % 97 or 97  # Belgian account numbers end in their own mod-97 key
        bban = f"{body}{key:02d}"
    else:  # FR: bank, branch, account, RIB key
        bank_branch = bank + "".join(rng.choice("0123456789") for _ in range(5))
        account = "".join(rng.choice("0123456789") for _ in range(11))
        key = 97 - (89 * int(bank_branch[:5]) + 15 * int(bank_branch[5:]) + 3 * int(account)) % 97
        bban = f"{bank_branch}{account}{key:02d}"
    check = stdnum_iban.calc_check_digits(f"{country}00{bban}")
    return stdnum_iban.format(f"{country}{check}{bban}")


def make_vat(rng: random.Random, country: str) -> str:
    """An intra-community VAT number with a valid check (LU mod 89, FR SIREN key, BE mod 97, DE mod 11,10)."""
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    if country == "LU":
        body = str(rng.randint(100000, 999999))
        return "LU" + body + lu_tva.calc_check_digits(body)
    if country == "FR":
        siren = str(rng.randint(30000000, 99999999))
        siren += luhn.calc_check_digit(siren)
        return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    if country == "BE":
        body = "0" + str(rng.randint(2000000, 9999999))
        return f"BE{body}{97 - int(body) % 97:02d}"
    body = str(rng.randint(1, 9)) + digits(7)
    return "DE" + body + mod_11_10.calc_check_digit(body)


def make_phone(rng: random.Random, country: str) -> str:
    """A phone number in international format that `phonenumbers` accepts as valid for the country.
    Drawn from mobile and landline ranges; the few draws that fall in unassigned blocks are redrawn."""
    for _ in range(100):
        number = _draw_phone(rng, country)
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number
    raise RuntimeError(f"no valid {country} phone number drawn")


def _draw_phone(rng: random.Random, country: str) -> str:
    d = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    if country == "LU":
        if rng.random() < 0.6:
            return f"+352 {rng.choice(('621', '661', '691'))} {d(3)} {d(3)}"
        return f"+352 2{rng.randint(2, 8)} {d(2)} {d(2)} {d(2)}"
    if country == "FR":
        return f"+33 {rng.choice('1234567')} {d(2)} {d(2)} {d(2)} {d(2)}"
    if country == "BE":
        if rng.random() < 0.6:
            return f"+32 4{rng.choice('789')}{rng.choice('0123456789')} {d(2)} {d(2)} {d(2)}"
        return f"+32 2 {d(3)} {d(2)} {d(2)}"
    if rng.random() < 0.6:
        return f"+49 1{rng.choice(('51', '60', '70', '76'))} {d(8)}"
    return f"+49 {rng.choice(('30', '40', '69', '89', '651', '681'))} {rng.randint(2, 9)}{d(6)}"


class PeopleFactory:
    """Deterministic source of synthetic people. Call order matters: keep it fixed for a given seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._fakers: dict[str, Faker] = {}
        for offset, locale in enumerate(("en_GB", "fr_FR", "fr_BE", "nl_BE", "de_DE", "de_AT")):
            fake = Faker(locale)
            fake.seed_instance(seed * 1000 + offset)
            self._fakers[locale] = fake
        self._emails: set[str] = set()
        self._matricule_sequences: set[tuple[date, int]] = set()

    def faker(self, locale: str) -> Faker:
        return self._fakers[locale]

    def address(self, country: str) -> Address:
        if country == "LU":
            city, low, high = self.rng.choice(LU_LOCALITIES)
            street = f"{self.rng.randint(1, 148)}, {self.rng.choice(LU_STREETS)}"
            return Address(street, f"L-{self.rng.randint(low, high)}", city, "LU")
        fake = self._fakers[{"FR": "fr_FR", "BE": "nl_BE", "DE": "de_DE"}[country]]  # fr_BE has no addresses
        return Address(fake.street_address(), fake.postcode(), fake.city(), country)

    def person(self, country: str, *, locale: str | None = None, email_domain: str | None = None,
               born_between: tuple[int, int] = (1958, 2001)) -> Person:
        locale = locale or self.rng.choice(COUNTRY_LOCALES[country])
        fake = self._fakers[locale]
        first = fake.first_name()
        last = self.rng.choice(LU_SURNAMES) if country == "LU" and self.rng.random() < 0.5 else fake.last_name()
        language = {"en": "en", "fr": "fr", "de": "de", "nl": "fr"}[locale[:2]]
        birth = date(self.rng.randint(*born_between), 1, 1) + timedelta(days=self.rng.randint(0, 364))
        domain = email_domain or self.rng.choice(("pt.lu", "gmail.com", "outlook.com", "web.de", "orange.fr",
                                                  "skynet.be", "internet.lu", "gmx.de"))
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email = f"{local}@{domain}"
        n = 2
        while email in self._emails:
            email = f"{local}{n}@{domain}"
            n += 1
        self._emails.add(email)
        return Person(first, last, email, make_phone(self.rng, country), self.address(country), birth,
                      make_iban(self.rng, country), language)

    def matricule(self, birth: date) -> str:
        """A valid matricule whose 13 digits as a whole fail Luhn, so it cannot pass for a card number."""
        for sequence in self.rng.sample(range(1, 1000), 999):
            if (birth, sequence) in self._matricule_sequences:
                continue
            number = lu_matricule(birth, sequence)
            if not luhn.is_valid(number):
                self._matricule_sequences.add((birth, sequence))
                return number
        raise RuntimeError("no free matricule sequence for this birth date")

    def vat(self, country: str) -> str:
        return make_vat(self.rng, country)
