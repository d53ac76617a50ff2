"""Table-driven tests for the EU identifier recognizers: valid numbers found with the right entity,
checksum-invalid look-alikes not reported (each negative case says why)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from stdnum.fr import nir
from stdnum.iso7064 import mod_11_10

from detectors.recognizers.lu_matricule_recognizer import check_digits, is_valid_matricule
from detector_helpers import entities_in


def be_nn(first9: str, born_2000: bool = False) -> str:
    check = 97 - int(("2" if born_2000 else "") + first9) % 97
    return f"{first9}{check:02d}"


def de_idnr(first10: str) -> str:
    return first10 + mod_11_10.calc_check_digit(first10)


VALID_MATRICULE = "1893120105732"  # the test vector
FR_NIR = "2690549588157" + nir.calc_check_digits("2690549588157")
FR_NIR_CORSICA = "175022A012345" + nir.calc_check_digits("175022A012345")
BE_NN = be_nn("850730033")
BE_NN_2000 = be_nn("010203123", born_2000=True)
DE_IDNR = de_idnr("8609574271")

POSITIVE = [
    # (text, entity, expected matched text)
    (f"Matricule: {VALID_MATRICULE}", "LU_NATIONAL_ID", VALID_MATRICULE),
    ("Matricule national 1893 1201 057 32.", "LU_NATIONAL_ID", "1893 1201 057 32"),
    ("matricule 1893.12.01.057.32", "LU_NATIONAL_ID", "1893.12.01.057.32"),
    (f"Matricule {'19840000123' + check_digits('19840000123')} (date unknown)", "LU_NATIONAL_ID",
     "19840000123" + check_digits("19840000123")),
    ("old file, matricule 19750312045", "LU_NATIONAL_ID", "19750312045"),
    (f"NIR {FR_NIR}", "FR_NIR", FR_NIR),
    (f"sécurité sociale : {FR_NIR[0]} {FR_NIR[1:3]} {FR_NIR[3:5]} {FR_NIR[5:7]} {FR_NIR[7:10]} {FR_NIR[10:13]} "
     f"{FR_NIR[13:]}", "FR_NIR", f"{FR_NIR[0]} {FR_NIR[1:3]} {FR_NIR[3:5]} {FR_NIR[5:7]} {FR_NIR[7:10]} "
     f"{FR_NIR[10:13]} {FR_NIR[13:]}"),
    (f"NIR (Corse) {FR_NIR_CORSICA}", "FR_NIR", FR_NIR_CORSICA),
    (f"Rijksregisternummer {BE_NN[:2]}.{BE_NN[2:4]}.{BE_NN[4:6]}-{BE_NN[6:9]}.{BE_NN[9:]}", "BE_NATIONAL_NUMBER",
     f"{BE_NN[:2]}.{BE_NN[2:4]}.{BE_NN[4:6]}-{BE_NN[6:9]}.{BE_NN[9:]}"),
    (f"NISS {BE_NN_2000}", "BE_NATIONAL_NUMBER", BE_NN_2000),
    (f"Steuer-IdNr: {DE_IDNR}", "DE_TAX_ID", DE_IDNR),
    (f"Steuer-ID {DE_IDNR[:2]} {DE_IDNR[2:5]} {DE_IDNR[5:8]} {DE_IDNR[8:]}", "DE_TAX_ID",
     f"{DE_IDNR[:2]} {DE_IDNR[2:5]} {DE_IDNR[5:8]} {DE_IDNR[8:]}"),
    ("TVA LU26375245", "EU_VAT_NUMBER", "LU26375245"),
    ("USt-IdNr. DE136695976", "EU_VAT_NUMBER", "DE136695976"),
    ("BTW BE0403019261", "EU_VAT_NUMBER", "BE0403019261"),
    ("IBAN LU28 0019 4006 4475 0000", "IBAN_CODE", "LU28 0019 4006 4475 0000"),
    ("IBAN: LU280019 40064475 0000 BIC BCEELULL", "IBAN_CODE", "LU280019 40064475 0000"),
    ("Konto DE89370400440532013000.", "IBAN_CODE", "DE89370400440532013000"),
    ("Numéro de passeport 12AB34567", "PASSPORT", "12AB34567"),
    ("Tel. +352 621 123 456", "PHONE_NUMBER", "+352 621 123 456"),
    ("Téléphone : 06 12 34 56 78", "PHONE_NUMBER", "06 12 34 56 78"),
    ("Telefon 030 12345678", "PHONE_NUMBER", "030 12345678"),
    ("GSM 0470 12 34 56", "PHONE_NUMBER", "0470 12 34 56"),
    ("call 00352 26 12 34 56", "PHONE_NUMBER", "00352 26 12 34 56"),
    ("contact: jean.dupont@example.lu", "EMAIL_ADDRESS", "jean.dupont@example.lu"),
    ("Visa 4111 1111 1111 1111 exp 12/27", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("carte 2223000048400011", "CREDIT_CARD", "2223000048400011"),  # Mastercard 2-series
    ("Amex 378282246310005", "CREDIT_CARD", "378282246310005"),
]

NEGATIVE = [
    # (text, entity that must not be reported, reason)
    ("Matricule: 1893120105733", "LU_NATIONAL_ID", "Verhoeff digit wrong"),
    ("Matricule: 1893120105742", "LU_NATIONAL_ID", "Luhn digit wrong"),
    ("Matricule: 1893130105732", "LU_NATIONAL_ID", "month 13 is not a date"),
    ("order 19750312045 shipped", "LU_NATIONAL_ID", "legacy 11-digit form without a context word"),
    (f"NIR {FR_NIR[:-2]}{(int(FR_NIR[-2:]) + 1) % 97:02d}", "FR_NIR", "key off by one"),
    (f"Rijksregisternummer {BE_NN[:-2]}{(int(BE_NN[-2:]) + 1) % 97:02d}", "BE_NATIONAL_NUMBER", "mod 97 wrong"),
    ("Steuer-IdNr: 12345678901", "DE_TAX_ID", "Mod 11,10 check digit wrong"),
    ("TVA LU26375246", "EU_VAT_NUMBER", "LU VAT check digits wrong"),
    ("IBAN LU28 0019 4006 4475 0001", "IBAN_CODE", "mod-97 wrong"),
    ("Reference 12AB34567 in the ledger", "PASSPORT", "passport format without a context word"),
    ("Invoice total 1234567 EUR on 12.03.2024", "PHONE_NUMBER", "amounts and dates are not phone numbers"),
    ("contact: jean.dupont@example", "EMAIL_ADDRESS", "no top-level domain"),
    ("Dossier 156116799368325 transmis", "CREDIT_CARD", "Luhn-valid but no card network starts with 1"),
    ("card 4111 1111 1111 1112", "CREDIT_CARD", "Luhn digit wrong"),
    ("Vorgang 38 641 295 665 wurde weitergeleitet", "PHONE_NUMBER", "spaced 11-digit ID, no trunk 0, no context"),
    ("IBAN FR76 3637 2254 4622 1101 9999 123", "CREDIT_CARD", "tail of an (invalid) IBAN, not a card"),
    ("Dossier 50.02.21-691.47 clos", "PHONE_NUMBER", "mixed separators: an ID shape"),
]


@pytest.mark.parametrize("text,entity,expected", POSITIVE, ids=[f"{e}:{i}" for i, (_, e, _) in enumerate(POSITIVE)])
def test_valid_identifier_is_found_with_its_entity(detector, text, entity, expected):
    assert (entity, expected) in entities_in(detector, text)


@pytest.mark.parametrize("text,entity,reason", NEGATIVE, ids=[r for _, _, r in NEGATIVE])
def test_invalid_look_alike_is_not_reported(detector, text, entity, reason):
    assert entity not in {e for e, _ in entities_in(detector, text)}, reason


@hsettings(max_examples=200, deadline=None)
@given(position=st.integers(min_value=0, max_value=12), delta=st.integers(min_value=1, max_value=9))
def test_one_digit_mutation_of_a_valid_matricule_is_rejected(position, delta):
    digits = list(VALID_MATRICULE)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not is_valid_matricule("".join(digits))


@hsettings(max_examples=100, deadline=None)
@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1), max_value=__import__("datetime").date(2024, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_generated_matricules_validate(born, sequence):
    first11 = born.strftime("%Y%m%d") + f"{sequence:03d}"
    assert is_valid_matricule(first11 + check_digits(first11))
