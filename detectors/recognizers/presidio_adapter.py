"""Presidio adapter: a ValidatedPatternRecognizer (patterns + validation) as a Presidio EntityRecognizer."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.recognizers.base import ValidatedPatternRecognizer


class PresidioValidatedRecognizer(ValidatedPatternRecognizer, EntityRecognizer):
    """A ValidatedPatternRecognizer as a Presidio EntityRecognizer, one instance per language."""

    def __init__(self, supported_language: str = "en") -> None:
        EntityRecognizer.__init__(self, supported_entities=[self.ENTITY], supported_language=supported_language,
                                  name=f"{type(self).__name__}_{supported_language}")

    def load(self) -> None:  # nothing to load: patterns are compiled at import
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        return self.find(text, self.name)
