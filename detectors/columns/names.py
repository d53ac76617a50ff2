"""Name evidence: what a column's name says it holds, read token-wise in EN/FR/DE/LU naming conventions.

Names are normalised (`customerEmail` -> `customer_email`, `Geburtsdatum` -> `geburtsdatum`) and split
into tokens. A rule names the entity the column suggests and the check its values must pass (see
`values.py`). The *last* word of a name says what the column is: `address_line1` is an address, but
`AddressType`, `address_type_code` and `phone_status` are kinds, codes and states *of* an address or a
phone (`describes_a_kind`), and no rule applies to them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from detectors.columns.values import (
    is_age, is_birth_date, is_date_like, is_honorific, is_image, is_job_title, is_name_part, is_number,
    is_order_ref,
    is_person_name, is_token, is_token_or_word, is_word_text,
)


def normalise_name(name: str) -> str:
    """`customerEmail` -> `customer_email`, `Prénom` -> `prenom`, `Date de naissance` -> `date_de_naissance`;
    `Age (2)` (a label repeated by a table side by side) -> `age`."""
    name = re.sub(r"\s\(\d+\)$", "", name.strip())
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("ß", "ss")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", name).strip("_")


def tokens(name: str) -> list[str]:
    return [t for t in normalise_name(name).split("_") if t]


# A word after the entity word that makes the column a kind/state/description of it, not the thing itself.
DESCRIPTORS = {"type", "types", "kind", "category", "categorie", "status", "statut", "state_code", "description",
               "desc", "descr", "count", "flag", "format", "verified", "valid", "typ", "art", "opt", "optin"}


def describes_a_kind(name: str) -> bool:
    """`AddressType`, `address_type_code`, `email_verified`: a descriptor word after the first word."""
    words = tokens(name)
    return any(w in DESCRIPTORS for w in words[1:])


# Nouns for people in the roles tables and columns name (EN/FR/DE, singular; plurals are stripped).
PERSON_NOUNS = {
    "person", "people", "individual", "customer", "client", "employee", "emp", "staff", "personnel", "worker",
    "student", "stu", "pupil", "teacher", "tutor", "professor", "prof", "author", "patient", "physician",
    "doctor", "nurse", "user", "member", "owner", "guest", "professional", "contact", "applicant", "candidate",
    "driver", "passenger", "player", "manager", "agent", "director", "founder", "president", "ceo", "head",
    "chief", "leader", "coach", "captain", "representative", "salesperson", "seller", "buyer", "tenant",
    "landlord", "resident", "volunteer", "subscriber", "recipient", "sender", "spouse", "witness", "lawyer",
    "judge", "actor", "artist", "singer", "writer", "editor", "reviewer", "host", "participant", "attendee",
    "beneficiary", "insured", "policyholder", "debtor", "creditor", "donor", "voter", "citizen", "visitor",
    "traveller", "traveler", "friend", "follower", "parent", "child", "kid", "instructor", "trainer", "lecturer",
    "surgeon", "dentist", "therapist", "caregiver", "consultant", "contractor", "intern", "trainee", "officer",
    "clerk", "cashier", "receptionist", "secretary", "assistant", "supervisor", "administrator", "operator",
    # FR / DE / LU
    "personne", "salarie", "employe", "eleve", "etudiant", "enseignant", "auteur", "medecin", "infirmier",
    "infirmiere", "proprietaire", "locataire", "responsable", "gerant", "directeur", "fondateur", "adherent",
    "membre", "beneficiaire", "assure", "kunde", "kundin", "mitarbeiter", "mitarbeiterin", "angestellter",
    "schuler", "lehrer", "arzt", "arztin", "patientin", "inhaber", "grunder", "leiter", "mieter", "eigentumer",
    "mitglied", "benutzer", "nutzer", "bewerber", "vertreter", "ansprechpartner", "personal",
}
# Nouns for things: catalogues, places, animals, products, events. A table named so is about things.
THING_NOUNS = {
    "product", "item", "article", "sku", "catalog", "catalogue", "job", "jobs", "language", "pet", "dog", "cat",
    "animal", "breed", "species", "store", "shop", "department", "dept", "company", "manufacturer", "brand",
    "building", "apartment", "room", "facility", "premise", "premises", "branch", "office", "warehouse", "car",
    "vehicle", "model", "make", "flight", "airport", "airline", "route",
    "region", "country", "continent", "city", "location", "category", "type", "ref", "lookup",
    "code", "course", "event", "order", "invoice", "transaction", "payment", "shipment", "delivery", "asset",
    "inventory", "service", "campaign", "project", "track", "album", "genre", "playlist", "media", "film",
    "movie", "book", "song", "team", "club", "league", "game", "match", "station", "port", "ship", "product_category",
    "organisation", "organization", "chain", "supplier", "vendor", "school", "university", "college", "hospital",
    "procedure", "medication", "allergy", "treatment", "booking", "reservation",
    "produit", "article", "magasin", "entreprise", "societe", "commande", "facture", "produkt", "artikel",
    "geschaft", "firma", "bestellung", "rechnung", "abteilung", "gebaude", "hund", "tier", "sprache",
}


def singular(word: str) -> str:
    if word in ("people", "staff", "personnel", "premises", "species"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def noun_tokens(name: str) -> list[str]:
    return [singular(t) for t in tokens(name)]


def names_a_person_role(name: str) -> bool:
    """`building_manager`, `Founder`, `SalesPerson`, `author_name`: the column names a person's role."""
    words = noun_tokens(name)
    words = words[:-1] if len(words) > 1 and words[-1] in ("name", "nom", "full_name") else words
    return bool(words) and words[-1] in PERSON_NOUNS


# Words before `name` that make it the name of an organisation or a thing, even in a table about people.
_NOT_A_PERSON_NAME = THING_NOUNS | {"org", "employer", "firm", "business", "bank", "account", "file", "domain",
                                    "host", "server", "table", "column", "field", "user", "login", "screen",
                                    "display", "nick", "legal", "trading", "group"}


def names_a_name(name: str) -> bool:
    """`personal_name`, `known_as_name`, `NomUsuel`: a name of something, not of an organisation or a thing
    (`company_name`, `dept_name`, `user_name`). In a table about people it names the person."""
    words = noun_tokens(name)
    return len(words) > 1 and words[-1] in ("name", "nom") and not set(words[:-1]) & _NOT_A_PERSON_NAME


@dataclass(frozen=True)
class NameRule:
    entity: str
    pattern: re.Pattern[str]
    check: Callable[[str], bool] | None  # values must pass it (share >= `share`); None = any non-empty
    validated: bool = False  # values must be found as `entity` by the recognizers (or its shape check)
    score: float = 0.7
    share: float = 0.5
    kind: str = ""  # what the entity stands for when it is broader (`honorific` for PERSON), for `why`


def _rule(entity: str, names: str, check: Callable[[str], bool] | None = None, validated: bool = False,
          score: float = 0.7, kind: str = "") -> NameRule:
    return NameRule(entity, re.compile(rf"^(?:\w+_)?(?:{names})(?:_\w+)?$"), check, validated, score, kind=kind)


def _exact(entity: str, names: str, check: Callable[[str], bool] | None = None, validated: bool = False,
           score: float = 0.7, share: float = 0.5, kind: str = "") -> NameRule:
    return NameRule(entity, re.compile(rf"^(?:{names})$"), check, validated, score, share, kind)


NAME_RULES: tuple[NameRule, ...] = (
    _rule("PASSWORD", r"password|passwd|pwd|pass_word|mot_de_passe|mdp|passwort|kennwort|pw_hash|password_hash|"
                      r"password_salt"),
    _rule("PASSPORT", r"passport|passeport|reisepass|pass_nr|passnummer|passport_no"),
    _rule("EMAIL_ADDRESS", r"e_?mail|courriel|email_address|mail_address|adresse_e_?mail|e_?mail_?address",
          validated=True),
    _exact("FIRST_NAME", r"(?:\w+_)?(?:first_?name|given_?name|fname|forename|prenom|vorname)",
           is_word_text),
    _exact("LAST_NAME", r"(?:\w+_)?(?:last_?name|surname|family_?name|lname|nom|nom_de_famille|nachname|"
                        r"familienname|name_de_famille)", is_word_text),
    _exact("PERSON", r"(?:\w+_)?(?:middle_?name|middle_?initial|mi|initial|initials|init|second_?name|"
                     r"maiden_?name|birth_?name|nom_de_jeune_fille|nom_jeune_fille|nom_de_naissance|"
                     r"geburtsname|zweiter_vorname|zweitname)", is_name_part, kind="middle name or initial"),
    # A bare `name` is a genre, a product or a person: a third of the values must look like people's names.
    _exact("PERSON", r"full_?name|name|nom_complet|vollstandiger_name|display_name|(?:\w+_)?(?:customer|employee|"
                     r"contact|client|user|patient|applicant|candidate|kunde|mitarbeiter|salarie|candidat|staff|"
                     r"guest|manager|owner|author|person)_?name", is_person_name, share=0.3),
    _exact("PHONE_NUMBER", r"(?:\w+_)?(?:extension|ext|phone_ext|durchwahl|poste_telephonique)",
           lambda v: v.strip().isdigit() and 2 <= len(v.strip()) <= 6, kind="phone extension"),
    _rule("PHONE_NUMBER", r"phone|telephone|tel|mobile|cell|gsm|portable|telefon|handy|fax", validated=True),
    _rule("IBAN_CODE", r"iban|bank_?account|compte_bancaire|kontonummer|bankverbindung", validated=True),
    _rule("CREDIT_CARD", r"credit_?card|card_?number|cc_number|carte_bancaire|kreditkarte|card_no|pan",
          validated=True),
    _rule("LU_NATIONAL_ID", r"matricule|matricule_national|cns_number|numero_cns", validated=True, score=0.85),
    _rule("FR_NIR", r"nir|numero_securite_sociale|num_secu|secu", validated=True, score=0.85),
    _rule("BE_NATIONAL_NUMBER", r"niss|inss|rijksregisternummer|numero_national|registre_national",
          validated=True, score=0.85),
    _rule("DE_TAX_ID", r"steuer_?id|idnr|steuer_idnr|steueridentifikationsnummer|tax_?id", validated=True,
          score=0.85),
    _rule("NATIONAL_ID", r"national_?id|ssn|social_security(?:_number)?|national_identification(?:_number)?|"
                         r"numero_identification|personalausweis(?:nummer)?|id_card(?:_number)?|"
                         r"insurance_?(?:id|number|no|nr)|versicherungsnummer|numero_d_assure|numero_assure",
          score=0.7),
    _rule("SALARY", r"salary|salaire|gehalt|wage|wages|remuneration|lohn|brutto|netto|pay_rate|annual_pay|"
                    r"commission|bonus", is_number),
    _rule("DATE_OF_BIRTH", r"birth_?date|date_of_birth|dob|date_naissance|date_de_naissance|geburtsdatum|"
                           r"birthday|geboren_am|ne_le|naissance", is_birth_date, score=0.85),
    _exact("AGE", r"(?:\w+_)?(?:age|alter|age_years|age_in_years)", is_age),
    _rule("IP_ADDRESS", r"ip|ip_?address|client_ip|remote_addr|remote_ip|source_ip|ip_adresse", validated=True),
    _rule("COOKIE_ID", r"cookie|cookie_id|session_cookie|tracking_id|visitor_id|ga_client_id|session_token",
          is_token),
    _rule("URL", r"web_?address|website|web_?site|homepage|home_page|url|profile_url|site_web|webseite",
          lambda v: "." in v and " " not in v.strip()),
    _rule("STREET_ADDRESS", r"address|street|adresse|strasse|rue|street_address|address_line_?\d|anschrift|"
                            r"wohnadresse|line_?\d(?:_\w+)?|office",
          is_word_text),
    _rule("POSTAL_CODE", r"zip|zip_?code|postal_?code|postcode|code_postal|plz|postleitzahl"),
    _rule("CITY", r"city|town|ville|localite|ort|stadt|wohnort", is_word_text),
    _exact("LOCATION", r"(?:\w+_)?(?:state|province|county|region|bundesland|kanton|canton|departement)",
           is_word_text, kind="state or region"),
    _exact("LOCATION", r"(?:\w+_)?(?:district|arrondissement|bezirk|landkreis|quartier|neighbou?rhood|suburb)",
           is_word_text, kind="district"),
    _exact("COUNTRY", r"(?:\w+_)?(?:country|pays|land|nationality|nationalite|staatsangehorigkeit)", is_word_text),
    _rule("GENDER", r"gender|sex|sexe|geschlecht|civilite|anrede"),
    _exact("PERSON", r"(?:\w+_)?(?:title|salutation|honorific|suffix|name_suffix|name_prefix|titre|titel)",
           is_honorific, kind="honorific"),
    _rule("USERNAME", r"username|user_name|login|benutzername|nom_utilisateur|nickname|nick|pseudo|handle|"
                      r"screen_name|spitzname", is_token_or_word),
    _exact("JOB_TITLE", r"(?:\w+_)?(?:job_?title|position|poste|fonction|intitule_du_poste|titre_du_poste|"
                        r"occupation|beruf|berufsbezeichnung|stellenbezeichnung|funktion|title|role|rank|grade|"
                        r"dienstgrad)(?:_code)?|(?:\w+_)?job_?code", is_job_title),
    _exact("JOB_TITLE", r"(?:\w+_)?(?:hire_?date|hiredate|date_hired|hired_on|date_joined(?:_\w+)?|"
                        r"date_left(?:_\w+)?|join_date|leave_date|start_date|end_date|termination_date|"
                        r"date_embauche|date_d_embauche|eintrittsdatum|austrittsdatum|date_entree|date_sortie)",
           is_date_like, kind="employment date"),
    _exact("ORDER_ID", r"(?:\w+_)?(?:order_?(?:id|ref|reference|number|no|nr)|numero_de_commande|num_commande|"
                       r"commande_id|bestellnummer|bestell_nr|auftragsnummer)", is_order_ref),
    _rule("PHOTO", r"photo|picture|pic|image|img|avatar|portrait|headshot|mugshot|foto|bild|passbild|"
                   r"photo_identite|profile_picture", is_image),
    _rule("DEVICE_ID", r"device_?id|imei|idfa|advertising_id|mac_address"),
    _rule("HEALTH", r"diagnosis|diagnostic|diagnose|medical_condition|sick_leave|illness|maladie|krankheit|"
                    r"health_status|disability|handicap|behinderung|arret_maladie|medication", score=0.75),
    _rule("RELIGION", r"religion|confession|konfession|religious_affiliation|kirchensteuer", score=0.75),
    _rule("TRADE_UNION", r"union_member(?:ship)?|trade_union|syndicat|syndique|gewerkschaft\w*", score=0.75),
    _rule("ETHNIC_ORIGIN", r"ethnicity|ethnic_origin|race|origine_ethnique|ethnie", score=0.75),
    _rule("CRIMINAL_RECORD", r"criminal_record|casier_judiciaire|convictions?|vorstrafen?|fuhrungszeugnis",
          score=0.75),
    _rule("POLITICAL_OPINION", r"political_party|party_membership|parti_politique|partei", score=0.75),
    _rule("SEXUAL_ORIENTATION", r"sexual_orientation|orientation_sexuelle|sexuelle_orientierung", score=0.75),
    _rule("BIOMETRIC", r"fingerprint_template|biometric(?:_template|_data)?|face_template|empreinte_digitale",
          score=0.75),
)
