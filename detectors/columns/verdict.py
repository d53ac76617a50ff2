"""Column verdicts: name evidence + value evidence + the table's subject -> hits, each explained.

* **name** (`names.py`): what the column name suggests, token-wise (`AddressType` is a kind of address,
  not an address); a rule also says what the values must look like to confirm it;
* **values** (`values.py` and the recognizers): all values go through the analyzer in one pass (an entity
  counts for a value when one of its spans covers most of it); a share of `VALUE_SHARE` gives a verdict
  even without a name rule. Shape checks confirm what recognizers refuse out of context (bare-digit
  phones, e-mail ids without a domain, card numbers failing Luhn in a card column);
* **subject** (`subject.py`): whether the table's rows are about persons or things decides the columns
  whose meaning depends on the row (locations, birth dates, gender, job titles, salaries, names, prose).

`why` (the finding's explanation, shown in columns.parquet and the report) names each kind of evidence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Iterator

from scanner.models import ColumnSample, Hit, Sample, TextSample

from detectors.columns import values as V
from detectors.columns.names import (
    NAME_RULES, NameRule, describes_a_kind, names_a_name, names_a_person_role, normalise_name,
)
from detectors.columns.prose import free_text_hits, text_column_hits
from detectors.columns.subject import UNKNOWN, Subject, TableSubject, about, table_subject
from detectors.recognizers.credential_recognizer import is_password_hash

if TYPE_CHECKING:
    from detectors.engine import Detector, Span

VALUE_MIN_SCORE = 0.4  # bare values lack the context words text has; the column name stands in for them
VALUE_SHARE = 0.5  # share of sampled values that must match for a value-only verdict
CONFIRM_SHARE = 0.5  # share that must pass the name rule's type check
FREE_TEXT_MIN_AVG = 40
# Entities a value-only verdict may give; NER-based ones need the column name to agree.
VALUE_ONLY_EXCLUDED = {"LOCATION", "PERSON", "PASSPORT", "DE_TAX_ID"}
SPECIAL = {"HEALTH", "RELIGION", "TRADE_UNION", "ETHNIC_ORIGIN", "CRIMINAL_RECORD", "POLITICAL_OPINION",
           "SEXUAL_ORIENTATION", "BIOMETRIC"}
NATIONAL_IDS = ("LU_NATIONAL_ID", "FR_NIR", "BE_NATIONAL_NUMBER", "DE_TAX_ID")
_TEMPORAL_NAME = re.compile(r"(?:^|_)(?:at|on|date|datum|time|timestamp|ts|datetime|le|am)$"
                            r"|^(?:last|first)_(?:login|logon|seen|access|activity|modified|update|updated|visit|"
                            r"connection|connexion|anmeldung)$")
_TEMPORAL_TYPES = ("date", "time", "timestamp", "interval", "numeric", "decimal", "float", "real", "double", "money")
_PERSONAL_ADDRESS = re.compile(r"(?:^|_)(?:delivery|shipping|ship_to|billing|bill_to|home|private|residence|"
                               r"domicile|wohn|privat|livraison|facturation)(?:_|$)")

# Which subjects make an entity personal (identifiers, credentials and special categories: every subject).
_PLACES = {"STREET_ADDRESS", "CITY", "POSTAL_CODE", "URL"}
_REGIONS = {"LOCATION", "COUNTRY"}
_DEMOGRAPHIC = {"DATE_OF_BIRTH", "GENDER", "AGE", "SALARY", "JOB_TITLE", "ORDER_ID"}
_CONTACT = {"EMAIL_ADDRESS", "PHONE_NUMBER"}
_ALLOWED: dict[str, set[Subject]] = {
    **{e: {Subject.PERSON, Subject.ADDRESS, Subject.UNKNOWN, Subject.THING_WITH_CONTACT, Subject.LINKED}
       for e in _PLACES},
    **{e: {Subject.PERSON, Subject.ADDRESS, Subject.THING_WITH_CONTACT} for e in _REGIONS},
    **{e: {Subject.PERSON, Subject.UNKNOWN} for e in _DEMOGRAPHIC},
    **{e: set(Subject) - {Subject.THING} for e in _CONTACT},
    "PHOTO": {Subject.PERSON},  # a picture is a person's only in a row about that person (not a product's)
}
# Rule kinds whose names are too generic to mean a person's data outside a table about people.
_PERSON_TABLE_ONLY = {"honorific", "employment date", "state or region", "district"}
# ... and where else they may be: a region of an address table or of a site named for its contact person; a
# district (part of a town) only in an address table (a site's district is the site's, not its contact's).
_ALSO_ALLOWED = {"state or region": (Subject.ADDRESS, Subject.THING_WITH_CONTACT), "district": (Subject.ADDRESS,)}
_GENERIC_JOB_NAMES = re.compile(r"(?:^|_)(?:(?:title|role|rank|grade|dienstgrad)(?:_code)?|job_?code)$")


def is_temporal_column(name: str) -> bool:
    """`created_at`, `hire_date`, `last_login`, `geboren_am`: the name says the column holds a moment,
    whatever word precedes it (`last_login` is when, not who)."""
    return bool(_TEMPORAL_NAME.search(normalise_name(name)))


def name_rules(column: str) -> list[NameRule]:
    """Every rule whose pattern matches the normalised name, in order (password first); none for a name
    that describes a kind of thing (`AddressType`) or a moment (`last_login`)."""
    name = normalise_name(column)
    if describes_a_kind(column):
        return []
    rules = [r for r in NAME_RULES if r.pattern.match(name)]
    if is_temporal_column(column):
        rules = [r for r in rules if r.check in (V.is_birth_date, V.is_date_like)]
    return rules


def name_rule(column: str) -> NameRule | None:
    rules = name_rules(column)
    return rules[0] if rules else None


def name_entity(column: str) -> str | None:
    rule = name_rule(column)
    return rule.entity if rule else None


def allowed(entity: str, column: str, subject: TableSubject, kind: str = "") -> bool:
    """May `entity` be personal data in a column of a table with this subject?"""
    if kind in _PERSON_TABLE_ONLY:
        if subject.subject is not Subject.PERSON and subject.subject not in _ALSO_ALLOWED.get(kind, ()):
            return False
        if kind == "employment date" and not (subject.employment or "hire" in normalise_name(column)):
            return False
    if entity == "JOB_TITLE" and _GENERIC_JOB_NAMES.search(normalise_name(column)) and (
            subject.subject is not Subject.PERSON):
        return False
    if entity in _PLACES and _PERSONAL_ADDRESS.search(normalise_name(column)):
        return True
    if entity == "PERSON" and kind == "":
        return subject.about_people or names_a_person_role(column)
    return subject.subject in _ALLOWED.get(entity, set(Subject))


def value_entities(values: list[str], detector: "Detector") -> dict[str, list[tuple[int, "Span"]]]:
    """entity -> [(value index, span)] for spans covering most of a value, from one analyzer pass."""
    joined, starts, pos = [], [], 0
    for v in values:
        starts.append(pos)
        joined.append(v)
        pos += len(v) + 1
    text = "\n".join(joined)
    # NER decides no column verdict (PERSON needs the name rule and the gazetteer check), and is the largest cost
    spans = detector.text_spans([text], min_score=VALUE_MIN_SCORE, ner=False)[0]
    found: dict[str, list[tuple[int, Span]]] = {}
    seen: set[tuple[str, int]] = set()
    for s in spans:
        i = bisect.bisect_right(starts, s.start) - 1
        value = values[i]
        if s.end > starts[i] + len(value):
            continue
        if (s.end - s.start) < 0.6 * len(value.strip()) or (s.entity, i) in seen:
            continue
        seen.add((s.entity, i))
        found.setdefault(s.entity, []).append((i, s))
    return found


def classify_table(samples: list[Sample], detector: "Detector") -> Iterator[tuple[Sample, list[Hit]]]:
    """Verdicts for the columns of the tables in `samples` (sharing a location; a workbook's sheets share
    one), each table's subject decided first."""
    sheets: dict[str | None, list[Sample]] = {}
    for sample in samples:
        sheets.setdefault(_sheet(sample.field), []).append(sample)
    for sheet, table in sheets.items():
        yield from _classify_one_table(table, sheet, detector)


def _classify_one_table(samples: list[Sample], sheet: str | None,
                        detector: "Detector") -> Iterator[tuple[Sample, list[Hit]]]:
    captions = [s for s in samples if isinstance(s, TextSample) and s.caption]
    columns = [s.field for s in samples if s.field and s not in captions]
    subject = table_subject(samples[0].location, columns, sheet)
    if subject.subject is Subject.UNKNOWN and captions:  # a sheet called "Sheet1" under "Members 2024"
        subject = table_subject(samples[0].location, columns, re.sub(r"[\d\W]+", " ", captions[0].text).strip())
    column_hits: list[list[Hit]] = []
    for sample in samples:
        if sample in captions:
            continue
        if isinstance(sample, ColumnSample):
            hits = classify_column(sample, detector, subject)
        else:
            hits = text_column_hits(sample, detector, subject)
        column_hits.append(hits)
        yield sample, hits
    for caption in captions:
        yield caption, caption_hits(caption, detector, subject, column_hits)


def _sheet(field: str | None) -> str | None:
    return field.split("!", 1)[0] if field and "!" in field else None


# Entities that single out the person a row is about: with them, a table is a list of people.
_IDENTIFYING = {"PERSON", "FIRST_NAME", "LAST_NAME", "EMAIL_ADDRESS", "PHONE_NUMBER", "USERNAME", "NATIONAL_ID",
                *NATIONAL_IDS}


def caption_hits(caption: TextSample, detector: "Detector", subject: TableSubject,
                 column_hits: list[list[Hit]]) -> list[Hit]:
    """A table's title rows: read as text, and when a title names a special category ("Trade union
    members 2024") over a list of people, every person listed is a special-category fact (Art. 9).
    The people are those of the column identifying most of them (names, e-mails, ids)."""
    # a title is a few words: NER names in it need person signals whatever the table ("Employee Info")
    hits = text_column_hits(caption, detector, UNKNOWN)
    identifying = [[h for h in column if h.entity in _IDENTIFYING] for column in column_hits]
    people = {h.fingerprint: h for h in max(identifying, key=len, default=[])}
    if not people or not subject.about_people:
        return hits
    for line in caption.text.splitlines():
        special = next((r for r in name_rules(line) if r.entity in SPECIAL), None)
        if special:
            why = (f"title row names {special.entity} over a list of people: {len(people)} people identified "
                   f"in the rows below{about(subject)}")
            return hits + [replace(h, entity=special.entity, score=special.score, recognizer="TableCaptionRule",
                                   explanation=why) for h in people.values()]
    return hits


def classify_column(sample: ColumnSample, detector: "Detector", subject: TableSubject = UNKNOWN) -> list[Hit]:
    values = [str(v) for v in sample.values[: detector.limits.values_per_column] if v is not None and str(v).strip()]
    if not values:
        return []
    n = len(values)
    column = sample.field.split("!", 1)[-1]
    rules = name_rules(column)
    avg_len = sum(len(v) for v in values) / n
    if avg_len >= FREE_TEXT_MIN_AVG and sum(" " in v for v in values) >= n / 2 and (
            not rules or rules[0].entity in SPECIAL):
        return free_text_hits(values, detector, sample.field, subject)
    if rules and rules[0].entity == "PASSWORD":
        return _passwords(values, detector, sample.field)
    found = value_entities(values, detector)
    declared = (sample.declared_type or "").lower()
    if "PHONE_NUMBER" in found and (any(t in declared for t in _TEMPORAL_TYPES)
                                    or sum(V.is_date_or_amount(v) for v in values) >= n / 2):
        del found["PHONE_NUMBER"]  # dates and amounts are not phone numbers, however many digits they have
    hits: list[Hit] = []
    decided: set[str] = set()
    for rule in rules:
        if not allowed(rule.entity, column, subject, rule.kind):
            continue
        got = _by_name(rule, values, found, detector, sample.field, decided, subject)
        if got:
            hits.extend(got)
            break
    if not hits and (names_a_person_role(column) or (subject.subject is Subject.PERSON and names_a_name(column))):
        hits.extend(_role_names(values, detector, sample.field, subject))
    for entity, matches in sorted(found.items()):
        # Without a name rule, only matches that would count in text count here.
        matches = [(i, s) for i, s in matches if s.score >= detector.settings.min_score]
        if entity in decided or entity in VALUE_ONLY_EXCLUDED or len(matches) / n < VALUE_SHARE:
            continue
        if not allowed(entity, column, subject):
            continue
        why = f"values: {len(matches)} of {n} sampled values match {entity}{about(subject)}"
        hits.extend(detector.hit(values[i], entity, s.score, s.recognizer, why) for i, s in matches)
    if not hits:
        logins = [v for v in values if V.is_windows_login(v)]
        if len(logins) / n >= VALUE_SHARE:
            why = f"values: {len(logins)} of {n} sampled values are DOMAIN\\user account names"
            hits.extend(detector.hit(v, "USERNAME", 0.7, "ColumnValueShape", why) for v in logins)
    return hits


def _role_names(values: list[str], detector: "Detector", column: str, subject: TableSubject) -> list[Hit]:
    """`building_manager`, `Founder`, a `personal_name` in a person table: people's names by value."""
    named = [v for v in values if V.is_person_name(v)]
    if len(named) / len(values) < 0.3:
        return []
    says = "names a person's role" if names_a_person_role(column) else "is a name in a table about people"
    why = (f"name: column '{column}' {says}; values: {len(named)} of {len(values)} sampled "
           f"values look like people's names{about(subject)}")
    return [detector.hit(v, "PERSON", 0.65, "ColumnNameRule", why) for v in values]


# Shape checks that confirm a validated rule when the recognizers refuse values out of context.
_SHAPES = {
    "PHONE_NUMBER": (V.is_phone_or_extension, "are phone numbers or extensions by shape", 0.6),
    "EMAIL_ADDRESS": (V.is_email_id, "are e-mail ids without a (public) domain", 0.6),
    "CREDIT_CARD": (V.is_card_shaped, "are card-number shaped", 0.6),
}


def _by_name(rule: NameRule, values: list[str], found: dict, detector: "Detector", column: str,
             decided: set[str], subject: TableSubject) -> list[Hit]:
    n = len(values)
    what = f"{rule.entity} ({rule.kind})" if rule.kind else rule.entity
    label = f"name: column '{column}' suggests {what}"
    context = about(subject)
    if rule.entity == "NATIONAL_ID" or rule.validated:
        candidates = NATIONAL_IDS if rule.entity in NATIONAL_IDS + ("NATIONAL_ID",) else (rule.entity,)
        best = max(candidates, key=lambda e: len(found.get(e, ())))
        matches = found.get(best, [])
        if len(matches) / n >= CONFIRM_SHARE:
            decided.add(best)
            why = f"{label}; values: {len(matches)} of {n} sampled values are valid {best}{context}"
            return [detector.hit(values[i], best, max(s.score, rule.score), s.recognizer, why) for i, s in matches]
        if rule.entity in _SHAPES:
            check, says, score = _SHAPES[rule.entity]
            shaped = [v for v in values if check(v)]
            if len(shaped) / n >= CONFIRM_SHARE:
                decided.add(rule.entity)
                note = ""
                if rule.entity == "CREDIT_CARD":
                    note = f", {sum(not V.luhn_ok(v) for v in shaped)} fail the Luhn check (test data?)"
                why = f"{label}; values: {len(shaped)} of {n} sampled values {says}{note}{context}"
                return [detector.hit(v, rule.entity, score, "ColumnValueShape", why) for v in shaped]
        if rule.entity != "NATIONAL_ID":
            return []  # the values contradict the name (e.g. a staff "matricule"): no verdict
        why = f"{label}; no sampled value has a known national format ({n} values){context}"
        return [detector.hit(v, "NATIONAL_ID", 0.6, "ColumnNameRule", why) for v in values]
    if rule.entity in SPECIAL and all(V.is_flag(v) for v in values):
        truthy = [v for v in values if v.strip().casefold() in V.TRUTHY]
        why = f"{label}; flag column: {len(truthy)} of {n} sampled values are set{context}"
        decided.add(rule.entity)
        return [detector.hit(f"{column}={v}", rule.entity, rule.score, "ColumnNameRule", why) for v in truthy]
    if rule.check is not None:
        fitting = [v for v in values if rule.check(v)]
        if len(fitting) / n < rule.share:
            return []
        why = f"{label}; values: {len(fitting)} of {n} sampled values fit ({rule.check.__name__}){context}"
        # A person column reports every value (the name test only confirms the column); others the fitting ones.
        passing = values if rule.entity == "PERSON" and not rule.kind else fitting
    else:
        passing = values
        why = f"{label}; {n} sampled values{context}"
    decided.add(rule.entity)
    if rule.entity in ("FIRST_NAME", "LAST_NAME"):
        decided.add("PERSON")
    return [detector.hit(v, rule.entity, rule.score, "ColumnNameRule", why) for v in passing]


def _passwords(values: list[str], detector: "Detector", column: str) -> list[Hit]:
    n = len(values)
    hashed = [v for v in values if is_password_hash(v, allow_hex=True)]
    # In a column "$abc1" is a password, not an environment placeholder: only masks/nulls are skipped.
    plain = [v for v in values if v not in hashed and not V.MASKED.match(v.strip())]
    hits: list[Hit] = []
    for entity, group, what in (("PASSWORD_HASH", hashed, "are password hashes"),
                                ("PASSWORD", plain, "are not hashed (plaintext)")):
        if group:
            why = f"name rule: column '{column}' holds passwords; values: {len(group)} of {n} sampled values {what}"
            score = 0.9 if entity == "PASSWORD_HASH" else 0.85
            hits.extend(detector.hit(v, entity, score, "ColumnPasswordRule", why) for v in group)
    return hits
