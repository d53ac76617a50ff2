"""Table subject: are a table's rows about persons, about things, or can we not tell?

Decided before any column verdict, from the table's name and its columns' names:

* **person**: the table is named for people (`Customers`, `Staff`, `Mitarbeiter`), or it has split name
  columns (`first_name` + `last_name`, `Vorname`, `middle_name`);
* **thing**: the table is named for things (products, jobs, languages, pets, stores, orders, lookup
  tables). A thing table that names a person in a column (`building_manager`, `Founder`,
  `contact_name`) is a **thing with a contact person**: its address and phone describe that person;
* **linked**: rows about something a person has (`Customers_Cards`, `Student_Enrolment`): identifiers and
  contact details count, dates and demographics there are facts about the record, not the person;
* **address**: a table of addresses (`Addresses`), kept apart: person rows point at it;
* **unknown**: anything else (a CSV called `export.csv`): every rule applies as without a subject.

The verdict uses it for the columns whose meaning depends on the row: locations, dates of birth,
gender, job titles, salaries, employment dates, names and free text.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Iterable

from detectors.columns.names import PERSON_NOUNS, THING_NOUNS, names_a_person_role, noun_tokens

_FILE_SUFFIX = re.compile(r"\.(?:csv|tsv|txt|json|jsonl|ndjson|xlsx|xlsm|xls|ods|parquet)$", re.IGNORECASE)
_SPLIT_NAME = re.compile(r"(?:^|_)(?:first_?name|fname|given_?name|forename|prenom|vorname|last_?name|lname|"
                         r"surname|family_?name|nachname|middle_?name)$")
EMPLOYMENT_NOUNS = {"employee", "emp", "staff", "personnel", "worker", "physician", "nurse", "teacher",
                    "professional", "professor", "prof", "instructor", "salarie", "employe", "mitarbeiter",
                    "angestellter", "lehrer", "arzt", "tutor", "lecturer"}

# Last words that keep a table about the person it names (`user_profiles`, `customer_details`).
PERSON_ASPECTS = {"profile", "account", "detail", "info", "data", "record", "master", "list", "directory"}


class Subject(str, enum.Enum):
    PERSON = "person"
    THING = "thing"
    THING_WITH_CONTACT = "thing with a contact person"
    LINKED = "something a person has"
    ADDRESS = "address"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TableSubject:
    subject: Subject
    reason: str
    employment: bool = False  # rows are about staff (employment dates and job codes are HR data)

    @property
    def about_people(self) -> bool:
        return self.subject in (Subject.PERSON, Subject.UNKNOWN, Subject.ADDRESS)


UNKNOWN = TableSubject(Subject.UNKNOWN, "no table context")


def about(subject: TableSubject) -> str:
    """The subject's part of a verdict's `why`."""
    return "" if subject is UNKNOWN else f"; table: {subject.subject.value} ({subject.reason})"


def table_name(location: str) -> str:
    """`…/db.sqlite/main.Customers` -> `Customers`, `file:///x/people.csv` -> `people`."""
    last = re.split(r"[/!]", location.rstrip("/"))[-1]
    if _FILE_SUFFIX.search(last):
        return _FILE_SUFFIX.sub("", last)
    return last.rsplit(".", 1)[-1]


def table_subject(location: str, columns: Iterable[str], sheet: str | None = None) -> TableSubject:
    name = sheet or table_name(location)
    words = noun_tokens(name)
    columns = list(columns)
    split_names = [c for c in columns if _SPLIT_NAME.search(_norm(c))]
    roles = [c for c in columns if names_a_person_role(c) and not _looks_like_key(c)]
    person_words = [w for w in words if w in PERSON_NOUNS]
    employment = any(w in EMPLOYMENT_NOUNS for w in words) or any(
        w in EMPLOYMENT_NOUNS for c in split_names for w in noun_tokens(c))
    if person_words and (words[-1] in PERSON_NOUNS or words[-1] in PERSON_ASPECTS):
        return TableSubject(Subject.PERSON, f"table name '{name}' names people", employment)
    if split_names:
        return TableSubject(Subject.PERSON, f"name columns ({', '.join(split_names[:3])})", employment)
    if person_words:
        return TableSubject(Subject.LINKED, f"table '{name}' holds {words[-1]} records of people")
    if words and ("address" in words or "adresse" in words or "anschrift" in words) and words[-1] not in (
            "type", "code", "ref"):
        return TableSubject(Subject.ADDRESS, f"table '{name}' holds addresses")
    if any(w in THING_NOUNS for w in words):
        if roles:
            return TableSubject(Subject.THING_WITH_CONTACT,
                                f"table '{name}' is about things but names a person ({roles[0]})")
        return TableSubject(Subject.THING, f"table name '{name}' names things")
    return TableSubject(Subject.UNKNOWN, f"table '{name}': no person or thing noun in its name")


def _norm(column: str) -> str:
    return "_".join(noun_tokens(column))


def _looks_like_key(column: str) -> bool:
    words = noun_tokens(column)
    return bool(words) and words[-1] in ("id", "key", "fk", "ref", "code", "no", "nr", "number")
