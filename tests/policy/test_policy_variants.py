"""Policies other than the reference: French, German, one declaring health data, explicit retention
periods, and the same kind of policy as HTML and as a (generated) PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_helpers import FIXTURES, REFERENCE, write_html, write_pdf, write_text

from scanner.policy import load_policy
from scanner.manifest import PolicyManifest
from scanner.policy.reader import read_policy_text


def entry(manifest: PolicyManifest, key: str):
    found = [c for c in manifest.categories if c.key == key]
    assert found, f"{key} not listed"
    return found[0]


def all_quotes(manifest: PolicyManifest) -> list[str]:
    quotes = [e.quote for c in manifest.categories for e in c.evidence]
    quotes += [e.quote for m in manifest.security_measures for e in m.evidence]
    return quotes + [e.quote for e in manifest.transfers.evidence]


# (fixture, language, declared keys, keys explicitly not declared because the policy negates them)
CASES = [
    ("politique-fr.md", "fr",
     {"user.behavior.purchase_history", "user.contact.email", "user.name", "user.content.private",
      "user.device.cookie_id", "user.financial.bank_account"},
     {"user.health_and_medical"}),
    ("datenschutz-de.md", "de",
     {"user.behavior.purchase_history", "user.contact.address", "user.content.private", "user.device.cookie_id",
      "user.financial.bank_account"},
     {"user.health_and_medical"}),
    ("policy-health.md", "en",
     {"user.health_and_medical", "user.name", "user.contact.address", "user.financial.bank_account"},
     {"user.biometric"}),
    ("policy.html", "en",
     {"user.contact.email", "user.behavior.purchase_history", "user.device.cookie_id", "user.content.private"},
     set()),
]


@pytest.mark.parametrize(("name", "language", "declared", "negated"), CASES)
def test_variant_declares_what_it_says(name: str, language: str, declared: set[str], negated: set[str]) -> None:
    manifest = load_policy(FIXTURES / name)
    doc = read_policy_text(FIXTURES / name)
    assert manifest.language == language
    assert declared <= manifest.declared_keys()
    for key in negated:
        e = entry(manifest, key)
        assert e.declared is False
        assert e.evidence, "a negated mention is quoted as evidence of non-declaration"
        assert "negated clause" in (e.rationale or "")
    for quote in all_quotes(manifest):
        assert quote in doc.text


def test_health_policy_declares_the_special_category_with_its_sentence() -> None:
    manifest = load_policy(FIXTURES / "policy-health.md")
    health = entry(manifest, "user.health_and_medical")
    assert health.declared is True
    assert [e.quote for e in health.evidence] == [
        "We also process health data, such as sick leave certificates and occupational medical reports, "
        "to manage absences."
    ]
    assert "en.health" in (health.rationale or "")
    assert manifest.declares("user.health_and_medical.genetic")  # a parent declaration covers its children
    assert not manifest.declares("user.biometric.fingerprint")
    assert manifest.data_subjects == ("employees",)


def test_html_ignores_scripts_navigation_and_comments() -> None:
    manifest = load_policy(FIXTURES / "policy.html")
    doc = read_policy_text(FIXTURES / "policy.html")
    assert manifest.title == "Example Privacy Policy"
    assert [s.heading for s in doc.sections] == ["Privacy Policy", "Data we collect", "Security"]
    # "health", "passports" and "criminal records" appear only in a script, the nav bar and a comment
    for key in ("user.health_and_medical", "user.government_id", "user.criminal_history"):
        assert entry(manifest, key).declared is False
    assert [m.kind for m in manifest.security_measures] == ["tls", "firewall"]
    assert "We use cookies on our websites." in doc.text


@pytest.mark.parametrize(
    ("name", "key", "retention", "days"),
    [
        ("policy-retention.md", "user.behavior.purchase_history", "10 years", 3650),
        ("policy-retention.md", "user.financial", "10 years", 3650),  # "Invoices"
        ("policy-retention.md", "user.content.private", "six months", 180),
        ("policy-retention.md", "user.device.cookie_id", "13 months", 390),
        ("policy-retention.md", "user.contact.email", "3 years", 1095),  # the general period
        ("policy-retention.md", "user.financial.credit_card", "30 days", 30),
        ("policy-retention.md", "user.financial.bank_account", "10 years", 3650),  # the longest period wins
        ("politique-fr.md", "user.behavior.purchase_history", "10 ans", 3650),
        ("politique-fr.md", "user.content.private", "deux ans", 730),
        ("datenschutz-de.md", "user.content.private", "6 Monate", 180),
        ("datenschutz-de.md", "user.behavior.purchase_history", None, None),
    ],
)
def test_retention_periods(name: str, key: str, retention: str | None, days: int | None) -> None:
    e = entry(load_policy(FIXTURES / name), key)
    assert (e.retention, e.retention_days) == (retention, days)
    if retention is not None:
        assert any(retention in ev.quote for ev in e.evidence), "the sentence stating the period is quoted"


@pytest.mark.parametrize(
    ("name", "allowed", "safeguards"),
    [
        ("politique-fr.md", False, ()),  # "ne sont jamais transférées en dehors de l'Union européenne"
        ("datenschutz-de.md", True, ("standard_contractual_clauses",)),
        ("policy-health.md", None, ()),  # says nothing about transfers
    ],
)
def test_transfers(name: str, allowed: bool | None, safeguards: tuple[str, ...]) -> None:
    t = load_policy(FIXTURES / name).transfers
    assert (t.outside_eu_allowed, t.safeguards) == (allowed, safeguards)


def test_french_purposes_and_measures() -> None:
    manifest = load_policy(FIXTURES / "politique-fr.md")
    assert manifest.purposes == (
        "gérer la relation client", "assurer le recouvrement des créances", "procéder au paiement des prestations",
    )
    assert {"firewall", "backups", "access_management"} <= {m.kind for m in manifest.security_measures}


def test_pdf_of_the_reference_gives_the_same_declarations(tmp_path: Path, reference_manifest: PolicyManifest) -> None:
    pdf = write_pdf(read_policy_text(REFERENCE), tmp_path / "privacy-policy.pdf")
    doc = read_policy_text(pdf)
    manifest = load_policy(pdf)
    assert len(__import__("pypdf").PdfReader(str(pdf)).pages) >= 2
    assert "Capellen - www.rcarre.com" not in doc.text and "Page 1" not in doc.text  # footers dropped
    assert manifest.declared_keys() == reference_manifest.declared_keys()
    assert [m.kind for m in manifest.security_measures] == [m.kind for m in reference_manifest.security_measures]
    assert manifest.transfers.safeguards == reference_manifest.transfers.safeguards
    firewall = next(m for m in manifest.security_measures if m.kind == "firewall")
    assert [e.quote for e in firewall.evidence] == ["Firewalls"]
    for quote in all_quotes(manifest):
        assert quote in doc.text


@pytest.mark.parametrize(("writer", "name"), [(write_html, "policy.html"), (write_text, "policy.txt")])
def test_reference_as_html_or_text_gives_the_same_declarations(
    tmp_path: Path, reference_manifest: PolicyManifest, writer, name: str
) -> None:
    path = writer(read_policy_text(REFERENCE), tmp_path / name)
    manifest = load_policy(path)
    assert manifest.declared_keys() == reference_manifest.declared_keys()
    assert manifest.security_measures == reference_manifest.security_measures
    assert manifest.purposes == reference_manifest.purposes
    assert manifest.transfers.safeguards == reference_manifest.transfers.safeguards
