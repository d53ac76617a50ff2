"""Where does one person's data live? (GDPR Art. 15 access and Art. 17 erasure requests.)

A scan never stores a raw value, only keyed fingerprints (`detectors.fingerprint`): the HMAC of the value
normalised per entity. `locate` answers from those alone: it normalises and fingerprints what the caller
gives with the same function and the same key, and looks the fingerprints up in findings.parquet. The
answer holds the caller's own value and locations, never another value from the estate.

Contract:
- The key must be the scan's: `check_key` refuses (`KeyMismatch`) when its id differs from scan.json's,
  because a different key gives a silent "not found" for everything.
- A finding keeps at most `limits.fingerprints_per_finding` distinct fingerprints. A finding that reached
  that cap and holds the right kind of value is reported as `possible` (the value may be among the ones
  not kept), so "found in N places" is then "found in at least N places".
- Phone numbers are looked up under each spelling a document may use for the same number (E.164,
  `00` international prefix, national form), each normalised the detector's way; other kinds under the
  value as given. Names match on the normalised full name (the detector fingerprints the whole span).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import phonenumbers
import pyarrow as pa
from stdnum import iban as stdnum_iban

from detectors.fingerprint import fingerprint
from scanner.errors import ConfigError

KINDS = ("email", "phone", "iban", "national_id", "name")
# which findings can hold a value of each kind, by their fideslang category (a prefix for national IDs)
_KIND_CATEGORIES: Mapping[str, tuple[str, ...]] = {
    "email": ("user.contact.email",),
    "phone": ("user.contact.phone_number",),
    "iban": ("user.financial.bank_account",),
    "national_id": ("user.government_id.",),
    "name": ("user.name",),
}
FINDING_COLUMNS = ["source", "location", "field", "entity", "category", "fingerprints"]


class KeyMismatch(ConfigError):
    """The fingerprint key at hand is not the one the scan used: every lookup would miss."""


@dataclass(frozen=True)
class Query:
    """One value to look for, as the caller gave it, and the kinds it may be."""

    value: str
    kinds: tuple[str, ...]
    label: str | None = None  # a caller's row id (from --from-file), echoed back


@dataclass(frozen=True)
class Place:
    """One finding that holds the value (`found`) or may hold it (`possible`: its fingerprints were capped)."""

    query: str
    label: str | None
    kind: str
    source: str
    location: str
    field: str | None
    entity: str
    found: bool


@dataclass(frozen=True)
class Answer:
    query: Query
    places: tuple[Place, ...]

    @property
    def found(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.found)

    @property
    def possible(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if not p.found)

    @property
    def at_least(self) -> bool:
        """True when capped findings may hold the value too: the found count is a lower bound."""
        return bool(self.possible)


def key_id(key: bytes) -> str:
    """The short digest of a key that scan.json records (`detection.fingerprint_key_id`)."""
    return hashlib.sha256(key).hexdigest()[:8]


def check_key(key: bytes, summary: Mapping[str, object]) -> None:
    expected = str((summary.get("detection") or {}).get("fingerprint_key_id") or "")  # type: ignore[union-attr]
    if not expected:
        raise KeyMismatch("scan.json records no fingerprint key id: cannot tell whether this key is the scan's")
    if key_id(key) != expected:
        raise KeyMismatch(
            f"the fingerprint key here (id {key_id(key)}) is not the one this scan used (id {expected}); "
            "set the scan's key in POLICYSCAN_HMAC_KEY (or the variable given with --key-env)")


def guess_kinds(value: str, countries: Sequence[str] = ()) -> tuple[str, ...]:
    """What a value given with `--type auto` may be, from its shape alone."""
    text = value.strip()
    if "@" in text:
        return ("email",)
    compact = "".join(text.split()).upper()
    if compact[:2].isalpha() and stdnum_iban.is_valid(compact):
        return ("iban",)
    digits = sum(c.isdigit() for c in text)
    if digits == 0:
        return ("name",)
    kinds = ["national_id"]
    if phone_spellings(text, countries) != (text,):
        kinds.insert(0, "phone")
    return tuple(kinds)


def phone_spellings(value: str, countries: Sequence[str] = ()) -> tuple[str, ...]:
    """The value plus the other spellings of the same number (E.164, 00-prefix, national)."""
    spellings = [value]
    for region in (None, *countries):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_possible_number(number):
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        spellings += [e164, "00" + e164[1:], national]
        break
    return tuple(dict.fromkeys(spellings))


def _fits(kind: str, category: str) -> bool:
    return any(category == c or (c.endswith(".") and category.startswith(c)) for c in _KIND_CATEGORIES[kind])


def locate(findings: pa.Table, queries: Iterable[Query], key: bytes, *, cap: int | None,
           countries: Sequence[str] = ()) -> list[Answer]:
    """Look every query up in a findings table (findings.parquet's columns `FINDING_COLUMNS`)."""
    rows = findings.select(FINDING_COLUMNS).to_pylist()
    answers = []
    for query in queries:
        places: list[Place] = []
        for kind in query.kinds:
            spellings = phone_spellings(query.value, countries) if kind == "phone" else (query.value,)
            wanted: dict[str, set[str]] = {}  # entity -> fingerprints of every spelling
            for row in rows:
                if not _fits(kind, row["category"] or ""):
                    continue
                entity = row["entity"]
                if entity not in wanted:
                    wanted[entity] = {fingerprint(s, entity, key) for s in spellings}
                stored = row["fingerprints"] or ()
                hit = not wanted[entity].isdisjoint(stored)
                if hit or (cap is not None and len(stored) >= cap):
                    places.append(Place(query.value, query.label, kind, row["source"], row["location"],
                                        row["field"], entity, hit))
        answers.append(Answer(query, tuple(places)))
    return answers


def answers_table(answers: Sequence[Answer]) -> pa.Table:
    """One row per place (and one `found = false` row for a value found nowhere), for --from-file output."""
    rows = []
    for a in answers:
        for p in a.places:
            rows.append({"label": p.label, "query": p.query, "kind": p.kind, "source": p.source,
                         "location": p.location, "field": p.field, "entity": p.entity,
                         "status": "found" if p.found else "possible"})
        if not a.places:
            rows.append({"label": a.query.label, "query": a.query.value, "kind": ",".join(a.query.kinds),
                         "source": None, "location": None, "field": None, "entity": None, "status": "not_found"})
    schema = pa.schema([(n, pa.string()) for n in
                        ("label", "query", "kind", "source", "location", "field", "entity", "status")])
    return pa.Table.from_pylist(rows, schema=schema)
