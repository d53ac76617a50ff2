"""GDPR special categories (Art. 9) and criminal data (Art. 10) from EN/FR/DE terms, scored conservatively.

A strong term scores 0.6 (0.8 with a context word within 80 characters); a weak term is reported only
with a context word (0.6). Each term occurrence is one result; the span is the term itself, so the
finding's masked example says what kind of term it was without quoting the sentence.
"""

from __future__ import annotations

import re
from typing import Iterator

from presidio_analyzer import EntityRecognizer, RecognizerResult

from detectors.recognizers.base import context_near, result
from detectors.recognizers.special_terms import SPECIAL_TERMS


def _compile(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(terms) + r")(?!\w)", re.IGNORECASE)


_COMPILED = {
    entity: (_compile(spec["strong"]), _compile(spec["weak"]), tuple(spec["context"]))
    for entity, spec in SPECIAL_TERMS.items()
}
# Where any term of any entity starts: one pass over the text instead of one per (entity, strength).
_ANY_TERM = re.compile(r"(?<!\w)(?=(?:" + "|".join(t for spec in SPECIAL_TERMS.values()
                                                   for kind in ("strong", "weak") for t in spec[kind])
                       + r")(?!\w))", re.IGNORECASE)


def _matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields, trying only the positions where some term starts."""
    last_end = 0
    for pos in starts:
        if pos < last_end:
            continue
        m = pattern.match(text, pos)
        if m:
            last_end = m.end()
            yield m


class SpecialCategoryRecognizer(EntityRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()
    STRONG, STRONG_WITH_CONTEXT, WEAK_WITH_CONTEXT = 0.6, 0.8, 0.6

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=sorted(SPECIAL_TERMS), supported_language=supported_language,
                         name=f"SpecialCategoryRecognizer_{supported_language}")

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        found: list[RecognizerResult] = []
        starts = [m.start() for m in _ANY_TERM.finditer(text)]
        if not starts:
            return found
        for entity, (strong, weak, context) in _COMPILED.items():
            if entities and entity not in entities:
                continue
            if strong is not None:
                for m in _matches(strong, text, starts):
                    near = context_near(text, m.start(), m.end(), context)
                    score = self.STRONG_WITH_CONTEXT if near else self.STRONG
                    found.append(result(entity, m.start(), m.end(), score, self.name,
                                        f"{entity}: special-category term" + (" with context" if near else ""),
                                        context_boosted=True))
            if weak is not None:
                for m in _matches(weak, text, starts):
                    if context_near(text, m.start(), m.end(), context, radius=60):
                        found.append(result(entity, m.start(), m.end(), self.WEAK_WITH_CONTEXT, self.name,
                                            f"{entity}: weak term with context word", context_boosted=True))
        return found
