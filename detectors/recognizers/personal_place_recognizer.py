"""Places bound to a person: where someone lives, was born, comes from or moved to, as LOCATION.

A place is personal data when it says something about a person: "she moved here from Tallinn", "wohnhaft
in Esch", "né à Metz", "place of birth: Porto". A country or city in a news story ("talks in Geneva") is
not, and is left to NER only where a name stands close by (see `detectors.nlp`). This rule looks for a
residence / origin / birth phrase (EN/FR/DE, a few LU/NL forms) and takes the capitalised words that
follow it (one to three, or an all-capitals name), whatever the place: no gazetteer limits it.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from detectors.names import place_names
from detectors.recognizers.base import result

_TRIGGERS = (
    # English
    r"lives|living|lived|resides|residing|resident|moved(?:\s+(?:here|there|back|away))?|relocated|born|raised|"
    r"grew\s+up|hails|comes|came|originally|native|hometown\s+(?:is|was)|home\s+town\s+(?:is|was)|"
    r"place\s+of\s+(?:birth|residence)|domiciled|settled|"
    # French
    r"habite|habitait|habitant|domicilié|domiciliée|demeurant|née?|originaire|résidant|réside|résidait|"
    r"installée?|déménagée?|vit|vivait|venue?|lieu\s+de\s+(?:naissance|résidence)|"
    # German / Luxembourgish / Dutch
    r"wohnhaft|wohnt|wohnte|lebt|lebte|geboren|geb\.|stammt|stammte|zog|gezogen|umgezogen|wuchs|"
    r"Wohnort|Geburtsort|Heimatort|Heimatstadt|wunnt|gebuer|woont|geboren|verhuisd"
)
_LINK = (r"(?:\s+(?:in|from|to|at|of|near|outside|à|au|aux|en|de|du|des|d'|in\s+der|im|nach|aus|bei|von|"
         r"zu|zur|zum|op|te|uit|naar))?")
_ARTICLE = r"(?:\s+(?:the|la|le|l'|les|der|die|dem|den|het))?"
_PLACE = r"(?:[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’\-]+(?:\s+(?:upon|on|sur|am|an\s+der|ob\s+der|im|de|del|di|la)\s+[A-ZÀ-ÖØ-Þ][\w'’\-]+|" \
         r"\s+[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’\-]+){0,2})"
PATTERN = re.compile(rf"(?<![\w])(?i:{_TRIGGERS}){_LINK}{_ARTICLE}\s*:?\s*(?P<place>{_PLACE})")
# German puts the verb last: "… nach Trier gezogen", "… in Wien aufgewachsen".
VERB_LAST = re.compile(rf"(?<![\w])(?:nach|in|aus|von)\s+(?P<place>{_PLACE})\s+(?:gezogen|umgezogen|zugezogen|"
                       rf"aufgewachsen|geboren|übersiedelt|ausgewandert|eingewandert)(?![\w])")
NOT_PLACES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre", "januar", "februar", "märz", "juni", "juli", "oktober",
    "dezember", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "i", "he",
    "she", "we", "they", "it", "his", "her", "our", "their", "this", "that", "mr", "mrs", "ms", "dr", "herr",
    "frau", "m", "mme", "the", "a", "an", "le", "la", "les", "un", "une", "der", "die", "das", "ein", "eine",
})
# German capitalises every noun: "lebt in Armut" is not a place. Abstract-noun endings give them away.
_GERMAN_NOUN = re.compile(r"(?:ung|heit|keit|schaft|ion|tät|nis|tum|ismus|ität|ment|ur|enz|anz)$")


class PersonalPlaceRecognizer(EntityRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()
    SCORE = 0.7

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=["LOCATION"], supported_language=supported_language,
                         name=f"PersonalPlaceRecognizer_{supported_language}")

    def load(self) -> None:
        place_names()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and "LOCATION" not in entities:
            return []
        found = []
        for m in (*PATTERN.finditer(text), *VERB_LAST.finditer(text)):
            place = m.group("place")
            words = place.split()
            while words and words[-1].casefold().strip("'’") in NOT_PLACES:
                words.pop()
            if not words or words[0].casefold() in NOT_PLACES:
                continue
            if self.supported_language == "de" and _GERMAN_NOUN.search(words[-1].casefold()) \
                    and place.casefold() not in place_names():
                continue
            start = m.start("place")
            end = start + len(" ".join(words)) if len(words) == len(place.split()) else \
                start + place.index(words[-1]) + len(words[-1])
            found.append(result("LOCATION", start, end, self.SCORE, self.name,
                                "LOCATION: a place bound to a person (residence, birth or origin phrase)"))
        return found
