"""Phone numbers without borders, decided by `phonenumbers` and context.

* International formats (`+352 …`, `00352 …`) of any country: the prefix makes them unambiguous.
* National formats of the configured countries (LU, BE, FR, DE by default).
* National formats of other countries (US, GB, CH, NL, AT, IT, ES, PL, PT, IE…) when a phone word is
  near or the writing is unmistakably a phone's (`(916) 972-1680`, `916.972.1680x22008`, `078 8098 1119`
  with its trunk zero).

A match must be a *valid* number for its country (length and ranges), not merely phone-shaped. Numbers
that are something else are dropped unless a phone word stands right before them (`not_a_phone`): dates,
ranges (`30 - 50`), amounts (`775 000`, `6 850 000 SEK`), references (`no. 4027/05`, `Nr. 4321/38`), and
anything next to an identifier label (`SSN 781-05-5433` is never a phone). Not gated as a class: it gates
itself on the countries it is given.
"""

from __future__ import annotations

import re

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum import iban

from detectors.recognizers.base import context_near, glued_to_digit_groups, result

ELSEWHERE = ("US", "GB", "CH", "NL", "AT", "IT", "ES", "PL", "PT", "IE", "CA", "DK", "SE", "CZ")
CONTEXT = ("phone", "tel", "tél", "telephone", "téléphone", "telefon", "mobile", "mobil", "handy", "gsm",
           "portable", "fax", "call", "appeler", "anrufen", "contact", "kontakt", "joindre", "erreichen",
           "cell", "tel.", "telefonnummer", "rufnummer", "phone number", "numéro de téléphone", "whatsapp",
           "tél.", "ph", "mob", "landline", "festnetz", "hotline", "reach", "dial", "text")
# Right before a number, these make it an identifier, a reference or an amount, not a phone.
ID_LABELS = ("ssn", "social security", "sécurité sociale", "avs", "ahv", "sozialversicherung", "nir", "matricule",
             "passport", "passeport", "reisepass", "id", "identity", "identité", "ausweis", "tax", "steuer",
             "iban", "account", "konto", "compte", "no", "no.", "nr", "nr.", "n°", "nº", "no .", "nr .", "zl",
             "az", "aktenzeichen", "requête", "application", "case", "file", "ref", "réf", "reference",
             "invoice", "facture", "rechnung", "order", "commande", "bestellung", "article", "art", "§",
             "page", "p.", "pp.", "s.", "seite", "band", "vol", "isbn", "bsn", "pesel", "dni", "nie", "cpr",
             "burgerservicenummer", "citizen service", "sofinummer", "identifikationsnummer", "idnr", "steuer-idnr",
             "personnummer", "hetu", "codice fiscale", "nif", "vat", "tva", "btw", "btw-nummer", "ust-idnr",
             "ust-id", "uid", "mwst", "iva", "registre national", "rijksregisternummer", "national number")
# Words between a label and its value ("social security number is …", "USt-IdNr. lautet …").
_LABEL_FILLER = re.compile(r"(?:[\s:]+(?:number|nummer|numéro|num|no|nr|is|est|ist|lautet|was|war|:))+$")
# A country code glued before the digits (`BE 073/825/…`, `HU-350-…`, `TVA BE (0)714…`): a VAT number or
# another prefixed identifier, never how a phone number is written.
_COUNTRY_PREFIX = re.compile(r"(?<![A-Za-z])[A-Z]{2}\)?[ .:/\-]{0,2}$")
_DATE = re.compile(r"^\(?\d{1,2}\s?[./]\s?\d{1,2}\s?[./]\s?(?:\d{2}|\d{4})\b|\b\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?\d{2,4}$|"
                   r"\b(?:19|20)\d{2}\s?[-./]\s?\d{1,2}\s?[-./]\s?\d{1,2}\b")
_RANGE = re.compile(r"\d\s[-–]\s\d|^\d{3,4}\s?[-–]\s?(?:1[5-9]|20)\d{2}$")  # 30 - 50, 870-1970
_PROSE_DOT = re.compile(r"\d\s?\.\s\d|\d\s\.\s?\d|(?<![\d.])\d{1,2}\.\d{1,2}$")  # 3 . 205, 430. 1415, … 20.12
_AMOUNT = re.compile(r"^\(?\d{1,3}(?:[ .,’']\d{3})+\)?$")
_SSN_SHAPE = re.compile(r"^\d{3}-\d{2}-\d{4}$")
_CURRENCY = re.compile(r"^\s*(?:eur|euros?|€|\$|usd|sek|chf|gbp|£|dm|francs?|fr\.|trl|pln|czk|dkk|nok|kronen|"
                       r"mark|reichsmark|rm|lei|ft|huf|million|millions|mio|mrd|milliard)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:eur|€|\$|usd|sek|chf|gbp|£|trl|pln|dm)\s*$", re.IGNORECASE)
# Writings that are a phone's and nothing else: US (916) 972-1680 / 916.972.1680 / 916-972-1680 x123,
# and a national number with its trunk zero in spaced groups (078 8098 1119, (01632) 960391).
_PHONE_WRITING = re.compile(
    r"^(?:\(\d{3}\)\s?\d{3}[-. ]\d{4}|\d{3}([-.])\d{3}\1\d{4}|\(?0\d{1,4}\)?[ ]\d{2,8}(?:[ ]\d{2,4}){0,3})"
    r"(?:\s?(?:x|ext\.?|extension|#)\s?\d{1,6})?$", re.IGNORECASE)
# A cheap pre-filter: phonenumbers is slow, so it only looks at texts with a run of digits that long.
_DIGITS = re.compile(r"\+?\(?\d[\d ()./\-]{5,}\d(?:\s?(?:x|ext\.?)\s?\d{1,6})?", re.IGNORECASE)
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
        for start, end, match, region_pass in _matches(text, self.regions):
            number = match.number
            raw = match.raw_string.strip()
            international = raw.startswith("+") or raw.startswith("00")
            number_region = phonenumbers.region_code_for_number(number)
            key = (start, end)
            # Labels precede numbers ("Tel. …", "call …"); looking far after would borrow the next
            # sentence's words.
            near = context_near(text, start, end, CONTEXT, radius=40, after=12)
            if not_a_phone(text, start, end, raw, near):
                continue
            if not international:
                if region_pass not in self.regions and not (near or _PHONE_WRITING.match(raw)):
                    continue  # another country's national format: only with a phone word or a phone's writing
                if number_region not in self.regions and region_pass in self.regions:
                    continue
                if glued_to_digit_groups(text, start, end):
                    continue  # a fragment of an IBAN, ID or reference number, not a phone number
                if number_region in TRUNK_ZERO and not raw.lstrip("(").startswith("0"):
                    continue  # DE/FR/BE numbers are dialled nationally with a leading 0: "38 641 295 665" is an ID
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
            overlapping = [k for k in spans if k[0] < end and start < k[1]]
            if any((spans[k].score, k[1] - k[0]) >= (score, end - start) for k in overlapping):
                continue
            for k in overlapping:
                del spans[k]
            spans[key] = result(self.ENTITY, start, end, min(score, 0.95), self.name,
                                f"PHONE_NUMBER: valid {number_region} number", context_boosted=True)
        return list(spans.values())


def not_a_phone(text: str, start: int, end: int, raw: str, near: bool) -> bool:
    """A valid-looking number that is something else: an identifier, date, range, amount or reference.

    An identifier label right before the number wins even over a phone word further away; the other
    shapes give way to a phone word ("Tel. 450 550 500")."""
    before = text[max(0, start - 40):start].casefold().rstrip(" :#()-")
    if _SSN_SHAPE.match(raw):
        return True
    if _labelled(before) or _labelled(_LABEL_FILLER.sub("", before)):
        return True
    if near:
        return False
    if _COUNTRY_PREFIX.search(text[max(0, start - 5):start]) and not raw.startswith("+"):
        return True
    bare = raw.strip("( )")
    if _DATE.search(raw) or _RANGE.search(raw) or _AMOUNT.match(bare) or _PROSE_DOT.search(raw):
        return True
    if _CURRENCY.match(text[end:end + 12]) or _CURRENCY_BEFORE.search(text[max(0, start - 5):start]):
        return True
    return "/" in raw and not raw.lstrip("(").startswith("0")  # 4027/05, 742/374: references


def _labelled(before: str) -> bool:
    """True if `before` ends with an identifier label (a whole word)."""
    return any(before.endswith(label) and (len(before) == len(label) or not before[-len(label) - 1].isalnum())
               for label in ID_LABELS)


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
    """(start, end, PhoneNumberMatch, region of the pass) over `text`, matched snippet by snippet.

    The first region's pass also finds international numbers of every country; the other regions only
    look at snippets that could hold a national number (no `+`/`00` prefix, at most 13 digits: longer
    runs are IBANs, cards or IDs). Snippets none of them matched get one pass per `ELSEWHERE` country
    when their writing could be a phone's there (the caller then asks for a phone word or writing)."""
    for offset, snippet in _snippets(text):
        digits = sum(c.isdigit() for c in snippet)
        trunk_zero = _GROUP_STARTING_WITH_ZERO.search(snippet) is not None
        matched = False
        for k, region in enumerate(regions):
            if k and (digits > 13 or "+" in snippet or snippet.lstrip()[:2] == "00"):
                break
            if k and region in TRUNK_ZERO and not trunk_zero:
                continue  # its national numbers start with 0 (see EuPhoneRecognizer.analyze): none here
            for match in phonenumbers.PhoneNumberMatcher(snippet, region, leniency=phonenumbers.Leniency.VALID):
                # A match of only part of the digits (`8098 1119` in `078 8098 1119`) leaves the
                # snippet open to the other countries' formats.
                matched = matched or (sum(c.isdigit() for c in match.raw_string) >= digits and region != "LU")
                yield offset + match.start, offset + match.end, match, region
        found_any = matched
        if not (matched or digits > 16 or digits < 7 or "+" in snippet  # (LU's flexible plan never settles it)
                or not _elsewhere_could_count(text, offset, snippet)):
            for region in ELSEWHERE:
                if region in regions or (region in TRUNK_ZERO and not trunk_zero):
                    continue
                found = list(phonenumbers.PhoneNumberMatcher(snippet, region, leniency=phonenumbers.Leniency.VALID))
                for match in found:
                    yield offset + match.start, offset + match.end, match, region
                if found:
                    found_any = True
                    break
        if not found_any:
            yield from _labelled_possible(text, offset, snippet, regions)


# What `_PHONE_WRITING` needs somewhere in a snippet for any part of it to be written like a phone.
_WRITING_HINT = re.compile(r"\(\d{3}\)\s?\d{3}[-. ]\d{4}|\d{3}([-.])\d{3}\1\d{4}|0\d{1,4}\)? \d{2}")
_CONTEXT_PARTS = tuple(sorted({w.casefold() for w in CONTEXT}))


def _elsewhere_could_count(text: str, offset: int, snippet: str) -> bool:
    """Could a number of another country's national plan in this snippet be kept?

    `analyze` keeps one only with a phone word near it (`context_near`), a phone's writing
    (`_PHONE_WRITING`) or a `00` prefix, and when none is found a phone label (`_labelled_possible`)
    can still claim the snippet. Each is looked for loosely here (a phone word as a bare substring of
    the widest window any match could see, the writing's core anywhere in the snippet): when none
    can be there, the ELSEWHERE passes (the priciest `phonenumbers` work, mostly on card numbers, tax
    ids and references) cannot change the result and are skipped."""
    if "00" in snippet or _WRITING_HINT.search(snippet):
        return True
    window = text[max(0, offset - 40):offset + len(snippet) + 12].casefold()
    if any(part in window for part in _CONTEXT_PARTS):
        return True
    return _LABEL_WORD.search(text, max(0, offset - _LABEL_REACH), offset + len(snippet)) is not None


# A phone label right before the number: "Phone: ", "Mobile: ", "Tel. ", "Desk: ", "Fax ".
_LABEL_WORDS = (r"(?:phone|telephone|téléphone|tel|tél|telefon|mobile|mobil|handy|gsm|fax|cell|portable|"
                r"desk|landline|festnetz)")
_PHONE_LABEL = re.compile(_LABEL_WORDS + r"\.?(?:\s+(?:number|no\.?|nr\.?|nummer))?\s*[:#]?\s*$", re.IGNORECASE)
_LABEL_WORD = re.compile(_LABEL_WORDS, re.IGNORECASE)
_LABEL_REACH = 25  # characters before a number where its label is looked for


def _labelled_possible(text: str, offset: int, snippet: str, regions: tuple[str, ...]):
    """A number no country's plan calls valid (an unassigned range: `+32 2 910 82 13`), of a possible
    length, right after a phone label: the label says what it is. Only tried when nothing valid matched,
    and only when a label word is within reach of the snippet (parsing 15 plans for every amount, date
    or reference in a text would quadruple this recognizer's time for nothing)."""
    if not _LABEL_WORD.search(text, max(0, offset - _LABEL_REACH), offset + len(snippet)):
        return
    for region in regions[:1] + tuple(r for r in ELSEWHERE if r not in regions):
        found = [m for m in phonenumbers.PhoneNumberMatcher(snippet, region, leniency=phonenumbers.Leniency.POSSIBLE)
                 if _PHONE_LABEL.search(text[max(0, offset + m.start - _LABEL_REACH):offset + m.start])]
        for match in found:
            yield offset + match.start, offset + match.end, match, "labelled"
        if found:
            return


TRUNK_ZERO = frozenset({"DE", "FR", "BE", "AT", "NL", "CH", "GB", "IE", "SE"})  # national numbers start with 0
_GROUP_STARTING_WITH_ZERO = re.compile(r"(?<!\d)\(?0")
_MIXED_SEPARATORS = re.compile(r"\d\.\d.*\d[\-/]\d|\d[\-/]\d.*\d\.\d")
