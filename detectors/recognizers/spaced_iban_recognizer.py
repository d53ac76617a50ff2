"""IBAN with irregular spacing (`LU28 0019 4006 4475 0000`, `LU280019 40064475 0000`), checked by
python-stdnum (`iban`: length per country and mod-97). Not country-gated: an IBAN names its country."""

from __future__ import annotations

import re

from stdnum import iban

from detectors.recognizers._checksum import ChecksumRecognizer
from detectors.recognizers.base import compact


class SpacedIbanRecognizer(ChecksumRecognizer):
    ENTITY = "IBAN_CODE"
    CONTEXT = ("iban", "bank", "banque", "konto", "compte", "account", "bankverbindung", "rib", "bic")
    PATTERN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,32}(?![\w])", re.IGNORECASE)
    BASE_SCORE = 0.7
    MIN_LEN = 15

    def is_valid(self, candidate: str) -> bool:
        return iban.is_valid(compact(candidate).upper())
