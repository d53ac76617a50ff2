"""PERSON failure kinds found on held-out text, one test each, with Faker names."""

from __future__ import annotations

import pytest
from faker import Faker

from detectors.names import NATIONALITY_WORDS, given_names, surnames
from detectors.recognizers.gazetteer_person_recognizer import GazetteerPersonRecognizer


def _faker(locale: str, seed: int) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


def _persons(text: str, language: str = "en") -> list[str]:
    return [text[r.start:r.end] for r in GazetteerPersonRecognizer(language).analyze(text, ["PERSON"])]


@pytest.mark.parametrize("word", sorted(NATIONALITY_WORDS))
def test_a_nationality_word_is_not_a_name(word: str) -> None:
    word = word.capitalize()
    assert _persons(f"The {word} authorities handed the list to the {word} Minister here.") == []


@pytest.mark.parametrize("text", ["It was approved on 1st May , which rules it.", "In June 1995 he bought water.",
                                  "a small number of Christian households", "ein Gewinn von 654 Mio Euro"])
def test_a_month_faith_or_unit_alone_is_not_a_name(text: str) -> None:
    assert _persons(text) == []


def test_a_month_like_given_name_before_a_known_surname_is_a_name() -> None:
    fake = _faker("en_US", 4)
    for _ in range(20):
        last = fake.last_name()
        if last.casefold() not in surnames() or last.casefold() in given_names():
            continue
        assert _persons(f"Yesterday May {last} signed it.") == [f"May {last}"]


@pytest.mark.parametrize("locale, frame", [
    ("fr_FR", "Les débats reprirent devant le juge {} , qui statua."),
    ("fr_FR", "Le sergent {} et quatre autres policiers furent chargés."),
    ("en_GB", "The second decree of the governor , lieutenant {} , specifies the rules."),
    ("en_GB", "Lord Justice {} concluded as follows."),
])
def test_a_title_or_rank_before_a_surname_marks_a_person(locale: str, frame: str) -> None:
    fake = _faker(locale, 11)
    for _ in range(15):
        last = fake.last_name()
        assert last in _persons(frame.format(last), locale[:2]), last


@pytest.mark.parametrize("text", ["General Disarmament will now be implemented by the Military.",
                                  "the Jews ruled by the General Government are suffering",
                                  "On 17 May the General Directorate of National Roads paid the applicant."])
def test_a_title_before_an_institution_word_is_not_a_person(text: str) -> None:
    assert _persons(text) == []


def test_initials_before_a_surname_mark_a_person() -> None:
    fake = _faker("en_GB", 12)
    for _ in range(15):
        last = fake.last_name()
        initial = fake.random_uppercase_letter()
        for text, name in ((f"{initial} . {last} , conseil ,", f"{initial} . {last}"),
                           (f"représenté par M . {initial} . {last} , avocat", f"{initial} . {last}"),
                           (f"signed by {initial}. {last}, solicitor.", f"{initial}. {last}")):
            assert name in _persons(text, "fr"), text


@pytest.mark.parametrize("heading", ["A. Arrest and detention of the applicant", "B. Proceedings on appeal",
                                     "C. Imposition of the special regime"])
def test_a_lettered_heading_is_not_a_person(heading: str) -> None:
    assert _persons(heading) == []


def test_titles_in_german_need_a_known_name() -> None:
    fake = _faker("de_DE", 13)
    assert _persons("Präsident Frankreichs wurde gewählt.", "de") == []
    last = next(n for n in iter(fake.last_name, None) if n.casefold() in surnames())
    assert last in _persons(f"Der Richter {last} verkündete das Urteil.", "de")


def test_a_given_name_followed_by_a_given_name_that_is_also_a_surname_is_a_name() -> None:
    fake = _faker("de_DE", 14)
    both = sorted(n for n in given_names() & surnames() if n.isalpha() and n.isascii() and len(n) > 3)
    for _ in range(20):
        first, second = fake.first_name(), fake.random_element(both).capitalize()
        if first.casefold() in surnames() or not first.isalpha():
            continue
        text = f"Der Ständerat {first} {second} lanciert die Debatte ."
        assert f"{first} {second}" in _persons(text, "de"), text
