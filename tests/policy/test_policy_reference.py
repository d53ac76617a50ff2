"""The reference policy (scanner/demo/privacy-policy.md) -> manifest: what issue 6 says it must declare."""

from __future__ import annotations

import re

import pytest

from scanner.manifest import PolicyManifest
from scanner.policy.reader import PolicyDocument
from policy_helpers import REFERENCE

ORDERS_SENTENCE = (
    "We may need to collect your personal information for a variety of purposes : processing your orders, "
    "correspondence or job applications, supplying equipment or services, contractual relationships, etc."
)
COOKIES_SENTENCE = (
    "In addition, we collect information related to your use of the Group's websites (www.rcarre.com, "
    "www.rcube.lu) using various technologies, such as cookies."
)


@pytest.mark.parametrize(
    ("key", "quote", "rule"),
    [
        ("user.contact", ORDERS_SENTENCE, "en.correspondence"),
        ("user.contact.email", ORDERS_SENTENCE, "en.orders"),
        ("user.contact.phone_number", ORDERS_SENTENCE, "en.orders"),
        ("user.contact.address", ORDERS_SENTENCE, "en.orders"),
        ("user.name", ORDERS_SENTENCE, "en.correspondence"),
        ("user.behavior.purchase_history", ORDERS_SENTENCE, "en.orders"),
        ("user.content.private", ORDERS_SENTENCE, "en.job_applications"),
        ("user.job_title", ORDERS_SENTENCE, "en.job_applications"),
        ("user.workplace", ORDERS_SENTENCE, "en.job_applications"),
        ("user.device.cookie_id", COOKIES_SENTENCE, "en.cookies"),
        ("user.device.ip_address", COOKIES_SENTENCE, "en.website_use"),
        ("user.financial", "Manage disputes and collect debts", "en.debt_collection"),
        ("user.financial.bank_account", "Pay for services.", "en.payment"),
    ],
)
def test_declares_category_with_exact_quote_and_rule(
    reference_manifest: PolicyManifest, key: str, quote: str, rule: str
) -> None:
    entry = next(c for c in reference_manifest.categories if c.key == key)
    assert entry.declared is True
    assert quote in [e.quote for e in entry.evidence]
    assert f"rule {rule} matched" in (entry.rationale or "")
    assert all(e.section for e in entry.evidence)


@pytest.mark.parametrize(
    "key",
    [
        "user.health_and_medical", "user.biometric", "user.demographic.religious_belief",
        "user.demographic.political_opinion", "user.demographic.sexual_orientation",
        "user.demographic.race_ethnicity", "user.criminal_history", "user.government_id", "user.childrens",
        "user.authorization",
    ],
)
def test_lists_sensitive_category_as_not_declared_with_rationale(reference_manifest: PolicyManifest, key: str) -> None:
    entry = next(c for c in reference_manifest.categories if c.key == key)
    assert entry.declared is False
    assert entry.evidence == ()
    assert "no sentence of the policy mentions it" in (entry.rationale or "")


@pytest.mark.parametrize(
    "finding_category",
    [
        "user.health_and_medical.genetic", "user.government_id.national_identification_number",
        "user.government_id.passport_number", "user.criminal_history", "user.childrens",
        "user.authorization.password", "user.demographic.religious_belief",
    ],
)
def test_sensitive_findings_are_not_covered(reference_manifest: PolicyManifest, finding_category: str) -> None:
    assert not reference_manifest.declares(finding_category)


def _rendered(markdown: str) -> str:
    """The reference as a reader sees it: link targets dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown))


def test_every_quote_is_verbatim_in_the_policy(reference_manifest: PolicyManifest, reference_doc: PolicyDocument) -> None:
    evidence = [e for c in reference_manifest.categories for e in c.evidence]
    evidence += [e for m in reference_manifest.security_measures for e in m.evidence]
    evidence += list(reference_manifest.transfers.evidence)
    evidence += [e for s in reference_manifest.data_subject_evidence for e in s.evidence]
    rendered = _rendered(REFERENCE.read_text(encoding="utf-8"))
    assert len(evidence) > 20
    for e in evidence:
        assert e.quote in reference_doc.text
        # the one sentence a page footer cut in two is checked piece by piece
        pieces = e.quote.split("Rcarré & Rcube Professional Services comply") if "Services comply" in e.quote else [e.quote]
        assert all(piece.strip() in rendered for piece in pieces), e.quote
        assert e.section in [s.heading for s in reference_doc.sections]


@pytest.mark.parametrize(
    ("kind", "quote"),
    [
        ("tls", "SSL (Secure Sockets Layer) protocol"),
        ("access_management", "Access management - authorized person"),
        ("authentication", "Login / password"),
        ("backups", "Computer backup"),
        ("firewall", "Firewalls"),
        ("network_monitoring", "Network monitoring software"),
        ("certificates", "Digital certificate development"),
        ("training", "The people working for us are trained to respect the confidentiality of your information."),
        ("confidentiality", "The people working for us are trained to respect the confidentiality of your information."),
    ],
)
def test_security_measures(reference_manifest: PolicyManifest, kind: str, quote: str) -> None:
    measure = next(m for m in reference_manifest.security_measures if m.kind == kind)
    assert quote in [e.quote for e in measure.evidence]
    assert measure.evidence[0].section == "HOW DO WE PROTECT YOUR PERSONAL DATA ?"
    assert f"security.{kind}" in (measure.rationale or "")


def test_no_encryption_at_rest_is_claimed(reference_manifest: PolicyManifest) -> None:
    # SSL protects transport; the policy never says data is encrypted at rest
    assert "encryption" not in [m.kind for m in reference_manifest.security_measures]


def test_transfers_outside_eu_allowed_with_safeguards(reference_manifest: PolicyManifest) -> None:
    t = reference_manifest.transfers
    assert t.outside_eu_allowed is True
    assert t.safeguards == ("contractual_clauses", "commission_mechanisms")
    mended = [e.quote for e in t.evidence if "European Commission" in e.quote]
    assert mended and mended[0].startswith("In the event of data transfers to third parties")
    assert mended[0].endswith("set up by the European Commission or other contractual provisions.")
    assert "Rcarre SA" not in mended[0]  # the page footer between the halves is dropped


def test_data_subjects_and_purposes(reference_manifest: PolicyManifest) -> None:
    assert reference_manifest.data_subjects == (
        "customers", "prospects", "job_applicants", "employees_of_client_companies", "website_visitors",
    )
    assert len(reference_manifest.purposes) == 11
    assert reference_manifest.purposes[0] == "Supply the Products"
    assert reference_manifest.purposes[-1] == "Pay for services"
    financial = reference_manifest.category("user.financial.bank_account")
    assert financial is not None and "Manage disputes and collect debts" in financial.purposes


def test_reference_sets_no_retention_period(reference_manifest: PolicyManifest) -> None:
    assert all(c.retention is None and c.retention_days is None for c in reference_manifest.categories)


def test_provenance(reference_manifest: PolicyManifest, reference_doc: PolicyDocument) -> None:
    assert reference_manifest.title == "PRIVACY POLICY"
    assert reference_manifest.language == "en"
    assert reference_manifest.source_digest == reference_doc.digest and len(reference_doc.digest) == 64
    assert reference_manifest.source_name == "privacy-policy.md"
    assert reference_manifest.to_yaml().startswith("# Policy manifest generated by policyscan policy extract")


def test_login_password_is_a_measure_not_declared_credentials(reference_manifest: PolicyManifest) -> None:
    entry = reference_manifest.category("user.authorization.password")
    assert entry is not None and entry.key == "user.authorization" and entry.declared is False
    assert "“Login / password” is a security measure (authentication)" in (entry.rationale or "")
