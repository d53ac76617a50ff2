"""Belgian national register number and BIS number, checked by python-stdnum (`be.nn`, `be.bis`).

11 digits YY.MM.DD-SSS.CC; the mod-97 check uses a leading `2` for people born from 2000 on (stdnum
handles it). BIS numbers (non-residents) add 20 or 40 to the month.
"""

from __future__ import annotations

import re

from stdnum.be import bis, nn

from detectors.recognizers.presidio_adapter import PresidioValidatedRecognizer
from detectors.recognizers.base import compact


class BeNationalNumberRecognizer(PresidioValidatedRecognizer):
    ENTITY = "BE_NATIONAL_NUMBER"
    COUNTRIES = ("BE",)
    CONTEXT = ("rijksregisternummer", "rijksregister", "registre", "national", "nn", "niss", "inss", "bis",
               "identification", "numéro", "nationalnummer", "number", "insz", "eid")
    SHAPE = re.compile(r"\d{11}")  # compact form of any typed candidate
    BASE_SCORE = 0.6
    MIN_LEN = 11

    def is_valid(self, candidate: str) -> bool:
        digits = compact(candidate)
        return len(digits) == 11 and (nn.is_valid(digits) or bis.is_valid(digits))
