"""National identifiers with an explicit label, reported whatever countries a scan is configured for.

Country gating (`detectors.registry`) exists to stop look-alikes: a Luxembourg matricule read as a Polish
PESEL. A number that its own label names ("social security number 125-…", "numéro AVS 756.…", "PESEL:
…") is no look-alike: when the value next to the label passes that scheme's checksum (python-stdnum), it
is reported with its scheme's entity (the generic NATIONAL_ID where the category vocabulary has no
entity of its own) and the country and label in the explanation. Candidates come from
`identifier_candidates`, so every typed separator style is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum import ean
from stdnum.at import vnr
from stdnum.be import bis, nn
from stdnum.ch import ssn as ch_ssn
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.es import dni, nie
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.se import personnummer
from stdnum.us import ssn as us_ssn

from detectors.recognizers.base import result
from detectors.recognizers.identifier_candidates import find_valid
from detectors.recognizers.lu_matricule_recognizer import is_valid_matricule

@dataclass(frozen=True)
class Scheme:
    entity: str
    country: str
    shape: re.Pattern[str]
    is_valid: Callable[[str], bool]
    labels: tuple[str, ...]


def _ch_avs(value: str) -> bool:
    return value.startswith("756") and ean.is_valid(value) and ch_ssn.is_valid(value)


SCHEMES = (
    Scheme("US_SSN", "US", re.compile(r"\d{9}"), us_ssn.is_valid,
           ("social security number", "social security no", "social security", "ssn", "soc. sec. no")),
    Scheme("NATIONAL_ID", "CH", re.compile(r"756\d{10}"), _ch_avs,
           ("avs", "ahv", "numéro avs", "n° avs", "no avs", "ahv-nummer", "ahv-nr", "avs number", "ahv number",
            "sozialversicherungsnummer", "numéro d'assuré", "social security number")),
    Scheme("FR_NIR", "FR", re.compile(r"[1-478]\d{4}(?:\d{2}|2[AB])\d{8}"), lambda v: nir.is_valid(v),
           ("nir", "numéro de sécurité sociale", "n° de sécurité sociale", "sécurité sociale", "insee",
            "social security number", "carte vitale")),
    Scheme("LU_NATIONAL_ID", "LU", re.compile(r"(?:18|19|20)\d{11}"), is_valid_matricule,
           ("matricule", "matrikel", "matrikelnummer", "numéro d'identification national", "identifiant national",
            "national identification number", "sozialversicherungsnummer", "ccss", "cns", "social security number")),
    Scheme("BE_NATIONAL_NUMBER", "BE", re.compile(r"\d{11}"), lambda v: nn.is_valid(v) or bis.is_valid(v),
           ("numéro de registre national", "registre national", "rijksregisternummer", "rijksregister",
            "national number", "numéro national", "niss", "insz", "nationalnummer")),
    Scheme("DE_TAX_ID", "DE", re.compile(r"[1-9]\d{10}"), idnr.is_valid,
           ("steuer-idnr", "steuer-idnr.", "steuerliche identifikationsnummer", "steueridentifikationsnummer",
            "idnr", "steuer-id", "tax id", "identifikationsnummer")),
    Scheme("NATIONAL_ID", "AT", re.compile(r"\d{10}"), vnr.is_valid,
           ("sozialversicherungsnummer", "svnr", "sv-nummer", "versicherungsnummer")),
    Scheme("NATIONAL_ID", "NL", re.compile(r"\d{8,9}"), bsn.is_valid,
           ("bsn", "burgerservicenummer", "citizen service number", "sofinummer")),
    Scheme("ES_NIF", "ES", re.compile(r"\d{8}[A-Z]|[XYZ]\d{7}[A-Z]"), lambda v: dni.is_valid(v) or nie.is_valid(v),
           ("dni", "nif", "nie", "documento nacional de identidad", "número de identidad")),
    Scheme("PL_PESEL", "PL", re.compile(r"\d{11}"), pesel.is_valid, ("pesel", "numer pesel")),
    Scheme("IT_FISCAL_CODE", "IT", re.compile(r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]"), codicefiscale.is_valid,
           ("codice fiscale", "fiscal code", "cod. fisc.")),
    Scheme("SE_PERSONNUMMER", "SE", re.compile(r"\d{10}|\d{12}"), personnummer.is_valid, ("personnummer",)),
    Scheme("NATIONAL_ID", "DK", re.compile(r"\d{10}"), cpr.is_valid, ("cpr", "cpr-nummer", "cpr-nr")),
    Scheme("FI_PERSONAL_IDENTITY_CODE", "FI", re.compile(r"\d{6}[-+A]\d{3}[0-9A-Z]"), hetu.is_valid,
           ("henkilötunnus", "hetu", "personal identity code")),
)
WINDOW = 45  # characters after (or before) a label where its value may stand


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    labels = sorted({label for scheme in SCHEMES for label in scheme.labels}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(label) for label in labels) + r")(?!\w)", re.IGNORECASE)


def schemes_for(label: str) -> list[Scheme]:
    key = label.casefold()
    return [s for s in SCHEMES if key in s.labels]


class LabelledNationalIdRecognizer(EntityRecognizer):
    COUNTRIES: tuple[str, ...] = ()  # never gated: the label is the evidence
    LANGUAGES: tuple[str, ...] = ()
    SCORE = 0.9

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=sorted({s.entity for s in SCHEMES}), supported_language=supported_language,
                         name=f"LabelledNationalIdRecognizer_{supported_language}")

    def load(self) -> None:
        _label_pattern()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if not any(c.isdigit() for c in text):
            return []
        out: dict[tuple[int, int], RecognizerResult] = {}
        for m in _label_pattern().finditer(text):
            for scheme in schemes_for(m.group(0)):
                if entities and scheme.entity not in entities:
                    continue
                hit = self._value_near(text, m.start(), m.end(), scheme)
                if hit is None or any(s < hit[1] and hit[0] < e for s, e in out):
                    continue
                out[hit] = result(scheme.entity, hit[0], hit[1], self.SCORE, self.name,
                                  f"{scheme.entity}: valid {scheme.country} identifier labelled "
                                  f"'{m.group(0).casefold()}'", context_boosted=True)
                break
        return list(out.values())

    @staticmethod
    def _value_near(text: str, label_start: int, label_end: int, scheme: Scheme) -> tuple[int, int] | None:
        """The first valid value after the label, else the last one just before it."""
        after = text[label_end:label_end + WINDOW]
        found = find_valid(after, scheme.is_valid, 8, scheme.shape)
        if found:
            return label_end + found[0].start, label_end + found[0].end
        start = max(0, label_start - WINDOW)
        found = find_valid(text[start:label_start], scheme.is_valid, 8, scheme.shape)
        if found:
            return start + found[-1].start, start + found[-1].end
        return None
