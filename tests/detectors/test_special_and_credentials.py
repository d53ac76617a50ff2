"""Special categories (EN/FR/DE, conservative) and credentials (plaintext vs hashed, keys, tokens)."""

from __future__ import annotations

import pytest

from detectors.recognizers.credential_recognizer import is_password_hash
from detector_helpers import entities_in

BCRYPT = "$2b$12$" + "R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"
ARGON2 = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
SHA512_CRYPT = "$6$rounds=5000$saltsalt$" + "a" * 86
DJANGO = "pbkdf2_sha256$600000$abc123$Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA=="

SPECIAL = [
    ("Employee on sick leave since Monday, medical certificate received.", "HEALTH"),
    ("Arrêt maladie de deux semaines, certificat médical joint.", "HEALTH"),
    ("Krankmeldung bis Freitag, Arbeitsunfähigkeitsbescheinigung liegt vor.", "HEALTH"),
    ("Lohnabrechnung: Kirchensteuer 8 %", "RELIGION"),
    ("Religion: catholic", "RELIGION"),
    ("Cotisation syndicale OGBL prélevée sur le salaire", "TRADE_UNION"),
    ("Gewerkschaftsmitglied seit 2010", "TRADE_UNION"),
    ("Extrait du casier judiciaire demandé au candidat", "CRIMINAL_RECORD"),
    ("Führungszeugnis liegt vor", "CRIMINAL_RECORD"),
    ("Applicant disclosed a criminal conviction", "CRIMINAL_RECORD"),
    ("Her sexual orientation was mentioned in the file", "SEXUAL_ORIENTATION"),
    ("Données biométriques : empreintes digitales du badge", "BIOMETRIC"),
    ("Genetic test results attached", "GENETIC"),
    ("Ethnic origin recorded for the survey", "ETHNIC_ORIGIN"),
    ("Il est membre du parti socialiste", "POLITICAL_OPINION"),
]
NOT_SPECIAL = [
    ("The union of two sets is a set.", "TRADE_UNION", "'union' in mathematics"),
    ("We catholic-ally accept all payment methods", "RELIGION", "weak term without context word"),
    ("The SHA-256 fingerprint of the certificate", "BIOMETRIC", "a certificate fingerprint is not biometric"),
    ("Our treatment of your data follows the GDPR", "HEALTH", "'treatment' without a health context"),
]

CREDENTIALS = [
    ("db_password = hunter2", "PASSWORD", "hunter2"),
    ('"password": "S3cret!x"', "PASSWORD", "S3cret!x"),
    ("mot de passe : azerty123", "PASSWORD", "azerty123"),
    ("Passwort: Sommer2024", "PASSWORD", "Sommer2024"),
    (f"hash={BCRYPT}", "PASSWORD_HASH", BCRYPT),
    (f"user:{ARGON2}", "PASSWORD_HASH", ARGON2),
    (f"root:{SHA512_CRYPT}:19000:0:99999:7:::", "PASSWORD_HASH", SHA512_CRYPT),
    (f"password = {DJANGO}", "PASSWORD_HASH", DJANGO),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "API_TOKEN", "AKIAIOSFODNN7EXAMPLE"),
    ("token ghp_" + "a1B2" * 9, "API_TOKEN", "ghp_" + "a1B2" * 9),
]
NOT_PASSWORDS = [
    ("password = ${DB_PASSWORD}", "environment placeholder"),
    ("password: <secret>", "template placeholder"),
    ("password = ********", "already masked"),
    ("Passport: AB123456", "a passport is not a password"),
    (f"password = {BCRYPT}", "a hash is PASSWORD_HASH, not PASSWORD"),
]


@pytest.mark.parametrize("text,entity", SPECIAL, ids=[e + str(i) for i, (_, e) in enumerate(SPECIAL)])
def test_special_category_terms_are_found(detector, text, entity):
    assert entity in {e for e, _ in entities_in(detector, text)}


@pytest.mark.parametrize("text,entity,reason", NOT_SPECIAL, ids=[r for _, _, r in NOT_SPECIAL])
def test_special_category_look_alikes_are_not_reported(detector, text, entity, reason):
    assert entity not in {e for e, _ in entities_in(detector, text)}, reason


@pytest.mark.parametrize("text,entity,value", CREDENTIALS, ids=[e + str(i) for i, (_, e, _) in enumerate(CREDENTIALS)])
def test_credentials_are_found_with_the_right_entity(detector, text, entity, value):
    assert (entity, value) in entities_in(detector, text)


@pytest.mark.parametrize("text,reason", NOT_PASSWORDS, ids=[r for _, r in NOT_PASSWORDS])
def test_placeholders_and_hashes_are_not_plaintext_passwords(detector, text, reason):
    assert "PASSWORD" not in {e for e, _ in entities_in(detector, text)}, reason


def test_private_key_block_is_found(detector):
    text = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow" + "A" * 200 + "\n-----END RSA PRIVATE KEY-----\n"
    assert "PRIVATE_KEY" in {e for e, _ in entities_in(detector, text)}


@pytest.mark.parametrize("value,allow_hex,expected", [
    (BCRYPT, False, True), (ARGON2, False, True), (SHA512_CRYPT, False, True), (DJANGO, False, True),
    ("5f4dcc3b5aa765d61d8327deb882cf99", True, True), ("5f4dcc3b5aa765d61d8327deb882cf99", False, False),
    ("hunter2", True, False), ("$2b$12$short", False, False),
])
def test_is_password_hash(value, allow_hex, expected):
    assert is_password_hash(value, allow_hex=allow_hex) is expected
