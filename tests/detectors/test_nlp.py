"""The windowed NLP engine: NER only where a name candidate is, offsets mapped back to the full text."""

from __future__ import annotations

import pytest
from faker import Faker

from detectors.nlp import NerEntity, candidate_windows, load_model


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


def test_models_run_only_tok2vec_and_ner(analyzer):
    loaded = analyzer.nlp_engine.nlp
    assert loaded["en"].pipe_names == ["tok2vec", "ner"] and loaded["fr"].pipe_names == ["tok2vec", "ner"]
