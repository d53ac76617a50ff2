"""LOCATION for German text from place-name gazetteers (no German spaCy model is on PyPI).

Known city names of Germany, Austria, Switzerland, Belgium (Faker's address providers) and Luxembourg
(`detectors.names.LU_PLACES`), capitalised, whole word, after a place preposition (`in`, `nach`, `aus`,
`bei`, `von`, `wohnhaft in`). Without one a name is not reported: many towns are also German nouns
(`Essen`, `Zug`, `Berg`, `Wald`), and the German NER model reads places in their context anyway. EN/FR
get LOCATION from spaCy NER instead.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from detectors.names import place_names
from detectors.recognizers.base import result

_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*(?:\s(?:an der|am|im|bei|ob der|sur|les)\s[A-ZÀ-Þ]\w+)?")
_PREPOSITION = re.compile(r"(?:\b(?:in|nach|aus|bei|von|wohnhaft in|wohnt in|geboren in|Sitz in|Ort:))\s*$", re.IGNORECASE)


class GazetteerLocationRecognizer(EntityRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ("de",)

    def __init__(self, supported_language: str = "de") -> None:
        super().__init__(supported_entities=["LOCATION"], supported_language=supported_language,
                         name=f"GazetteerLocationRecognizer_{supported_language}")

    def load(self) -> None:
        place_names()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and "LOCATION" not in entities:
            return []
        places = place_names()
        found = []
        for m in _CAPITALISED.finditer(text):
            if m.group(0).casefold() not in places:
                continue
            after_preposition = bool(_PREPOSITION.search(text[max(0, m.start() - 20):m.start()]))
            if not after_preposition:
                continue
            score = 0.65
            found.append(result("LOCATION", m.start(), m.end(), score, self.name,
                                "LOCATION: known place name" + (" after a place preposition" if after_preposition else "")))
        return found
