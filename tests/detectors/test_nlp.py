"""The windowed NLP engine: NER only where a name candidate is, offsets mapped back to the full text."""

from __future__ import annotations

import pytest
from faker import Faker

import spacy

import detectors.nlp
from detectors.nlp import NerEntity, WindowedSpacyNlpEngine, candidate_windows, load_model, unused_components


@pytest.mark.parametrize("text,expected_windows", [
    ("The quarterly report was filed on time and approved by the board.", 0),  # no candidate: no NER
    ("Please ask Laura about the invoice.", 1),
    ("Jean Dupont signed.", 0),  # known given + known surname: the gazetteer is sure, NER is redundant
    ("Mr Xylander called twice.", 1),  # honorific
])
def test_candidate_windows(text, expected_windows):
    assert len(candidate_windows(text)) == expected_windows


def test_windows_are_merged_and_inside_the_text():
    text = "Laura and Kevin met Sophie. " * 20
    windows = candidate_windows(text)
    assert windows and all(0 <= s < e <= len(text) for s, e in windows)
    assert all(a[1] < b[0] for a, b in zip(windows, windows[1:]))


def test_ner_offsets_map_back_to_the_full_text(analyzer):
    engine = analyzer.nlp_engine
    filler = "The quarterly report was filed on time. " * 30
    text = filler + "Yesterday Laura Kowalczyk visited the Paris office. " + filler
    _, artifacts = next(iter(engine.process_batch([text], "en")))
    persons = [text[e.start_char:e.end_char] for e in artifacts.entities if e.label_ == "PERSON"]
    assert "Laura Kowalczyk" in persons
    assert all(isinstance(e, NerEntity) for e in artifacts.entities)


def test_german_loads_the_packaged_model():
    nlp = load_model("de")
    assert nlp.pipe_names == ["tok2vec", "ner"] and nlp.lang == "de"


def test_german_model_finds_names_and_places_in_sentences_it_never_saw():
    """Faker names the gazetteers may not know (other locales' surnames), in German prose."""
    nlp = load_model("de")
    fake = Faker(["de_DE", "pt_BR", "pl_PL", "it_IT"])
    fake.seed_instance(2026)
    found = 0
    for _ in range(40):
        name = f"{fake.first_name()} {fake.last_name()}"
        doc = nlp(f"Am Dienstag erklärte {name} vor dem Ausschuss, die Prüfung sei abgeschlossen.")
        found += any(e.label_ == "PER" and name in e.text for e in doc.ents)
    assert found >= 34


def test_models_run_only_ner_and_the_tok2vec_it_listens_to(analyzer):
    """EN/FR NER embeds tokens itself (their shared tok2vec fed only the tagger and parser); German NER listens."""
    engine = analyzer.nlp_engine
    assert engine.model("en").pipe_names == ["ner"] and engine.model("fr").pipe_names == ["ner"]
    assert load_model("de").pipe_names == ["tok2vec", "ner"]


@pytest.mark.parametrize("language,locale", [("en", "en_GB"), ("fr", "fr_FR")])
def test_leaving_out_the_unused_tok2vec_finds_the_same_entities(language, locale):
    """The entities are those of the same pipeline with tok2vec kept (the other components are left out of
    both: a tagger or parser would move sentence starts and norms)."""
    from detectors.nlp import SPACY_MODELS

    fake = Faker(locale)
    fake.seed_instance(15)
    texts = [f"{fake.name()} ({fake.city()}) {fake.sentence(nb_words=8)} {fake.name()}" for _ in range(30)]
    ours = load_model(language)
    whole = spacy.load(SPACY_MODELS[language], exclude=[c for c in unused_components(SPACY_MODELS[language])
                                                        if c != "tok2vec"])
    assert "tok2vec" in whole.pipe_names and "tok2vec" not in ours.pipe_names
    entities = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in ours.pipe(texts)]
    assert entities == [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in whole.pipe(texts)]
    assert sum(map(len, entities)) >= 30


def test_models_load_per_language_at_the_first_text_in_it(monkeypatch):
    """No model at construction or `load()`; French only once French text comes, German never here."""
    loaded: list[str] = []

    def blank(language: str):
        loaded.append(language)
        return spacy.blank(language)

    monkeypatch.setattr(detectors.nlp, "load_model", blank)
    engine = WindowedSpacyNlpEngine(["en", "fr", "de"])
    engine.load()
    assert loaded == [] and engine.loaded_languages() == ()
    list(engine.process_batch(["Please ask Laura about the invoice.", "The report is late."], "en"))
    list(engine.process_batch(["Another English text."], "en"))
    assert loaded == ["en"]
    list(engine.process_batch(["Demandez à Laura la facture."], "fr"))
    assert loaded == ["en", "fr"] and engine.loaded_languages() == ("en", "fr")
    with pytest.raises(KeyError):
        engine.model("nl")  # not configured: never loaded


def test_a_detector_loads_only_the_model_of_the_language_it_reads(settings, monkeypatch):
    from dataclasses import replace

    from detectors.engine import Detector
    from scanner.limits import Limits
    from scanner.models import TextSample

    loaded: list[str] = []
    monkeypatch.setattr(detectors.nlp, "load_model", lambda lang: loaded.append(lang) or spacy.blank(lang))
    detector = Detector(replace(settings, languages=("en", "fr", "de")), Limits())
    detector.detect([TextSample("a.txt", None, "Please send the signed contract to the office before Friday, "
                                               "the accountant needs it for the annual report.")], "a.txt")
    assert loaded == ["en"]
