"""Luxembourg national identification number (matricule), validated by both check digits.

13 digits: YYYYMMDD + 3-digit sequence + Luhn digit + Verhoeff digit, both computed over the first 11
digits (python-stdnum has no module for it, so this file holds the rule; stdnum supplies Luhn and
Verhoeff). Month/day may be `00` (unknown birth date). Spacing variants (`1893 1201 057 32`,
`1893.12.01.057.32`) are accepted. The legacy 11-digit form (before 2014) carries no check digit: it is
reported only next to a context word, with a lower score.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum import luhn, verhoeff

from detectors.recognizers.presidio_adapter import PresidioValidatedRecognizer
from detectors.recognizers.base import compact, context_near, result

CONTEXT = (
    "matricule", "matricules", "identification", "identifiant", "national", "id", "cns", "ccss",
    "sécurité", "securite", "social", "sociale", "sozialversicherungsnummer", "identifikationsnummer",
    "matrikel", "matrikelnummer", "personennummer", "numéro", "nummer", "number", "no", "nr",
)
LEGACY_CONTEXT = ("matricule", "matrikel", "matrikelnummer", "cns", "ccss", "sécurité sociale",
                  "sozialversicherungsnummer", "national id", "identifiant national")


def _date_ok(digits: str) -> bool:
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    if not 1850 <= year <= date.today().year:
        return False
    if month == 0:
        return day == 0
    if month > 12:
        return False
    if day == 0:
        return True
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def check_digits(first11: str) -> str:
    """The two check digits (Luhn, Verhoeff) of the first 11 digits of a matricule."""
    return luhn.calc_check_digit(first11) + verhoeff.calc_check_digit(first11)


def is_valid_matricule(value: str) -> bool:
    """True for a 13-digit matricule whose date and both check digits are right (separators ignored)."""
    digits = compact(value)
    if len(digits) != 13 or not digits.isdigit() or not _date_ok(digits):
        return False
    return check_digits(digits[:11]) == digits[11:]


def is_plausible_legacy_matricule(value: str) -> bool:
    """An 11-digit pre-2014 matricule: a plausible birth date + sequence (no check digit exists)."""
    digits = compact(value)
    return len(digits) == 11 and digits.isdigit() and _date_ok(digits)


class LuMatriculeRecognizer(PresidioValidatedRecognizer):
    ENTITY = "LU_NATIONAL_ID"
    COUNTRIES = ("LU",)
    CONTEXT = CONTEXT
    LEGACY = re.compile(r"(?<![\w.])(?:18|19|20)\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{3}(?![\w]|[ .]?\d)")
    SHAPE = re.compile(r"(?:18|19|20)\d{11}")  # compact form of any typed candidate
    BASE_SCORE = 0.65
    MIN_LEN = 13

    def is_valid(self, candidate: str) -> bool:
        return is_valid_matricule(candidate)

    def find(self, text, name):
        found = super().find(text, name)
        for m in self.LEGACY.finditer(text):
            if is_plausible_legacy_matricule(m.group(0)) and context_near(text, m.start(), m.end(), LEGACY_CONTEXT):
                found.append(result(self.ENTITY, m.start(), m.end(), 0.5, name,
                                    "LU_NATIONAL_ID: legacy 11-digit form (no check digit) next to a context word",
                                    context_boosted=True))
        return found
