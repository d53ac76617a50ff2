"""Column verdicts: a column's name and a sample of its values -> hits with an explanation.

Walking-skeleton scope: name synonyms (EN/FR/DE) and the text analyzer over each value; the share of
matching values decides. Issue 3 deepens this (validated identifiers, type-aware rules, look-alikes).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scanner.models import ColumnSample, Hit

if TYPE_CHECKING:
    from detectors.engine import Detector

NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"^(e?mail|courriel|e_?mail_?address)$", "EMAIL_ADDRESS"),
    (r"^(first_?name|given_?name|prenom|prénom|vorname)$", "FIRST_NAME"),
    (r"^(last_?name|surname|family_?name|nom|nachname)$", "LAST_NAME"),
    (r"^(full_?name|name|customer_?name|employee_?name)$", "PERSON"),
    (r"^(phone|telephone|téléphone|tel|mobile|telefon|handy)(_?number)?$", "PHONE_NUMBER"),
    (r"^(iban|bank_?account)$", "IBAN_CODE"),
    (r"^(matricule|national_?id|ssn|social_?security(_?number)?)$", "LU_NATIONAL_ID"),
    (r"^(password|passwd|pwd|mot_?de_?passe|passwort|kennwort)$", "PASSWORD"),
    (r"^(salary|salaire|gehalt|wage)$", "SALARY"),
    (r"^(birth_?date|date_?of_?birth|dob|date_?naissance|geburtsdatum)$", "DATE_OF_BIRTH"),
    (r"^(ip|ip_?address|client_?ip|remote_?addr)$", "IP_ADDRESS"),
    (r"^(cookie|cookie_?id|session_?cookie)$", "COOKIE_ID"),
    (r"^(address|street|adresse|strasse|straße)$", "STREET_ADDRESS"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), e) for p, e in NAME_RULES)


def name_entity(column: str) -> str | None:
    for pattern, entity in _COMPILED:
        if pattern.match(column.strip()):
            return entity
    return None


def classify_column(sample: ColumnSample, detector: "Detector") -> list[Hit]:
    values = [v for v in sample.values[: detector.limits.values_per_column] if v.strip()]
    if not values:
        return []
    hits: list[Hit] = []
    value_entities: dict[str, int] = {}
    per_value: list[Hit] = []
    for v in values:
        seen = set()
        for h in detector.text_hits_for_value(v):
            if h.entity not in seen:
                seen.add(h.entity)
                value_entities[h.entity] = value_entities.get(h.entity, 0) + 1
                per_value.append(h)
    named = name_entity(sample.field)
    for entity, n in value_entities.items():
        if n / len(values) >= 0.3 or entity == named:
            why = f"values: {n} of {len(values)} sampled values match {entity}"
            hits.extend(
                Hit(h.entity, h.score, h.masked, h.fingerprint, h.recognizer, why)
                for h in per_value if h.entity == entity
            )
    if named and named not in value_entities:
        why = f"name: column '{sample.field}' matches the {named} naming rule; {len(values)} sampled values"
        hits.extend(detector.hit(v, named, 0.6, "ColumnNameRule", why) for v in values)
    return hits
