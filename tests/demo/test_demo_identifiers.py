"""Identifiers in the demo estate carry valid checksums, so checksum-validating recognizers accept them."""

from __future__ import annotations

import csv
import io
import random
import re
import sqlite3
from datetime import date
from pathlib import Path

import openpyxl
import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban, luhn, verhoeff
from stdnum.be import vat as be_vat
from stdnum.de import vat as de_vat
from stdnum.fr import tva as fr_tva
from stdnum.lu import tva as lu_tva

from scanner.demo.people import lu_matricule, make_iban, make_phone, make_vat


def is_valid_matricule(number: str) -> bool:
    if not re.fullmatch(r"\d{13}", number):
        return False
    try:
        date(int(number[:4]), int(number[4:6]), int(number[6:8]))
    except ValueError:
        return False
    base = number[:11]
    return number[11] == luhn.calc_check_digit(base) and number[12] == verhoeff.calc_check_digit(base)


def test_matricule_matches_the_published_test_vector() -> None:
    assert lu_matricule(date(1893, 12, 1), 57) == "1893120105732"
    assert is_valid_matricule("1893120105732")
    assert not is_valid_matricule("1893120105733")  # wrong Verhoeff digit
    assert not is_valid_matricule("1893120105722")  # wrong Luhn digit
    assert not is_valid_matricule("1893130105732")  # month 13


@given(st.dates(date(1920, 1, 1), date(2024, 12, 31)), st.integers(0, 999), st.integers(0, 12), st.integers(1, 9))
def test_any_matricule_is_valid_and_a_one_digit_change_is_not(birth: date, seq: int, pos: int, delta: int) -> None:
    number = lu_matricule(birth, seq)
    assert is_valid_matricule(number) and number.startswith(f"{birth:%Y%m%d}")
    mutated = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    assert not is_valid_matricule(mutated)


def _matricules(estate: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    book = openpyxl.load_workbook(estate / "share/hr/employees/personnel-2025.xlsx", read_only=True)
    found["personnel-2025.xlsx"] = [str(row[0]) for row in book["Personnel"].iter_rows(min_row=2, values_only=True)]
    with open(estate / "share/hr/employees/payroll-2025-05.csv", encoding="utf-8", newline="") as fh:
        found["payroll-2025-05.csv"] = [row["matricule"] for row in csv.DictReader(fh)]
    conn = sqlite3.connect(estate / "crm.sqlite")
    found["crm.sqlite"] = [r[0] for r in conn.execute("SELECT matricule FROM employees")]
    return found


def test_every_matricule_in_the_estate_is_valid_and_not_card_like(demo_estate: Path,
                                                                  estate_texts: dict[str, str]) -> None:
    found = _matricules(demo_estate)
    for where, numbers in found.items():
        assert len(numbers) == 14, where
        for number in numbers:
            assert is_valid_matricule(number), (where, number)
            assert not luhn.is_valid(number)  # so a card recognizer cannot mistake it for a card number
    in_notes = re.findall(r"\b\d{13}\b", " ".join(t for n, t in estate_texts.items() if "sick-leave" in n))
    assert len(in_notes) == 3 and all(is_valid_matricule(n) for n in in_notes)


def test_customer_identifiers_are_valid(demo_estate: Path) -> None:
    text = (demo_estate / "share/sales/customers.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 36
    assert {r["country"] for r in rows} == {"LU", "FR", "BE", "DE"}
    validators = {"LU": lu_tva, "FR": fr_tva, "BE": be_vat, "DE": de_vat}
    for row in rows:
        assert iban.is_valid(row["iban"]) and row["iban"].startswith(row["country"]), row["iban"]
        assert validators[row["country"]].is_valid(row["vat_number"]), row["vat_number"]
        phone = phonenumbers.parse(row["phone"])
        assert phonenumbers.is_valid_number(phone), row["phone"]
        assert phonenumbers.region_code_for_number(phone) == row["country"], row["phone"]


@pytest.mark.parametrize("country", ["LU", "FR", "BE", "DE"])
def test_generators_always_give_valid_numbers(country: str) -> None:
    rng = random.Random(country)
    validators = {"LU": lu_tva, "FR": fr_tva, "BE": be_vat, "DE": de_vat}
    for _ in range(300):
        assert iban.is_valid(make_iban(rng, country))
        assert validators[country].is_valid(make_vat(rng, country))
        assert phonenumbers.is_valid_number(phonenumbers.parse(make_phone(rng, country)))


CARD_LIKE = re.compile(r"(?<![\dA-Za-z])[3-6]\d{3}(?:[ -]?\d{3,4}){2}[ -]?\d{1,7}(?!\d)")


def test_no_payment_card_numbers_anywhere(estate_texts: dict[str, str]) -> None:
    # declared_not_found relies on this: the estate must hold nothing a card recognizer would accept
    checked = 0
    for name, text in estate_texts.items():
        for match in CARD_LIKE.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            checked += 1
            assert not (13 <= len(digits) <= 19 and luhn.is_valid(digits)), (name, match.group())
    assert checked > 0  # the pattern did look at IBAN groups and the like


def test_card_pattern_would_catch_a_test_card() -> None:
    assert CARD_LIKE.search("paid with 4111 1111 1111 1111 yesterday")
    assert luhn.is_valid("4111111111111111")
