"""MAC addresses (Presidio's patterns: `00:1A:2B:3C:4D:5E`, `00-1A-…`, Cisco `0012.3456.789A`) that are not a
piece of a longer number.

Presidio's recognizer reads any three dotted groups of four hex digits, and a dotted IBAN
(`SE54.1746.7329.4763.2371.8530`) or a dotted reference holds several of them. A match continued by
another separator-and-group on either side, or glued to a letter/digit prefix group (`SE54.`), is a
fragment of that longer number and is dropped.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import MacAddressRecognizer as PresidioMacAddressRecognizer

# A group glued by punctuation (`SE54.` before, `.2371` after); a space never separates MAC groups.
_GROUP_BEFORE = re.compile(r"[A-Za-z0-9]+[.:\-/]$")
_GROUP_AFTER = re.compile(r"^[.:\-/][A-Za-z0-9]")


class UngluedMacAddressRecognizer(PresidioMacAddressRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language, name=f"UngluedMacAddressRecognizer_{supported_language}")

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        if ":" not in text and "-" not in text and "." not in text:
            return []
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in found if not is_fragment(text, r.start, r.end)]


def is_fragment(text: str, start: int, end: int) -> bool:
    """True if text[start:end] continues a run of separated groups (an IBAN, a reference) on either side."""
    return bool(_GROUP_BEFORE.search(text[max(0, start - 8):start]) or _GROUP_AFTER.match(text[end:end + 8]))
