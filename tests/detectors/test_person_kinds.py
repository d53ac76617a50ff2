"""PERSON failure kinds found on held-out text, one test each, with Faker names."""

from __future__ import annotations

import random

import pytest
from faker import Faker

from detectors.german_nouns import noun_forms
from detectors.names import NATIONALITY_WORDS, given_names, surnames
from detectors.ner_spans import _GERMAN_NOUN_ENDING, NerEntity, _no_name_shape, _place_not_person, checked_entity
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


# spaCy PERSON spans that are no name, whatever the model says (checked on the span, not the model)


def _entity(text: str, value: str, label: str = "PERSON") -> NerEntity:
    return NerEntity(label, text.index(value), text.index(value) + len(value))


def test_a_known_town_tagged_as_a_person_is_a_place() -> None:
    fake = _faker("de_DE", 11)
    town = next(c for c in (fake.city() for _ in range(50)) if " " not in c and c.casefold() not in surnames()
                and c.casefold() not in given_names())
    text = f"Der Verein zog im Sommer nach {town} um ."
    assert _place_not_person(text, _entity(text, town)).label_ == "LOCATION"
    name = fake.last_name()
    text = f"Der Vertrag wurde von {name} unterschrieben ."
    assert _place_not_person(text, _entity(text, name)).label_ == "PERSON"


@pytest.mark.parametrize("frame", ["He sued under {w} no. {n} of that year.", "Nach {w} Nr. {n} gilt das nicht.",
                                   "En vertu du {w} n° {n} , la demande est rejetée."])
def test_a_word_before_a_number_label_is_a_reference_not_a_name(frame: str) -> None:
    fake = _faker("en_GB", 5)
    word = fake.last_name()
    text = frame.format(w=word, n=fake.random_int(10, 9999))
    assert _no_name_shape(text, _entity(text, word))
    text = f"The report by {word} was filed in {fake.random_int(1990, 2020)}."
    assert not _no_name_shape(text, _entity(text, word))


def test_a_lower_case_word_is_no_name() -> None:
    text = "On that day he brought the papers to the office."
    assert _no_name_shape(text, _entity(text, "brought"))


@pytest.mark.parametrize("institution", ["District Court", "Ministry", "Regional Council", "Chamber"])
def test_a_name_in_brackets_after_an_institution_is_its_own_name(institution: str) -> None:
    fake = _faker("pl_PL", 3)
    gloss = f"{fake.last_name()} {fake.last_name()}"
    text = f"On {fake.date()} the {fake.city()} {institution} ({gloss}) dismissed the appeal."
    assert _no_name_shape(text, _entity(text, gloss))
    text = f"The appeal was lodged by the applicant ({gloss}) on {fake.date()}."
    assert not _no_name_shape(text, _entity(text, gloss))


def test_a_name_after_a_capitalised_word_and_of_names_a_thing() -> None:
    """"the Star of David", "the Bank of England": after `<Capitalised> of` a given name is part of a thing's
    name; after a title or kinship word ("Minister of …", "Son of …") it is not decided here."""
    from detectors.names import in_thing_name

    fake = _faker("en_GB", 9)
    name = fake.first_name()
    thing = f"They wore the {fake.word().title()} of {name} on their coats."
    assert in_thing_name(thing, thing.index(name))
    assert "PERSON" not in {r.entity_type for r in GazetteerPersonRecognizer("en").analyze(thing, ["PERSON"])}
    for head in ("Son", "Minister"):
        text = f"The {head} of {name} arrived."
        assert not in_thing_name(text, text.index(name))
    text = f"Ein von {fake.last_name()} unterschriebener Brief."
    assert not in_thing_name(text, text.index("von") + 4)


def test_a_given_name_and_a_month_before_a_number_are_a_date() -> None:
    fake = _faker("en_US", 4)
    """"Till May 1943 …": `May` is also a known surname, but before a year it is the month."""
    assert "may" in surnames()
    first = next(n for n in (fake.first_name() for _ in range(200)) if n.casefold() in given_names() and n != "May")
    text = f"{first} May {fake.random_int(1900, 2020)} the office moved."
    assert _persons(text) == []
    assert _persons(f"The letter from {first} May arrived.") == [f"{first} May"]


# German: our own NER model tags capitalised common nouns as names (German capitalises every noun).

def _german(text: str, span: str) -> str | None:
    start = text.index(span)
    entity = checked_entity(text, NerEntity("PERSON", start, start + len(span)), "de", windowed=False)
    return None if entity is None else text[entity.start_char:entity.end_char]


def _lexicon_nouns(plural_only: bool, n: int = 20) -> list[str]:
    """Common nouns of the shipped Wiktionary list that no name list knows and no noun ending gives away
    (those never were names: `_GERMAN_NOUN_ENDING`), seeded sample."""
    forms = sorted(f for f, p in noun_forms().items() if p is plural_only and "-" not in f and len(f) > 4
                   and f.casefold() not in given_names() and f.casefold() not in surnames()
                   and not _GERMAN_NOUN_ENDING.search(f.casefold()))
    return random.Random(7).sample(forms, n)


@pytest.mark.parametrize("frame", ["Er vergrub {det} {noun} im Garten .", "Links {det} {noun} stand nichts ."])
@pytest.mark.parametrize("det", ["die", "des", "meine", "ein alter", "im"])
def test_a_german_noun_after_an_article_or_adjective_is_no_name(frame: str, det: str) -> None:
    for noun in _lexicon_nouns(plural_only=False):
        text = frame.format(det=det, noun=noun)
        assert _german(text, noun) is None, text


@pytest.mark.parametrize("frame", ["{noun} wurde 1943 verhaftet .", "Danach sagte {noun} nichts mehr .",
                                   "Der Scharführer {noun} kam zurück .", "Es schrieb Dr. {noun} ."])
def test_a_noun_that_stands_bare_or_after_a_title_stays_a_name(frame: str) -> None:
    """Surnames are often nouns too: without an article (or after a title) the word is a name."""
    for noun in _lexicon_nouns(plural_only=False):
        text = frame.format(noun=noun)
        assert _german(text, noun) == noun, text


def test_a_plural_only_noun_is_no_name_unless_a_title_introduces_it() -> None:
    for noun in _lexicon_nouns(plural_only=True):
        assert _german(f"Die Forscher zählten {noun} im Labor .", noun) is None
        assert _german(f"Es schrieb Dr. {noun} .", noun) == noun


def test_a_german_span_ends_at_a_lower_case_word_that_is_no_particle() -> None:
    fake = _faker("de_DE", 21)
    for _ in range(15):
        last = fake.last_name()
        assert _german(f"Dann kam {last} am Bahnhof an .", f"{last} am Bahnhof") == last
        assert _german(f"Es sprach Ursula von der {last} .", f"Ursula von der {last}") == f"Ursula von der {last}"


def test_a_german_name_ending_in_a_common_noun_is_a_thing_unless_a_person_starts_it() -> None:
    fake = _faker("de_DE", 22)
    for noun in _lexicon_nouns(plural_only=False, n=10):
        first = fake.first_name()
        assert _german(f"Im Nordlicht {noun} wurde gefeiert .", f"Nordlicht {noun}") is None
        assert _german(f"Gestern kam {first} {noun} an .", f"{first} {noun}") == f"{first} {noun}"
    for _ in range(10):
        last = fake.last_name()
        owner = f"{last}s"
        assert _german(f"Man lobte {owner} Vorschlag sehr .", f"{owner} Vorschlag") == owner


def test_a_capitalised_german_function_word_is_not_part_of_a_name() -> None:
    fake = _faker("de_DE", 23)
    for _ in range(10):
        last = fake.last_name()
        assert _german(f"Gegen {last} wurde lange ermittelt .", f"Gegen {last}") == last
    assert _german("Daher blieb das Haus stehen .", "Daher") is None


@pytest.mark.parametrize("language, frame", [("en", "The order was issued by the {w} last week ."),
                                             ("fr", "La décision du {w} fut publiée hier .")])
def test_a_german_common_noun_quoted_in_english_or_french_is_no_name(language: str, frame: str) -> None:
    fake = _faker("en_GB", 24)
    for noun in _lexicon_nouns(plural_only=False):
        text = frame.format(w=noun)
        start = text.index(noun)
        assert checked_entity(text, NerEntity("PERSON", start, start + len(noun)), language, windowed=False) is None
    for _ in range(10):
        last = fake.last_name()
        text = frame.format(w=last)
        start = text.index(last)
        kept = checked_entity(text, NerEntity("PERSON", start, start + len(last)), language, windowed=False)
        assert kept is not None or last.casefold() not in surnames(), last
