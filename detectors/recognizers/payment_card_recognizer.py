"""Payment card numbers: Luhn-valid *and* issued under a known card-network prefix (IIN).

Presidio's CreditCardRecognizer accepts any Luhn-valid 12–19 digit run, so one random number in ten
passes (a French NIR look-alike became a "card"); it also misses Mastercard's 2221–2720 range. Here a
number must start with a real network prefix and have that network's length.
"""

from __future__ import annotations

import re

from stdnum import luhn

from detectors.recognizers.presidio_adapter import PresidioValidatedRecognizer
from detectors.recognizers.base import compact

# (prefix range low, high, allowed lengths), prefixes compared on the same number of leading digits.
NETWORKS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("4", "4", (13, 16, 19)),  # Visa
    ("51", "55", (16,)), ("2221", "2720", (16,)),  # Mastercard
    ("34", "34", (15,)), ("37", "37", (15,)),  # American Express
    ("6011", "6011", (16, 19)), ("644", "649", (16, 19)), ("65", "65", (16, 19)),  # Discover
    ("300", "305", (14, 16, 19)), ("36", "36", (14, 16, 19)), ("38", "39", (14, 16, 19)),  # Diners
    ("3528", "3589", (16, 19)), ("2131", "2131", (15,)), ("1800", "1800", (15,)),  # JCB
    ("62", "62", (16, 17, 18, 19)),  # UnionPay
    ("5018", "5018", (12, 13, 16, 19)), ("5020", "5020", (12, 16, 19)), ("5038", "5038", (12, 16, 19)),
    ("56", "58", (12, 13, 16, 19)), ("5893", "5893", (16, 19)), ("6304", "6304", (16, 19)), ("6759", "6759", (16, 19)),
    ("6761", "6763", (16, 19)),  # Maestro
    ("6703", "6703", (16, 17, 19)),  # Bancontact
)


def card_network_ok(digits: str) -> bool:
    for low, high, lengths in NETWORKS:
        if len(digits) in lengths and low <= digits[: len(low)] <= high:
            return True
    return False


class PaymentCardRecognizer(PresidioValidatedRecognizer):
    ENTITY = "CREDIT_CARD"
    CONTEXT = ("card", "carte", "karte", "kreditkarte", "visa", "mastercard", "amex", "cb", "credit", "crédit",
               "debit", "débit", "payment", "paiement", "zahlung")
    PATTERN = re.compile(r"(?<![\w.,])\d(?:[ \-]?\d){11,18}(?![\w]|[.,]\d)")
    BASE_SCORE = 0.7
    CONTEXT_BOOST = 0.25
    MIN_LEN = 12
    REJECT_GLUED = True  # "FR76 3637 2254 4622 1101 …": an IBAN's tail is not a Diners card

    def is_valid(self, candidate: str) -> bool:
        digits = compact(candidate)
        return digits.isdigit() and 12 <= len(digits) <= 19 and card_network_ok(digits) and luhn.is_valid(digits)
