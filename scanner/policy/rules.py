"""The topic rules, as data: topic words -> the fideslang data categories a topic involves, per language.

Explicit data phrases ("e-mail address", "health data") are in `lexicon.yaml`; these rules cover topics
whose data the policy does not spell out ("processing your orders" involves a name, contact details and
an order history). `IMPLIED` keys are a fallback that the policy's own words for that family override.
Whether a match declares anything is decided by the statement reader (`candidates.py`, `practices.py`).

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

RULES_VERSION = 3


@dataclass(frozen=True)
class CategoryRule:
    name: str
    pattern: str
    keys: tuple[str, ...]
    why: str
    primary: tuple[str, ...] = ()  # keys a retention period in the same sentence applies to; () = all keys
    implied: tuple[str, ...] = ()  # keys the topic only implies: a fallback when the policy names none of the family

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
    "debt_collection": "collecting a debt processes the amounts owed and the debtor's bank account details",
    "payment": "paying or being paid processes amounts and bank account details",
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
    "debt_collection": (FINANCIAL, ()),
    "payment": (FINANCIAL, ()),
}

# Keys a topic only implies (an order implies a name and contact details). They are a fallback: when the
# policy names data of the same family itself ("your e-mail address"), its own words win and the implied
# keys of that family are not declared (scanner/policy/extract.py).
IMPLIED: dict[str, tuple[str, ...]] = {
    "orders": (*NAME, *CONTACT),
    "correspondence": (*NAME, *CONTACT),
    "job_applications": (*NAME, *CONTACT, "user.job_title", "user.workplace"),
    "debt_collection": ("user.financial.bank_account",),
    "payment": ("user.financial.bank_account",),
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
        "debt_collection": r"\bcollect(?:ing)? debts?\b|\bdebt collection\b|\brecover(?:ing|y of)? debts?\b",
        "payment": r"\bpay(?:ing)? for (?:services|products|goods)\b|\bpayments?\b|\binvoic(?:e|es|ing)\b"
                   r"|\bbilling\b|\bbank (?:account|details)\b|\bIBAN\b",
    },
    "fr": {
        "orders": r"\bcommandes?\b|\bachats?\b",
        "correspondence": r"\bcorrespondances?\b|\bdemandes? de contact\b|\bformulaires? de contact\b",
        "job_applications": r"\bcandidatures?\b|\bcandidat(?:e|s|es)?\b|\brecrutements?\b|\bCV\b"
                            r"|\bcurriculum vitae\b",
        "cookies": r"\bcookies?\b|\btraceurs?\b|\btémoins de connexion\b",
        "website_use": r"\butilisation de (?:nos|notre|ses|leurs?|ces) sites?\b|\bnavigation\b",
        "debt_collection": r"\brecouvrement\b|\brecouvrer\b|\bcréances?\b",
        "payment": r"\bpaiements?\b|\bpayer\b|\bfacturation\b|\bfactures?\b|\bcoordonnées bancaires\b"
                   r"|\bRIB\b|\bIBAN\b",
    },
    "de": {
        "orders": r"\bBestellung(?:en)?\b|\bAufträge\b|\bAuftragsabwicklung\b|\bBestellhistorie\b|\bKäufe\b",
        "correspondence": r"\bKorrespondenz\b|\bKontaktanfragen?\b|\bAnfragen\b|\bKontaktformular\w*",
        "job_applications": r"\bBewerbung\w*|\bBewerber\w*|\bLebensl(?:a|ä)uf\w*|\bRecruiting\b",
        "cookies": r"\bCookies?\b",
        "website_use": r"\bNutzung (?:unserer|der|dieser) (?:Webseiten?|Websites?|Internetseiten?)\b"
                       r"|\bServer-?Log\w*",
        "debt_collection": r"\bInkasso\b|\bForderungs(?:einzug|management)\b|\bForderungen\b",
        "payment": r"\bZahlung(?:en|sabwicklung|sdaten)?\b|\bBezahlung\b|\bRechnung(?:en|sstellung)?\b"
                   r"|\bBankverbindung(?:en)?\b|\bBankdaten\b|\bIBAN\b",
    },
}

LANGUAGES = tuple(PATTERNS)


def _table(language: str) -> tuple[CategoryRule, ...]:
    return tuple(
        CategoryRule(f"{language}.{topic}", pattern.replace("{A}", A), TOPICS[topic][0], WHY[topic], TOPICS[topic][1],
                     IMPLIED.get(topic, ()))
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
