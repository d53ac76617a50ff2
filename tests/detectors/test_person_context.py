"""Judgement on NER in free text: names in prose about things do not make a document personal; names with
person context, identifiers next to them or several full names do. Synthetic (Faker) texts of each kind."""

from __future__ import annotations

import pytest

from scanner.models import TextSample

from detectors.engine import Span
from detectors.person_context import full_name, judge_spans, looks_like_personal_name


def entities(detector, text: str, field: str | None = None) -> set[str]:
    return {f.entity for f in detector.detect([TextSample("file:///doc", field, text)], "src")}


def test_prose_about_things_has_no_person_or_place(detector, faker):
    city, country = faker.city(), faker.country()
    park = f"{faker.first_name()} {faker.first_name()} National Park"
    texts = [
        f"Exotic tour. Day 1: arrival in {city}. Day 2: {park} and the beaches of {country}.",
        f"Rules of the game. Put the Golden {faker.word().title()} tile on the Silver Lake tile, then travel to {city}.",
        f"The {faker.word().title()} lamp ships from {city}, {country}. Weight {faker.random_int(2, 9)} kg.",
    ]
    for text in texts:  # a paragraph: enough text to judge what it is about
        text = f"{text} {faker.paragraph(4)}"
        assert not {"PERSON", "LOCATION"} & entities(detector, text), text


def test_names_with_person_context_count(detector, faker):
    first, other = faker.first_name_female(), faker.first_name_male()
    text = f"{first} and {other} are a married couple. {first} is aged {faker.random_int(30, 80)}."
    assert "PERSON" in entities(detector, text)
    name = f"{faker.first_name()} {faker.last_name()}"
    assert "PERSON" in entities(detector, f"Name: {name}\nSigned: {faker.date()}")


def test_a_name_next_to_an_identifier_counts(detector, faker):
    name = f"{faker.first_name()} {faker.last_name()}"
    found = entities(detector, f"Project lead {name} ({faker.user_name()}@{faker.domain_name()})")
    assert {"PERSON", "EMAIL_ADDRESS"} <= found


def test_places_count_only_in_text_about_people(detector, faker):
    city = "Luxembourg"
    assert "LOCATION" not in entities(detector, f"The conference takes place in {city} this spring.")
    person = f"{faker.first_name()} {faker.last_name()}"
    assert "LOCATION" in entities(detector, f"Dear {person}, you were born in {city} and live there with your wife.")


def test_full_name_shape(faker):
    assert full_name("Jane Miller"), "given name + surname"
    assert not full_name(f"{faker.first_name()} {faker.first_name()} National Park"), "a park, not a person"
    assert not full_name("Grant Writing"), "a given name before a word that is no surname"
    assert not full_name("Paul"), "one word is not a full name"


def test_metadata_names(faker):
    assert looks_like_personal_name("Grace Hopper")
    assert not looks_like_personal_name(f"{faker.last_name()} State University")
    assert not looks_like_personal_name(faker.first_name()), "a first name alone"
    assert not looks_like_personal_name(faker.user_name()), "a login"
    assert not looks_like_personal_name(f"Office of {faker.word().title()} Programs")


def test_metadata_location_is_a_misreading_and_an_organisation_is_no_person(faker):
    first = faker.first_name()
    spans = [Span("LOCATION", 0, len(first), 0.85, "spacy"), Span("PERSON", 0, len(first), 0.85, "spacy")]
    assert judge_spans("meta:author", first, spans) == []
    org = f"{faker.last_name()} State University"
    assert judge_spans("meta:last_modified_by", org, [Span("PERSON", 0, len(org), 0.6, "g")]) == []


def test_numbers_in_statistics_are_no_phones_without_people():
    text = "Region 7.1 412,907 North\nSee section 4.2.1.3 and pages 117-129.\nOffice: +352 26 12 34 56"

    def span(value: str, entity: str, score: float) -> Span:
        return Span(entity, text.index(value), text.index(value) + len(value), score, "test")

    spans = [span("7.1 412", "PHONE_NUMBER", 0.55), span("4.2.1.3", "IP_ADDRESS", 0.6),
             span("117-129", "PHONE_NUMBER", 0.55), span("+352 26 12 34 56", "PHONE_NUMBER", 0.75)]
    kept = judge_spans(None, text, spans)
    assert [text[s.start:s.end] for s in kept] == ["+352 26 12 34 56"]  # a phone with context stays


def test_organisational_mailbox_alone_is_not_about_people(detector, faker):
    domain = faker.domain_name()
    text = f"Subscribe to our newsletter: info@{domain}. Available in {faker.country()}."
    assert not {"EMAIL_ADDRESS", "LOCATION"} & entities(detector, text)
    text = f"Questions? Write to {faker.first_name().lower()}.{faker.last_name().lower()}@{domain}."
    assert "EMAIL_ADDRESS" in entities(detector, text)


def test_headers_and_columns_are_not_judged(detector, faker):
    name = faker.name()
    assert "PERSON" in entities(detector, name, field="header:from")


def test_a_short_text_keeps_a_known_name_without_context(faker):
    """One sentence says nothing about what a document is about: a name there is reported as the detector found
    it (a public figure is a person too); the same name in a paragraph about things is judged and dropped."""
    surname = faker.last_name()
    short = f"A law that {surname} signed last year takes effect today."
    span = Span("PERSON", short.index(surname), short.index(surname) + len(surname), 0.85, "spacy")
    assert judge_spans(None, short, [span]) == [span]
    filler = " ".join(f"The {faker.word()} tile goes on the {faker.word()} square." for _ in range(12))
    long = f"{filler} A rule that {surname} wrote lets a player move twice."
    start = long.index(f"that {surname}") + 5
    assert judge_spans(None, long, [Span("PERSON", start, start + len(surname), 0.85, "spacy")]) == []


@pytest.mark.parametrize("written", ["{t} {i}. {s}", "{t} . {i} . {s}", "{t}. {i}.-{j}. {s}"])
def test_a_title_and_initials_before_a_surname_name_someone(faker, written):
    """`Mr K. Dalby`, `M . K . Dalby` (tokenised text), `Dr. K.-J. Dalby`: the title stands before the initials,
    not right before the surname, and the surname is in no list; the text around is about things."""
    surname = faker.lexify("?????").title()
    name = written.format(t=faker.random_element(["Mr", "M", "Dr", "Mme"]), i=faker.random_uppercase_letter(),
                          j=faker.random_uppercase_letter(), s=surname)
    filler = " ".join(f"The {faker.word()} report covers the {faker.word()} budget." for _ in range(4))
    text = f"{filler} The file was sent by {name} of the {faker.word()} office."
    start = text.index(name)
    span = Span("PERSON", start, start + len(name), 0.85, "spacy")
    assert judge_spans(None, text, [span]) == [span]
    inner = Span("PERSON", text.index(surname), text.index(surname) + len(surname), 0.75, "gazetteer")
    assert judge_spans(None, text, [inner]) == [inner]


def test_full_stops_after_initials_and_titles_end_no_sentence(faker):
    """One sentence naming `M . K . Dalby` (five full stops) is still one sentence: too short to judge, so the
    detector's name counts as found."""
    surname = faker.lexify("??????").title()
    text = f"Le dossier a été transmis par M . {faker.random_uppercase_letter()} . {surname} , conseil , à Paris ."
    start = text.index(surname)
    span = Span("PERSON", start, start + len(surname), 0.75, "spacy")
    assert judge_spans(None, text, [span]) == [span]


def test_a_person_span_ending_in_a_title_restarts_at_the_title(faker):
    """spaCy sometimes tags `Cour a entendu M` (then `. Dalby`): the name is the title and what follows it."""
    from detectors.ner_spans import NerEntity, _from_trailing_title

    surname = faker.last_name()
    text = f"La Cour a entendu M . {surname} et Mme {faker.last_name()} ."
    entity = _from_trailing_title(text, NerEntity("PERSON", text.index("Cour"), text.index(" . ")))
    assert text[entity.start_char:entity.end_char] == "M"
    unchanged = NerEntity("PERSON", text.index(surname), text.index(surname) + len(surname))
    assert _from_trailing_title(text, unchanged) == unchanged


def test_a_letter_code_before_a_word_is_no_title(faker):
    """A menu's `|M 2|X: Dish` (menu 2, a diet mark): `M` and `X` are codes, not a title and an initial."""
    lines = [f"{faker.day_of_week()}:|M {n}|X: {faker.word().title()} mit {faker.word().title()} A,C,G,|"
             for n in (1, 2) for _ in range(4)]
    text = "\n".join(lines)
    dish = text.index("X: ") + 3
    span = Span("PERSON", dish, text.index(" mit", dish), 0.6, "de_ner")
    assert judge_spans(None, text, [span]) == []
