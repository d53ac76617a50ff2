"""The statement reader, one pattern at a time in English, French and German: what a sentence declares
depends on who does what to the data, not on the words alone. Sentences are written for these tests."""

from __future__ import annotations

import pytest
from faker import Faker

from scanner.manifest import PolicyManifest
from scanner.policy.extract import extract, extract_manifest
from scanner.policy.formats import markdown_blocks
from scanner.policy.reader import build_document

SPECIAL = ("user.health_and_medical", "user.biometric", "user.demographic.religious_belief",
           "user.demographic.political_opinion", "user.demographic.sexual_orientation",
           "user.demographic.race_ethnicity", "user.criminal_history", "user.government_id", "user.childrens")


def manifest_of(markdown: str) -> PolicyManifest:
    return extract_manifest(build_document(markdown_blocks(markdown.encode())[1]))


def declared(markdown: str) -> set[str]:
    return manifest_of(markdown).declared_keys()


def special_declared(markdown: str) -> set[str]:
    return {k for k in declared(markdown) if any(k == s or k.startswith(s + ".") for s in SPECIAL)}


_FAKE = Faker(["en_GB"])
_FAKE.seed_instance(14)
COMPANIES = [_FAKE.company() for _ in range(3)]  # names such as "Smith, Ellis and Williams" change the parse
COMPANY = COMPANIES[0]

# (language, pattern, sentence): a special category named in a sentence that must not declare it.
NEVER = [
    ("en", "negated", "We do not collect health data, biometric data or information about your religion."),
    ("en", "negated far away", "When we show you adverts we will never, under any circumstances and whatever "
     "the campaign or the partner involved, link a cookie identifier with categories such as health, political "
     "opinions or sexual orientation."),
    ("en", "negated obligation", "You do not have to give us your passport number or your criminal record."),
    ("en", "protective", "Encryption is used to protect your passport number and your medical records."),
    ("en", "protective", "TLS secures the transfer of any health information you send."),
    ("en", "third party", f"Our advertising partners such as {COMPANY} may collect data about your ethnicity."),
    ("en", "third party", "Payment providers process your national insurance number under their own policies."),
    ("en", "sharing", "We never sell biometric data, and we share religious beliefs with no one."),
    ("fr", "negated", "Nous ne collectons jamais de données de santé ni de données biométriques."),
    ("fr", "negated", "Nous ne traitons aucune donnée relative à vos opinions politiques."),
    ("fr", "protective", "Le chiffrement protège votre numéro de sécurité sociale et vos données médicales."),
    ("fr", "third party", f"Nos partenaires publicitaires comme {COMPANY} peuvent collecter votre origine ethnique."),
    ("de", "negated", "Wir verarbeiten keine Gesundheitsdaten und keine biometrischen Daten."),
    ("de", "negated", "Wir erheben niemals Angaben zu Ihrer Religion oder Ihrer politischen Meinung."),
    ("de", "protective", "Eine Verschlüsselung schützt Ihre Personalausweisnummer und Ihre medizinischen Befunde."),
    ("de", "third party", f"Von unseren Werbepartnern wie {COMPANY} werden Angaben zur ethnischen Herkunft erhoben."),
]


NEVER += [
    (language, "third party", template.format(company=company))
    for company in COMPANIES[1:]
    for language, template in [
        ("en", "Our advertising partners such as {company} may collect data about your ethnicity."),
        ("fr", "Nos partenaires publicitaires comme {company} peuvent collecter votre origine ethnique."),
        ("de", "Von unseren Werbepartnern wie {company} werden Angaben zur ethnischen Herkunft erhoben."),
    ]
]


@pytest.mark.parametrize(("language", "pattern", "sentence"), NEVER)
def test_no_special_category_from_negated_protective_or_third_party_sentences(
    language: str, pattern: str, sentence: str
) -> None:
    assert special_declared(f"# Policy\n\n{sentence}\n") == set(), pattern


# The same kinds of data, stated as the controller's own collection, must be declared (the tests above can fail).
DECLARES = [
    ("We collect health data to manage sick leave.", "user.health_and_medical"),
    ("We process your passport number when you book a trip.", "user.government_id.passport_number"),
    ("Nous collectons des données de santé pour gérer les arrêts de travail.", "user.health_and_medical"),
    ("Nous conservons une copie de votre carte d'identité.", "user.government_id.national_identification_number"),
    ("Wir verarbeiten Gesundheitsdaten, um Krankmeldungen zu bearbeiten.", "user.health_and_medical"),
    ("Wir speichern Ihre Steuer-ID für die Lohnabrechnung.", "user.government_id.national_identification_number"),
]


@pytest.mark.parametrize(("sentence", "key"), DECLARES)
def test_controller_collection_declares_the_special_category(sentence: str, key: str) -> None:
    assert key in declared(f"# Policy\n\n{sentence}\n")


@pytest.mark.parametrize("sentence", [
    "If you are under 13, you may not send us any information about yourself.",
    "Our services are not intended for children under the age of 16.",
    "Nos services ne s'adressent pas aux enfants de moins de 15 ans.",
    "Unsere Dienste richten sich nicht an Kinder unter 16 Jahren.",
    "We understand how important it is to protect children's privacy online.",
])
def test_children_boilerplate_does_not_declare_childrens(sentence: str) -> None:
    assert "user.childrens" not in declared(f"# Policy\n\n{sentence}\n")


@pytest.mark.parametrize("sentence", [
    "Personal data means any information relating to an identified or identifiable natural person, such as a "
    "name, an identification number, location data, or factors specific to genetic or mental identity.",
    "Les données personnelles désignent toute information se rapportant à une personne physique identifiée, "
    "comme un nom, une adresse e-mail ou des données de santé.",
    "Personenbezogene Daten sind alle Informationen, die sich auf eine identifizierbare natürliche Person beziehen, "
    "etwa Name, Anschrift oder genetische Merkmale.",
])
def test_a_definition_of_personal_data_declares_nothing(sentence: str) -> None:
    assert declared(f"# Definitions\n\n{sentence}\n") == set()


@pytest.mark.parametrize("sentence", [
    "You can contact our Data Protection Officer by e-mail at privacy@example.org or by phone.",
    "Pour exercer vos droits, contactez notre délégué à la protection des données à l'adresse e-mail dpo@example.fr.",
    "Verantwortlich ist: Beispiel GmbH, Kontaktdaten: Name, Anschrift, E-Mail-Adresse des Vorstands.",
])
def test_the_controllers_own_contact_details_declare_nothing(sentence: str) -> None:
    keys = declared(f"# Contact\n\n{sentence}\n")
    assert not {k for k in keys if k.startswith(("user.contact", "user.name"))}


def test_a_heading_declares_nothing_but_list_items_under_a_collecting_sentence_do() -> None:
    policy = (
        "# Policy\n\n## Payment information\n\nWe explain below how we handle this.\n\n"
        "## Data we hold\n\nWe collect the following information:\n\n- your e-mail address\n- your IP address\n"
        "- the browser type and operating system of your device\n"
    )
    keys = declared(policy)
    assert {"user.contact.email", "user.device.ip_address", "user.device"} <= keys
    assert not {k for k in keys if k.startswith("user.financial")}


@pytest.mark.parametrize(("policy", "expected"), [
    ("# Politique\n\n## Données\n\nNous collectons les données suivantes :\n\n- votre adresse e-mail\n"
     "- votre numéro de téléphone\n", {"user.contact.email", "user.contact.phone_number"}),
    ("# Datenschutz\n\n## Arten der verarbeiteten Daten\n\n- E-Mail-Adresse\n- IP-Adresse\n- Browsertyp\n",
     {"user.contact.email", "user.device.ip_address", "user.device"}),
])
def test_list_items_inherit_their_intro_or_heading(policy: str, expected: set[str]) -> None:
    assert expected <= declared(policy)


def test_list_items_under_a_negated_intro_declare_nothing() -> None:
    policy = "# Policy\n\n## Data\n\nWe never collect the following:\n\n- your home address\n- your phone number\n"
    assert not {k for k in declared(policy) if k.startswith("user.contact")}


def test_a_verb_is_not_a_data_noun() -> None:
    # "orders" is what a visitor does here; the policy names the address it keeps
    keys = declared("# Shop\n\nIf a visitor orders something, we collect a delivery address.\n")
    assert "user.contact.address" in keys
    assert "user.contact.phone_number" not in keys  # the orders topic's implication is not taken from a verb


def test_implied_keys_give_way_to_the_policys_own_words() -> None:
    keys = declared("# Policy\n\nWe process your orders.\n\nFor orders we collect your e-mail address.\n")
    assert "user.behavior.purchase_history" in keys and "user.contact.email" in keys
    assert "user.contact.phone_number" not in keys


def test_every_declared_category_quotes_its_sentence_and_section() -> None:
    text = "# Policy\n\n## What we collect\n\nWe collect your username and your profile picture.\n"
    manifest = manifest_of(text)
    for key in ("user.account.username", "user.content.self_image"):
        entry = manifest.category(key)
        assert entry is not None and entry.declared
        assert [(e.quote, e.section) for e in entry.evidence] == [
            ("We collect your username and your profile picture.", "What we collect")]


def test_rejected_candidates_are_kept_with_a_reason() -> None:
    doc = build_document(markdown_blocks(
        "# P\n\n## Security\n\nTLS protects your credit card number.\n\nOur partners collect your IP address.\n".encode()
    )[1])
    reasons = {r.candidate.keys[0]: r.verdict.reason for r in extract(doc).rejected}
    assert "protection statement" in reasons["user.financial.credit_card"]
    assert "third party" in reasons["user.device.ip_address"]


def test_cli_explain_lists_rejected_candidates_with_reasons(tmp_path) -> None:
    from click.testing import CliRunner

    from scanner.cli import cli

    policy = tmp_path / "p.md"
    policy.write_text("# P\n\n## Security\n\nTLS protects your credit card number.\n\nWe collect your e-mail address.\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["policy", "extract", str(policy), "-o", str(tmp_path / "m.yaml"), "--explain"])
    assert result.exit_code == 0, result.output
    assert "user.financial.credit_card “credit card”" in result.output
    assert "protection statement" in result.output
    manifest = PolicyManifest.from_yaml((tmp_path / "m.yaml").read_text(encoding="utf-8"))
    assert "user.contact.email" in manifest.declared_keys()
    assert "user.financial.credit_card" not in manifest.declared_keys()


@pytest.mark.parametrize("sentence", [
    "Anything you send us is transferred to and stored in the United States.",
    "Les journaux sont hébergées aux États-Unis par notre prestataire.",
    "Der Serverstandort ist die USA.",
])
def test_storage_in_a_named_third_country_is_a_transfer_outside_the_eu(sentence: str) -> None:
    assert manifest_of(f"# Policy\n\n{sentence}\n").transfers.outside_eu_allowed is True


def test_demographic_data_never_declares_the_parent_that_covers_special_categories() -> None:
    keys = declared("# Policy\n\nWe collect demographic data such as your age range and gender.\n")
    assert "user.demographic" not in keys
    assert {"user.demographic.age_range", "user.demographic.gender"} <= keys
