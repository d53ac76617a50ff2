"""Which recognizers a scan runs: policyscan's own (entry points), a few generic Presidio ones, and
country-specific Presidio ones only for the configured countries.

Gating is the point of this module. With every country's recognizer switched on, valid Luxembourg
matricules come out as Polish PESEL, Swedish, Korean and Thai IDs, and a Luxembourg phone number as an
Australian tax number. So a recognizer runs only if it is not country-specific or if one of its
countries is configured (`DetectionSettings.countries`, default LU, FR, BE, DE).

Third-party recognizers register exactly like the built-ins, under the `policyscan.recognizers` entry
point group; the class may declare `COUNTRIES`, `LANGUAGES` and `ACCEPTS_COUNTRIES` (see
`detectors.recognizers.base`).
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import Iterable

from presidio_analyzer import EntityRecognizer
from presidio_analyzer import predefined_recognizers as presidio

from detectors.nlp import SPACY_MODELS

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "policyscan.recognizers"

# Presidio's country-specific recognizers, by ISO country. Never enabled unless the country is configured.
PRESIDIO_COUNTRY_RECOGNIZERS: dict[str, tuple[str, ...]] = {
    "US": ("UsSsnRecognizer", "UsItinRecognizer", "UsPassportRecognizer", "UsLicenseRecognizer",
           "UsBankRecognizer", "AbaRoutingRecognizer", "MedicalLicenseRecognizer"),
    "GB": ("UkNinoRecognizer", "NhsRecognizer", "UkPassportRecognizer", "UkPostcodeRecognizer"),
    "ES": ("EsNifRecognizer", "EsNieRecognizer", "EsPassportRecognizer"),
    "IT": ("ItFiscalCodeRecognizer", "ItVatCodeRecognizer", "ItPassportRecognizer", "ItIdentityCardRecognizer",
           "ItDriverLicenseRecognizer"),
    "PL": ("PlPeselRecognizer",),
    "SE": ("SePersonnummerRecognizer", "SeOrganisationsnummerRecognizer"),
    "FI": ("FiPersonalIdentityCodeRecognizer",),
    "KR": ("KrRrnRecognizer", "KrPassportRecognizer"),
    "TH": ("ThTninRecognizer",),
    "AU": ("AuAbnRecognizer", "AuAcnRecognizer", "AuTfnRecognizer", "AuMedicareRecognizer"),
    "IN": ("InAadhaarRecognizer", "InPanRecognizer", "InPassportRecognizer"),
    "SG": ("SgFinRecognizer", "SgUenRecognizer"),
    "CA": ("CaSinRecognizer",),
    "TR": ("TrNationalIdRecognizer",),
    "NG": ("NgNinRecognizer",),
    "ZA": ("ZaIdNumberRecognizer",),
    # LU, FR, BE, DE: policyscan's own recognizers (DeIdnrRecognizer replaces Presidio's DeTaxIdRecognizer).
    # Presidio's other German recognizers need its lemma context enhancer, i.e. whole-text tokenisation,
    # which would halve throughput for the default countries; they are enabled with "DE-PRESIDIO".
    "DE-PRESIDIO": ("DeSocialSecurityRecognizer", "DeHealthInsuranceRecognizer", "DeIdCardRecognizer"),
}
# Generic Presidio recognizers kept as they are (e-mail, IBAN, phone, card and MAC are replaced by policyscan's).
# (Presidio's CryptoRecognizer is left out: wallet addresses are rarely personal data in an EU estate,
# and its regex pass costs as much as the IP recognizer's.)
PRESIDIO_GENERIC = ("IpRecognizer",)


def policyscan_recognizer_classes() -> list[type]:
    """Recognizer classes from the entry point group, in a stable (name) order."""
    classes = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            classes.append(ep.load())
        except Exception as exc:  # a broken plugin must not stop a scan
            log.warning("recognizer entry point %s failed to load: %s", ep.name, type(exc).__name__)
    return classes


def gated(cls: type, countries: Iterable[str], language: str) -> bool:
    """True if `cls` should run for this scan's countries and this language."""
    wanted = {c.upper() for c in countries}
    own = {c.upper() for c in getattr(cls, "COUNTRIES", ())}
    langs = tuple(getattr(cls, "LANGUAGES", ()))
    return (not own or bool(own & wanted)) and (not langs or language in langs)


def build_recognizers(languages: Iterable[str], countries: Iterable[str]) -> list[EntityRecognizer]:
    """One instance of every enabled recognizer per language."""
    countries = tuple(c.upper() for c in countries)
    out: list[EntityRecognizer] = []
    own_classes = policyscan_recognizer_classes()
    for lang in languages:
        for cls in own_classes:
            if not gated(cls, countries, lang):
                continue
            if getattr(cls, "ACCEPTS_COUNTRIES", False):
                out.append(cls(supported_language=lang, countries=countries))
            else:
                out.append(cls(supported_language=lang))
        for name in PRESIDIO_GENERIC:
            out.append(getattr(presidio, name)(supported_language=lang))
        for country in countries:
            for name in PRESIDIO_COUNTRY_RECOGNIZERS.get(country, ()):
                out.append(getattr(presidio, name)(supported_language=lang))
        if lang in SPACY_MODELS:
            out.append(presidio.SpacyRecognizer(supported_language=lang, supported_entities=["PERSON", "LOCATION"]))
    return out
