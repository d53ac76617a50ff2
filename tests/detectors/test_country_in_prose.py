"""A country in a news sentence is no one's place; the country a person lives in or comes from is."""

from __future__ import annotations

import random

from faker import Faker

from detectors.names import country_names, is_country
from tests.detectors.detector_helpers import entities_in

NEWS = ("Die Regierung von {c} hat am Montag neue Zölle auf Stahl angekündigt .",
        "Die Exporte nach {c} stiegen im dritten Quartal um vier Prozent .",
        "Der Außenminister reiste am Dienstag zu Gesprächen nach {c} .")


def _countries(n: int, seed: int) -> list[str]:
    fake = Faker("de_DE")
    fake.seed_instance(seed)
    out: list[str] = []
    while len(out) < n:
        country = fake.country()
        if " " not in country and "-" not in country:
            out.append(country)
    return out


def test_countries_in_news_sentences_are_not_locations(detector) -> None:
    rng = random.Random(3)
    reported = []
    for country in _countries(30, 5):
        text = rng.choice(NEWS).format(c=country)
        reported += [value for entity, value in entities_in(detector, text, "de")
                     if entity == "LOCATION" and country in value]
    assert reported == []


def test_the_country_a_person_lives_in_is_a_location(detector) -> None:
    fake = Faker("de_DE")
    fake.seed_instance(6)
    for country in _countries(10, 7):
        text = f"{fake.name()} ist seit 2019 wohnhaft in {country} ."
        assert ("LOCATION", country) in entities_in(detector, text, "de"), text


def test_genitive_and_wide_areas_count_as_countries() -> None:
    assert "europa" in country_names()
    assert is_country("Kanadas") and is_country("Vereinigte  Staaten")
    assert not is_country("Esch-sur-Alzette")


def test_an_identifier_label_is_not_a_place(detector, faker) -> None:
    for _ in range(5):
        iban = faker.iban()
        text = f"Le remboursement sera versé sur l'IBAN {iban} au nom de {faker.name()}."
        assert ("LOCATION", "IBAN") not in entities_in(detector, text, "fr")
