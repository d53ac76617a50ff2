"""French social security number (NIR / numéro de sécurité sociale), checked by python-stdnum.

15 characters: sex, year, month, department (2A/2B for Corsica), commune, order, then the key
97 − (N mod 97). Spaced forms (`1 85 05 78 006 084 36`) are accepted.
"""

from __future__ import annotations

import re

from stdnum.fr import nir

from detectors.recognizers.presidio_adapter import PresidioValidatedRecognizer
from detectors.recognizers.base import compact


class FrNirRecognizer(PresidioValidatedRecognizer):
    ENTITY = "FR_NIR"
    COUNTRIES = ("FR",)
    CONTEXT = ("nir", "sécurité", "securite", "sociale", "social", "insee", "sécu", "secu", "ssn",
               "sozialversicherungsnummer", "numéro", "number", "carte vitale", "vitale")
    SHAPE = re.compile(r"[1-478]\d{4}(?:\d{2}|2[AB])\d{8}")  # compact form of any typed candidate
    BASE_SCORE = 0.65
    MIN_LEN = 15

    def is_valid(self, candidate: str) -> bool:
        return nir.is_valid(compact(candidate).upper())
