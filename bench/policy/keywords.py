"""The naive baseline of issue 14: at most 20 keywords per data type and language, no negation, no context.

A type is declared when any of its keywords occurs anywhere in the policy (case-insensitive, whole word
prefix). This is what "read the policy for keywords" gives; `policy extract` must beat it by 0.10 F1.
"""

from __future__ import annotations

import re

# key -> language -> keywords (<= 20 each). Matching is case-insensitive at a word start.
KEYWORDS: dict[str, dict[str, list[str]]] = {
    "user.name": {
        "en": ["your name", "full name", "first name", "last name", "surname", "names"],
        "fr": ["nom", "prénom", "noms"],
        "de": ["Name", "Vorname", "Nachname", "Namen"],
    },
    "user.contact.email": {
        "en": ["email address", "e-mail address", "email", "e-mail"],
        "fr": ["adresse e-mail", "adresse électronique", "courriel", "adresse mail", "e-mail"],
        "de": ["E-Mail-Adresse", "E-Mail", "Email-Adresse", "Mailadresse"],
    },
    "user.contact.phone_number": {
        "en": ["phone number", "telephone", "mobile number"],
        "fr": ["téléphone", "numéro de portable"],
        "de": ["Telefonnummer", "Telefon", "Rufnummer", "Handynummer"],
    },
    "user.contact.address": {
        "en": ["postal address", "home address", "billing address", "shipping address", "mailing address"],
        "fr": ["adresse postale", "adresse de livraison", "adresse de facturation"],
        "de": ["Anschrift", "Postanschrift", "Adresse", "Wohnort"],
    },
    "user.contact.organization": {
        "en": ["company name", "organisation", "organization"],
        "fr": ["organisation", "entreprise", "société", "structure"],
        "de": ["Firma", "Organisation", "Unternehmen"],
    },
    "user.device.ip_address": {
        "en": ["IP address", "Internet Protocol"],
        "fr": ["adresse IP"],
        "de": ["IP-Adresse", "IP Adresse"],
    },
    "user.device.cookie_id": {
        "en": ["cookie", "cookies", "pixel", "web beacon", "local storage"],
        "fr": ["cookie", "cookies", "traceur", "traceurs"],
        "de": ["Cookie", "Cookies"],
    },
    "user.device.device_id": {
        "en": ["device identifier", "device ID", "advertising identifier"],
        "fr": ["identifiant de l'appareil", "identifiant unique"],
        "de": ["Gerätekennung", "Geräte-ID"],
    },
    "user.device": {
        "en": ["browser", "operating system", "device type", "device information", "user agent"],
        "fr": ["navigateur", "système d'exploitation", "terminal", "appareil"],
        "de": ["Browser", "Betriebssystem", "Browsertyp", "Endgerät"],
    },
    "user.behavior.browsing_history": {
        "en": ["pages visited", "referrer", "referring", "browsing", "pages you visit"],
        "fr": ["pages visitées", "navigation", "site référent"],
        "de": ["Referrer", "besuchte Seite", "aufgerufene Seite", "Webseiten, die"],
    },
    "user.behavior.purchase_history": {
        "en": ["order", "purchase", "subscription", "transaction"],
        "fr": ["commande", "achat", "abonnement"],
        "de": ["Bestellung", "Kauf", "Abonnement", "Mitgliedsbeitrag"],
    },
    "user.behavior": {
        "en": ["usage data", "how you use", "interaction", "analytics", "statistics"],
        "fr": ["statistiques", "mesure d'audience", "utilisation du service"],
        "de": ["Nutzungsdaten", "Statistik", "Reichweitenmessung", "Analyse"],
    },
    "user.content.private": {
        "en": ["messages", "content you", "files", "CV", "resume", "cover letter", "form"],
        "fr": ["message", "contenu", "fichiers", "formulaire", "CV"],
        "de": ["Nachricht", "Inhalt", "Lebenslauf", "Formular", "Anfrage"],
    },
    "user.content.public": {
        "en": ["comment", "post", "public profile", "publicly"],
        "fr": ["commentaire", "publication", "public"],
        "de": ["Kommentar", "Beitrag", "öffentlich"],
    },
    "user.content.self_image": {
        "en": ["profile picture", "avatar", "photo"],
        "fr": ["photo de profil", "avatar", "photo"],
        "de": ["Profilbild", "Foto", "Avatar"],
    },
    "user.account": {
        "en": ["account", "username", "user name", "password", "login"],
        "fr": ["compte", "identifiant", "mot de passe"],
        "de": ["Konto", "Benutzerkonto", "Benutzername", "Passwort"],
    },
    "user.financial": {
        "en": ["payment", "billing", "invoice", "bank", "credit card"],
        "fr": ["paiement", "facturation", "facture", "banque", "carte bancaire", "RIB", "IBAN"],
        "de": ["Zahlung", "Bankverbindung", "IBAN", "Kontonummer", "Kreditkarte", "Rechnung", "Lastschrift"],
    },
    "user.location": {
        "en": ["location", "geolocation", "country", "region"],
        "fr": ["localisation", "géolocalisation", "pays", "ville"],
        "de": ["Standort", "Geolokalisierung", "Land", "Ort"],
    },
    "user.demographic": {
        "en": ["age", "gender", "date of birth", "language", "accent"],
        "fr": ["âge", "sexe", "genre", "date de naissance", "langue"],
        "de": ["Alter", "Geschlecht", "Geburtsdatum", "Sprache"],
    },
    "user.social": {
        "en": ["likes", "follows", "followers", "social media", "social network"],
        "fr": ["réseaux sociaux", "abonnés", "j'aime"],
        "de": ["soziale Netzwerke", "Social Media", "Follower"],
    },
    "user.workplace": {
        "en": ["employer", "school", "workplace"],
        "fr": ["employeur", "établissement", "école"],
        "de": ["Arbeitgeber", "Schule", "Arbeitsplatz"],
    },
    "user.job_title": {
        "en": ["job title", "position", "employment history"],
        "fr": ["poste", "fonction", "profession"],
        "de": ["Beruf", "Position", "Berufsbezeichnung"],
    },
    "user.childrens": {
        "en": ["children", "child", "minors", "under 13", "under 16"],
        "fr": ["enfants", "mineurs", "élèves"],
        "de": ["Kinder", "Minderjährige", "Schüler"],
    },
    "user.health_and_medical": {
        "en": ["health", "medical"], "fr": ["santé", "médical"], "de": ["Gesundheit", "medizinisch"],
    },
    "user.biometric": {
        "en": ["biometric", "fingerprint", "voice"], "fr": ["biométrique", "voix"], "de": ["biometrisch", "Stimme"],
    },
    "user.demographic.religious_belief": {
        "en": ["religion", "religious"], "fr": ["religion", "religieuses"], "de": ["Religion", "religiös"],
    },
    "user.demographic.political_opinion": {
        "en": ["political"], "fr": ["politiques"], "de": ["politisch"],
    },
    "user.demographic.race_ethnicity": {
        "en": ["racial", "ethnic"], "fr": ["raciale", "ethnique"], "de": ["rassisch", "ethnisch"],
    },
    "user.criminal_history": {
        "en": ["criminal"], "fr": ["pénales", "judiciaire"], "de": ["strafrechtlich", "Straftaten"],
    },
    "user.government_id": {
        "en": ["passport", "national ID", "social security number", "driver's license"],
        "fr": ["passeport", "carte d'identité", "numéro de sécurité sociale"],
        "de": ["Personalausweis", "Reisepass", "Steuer-ID"],
    },
}
assert all(len(words) <= 20 for by_lang in KEYWORDS.values() for words in by_lang.values())

_COMPILED = {
    key: {lang: re.compile("|".join(rf"\b{re.escape(w)}" for w in words), re.IGNORECASE)
          for lang, words in by_lang.items()}
    for key, by_lang in KEYWORDS.items()
}


def keyword_manifest(text: str, language: str) -> dict:
    """A manifest dict (the shape the scorer reads) declaring every type whose keyword occurs."""
    categories = []
    for key, by_lang in _COMPILED.items():
        pattern = by_lang.get(language)
        if pattern is not None and (m := pattern.search(text)):
            categories.append({"key": key, "declared": True, "evidence": [{"quote": m.group(0)}]})
    return {"language": language, "categories": categories}
