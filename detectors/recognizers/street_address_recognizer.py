"""Street addresses in the EU and US forms a company estate holds, as STREET_ADDRESS.

A street address is where a person can be found: personal data wherever it stands (a company's own
address is one too, which this rule cannot tell apart; the masked example shows which). Forms:

* a street word before the name: `12, rue de la Gare`, `Via Roma 12`, `Calle Mayor 5`, `ul. Kwiatowa 12`,
  `Rua Augusta, 27`, `Avenue Louise 54` (FR/IT/ES/PT/PL/LU/BE);
* a street word glued to the name: `Hauptstraße 5`, `Kopfhölzistrasse 45`, `Lindenweg 3a`, `Damrak 12`
  is not one but `Kerkstraat 12`, `Lange Laan 3` are (DE/AT/CH/LU/NL/BE);
* a house number before a name ending in a street word: `1461 Melanie Alley`, `12 High St` (EN, with
  Faker's US/UK street-suffix list), followed by `Suite`/`Apt.`/`Unit`;
* then, optionally, a postcode and town on the same or the next line (`L-1234 Luxembourg`, `75008 Paris`,
  `8001 Zürich`, `Springfield, IL 62704`).

A bare postcode + town with a country prefix (`L-2540 Luxembourg`, `D-54290 Trier`) is an address line too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from presidio_analyzer import EntityRecognizer, RecognizerResult

from detectors.names import street_suffixes
from detectors.recognizers.base import context_near, result

ENTITY = "STREET_ADDRESS"
CONTEXT = ("address", "adresse", "anschrift", "wohnhaft", "domicile", "domicilié", "domiciliée", "lives",
           "habite", "wohnt", "resides", "residing", "ship", "livraison", "lieferadresse", "rechnungsadresse",
           "adres", "indirizzo", "dirección", "morada", "adres zamieszkania", "zamieszkały")
_CAP = r"[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ][\w'’.\-]*"
_NAME_WORD = rf"(?:{_CAP}|de|du|des|la|le|les|l'|d'|del|della|di|da|do|dos|das|de la|am|an|der|van|von|\d+\.?)"
_HOUSE_NUMBER = r"\d{1,4}(?:\s?[a-zA-Z](?![\w]))?(?:\s?[/\-]\s?\d{1,4}[a-zA-Z]?)?"  # not a 5-digit postcode
_NUMBER = r"\d{1,5}(?:\s?[a-zA-Z](?![\w]))?(?:\s?[/\-]\s?\d{1,4}[a-zA-Z]?)?"
_LEADING_TYPES = (
    "rue|avenue|av\\.|boulevard|bd|place|chemin|route|allée|impasse|quai|cours|rond-point|montée|"
    "via|viale|piazza|piazzale|corso|vicolo|contrada|strada|largo|borgo|rotonda|incrocio|canale|stretto|"
    "calle|c/|avenida|avda\\.|paseo|plaza|callejón|camino|carrer|ronda|travesía|acceso|cuesta|pasaje|"
    "glorieta|cañada|urbanización|vial|rambla|carretera|"
    "rua|r\\.|av\\.?|travessa|praça|alameda|estrada|pasadizo|"
    "ul\\.|ulica|al\\.|aleja|pl\\.|plac|os\\.|osiedle|"
    "rruga|strada|ulice|utca|katu|gatan|vej|gade|"
    "avenue|boulevard"
)
_GLUED_SUFFIXES = (
    "straße|strasse|str\\.|gasse|weg|platz|allee|ring|damm|ufer|chaussee|steig|pfad|zeile|gässli|gässle|"
    "markt|hof|berg|graben|stiege|"
    "straat|laan|plein|gracht|kade|singel|dijk|steeg|dreef|lei|pad|baan|boulevard|"
    "gatan|vägen|gade|vej|katu"
)
_EN_ABBREVIATIONS = ("st", "ave", "rd", "blvd", "ln", "dr", "ct", "pl", "hwy", "pkwy", "sq", "ter", "cres",
                     "lane", "boulevard")
_UNIT = (r"(?:,?\s+(?i:Suite|Ste\.|Apt\.?|Apartment|Unit|Flat|#|App\.|Appt\.?|Appartamento|Piano|Interno|Scala|"
         r"Puerta|Piso|Escalera|Bte|Boîte|bus|Top|Stiege|Etage|Étage)(?![\w])\s*[\w\-/º°]{1,6}){0,2}")
_TOWN = (rf"{_CAP}(?:(?:[ \-]|\s(?:an der|am|an|ob der|im|bei|sur|sous|en|lès|les|la|le|de|del|di|vorm|unter|auf)\s)"
         rf"{_CAP}){{0,3}}")
_POSTCODE_TOWN = (
    r"(?:,?[ \t]*(?:\n[ \t]*)?"
    r"(?:(?:[A-Z]{1,2}-)?\d{4,5}(?:\s?[A-Z]{2}(?![\w]))?|\d{2}-\d{3}|\d{4}-\d{3}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})"
    rf"[ \t]+{_TOWN}"
    r"|,\s*" + _CAP + r"(?:\s" + _CAP + r")?,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?)?"
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    en_types = "|".join(sorted(set(street_suffixes()) | set(_EN_ABBREVIATIONS), key=len, reverse=True))
    leading = re.compile(
        rf"(?<![\w])(?:{_NUMBER}\s*,?\s+)?(?i:{_LEADING_TYPES})\s+(?:{_NAME_WORD}\s+){{0,4}}{_CAP}"
        rf"(?:,?\s+{_HOUSE_NUMBER}(?![\w]))?{_UNIT}{_POSTCODE_TOWN}")
    glued = re.compile(
        rf"(?<![\w])(?:\d{{1,5}}\s+)?(?:{_CAP}[ \-])?[A-ZÀ-ÖØ-Þ][\w'’\-]*(?i:{_GLUED_SUFFIXES})\s*,?\s*{_NUMBER}"
        rf"(?![\w]){_UNIT}{_POSTCODE_TOWN}")
    separate = re.compile(  # "Lange Laan 3", "Am Neuen Markt 5" style: type word standing alone, then number
        rf"(?<![\w])(?:{_CAP}\s+){{1,3}}(?:Straße|Strasse|Gasse|Weg|Platz|Allee|Ring|Laan|Straat|Plein)\s+{_NUMBER}"
        rf"(?![\w]){_UNIT}{_POSTCODE_TOWN}")
    english = re.compile(
        rf"(?<![\w.,\-/])\d{{1,6}}[A-Z]?\s+(?:[NSEW]\.?\s+)?(?:{_CAP}\s+){{1,3}}(?i:{en_types})\.?(?![\w])"
        rf"{_UNIT}{_POSTCODE_TOWN}")
    postal_line = re.compile(rf"(?<![\w\-])(?:L|D|F|B|A|CH|NL|I|E|P)-\d{{4,5}}[ \t]+{_CAP}(?:[ \-]{_CAP}){{0,2}}")
    return leading, glued, separate, english, postal_line


class StreetAddressRecognizer(EntityRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()
    BASE_SCORE = 0.6
    CONTEXT_BOOST = 0.25

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=[ENTITY], supported_language=supported_language,
                         name=f"StreetAddressRecognizer_{supported_language}")

    def load(self) -> None:
        _patterns()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and ENTITY not in entities:
            return []
        if not any(c.isdigit() for c in text):
            return []
        spans: list[tuple[int, int]] = []
        for pattern in _patterns():
            for m in pattern.finditer(text):
                start, end = m.start(), m.end()
                value = text[start:end].rstrip(" ,.")
                end = start + len(value)
                if not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
                    continue
                if any(s <= start < e or s < end <= e for s, e in spans):
                    continue
                spans.append((start, end))
        out = []
        for start, end in spans:
            near = context_near(text, start, end, CONTEXT, radius=60, after=0)
            score = self.BASE_SCORE + (self.CONTEXT_BOOST if near else 0.0)
            out.append(result(ENTITY, start, end, score, self.name,
                              "STREET_ADDRESS: street word and house number" + ("; address context" if near else ""),
                              context_boosted=True))
        return out
