"""Security measures (scanner/policy/security.yaml): one promise per kind and language that must be found, and
the kinds of wording that must not count. Sentences are written for these tests; names come from Faker."""

from __future__ import annotations

import re

import pytest
from faker import Faker

from scanner.policy.extract import extract_manifest
from scanner.policy.formats import markdown_blocks
from scanner.policy.measures import LANGUAGES, vocabulary
from scanner.policy.reader import build_document

_FAKE = Faker(["en_GB"])
_FAKE.seed_instance(21)
ORG = _FAKE.company()
HEADING = {"en": "## How we keep your data safe", "fr": "## Sécurité des données", "de": "## Sicherheit Ihrer Daten"}
PLAIN = {"en": "## About us", "fr": "## Qui sommes-nous", "de": "## Über uns"}


def kinds(markdown: str) -> set[str]:
    doc = build_document(markdown_blocks(markdown.encode())[1])
    return {m.kind for m in extract_manifest(doc).security_measures}


# (kind, language, sentence under a security heading)
PROMISES = [
    ("tls", "en", "All traffic between your browser and our servers uses TLS."),
    ("tls", "fr", "Les échanges avec le site passent par des connexions chiffrées."),
    ("tls", "de", "Die Übertragung erfolgt über eine verschlüsselte Verbindung."),
    ("encryption", "en", "Stored documents are encrypted at rest."),
    ("encryption", "fr", "Les documents sont chiffrés dans notre base."),
    ("encryption", "de", "Gespeicherte Dokumente werden verschlüsselt."),
    ("access_management", "en", "Access to your personal information is restricted to the staff who handle your request."),
    ("access_management", "fr", "L'accès aux données est réservé aux agents chargés du dossier."),
    ("access_management", "de", "Der Zugriff auf Ihre Daten ist auf wenige Beschäftigte beschränkt."),
    ("authentication", "en", "Every account is protected by a password and two-factor authentication."),
    ("authentication", "fr", "Chaque compte est protégé par un mot de passe."),
    ("authentication", "de", "Jedes Konto ist durch ein Passwort geschützt."),
    ("backups", "en", "We make daily backups of the database."),
    ("backups", "fr", "Des sauvegardes quotidiennes sont réalisées."),
    ("backups", "de", "Wir erstellen tägliche Backups."),
    ("firewall", "en", "Our servers sit behind a firewall."),
    ("firewall", "fr", "Nos serveurs sont protégés par un pare-feu."),
    ("firewall", "de", "Unsere Server stehen hinter einer Firewall."),
    ("network_monitoring", "en", "We use intrusion detection on our network."),
    ("network_monitoring", "fr", "La journalisation des accès assure la traçabilité."),
    ("network_monitoring", "de", "Die Protokollierung der Zugriffe erlaubt die Angriffserkennung."),
    ("training", "en", "Our staff receive regular training."),
    ("training", "fr", "Nos salariés suivent une formation régulière."),
    ("training", "de", "Unsere Mitarbeiter werden regelmäßig geschult."),
    ("confidentiality", "en", "Our processors are bound by confidentiality agreements."),
    ("confidentiality", "fr", "Nos prestataires sont soumis à des obligations de confidentialité."),
    ("confidentiality", "de", "Alle Beschäftigten sind zur Verschwiegenheit verpflichtet."),
    ("data_minimisation", "en", "We only collect the data we need for the service."),
    ("data_minimisation", "fr", "Nous limitons la collecte au strict nécessaire."),
    ("data_minimisation", "de", "Wir folgen dem Grundsatz der Datensparsamkeit."),
]


@pytest.mark.parametrize(("kind", "language", "sentence"), PROMISES)
def test_a_promise_of_each_kind_is_found(kind: str, language: str, sentence: str) -> None:
    assert kind in kinds(f"# {ORG}\n\n{HEADING[language]}\n\n{sentence}\n")


def test_every_kind_has_a_promise_in_every_language() -> None:
    covered = {(k, lang) for k, lang, _ in PROMISES}
    expected = {(m.kind, lang) for m in vocabulary().kinds if m.kind != "certificates" for lang in LANGUAGES}
    assert expected <= covered


@pytest.mark.parametrize(("markdown", "absent", "why"), [
    (f"{PLAIN['en']}\n\nRead more at https://example.org/tls-and-https.\n", "tls", "a link is not a promise"),
    (f"{HEADING['en']}\n\nWe do not use encryption for newsletters.\n", "encryption", "negated"),
    (f"{HEADING['de']}\n\nWir verwenden keine Firewall.\n", "firewall", "negated"),
    (f"{PLAIN['en']}\n\nOur data protection officer reviews monitoring reports.\n", "network_monitoring",
     "a privacy-law title is not a security passage"),
    (f"{PLAIN['de']}\n\nDer Datenschutzbeauftragte erhält eine Schulung.\n", "training",
     "'Datenschutz' names privacy law, not security"),
    (f"{HEADING['en']}\n\nWe keep login data for a year.\n", "authentication", "login data is data, not a log-in"),
    (f"{HEADING['fr']}\n\nNous conservons les quatre derniers chiffres de la carte.\n", "encryption",
     "'chiffres' are digits"),
    (f"{PLAIN['en']}\n\nYou have the right to access your data and to obtain access rights information.\n",
     "access_management", "access rights outside a security passage are the data subject's"),
])
def test_wording_that_is_not_a_promise(markdown: str, absent: str, why: str) -> None:
    assert absent not in kinds(f"# {ORG}\n\n{markdown}"), why


def test_the_organisations_subject_matter_is_not_a_promise() -> None:
    service = "\n\n".join(f"We issue {w} certificates to websites that ask for them." for w in ("free", "new", "short"))
    markdown = f"# {ORG}\n\n{PLAIN['en']}\n\n{service}\n\n{HEADING['en']}\n\nCertificates protect our servers.\n"
    assert "certificates" not in kinds(markdown)
    assert "certificates" in kinds(f"# {ORG}\n\n{HEADING['en']}\n\nCertificates protect our servers.\n")


def test_every_pattern_compiles_and_every_kind_explains_itself() -> None:
    for measure in vocabulary().kinds:
        assert measure.why and (measure.in_context or measure.anywhere), measure.kind
        assert re.compile(measure.in_context.pattern if measure.in_context else measure.anywhere.pattern)
