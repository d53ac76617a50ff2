"""The failure kinds found on the typed-identifier set, one test each (values random, stdnum-valid or
one-digit-mutated; MACs and IPs from Faker)."""

from __future__ import annotations

import random

import pytest

from bench.corpus_gen.typed_ids import VAT_SHAPES, TypedId, mutate, typed, valid_iban, valid_national_id, valid_vat
from detectors.recognizers.be_national_number_recognizer import BeNationalNumberRecognizer
from detectors.recognizers.eu_phone_recognizer import EuPhoneRecognizer
from detectors.recognizers.eu_vat_recognizer import EuVatRecognizer
from detectors.recognizers.labelled_national_id_recognizer import LabelledNationalIdRecognizer
from detectors.recognizers.mac_address_recognizer import UngluedMacAddressRecognizer
from detectors.recognizers.spaced_iban_recognizer import SpacedIbanRecognizer


def _spans(recognizer, text: str) -> list[str]:
    return [text[r.start:r.end] for r in recognizer.analyze(text, [])]


@pytest.mark.parametrize("country", sorted(VAT_SHAPES))
@pytest.mark.parametrize("frame", ["VAT {} by Friday.", "We have {} on file.", "USt-IdNr. {} an der Kasse"])
def test_a_short_lower_case_word_after_a_vat_number_is_not_read_into_it(country: str, frame: str) -> None:
    # "CZ08441758 by" compacts to CZ08441758BY: it has the VAT shape, fails the check, and must not hide
    # the valid number before it.
    value = valid_vat(random.Random(country + frame), country)
    assert _spans(EuVatRecognizer("en"), frame.format(value)) == [value]


def test_an_iban_with_few_digits_is_a_candidate() -> None:
    rng = random.Random(5)
    for _ in range(20):
        value = valid_iban(rng, "LV")
        for style in ("compact", "spaces", "country-space", "dots"):
            written = typed(rng, TypedId("IBAN", "LV", value, 2), style)
            assert _spans(SpacedIbanRecognizer("en"), f"IBAN {written} merci") == [written], written


@pytest.mark.parametrize("country", ["SE", "DE", "PL", "ES", "GB"])
def test_a_dotted_iban_is_not_read_as_mac_addresses(country: str) -> None:
    rng = random.Random(country)
    value = TypedId("IBAN", country, valid_iban(rng, country), 2)
    fake = mutate(rng, value)
    for iban_value in (value, fake):
        assert _spans(UngluedMacAddressRecognizer("en"), f"compte: {typed(rng, iban_value, 'dots')}.") == []


def test_a_mac_address_in_a_sentence_is_still_found(faker) -> None:
    for _ in range(20):
        mac = faker.mac_address()
        cisco = mac.replace(":", "")
        cisco = f"{cisco[:4]}.{cisco[4:8]}.{cisco[8:]}"
        for written in (mac, mac.upper().replace(":", "-"), cisco):
            assert _spans(UngluedMacAddressRecognizer("en"), f"Device MAC {written}, port 22.") == [written]


def test_an_ipv4_address_is_never_an_identifier(faker) -> None:
    recognizer = BeNationalNumberRecognizer("en")
    texts = [f"Host {faker.ipv4_public()} connected." for _ in range(3000)]
    assert [t for t in texts if _spans(recognizer, t)] == []


def test_a_piece_of_a_longer_grouped_number_is_not_a_labelled_ssn() -> None:
    rng = random.Random(8)
    recognizer = LabelledNationalIdRecognizer("en")
    for _ in range(30):
        nir = valid_national_id(rng, "FR NIR")
        fake = mutate(rng, TypedId("ID", "FR NIR", nir, 0))
        for style in ("spaces", "hyphens", "dots"):
            written = typed(rng, fake, style)
            assert _spans(recognizer, f"social security number {written}.") == [], written


@pytest.mark.parametrize("country", ["BE", "HU", "DK", "LU", "SI", "PT", "RO", "MT", "FI", "DE", "EL"])
def test_a_vat_look_alike_after_its_country_code_is_not_a_phone(country: str) -> None:
    rng = random.Random(country)
    value = TypedId("VAT", country, valid_vat(rng, country), 2)
    phone = EuPhoneRecognizer("en")
    for _ in range(5):
        fake = mutate(rng, value)
        for style in ("spaces", "hyphens", "dots", "slashes", "parentheses"):
            text = f"TVA : {typed(rng, fake, style)} (voir facture)."
            assert _spans(phone, text) == [], text


@pytest.mark.parametrize("label", ["social security number is", "citizen service number", "burgerservicenummer :",
                                   "steuerliche Identifikationsnummer", "SSN:"])
def test_a_number_after_an_identifier_label_and_filler_words_is_not_a_phone(label: str, faker) -> None:
    phone = EuPhoneRecognizer("en")
    for _ in range(20):
        digits = faker.numerify("#########")
        for written in (f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"{digits[:8]} {digits[8:]}"):
            assert _spans(phone, f"Her {label} {written}, as on the form.") == []


def test_a_phone_number_with_its_phone_word_is_still_a_phone() -> None:
    phone = EuPhoneRecognizer("en")
    assert _spans(phone, "Her phone number is (916) 972-1680, as on the form.") == ["(916) 972-1680"]
    assert _spans(phone, "Tel. +32 2 555 12 34") == ["+32 2 555 12 34"]


def test_a_possible_but_unassigned_number_right_after_a_phone_label_is_a_phone() -> None:
    import phonenumbers

    rng = random.Random(21)
    phone = EuPhoneRecognizer("en")
    tried = 0
    while tried < 15:
        digits = "".join(rng.choice("0123456789") for _ in range(8))
        number = f"+32 {digits[0]} {digits[1:4]} {digits[4:6]} {digits[6:]}"
        parsed = phonenumbers.parse(number)
        if phonenumbers.is_valid_number(parsed) or not phonenumbers.is_possible_number(parsed):
            continue
        tried += 1
        assert _spans(phone, f"Personal info: Phone: {number}  E-mail below") == [number]
        assert _spans(phone, f"The reference {number} was closed.") == []  # no label: an unassigned range is no phone
