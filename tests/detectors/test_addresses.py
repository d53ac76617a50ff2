"""Street addresses (EU/US forms) and places bound to a person, on Faker values of many locales."""

from __future__ import annotations

import pytest
from faker import Faker

from detectors.recognizers.personal_place_recognizer import PersonalPlaceRecognizer
from detectors.recognizers.street_address_recognizer import StreetAddressRecognizer

ADDRESS_LOCALES = ("de_DE", "de_AT", "de_CH", "fr_FR", "it_IT", "es_ES", "pl_PL", "nl_NL", "nl_BE", "en_US",
                   "pt_PT", "fr_CH")


@pytest.mark.parametrize("locale", ADDRESS_LOCALES)
def test_street_addresses_of_each_locale_are_found(locale: str) -> None:
    fake = Faker(locale)
    fake.seed_instance(42)
    recognizer = StreetAddressRecognizer("en")
    found = total = 0
    for i in range(40):
        address = fake.street_address()
        if not any(c.isdigit() for c in address):
            continue  # "chemin de Turpin": no house number, not claimed by this rule
        if i % 2:
            address += f", {fake.postcode()} {fake.city()}"
        text = f"Die Unterlagen gehen an {address}. Danke."
        start = text.index(address)
        total += 1
        found += any(r.start <= start + 2 and r.end >= start + len(address) // 2
                     for r in recognizer.analyze(text, []))
    assert found / total >= 0.9, (locale, found, total)


@pytest.mark.parametrize("text", [
    "The application (no. 4027/05) was lodged on 12 May 2003.",
    "Article 6 § 1 of the Convention was violated in 2 cases.",
    "He was ordered to pay 6 850 000 SEK plus 25 000 EUR in costs.",
    "Wir haben 25 Mitarbeiter in 3 Abteilungen und 2 Standorten.",
    "Das Haus in der Bahnhofstraße wurde 1905 gebaut.",
    "Version 2.3 Release Notes: 14 Bug Fixes",
])
def test_numbers_that_are_not_addresses(text: str) -> None:
    assert StreetAddressRecognizer("en").analyze(text, []) == []


def test_country_prefixed_postal_line_is_an_address() -> None:
    fake = Faker("de_DE")
    fake.seed_instance(1)
    city = fake.city()
    text = f"Anschrift: D-{fake.postcode()} {city}"
    results = StreetAddressRecognizer("de").analyze(text, [])
    assert results and text[results[0].start:results[0].end].endswith(city)


@pytest.mark.parametrize("language, frame", [
    ("en", "My colleague lives in {} with her family."),
    ("en", "She moved here from {} last year."),
    ("en", "He was born in {} and studied law."),
    ("fr", "Mme Martin, née à {}, a rejoint l'équipe."),
    ("fr", "Le salarié, domicilié à {}, a signé."),
    ("de", "Der Mieter, wohnhaft in {}, hat gekündigt."),
    ("de", "Sie ist vor zwei Jahren nach {} gezogen."),
])
def test_place_bound_to_a_person_is_a_location(language: str, frame: str) -> None:
    fake = Faker({"en": "en_GB", "fr": "fr_FR", "de": "de_DE"}[language])
    fake.seed_instance(7)
    for _ in range(10):
        city = fake.city()
        text = frame.format(city)
        if "gezogen" in frame:
            text = f"Sie ist vor zwei Jahren von Bonn nach {city} gezogen."
        start = text.index(city)
        results = PersonalPlaceRecognizer(language).analyze(text, [])
        assert any(r.start == start and r.end == start + len(city) for r in results), text


def test_place_in_capitals_after_a_residence_phrase() -> None:
    fake = Faker("fi_FI")
    fake.seed_instance(3)
    city = fake.city().upper()
    text = f"My friend lives in {city}."
    results = PersonalPlaceRecognizer("en").analyze(text, [])
    assert [text[r.start:r.end] for r in results] == [city]


@pytest.mark.parametrize("language, text", [
    ("en", "The talks were held in Geneva on Monday."),
    ("en", "He was born in May 1980."),
    ("en", "She lives in the moment."),
    ("fr", "La réunion a eu lieu à Bruxelles."),
    ("de", "Der Vertrag wurde in Berlin unterzeichnet."),
])
def test_places_not_bound_to_a_person_are_left_alone(language: str, text: str) -> None:
    assert PersonalPlaceRecognizer(language).analyze(text, []) == []


def test_a_german_town_name_is_a_place_only_after_a_place_preposition() -> None:
    from detectors.names import place_names
    from detectors.recognizers.gazetteer_location_recognizer import GazetteerLocationRecognizer

    fake = Faker("de_DE")
    fake.seed_instance(9)
    recognizer = GazetteerLocationRecognizer("de")
    for _ in range(20):
        city = fake.city()
        if " " in city or city.casefold() not in place_names():
            continue
        assert recognizer.analyze(f"Gestern {city} gesehen und gelacht.", []) == []  # "Essen", "Zug", "Berg"
        found = recognizer.analyze(f"Sie wohnt seit Mai in {city} und arbeitet dort.", [])
        assert [(r.entity_type, r.start) for r in found] == [("LOCATION", 22)], city
