"""IBAN of every country that has one, as typed (`LU28 0019 4006 4475 0000`, `ES15-0049-…`, `es 58 0049 …`),
checked by python-stdnum (`iban`: structure per country, mod-97, national check digits where stdnum knows
them). Candidates come from `identifier_candidates`. Not country-gated: an IBAN names its country."""

from __future__ import annotations

import re

from stdnum import iban

from detectors.recognizers.presidio_adapter import PresidioValidatedRecognizer
from detectors.recognizers.base import compact


class SpacedIbanRecognizer(PresidioValidatedRecognizer):
    ENTITY = "IBAN_CODE"
    CONTEXT = ("iban", "bank", "banque", "konto", "compte", "account", "bankverbindung", "rib", "bic")
    SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
    JUDGE_WHOLE = False  # one length per country: trailing groups (an amount, a date) are trimmed off
    BASE_SCORE = 0.7
    MIN_LEN = 15

    def is_valid(self, candidate: str) -> bool:
        return iban.is_valid(compact(candidate).upper())
