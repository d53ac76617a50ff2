"""EU VAT identification numbers of every member state (and XI), as typed (`CY- 10277198H`, `BE (0)468.561.072`,
`lu: 20993674`), checked by python-stdnum (`eu.vat`). Candidates come from `identifier_candidates`.

A lower-case prefix followed by a plain space (`de 123456789`) is French or Dutch prose, not a prefix."""

from __future__ import annotations

import re

from stdnum.eu import vat

from detectors.recognizers.presidio_adapter import PresidioValidatedRecognizer
from detectors.recognizers.base import compact

_PREFIXES = "AT|BE|BG|CY|CZ|DE|DK|EE|EL|GR|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI"


class EuVatRecognizer(PresidioValidatedRecognizer):
    ENTITY = "EU_VAT_NUMBER"
    CONTEXT = ("vat", "tva", "ust", "ust-idnr", "ustid", "mwst", "umsatzsteuer", "btw", "iva", "tax", "uid",
               "btw-nummer", "ust-id", "moms", "dph", "dic", "afm", "áfa", "pvm", "pvn", "nip", "nif", "cif")
    SHAPE = re.compile(rf"(?:{_PREFIXES})[0-9A-Z]{{2,13}}")
    BASE_SCORE = 0.6
    MIN_LEN = 8

    def accept(self, text: str, start: int, end: int) -> bool:
        prefix = text[start:start + 2]
        return prefix.isupper() or text[start + 2:start + 3] not in (" ", "\u00a0")

    def is_valid(self, candidate: str) -> bool:
        number = compact(candidate).upper()
        return len(number) >= 8 and any(c.isdigit() for c in number[2:]) and vat.is_valid(number)
