"""Entity -> fideslang data category: one table, checked by a test that no entity is unmapped.

Keys are fideslang's `user.*` data categories (the taxonomy compliance teams already use in Fides).
Where fideslang has no key for a GDPR notion (trade-union membership, for instance) we use the closest
parent and say so in a comment. Which keys and entities are GDPR special categories is core vocabulary:
`scanner.categories`.
"""

from __future__ import annotations

from typing import Iterable, Mapping

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
    "PHOTO": "user.content.self_image",  # a picture in a row about a person (column verdicts)
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
    "TRADE_UNION": "user.demographic",  # fideslang has no trade-union key (special by entity: scanner.categories)
    "CRIMINAL_RECORD": "user.criminal_history",
    "CV_DOCUMENT": "user.content.private",
    "NATIONAL_ID": "user.government_id.national_identification_number",
    "DE_SOCIAL_SECURITY": "user.government_id.national_identification_number",
    "DE_ID_CARD": "user.government_id.national_identification_number",
    "DE_HEALTH_INSURANCE": "user.health_and_medical.insurance_beneficiary_id",
    # Presidio's country-specific entities (enabled only when their country is configured).
    "US_SSN": "user.government_id.national_identification_number",
    "US_ITIN": "user.government_id.national_identification_number",
    "US_PASSPORT": "user.government_id.passport_number",
    "US_DRIVER_LICENSE": "user.government_id.drivers_license_number",
    "US_BANK_NUMBER": "user.financial.bank_account",
    "ABA_ROUTING_NUMBER": "user.financial.bank_account",
    "MEDICAL_LICENSE": "user.job_title",
    "UK_NINO": "user.government_id.national_identification_number",
    "UK_NHS": "user.health_and_medical.record_id",
    "UK_PASSPORT": "user.government_id.passport_number",
    "UK_POSTCODE": "user.contact.address.postal_code",
    "ES_NIF": "user.government_id.national_identification_number",
    "ES_NIE": "user.government_id.immigration",
    "ES_PASSPORT": "user.government_id.passport_number",
    "IT_FISCAL_CODE": "user.government_id.national_identification_number",
    "IT_VAT_CODE": "user.contact.organization",
    "IT_PASSPORT": "user.government_id.passport_number",
    "IT_IDENTITY_CARD": "user.government_id.national_identification_number",
    "IT_DRIVER_LICENSE": "user.government_id.drivers_license_number",
    "PL_PESEL": "user.government_id.national_identification_number",
    "SE_PERSONNUMMER": "user.government_id.national_identification_number",
    "SE_ORGANISATIONSNUMMER": "user.contact.organization",
    "FI_PERSONAL_IDENTITY_CODE": "user.government_id.national_identification_number",
    "KR_RRN": "user.government_id.national_identification_number",
    "KR_PASSPORT": "user.government_id.passport_number",
    "TH_TNIN": "user.government_id.national_identification_number",
    "AU_ABN": "user.contact.organization",
    "AU_ACN": "user.contact.organization",
    "AU_TFN": "user.government_id.national_identification_number",
    "AU_MEDICARE": "user.health_and_medical.insurance_beneficiary_id",
    "IN_AADHAAR": "user.government_id.national_identification_number",
    "IN_PAN": "user.government_id.national_identification_number",
    "IN_PASSPORT": "user.government_id.passport_number",
    "SG_NRIC_FIN": "user.government_id.national_identification_number",
    "SG_UEN": "user.contact.organization",
    "CA_SIN": "user.government_id.national_identification_number",
    "TR_NATIONAL_ID": "user.government_id.national_identification_number",
    "NG_NIN": "user.government_id.national_identification_number",
    "ZA_ID_NUMBER": "user.government_id.national_identification_number",
}


def category_for(entity: str, table: Mapping[str, str] = ENTITY_CATEGORY) -> str:
    """The fideslang key for an entity; unknown entities fall back to the root `user` (and a test fails)."""
    return table.get(entity, "user")


def with_declared_categories(recognizer_classes: Iterable[type]) -> dict[str, str]:
    """ENTITY_CATEGORY plus what plugin recognizers declare for entities it does not know.

    A recognizer class may declare `CATEGORIES = {"MY_ENTITY": "user.health_and_medical"}`; whether its
    findings are special then follows from the key (`scanner.categories.is_special`). The table wins
    for entities it already maps, so a plugin cannot silently re-file a built-in entity.
    """
    table = dict(ENTITY_CATEGORY)
    for cls in recognizer_classes:
        for entity, key in dict(getattr(cls, "CATEGORIES", None) or {}).items():
            table.setdefault(str(entity), str(key))
    return table
