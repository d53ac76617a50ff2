"""Passport numbers where a country's format is well defined (LU, BE, FR, DE), only next to a context word.

Formats are short and generic (`FR: 12AB34567`, `DE: C01X00T47`, `LU/BE: AB123456`), so a match without
`passport`/`passeport`/`Reisepass` nearby is never reported. German numbers also pass their 7-3-1
check digit when nine characters long.
"""

from __future__ import annotations

import re

from detectors.recognizers.presidio_adapter import PresidioValidatedRecognizer

_DE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def de_passport_check_ok(value: str) -> bool:
    """German passport/ID serial: 9 chars + check digit (weights 7,3,1) when a 10th char is present."""
    if len(value) != 10:
        return True
    total = sum(_DE_ALPHABET.index(c) * (7, 3, 1)[i % 3] for i, c in enumerate(value[:9]))
    return str(total % 10) == value[9]


class PassportRecognizer(PresidioValidatedRecognizer):
    ENTITY = "PASSPORT"
    COUNTRIES = ("LU", "BE", "FR", "DE")
    CONTEXT = ("passport", "passeport", "reisepass", "pass", "passnummer", "pass-nr", "passport no",
               "n° de passeport", "travel document", "document de voyage")
    PATTERN = re.compile(
        r"(?<![\w])(?:\d{2}[A-Z]{2}\d{5}"  # FR
        r"|[A-Z]{2}\d{6}"  # LU, BE
        r"|[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d?)(?![\w])"  # DE
    )
    BASE_SCORE = 0.3
    CONTEXT_BOOST = 0.35
    REQUIRE_CONTEXT = True
    MIN_LEN = 8

    def is_valid(self, candidate: str) -> bool:
        if not any(c.isdigit() for c in candidate):
            return False
        return de_passport_check_ok(candidate) if len(candidate) == 10 else True
