"""Luxembourg national identification number (matricule), validated by both check digits.

13 digits: YYYYMMDD + 3-digit sequence + Luhn digit + Verhoeff digit, both computed over the first 11
digits (python-stdnum has no module for it, so this file holds the checksum). Month/day may be `00`
(unknown birth date). The legacy 11-digit form (before 2014) has no check digits we can verify and is
scored low, only with context.
"""

from __future__ import annotations

import re
from datetime import date

from presidio_analyzer import Pattern, PatternRecognizer
from stdnum import luhn, verhoeff


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


def is_valid_matricule(value: str) -> bool:
    """True for a 13-digit matricule whose date and both check digits are right (spaces ignored)."""
    digits = re.sub(r"[\s.\-]", "", value)
    if len(digits) != 13 or not digits.isdigit() or not _date_ok(digits):
        return False
    base = digits[:11]
    return luhn.calc_check_digit(base) == digits[11] and verhoeff.calc_check_digit(base) == digits[12]


class LuMatriculeRecognizer(PatternRecognizer):
    CONTEXT = [
        "matricule", "matricule national", "numéro d'identification", "identifiant national",
        "national id", "national identification", "social security", "sécurité sociale", "cns",
        "sozialversicherungsnummer", "identifikationsnummer", "matrikel", "ccss",
    ]

    def __init__(self, supported_language: str = "en") -> None:
        patterns = [
            Pattern("LU matricule (13 digits)", r"\b(?:18|19|20)\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{3}[ .]?\d{2}\b", 0.5),
        ]
        super().__init__(
            supported_entity="LU_NATIONAL_ID",
            patterns=patterns,
            context=self.CONTEXT,
            supported_language=supported_language,
            name=f"LuMatriculeRecognizer_{supported_language}",
        )

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid_matricule(pattern_text)
