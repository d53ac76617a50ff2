"""German tax identification number (Steuer-IdNr), checked by python-stdnum (`de.idnr`).

11 digits, first digit not 0, ISO 7064 Mod 11,10 check digit; also spaced forms (`86 095 742 719`).
An 11-digit string passes the check about one time in ten, so without a context word the score stays
below the default threshold.
"""

from __future__ import annotations

import re

from stdnum.de import idnr

from detectors.recognizers.presidio_adapter import PresidioValidatedRecognizer
from detectors.recognizers.base import compact


class DeIdnrRecognizer(PresidioValidatedRecognizer):
    ENTITY = "DE_TAX_ID"
    COUNTRIES = ("DE",)
    CONTEXT = ("steuer", "steuer-id", "steuerid", "idnr", "steuer-idnr", "steueridentifikationsnummer",
               "identifikationsnummer", "steuernummer", "tin", "tax", "fiscal", "fiscale", "bzst")
    SHAPE = re.compile(r"[1-9]\d{10}")  # compact form of any typed candidate
    BASE_SCORE = 0.45
    CONTEXT_BOOST = 0.4
    MIN_LEN = 11

    def is_valid(self, candidate: str) -> bool:
        digits = compact(candidate)
        return len(digits) == 11 and idnr.is_valid(digits)
