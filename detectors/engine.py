"""One detector per process: a Presidio AnalyzerEngine built once, used for text and table columns.

`Detector.detect(samples, source)` turns samples into `Finding`s aggregated per (location, field,
entity). Raw values never leave this module: each hit is reduced to a masked preview and a keyed
fingerprint before aggregation.

How text is processed (issue 3, point 7: speed by design, memory bounded):
1. each text is cut to `limits.text_chars_per_sample`, its language identified (lingua, configured
   languages only) unless the extractor knew it, and split into chunks of `CHUNK_CHARS` with overlap;
2. chunks are batched per language (at most `BATCH_CHARS` characters in memory at once) through the
   windowed NLP engine: tokens for everyone, spaCy NER only around name candidates, one `nlp.pipe`;
3. each chunk goes through the gated recognizers (`detectors.registry`) with the precomputed artifacts;
4. overlapping results are resolved (higher score wins; checksum-validated identifiers win ties).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from scanner.categories import is_special_entity
from scanner.errors import ItemError
from scanner.limits import Limits
from scanner.models import ColumnSample, DetectionSettings, Finding, Hit, Sample, TextSample

from detectors.example_values import is_example_value
from detectors.fingerprint import fingerprint, mask
from detectors.german_nouns import noun_forms
from detectors.language import LanguageRouter
from detectors.person_context import judge_spans
from detectors.taxonomy import category_for, with_declared_categories

log = logging.getLogger(__name__)

CHUNK_CHARS = 20_000
CHUNK_OVERLAP = 200
BATCH_CHARS = 400_000
# Ties between overlapping results go to the more specific (validated) entity.
ENTITY_PRIORITY = {
    "PRIVATE_KEY": 9, "PASSWORD_HASH": 9, "API_TOKEN": 8, "IBAN_CODE": 8, "LU_NATIONAL_ID": 8, "FR_NIR": 8,
    "BE_NATIONAL_NUMBER": 7, "EU_VAT_NUMBER": 7, "CREDIT_CARD": 7, "DE_TAX_ID": 6, "EMAIL_ADDRESS": 6,
    "IP_ADDRESS": 5, "PHONE_NUMBER": 4, "PASSPORT": 4, "PASSWORD": 4, "PERSON": 2, "LOCATION": 1,
}


@dataclass(frozen=True)
class Span:
    """A detected span in a text (offsets into that text), before privacy reduction."""

    entity: str
    start: int
    end: int
    score: float
    recognizer: str
    explanation: str | None = None


def build_analyzer(settings: DetectionSettings):
    """A Presidio AnalyzerEngine with explicit spaCy models and the gated recognizers (slow: once per process)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from detectors.nlp import NoContextEnhancer, WindowedSpacyNlpEngine
    from detectors.registry import PRESIDIO_COUNTRY_RECOGNIZERS, build_recognizers

    languages = list(dict.fromkeys(settings.languages)) or ["en"]
    # Presidio's country recognizers rely on its lemma context enhancer, which needs whole-text tokens.
    needs_tokens = any(PRESIDIO_COUNTRY_RECOGNIZERS.get(c.upper()) for c in settings.countries)
    nlp_engine = WindowedSpacyNlpEngine(languages, tokens=needs_tokens)
    nlp_engine.load()
    registry = RecognizerRegistry(recognizers=build_recognizers(languages, settings.countries),
                                  supported_languages=languages)
    enhancer = None if needs_tokens else NoContextEnhancer()
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=languages,
                          context_aware_enhancer=enhancer)


def overlapping_chunks(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[tuple[int, str]]:
    """(offset, chunk) pieces covering `text`; consecutive chunks share `overlap` characters, cut at spaces."""
    if len(text) <= size:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start + size // 2, end)
            end = space if space > 0 else end
        pieces.append((start, text[start:end]))
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return pieces


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans: higher score first, then entity priority, then longer span."""
    ordered = sorted(spans, key=lambda s: (-s.score, -ENTITY_PRIORITY.get(s.entity, 3), s.start - s.end, s.start))
    kept: list[Span] = []
    for span in ordered:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))


class DetectionTimeout(ItemError):
    """The item's time limit ran out during detection; `findings` holds what was found before it."""

    def __init__(self, seconds: float, findings: Sequence[Finding] = ()) -> None:
        super().__init__(f"time limit of {seconds:g}s per item exceeded (detection)")
        self.seconds = seconds
        self.findings = tuple(findings)


class _Interrupted(Exception):
    """Raised inside a batch at the deadline, with the spans of the texts finished before it."""

    def __init__(self, done: list[list[Span]]) -> None:
        super().__init__("deadline")
        self.done = done


@dataclass
class _Bucket:
    count: int = 0
    score: float = 0.0
    example_masked: str = ""
    example_fp: str = ""
    recognizer: str = ""
    explanation: str | None = None
    language: str | None = None
    fingerprints: dict[str, None] = field(default_factory=dict)


class Detector:
    """Detects personal data in samples. Construct once per process; the analyzer is built on first use."""

    def __init__(self, settings: DetectionSettings, limits: Limits, analyzer=None,
                 categories: Mapping[str, str] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.limits = limits
        self._analyzer = analyzer
        self._clock = clock
        self._categories = categories
        self.router = LanguageRouter(self.languages)
        self._field_names: dict[tuple[str, int | None], str] = {}

    # -- collaborators ---------------------------------------------------------------------------
    @property
    def analyzer(self):
        if self._analyzer is None:
            self._analyzer = build_analyzer(self.settings)
        return self._analyzer

    @property
    def languages(self) -> tuple[str, ...]:
        if self._analyzer is not None:
            return tuple(self._analyzer.supported_languages)
        return tuple(dict.fromkeys(self.settings.languages)) or ("en",)

    @property
    def categories(self) -> Mapping[str, str]:
        """Entity -> fideslang key: the built-in table plus what plugin recognizers declare."""
        if self._categories is None:
            from detectors.registry import policyscan_recognizer_classes

            self._categories = with_declared_categories(policyscan_recognizer_classes())
        return self._categories

    @property
    def recognizers(self) -> list[str]:
        return sorted({r.name for r in self.analyzer.registry.recognizers})

    def loaded_languages(self) -> tuple[str, ...]:
        """Languages whose spaCy model is in memory (models load lazily, at the first text needing one)."""
        return self._analyzer.nlp_engine.loaded_languages() if self._analyzer is not None else ()

    def load_languages(self, languages: Iterable[str]) -> None:
        """Load these configured languages' models now: a process that forks workers shares them (and the
        German noun list every language's NER span check reads, 24 MB)."""
        loaded = False
        for language in languages:
            if language in self.languages:
                self.analyzer.nlp_engine.model(language)
                loaded = True
        if loaded:
            noun_forms()

    def language_of(self, text: str, declared: str | None = None) -> str:
        if declared and declared in self.languages:
            return declared
        return self.router.detect(text)

    # -- spans -----------------------------------------------------------------------------------
    def text_spans(self, texts: Sequence[str], languages: Sequence[str | None] | None = None,
                   entities: Sequence[str] | None = None, min_score: float | None = None,
                   ner: bool = True, deadline: float | None = None) -> list[list[Span]]:
        """Spans per text (same order), texts already cut to size; the batch API behind everything else.

        `min_score` overrides the configured threshold (the column classifier looks lower, because the
        column name is the context a bare value lacks). `ner=False` skips spaCy NER (PERSON/LOCATION then
        come from the gazetteers only): for callers that do not use NER entities, such as bare column
        values, where NER is the largest cost. NER is skipped as well when `entities` names neither
        PERSON nor LOCATION. Past `deadline` (on this detector's clock) it raises `_Interrupted` with the
        spans of the texts whose every chunk was analysed."""
        threshold = self.settings.min_score if min_score is None else min_score
        if entities and not {"PERSON", "LOCATION"} & set(entities):
            ner = False
        langs = [self.language_of(t, (languages or [None] * len(texts))[i]) for i, t in enumerate(texts)]
        out: list[list[Span]] = [[] for _ in texts]
        by_lang: dict[str, list[tuple[int, int, str, int]]] = defaultdict(list)
        for i, text in enumerate(texts):
            for k, (offset, chunk) in enumerate(overlapping_chunks(text)):
                by_lang[langs[i]].append((i, offset, chunk, CHUNK_OVERLAP if k else 0))
        for lang, jobs in by_lang.items():
            artifacts = self.analyzer.nlp_engine.process_batch([chunk for _, _, chunk, _ in jobs], lang, ner=ner)
            for n, ((i, offset, chunk, skip), (_, nlp_artifacts)) in enumerate(zip(jobs, artifacts)):
                if deadline is not None and self._clock() > deadline:
                    unfinished = {job[0] for job in jobs[n:]}
                    raise _Interrupted([[] if j in unfinished else resolve_overlaps(spans)
                                        for j, spans in enumerate(out)])
                results = self.analyzer.analyze(text=chunk, language=lang, nlp_artifacts=nlp_artifacts,
                                                entities=list(entities) if entities else None,
                                                score_threshold=threshold)
                for r in results:
                    if r.start < skip:  # seen by the previous chunk
                        continue
                    meta = r.recognition_metadata or {}
                    why = r.analysis_explanation.textual_explanation if r.analysis_explanation else None
                    out[i].append(Span(r.entity_type, offset + r.start, offset + r.end, float(r.score),
                                       str(meta.get("recognizer_name", "")), why))
        return [resolve_overlaps(spans) for spans in out]

    # -- privacy reduction -----------------------------------------------------------------------
    def hit(self, value: str, entity: str, score: float, recognizer: str, explanation: str | None = None) -> Hit:
        masked = value if self.settings.reveal_values else mask(value, entity)
        return Hit(entity, score, masked, fingerprint(value, entity, self.settings.fingerprint_key), recognizer,
                   explanation)

    def column_hits(self, sample: ColumnSample) -> list[Hit]:
        from detectors.columns import classify_column

        return classify_column(sample, self)

    # -- findings --------------------------------------------------------------------------------
    def detect(self, samples: Iterable[Sample], source: str) -> list[Finding]:
        """Findings per (location, field, entity). Past the item's time limit (`limits.item_seconds` from
        this call) it raises `DetectionTimeout` carrying the findings of the samples finished before it."""
        buckets: dict[tuple[str, str | None, str], _Bucket] = defaultdict(_Bucket)
        deadline = self._clock() + self.limits.item_seconds
        try:
            for sample, language, hits in self._hits(samples, deadline):
                self._add(buckets, sample, language, hits)
        except _Interrupted:
            raise DetectionTimeout(self.limits.item_seconds, self._findings(buckets, source)) from None
        return self._findings(buckets, source)

    def _add(self, buckets: dict[tuple[str, str | None, str], _Bucket], sample: Sample, language: str | None,
             hits: list[Hit]) -> None:
        for h in hits:
            b = buckets[(sample.location, sample.field, h.entity)]
            b.count += 1
            b.language = b.language or language
            if h.score > b.score or not b.example_masked:
                b.score, b.example_masked, b.example_fp = h.score, h.masked, h.fingerprint
                b.recognizer, b.explanation = h.recognizer, h.explanation or b.explanation
            if len(b.fingerprints) < self.limits.fingerprints_per_finding:
                b.fingerprints[h.fingerprint] = None

    def _findings(self, buckets: dict[tuple[str, str | None, str], _Bucket], source: str) -> list[Finding]:
        findings = []
        for (loc, fld, entity), b in sorted(buckets.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])):
            category = category_for(entity, self.categories)
            findings.append(Finding(
                source=source, location=loc, field=fld, entity=entity, category=category,
                special=is_special_entity(entity, category), count=b.count, score=round(b.score, 4),
                masked_example=b.example_masked, fingerprint=b.example_fp, distinct_count=len(b.fingerprints),
                fingerprints=tuple(sorted(b.fingerprints)), recognizer=b.recognizer,
                explanation=b.explanation, language=b.language,
            ))
        return findings

    def _hits(self, samples: Iterable[Sample], deadline: float) -> Iterator[tuple[Sample, str | None, list[Hit]]]:
        """(sample, language, hits) per sample; the columns of one table are judged together (their
        table's subject decides some verdicts); other text samples are batched up to BATCH_CHARS."""
        batch: list[TextSample] = []
        size = 0
        for group in _by_location(self._safe_named(s) for s in samples):
            if self._clock() > deadline:
                raise _Interrupted([])
            table = [s for s in group if _is_table_column(s)] if any(
                isinstance(s, ColumnSample) for s in group) else []
            if table:
                from detectors.columns import classify_table

                for sample, hits in classify_table(table, self):
                    yield sample, None, hits
            for sample in group:
                if isinstance(sample, ColumnSample) or (table and _is_table_column(sample)):
                    continue
                batch.append(sample)
                size += min(len(sample.text), self.limits.text_chars_per_sample)
                if size >= BATCH_CHARS:
                    yield from self._text_batch(batch, deadline)
                    batch, size = [], 0
        if batch:
            yield from self._text_batch(batch, deadline)

    def _safe_named(self, sample: Sample) -> Sample:
        """The sample with a field name that holds no personal data (see `columns.safe_field`)."""
        from detectors.columns import safe_field

        if not sample.field:
            return sample
        position = sample.position if isinstance(sample, ColumnSample) else None
        key = (sample.field, position)
        if key not in self._field_names:
            if len(self._field_names) > 100_000:
                self._field_names.clear()
            self._field_names[key] = safe_field(sample.field, position, self)
        name = self._field_names[key]
        return sample if name == sample.field else replace(sample, field=name)

    def _text_batch(self, batch: list[TextSample], deadline: float) -> Iterator[tuple[Sample, str | None, list[Hit]]]:
        """Hits per sample of the batch; at the deadline, those of the samples finished, then `_Interrupted`."""
        texts = [s.text[: self.limits.text_chars_per_sample] for s in batch]
        languages = [self.language_of(t, s.language) for t, s in zip(texts, batch)]
        interrupted: _Interrupted | None = None
        try:
            all_spans = self.text_spans(texts, languages, deadline=deadline)
        except _Interrupted as exc:
            interrupted, all_spans = exc, exc.done
        for sample, text, lang, spans in zip(batch, texts, languages, all_spans):
            spans = [s for s in spans if not is_example_value(s.entity, text[s.start:s.end])]
            spans = judge_spans(sample.field, text, spans)
            hits = [self.hit(text[s.start:s.end], s.entity, s.score, s.recognizer, s.explanation) for s in spans]
            yield sample, lang, hits
        if interrupted is not None:
            raise interrupted


def _by_location(samples: Iterable[Sample]) -> Iterator[list[Sample]]:
    """Runs of consecutive samples that share a location (a table's columns come together).

    A text sample outside any table run is yielded at once, without reading the next sample first: reading
    ahead would make the item's deadline fall on text that arrived in time (the deadline is checked
    between groups)."""
    run: list[Sample] = []
    for sample in samples:
        if run and sample.location != run[-1].location:
            yield run
            run = []
        if not run and not _is_table_column(sample):
            yield [sample]
            continue
        run.append(sample)
    if run:
        yield run


def _is_table_column(sample: Sample) -> bool:
    """A column's sample: values, or a long-text column (not a body, header or metadata text)."""
    return isinstance(sample, ColumnSample) or (
        bool(sample.field) and ":" not in sample.field and sample.field not in ("body", "ocr"))
