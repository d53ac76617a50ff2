"""EU VAT identification numbers of every member state (and XI), checked by python-stdnum (`eu.vat`)."""

from __future__ import annotations

import re

from stdnum.eu import vat

from detectors.recognizers._checksum import ChecksumRecognizer
from detectors.recognizers.base import compact

_PREFIXES = "AT|BE|BG|CY|CZ|DE|DK|EE|EL|GR|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI"


class EuVatRecognizer(ChecksumRecognizer):
    ENTITY = "EU_VAT_NUMBER"
    CONTEXT = ("vat", "tva", "ust", "ust-idnr", "ustid", "mwst", "umsatzsteuer", "btw", "iva", "tax")
    PATTERN = re.compile(rf"(?<![\w])(?:{_PREFIXES})[ ]?[0-9A-Z][0-9A-Z+*. ]{{1,14}}[0-9A-Z](?![\w])")
    BASE_SCORE = 0.6
    MIN_LEN = 8

    def is_valid(self, candidate: str) -> bool:
        number = compact(candidate).upper()
        return len(number) >= 8 and any(c.isdigit() for c in number[2:]) and vat.is_valid(number)
