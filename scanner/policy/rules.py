"""The inference rules, as data: trigger phrases -> fideslang data categories, one table per language.

This file is what a reviewer reads to know why a manifest declares what it declares. Each rule has a
stable name (`en.orders`), which the manifest's `rationale` cites, a case-insensitive regular expression,
the keys it declares, and one sentence saying why. `primary` keys are the ones a retention period in
the same sentence applies to (an "order" sentence sets the order history's period, not every contact
detail's). Changing a rule changes manifests: bump RULES_VERSION.

Patterns match whole words (`\\b`); `{A}` in a pattern stands for either apostrophe (' or ’).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

RULES_VERSION = 1


@dataclass(frozen=True)
class CategoryRule:
    name: str
    pattern: str
    keys: tuple[str, ...]
    why: str
    primary: tuple[str, ...] = ()  # keys a retention period in the same sentence applies to; () = all keys

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE)

    @property
    def retention_keys(self) -> tuple[str, ...]:
        return self.primary or self.keys


CONTACT = ("user.contact", "user.contact.email", "user.contact.phone_number", "user.contact.address")
NAME = ("user.name",)
FINANCIAL = ("user.financial", "user.financial.bank_account")

# Why-texts shared by the three languages (the trigger words differ, the reasoning does not).
WHY = {
    "orders": "fulfilling an order needs who ordered (name), how to reach and deliver to them (e-mail, phone, "
              "postal address) and what was bought (order history)",
    "correspondence": "corresponding with someone processes their name and contact details",
    "job_applications": "a job application holds the applicant's name and contact details and a CV and cover "
                        "letter (private content the applicant sends, user.content.private, which is how the "
                        "CV detector classifies them) listing current and past job titles and employers",
    "cookies": "cookies are online identifiers (GDPR Recital 30) stored on the visitor's device",
    "website_use": "recording how a person uses a website records the pages visited and the IP address that "
                   "every request carries, an online identifier (GDPR Recital 30; CJEU C-582/14 Breyer)",
    "contact_details": "contact details are e-mail, phone and postal address",
    "email": "names e-mail addresses", "phone": "names phone numbers", "postal_address": "names postal addresses",
    "name": "names people's names", "ip": "names IP addresses", "date_of_birth": "names dates of birth",
    "debt_collection": "collecting a debt processes the amounts owed and the debtor's bank account details",
    "payment": "paying or being paid processes amounts and bank account details",
    "credit_card": "names payment card numbers",
    "health": "mentions health data (a GDPR Art. 9 special category)",
    "genetic": "mentions genetic data (a GDPR Art. 9 special category)",
    "biometric": "mentions biometric data (a GDPR Art. 9 special category)",
    "religion": "mentions religious or philosophical beliefs (a GDPR Art. 9 special category)",
    "political": "mentions political opinions (a GDPR Art. 9 special category)",
    "sexual_orientation": "mentions sexual orientation or sex life (a GDPR Art. 9 special category)",
    "race_ethnicity": "mentions racial or ethnic origin (a GDPR Art. 9 special category)",
    "criminal": "mentions criminal convictions or offences (GDPR Art. 10)",
    "national_id": "mentions national identification numbers (GDPR Art. 87)",
    "passport": "mentions passports", "drivers_license": "mentions driving licences",
    "children": "mentions children's data (GDPR Art. 8)",
    "credentials": "mentions people's own account passwords or credentials as data the controller holds",
}

# (topic, keys, primary) shared by the three tables; the patterns below are per language.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "orders": (("user.behavior.purchase_history", *NAME, *CONTACT), ("user.behavior.purchase_history",)),
    "correspondence": ((*NAME, *CONTACT), ()),
    "job_applications": (
        (*NAME, *CONTACT, "user.content.private", "user.job_title", "user.workplace"),
        ("user.content.private", "user.job_title", "user.workplace"),
    ),
    "cookies": (("user.device.cookie_id",), ()),
    "website_use": (("user.device.ip_address", "user.behavior.browsing_history"), ()),
    "contact_details": (CONTACT, ()),
    "email": (("user.contact.email",), ()),
    "phone": (("user.contact.phone_number",), ()),
    "postal_address": (("user.contact.address",), ()),
    "name": (NAME, ()),
    "ip": (("user.device.ip_address",), ()),
    "date_of_birth": (("user.demographic.date_of_birth",), ()),
    "debt_collection": (FINANCIAL, ()),
    "payment": (FINANCIAL, ()),
    "credit_card": (("user.financial", "user.financial.credit_card"), ("user.financial.credit_card",)),
    "health": (("user.health_and_medical",), ()),
    "genetic": (("user.health_and_medical.genetic",), ()),
    "biometric": (("user.biometric",), ()),
    "religion": (("user.demographic.religious_belief",), ()),
    "political": (("user.demographic.political_opinion",), ()),
    "sexual_orientation": (("user.demographic.sexual_orientation",), ()),
    "race_ethnicity": (("user.demographic.race_ethnicity",), ()),
    "criminal": (("user.criminal_history",), ()),
    "national_id": (("user.government_id.national_identification_number",), ()),
    "passport": (("user.government_id.passport_number",), ()),
    "drivers_license": (("user.government_id.drivers_license_number",), ()),
    "children": (("user.childrens",), ()),
    "credentials": (("user.authorization", "user.authorization.credentials", "user.authorization.password"), ()),
}

A = "['’]"  # either apostrophe

PATTERNS: dict[str, dict[str, str]] = {
    "en": {
        "orders": r"(?<!\bin )\borders\b|\border (?:history|data|details)\b|\bpurchases?\b",
        "correspondence": r"\bcorrespondence\b|\benquir(?:y|ies)\b|\binquir(?:y|ies)\b|\bcontact forms?\b",
        "job_applications": r"\bjob applications?\b|\bapplicants?\b|\brecruit(?:ment|ing)\b|\bcurriculum vitae\b"
                            r"|\bCVs?\b|\brésumés?\b",
        "cookies": r"\bcookies?\b|\bsimilar technologies\b|\btracking technolog(?:y|ies)\b|\bweb beacons?\b",
        "website_use": r"\buse of\b[^.;]{0,40}?\bweb ?sites?\b|\bbrowsing\b|\bserver logs?\b|\busage data\b",
        "contact_details": r"\bcontact (?:details|information|data)\b",
        "email": r"\be-?mail address(?:es)?\b",
        "phone": r"\b(?:tele)?phone numbers?\b|\bmobile numbers?\b",
        "postal_address": r"\b(?:postal|home|billing|delivery|mailing) address(?:es)?\b",
        "name": r"\b(?:your|full|first|last) names?\b|(?:{A}s|s{A}) (?:full )?names?\b"
                r"|\bsurnames?\b",
        "ip": r"\bIP address(?:es)?\b|\bInternet Protocol address(?:es)?\b",
        "date_of_birth": r"\bdates? of birth\b|\bbirth ?dates?\b",
        "debt_collection": r"\bcollect(?:ing)? debts?\b|\bdebt collection\b|\brecover(?:ing|y of)? debts?\b",
        "payment": r"\bpay(?:ing)? for (?:services|products|goods)\b|\bpayments?\b|\binvoic(?:e|es|ing)\b"
                   r"|\bbilling\b|\bbank (?:account|details)\b|\bIBAN\b",
        "credit_card": r"\b(?:credit|debit|payment) cards?\b|\bcard numbers?\b",
        "health": r"\bhealth\b(?! and safety)|\bmedical\b|\bsick(?:ness)?\b|\billness(?:es)?\b"
                  r"|\bdisabilit(?:y|ies)\b",
        "genetic": r"\bgenetic\b",
        "biometric": r"\bbiometrics?\b|\bfingerprints?\b|\bfacial recognition\b",
        "religion": r"\breligio(?:n|ns|us)\b|\bphilosophical beliefs?\b",
        "political": r"\bpolitical (?:opinions?|views|affiliations?)\b",
        "sexual_orientation": r"\bsexual orientation\b|\bsex life\b",
        "race_ethnicity": r"\bracial\b|\bethnic(?:ity)?\b",
        "criminal": r"\bcriminal (?:records?|convictions?|offen[cs]es|history)\b",
        "national_id": r"\bnational (?:identification|identity|ID|registration|insurance) numbers?\b"
                       r"|\bidentity cards?\b|\bID cards?\b|\bsocial security numbers?\b",
        "passport": r"\bpassports?\b",
        "drivers_license": r"\bdriv(?:ing|er{A}?s) licen[cs]es?\b",
        "children": r"\bchild(?:ren)?(?:{A}s)?\b|\bminors\b|\bunder (?:the age of )?1[3-8]\b",
        "credentials": r"\b(?:your|account|user) (?:passwords?|credentials)\b|\blog-?in credentials\b",
    },
    "fr": {
        "orders": r"\bcommandes?\b|\bachats?\b",
        "correspondence": r"\bcorrespondances?\b|\bdemandes? de contact\b|\bformulaires? de contact\b",
        "job_applications": r"\bcandidatures?\b|\bcandidat(?:e|s|es)?\b|\brecrutements?\b|\bCV\b"
                            r"|\bcurriculum vitae\b",
        "cookies": r"\bcookies?\b|\btraceurs?\b|\btémoins de connexion\b",
        "website_use": r"\butilisation de (?:nos|notre|ses|leurs?|ces) sites?\b|\bnavigation\b",
        "contact_details": r"\bcoordonnées\b(?! bancaires)",
        "email": r"\badresses? (?:e-?mail|électroniques?|de courriel)\b|\bcourriels?\b",
        "phone": r"\bnuméros? de (?:téléphone|portable|mobile)\b",
        "postal_address": r"\badresses? (?:postales?|de livraison|de facturation)\b",
        "name": r"\bnoms? et prénoms?\b|\bnoms? de famille\b|\bprénoms?\b|\b(?:votre|vos) noms?\b",
        "ip": r"\badresses? IP\b",
        "date_of_birth": r"\bdates? de naissance\b",
        "debt_collection": r"\brecouvrement\b|\brecouvrer\b|\bcréances?\b",
        "payment": r"\bpaiements?\b|\bpayer\b|\bfacturation\b|\bfactures?\b|\bcoordonnées bancaires\b"
                   r"|\bRIB\b|\bIBAN\b",
        "credit_card": r"\bcartes? (?:bancaires?|de crédit|de paiement)\b",
        "health": r"\bsanté\b|\bmédica(?:l|le|les|ux)\b|\barrêts? (?:de travail|maladie)\b|\bmaladies?\b"
                  r"|\bhandicaps?\b",
        "genetic": r"\bgénétiques?\b",
        "biometric": r"\bbiométriques?\b|\bempreintes? digitales?\b|\breconnaissance faciale\b",
        "religion": r"\breligi(?:on|ons|euses?|eux)\b|\bconvictions philosophiques\b",
        "political": r"\bopinions? politiques?\b",
        "sexual_orientation": r"\borientation sexuelle\b|\bvie sexuelle\b",
        "race_ethnicity": r"\borigines? (?:raciales?|ethniques?)\b|\bethniques?\b",
        "criminal": r"\bcasiers? judiciaires?\b|\bcondamnations? pénales?\b|\binfractions? pénales?\b",
        "national_id": r"\bnuméros? d{A}identification nationale?\b|\bnuméros? de sécurité sociale\b|\bNIR\b"
                       r"|\bcartes? d{A}identité\b|\bmatricules?\b|\bnuméros? national\b",
        "passport": r"\bpasseports?\b",
        "drivers_license": r"\bpermis de conduire\b",
        "children": r"\benfants?\b|\bmineurs?\b|\bmoins de 1[3-8] ans\b",
        "credentials": r"\bmots? de passe (?:de votre compte|que vous)\b|\bidentifiants? de connexion\b",
    },
    "de": {
        "orders": r"\bBestellung(?:en)?\b|\bAufträge\b|\bAuftragsabwicklung\b|\bBestellhistorie\b|\bKäufe\b",
        "correspondence": r"\bKorrespondenz\b|\bKontaktanfragen?\b|\bAnfragen\b|\bKontaktformular\w*",
        "job_applications": r"\bBewerbung\w*|\bBewerber\w*|\bLebensl(?:a|ä)uf\w*|\bRecruiting\b",
        "cookies": r"\bCookies?\b",
        "website_use": r"\bNutzung (?:unserer|der|dieser) (?:Webseiten?|Websites?|Internetseiten?)\b"
                       r"|\bServer-?Log\w*",
        "contact_details": r"\bKontaktdaten\b|\bKontaktinformationen\b",
        "email": r"\bE-?Mail-?Adressen?\b",
        "phone": r"\bTelefonnummern?\b|\bRufnummern?\b",
        "postal_address": r"\b(?:Post|Liefer|Rechnungs)?[Aa]nschriften?\b|\b(?:Post|Liefer)adressen?\b",
        "name": r"\b(?:Vor- und Nach|Vor|Nach)namen?\b|\bIhre[nm]? Namen?\b",
        "ip": r"\bIP-Adressen?\b",
        "date_of_birth": r"\bGeburtsdat(?:um|en)\b",
        "debt_collection": r"\bInkasso\b|\bForderungs(?:einzug|management)\b|\bForderungen\b",
        "payment": r"\bZahlung(?:en|sabwicklung|sdaten)?\b|\bBezahlung\b|\bRechnung(?:en|sstellung)?\b"
                   r"|\bBankverbindung(?:en)?\b|\bBankdaten\b|\bIBAN\b",
        "credit_card": r"\bKreditkarte\w*",
        "health": r"\bGesundheit\w*|\bgesundheitlich\w*|\bmedizinisch\w*|\bKrankmeldung\w*"
                  r"|\bArbeitsunfähigkeit\w*|\bKrankheit\w*|\bBehinderung\w*",
        "genetic": r"\bgenetisch\w*",
        "biometric": r"\bbiometrisch\w*|\bFingerabdr(?:uck|ücke)\w*|\bGesichtserkennung\b",
        "religion": r"\breligiös\w*|\bReligion\w*|\bKonfession\w*|\bWeltanschauung\w*|\bKirchensteuer\w*",
        "political": r"\bpolitisch\w* Meinung\w*",
        "sexual_orientation": r"\bsexuell\w* Orientierung\b|\bSexualleben\b",
        "race_ethnicity": r"\brassisch\w*|\bethnisch\w*",
        "criminal": r"\bVorstrafen\b|\bFührungszeugnis\w*|\bstrafrechtlich\w*|\bStraftaten\b",
        "national_id": r"\bPersonalausweis\w*|\bSteuer-?ID\b|\bSteueridentifikationsnummer\w*"
                       r"|\bSozialversicherungsnummer\w*",
        "passport": r"\bReisep(?:a|ä)ss\w*",
        "drivers_license": r"\bFührerschein\w*",
        "children": r"\bKinder(?:n|s)?\b|\bMinderjährige\w*|\bunter 1[3-8] Jahren\b",
        "credentials": r"\bZugangsdaten\b|\bAnmeldedaten\b|\bPassw(?:o|ö)rter? Ihres Kontos\b",
    },
}

LANGUAGES = tuple(PATTERNS)


def _table(language: str) -> tuple[CategoryRule, ...]:
    return tuple(
        CategoryRule(f"{language}.{topic}", pattern.replace("{A}", A), TOPICS[topic][0], WHY[topic], TOPICS[topic][1])
        for topic, pattern in PATTERNS[language].items()
    )


CATEGORY_RULES: dict[str, tuple[CategoryRule, ...]] = {lang: _table(lang) for lang in LANGUAGES}

# Negation in the same clause before a trigger ("we do not collect health data") turns a mention into
# an explicit "not declared". Retention sentences (a keeping verb and a duration) are exempt: "not kept
# longer than 6 months" says how long, not whether.
NEGATION = re.compile(
    rf"\b(?:not|never|no|nor|neither|without)\b|n{A}t\b"
    rf"|\bne\b|\bn{A}|\bjamais\b|\baucune?\b|\bni\b|\bsans\b"
    rf"|\bnicht\b|\bniemals\b|\bkein(?:e|en|em|er|es)?\b|\bweder\b|\bohne\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(r"[;:]|\b(?:but|however|mais|cependant|aber|jedoch|sondern)\b", re.IGNORECASE)
NEGATION_WINDOW = 80  # characters before the trigger

# Listed as not declared when no rule declares them or a parent: what a reviewer must see as absent.
WATCHED: dict[str, str] = {
    "user.health_and_medical": "GDPR Art. 9 special category",
    "user.biometric": "GDPR Art. 9 special category",
    "user.demographic.religious_belief": "GDPR Art. 9 special category",
    "user.demographic.political_opinion": "GDPR Art. 9 special category",
    "user.demographic.sexual_orientation": "GDPR Art. 9 special category",
    "user.demographic.race_ethnicity": "GDPR Art. 9 special category",
    "user.criminal_history": "GDPR Art. 10 criminal convictions and offences",
    "user.government_id": "national ID, passport and licence numbers (GDPR Art. 87)",
    "user.childrens": "children's data (GDPR Art. 8)",
    "user.authorization": "people's passwords and credentials",
}
