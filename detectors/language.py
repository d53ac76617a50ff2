"""Per-sample language identification with lingua, restricted to the scan's configured languages.

Built once per process (`LanguageRouter(languages)`), lazily on first use. Restricting lingua to the
configured languages (EN/FR/DE by default) keeps its models to a few tens of MB instead of ~1 GB for
all 75 languages, and low-accuracy mode (trigram models only) keeps it fast; only the first
`SAMPLE_CHARS` of a text are looked at (a few sentences identify EN/FR/DE reliably). Short or undecidable texts fall back to the first configured
language.
"""

from __future__ import annotations

import re
from typing import Sequence

SAMPLE_CHARS = 600
MIN_LETTERS = 20
_LETTERS = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


class LanguageRouter:
    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = tuple(languages) or ("en",)
        self.default = self.languages[0]
        self._detector = None

    def _build(self):
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        wanted = []
        for code in self.languages:
            try:
                wanted.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
            except (AttributeError, ValueError):
                continue
        if len(wanted) < 2:
            return None
        return LanguageDetectorBuilder.from_languages(*wanted).with_low_accuracy_mode().build()

    def detect(self, text: str) -> str:
        """ISO 639-1 code among the configured languages (the default when undecidable)."""
        if len(self.languages) == 1:
            return self.default
        sample = " ".join(_LETTERS.findall(text[:SAMPLE_CHARS]))
        if len(sample) < MIN_LETTERS:
            return self.default
        if self._detector is None:
            self._detector = self._build()
            if self._detector is None:
                return self.default
        found = self._detector.detect_language_of(sample)
        if found is None:
            return self.default
        code = found.iso_code_639_1.name.lower()
        return code if code in self.languages else self.default
