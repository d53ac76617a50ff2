"""The lexicon (scanner/policy/lexicon.yaml) as data: valid keys, three languages, term syntax, and one
sentence per family in each language declaring what the lexicon says."""

from __future__ import annotations

import re

import pytest

from scanner.policy import fideslang_category_keys
from scanner.policy.extract import extract_manifest
from scanner.policy.formats import markdown_blocks
from scanner.policy.lexicon import LANGUAGES, find_terms, load_lexicon, term_pattern
from scanner.policy.reader import build_document


def test_every_key_is_a_fideslang_user_key_with_three_languages() -> None:
    known = fideslang_category_keys()
    entries = load_lexicon()
    assert len(entries) >= 50
    for entry in entries:
        assert entry.key in known and entry.key.startswith("user."), entry.key
        assert entry.why, entry.key
        for language in LANGUAGES:
            assert entry.terms[language], f"{entry.key} has no {language} terms"


def test_the_lexicon_covers_every_family_of_the_user_tree() -> None:
    families = {".".join(k.split(".")[:2]) for k in fideslang_category_keys() if k.startswith("user.")}
    covered = {".".join(e.key.split(".")[:2]) for e in load_lexicon()}
    # user.payment: policies' payment wording ("payment information") is user.financial, which fideslang
    # describes as "payment data and financial history"; a second key for the same words would split them
    assert families - covered <= {"user.payment"}


def test_every_term_compiles() -> None:
    for entry in load_lexicon():
        for language in LANGUAGES:
            for term in entry.terms[language]:
                re.compile(term_pattern(term, language == "de"))


@pytest.mark.parametrize(("term", "text", "matches"), [
    ("e mail address*", "your e-mail addresses", True),
    ("Gesundheit*", "Gesundheitsdaten", True),
    ("carte d'identité", "carte d’identité", True),
    ("IP address*", "VIP addresses", False),  # whole words only
])
def test_term_syntax(term: str, text: str, matches: bool) -> None:
    assert bool(re.search(term_pattern(term), text, re.IGNORECASE)) is matches


def test_german_capitalised_terms_match_nouns_only() -> None:
    assert [t.key for t in find_terms("Wir speichern Ihre Spracheinstellung.", "de")] == ["user.demographic.language"]
    assert find_terms("Wir nutzen Abonnement-Daten.", "de")
    assert not find_terms("wenn Sie abonnement sagen", "de")


@pytest.mark.parametrize(("sentence", "language", "key"), [
    ("bank account details", "en", "user.financial.bank_account"),  # leftmost wins over "account details"
    ("your profile picture", "en", "user.content.self_image"),  # a possessive does not make "your profile" win
    ("health and safety rules", "en", None),  # an exclusion
])
def test_overlaps_and_exclusions(sentence: str, language: str, key: str | None) -> None:
    assert [t.key for t in find_terms(sentence, language)][:1] == ([key] if key else [])


# One sentence per family and language: "we collect X" declares the lexicon's key for X.
FAMILIES = [
    ("We collect your browser type and operating system.", "user.device"),
    ("We collect your approximate location.", "user.location.imprecise"),
    ("We store your username.", "user.account.username"),
    ("We store the comments you post.", "user.content.public"),
    ("We record the pages visited and the referring URL.", "user.behavior.browsing_history"),
    ("We keep the list of your followers.", "user.social"),
    ("We process your bank account number.", "user.financial.bank_account"),
    ("We collect your gender and your age range.", "user.demographic.gender"),
    ("We process your employer's name.", "user.workplace"),
    ("Nous collectons le type de navigateur et le système d'exploitation.", "user.device"),
    ("Nous collectons votre localisation approximative.", "user.location.imprecise"),
    ("Nous conservons votre nom d'utilisateur.", "user.account.username"),
    ("Nous enregistrons les pages visitées.", "user.behavior.browsing_history"),
    ("Nous traitons vos coordonnées bancaires.", "user.financial.bank_account"),
    ("Nous collectons votre photo de profil.", "user.content.self_image"),
    ("Wir erheben den Browsertyp und das Betriebssystem.", "user.device"),
    ("Wir speichern Ihren ungefähren Standort.", "user.location.imprecise"),
    ("Wir speichern Ihren Benutzernamen.", "user.account.username"),
    ("Wir protokollieren den Referrer und die aufgerufene Seite.", "user.behavior.browsing_history"),
    ("Wir verarbeiten Ihre Bankverbindung.", "user.financial.bank_account"),
    ("Wir speichern Ihr Profilbild.", "user.content.self_image"),
    ("The app records accelerometer and gyroscope readings.", "user.sensor"),
    ("L'application enregistre les données des capteurs de votre téléphone.", "user.sensor"),
    ("Die App speichert Bewegungsdaten Ihres Telefons.", "user.sensor"),
    ("The app measures ambient noise while you record.", "user.user_sensor"),
    ("L'application enregistre la luminosité ambiante.", "user.user_sensor"),
    ("Die App erfasst das Umgebungslicht.", "user.user_sensor"),
]


@pytest.mark.parametrize(("sentence", "key"), FAMILIES)
def test_one_sentence_per_family_declares_its_key(sentence: str, key: str) -> None:
    doc = build_document(markdown_blocks(f"# Policy\n\n{sentence}\n".encode())[1])
    assert key in extract_manifest(doc).declared_keys()
