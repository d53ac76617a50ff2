"""What an NER model's span is, checked on the span and the words around it, not on the model.

The small spaCy models and our German model tag PERSON/LOCATION on any capitalised phrase. Each check
below fixes one kind of misreading seen on text nobody here wrote (a place tagged as a person, a law
cited by number, a court's own-language name in brackets, a title inside or at the edge of a name, a
street); `checked_entity` applies them in order to every entity the model returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from spacy.lang.de.stop_words import STOP_WORDS as GERMAN_STOP_WORDS

from detectors.german_nouns import noun_forms, used_as_common_noun
from detectors.names import (HONORIFICS, INSTITUTION_WORDS, ROLE_WORDS, given_names, in_thing_name, is_country,
                             is_honorific, place_names, street_words, surnames)

# Labels of identifiers and document kinds, never a place or a person.
IDENTIFIER_WORDS = frozenset({"iban", "bic", "rib", "tva", "vat", "ssn", "nir", "avs", "ahv", "bsn", "pesel", "siret",
                              "siren", "ccss", "cns", "cv", "pdf", "ust-idnr", "idnr"})


@dataclass(frozen=True)
class NerEntity:
    """An NER span in full-text offsets; quacks like the spaCy `Span` Presidio's SpacyRecognizer reads."""

    label_: str
    start_char: int
    end_char: int


def checked_entity(text: str, entity: NerEntity, language: str, windowed: bool) -> NerEntity | None:
    """The entity as it stands in `text` (relabelled or trimmed), or None when it is no name or place."""
    entity = _place_not_person(text, entity)
    if _no_name_shape(text, entity) or windowed and _sentence_initial_unknown_word(text, entity):
        return None
    if language != "de" and _german_noun_abroad(text, entity):
        return None
    if language == "de":
        entity = _without_leading_function_words(text, entity)
        entity = entity and _german_name_part(text, entity)
        if entity is None or _german_common_noun(text, entity):
            return None
    if entity.label_ == "LOCATION" and is_country(text[entity.start_char:entity.end_char]):
        return None  # a country in prose is no one's place (residence phrases: personal_place)
    if text[entity.start_char:entity.end_char].casefold() in IDENTIFIER_WORDS:
        return None  # "versé sur l'IBAN …": the small models tag these acronyms as places
    entity = _from_trailing_title(text, _without_leading_titles(text, entity))
    if _role_word_only(text, entity):
        entity = _name_after_title(text, entity)
    return None if entity is None or _street_name(text, entity) else entity


def _sentence_initial_unknown_word(text: str, entity: NerEntity) -> bool:
    """A one-word PERSON at the start of a sentence that no name list knows: the small models' most
    frequent false positive (any capitalised word there looks like a name to them)."""
    if entity.label_ != "PERSON":
        return False
    word = text[entity.start_char:entity.end_char]
    if " " in word or "-" in word:
        return False
    before = text[:entity.start_char].rstrip()
    if before and before[-1] not in ".!?:;\n\"«»":
        return False
    key = word.casefold()
    return key not in given_names() and key not in surnames()


_NUMBERED = re.compile(r"\s*(?:no|nos|nr|n°|nº|number|nummer|numéro)\.?\s*\d", re.IGNORECASE)


def _no_name_shape(text: str, entity: NerEntity) -> bool:
    """A PERSON with no capital letter ("brought"), or one a number label follows ("Law no. 466",
    "Decree Nr. 12"): a reference to a text, not a name."""
    if entity.label_ != "PERSON":
        return False
    value = text[entity.start_char:entity.end_char]
    return not any(c.isupper() for c in value) or _NUMBERED.match(text, entity.end_char) is not None \
        or _organisation_gloss(text, entity) or in_thing_name(text, entity.start_char)


_BEFORE_GLOSS = re.compile(r"([^\W\d_]+)\s*\(\s*[\"“«„]?$")


def _organisation_gloss(text: str, entity: NerEntity) -> bool:
    """"the District Court (Sąd Rejonowy)": a name in brackets right after an institution word is that
    institution's name in its own language."""
    m = _BEFORE_GLOSS.search(text, max(0, entity.start_char - 40), entity.start_char)
    return m is not None and m.group(1).casefold() in INSTITUTION_WORDS and text[entity.end_char:].lstrip(
        "\"”»“ ").startswith(")")


def _place_not_person(text: str, entity: NerEntity) -> NerEntity:
    """A PERSON that is only known place names ("Rostock", "Frankreich") and no known name is a place."""
    words = text[entity.start_char:entity.end_char]
    if entity.label_ != "PERSON" or not (is_country(words) or words.casefold() in place_names()):
        return entity
    if any(w.casefold() in given_names() or w.casefold() in surnames() for w in words.split()):
        return entity
    return NerEntity("LOCATION", entity.start_char, entity.end_char)


# Endings of German abstract and collective nouns ("Konsequenz", "Mythologie", "Arbeitsplätze"): German
# capitalises them, and a lone one is the German model's most frequent false name.
_GERMAN_NOUN_ENDING = re.compile(r"(?:ung|ungen|heit|keit|schaft|ion|ionen|tät|nis|tum|ismus|enz|anz|ie|ik|ur|"
                                 r"plätze|platz|gas|ment|ments|werk|wesen|zeug|sport|ball|events?|leute|stoff)$")


_GERMAN_ABSTRACT_ENDING = re.compile(r"(?:ung|ungen|heit|keit|schaft|nis|tum|ismus|tät)$")  # never a place


def _german_common_noun(text: str, entity: NerEntity) -> bool:
    """A one-word PERSON or LOCATION that no name list knows, with a German noun ending or used as a
    common noun (see `detectors.german_nouns`)."""
    word = text[entity.start_char:entity.end_char]
    key = word.casefold()
    if " " in word or key in given_names() or key in surnames():
        return False
    ending = _GERMAN_NOUN_ENDING if entity.label_ == "PERSON" else _GERMAN_ABSTRACT_ENDING
    return bool(ending.search(key)) or entity.label_ == "PERSON" and used_as_common_noun(
        text, entity.start_char, entity.end_char)


def _german_noun_abroad(text: str, entity: NerEntity) -> bool:
    """English or French text quoting a German common noun ("the Finanzamt wrote", "at the Rathaus"):
    the small models take the capitalised foreign word for a name."""
    word = text[entity.start_char:entity.end_char]
    key = word.casefold()
    return entity.label_ == "PERSON" and word in noun_forms() and key not in given_names() and key not in surnames()


def _without_leading_function_words(text: str, entity: NerEntity) -> NerEntity | None:
    """"Gegen Kowalski" → "Kowalski", "Daher" → nothing: a capitalised German function word (a sentence
    starts with it) is not part of a name, unless a name list knows it."""
    start = _start_after(text, entity, text[entity.start_char:entity.end_char].split(), lambda key: (
        key in GERMAN_STOP_WORDS and key not in given_names() and key not in surnames()))
    return NerEntity(entity.label_, start, entity.end_char) if start < entity.end_char else None


def _start_after(text: str, entity: NerEntity, words: list[str], skipped: Callable[[str], bool]) -> int:
    """Where `entity` starts once its leading `words` that are `skipped` (case-folded) are left out."""
    start = entity.start_char
    for word in words:
        if not skipped(word.casefold()):
            break
        start = text.index(word, start) + len(word)
        while start < entity.end_char and text[start].isspace():
            start += 1
    return start


# Lower-case words inside a name: nobiliary and patronymic particles ("Ludwig van Beethoven").
NAME_PARTICLES = frozenset({"von", "van", "zu", "de", "der", "den", "ter", "du", "da", "di", "del", "della", "dos",
                            "le", "la", "al", "el", "bin", "ibn", "ben", "y"})


def _german_name_part(text: str, entity: NerEntity) -> NerEntity | None:
    """The name inside a German PERSON span that runs on into the sentence.

    "Kraus am Bahnhof" → "Kraus" (a lower-case word that is no particle ends a name); "Nordlicht Kino",
    "Rapid Werkstatt" → nothing (a name ending in a common noun names a thing, unless a given name or a
    title starts it: "Anna Bäcker"); "Krolls Vorschlag" → "Krolls" (an owner in the genitive)."""
    if entity.label_ != "PERSON":
        return entity
    end = entity.end_char
    for m in re.finditer(r"\S+", text[entity.start_char:entity.end_char]):
        if m.start() and m.group(0)[:1].islower() and m.group(0) not in NAME_PARTICLES:
            end = entity.start_char + m.start()
            break
    words = text[entity.start_char:end].split()
    end = entity.start_char + len(text[entity.start_char:end].rstrip())
    entity = NerEntity(entity.label_, entity.start_char, end)
    if len(words) < 2 or words[-1] not in noun_forms() or words[-1].casefold() in surnames():
        return entity
    first = words[0].rstrip(".").casefold()
    if first in given_names() or first in HONORIFICS or first in ROLE_WORDS or len(first) == 1:
        return entity  # "Anna Bäcker", "Dr. Sommer", "E. Sommer"
    if len(words) == 2 and first.endswith("s"):
        return NerEntity(entity.label_, entity.start_char, entity.start_char + len(words[0]))
    return None


_LEADING_WORDS = frozenset({"ihr", "ihre", "sein", "seine", "unser", "unsere", "mein", "meine", "der", "die", "das",
                            "dem", "den", "des", "his", "her", "our", "my", "the", "son", "sa", "notre", "le", "la"})


def _without_leading_titles(text: str, entity: NerEntity) -> NerEntity:
    """"Ihr Kollege Thomas" → "Thomas": determiners and role nouns before a name are not part of it."""
    if entity.label_ != "PERSON":
        return entity
    start = _start_after(text, entity, text[entity.start_char:entity.end_char].split()[:-1],
                         lambda key: key in _LEADING_WORDS or key in ROLE_WORDS)
    return NerEntity(entity.label_, start, entity.end_char)


def _from_trailing_title(text: str, entity: NerEntity) -> NerEntity:
    """"Cour a entendu M" (then ". Brandt"): words before a title that ends the span are not a name; the
    span restarts at the title, which then grows over the name after it."""
    words = text[entity.start_char:entity.end_char].split()
    if entity.label_ != "PERSON" or len(words) < 2 or not is_honorific(words[-1]):
        return entity
    return NerEntity(entity.label_, entity.end_char - len(words[-1]), entity.end_char)


def _role_word_only(text: str, entity: NerEntity) -> bool:
    """A PERSON that is only an honorific or a kinship/role noun ("Frau", "Sohn", "Herr Dr."): it points
    at a person but names nobody (EHRI's labels include these; the trained model learnt them)."""
    if entity.label_ != "PERSON":
        return False
    words = [w.strip(".,").casefold() for w in text[entity.start_char:entity.end_char].split()]
    return all(w in HONORIFICS or w in ROLE_WORDS for w in words)


# After a title: initials ("S . ", "J.-P. ") then one or two capitalised words.
_NAME_AFTER_TITLE = re.compile(r"(?:\s*\.)?(?:\s+[A-ZÀ-Þ](?:\s?\.|-[A-ZÀ-Þ]\s?\.))*\s+[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’\-]+"
                               r"(?:\s+[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’\-]+)?")


def _name_after_title(text: str, entity: NerEntity) -> NerEntity | None:
    """A title-only PERSON ("M", "Frau", "Sohn") grows over the name that follows it ("M . S . Creighton");
    with no name after it, it is dropped."""
    m = _NAME_AFTER_TITLE.match(text, entity.end_char)
    if m is None or m.group(0).split()[-1].casefold() in HONORIFICS | ROLE_WORDS:
        return None
    return NerEntity(entity.label_, entity.start_char, m.end())


_HOUSE_NUMBER = re.compile(r"\d+[a-zA-Z]?,?\s*$")


def _street_name(text: str, entity: NerEntity) -> bool:
    """A PERSON that is a street: after a house number ("1461 Melanie Alley") or ending in a street word."""
    if entity.label_ != "PERSON":
        return False
    words = text[entity.start_char:entity.end_char].split()
    if words and words[-1].rstrip(".").casefold() in street_words():
        return True
    following = text[entity.end_char:entity.end_char + 20].split()
    if following and following[0].rstrip(".,").casefold() in street_words():
        return True
    return bool(_HOUSE_NUMBER.search(text[max(0, entity.start_char - 12):entity.start_char]))
