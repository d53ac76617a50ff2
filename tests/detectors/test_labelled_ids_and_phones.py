"""Labelled national IDs are reported whatever the configured countries; phones without borders; numbers
that are something else (IDs, references, amounts, dates, ranges) are not phones."""

from __future__ import annotations

import random

import pytest
from faker import Faker

from bench.corpus_gen.labelled import _valid_faker_phone
from bench.corpus_gen.typed_ids import STYLES, TypedId, mutate, typed, valid_national_id
from detectors.recognizers.eu_phone_recognizer import EuPhoneRecognizer
from detectors.recognizers.labelled_national_id_recognizer import LabelledNationalIdRecognizer

SCHEMES = {  # scheme of the generator -> (label, entity)
    "US SSN": ("social security number", "US_SSN"), "CH AVS": ("numéro AVS", "NATIONAL_ID"),
    "NL BSN": ("BSN", "NATIONAL_ID"), "ES DNI": ("DNI", "ES_NIF"), "PL PESEL": ("PESEL", "PL_PESEL"),
    "FR NIR": ("NIR", "FR_NIR"), "LU matricule": ("matricule", "LU_NATIONAL_ID"),
    "BE national number": ("rijksregisternummer", "BE_NATIONAL_NUMBER"), "DE IdNr": ("Steuer-IdNr.", "DE_TAX_ID"),
}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_a_labelled_valid_id_is_reported_with_its_country_in_every_style(scheme: str) -> None:
    label, entity = SCHEMES[scheme]
    rng = random.Random(scheme)
    recognizer = LabelledNationalIdRecognizer("en")
    for _ in range(3):
        value = TypedId("ID", scheme, valid_national_id(rng, scheme), 0)
        for style in STYLES["ID"]:
            written = typed(rng, value, style)
            text = f"Her {label} is {written}, as on the form."
            results = recognizer.analyze(text, [])
            assert [(text[r.start:r.end], r.entity_type) for r in results] == [(written, entity)], style
            fake = mutate(rng, value)  # None when every one-digit change stays valid (an SSN has no checksum)
            assert fake is None or recognizer.analyze(f"Her {label} is {typed(rng, fake, style)}.", []) == []


def test_an_unlabelled_number_is_not_claimed() -> None:
    rng = random.Random(1)
    ssn = valid_national_id(rng, "US SSN")
    assert LabelledNationalIdRecognizer("en").analyze(f"Order {ssn[:3]}-{ssn[3:5]}-{ssn[5:]} shipped.", []) == []


def test_a_labelled_ssn_is_never_a_phone() -> None:
    rng = random.Random(2)
    phones = EuPhoneRecognizer("en", ("LU", "FR", "BE", "DE", "US"))
    for _ in range(20):
        ssn = valid_national_id(rng, "US SSN")
        text = f"His social security number is {ssn[:3]}-{ssn[3:5]}-{ssn[5:]}."
        assert phones.analyze(text, []) == []


@pytest.mark.parametrize("text", [
    "The case originated in an application (no. 40271/05) against the Republic.",
    "Die Verbalnote Nr. 4321/38 wurde zugestellt.",
    "He claimed 6 850 000 SEK (about 736 000 EUR) in damages.",
    "Zwischen 30 - 50 Personen warteten am 20.10.1939 vor dem Amt.",
    "The fine was increased to 2,847.312.000 on appeal.",
    "Geboren am 27 . 1 . 1903 in einer kleinen Stadt.",
])
def test_references_amounts_dates_and_ranges_are_not_phones(text: str) -> None:
    results = EuPhoneRecognizer("en", ("LU", "FR", "BE", "DE")).analyze(text, [])
    assert [r for r in results if r.score >= 0.5] == []


def test_phones_of_many_countries_in_their_own_formats_are_found() -> None:
    rng = random.Random(11)
    recognizer = EuPhoneRecognizer("en", ("LU", "FR", "BE", "DE"))
    found = 0
    for _ in range(150):
        phone = _valid_faker_phone(rng)
        text = f"Please call me at {phone} tomorrow."
        start = text.index(phone)
        found += any(r.score >= 0.5 and r.start <= start + 1 and r.end >= start + len(phone) - 1
                     for r in recognizer.analyze(text, []))
    assert found / 150 >= 0.9


def test_us_number_with_extension_and_uk_mobile_need_no_plus() -> None:
    fake = Faker("en_US")
    fake.seed_instance(5)
    recognizer = EuPhoneRecognizer("en", ("LU", "FR", "BE", "DE"))
    for text, value in (("Phone: 916.972.1680x2208", "916.972.1680x2208"), ("call 07700 900 123 today", "07700 900 123")):
        assert any(text[r.start:r.end] == value and r.score >= 0.5 for r in recognizer.analyze(text, [])), text
