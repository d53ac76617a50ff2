"""Entity -> fideslang data category: one table, checked by a test that no entity is unmapped.

Keys are fideslang's `user.*` data categories (the taxonomy compliance teams already use in Fides).
Where fideslang has no key for a GDPR notion (trade-union membership, for instance) we use the closest
parent and say so in SPECIAL_CATEGORIES' comment.
"""

from __future__ import annotations

ENTITY_CATEGORY: dict[str, str] = {
    "PERSON": "user.name",
    "FIRST_NAME": "user.name.first",
    "LAST_NAME": "user.name.last",
    "EMAIL_ADDRESS": "user.contact.email",
    "PHONE_NUMBER": "user.contact.phone_number",
    "FAX_NUMBER": "user.contact.fax_number",
    "LOCATION": "user.contact.address",
    "STREET_ADDRESS": "user.contact.address.street",
    "POSTAL_CODE": "user.contact.address.postal_code",
    "CITY": "user.contact.address.city",
    "COUNTRY": "user.contact.address.country",
    "URL": "user.contact.url",
    "ORGANIZATION": "user.contact.organization",
    "JOB_TITLE": "user.job_title",
    "DATE_OF_BIRTH": "user.demographic.date_of_birth",
    "AGE": "user.demographic.age_range",
    "GENDER": "user.demographic.gender",
    "IP_ADDRESS": "user.device.ip_address",
    "MAC_ADDRESS": "user.device.device_id",
    "DEVICE_ID": "user.device.device_id",
    "COOKIE_ID": "user.device.cookie_id",
    "IBAN_CODE": "user.financial.bank_account",
    "BANK_ACCOUNT": "user.financial.bank_account",
    "CREDIT_CARD": "user.financial.credit_card",
    "SALARY": "user.financial",
    "CRYPTO": "user.financial",
    "ORDER_ID": "user.behavior.purchase_history",
    "LU_NATIONAL_ID": "user.government_id.national_identification_number",
    "FR_NIR": "user.government_id.national_identification_number",
    "BE_NATIONAL_NUMBER": "user.government_id.national_identification_number",
    "DE_TAX_ID": "user.government_id.national_identification_number",
    "EU_VAT_NUMBER": "user.contact.organization",
    "PASSPORT": "user.government_id.passport_number",
    "DRIVERS_LICENSE": "user.government_id.drivers_license_number",
    "USERNAME": "user.account.username",
    "PASSWORD": "user.authorization.password",
    "PASSWORD_HASH": "user.authorization.password",
    "PRIVATE_KEY": "user.authorization.credentials",
    "API_TOKEN": "user.authorization.credentials",
    "HEALTH": "user.health_and_medical",
    "GENETIC": "user.health_and_medical.genetic",
    "BIOMETRIC": "user.biometric",
    "RELIGION": "user.demographic.religious_belief",
    "POLITICAL_OPINION": "user.demographic.political_opinion",
    "SEXUAL_ORIENTATION": "user.demographic.sexual_orientation",
    "ETHNIC_ORIGIN": "user.demographic.race_ethnicity",
    "TRADE_UNION": "user.demographic",
    "CRIMINAL_RECORD": "user.criminal_history",
    "CV_DOCUMENT": "user.content.private",
}

# GDPR Art. 9 special categories and Art. 10 criminal data, by fideslang key (and children).
SPECIAL_CATEGORIES: frozenset[str] = frozenset({
    "user.health_and_medical",
    "user.biometric",
    "user.authorization.biometric",
    "user.demographic.religious_belief",
    "user.demographic.political_opinion",
    "user.demographic.sexual_orientation",
    "user.demographic.race_ethnicity",
    "user.criminal_history",
})
# Trade-union membership has no fideslang key; its entity is special regardless of the key it maps to.
SPECIAL_ENTITIES: frozenset[str] = frozenset({
    "HEALTH", "GENETIC", "BIOMETRIC", "RELIGION", "POLITICAL_OPINION", "SEXUAL_ORIENTATION",
    "ETHNIC_ORIGIN", "TRADE_UNION", "CRIMINAL_RECORD",
})


def category_for(entity: str) -> str:
    """The fideslang key for an entity; unknown entities fall back to the root `user` (and a test fails)."""
    return ENTITY_CATEGORY.get(entity, "user")


def is_special(category: str) -> bool:
    return any(category == key or category.startswith(key + ".") for key in SPECIAL_CATEGORIES)
