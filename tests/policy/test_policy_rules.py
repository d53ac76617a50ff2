"""The rule tables, one sentence at a time: what each rule declares, and look-alikes that must not fire
(each negative case says why)."""

from __future__ import annotations

import pytest

from scanner.policy import fideslang_category_keys
from scanner.policy.extract import extract_manifest
from scanner.policy.formats import markdown_blocks, plain_blocks
from scanner.manifest import PolicyManifest
from scanner.policy.reader import build_document
from scanner.policy.rules import CATEGORY_RULES, PATTERNS, TOPICS, WATCHED, WHY


def manifest_of(text: str) -> PolicyManifest:
    return extract_manifest(build_document(plain_blocks(text)[1]))


def declared_by_rules(manifest: PolicyManifest) -> set[str]:
    return {c.key for c in manifest.categories if c.declared}


# (sentence, keys that must be declared, keys that must not be declared, reason for the negatives)
CASES = [
    ("We collect your name and e-mail address to answer you.", {"user.name", "user.contact.email"},
     {"user.contact.phone_number"}, "a phone number is not mentioned"),
    ("We process your orders.", {"user.behavior.purchase_history", "user.contact.address"}, set(), ""),
    ("We combine data in order to improve our products.", set(), {"user.behavior.purchase_history"},
     "'in order to' is not an order"),
    ("We comply with health and safety regulations at our premises.", set(), {"user.health_and_medical"},
     "health and safety is workplace regulation, not health data"),
    ("We do not sell your data, but we use cookies.", {"user.device.cookie_id"}, set(),
     "the negation is in the clause before 'but'"),
    ("Our services are not directed at children under 16.", set(), {"user.childrens"},
     "a negated mention declares nothing"),
    ("We never process data about your religion or political opinions.", set(),
     {"user.demographic.religious_belief", "user.demographic.political_opinion"}, "negated"),
    ("Payments by credit card are handled by our bank.", {"user.financial.credit_card", "user.financial"}, set(), ""),
    ("We record IP addresses in our server logs.", {"user.device.ip_address"}, set(), ""),
    ("Nous collectons vos nom et prénom ainsi que votre adresse e-mail.", {"user.name", "user.contact.email"},
     set(), ""),
    ("Nous agissons au nom de nos clients.", set(), {"user.name"}, "'au nom de' means 'on behalf of'"),
    ("Nous ne traitons pas de données biométriques.", set(), {"user.biometric"}, "negated"),
    ("Les copies de cartes d'identité des salariés sont conservées.",
     {"user.government_id.national_identification_number"}, set(), ""),
    ("Wir erheben keine Daten von Kindern unter 16 Jahren.", set(), {"user.childrens"}, "negated (keine)"),
    ("Wir speichern Ihre E-Mail-Adresse und Telefonnummer.", {"user.contact.email", "user.contact.phone_number"},
     set(), ""),
    ("Für die Lohnabrechnung verarbeiten wir die Konfession (Kirchensteuer).",
     {"user.demographic.religious_belief"}, set(), ""),
    ("Login / password", set(), {"user.authorization"},
     "a login is a security measure, not the people's credentials held as data"),
]


@pytest.mark.parametrize(("sentence", "declared", "not_declared", "reason"), CASES)
def test_rule_on_one_sentence(sentence: str, declared: set[str], not_declared: set[str], reason: str) -> None:
    keys = declared_by_rules(manifest_of(sentence))
    assert declared <= keys
    assert not (not_declared & keys), reason


def test_negated_mention_is_quoted_as_not_declared() -> None:
    manifest = manifest_of("We do not collect health data.")
    health = manifest.category("user.health_and_medical")
    assert health is not None and health.declared is False
    assert [e.quote for e in health.evidence] == ["We do not collect health data."]


def test_retention_in_markdown_emphasis() -> None:
    manifest = extract_manifest(build_document(markdown_blocks(b"We keep your e-mail address for _two years_.")[1]))
    email = manifest.category("user.contact.email")
    assert email is not None and email.declared and email.retention_days == 730


def test_retention_sentence_is_never_negated() -> None:
    manifest = manifest_of("We do not keep CVs longer than 6 months.")
    cv = manifest.category("user.content.private")
    assert cv is not None and cv.declared and cv.retention_days == 180


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Invoices are kept for 10 years and CVs for 6 months.",
         {"user.financial": 3650, "user.content.private": 180}),
        ("For 2 years we keep the details of your orders.", {"user.behavior.purchase_history": 730}),
        ("Les candidatures sont supprimées après trois mois.", {"user.content.private": 90}),
        ("Rechnungen werden zehn Jahre aufbewahrt.", {"user.financial": 3650}),
        ("Cookies expire after 13 months.", {"user.device.cookie_id": None}),  # no keeping verb: not retention
        ("Les cookies de mesure d'audience sont stockés 13 mois.", {"user.device.cookie_id": 390}),
    ],
)
def test_retention_periods_per_clause(sentence: str, expected: dict[str, int | None]) -> None:
    manifest = manifest_of(sentence)
    for key, days in expected.items():
        entry = manifest.category(key)
        assert entry is not None and entry.declared
        assert entry.retention_days == days, key


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("HOW WE PROTECT YOUR DATA\nWe use firewalls and daily backups.", ["backups", "firewall"]),
        ("CAREERS\nSend us your certificates and diplomas.", []),  # not a passage about security
        ("We encrypt data at rest to keep it secure.", ["encryption"]),
    ],
)
def test_security_measures_need_a_security_context(text: str, measures: list[str]) -> None:
    assert [m.kind for m in manifest_of(text).security_measures] == measures


def test_every_rule_key_is_a_fideslang_key() -> None:
    known = fideslang_category_keys()
    keys = {k for rules in CATEGORY_RULES.values() for rule in rules for k in (*rule.keys, *rule.primary)}
    assert keys - known == set()
    assert set(WATCHED) - known == set()


def test_every_language_covers_every_topic_and_names_are_unique() -> None:
    for language, patterns in PATTERNS.items():
        assert set(patterns) == set(TOPICS) == set(TOPICS) & set(WHY), language
    names = [rule.name for rules in CATEGORY_RULES.values() for rule in rules]
    assert len(names) == len(set(names))
