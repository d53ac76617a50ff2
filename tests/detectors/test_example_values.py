"""Documentation/example values (RFC 2606/6761 domains, RFC 5737/3849 addresses, fictional phone ranges)
are not people's data in free text; look-alikes just outside the reserved ranges still are."""

from __future__ import annotations

import pytest

from scanner.models import ColumnSample, TextSample

from detectors.example_values import is_example_value


@pytest.mark.parametrize("entity,value,expected,why", [
    ("EMAIL_ADDRESS", "abuse@example.com", True, "role mailbox at an RFC 2606 domain"),
    ("EMAIL_ADDRESS", "postmaster@mail.example.org", True, "subdomain of a reserved domain"),
    ("EMAIL_ADDRESS", "noreply@corp.example", True, ".example TLD (RFC 6761)"),
    ("EMAIL_ADDRESS", "ops@build.test", True, ".test TLD"),
    ("EMAIL_ADDRESS", "x7@host.invalid", True, ".invalid TLD"),
    ("EMAIL_ADDRESS", "john.smith@example.com", False, "a person's name: a placeholder person record"),
    ("EMAIL_ADDRESS", "marysmith42@example.net", False, "given name and surname run together"),
    ("EMAIL_ADDRESS", "abuse@example.co.uk", False, "example.co.uk is a real, registrable domain"),
    ("EMAIL_ADDRESS", "abuse@myexample.com", False, "only the reserved names, not look-alikes"),
    ("IP_ADDRESS", "192.0.2.77", True, "TEST-NET-1"),
    ("IP_ADDRESS", "198.51.100.77", True, "TEST-NET-2"),
    ("IP_ADDRESS", "203.0.113.254", True, "TEST-NET-3"),
    ("IP_ADDRESS", "2001:db8::1", True, "RFC 3849"),
    ("IP_ADDRESS", "192.0.3.2", False, "one octet outside TEST-NET-1"),
    ("IP_ADDRESS", "2001:db9::1", False, "outside 2001:db8::/32"),
    ("PHONE_NUMBER", "(212) 555-0142", True, "NANP fictional range"),
    ("PHONE_NUMBER", "+44 7700 900123", True, "Ofcom drama mobile range"),
    ("PHONE_NUMBER", "(212) 555-0242", False, "555-02xx is not reserved"),
    ("PERSON", "Example Person", False, "only e-mail, IP and phone values are judged"),
])
def test_reserved_values_table(entity, value, expected, why):
    assert is_example_value(entity, value) is expected, why


def test_documentation_values_give_no_findings_in_text(detector, faker):
    name = faker.name()
    text = (f"Feedback report for abuse@example.net: the message from 192.0.2.{faker.random_int(1, 254)} "
            f"and 2001:db8::{faker.random_int(1, 999):x} was sent to postmaster@example.com.")
    entities = {f.entity for f in detector.detect([TextSample("file:///r.txt", "body", text)], "src")}
    assert not {"EMAIL_ADDRESS", "IP_ADDRESS"} & entities
    real = f"Write to {faker.user_name()}@{faker.domain_name()} from 81.{faker.random_int(1, 250)}.4.7 ({name})."
    entities = {f.entity for f in detector.detect([TextSample("file:///r.txt", "body", real)], "src")}
    assert {"EMAIL_ADDRESS", "IP_ADDRESS"} <= entities


def test_placeholder_person_address_is_kept(detector, faker):
    first, last = faker.first_name_male(), faker.last_name()
    text = f"From: {first} {last} <{first.lower()}.{last.lower()}@example.com>"
    entities = {f.entity for f in detector.detect([TextSample("file:///m.eml", "header:from", text)], "src")}
    assert "EMAIL_ADDRESS" in entities


def test_table_columns_are_not_filtered_here(detector, faker):
    values = tuple(f"{faker.user_name()}@example.com" for _ in range(10))
    findings = detector.detect([ColumnSample("file:///c.csv", "email", values)], "src")
    assert any(f.entity == "EMAIL_ADDRESS" for f in findings)
