"""Phone numbers for the configured countries (LU, BE, FR, DE by default), parsed by `phonenumbers`.

National formats are read for each configured country; international formats (`+352 …`, `00352 …`)
of any country are accepted, since the prefix makes them unambiguous. A match must be a *valid*
number for its country (length and ranges), not merely phone-shaped, so dates and amounts are not
reported. Not gated as a class: it gates itself on the countries it is given.
"""

from __future__ import annotations

import re

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum import iban

from detectors.recognizers.base import context_near, glued_to_digit_groups, result

CONTEXT = ("phone", "tel", "tél", "telephone", "téléphone", "telefon", "mobile", "mobil", "handy", "gsm",
           "portable", "fax", "call", "appeler", "anrufen", "contact", "kontakt", "joindre", "erreichen")
# A cheap pre-filter: phonenumbers is slow, so it only looks at texts with a run of digits that long.
_DIGITS = re.compile(r"\+?\(?\d[\d ()./\-]{5,}\d")
_DOTTED_QUAD = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")


class EuPhoneRecognizer(EntityRecognizer):
    ENTITY = "PHONE_NUMBER"
    COUNTRIES: tuple[str, ...] = ()  # gating happens per number (see module docstring)
    LANGUAGES: tuple[str, ...] = ()
    DEFAULT_REGIONS = ("LU", "BE", "FR", "DE")

    ACCEPTS_COUNTRIES = True  # the registry passes the scan's countries

    def __init__(self, supported_language: str = "en", countries: tuple[str, ...] | None = None) -> None:
        supported = phonenumbers.SUPPORTED_REGIONS
        self.regions = tuple(c for c in (countries or self.DEFAULT_REGIONS) if c in supported)
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language,
                         name=f"EuPhoneRecognizer_{supported_language}")

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if (entities and self.ENTITY not in entities) or not _DIGITS.search(text):
            return []
        if not self.regions:
            return []
        spans: dict[tuple[int, int], RecognizerResult] = {}
        for start, end, match in _matches(text, self.regions):
            number = match.number
            raw = match.raw_string.lstrip()
            international = raw.startswith("+") or raw.startswith("00")
            number_region = phonenumbers.region_code_for_number(number)
            if not international and number_region not in self.regions:
                continue
            key = (start, end)
            if key in spans:
                continue
            if not international and glued_to_digit_groups(text, start, end):
                continue  # a fragment of an IBAN, ID or reference number, not a phone number
            if not international and number_region in TRUNK_ZERO and not raw.lstrip("(").startswith("0"):
                continue  # DE/FR/BE numbers are dialled nationally with a leading 0: "38 641 295 665" is an ID
            # Labels precede numbers ("Tel. …", "call …"); looking far after would borrow the next
            # sentence's words.
            near = context_near(text, start, end, CONTEXT, radius=40, after=12)
            if international:
                score = 0.65 + (0.25 if near else 0.0)
            elif near:
                score = 0.75
            elif raw.isdigit() or _MIXED_SEPARATORS.search(raw) or (
                    number_region == "LU" and sum(c.isdigit() for c in raw) > 9):
                # An unformatted digit run, a `50.02.21-691.47` shape or a Luxembourg number longer than
                # 9 digits (an extension, or rather an ID such as `38 641 295 665`) is an amount, a
                # reference or an ID more often than a phone number: below the default threshold without
                # a context word (the column classifier, whose column name is the context, still sees it).
                score = 0.4
            else:
                score = 0.55
            spans[key] = result(self.ENTITY, start, end, min(score, 0.95), self.name,
                                f"PHONE_NUMBER: valid {number_region} number", context_boosted=True)
        return list(spans.values())


def _not_a_phone(text: str, run: re.Match[str]) -> bool:
    """A digit run that is exactly a checksum-valid IBAN's tail (`FR76 3000 …`) or a dotted quad with a
    3-digit group, all groups ≤ 255 (`192.168.1.20`): parsing it as a phone number is the expensive
    part of this recognizer, and neither is one (the IBAN and IP recognizers report them)."""
    value = run.group(0)
    if _DOTTED_QUAD.fullmatch(value):
        groups = value.split(".")
        return all(int(g) <= 255 for g in groups) and any(len(g) == 3 for g in groups)
    prefix = text[max(0, run.start() - 2):run.start()]
    if len(prefix) == 2 and prefix.isalpha() and prefix.isupper() and len(value) >= 13:
        return iban.is_valid((prefix + value).replace(" ", ""))
    return False


def _snippets(text: str, margin: int = 8) -> list[tuple[int, str]]:
    """(offset, snippet) around each digit run, merged: phonenumbers then parses kilobytes, not megabytes."""
    out: list[tuple[int, int]] = []
    for m in _DIGITS.finditer(text):
        if _not_a_phone(text, m):
            continue
        start, end = max(0, m.start() - margin), min(len(text), m.end() + margin)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return [(s, text[s:e]) for s, e in out]


def _matches(text: str, regions: tuple[str, ...]):
    """(start, end, PhoneNumberMatch) over `text`, matched snippet by snippet.

    The first region's pass also finds international numbers of every country; the other regions only
    look at snippets that could hold a national number (no `+`/`00` prefix, at most 13 digits: longer
    runs are IBANs, cards or IDs)."""
    for offset, snippet in _snippets(text):
        digits = sum(c.isdigit() for c in snippet)
        trunk_zero = _GROUP_STARTING_WITH_ZERO.search(snippet) is not None
        for k, region in enumerate(regions):
            if k and (digits > 13 or "+" in snippet or snippet.lstrip()[:2] == "00"):
                break
            if k and region in TRUNK_ZERO and not trunk_zero:
                continue  # its national numbers start with 0 (see EuPhoneRecognizer.analyze): none here
            for match in phonenumbers.PhoneNumberMatcher(snippet, region, leniency=phonenumbers.Leniency.VALID):
                yield offset + match.start, offset + match.end, match


TRUNK_ZERO = frozenset({"DE", "FR", "BE", "AT", "NL", "CH", "GB"})  # national numbers start with 0
_GROUP_STARTING_WITH_ZERO = re.compile(r"(?<!\d)\(?0")
_MIXED_SEPARATORS = re.compile(r"\d\.\d.*\d[\-/]\d|\d[\-/]\d.*\d\.\d")
